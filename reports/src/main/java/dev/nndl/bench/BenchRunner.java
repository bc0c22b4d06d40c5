package dev.nndl.bench;

import dev.nndl.conformance.Conformance;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;
import dev.nndl.spi.Machine;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleBiFunction;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the benchmarks through JMH's runner API, one configuration at a time so it can report
 * progress, and turns the results into {@link BenchCsv} rows: GFLOP/s from each benchmark's FLOP
 * formula, percent of the FP32 FMA peak measured in the same run, speedup over the reference,
 * and the backend's conformance verdict.
 *
 * <p>Forks, warm-up and iterations: the machine is shared and noisy, so a full run uses 3 forks
 * of 5 one-second warm-up and 5 one-second measured iterations and reports JMH's 99.9% error;
 * {@code quick} uses one fork of one 1.5-second warm-up iteration (C2 needs about a second) and
 * five 0.2-second measured ones (with fewer, JMH's Student-t error bar balloons: t = 31.6 for
 * three); it runs every training step ({@code auto}'s evidence) but of the single operations only
 * one mini-batch size (10, Nielsen's), AlexNet at batch 1, no LeNet layers, not the 100 x 10
 * softmax layer, and the LSTM at the small recurrent task only ({@link #QUICK_LEAVES_OUT}), unless
 * {@code --shapes} names a shape in full; whole networks forward and backward only; neither
 * AlexNet's layers nor whole networks on the reference
 * (which takes up to 1.6 s for one AlexNet layer and 19 s for one forward and backward pass of
 * GoogLeNet at batch 1; those rows then have no speedup): 97 benchmarks with three backends,
 * enough to rank them in under ten minutes on two cores, not to publish. 116 of them took 9 min
 * 15 s on a 2-core Zen 3, so the run was cut further to leave room on slower machines. Whole
 * networks at batch 64 never run on the reference, in either mode.
 */
public final class BenchRunner {

    /** A family of benchmarks: its JMH class, its operation name, shapes and directions, and FLOPs per call by shape and direction. */
    public record Family(String op, Class<?> benchmark, Map<String, ?> shapes, List<String> directions, ToDoubleBiFunction<String, String> flops) {}

    public static final List<Family> FAMILIES = List.of(
            new Family("conv2d", ConvolutionBenchmark.class, BenchShapes.CONV, List.of("forward", "backward-data", "backward-weights"),
                    (shape, direction) -> ConvolutionBenchmark.flops(shape)),
            new Family("fully-connected", FullyConnectedBenchmark.class, BenchShapes.FC, List.of("forward", "backward-data", "backward-weights"),
                    (shape, direction) -> FullyConnectedBenchmark.flops(shape)),
            new Family("max-pool2d", PoolingBenchmark.class, BenchShapes.POOL, List.of("forward", "backward"),
                    (shape, direction) -> PoolingBenchmark.flops(shape)),
            new Family("training-step", TrainingStepBenchmark.class, steps(), List.of("step"), (shape, direction) -> TrainingStepBenchmark.flops(shape)),
            new Family("network", NetworkBenchmark.class, NetworkBenchmark.SHAPES, List.of("forward", "forward-backward"),
                    NetworkBenchmark::flops),
            new Family("recurrent", RecurrentBenchmark.class, RecurrentBenchmark.SHAPES, List.of("forward", "backward"), RecurrentBenchmark::flops));

    private static Map<String, String> steps() {
        Map<String, String> steps = new LinkedHashMap<>();
        for (String rung : dev.nndl.network.Rung.ids()) steps.put(rung + "-mb10", rung + "-mb10");
        steps.put("v3-mb64", "v3-mb64");
        steps.put("lenet5-mb10", "lenet5-mb10");
        return steps;
    }

    /** The shapes of single operations a quick run leaves out; it keeps every training step. */
    public static final Pattern QUICK_LEAVES_OUT = Pattern.compile("-mb64$|-b8$|-b64$|^lenet-|-zaremba-|^rnn-|-fc100x10-");

    /** Whether a quick run measures {@code shape} of {@code family}: every training step, and any shape {@code --shapes} names in full. */
    static boolean inQuick(Family family, String shape, Pattern shapes) {
        return family.op().equals("training-step") || !QUICK_LEAVES_OUT.matcher(shape).find() || shapes.matcher(shape).matches();
    }

    /** What to run. */
    public record Plan(List<String> ops, List<String> backends, Pattern shapes, boolean quick) {}

    private final Plan plan;
    private final PrintWriter out;
    private final List<RunResult> runResults = new ArrayList<>();

    public BenchRunner(Plan plan, PrintWriter out) {
        this.plan = plan;
        this.out = out;
    }

    /** Runs the plan and returns the CSV rows; backends that cannot start are reported and left out. */
    public List<BenchCsv.Row> run() throws RunnerException {
        String timestamp = Instant.now().toString(), commit = GitCommit.current(), jdk = Runtime.version().toString(), machine = Machine.describe();
        Map<String, KernelSetProvider> providers = Backends.providers();
        Map<String, String[]> backends = new LinkedHashMap<>();
        for (String name : plan.backends()) {
            KernelSetProvider provider = providers.get(name);
            if (provider == null || !provider.availability().available()) {
                out.printf("%s: skipped: %s%n", name, Backends.availability(name).reason());
                continue;
            }
            try (KernelSet kernels = provider.create()) {
                Conformance.Report report = Conformance.run(kernels, new Conformance.Settings(plan.quick() ? 3 : 20), r -> {});
                backends.put(name, new String[] {kernels.device(), String.valueOf(kernels.threads()), report.passed() ? "pass" : "FAIL"});
                out.printf("%s: %s, conformance %s%n", name, kernels.device(), report.passed() ? "pass" : "FAIL");
            }
        }
        out.flush();
        Map<Integer, Double> peak = new HashMap<>();
        List<BenchCsv.Row> rows = new ArrayList<>();
        for (int threads : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            if (peak.containsKey(threads)) continue;
            RunResult r = single(options(FmaPeakBenchmark.class, "fma").threads(threads));
            double gflops = threads * FmaPeakBenchmark.FLOPS / (micros(r.getPrimaryResult()) * 1e-6) / 1e9;
            peak.put(threads, gflops);
            out.printf("peak FP32 FMA rate, %d thread%s: %.1f GFLOP/s%n", threads, threads == 1 ? "" : "s", gflops);
            Result p = r.getPrimaryResult();
            rows.add(new BenchCsv.Row(timestamp, commit, jdk, machine, "fma-peak", "-", "fma-loop", threads + " threads", "java", "Vector API "
                    + jdk, threads, "avgt", p.getScore(), p.getScoreError(), p.getScoreUnit(), gflops, 100, Double.NaN, "", p.getStatistics().getN(),
                    forkMeans(r)));
            out.flush();
        }
        // the reference first in every (operation, shape, direction), so every other row has its speedup
        List<String> order = new ArrayList<>(backends.keySet());
        order.sort(java.util.Comparator.comparing(name -> !name.equals("reference")));
        List<String[]> configurations = configurations(plan, order);
        Map<String, Double> referenceScore = new HashMap<>();
        int done = 0;
        for (String[] c : configurations) {
            Family family = FAMILIES.stream().filter(f -> f.op().equals(c[0])).findFirst().orElseThrow();
            ChainedOptionsBuilder options = options(family.benchmark(), KernelBenchmark.method(c[2])).param("shape", c[1]).param("backend", c[3]);
            RunResult r = single(options);
            Result p = r.getPrimaryResult();
            double micros = micros(p), gflops = family.flops().applyAsDouble(c[1], c[2]) / (micros * 1e-6) / 1e9;
            String[] b = backends.get(c[3]);
            int threads = Integer.parseInt(b[1]);
            String key = c[0] + " " + c[2] + " " + c[1];
            if (c[3].equals("reference")) referenceScore.put(key, micros);
            double speedup = referenceScore.containsKey(key) ? referenceScore.get(key) / micros : Double.NaN;
            double pct = family.op().equals("max-pool2d") ? Double.NaN : 100 * gflops / peak.getOrDefault(threads, peak.get(1));
            rows.add(new BenchCsv.Row(timestamp, commit, jdk, machine, c[0], c[2], c[1], shapeOf(family, c[1]), c[3], b[0], threads, "avgt",
                    p.getScore(), p.getScoreError(), p.getScoreUnit(), gflops, pct, speedup, b[2], p.getStatistics().getN(), forkMeans(r)));
            out.printf("[%d/%d] %-16s %-16s %-22s %-9s %10.1f ± %-8.1f us  %7.1f GFLOP/s  %s%n", ++done, configurations.size(), c[0], c[2], c[1], c[3],
                    p.getScore(), p.getScoreError(), gflops, Double.isNaN(pct) ? "" : String.format("%4.1f%% of peak", pct));
            out.flush();
        }
        return rows;
    }

    /** The benchmarks of {@code plan} on {@code backends}, in order: operation, shape, direction, backend. */
    static List<String[]> configurations(Plan plan, List<String> backends) {
        List<String[]> configurations = new ArrayList<>();
        for (Family family : FAMILIES) {
            if (!plan.ops().contains(family.op())) continue;
            for (String shape : family.shapes().keySet()) {
                if (!plan.shapes().matcher(shape).find() || plan.quick() && !inQuick(family, shape, plan.shapes())) continue;
                for (String direction : family.directions()) {
                    for (String backend : backends) {
                        // a whole network at batch 64 takes the reference minutes a call: it ranks nothing
                        if (backend.equals("reference") && family.op().equals("network") && shape.endsWith("-b64")) continue;
                        if (plan.quick() && backend.equals("reference") && (family.op().equals("network") || shape.startsWith("alexnet-"))) continue;
                        if (plan.quick() && family.op().equals("network") && direction.equals("forward")) continue; // forward-backward ranks the same
                        configurations.add(new String[] {family.op(), shape, direction, backend});
                    }
                }
            }
        }
        return configurations;
    }

    /** JMH's own report of every benchmark run so far, with the raw samples: {@code jmh-result.json} for JMH's tools. */
    public String jmhJson() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream print = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8)) {
            org.openjdk.jmh.results.format.ResultFormatFactory.getInstance(org.openjdk.jmh.results.format.ResultFormatType.JSON, print)
                    .writeOut(runResults);
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String shapeOf(Family family, String name) {
        return String.valueOf(family.shapes().get(name));
    }

    private ChainedOptionsBuilder options(Class<?> benchmark, String method) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include(Pattern.quote(benchmark.getName() + "." + method) + "$")
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "--sun-misc-unsafe-memory-access=allow", "-Djava.util.logging.config.file=/dev/null")
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .timeUnit(TimeUnit.MICROSECONDS);
        if (plan.quick()) {
            b.forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(1500)).measurementIterations(5).measurementTime(TimeValue.milliseconds(200));
        } else {
            b.forks(3).warmupIterations(5).warmupTime(TimeValue.seconds(1)).measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        for (String property : List.of(Backends.PROPERTY, "nndl.cpu.threads", "nndl.cpu.vectorBits", "nndl.aparapi.device")) {
            String value = System.getProperty(property);
            if (value != null) b.jvmArgsAppend("-D" + property + "=" + value);
        }
        return b;
    }

    private RunResult single(ChainedOptionsBuilder options) throws RunnerException {
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.size() != 1) throw new IllegalStateException("expected one benchmark result, got " + results.size());
        RunResult result = results.iterator().next();
        runResults.add(result);
        return result;
    }

    /** Each fork's mean score, or none with one fork. */
    private static List<Double> forkMeans(RunResult r) {
        List<Double> means = new ArrayList<>();
        for (org.openjdk.jmh.results.BenchmarkResult fork : r.getBenchmarkResults()) means.add(fork.getPrimaryResult().getScore());
        return means.size() < 2 ? List.of() : means;
    }

    private static double micros(Result r) {
        if (!r.getScoreUnit().equals("us/op")) throw new IllegalStateException("unexpected unit " + r.getScoreUnit());
        return r.getScore();
    }
}
