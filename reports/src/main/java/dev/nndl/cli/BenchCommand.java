package dev.nndl.cli;

import dev.nndl.bench.BenchCompare;
import dev.nndl.bench.BenchCsv;
import dev.nndl.bench.BenchReport;
import dev.nndl.bench.BenchmarkAdvisor;
import dev.nndl.bench.BenchRunner;
import dev.nndl.network.train.RunFiles;
import dev.nndl.spi.Backends;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.runner.RunnerException;
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
                "  nndl bench --backends cpu --ops training-step --out results",
                "  nndl bench --compare before/benchmarks.csv after/benchmarks.csv",
                "  nndl bench --quick --spark spark://head:7077 --machines 4 --out fleet    (the same run on four machines, one CSV)", ""})
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

    @Option(names = "--quick", description = "One fork of short iterations; every training step, but single operations at mini-batch 10 (AlexNet's at batch 1) only, and no AlexNet layer or whole network on the reference: under 10 minutes on 2 cores, enough to rank backends, not to publish. A shape --shapes names in full is measured whatever its size.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results", description = "Where benchmarks.csv goes (default: ${DEFAULT-VALUE}); "
            + "with --spark, also a Hadoop file system URI: hdfs://NAMENODE/PATH, s3a://BUCKET/PATH or file:///PATH.")
    String outDir;

    @Option(names = "--compare", arity = "2", paramLabel = "FILE",
            description = "Compare two runs instead of benchmarking: OLD NEW, each a benchmarks.csv or jmh-result.json. Prints the ratio "
                    + "of each benchmark's time with its interval and a verdict, writes compare.md beside NEW, and exits 1 when something "
                    + "got slower.")
    List<Path> compare;

    @Option(names = "--threshold", paramLabel = "PERCENT", defaultValue = "5",
            description = "With --compare: the smallest change called faster or slower (default: ${DEFAULT-VALUE} %%).")
    double threshold;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = Cluster.LOCAL,
            description = "Run this benchmark on --machines machines of a Spark cluster at MASTER (spark://HOST:PORT; local[*], the "
                    + "default, is this machine), each as one task that takes as many cores as this machine has, so that one runs per "
                    + "machine of its size. Each writes its files into OUT/machine-K, and OUT/benchmarks.csv gathers their rows, each "
                    + "naming its machine and host.")
    String spark;

    @Option(names = "--machines", paramLabel = "N", defaultValue = "1", description = "With --spark: how many machines (tasks) run the benchmark "
            + "(default: ${DEFAULT-VALUE}; at most " + MAX_MACHINES + ").")
    int machines;

    static final int MAX_MACHINES = 1000;

    /** What a machine's own {@code nndl bench} does not repeat: it gets its own directory. */
    private static final List<String> NOT_PASSED_ON = List.of("--spark", "--machines", "--out");

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (compare != null) return compare(out);
        TrainingOptions.require(machines >= 1 && machines <= MAX_MACHINES, "--machines", machines, "use 1 to " + MAX_MACHINES);
        if (spark == null && machines != 1) throw new IllegalArgumentException("--machines " + machines + " needs --spark MASTER: the machines are a Spark cluster's");
        if (spark != null) return onSpark(out);
        Path outDir = OutDir.local(this.outDir, SPARK_FIX);
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
        Pattern shapePattern;
        try {
            shapePattern = Pattern.compile(shapes);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("--shapes '" + shapes + "' is not a regular expression (" + e.getDescription() + " at index "
                    + e.getIndex() + "); give part of a shape name, e.g. ladder, or alternatives: mb64|alexnet");
        }
        if (!jmhLockFree()) throw new IllegalStateException(ANOTHER_RUN);
        List<BenchCsv.Row> rows;
        BenchRunner runner = new BenchRunner(new BenchRunner.Plan(ops, chosen, shapePattern, quick), out);
        try {
            rows = runner.run();
        } catch (RunnerException e) {
            if (String.valueOf(e.getMessage()).contains("JMH lock")) throw new IllegalStateException(ANOTHER_RUN, e);
            throw e;
        }
        Path csv = outDir.resolve("benchmarks.csv");
        StringWriter text = new StringWriter();
        BenchCsv.write(text, rows);
        RunFiles.writeAtomically(csv, text.toString().getBytes(StandardCharsets.UTF_8));
        out.printf("wrote %s (%d rows)%n", csv, rows.size());
        Path json = outDir.resolve("jmh-result.json");
        RunFiles.writeAtomically(json, runner.jmhJson().getBytes(StandardCharsets.UTF_8));
        out.printf("wrote %s (JMH's own format, raw samples included)%n", json);
        for (Path file : BenchReport.write(outDir, rows)) out.printf("wrote %s%n", file);
        if (rows.stream().anyMatch(r -> r.op().equals("training-step"))) {
            Path latest = BenchmarkAdvisor.location();
            if (!csv.toAbsolutePath().normalize().equals(latest.toAbsolutePath().normalize())) {
                RunFiles.writeAtomically(latest, Files.readAllBytes(csv));
            }
            out.printf("copied to %s, where -Dnndl.backend=auto looks for the training-step winner%n", latest);
        }
        out.flush();
        return 0;
    }

    /** How to write to a URI: what {@link OutDir#local} says when --out is one. */
    private static final String SPARK_FIX = "add --spark MASTER";

    /** The same {@code nndl bench} on each machine as a Spark task; their CSVs gathered into one. */
    private int onSpark(PrintWriter out) throws Exception {
        Cluster cluster = Cluster.find();
        try (OutDir where = OutDir.open(outDir, cluster, SPARK_FIX, null, spec)) {
            return onSpark(cluster, where, out);
        }
    }

    private int onSpark(Cluster cluster, OutDir where, PrintWriter out) throws Exception {
        Path outDir = where.dir();
        List<String> passed = Job.passedOn(spec.commandLine().getParseResult(), NOT_PASSED_ON);
        List<Job> jobs = new ArrayList<>();
        for (int m = 1; m <= machines; m++) {
            List<String> args = new ArrayList<>(List.of("bench"));
            args.addAll(passed);
            args.add("--out=" + where.at(outDir.resolve("machine-" + m)));
            jobs.add(new Job("machine " + m, args, where.at(outDir.resolve("logs").resolve("machine-" + m + ".log"))));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf("%d benchmark run%s as Spark tasks on %s, %d cores each; each writes its output to %s%n", machines, machines == 1 ? "" : "s",
                spark, cores, where.name(outDir.resolve("logs")));
        out.flush();
        List<Integer> codes = cluster.run(spark, jobs, cores, out);
        List<String> lines = new ArrayList<>(), failed = new ArrayList<>();
        for (int m = 1; m <= machines; m++) {
            Path csv = outDir.resolve("machine-" + m).resolve("benchmarks.csv");
            if (codes.get(m - 1) != 0 || !Files.isRegularFile(where.fetch(csv))) {
                failed.add(jobs.get(m - 1).name() + " (exit " + codes.get(m - 1) + ", " + jobs.get(m - 1).log() + ")");
                continue;
            }
            List<String> rows = Files.readAllLines(csv, StandardCharsets.UTF_8);
            if (lines.isEmpty()) lines.add(rows.getFirst());
            lines.addAll(rows.subList(1, rows.size()));
            out.printf("machine %d: %d rows in %s%n", m, rows.size() - 1, where.name(csv));
        }
        if (!lines.isEmpty()) {
            Path merged = outDir.resolve("benchmarks.csv");
            RunFiles.writeAtomically(merged, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
            where.put(merged);
            out.printf("wrote %s (%d rows from %d machine%s)%n", where.name(merged), lines.size() - 1, machines - failed.size(), machines - failed.size() == 1 ? "" : "s");
        }
        if (!failed.isEmpty()) out.println("did not finish: " + String.join(", ", failed));
        out.flush();
        return failed.isEmpty() ? 0 : 1;
    }

    /** {@code --compare OLD NEW}: exit 1 when a benchmark got slower, so a CI job can stop on it. */
    private int compare(PrintWriter out) throws IOException {
        if (!(threshold >= 0 && threshold < 100)) throw new IllegalArgumentException("--threshold " + threshold + ": give a percentage from 0 to 100");
        Path old = compare.get(0), now = compare.get(1);
        List<BenchCompare.Comparison> rows = BenchCompare.compare(BenchCompare.read(old), BenchCompare.read(now), threshold / 100);
        if (rows.isEmpty()) throw new IllegalArgumentException(old + " and " + now + " have no benchmark in common; compare runs of the same kind (two CSVs or two JSONs)");
        int width = rows.stream().mapToInt(r -> r.benchmark().length()).max().orElse(10);
        for (BenchCompare.Comparison r : rows) {
            out.printf(java.util.Locale.ROOT, "%-" + width + "s  %10.4g -> %-10.4g %s  x%.3f [%.3f, %.3f]  %s%n", r.benchmark(), r.old().score(), r.now().score(),
                    r.now().unit(), r.ratio(), r.low(), r.high(), r.verdict().name().toLowerCase(java.util.Locale.ROOT));
        }
        Path md = now.toAbsolutePath().resolveSibling("compare.md");
        RunFiles.writeAtomically(md, ("# " + old + " -> " + now + "\n\n" + BenchCompare.markdown(rows, threshold / 100)).getBytes(StandardCharsets.UTF_8));
        long slower = rows.stream().filter(r -> r.verdict() == BenchCompare.Verdict.SLOWER).count();
        long faster = rows.stream().filter(r -> r.verdict() == BenchCompare.Verdict.FASTER).count();
        out.printf("%d benchmarks: %d slower, %d faster, %d the same; wrote %s%n", rows.size(), slower, faster, rows.size() - slower - faster, md);
        out.flush();
        return slower > 0 ? 1 : 0;
    }

    /** JMH's lock, which one JMH run at a time holds: {@code java.io.tmpdir/jmh.lock}. */
    static final Path JMH_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");

    static final String ANOTHER_RUN = "another benchmark is running (it holds JMH's lock, " + JMH_LOCK + "); wait for it to end, "
            + "or add -Djmh.ignoreLock=true to NNDL_JAVA_OPTS to run beside it, and the two will disturb each other's timings";

    /** Whether JMH could take its lock now; with -Djmh.ignoreLock=true, JMH does not ask. */
    private static boolean jmhLockFree() throws IOException {
        if (Boolean.getBoolean("jmh.ignoreLock")) return true;
        try (FileChannel channel = FileChannel.open(JMH_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }
}
