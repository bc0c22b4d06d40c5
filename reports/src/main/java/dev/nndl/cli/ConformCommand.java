package dev.nndl.cli;

import dev.nndl.conformance.CaseName;
import dev.nndl.conformance.Checks;
import dev.nndl.conformance.Conformance;
import dev.nndl.conformance.ConformanceCsv;
import dev.nndl.conformance.ConformanceJUnitXml;
import dev.nndl.conformance.OpCheck;
import dev.nndl.conformance.mutants.Mutant;
import dev.nndl.conformance.mutants.Mutants;
import dev.nndl.network.train.RunFiles;
import dev.nndl.spi.Availability;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;
import dev.nndl.testing.Case;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.xml.stream.XMLStreamException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nndl conform}: the conformance contract against backends on the class path, as a table and CSV. */
@Command(name = "conform", mixinStandardHelpOptions = true,
        description = {"Check backends against the reference, operation by operation.",
                "Runs the conformance contract (every operation and direction, edge cases first, then random "
                + "cases) and prints a verdict per operation. A backend that cannot start here is reported as "
                + "skipped, with the reason, never as passed.", ""},
        footer = {"", "Exit code: 0 when every backend that ran passed, 1 when one failed, 3 when a backend "
                + "named with --backend could not start here.", "",
                "Verdicts: pass; FAIL (with the first failing case, shrunk, and the command that reruns it alone); "
                + "delegated (the backend hands the operation to the reference's own code, so nothing of its own was "
                + "tested); skipped (the backend threw UnsupportedOperationException, whose message is the reason).", "",
                "Examples:", "  nndl conform --backend reference --csv out.csv", "  nndl conform --backend all --junit-xml conform.xml",
                "  nndl conform --backend cpu --ops conv2d,max-pool2d:backward --tries 500 --seed 7",
                "  nndl conform --backend cpu --ops conv2d:forward --case n=1,c=3,h=5,w=5,oc=2,kh=7,kw=7,sh=1,sw=1,ph=1,pw=1,dh=1,dw=1,groups=1 --seed 42",
                "  nndl conform --mutants        (watch the contract kill planted bugs)", ""})
