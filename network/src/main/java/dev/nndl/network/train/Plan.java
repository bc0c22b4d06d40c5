package dev.nndl.network.train;

import dev.nndl.network.Model;

/**
 * What a training run does: the model (a rung of the ladder, or LeNet-5), how many epochs, the mini-batch size, the learning rate
 * {@code eta}, the L2 strength {@code lambda}, the seed of the initial weights and dropout
 * masks, the momentum of SGD and the learning rate's schedule. {@link #of} gives the model's
 * published recipe (plain SGD at a constant rate for all of them).
 */
public record Plan(Model model, int epochs, int batch, float eta, float lambda, long seed, float momentum, Schedule schedule) {

    /** The largest mini-batch: augmentation draws sample {@code i} of step {@code s} at counter {@code s * 65,536 + i}. */
    public static final int MAX_BATCH = 65_536;

    /** Plain SGD (no momentum) at a constant rate. */
    public Plan(Model model, int epochs, int batch, float eta, float lambda, long seed) {
        this(model, epochs, batch, eta, lambda, seed, 0, new Schedule.Constant());
    }

    public Plan {
        if (model == null) throw new IllegalArgumentException("a plan needs a model");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
        if (batch < 1 || batch > MAX_BATCH) throw new IllegalArgumentException("the mini-batch must hold 1 to " + MAX_BATCH + " images, not " + batch);
        if (!(eta > 0) || !Float.isFinite(eta)) throw new IllegalArgumentException("the learning rate eta must be a positive number, not " + eta);
        if (!(lambda >= 0) || !Float.isFinite(lambda)) throw new IllegalArgumentException("the L2 strength lambda must be 0 or more, not " + lambda);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("the momentum must be at least 0 and below 1, not " + momentum);
        if (schedule == null) throw new IllegalArgumentException("a plan needs a learning-rate schedule");
    }

    /** The published recipe for {@code model}: its epochs, mini-batch, eta, lambda, momentum and schedule. */
    public static Plan of(Model model, long seed) {
        return new Plan(model, model.epochs(), model.batch(), model.eta(), model.lambda(), seed, model.momentum(), model.schedule());
    }

    public Plan withEpochs(int epochs) {
        return new Plan(model, epochs, batch, eta, lambda, seed, momentum, schedule);
    }

    /**
     * Whether a run under {@code other} continues this one: everything but the number of epochs
     * must agree. Returns what differs, or {@code null}.
     */
    public String differenceFrom(Plan other) {
        if (!model.id().equals(other.model.id())) return "model " + model.id() + " vs " + other.model.id();
        if (batch != other.batch) return "mini-batch " + batch + " vs " + other.batch;
        if (Float.compare(eta, other.eta) != 0) return "eta " + eta + " vs " + other.eta;
        if (Float.compare(lambda, other.lambda) != 0) return "lambda " + lambda + " vs " + other.lambda;
        if (seed != other.seed) return "seed " + seed + " vs " + other.seed;
        if (Float.compare(momentum, other.momentum) != 0) return "momentum " + momentum + " vs " + other.momentum;
        if (!schedule.equals(other.schedule)) return "schedule " + schedule.spec() + " vs " + other.schedule.spec();
        return null;
    }
}
