package dev.nndl.shape;

/**
 * Output sizes along one axis for convolutions, poolings and transposed convolutions, after
 * Dumoulin and Visin, <i>A guide to convolution arithmetic for deep learning</i>.
 *
 * <p>Letters as in the guide: {@code i} input size, {@code k} kernel size, {@code s} stride,
 * {@code p} zero padding on each side, {@code d} dilation, {@code a} output padding, {@code o}
 * output size; a prime marks the transposed convolution ({@code i'} is its input, {@code o'} its
 * output). Every relationship of the guide is a special case of {@link #convOutput} (1-7, 15) or
 * {@link #transposedOutput} (8-14); {@link Relationship} names each one with its conditions.
 *
 * <p>Impossible arguments throw {@link IllegalArgumentException} naming the parameter, its value,
 * and the rule it breaks.
 */
public final class ConvArithmetic {

    private ConvArithmetic() {}

    /** Relationship 6: {@code o = floor((i + 2p - k) / s) + 1}. */
    public static int convOutput(int i, int k, int s, int p) {
        return convOutput(Axis.GUIDE, i, k, s, p, 1);
    }

    /** Relationship 15 (dilated): {@code o = floor((i + 2p - k - (k - 1)(d - 1)) / s) + 1}. */
    public static int convOutput(int i, int k, int s, int p, int d) {
        return convOutput(Axis.GUIDE, i, k, s, p, d);
    }

    /** Relationship 7 (pooling): {@code o = floor((i - k) / s) + 1}. */
    public static int poolOutput(int i, int k, int s) {
        return convOutput(Axis.GUIDE, i, k, s, 0, 1);
    }

    /**
     * Relationship 15 with the names of {@code axis} in its messages. The effective kernel
     * {@code d(k - 1) + 1} must fit in the padded input {@code i + 2p}.
     */
    public static int convOutput(Axis axis, int i, int k, int s, int p, int d) {
        requireAtLeast(axis.i(), i, 1);
        requireAtLeast(axis.k(), k, 1);
        requireAtLeast(axis.s(), s, 1);
        requireAtLeast(axis.p(), p, 0);
        requireAtLeast(axis.d(), d, 1);
        long span = effectiveKernel(k, d);
        long padded = (long) i + 2L * p;
        if (span > padded) {
            throw new IllegalArgumentException(String.format(
                    "%s=%d%s is larger than the padded input %s + 2*%s = %d + 2*%d = %d; "
                            + "the guide's o = floor((i + 2p - k - (k-1)(d-1)) / s) + 1 needs "
                            + "i + 2p >= d(k-1) + 1 (pad more, or use a smaller kernel)",
                    axis.k(), k, d == 1 ? "" : " (dilated by " + axis.d() + "=" + d + " to " + span + ")",
                    axis.i(), axis.p(), i, p, padded));
        }
        return (int) ((padded - span) / s + 1);
    }

    /**
     * Relationship 14, with dilation: the transposed convolution of a convolution (k, s, p, d)
     * maps {@code i'} to {@code o' = s(i' - 1) + a + d(k - 1) + 1 - 2p}, where the output padding
     * {@code 0 <= a < s} picks one of the {@code s} input sizes the convolution maps to {@code i'}.
     */
    public static int transposedOutput(int iPrime, int k, int s, int p, int a) {
        return transposedOutput(Axis.GUIDE, iPrime, k, s, p, 1, a);
    }

    /** {@link #transposedOutput(int, int, int, int, int)} with dilation and the names of {@code axis}. */
    public static int transposedOutput(Axis axis, int iPrime, int k, int s, int p, int d, int a) {
        requireAtLeast(axis.i(), iPrime, 1);
        requireAtLeast(axis.k(), k, 1);
        requireAtLeast(axis.s(), s, 1);
        requireAtLeast(axis.p(), p, 0);
        requireAtLeast(axis.d(), d, 1);
        requireAtLeast(axis.a(), a, 0);
        if (a >= s) {
            throw new IllegalArgumentException(String.format(
                    "%s=%d must be smaller than the stride %s=%d: output padding a = (i + 2p - k) mod s "
                            + "chooses among the s input sizes that give the same output (guide, relationship 14)",
                    axis.a(), a, axis.s(), s));
        }
        long o = (long) s * (iPrime - 1) + a + effectiveKernel(k, d) - 2L * p;
        if (o < 1) {
            throw new IllegalArgumentException(String.format(
                    "%s=%d is too much padding for a transposed convolution of %s'=%d: "
                            + "o' = s(i'-1) + a + d(k-1) + 1 - 2p = %d < 1",
                    axis.p(), p, axis.i(), iPrime, o));
        }
        if (o > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("transposed output size " + o + " does not fit in an int");
        }
        return (int) o;
    }

    /**
     * The output padding that makes the transposed convolution restore input size {@code i}:
     * {@code a = (i + 2p - d(k - 1) - 1) mod s} (guide, relationship 14).
     */
    public static int outputPadding(int i, int k, int s, int p, int d) {
        convOutput(Axis.GUIDE, i, k, s, p, d);
        return (int) (((long) i + 2L * p - effectiveKernel(k, d)) % s);
    }

    /** The extent a dilated kernel covers: {@code d(k - 1) + 1} (guide, section 5.1). */
    public static long effectiveKernel(int k, int d) {
        return (long) d * (k - 1) + 1;
    }

    /**
     * The direct convolution that computes the same transposed convolution (guide, section 4):
     * insert {@code s - 1} zeros between input units (stretched size {@code ĩ' = i' + (i' - 1)(s - 1)}),
     * pad with {@code p' = d(k - 1) - p} zeros on each side plus {@code a} at the end, and convolve
     * with stride 1 and the same kernel.
     */
    public static TransposedEquivalent transposedEquivalent(int iPrime, int k, int s, int p, int d, int a) {
        transposedOutput(Axis.GUIDE, iPrime, k, s, p, d, a);
        int stretched = iPrime + (iPrime - 1) * (s - 1);
        return new TransposedEquivalent(stretched, k, 1, (int) (effectiveKernel(k, d) - 1 - p), d, a);
    }

    /**
     * A unit-stride convolution over a stretched input, equivalent to a transposed convolution.
     * Its output size is {@code ĩ' + 2p' + a - d(k' - 1)}. When {@code p'} comes out negative
     * (padding larger than the kernel), that many border units are cropped instead.
     */
    public record TransposedEquivalent(int stretchedInput, int k, int s, int p, int d, int a) {
        public int output() {
            return (int) (stretchedInput + 2L * p + a - effectiveKernel(k, d) + 1);
        }
    }

    /** Parameters of a convolution with biases: {@code (c/groups * kh * kw + 1) * oc}. */
    public static long convParams(int c, int oc, int kh, int kw, int groups) {
        return ((long) c / groups * kh * kw + 1) * oc;
    }

    /** Parameters of a fully connected layer with biases: {@code (in + 1) * out}. */
    public static long fcParams(int in, int out) {
        return ((long) in + 1) * out;
    }

    static void requireAtLeast(String name, int value, int min) {
        if (value < min) {
            String what = switch (min) {
                case 0 -> "must not be negative";
                case 1 -> "must be at least 1";
                default -> "must be at least " + min;
            };
            throw new IllegalArgumentException(name + "=" + value + ": " + what);
        }
    }
}
