package dev.nndl.cli;

import dev.nndl.conformance.Conformance;
import dev.nndl.conformance.ConformanceCsv;
import dev.nndl.conformance.mutants.Mutant;
import dev.nndl.conformance.mutants.Mutants;
import dev.nndl.spi.Availability;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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
                "Examples:", "  nndl conform --backend reference --csv out.csv", "  nndl conform --backend all",
                "  nndl conform --mutants        (watch the contract kill planted bugs)", ""})
final class ConformCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--backend", paramLabel = "NAME|all", defaultValue = "all",
            description = "The backend to check, or all on the class path (default: ${DEFAULT-VALUE}).")
    String backend;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write the verdicts as CSV.")
    Path csv;

    @Option(names = "--tries", paramLabel = "N", description = "Random cases per operation after the edge cases (default: "
            + Conformance.Settings.DEFAULT_TRIES + ").")
    Integer tries;

    /** About an hour on the reference: more is a typo. */
    static final int MAX_TRIES = 100_000;

    @Option(names = "--mutants", description = "Run the contract against the planted-bug mutants instead, and print the kill table.")
    boolean mutants;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (tries != null && (tries < 0 || tries > MAX_TRIES)) {
            throw new IllegalArgumentException("--tries " + tries + ": use 0 (the edge cases alone) to " + MAX_TRIES + " random cases per operation");
        }
        Conformance.Settings settings = tries == null ? Conformance.Settings.fromSystemProperties() : new Conformance.Settings(tries);
        List<Conformance.Report> reports = new ArrayList<>();
        boolean namedButSkipped = false;
        if (mutants) {
            for (Mutant mutant : Mutants.all()) reports.add(check(mutant, settings, out, mutant.bug()));
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
                    reports.add(check(kernels, settings, out, kernels.device()));
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
        out.flush();
        if (mutants) return reports.stream().anyMatch(Conformance.Report::passed) ? 1 : 0;
        if (namedButSkipped) return 3;
        return reports.stream().allMatch(r -> r.skipped() != null || r.passed()) ? 0 : 1;
    }

    private static Conformance.Report check(KernelSet kernels, Conformance.Settings settings, PrintWriter out, String about) {
        out.printf("%s (%s), %d random cases per operation after the edge cases%n", kernels.name(), about, settings.tries());
        out.printf("  %-42s %-7s %7s %11s %11s%n", "operation", "verdict", "cases", "max |err|", "err / tol");
        Conformance.Report report = Conformance.run(kernels, settings, r -> {
            out.printf("  %-42s %-7s %7d %11.2e %11.2f%n", r.op() + " " + r.direction(), r.verdict(), r.cases(), r.maxAbsError(),
                    Double.isInfinite(r.worstRatio()) ? Double.NaN : r.worstRatio());
            if (!r.passedAll()) out.printf("      %s%n", r.firstFailure());
            out.flush();
        });
        long failed = report.results().stream().filter(r -> !r.passedAll()).count();
        out.printf("%s: %s%n%n", kernels.name(), failed == 0 ? "PASSED every operation" : "FAILED " + failed + " of " + report.results().size() + " operations");
        return report;
    }
}
