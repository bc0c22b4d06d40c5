package dev.nndl.cli;

import dev.nndl.network.Network;
import dev.nndl.network.Rung;
import dev.nndl.network.data.Mnist;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.Ensemble;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.Predictions;
import dev.nndl.network.train.RunFiles;
import dev.nndl.network.train.Trainer;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code nndl ladder}: every rung of Nielsen's ladder, then the v6 ensemble, with a results table. */
@Command(name = "ladder", mixinStandardHelpOptions = true,
        description = {"Train Nielsen's ladder v0..v6 on MNIST, then an ensemble of v6 networks voting.",
                "Each rung trains as nndl train does, into its own directory under the output directory; the "
                + "first v6 is the ensemble's first member and the others train from the next seeds. results.csv "
                + "and results.png compare each rung's test accuracy (at its best validation epoch) with Nielsen's.",
                "Interrupted? Run it again with --resume: finished rungs are read back, the rest continue.",
                "With --spark, every rung and ensemble member is a task of Apache Spark (nndl train, into the same directories), "
                + "and the ensemble votes here when all have finished.", ""},
        footer = {"", "The full schedule (60 epochs for v0-v5, 40 for v6, five v6) takes about 7 hours on two cores, 5 of them the five v6; "
                + "--quick trains every rung for one epoch, in about 20 minutes.", "",
                "Examples:", "  nndl ladder --quick", "  nndl ladder --rungs v0,v1,v2,v3 --resume",
                "  nndl ladder --merge runs/a/results.csv,runs/b/results.csv --out runs/table    (one table and chart from two runs)",
                "  nndl ladder --rungs v6 --resume --spark --threads 1    (v6 and its four other members as Spark tasks in this JVM, a core each)", ""})
