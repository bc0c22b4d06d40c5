package dev.nndl.conformance;

import dev.nndl.testing.Tensors;
import java.util.Random;

/**
 * The random inputs of one case. In {@link Mode#FLOAT} values are uniform on a fine grid; in
 * {@link Mode#INTEGER} they are small nonzero integers, so that sums are exact and ties (in max
 * pooling) are common.
 */
public final class Data {

    /** How inputs are drawn. */
    public enum Mode { FLOAT, INTEGER }

    private final Random random;
    private final Mode mode;

    public Data(long seed, Mode mode) {
        this.random = new Random(seed);
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    public Random random() {
        return random;
    }

    /**
     * Values in [-1, 1) (float mode) or nonzero integers in [-3, 3]: a zero weight would make a
     * small case's outputs all zero, which the trust check rejects as proving nothing.
     */
    public float[] signed(int size) {
        if (mode == Mode.FLOAT) return Tensors.uniform(random, size, -1, 1);
        float[] a = Tensors.integers(random, size, 1, 3);
        for (int e = 0; e < size; e++) if (random.nextBoolean()) a[e] = -a[e];
        return a;
    }

    /** Values in [lo, hi) in either mode (functions whose domain is an interval). */
    public float[] between(int size, float lo, float hi) {
        return Tensors.uniform(random, size, lo, hi);
    }

    /** |x| element-wise. */
    public static float[] abs(float[] a) {
        float[] b = new float[a.length];
        for (int e = 0; e < a.length; e++) b[e] = Math.abs(a[e]);
        return b;
    }
}
