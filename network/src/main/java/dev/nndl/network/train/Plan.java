package dev.nndl.network.train;

import dev.nndl.network.Rung;

/**
 * What a training run does: the rung, how many epochs, the mini-batch size, the learning rate
 * {@code eta}, the L2 strength {@code lambda} and the seed of the initial weights and dropout
 * masks. {@link #of} gives Nielsen's values for a rung.
 */
public record Plan(Rung rung, int epochs, int batch, float eta, float lambda, long seed) {

    public Plan {
        if (rung == null) throw new IllegalArgumentException("a plan needs a rung");
        if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, not " + epochs);
        if (batch < 1) throw new IllegalArgumentException("the mini-batch must hold at least 1 image, not " + batch);
        if (!(eta > 0) || !Float.isFinite(eta)) throw new IllegalArgumentException("the learning rate eta must be a positive number, not " + eta);
        if (!(lambda >= 0) || !Float.isFinite(lambda)) throw new IllegalArgumentException("the L2 strength lambda must be 0 or more, not " + lambda);
    }

    /** Nielsen's schedule for {@code rung}: his epochs, mini-batch 10, his eta and lambda. */
    public static Plan of(Rung rung, long seed) {
        return new Plan(rung, rung.epochs(), 10, rung.eta(), rung.lambda(), seed);
    }

    public Plan withEpochs(int epochs) {
        return new Plan(rung, epochs, batch, eta, lambda, seed);
    }

    /**
     * Whether a run under {@code other} continues this one: everything but the number of epochs
     * must agree. Returns what differs, or {@code null}.
     */
    public String differenceFrom(Plan other) {
        if (rung != other.rung) return "rung " + rung.id() + " vs " + other.rung.id();
        if (batch != other.batch) return "mini-batch " + batch + " vs " + other.batch;
        if (Float.compare(eta, other.eta) != 0) return "eta " + eta + " vs " + other.eta;
        if (Float.compare(lambda, other.lambda) != 0) return "lambda " + lambda + " vs " + other.lambda;
        if (seed != other.seed) return "seed " + seed + " vs " + other.seed;
        return null;
    }
}