final class ConformCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME|all", defaultValue = "all",
            description = "The backend to check, or all on the class path (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the verdicts as CSV.")
    Path csv;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "Also write the verdicts as a JUnit XML report, one testcase per operation and direction.")
    Path junitXml;

    @Option(names = "--tries", paramLabel = "N", description = "Random cases per operation after the edge cases (default: "
            + Conformance.Settings.DEFAULT_TRIES + ").")
    Integer tries;

    @Option(names = "--ops", paramLabel = "OP[:DIRECTION]", split = ",",
            description = "Check only these operations, e.g. conv2d (every direction) or conv2d:backward-input (default: all ${COMPLETION-CANDIDATES:-}).")
    List<String> ops;

    @Option(names = "--case", paramLabel = "SHAPE",
            description = "Run one case instead of the generated ones: the shape as a failure's rerun command gives it, name=value,... .")
    String caseName;

    @Option(names = "--seed", paramLabel = "N", description = "With --case, the seed of the case's data (default: 1); "
            + "without, the seed of the random cases' draws (default: one per operation, the same every run).")
    Long seed;

    @Option(names = "--mutants", description = "Run the contract against the planted-bug mutants instead, and print the kill table.")
    boolean mutants;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (tries != null && (tries < 0 || tries > Conformance.Settings.MAX_TRIES)) {
            throw new IllegalArgumentException("--tries " + tries + ": use 0 (the edge cases alone) to " + Conformance.Settings.MAX_TRIES + " random cases per operation");
        }
        Conformance.Settings defaults = Conformance.Settings.fromSystemProperties();
        Conformance.Settings settings = new Conformance.Settings(tries == null ? defaults.tries() : tries, caseName == null && seed != null ? seed : defaults.seed());
        List<OpCheck<?>> checks = selected();
        if (caseName != null) {
            if (tries != null) throw new IllegalArgumentException("--case runs one case: leave out --tries");
            for (OpCheck<?> check : checks) parse(check);
        }
        List<Conformance.Report> reports = new ArrayList<>();
        boolean namedButSkipped = false;
        if (mutants) {
            List<String> names = checks.stream().map(OpCheck::name).toList();
            for (Mutant mutant : Mutants.all()) if (names.contains(mutant.target())) reports.add(check(checks, mutant, settings, out, mutant.bug(), "--mutants"));
        } else {
            Map<String, KernelSetProvider> providers = Backends.providers();
            List<String> names = backend.equals("all") ? new ArrayList<>(providers.keySet()) : List.of(backend);
            if (backend.equals("all")) {
                for (String expected : Backends.AUTO_ORDER) if (!providers.containsKey(expected)) names.add(expected);
            } else if (!providers.containsKey(backend) && !Backends.NOT_BUILT.containsKey(backend)) {
                throw new IllegalArgumentException("unknown backend '" + backend + "'; on this class path: " + String.join(", ", providers.keySet()) + ", or all");
            }
            for (String name : names) {
                KernelSetProvider provider = providers.get(name);
                Availability availability = Backends.availability(name);
                if (!availability.available()) {
                    out.printf("%s: skipped: %s%n%n", name, availability.reason());
                    reports.add(Conformance.Report.skipped(name, availability.reason()));
                    namedButSkipped |= !backend.equals("all");
                    continue;
                }
                try (KernelSet kernels = provider.create()) {
                    reports.add(check(checks, kernels, settings, out, kernels.device(), "--backend " + name));
                }
            }
        }
        if (csv != null) {
            if (csv.getParent() != null) Files.createDirectories(csv.getParent());
            try (Writer writer = Files.newBufferedWriter(csv)) {
                ConformanceCsv.write(writer, reports);
            }
            out.printf("wrote %s%n", csv);
        }
        if (junitXml != null) {
            StringWriter xml = new StringWriter();
            try {
                ConformanceJUnitXml.write(xml, reports);
            } catch (XMLStreamException e) {
                throw new IllegalStateException("cannot write the JUnit XML report: " + e.getMessage(), e);
            }
            if (junitXml.toAbsolutePath().getParent() != null) Files.createDirectories(junitXml.toAbsolutePath().getParent());
            RunFiles.writeAtomically(junitXml, xml.toString().getBytes(StandardCharsets.UTF_8));
            out.printf("wrote %s%n", junitXml);
        }
        out.flush();
        if (mutants) return reports.stream().anyMatch(Conformance.Report::passed) ? 1 : 0;
        if (namedButSkipped) return 3;
        return reports.stream().allMatch(r -> r.skipped() != null || r.passed()) ? 0 : 1;
    }

    /** The checks --ops names, in the contract's order. */
    private List<OpCheck<?>> selected() {
        List<OpCheck<?>> all = Checks.all();
        if (ops == null) return all;
        List<OpCheck<?>> chosen = new ArrayList<>();
        for (String op : ops) {
            String wanted = op.strip().replace(':', ' ');
            List<OpCheck<?>> matching = all.stream().filter(c -> c.op().equals(wanted) || c.name().equals(wanted)).toList();
            if (matching.isEmpty()) {
                throw new IllegalArgumentException("--ops " + op + ": no such operation; the contract's are "
                        + String.join(", ", all.stream().map(OpCheck::op).distinct().toList())
                        + ", each alone (every direction) or as OP:DIRECTION, e.g. conv2d:backward-input");
            }
            for (OpCheck<?> c : matching) if (!chosen.contains(c)) chosen.add(c);
        }
        return all.stream().filter(chosen::contains).toList();
    }

    private <S> Case<S> parse(OpCheck<S> check) {
        try {
            return new Case<>(CaseName.parse(Conformance.shapeType(check), caseName), seed == null ? 1 : seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--case for " + check.name() + ": " + e.getMessage());
        }
    }

    private <S> Conformance.OpResult run(OpCheck<S> check, KernelSet kernels, Conformance.Settings settings) {
        return caseName == null ? Conformance.run(check, kernels, settings) : Conformance.run(check, kernels, parse(check));
    }

    private Conformance.Report check(List<OpCheck<?>> checks, KernelSet kernels, Conformance.Settings settings, PrintWriter out, String about,
                                     String which) {
        out.printf("%s (%s), %s%n", kernels.name(), about, caseName != null ? "one case: " + caseName + ", data seed " + (seed == null ? 1 : seed)
                : settings.tries() + " random cases per operation after the edge cases" + (settings.seed() == null ? "" : ", drawn with seed " + settings.seed()));
        out.printf("  %-42s %-9s %7s %11s %11s%n", "operation", "verdict", "cases", "max |err|", "err / tol");
        List<Conformance.OpResult> results = new ArrayList<>();
        for (OpCheck<?> check : checks) {
            Conformance.OpResult r = run(check, kernels, settings);
            results.add(r);
            if (r.verdict() == Conformance.Verdict.PASS || r.verdict() == Conformance.Verdict.FAIL) {
                out.printf("  %-42s %-9s %7d %11.2e %11.2f%n", r.op() + " " + r.direction(), r.label(), r.cases(), r.maxAbsError(),
                        Double.isInfinite(r.worstRatio()) ? Double.NaN : r.worstRatio());
            } else {
                out.printf("  %-42s %-9s %s%n", r.op() + " " + r.direction(), r.verdict().label(), r.firstFailure());
            }
            if (r.failedAny()) {
                out.printf("      %s%n", r.firstFailure());
                if (!r.rerun().isEmpty()) out.printf("      %s%n", r.rerunLine("./nndl", which));
            }
            out.flush();
        }
        Conformance.Report report = new Conformance.Report(kernels.name(), kernels.device(), kernels.threads(), null, results);
        out.printf("%s: %s%n%n", kernels.name(), summary(report));
        return report;
    }

    /** E.g. "PASSED 42 of 48 operations; 6 delegated to the reference" or "FAILED 2 of 48 operations". */
    static String summary(Conformance.Report report) {
        int all = report.results().size();
        long failed = report.count(Conformance.Verdict.FAIL), delegated = report.count(Conformance.Verdict.DELEGATED),
                skipped = report.count(Conformance.Verdict.SKIPPED), passed = report.count(Conformance.Verdict.PASS);
        String rest = (delegated == 0 ? "" : "; " + delegated + " delegated to the reference") + (skipped == 0 ? "" : "; " + skipped + " skipped");
        if (failed > 0) return "FAILED " + failed + " of " + all + " operations" + rest;
        return (passed == all ? "PASSED every operation" : "PASSED " + passed + " of " + all + " operations") + rest;
    }
}
