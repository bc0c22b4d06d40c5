package dev.nndl.conformance;

import dev.nndl.shape.TensorShape;

/**
 * The comparison of one output array of one case: how many elements exceed their tolerance, the
 * largest errors, and a message that says where.
 *
 * @param what        the operation, direction, array and shape, e.g. {@code conv2d forward out n2_c3_...}
 * @param elements    elements compared
 * @param mismatches  elements whose error exceeds their tolerance (a NaN where the reference has a number counts)
 * @param maxAbsError largest {@code |got - ref|}
 * @param maxRelError largest {@code |got - ref| / |ref|} over nonzero references
 * @param worstRatio  largest {@code |got - ref| / tolerance}: at most 1 when everything passes
 * @param nonZero     fraction of reference elements that are not zero (for the trust check)
 * @param message     empty when all match; otherwise the first mismatch's coordinates, got, expected and the largest error
 */
public record Comparison(String what, int elements, int mismatches, double maxAbsError, double maxRelError,
                         double worstRatio, double nonZero, String message) {

    public boolean passed() {
        return mismatches == 0;
    }

    /** Compares {@code got} with {@code ref} element by element; {@code layout} names the coordinates. */
    public static Comparison of(String what, TensorShape layout, float[] got, float[] ref, double[] tolerance) {
        int mismatches = 0, first = -1, worst = -1, nonZero = 0;
        double maxAbs = 0, maxRel = 0, worstRatio = 0;
        for (int e = 0; e < ref.length; e++) {
            if (ref[e] != 0) nonZero++;
            double error = Math.abs((double) got[e] - ref[e]);
            boolean same = got[e] == ref[e] || (Float.isNaN(got[e]) && Float.isNaN(ref[e]));
            if (same) error = 0;
            if (Double.isNaN(error)) error = Double.POSITIVE_INFINITY;
            double ratio = tolerance[e] > 0 ? error / tolerance[e] : (error > 0 ? Double.POSITIVE_INFINITY : 0);
            if (error > maxAbs || worst < 0) {
                maxAbs = Math.max(maxAbs, error);
                worst = e;
            }
            if (ref[e] != 0 && error / Math.abs(ref[e]) > maxRel) maxRel = error / Math.abs(ref[e]);
            worstRatio = Math.max(worstRatio, ratio);
            if (!same && !(error <= tolerance[e])) {
                mismatches++;
                if (first < 0) first = e;
            }
        }
        String message = "";
        if (mismatches > 0) {
            message = String.format("%s: %d of %d elements differ; first at %s: got %s, expected %s (|error| %.3g > tolerance %.3g); "
                            + "largest error %.3g at %s (got %s, expected %s)",
                    what, mismatches, ref.length, coordinates(layout, first), got[first], ref[first],
                    Math.abs((double) got[first] - ref[first]), tolerance[first], maxAbs, coordinates(layout, worst), got[worst], ref[worst]);
        }
        return new Comparison(what, ref.length, mismatches, maxAbs, maxRel, worstRatio, ref.length == 0 ? 1 : (double) nonZero / ref.length, message);
    }

    /** {@code (n=.., c=.., h=.., w=..)} of a flat index in {@code layout}. */
    static String coordinates(TensorShape layout, int e) {
        int w = e % layout.w(), h = e / layout.w() % layout.h(), c = e / layout.plane() % layout.c(), n = e / layout.features();
        return "(n=" + n + ", c=" + c + ", h=" + h + ", w=" + w + ")";
    }

    /** A failure that is not a numeric mismatch: an exception, a modified input, a degenerate case. */
    public static Comparison failure(String what, String message) {
        return new Comparison(what, 0, 1, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY, 1, what + ": " + message);
    }
}
