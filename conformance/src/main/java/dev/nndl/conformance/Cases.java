package dev.nndl.conformance;

import static dev.nndl.testing.Gen.between;
import static dev.nndl.testing.Gen.sizes;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.testing.Case;
import dev.nndl.testing.Gen;

/**
 * The contract's generators. Each tries edge cases first, varying one dimension at a time from
 * the smallest case: widths that are no multiple of any vector width (1, 3, 13, 17, 207), batch 1
 * and 3, channel counts 1, 3 and 64, strides above 1, padding up to the kernel and beyond,
 * dilation, 1x1 kernels; then random small cases. Cases whose outputs would be mostly zero
 * (padding so wide, or strides so long, that most outputs or inputs see no data) are drawn
 * again: a comparison of zeros proves nothing, and the trust check would fail them.
 */
public final class Cases {

    private Cases() {}

    private static Gen<Integer> seed() {
        return between(0, 1 << 30);
    }

    /** Fewer than this fraction of outputs (or inputs, for a backward pass) touching data makes a case degenerate. */
    static final double COVERAGE = 0.6;

    public static Gen<Case<ConvShape>> conv() {
        return Gen.vector(v -> new Case<>(covered(new ConvShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13])), v[14]),
                sizes(1, 3, 3), sizes(1, 6, 3, 64), sizes(1, 12, 3, 13, 17), sizes(1, 12, 3, 13, 17, 207), sizes(1, 6, 3, 64),
                sizes(1, 5, 3), sizes(1, 5, 3), sizes(1, 3, 2), sizes(1, 3, 2),
                sizes(0, 4, 1, 2), sizes(0, 4, 1, 2), sizes(1, 3, 2), sizes(1, 3, 2), sizes(1, 2, 2), seed());
    }

    public static Gen<Case<ConvTransposeShape>> convTranspose() {
        return Gen.vector(v -> {
                    ConvTransposeShape t = new ConvTransposeShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                            v[11], v[12], Math.min(v[13], v[7] - 1), Math.min(v[14], v[8] - 1), v[15]);
                    covered(t.associatedConv());
                    return new Case<>(t, v[16]);
                },
                sizes(1, 3, 3), sizes(1, 5, 3, 64), sizes(1, 8, 3, 13), sizes(1, 8, 3, 17), sizes(1, 5, 3),
                sizes(1, 4, 3), sizes(1, 4, 3), sizes(1, 3, 2), sizes(1, 3, 2),
                sizes(0, 3, 1), sizes(0, 3, 1), sizes(1, 2, 2), sizes(1, 2, 2), sizes(0, 2, 1), sizes(0, 2, 1),
                sizes(1, 2, 2), seed());
    }

    public static Gen<Case<PoolShape>> pool() {
        return Gen.vector(v -> {
                    PoolShape p = new PoolShape(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10] == 1);
                    if (2 * p.ph() > p.kh() || 2 * p.pw() > p.kw() || p.sh() > p.kh() || p.sw() > p.kw()) {
                        throw new IllegalArgumentException("degenerate: padding above half the window or windows that skip inputs");
                    }
                    return new Case<>(p, v[11]);
                },
                sizes(1, 3, 3), sizes(1, 4, 3, 64), sizes(1, 12, 3, 13), sizes(1, 12, 3, 17, 207),
                sizes(1, 4, 2, 3), sizes(1, 4, 2, 3), sizes(1, 3, 2), sizes(1, 3, 2), sizes(0, 2, 1), sizes(0, 2, 1), sizes(0, 1, 1), seed());
    }

    /**
     * Fully connected shapes. The edges include sizes past the cache blocks a fast matrix multiply
     * uses (a depth over 256 and over 1024, more than 96 rows): the bugs of a blocked kernel live
     * at its block boundaries.
     */
    public static Gen<Case<FcShape>> fc() {
        return Gen.vector(v -> new Case<>(new FcShape(v[0], v[1], v[2]), v[3]),
                sizes(1, 12, 3, 10, 64, 97), sizes(1, 40, 3, 13, 17, 207, 300, 1025), sizes(1, 24, 3, 10, 17, 130), seed());
    }

    /** Batches of feature vectors, for softmax and the costs; {@code v[2]} picks the logit scale. */
    public static Gen<Case<TensorShape>> rows() {
        return Gen.vector(v -> new Case<>(TensorShape.of(v[0], v[1]), v[2]), sizes(1, 8, 3, 64), sizes(1, 16, 3, 10, 17, 207), seed());
    }

    /** Batches of at least two classes, for softmax and the log-likelihood: with one class both are constant. */
    public static Gen<Case<TensorShape>> classes() {
        return Gen.vector(v -> new Case<>(TensorShape.of(v[0], v[1]), v[2]), sizes(1, 8, 3, 64), sizes(2, 16, 3, 10, 17, 207), seed());
    }

    /** NCHW tensors, for bias, activations, dropout, L2 and SGD. */
    public static Gen<Case<TensorShape>> tensors() {
        return Gen.vector(v -> new Case<>(new TensorShape(v[0], v[1], v[2], v[3]), v[4]),
                sizes(1, 3, 3), sizes(1, 6, 3, 64), sizes(1, 6, 13), sizes(1, 6, 17, 207), seed());
    }

    private static final float[] ALPHAS = {1e-4f, 0.05f, 0.5f};
    private static final float[] BETAS = {0.75f, 0.5f, 1.5f};
    private static final float[] KS = {2f, 1f, 0.5f};

    /** AlexNet's constants first, then larger alphas that make the cross-channel term count. */
    public static Gen<Case<LrnShape>> lrn() {
        return Gen.vector(v -> new Case<>(new LrnShape(v[0], v[1], v[2], v[3], 2 * v[4] + 1, ALPHAS[v[5]], BETAS[v[6]], KS[v[7]]), v[8]),
                sizes(1, 2, 3), sizes(1, 9, 3, 64), sizes(1, 3, 13), sizes(1, 3, 17), between(0, 3, 2),
                between(0, 2), between(0, 2), between(0, 2), seed());
    }

    /**
     * Concatenations of 1 to 5 parts (GoogLeNet's inception module has 4) of 1 to 6 channels
     * each, {@code v[5]} packing each part's channels; widths no vector divides.
     */
    public static Gen<Case<ConcatShape>> concat() {
        return Gen.vector(v -> {
                    int[] channels = new int[v[1]];
                    for (int p = 0; p < channels.length; p++) channels[p] = 1 + (v[5] >> (3 * p)) % 6;
                    return new Case<>(ConcatShape.of(v[0], v[2], v[3], channels), v[4]);
                },
                sizes(1, 4, 3), sizes(1, 5, 4), sizes(1, 6, 13), sizes(1, 6, 17, 207), seed(), between(0, 1 << 15, 0x7fff));
    }

    /**
     * Recurrent layers of {@code cell}: sequences of 1 to 6 steps and one of 20 (the test task's
     * length), batches of 1 to 4, input and hidden sizes no vector divides and one past a GEMM
     * block (a hidden size of 40 gives the LSTM 160 gate rows).
     */
    public static Gen<Case<RecurrentShape>> recurrent(RecurrentShape.Cell cell) {
        return Gen.vector(v -> new Case<>(new RecurrentShape(cell, v[0], v[1], v[2], v[3]), v[4]),
                sizes(1, 6, 2, 20), sizes(1, 4, 3, 17), sizes(1, 12, 3, 13, 64), sizes(1, 12, 3, 17, 40), seed());
    }

    /**
     * Rejects a convolution where fewer than {@link #COVERAGE} of the output positions see any
     * input, or fewer than that of the input positions are seen by any output.
     */
    static ConvShape covered(ConvShape s) {
        double out = covered(s.oh(), s.h(), s.kh(), s.sh(), s.ph(), s.dh(), true) * covered(s.ow(), s.w(), s.kw(), s.sw(), s.pw(), s.dw(), true);
        double in = covered(s.oh(), s.h(), s.kh(), s.sh(), s.ph(), s.dh(), false) * covered(s.ow(), s.w(), s.kw(), s.sw(), s.pw(), s.dw(), false);
        if (out < COVERAGE || in < COVERAGE) {
            throw new IllegalArgumentException("degenerate: " + s + " has " + Math.round(100 * out) + "% of outputs and "
                    + Math.round(100 * in) + "% of inputs touching data");
        }
        return s;
    }

    /** Fraction of output positions along one axis that see an input (or of inputs seen by an output). */
    private static double covered(int o, int i, int k, int s, int p, int d, boolean outputs) {
        boolean[] seen = new boolean[outputs ? o : i];
        for (int y = 0; y < o; y++) {
            for (int t = 0; t < k; t++) {
                int x = y * s - p + t * d;
                if (x >= 0 && x < i) seen[outputs ? y : x] = true;
            }
        }
        int count = 0;
        for (boolean b : seen) if (b) count++;
        return (double) count / seen.length;
    }
}
