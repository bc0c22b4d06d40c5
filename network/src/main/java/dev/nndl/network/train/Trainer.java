package dev.nndl.network.train;

import dev.nndl.network.Network;
import dev.nndl.network.data.Mnist;
import dev.nndl.network.data.Samples;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains a rung by mini-batch SGD as network3.py does, into a run directory, and checkpoints it
 * after every epoch so a killed run resumes to the same weights.
 *
 * <p>network3.py semantics: each epoch walks the training images in their stored order (network3
 * never shuffles; the expanded set was shuffled once when it was made, see {@link Mnist#expand})
 * in {@code count / batch} mini-batches, dropping a remainder; the L2 term is
 * {@code lambda / batches} per step; the plan's momentum and schedule (by default none and a
 * constant rate, as in network3) set the update and each epoch's rate; after the epoch the whole validation and test sets are
 * scored, and the run's result is the test accuracy at the best validation epoch (the last of
 * equals, as network3's {@code >=} picks).
 *
 * <p>The run directory holds {@value #CHECKPOINT} (after the latest epoch), {@value #BEST} (the
 * weights of the best validation epoch so far), {@value RunFiles#EPOCHS_CSV} (a row per epoch),
 * {@value RunFiles#CURVE} and {@value RunFiles#FILTERS}. Every file is replaced whole, never
 * half-written.
 */
public final class Trainer {

    public static final String CHECKPOINT = "checkpoint.nndl";
    public static final String BEST = "best.nndl";

    /** What a trainer reports while it works; every method has a do-nothing default. */
    public interface Listener {
        /** Training starts at {@code firstEpoch} ({@code > 1} when resumed from {@code checkpoint}, else it is null). */
        default void started(Plan plan, int firstEpoch, Checkpoint checkpoint) {}

        /** After each mini-batch: {@code images} of {@code total} done in this epoch, at {@code imagesPerSecond} so far. */
        default void progress(Plan plan, int epoch, long images, long total, double imagesPerSecond) {}

        /** An epoch ended and its files are written; {@code best} if its validation accuracy is the best so far. */
        default void epoch(Plan plan, Epoch epoch, boolean best) {}
    }

    /** The epochs of a run, and the one its result is read from. */
    public record Result(Plan plan, List<Epoch> history) {
        public Result {
            if (history.isEmpty()) throw new IllegalArgumentException("a result needs at least one epoch");
            history = List.copyOf(history);
        }

        /** The epoch with the best validation accuracy, the last of equals (network3's {@code >=}). */
        public Epoch best() {
            return Trainer.best(history);
        }

        /** Mean training throughput over the epochs, images per second. */
        public double imagesPerSecond() {
            return history.stream().mapToDouble(Epoch::imagesPerSecond).average().orElseThrow();
        }
    }

    private final KernelSet kernels;
    private final Listener listener;
    private final List<float[]> initial;

    public Trainer(KernelSet kernels, Listener listener) {
        this(kernels, listener, null);
    }

    private Trainer(KernelSet kernels, Listener listener, List<float[]> initial) {
        this.kernels = kernels;
        this.listener = listener;
        this.initial = initial;
    }

    /**
     * This trainer, starting a run (not resuming one) from {@code weights} instead of the
     * plan's seed: one array per parameter of the model's network, in its order (as
     * {@link SafeTensors#read} gives them). Velocities start at zero; dropout still follows the
     * seed.
     */
    public Trainer startingFrom(List<float[]> weights) {
        return new Trainer(kernels, listener, List.copyOf(weights));
    }

    /**
     * Trains {@code plan} on {@code data} (its training set already the rung's: plain or expanded)
     * into {@code dir}. If {@code dir} holds a checkpoint, {@code resume} must be set and the plan
     * must match it except for the number of epochs; the run then continues after its last epoch.
     */
    public Result train(Plan plan, Mnist.Splits data, Path dir, boolean resume) throws IOException {
        return train(plan, data.training(), data.validation(), data.test(), dir, resume);
    }

    /** As {@link #train(Plan, Mnist.Splits, Path, boolean)}, for any samples: MNIST's, or augmented photographs. */
    public Result train(Plan plan, Samples training, Samples validation, Samples test, Path dir, boolean resume) throws IOException {
        return train(plan, training, validation, test, dir, resume ? Existing.RESUME : Existing.REFUSE);
    }

    /** What to do with a checkpoint already in the run directory. */
    public enum Existing {
        /** Stop, saying so: the default, so that no run's files are overwritten by mistake. */
        REFUSE,
        /** Continue after its last epoch (or start, if there is none). */
        RESUME,
        /** Start over and overwrite it, without reading it. */
        REPLACE
    }

    /** As {@link #train(Plan, Samples, Samples, Samples, Path, boolean)}, with {@code existing} saying what to do with a checkpoint there. */
    public Result train(Plan plan, Samples training, Samples validation, Samples test, Path dir, Existing existing) throws IOException {
        if (training.count() < plan.batch()) {
            throw new IllegalArgumentException(training.count() + " training images do not fill one mini-batch of " + plan.batch());
        }
        Files.createDirectories(dir);
        Path checkpointFile = dir.resolve(CHECKPOINT);
        Network network = plan.model().build(kernels, plan.batch(), plan.seed());
        List<Epoch> history = new ArrayList<>();
        Checkpoint checkpoint = null;
        // any entry counts, a dangling link included: Files.exists alone would follow it and start over
        if (existing != Existing.REPLACE && Files.exists(checkpointFile, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.exists(checkpointFile)) {
                throw new Checkpoint.CorruptCheckpointException(checkpointFile, "is a link to " + Files.readSymbolicLink(checkpointFile) + ", which does not exist");
            }
            checkpoint = Checkpoint.read(checkpointFile);
            if (existing == Existing.REFUSE) {
                throw new IllegalStateException(dir + " already holds a run of " + checkpoint.plan().model().id() + " at epoch " + checkpoint.epochs()
                        + "; pass --resume to continue it, --force to start it over, or choose another --out");
            }
            String difference = checkpoint.plan().differenceFrom(plan);
            if (difference != null) {
                throw new IllegalStateException("cannot resume " + checkpointFile + " with a different plan (" + difference
                        + "); resume with the checkpoint's settings, or choose another --out");
            }
            checkpoint.restore(network, checkpointFile);
            history.addAll(checkpoint.history());
            if (!history.isEmpty()) RunFiles.write(dir, plan, kernels, network, history);
        }
        if (checkpoint == null && initial != null) start(network, initial);
        listener.started(plan, history.size() + 1, checkpoint);
        for (int epoch = history.size() + 1; epoch <= plan.epochs(); epoch++) {
            Epoch e = epoch(network, plan, epoch, training, validation, test, plan.schedule().eta(plan.eta(), history));
            boolean best = history.stream().allMatch(h -> e.validationAccuracy() >= h.validationAccuracy());
            history.add(e);
            // the network's own arrays, not a copy: both files are written before it trains again
            Checkpoint after = Checkpoint.live(plan, kernels.name(), network, history);
            if (best) after.write(dir.resolve(BEST));
            after.write(checkpointFile);
            RunFiles.write(dir, plan, kernels, network, history);
            listener.epoch(plan, e, best);
        }
        return new Result(plan, history);
    }

    private static void start(Network network, List<float[]> weights) {
        List<dev.nndl.network.layer.Layer.Parameter> params = network.parameters();
        if (weights.size() != params.size()) throw new IllegalArgumentException(weights.size() + " initial arrays for " + params.size() + " parameters");
        for (int i = 0; i < params.size(); i++) {
            float[] into = params.get(i).value();
            if (weights.get(i).length != into.length) {
                throw new IllegalArgumentException("initial array " + i + " holds " + weights.get(i).length + " values for " + into.length);
            }
            System.arraycopy(weights.get(i), 0, into, 0, into.length);
            network.kernels().upload(into);
        }
    }

    private Epoch epoch(Network network, Plan plan, int epoch, Samples train, Samples validation, Samples test, float eta) {
        int batch = plan.batch(), size = train.size(), classes = network.classes(), batches = train.count() / batch;
        if (batches == 0) throw new IllegalArgumentException(train.count() + " training images do not fill one mini-batch of " + batch);
        float decay = plan.model().weightDecay(plan.lambda(), batches);
        float[] x = new float[batch * size], y = new float[batch * classes];
        double cost = 0;
        long start = System.nanoTime();
        for (int b = 0; b < batches; b++) {
            train.copy(b * batch, batch, x, network.steps());
            java.util.Arrays.fill(y, 0);
            for (int n = 0; n < batch; n++) y[n * classes + train.label(b * batch + n)] = 1;
            kernels.upload(x, y);
            network.trainStep(x, y, eta, plan.momentum(), decay);
            cost += network.meanLoss(y);
            long images = (long) (b + 1) * batch;
            listener.progress(plan, epoch, images, (long) batches * batch, images / seconds(start));
        }
        double trainSeconds = seconds(start);
        if (!Double.isFinite(cost)) {
            throw new IllegalStateException(plan.model().id() + " diverged in epoch " + epoch + " (training cost " + cost + ") at eta " + eta
                    + (plan.lambda() == 0 ? "" : ", lambda " + plan.lambda()) + (plan.momentum() == 0 ? "" : ", momentum " + plan.momentum())
                    + "; try a smaller --eta" + (plan.lambda() == 0 ? "" : " or --lambda") + (plan.momentum() == 0 ? "" : " or --momentum"));
        }
        long evalStart = System.nanoTime();
        double validationAccuracy = Predictions.of(network, validation).accuracy(), testAccuracy = Predictions.of(network, test).accuracy();
        return new Epoch(epoch, cost / batches, validationAccuracy, testAccuracy, (double) batches * batch / trainSeconds, trainSeconds, seconds(evalStart));
    }

    static Epoch best(List<Epoch> history) {
        Epoch best = history.getFirst();
        for (Epoch e : history) if (e.validationAccuracy() >= best.validationAccuracy()) best = e;
        return best;
    }

    private static double seconds(long since) {
        return Math.max(System.nanoTime() - since, 1) * 1e-9;
    }
}
