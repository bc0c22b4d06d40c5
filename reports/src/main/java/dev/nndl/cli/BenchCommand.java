package dev.nndl.cli;

import dev.nndl.bench.BenchCsv;
import dev.nndl.bench.BenchReport;
import dev.nndl.bench.BenchmarkAdvisor;
import dev.nndl.bench.BenchRunner;
import dev.nndl.spi.Backends;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nndl bench}: JMH benchmarks per operation, shape and backend, as CSV. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the operations on each backend with JMH and write benchmarks.csv, a chart per "
                + "operation (chart-OP.png) and a markdown summary (benchmarks.md).",
                "Each row: the operation, shape, backend and device, the time with its error, GFLOP/s, percent "
                + "of the FP32 FMA peak measured in the same run, speedup over the reference, and the backend's "
                + "conformance verdict.", ""},
        footer = {"", "Examples:", "  nndl bench --quick --ops conv2d --shapes ladder",
                "  nndl bench --backends cpu --ops training-step --out results", ""})
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--ops", split = ",", paramLabel = "OP",
            description = "Operation families: conv2d, fully-connected, max-pool2d, training-step, network, recurrent (default: all).")
    List<String> ops = new ArrayList<>(BenchRunner.FAMILIES.stream().map(BenchRunner.Family::op).toList());

    @Option(names = "--backends", split = ",", paramLabel = "NAME", description = "Backends to run (default: every one on the class path; the project's others are reported as skipped, with why).")
    List<String> backends;

    @Option(names = "--shapes", paramLabel = "REGEX", defaultValue = ".",
            description = "Only shapes whose name matches, e.g. ladder, mb64, alexnet (default: all).")
    String shapes;

    @Option(names = "--quick", description = "One fork of short iterations (about 4 s per benchmark), whole networks at batch 1 only and not on the reference: under 10 minutes on 2 cores, enough to rank backends, not to publish.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results", description = "Where benchmarks.csv goes (default: ${DEFAULT-VALUE}).")
    Path outDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<String> known = BenchRunner.FAMILIES.stream().map(BenchRunner.Family::op).toList();
        for (String op : ops) {
            if (!known.contains(op)) throw new IllegalArgumentException("unknown operation family '" + op + "'; known: " + String.join(", ", known));
        }
        List<String> chosen = backends;
        if (chosen == null) {
            // every backend on the class path, and the project's others, which the run reports as skipped with the reason
            chosen = new ArrayList<>(Backends.providers().keySet());
            for (String name : Backends.AUTO_ORDER) if (!chosen.contains(name)) chosen.add(name);
        }
        List<BenchCsv.Row> rows = new BenchRunner(new BenchRunner.Plan(ops, chosen, Pattern.compile(shapes), quick), out).run();
        Files.createDirectories(outDir);
        Path csv = outDir.resolve("benchmarks.csv");
        try (Writer writer = Files.newBufferedWriter(csv)) {
            BenchCsv.write(writer, rows);
        }
        out.printf("wrote %s (%d rows)%n", csv, rows.size());
        for (Path file : BenchReport.write(outDir, rows)) out.printf("wrote %s%n", file);
        if (rows.stream().anyMatch(r -> r.op().equals("training-step"))) {
            Path latest = BenchmarkAdvisor.location();
            if (!csv.toAbsolutePath().normalize().equals(latest.toAbsolutePath().normalize())) {
                Files.createDirectories(latest.toAbsolutePath().getParent());
                Files.copy(csv, latest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            out.printf("copied to %s, where -Dnndl.backend=auto looks for the training-step winner%n", latest);
        }
        out.flush();
        return 0;
    }
}
