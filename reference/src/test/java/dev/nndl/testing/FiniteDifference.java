package dev.nndl.testing;

import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Checks an analytic gradient against finite differences computed in double.
 *
 * <p>The scalar is {@code L(x) = sum_k r[k] * f(x)[k]} for a fixed random {@code r}, so the
 * analytic gradient of {@code L} with respect to {@code x} is the backward pass applied to
 * {@code dOut = r}; or, with {@link #checkScalar}, a loss the test computes in double. For element
 * {@code e} the derivative is estimated with the fourth-order central stencil
 * {@code S_h = (8 (L(x+h) - L(x-h)) - (L(x+2h) - L(x-2h))) / 12h}, each difference of {@code L}
 * summed in double over the outputs that changed (the others cancel exactly). {@link Tensors}
 * draws inputs on a grid of {@code 2^-16}, so every step below is exact in float.
 *
 * <p>Tolerance, from where the error comes from:
 * <ul>
 * <li>Rounding: each output of the reference is rounded to float once, so it is off by at most
 *     one unit in the last place (ulp); the stencil's rounding error is at most
 *     {@code sum_k |r[k]| (8 ulp(f(x+h)[k]) + 8 ulp(f(x-h)[k]) + ulp(f(x+2h)[k]) + ulp(f(x-2h)[k])) / 12h}
 *     over the outputs that changed.</li>
 * <li>Truncation: {@code S_h} is off by {@code c h^4} for some {@code c} that depends on the
 *     fifth derivative, which can be large (for {@code ln a}, {@code 24 / a^5}). Rather than
 *     guess it, the check computes the stencil at {@code h} and {@code h/2} (Richardson): the
 *     estimate it uses is {@code S_{h/2}}, whose truncation error is
 *     {@code (S_h - S_{h/2}) / 15}; twice that is allowed. For linear operations it is zero up
 *     to rounding.</li>
 * <li>The analytic gradient is itself rounded to float: one ulp of it, plus an absolute floor of
 *     {@code 1e-6} for gradients that are exactly zero.</li>
 * </ul>
 */
public final class FiniteDifference {

    /** The larger step, a power of two; the estimate uses half of it. */
    public static final float STEP = 0x1.0p-7f;

    private FiniteDifference() {}

    /** {@code L(x + step) - L(x - step)} with its rounding bound, for one element of {@code x}. */
    private interface Difference {
        double[] at(int element, float x0, float step);
    }

    /**
     * Checks {@code gradient[e]} against finite differences of {@code sum_k r[k] forward()[k]} for
     * up to {@code samples} elements {@code e} of {@code x} (all of them when {@code x} is that
     * small). {@code forward} must recompute {@code f} from the current contents of {@code x},
     * into a new array.
     */
    public static void check(String what, float[] x, Supplier<float[]> forward, float[] r, float[] gradient,
                             int samples, Random random) {
        check(what, x, gradient, samples, random, STEP, (e, x0, step) -> {
            float[] plus = at(x, e, x0 + step, forward), minus = at(x, e, x0 - step, forward);
            double difference = 0, ulps = 0;
            for (int k = 0; k < plus.length; k++) {
                if (plus[k] == minus[k]) continue;
                difference += r[k] * ((double) plus[k] - minus[k]);
                ulps += Math.abs(r[k]) * ((double) Math.ulp(plus[k]) + Math.ulp(minus[k]));
            }
            return new double[] {difference, ulps};
        });
    }

    /** Checks {@code gradient} against finite differences of a scalar {@code loss} the test computes in double. */
    public static void checkScalar(String what, float[] x, DoubleSupplier loss, float[] gradient, int samples, Random random) {
        checkScalar(what, x, loss, 0, STEP, gradient, samples, random);
    }

    /**
     * As {@link #checkScalar(String, float[], DoubleSupplier, float[], int, Random)}, for a loss
     * computed through float intermediates: each evaluation of {@code loss} may be off by
     * {@code lossRounding}, and the larger step is {@code step} (a power of two; inputs must lie on
     * a grid fine enough that {@code x +- 2 step} is exact).
     */
    public static void checkScalar(String what, float[] x, DoubleSupplier loss, double lossRounding, float step, float[] gradient,
                                   int samples, Random random) {
        check(what, x, gradient, samples, random, step, (e, x0, h) -> {
            x[e] = x0 + h;
            double plus = loss.getAsDouble();
            x[e] = x0 - h;
            double minus = loss.getAsDouble();
            return new double[] {plus - minus, Math.ulp(plus) + Math.ulp(minus) + 2 * lossRounding};
        });
    }

    private static void check(String what, float[] x, float[] gradient, int samples, Random random, float step, Difference difference) {
        for (int e : pick(x.length, samples, random)) {
            float x0 = x[e];
            if (x0 + 2 * step - x0 != 2 * step || x0 + step / 2 - x0 != step / 2) {
                throw new IllegalArgumentException("x[" + e + "] = " + x0 + " is not on a grid where steps of " + step + " are exact: draw inputs with Tensors");
            }
            double[] coarse = stencil(difference, e, x0, step), fine = stencil(difference, e, x0, step / 2);
            x[e] = x0;
            double numeric = fine[0];
            double truncation = 2 * Math.abs(coarse[0] - fine[0]) / 15;
            double g = gradient[e];
            double tolerance = fine[1] + truncation + Math.ulp((float) g) + 1e-6;
            if (!(Math.abs(numeric - g) <= tolerance)) {
                throw new AssertionError(String.format(
                        "%s: gradient at element %d (x = %s) is %s, finite differences give %s; |difference| %.3g > tolerance %.3g",
                        what, e, x0, g, numeric, Math.abs(numeric - g), tolerance));
            }
        }
    }

    /** The fourth-order stencil at step {@code h} and its rounding bound. */
    private static double[] stencil(Difference difference, int e, float x0, float h) {
        double[] near = difference.at(e, x0, h), far = difference.at(e, x0, 2 * h);
        return new double[] {(8 * near[0] - far[0]) / (12.0 * h), (8 * near[1] + far[1]) / (12.0 * h)};
    }

    private static float[] at(float[] x, int e, float value, Supplier<float[]> forward) {
        x[e] = value;
        return forward.get();
    }

    private static int[] pick(int size, int samples, Random random) {
        if (size <= samples) {
            int[] all = new int[size];
            for (int e = 0; e < size; e++) all[e] = e;
            return all;
        }
        int[] some = new int[samples];
        for (int i = 0; i < samples; i++) some[i] = random.nextInt(size);
        return some;
    }
}
