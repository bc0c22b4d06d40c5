package dev.nndl.conformance;

/**
 * How far a float32 result may be from the reference, derived from the arithmetic rather than
 * guessed.
 *
 * <p><b>Sums.</b> A result that sums {@code K} products, computed in float in any order (one
 * accumulator, several lanes, blocks, fused multiply-adds), is within
 * {@code gamma_K * sum|terms|} of the exact value, where {@code gamma_K = K u / (1 - K u)} and
 * {@code u = 2^-24} is float's unit roundoff (Higham, <i>Accuracy and Stability of Numerical
 * Algorithms</i>, 2nd ed., sections 3.1 and 4.2: each product and each addition contributes at
 * most one rounding of relative size {@code u}). The reference accumulates in double and rounds
 * once, so it is within {@code u |ref| <= u sum|terms|} of exact. Together
 * {@code |got - ref| <= (K + 1) u sum|terms| <= K eps sum|terms|} with {@code eps = 2u = 2^-23}
 * (float's machine epsilon), for {@code K >= 1}: the rule is {@link #sums}, {@code c = 1}.
 * {@code sum|terms|} for each output is computed by running the reference on the absolute values
 * of the inputs, which for a bilinear operation gives exactly that sum.
 *
 * <p><b>Functions.</b> {@code exp}, {@code log}, {@code tanh} and {@code pow} are allowed
 * {@link #FUNCTION_ULPS} units in the last place each: Java's {@code Math} promises 1 ulp and the
 * Vector API's and OpenCL's native versions a few; each evaluation counts as that many roundings.
 *
 * <p><b>Floor.</b> Results that underflow (a sigmoid at -90 is about 1e-39) are compared with an
 * absolute floor of {@link #FLOOR}, the smallest normal float: below it float has no relative
 * precision to speak of.
 *
 * <p><b>Integer mode.</b> With small integer inputs, products and sums of a linear operation are
 * exact in float (below {@code 2^24}), so the contract then demands bit-for-bit equality.
 */
public final class Tolerance {

    /** Float's unit roundoff. */
    public static final double U = 0x1.0p-24;
    /** Float's machine epsilon, {@code 2u}. */
    public static final double EPS = 0x1.0p-23;
    /** The rule's constant {@code c}. */
    public static final double C = 1;
    /** Roundings allowed for one evaluation of exp, log, tanh or pow. */
    public static final int FUNCTION_ULPS = 4;
    /** The absolute floor, the smallest normal float. */
    public static final double FLOOR = Float.MIN_NORMAL;

    private Tolerance() {}

    /** {@code c * K * eps * magnitude + floor}: a sum of {@code K} terms whose absolute values sum to {@code magnitude}. */
    public static double sum(double k, double magnitude) {
        return C * k * EPS * magnitude + FLOOR;
    }

    /** {@link #sum} for every output. */
    public static double[] sums(double k, float[] magnitudes) {
        double[] t = new double[magnitudes.length];
        for (int e = 0; e < t.length; e++) t[e] = sum(k, magnitudes[e]);
        return t;
    }

    /** Zero tolerance: bit-for-bit equality. */
    public static double[] exact(int size) {
        return new double[size];
    }
}
