package dev.nndl.testing;

import java.util.Arrays;
import java.util.Random;

/** Small helpers for tests that build and compare flat float arrays. */
public final class Tensors {

    private Tensors() {}

    /** The grid random values are drawn on: multiples of {@code 2^-16}, so that small power-of-two steps from them are exact. */
    public static final float GRID = 0x1.0p-16f;

    /** {@code size} uniform values in {@code [lo, hi)}, on the {@link #GRID}. */
    public static float[] uniform(Random random, int size, float lo, float hi) {
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = onGrid(lo + (hi - lo) * random.nextFloat());
        return a;
    }

    private static float onGrid(float v) {
        return Math.round(v / GRID) * GRID;
    }

    /** {@code size} integers in {@code [lo, hi]}, as floats: sums of their products are exact in float for small shapes. */
    public static float[] integers(Random random, int size, int lo, int hi) {
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = lo + random.nextInt(hi - lo + 1);
        return a;
    }

    /** {@code size} values at least {@code gap} from zero in magnitude, up to {@code max}, of random sign, on the {@link #GRID}. */
    public static float[] awayFromZero(Random random, int size, float gap, float max) {
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = onGrid((gap + (max - gap) * random.nextFloat()) * (random.nextBoolean() ? 1 : -1));
        return a;
    }

    /** A random permutation of {@code size} distinct values {@code step, 2 step, ...} centred on zero: no ties, gaps of {@code step}. */
    public static float[] distinct(Random random, int size, float step) {
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = (e - size / 2) * step;
        for (int e = size - 1; e > 0; e--) {
            int k = random.nextInt(e + 1);
            float t = a[e];
            a[e] = a[k];
            a[k] = t;
        }
        return a;
    }

    /** Rows of {@code features} values that are each a probability distribution with no zero (to within the grid). */
    public static float[] distributions(Random random, int rows, int features) {
        float[] a = uniform(random, rows * features, 0.1f, 1f);
        for (int n = 0; n < rows; n++) {
            double sum = 0;
            for (int j = 0; j < features; j++) sum += a[n * features + j];
            for (int j = 0; j < features; j++) a[n * features + j] = onGrid((float) (a[n * features + j] / sum));
        }
        return a;
    }

    /** One-hot rows: row n has a single 1 at a random class. */
    public static float[] oneHot(Random random, int rows, int classes) {
        float[] a = new float[rows * classes];
        for (int n = 0; n < rows; n++) a[n * classes + random.nextInt(classes)] = 1;
        return a;
    }

    /** An array of {@code size} NaNs: an output pre-filled with these proves every element gets written. */
    public static float[] nans(int size) {
        float[] a = new float[size];
        Arrays.fill(a, Float.NaN);
        return a;
    }

    /** {@code sum_e a[e] * b[e]} in double. */
    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " != " + b.length);
        double sum = 0;
        for (int e = 0; e < a.length; e++) sum += (double) a[e] * b[e];
        return sum;
    }

    /** {@code sum_e |a[e] * b[e]|} in double: the scale of {@link #dot}'s rounding error. */
    public static double absDot(float[] a, float[] b) {
        double sum = 0;
        for (int e = 0; e < a.length; e++) sum += Math.abs((double) a[e] * b[e]);
        return sum;
    }

    /** A 2-d array's rows, flattened. */
    public static float[] flat(double[][] rows) {
        int cols = rows[0].length;
        float[] a = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            for (int c = 0; c < cols; c++) a[r * cols + c] = (float) rows[r][c];
        }
        return a;
    }
}