final class LadderCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "One epoch per rung and per ensemble member.")
    boolean quick;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs for every rung (default: Nielsen's; 1 with --quick).")
    Integer epochs;

    @Option(names = "--rungs", split = ",", paramLabel = "RUNG", description = "Rungs to train (default: v0..v6); the ensemble needs v6.")
    List<String> rungs = Rung.ids();

    @Option(names = "--members", paramLabel = "N", defaultValue = "5", description = "v6 networks in the ensemble (default: ${DEFAULT-VALUE}; 1 for none; at most "
            + MAX_MEMBERS + ").")
    int members;

    /** Each member is a full v6 run: more than this is a typo. */
    static final int MAX_MEMBERS = 100;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/ladder, or runs/ladder-quick with --quick); "
            + "one ladder at a time, and one that already holds files needs --resume or --force. With --spark, also a Hadoop file system URI: "
            + "hdfs://NAMENODE/PATH, s3a://BUCKET/PATH or file:///PATH.")
    String outDir;

    @Option(names = "--spark", paramLabel = "MASTER", arity = "0..1", fallbackValue = Cluster.LOCAL,
            description = "Train every rung and ensemble member as a task of Apache Spark on MASTER: local[*] (Spark in this JVM, a task "
                    + "per core; the default), local[N], or spark://HOST:PORT; the ensemble then votes here. --threads sets each task's cores.")
    String spark;

    @Option(names = "--merge", split = ",", paramLabel = "CSV", description = "Train nothing: read the results.csv of earlier ladder runs "
            + "(a rung in several takes its row in the last), print one table of them and draw results.png in --out (which it needs).")
    List<Path> merge;

    /** The options a rung's own {@code nndl train} does not take, or gets from the ladder's plan. */
    private static final List<String> LADDER_ONLY = List.of("--quick", "--epochs", "--rungs", "--members", "--out", "--spark", "--seed", "--data", "--merge");

    @Mixin
    TrainingOptions options;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (merge != null) return merge(out);
        TrainingOptions.require(members >= 1 && members <= MAX_MEMBERS, "--members", members, "use 1 (no ensemble) to " + MAX_MEMBERS);
        TrainingOptions.require(epochs == null || (epochs >= 1 && epochs <= TrainingOptions.MAX_EPOCHS), "--epochs", epochs,
                "use 1 to " + TrainingOptions.MAX_EPOCHS);
        options.check();
        List<Rung> chosen = new ArrayList<>();
        for (String id : rungs) chosen.add(Rung.of(id));
        String where = outDir != null ? outDir : Path.of("runs", quick ? "ladder-quick" : "ladder").toString();
        List<RunFiles.ResultRow> rows = new ArrayList<>();
        long start = System.nanoTime();
        Cluster cluster = spark == null ? null : Cluster.find();
        try (OutDir runs = OutDir.open(where, cluster, "add --spark MASTER", options, spec); KernelSet kernels = options.start(out)) {
            Path dir = runs.dir();
            Path data = TrainingOptions.locate(options.data, out);
            out.printf("MNIST from %s%n", data);
            out.flush();
            Mnist.Splits plain = Mnist.load(data).split();
            List<Path> ensemble = cluster == null ? sequential(kernels, chosen, plain, dir, rows, out) : onSpark(cluster, chosen, data, runs, rows, out);
            if (ensemble.size() > 1) {
                for (Path member : ensemble) runs.fetch(member.resolve(Trainer.BEST));
                rows.add(vote(kernels, ensemble, plain, rows, out));
                RunFiles.writeResults(dir.resolve(RunFiles.RESULTS_CSV), rows, kernels);
                runs.put(dir.resolve(RunFiles.RESULTS_CSV));
            }
            RunFiles.writeLadderChart(dir.resolve("results.png"), rows.stream().filter(this::charted).toList());
            runs.put(dir.resolve("results.png"));
            table(out, rows);
            out.printf(Locale.ROOT, "%nthe ladder took %s; files in %s%n", ProgressBar.clock((System.nanoTime() - start) * 1e-9), runs);
        }
        out.flush();
        return 0;
    }

    /** Each rung, then the other members, one after another here; returns the ensemble's run directories (the first v6 and the members). */
    private List<Path> sequential(KernelSet kernels, List<Rung> chosen, Mnist.Splits plain, Path dir, List<RunFiles.ResultRow> rows, PrintWriter out)
            throws IOException {
        Mnist.Splits expanded = null;
        List<Path> ensemble = new ArrayList<>();
        for (Rung rung : chosen) {
            if (rung.expanded() && expanded == null) expanded = rung.data(plain);
            Plan plan = plan(rung, options.seed);
            out.printf(Locale.ROOT, "%n%s: %s (Nielsen: %.2f %%)%n", rung.id(), rung.change(), rung.publishedAccuracy());
            Trainer.Result result = train(kernels, plan, rung.expanded() ? expanded : plain, dir.resolve(rung.id()), out);
            rows.add(RunFiles.ResultRow.of(result));
            RunFiles.writeResults(dir.resolve(RunFiles.RESULTS_CSV), rows, kernels);
            if (rung == Rung.V6) ensemble.add(dir.resolve(rung.id()));
        }
        if (!ensemble.isEmpty() && members > 1) {
            for (int m = 1; m < members; m++) {
                Plan plan = plan(Rung.V6, options.seed + m);
                out.printf("%nensemble member %d of %d: v6, seed %d%n", m + 1, members, plan.seed());
                Path memberDir = member(dir, plan.seed());
                Trainer.Result result = train(kernels, plan, expanded, memberDir, out);
                ensemble.add(memberDir);
                rows.add(RunFiles.ResultRow.of(result));
            }
        }
        return ensemble;
    }

    /**
     * Every rung and member as one {@code nndl train} task on the cluster, into the directories the
     * sequential ladder uses, so either resumes the other's runs; their rows come back from their
     * results.csv. Returns the ensemble's run directories (under {@link OutDir#dir()}).
     */
    private List<Path> onSpark(Cluster cluster, List<Rung> chosen, Path data, OutDir where, List<RunFiles.ResultRow> rows, PrintWriter out) throws Exception {
        Path dir = where.dir();
        List<String> passed = Job.passedOn(spec.commandLine().getParseResult(), LADDER_ONLY);
        passed.add("--data=" + data.toAbsolutePath());
        List<Job> jobs = new ArrayList<>();
        List<Path> runs = new ArrayList<>(), ensemble = new ArrayList<>();
        for (Rung rung : chosen) {
            runs.add(dir.resolve(rung.id()));
            jobs.add(job(rung.id(), plan(rung, options.seed), runs.getLast(), where, passed));
            if (rung == Rung.V6) ensemble.add(runs.getLast());
        }
        if (!ensemble.isEmpty()) {
            for (int m = 1; m < members; m++) {
                Plan plan = plan(Rung.V6, options.seed + m);
                runs.add(member(dir, plan.seed()));
                jobs.add(job("v6-seed-" + plan.seed(), plan, runs.getLast(), where, passed));
                ensemble.add(runs.getLast());
            }
        }
        Job.announce(out, jobs.size(), spark, options.threads, where.name(dir.resolve("logs")));
        List<Integer> codes = cluster.run(spark, jobs, options.threads == null ? 1 : options.threads, out);
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            if (codes.get(i) != 0) failed.add(jobs.get(i).name() + " (exit " + codes.get(i) + ", " + jobs.get(i).log() + ")");
            else rows.addAll(RunFiles.readResults(where.fetch(runs.get(i).resolve(RunFiles.RESULTS_CSV))));
        }
        if (!failed.isEmpty()) throw new IllegalStateException("these runs did not finish: " + String.join(", ", failed));
        return ensemble;
    }

    private static Job job(String name, Plan plan, Path run, OutDir where, List<String> passed) {
        List<String> args = new ArrayList<>(List.of("train", "--model=" + plan.model().id(), "--epochs=" + plan.epochs(), "--seed=" + plan.seed(),
                "--out=" + where.at(run)));
        args.addAll(passed);
        return new Job(name, args, where.at(where.dir().resolve("logs").resolve(name + ".log")));
    }

    private static Path member(Path dir, long seed) {
        return dir.resolve("ensemble").resolve("v6-seed-" + seed);
    }

    private Plan plan(Rung rung, long seed) {
        Plan plan = options.update(Plan.of(rung, seed));
        return epochs != null ? plan.withEpochs(epochs) : quick ? plan.withEpochs(1) : plan;
    }

    private Trainer.Result train(KernelSet kernels, Plan plan, Mnist.Splits data, Path dir, PrintWriter out) throws IOException {
        Trainer.Result result = new Trainer(kernels, new ProgressBar(out, plan.model().id()))
                .train(plan, data.training(), data.validation(), data.test(), dir, options.existing());
        TrainCommand.summary(out, result);
        return result;
    }

    /** The members' best-validation weights vote on the validation and test sets. */
    private static RunFiles.ResultRow vote(KernelSet kernels, List<Path> dirs, Mnist.Splits data, List<RunFiles.ResultRow> rows, PrintWriter out)
            throws IOException {
        List<Predictions> validation = new ArrayList<>(), test = new ArrayList<>();
        for (Path dir : dirs) {
            Path file = dir.resolve(Trainer.BEST);
            Network network = Checkpoint.read(file).network(kernels, file);
            validation.add(Predictions.of(network, data.validation()));
            test.add(Predictions.of(network, data.test()));
        }
        double v = Ensemble.vote(validation).accuracy(), t = Ensemble.vote(test).accuracy();
        RunFiles.ResultRow first = rows.stream().filter(r -> r.model().equals("v6")).findFirst().orElseThrow();
        double imagesPerSecond = rows.stream().filter(r -> r.model().equals("v6")).mapToDouble(RunFiles.ResultRow::imagesPerSecond).average().orElseThrow();
        out.printf(Locale.ROOT, "%nensemble of %d v6: validation %.2f %%, test %.2f %% (Nielsen %.2f %%, %+.2f points)%n", dirs.size(), v, t,
                Rung.ENSEMBLE_ACCURACY, t - Rung.ENSEMBLE_ACCURACY);
        return new RunFiles.ResultRow("ensemble-" + dirs.size(), first.epochs(), 0, v, t, Rung.ENSEMBLE_ACCURACY, "Nielsen", imagesPerSecond, first.batch(), first.seed());
    }

    /**
     * One table from several runs' results: each model's row from the last file that has it (only
     * the rows a ladder's chart shows, {@link #charted}), in the ladder's order.
     */
    private int merge(PrintWriter out) throws IOException {
        if (outDir == null) {
            // the default, runs/ladder, may hold a ladder whose chart this would replace
            throw new IllegalArgumentException("--merge needs --out DIR: the folder for the merged chart, results.png");
        }
        java.util.Map<String, RunFiles.ResultRow> latest = new java.util.LinkedHashMap<>();
        for (Path file : merge) {
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new dev.nndl.spi.BadFileException(file, "no such file: --merge takes the results.csv files that nndl ladder or nndl train wrote");
            }
            for (RunFiles.ResultRow r : RunFiles.readResults(file)) {
                if (charted(r)) latest.put(r.model(), r);
            }
        }
        List<RunFiles.ResultRow> rows = new ArrayList<>(latest.values());
        rows.sort(java.util.Comparator.comparingInt(r -> order(r.model())));
        if (rows.isEmpty()) throw new dev.nndl.spi.BadFileException(merge.getFirst(), "holds no results rows");
        Path dir = Path.of(outDir);
        java.nio.file.Files.createDirectories(dir);
        RunFiles.writeLadderChart(dir.resolve("results.png"), rows);
        table(out, rows);
        out.printf("%nchart in %s%n", dir.resolve("results.png"));
        out.flush();
        return 0;
    }

    /** Whether the chart shows this row: each rung once (the v6 of {@code --seed} stands for its ensemble's members) and the vote. */
    private boolean charted(RunFiles.ResultRow r) {
        return !r.model().equals("v6") || r.seed() == options.seed;
    }

    /** The ladder's rungs in order, then the ensemble, then anything else. */
    private static int order(String model) {
        int rung = Rung.ids().indexOf(model);
        return rung >= 0 ? rung : model.startsWith("ensemble") ? Rung.ids().size() : Rung.ids().size() + 1;
    }

    private static void table(PrintWriter out, List<RunFiles.ResultRow> rows) {
        out.printf("%n%-11s %5s %6s %5s %11s %8s %8s %7s %9s%n", "rung", "seed", "epochs", "best", "validation", "test", "Nielsen", "diff", "img/s");
        for (RunFiles.ResultRow r : rows) {
            out.printf(Locale.ROOT, "%-11s %5d %6d %5s %11s %7.2f%% %7.2f%% %+7.2f %9s%n", r.model(), r.seed(), r.epochs(), r.bestEpoch() == 0 ? "-" : r.bestEpoch(),
                    Double.isNaN(r.validationAccuracy()) ? "-" : String.format(Locale.ROOT, "%.2f%%", r.validationAccuracy()), r.testAccuracy(),
                    r.publishedAccuracy(), r.testAccuracy() - r.publishedAccuracy(),
                    Double.isNaN(r.imagesPerSecond()) ? "-" : String.format(Locale.ROOT, "%,.0f", r.imagesPerSecond()));
        }
    }
}
