package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * A 2-d pooling, NCHW: each of the {@code n x c} planes of {@code h x w}, padded by {@code ph, pw}
 * on each side, is reduced over {@code kh x kw} windows placed every {@code sh, sw}. The output is
 * {@code n x c x oh x ow} with {@code oh = floor((h + 2ph - kh) / sh) + 1} (the guide's
 * relationship 7 when unpadded, 6 otherwise).
 *
 * <p>Padding must be smaller than the window ({@code ph < kh}, {@code pw < kw}), so that every
 * window covers at least one real input element.
 *
 * <p>{@code excludePadding} matters to average pooling alone: it then divides each window's sum by
 * the number of its elements inside the input, rather than by {@code kh * kw} with the padding
 * counted as zeros (PyTorch's {@code count_include_pad=False}, the "same" pooling of other
 * frameworks). Padding never wins a maximum and adds nothing to an L<sup>p</sup> norm, so those
 * poolings ignore it.
 */
public record PoolShape(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, boolean excludePadding) {

    /** A pooling whose average counts the padding ({@code count_include_pad=True}, the default). */
    public PoolShape(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        this(n, c, h, w, kh, kw, sh, sw, ph, pw, false);
    }

    public PoolShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("c", c, 1);
        int oh = ConvArithmetic.convOutput(Axis.ROWS, h, kh, sh, ph, 1);
        int ow = ConvArithmetic.convOutput(Axis.COLS, w, kw, sw, pw, 1);
        if (ph >= kh || pw >= kw) {
            throw new IllegalArgumentException(String.format(
                    "%s must be smaller than the window (%s): a window made only of padding pools nothing",
                    ph >= kh ? "ph=" + ph : "pw=" + pw, ph >= kh ? "kh=" + kh : "kw=" + kw));
        }
        Sizes.product("PoolShape input n*c*h*w", n, c, h, w);
        Sizes.product("PoolShape output n*c*oh*ow", n, c, oh, ow);
    }

    /** Non-overlapping {@code k x k} windows (stride {@code k}), no padding: Nielsen's max-pooling. */
    public static PoolShape of(int n, int c, int h, int w, int k) {
        return new PoolShape(n, c, h, w, k, k, k, k, 0, 0);
    }

    public PoolShape withStride(int s) { return new PoolShape(n, c, h, w, kh, kw, s, s, ph, pw, excludePadding); }
    public PoolShape withPadding(int p) { return new PoolShape(n, c, h, w, kh, kw, sh, sw, p, p, excludePadding); }
    public PoolShape withBatch(int n) { return new PoolShape(n, c, h, w, kh, kw, sh, sw, ph, pw, excludePadding); }
    public PoolShape excludingPadding() { return new PoolShape(n, c, h, w, kh, kw, sh, sw, ph, pw, true); }

    /**
     * The count that average pooling divides output {@code (y, x)}'s window sum by: {@code kh * kw},
     * or with {@link #excludePadding} the window's rows times its columns inside the input.
     */
    public int averagedElements(int y, int x) {
        if (!excludePadding) return kh * kw;
        int rows = Math.min(h, y * sh - ph + kh) - Math.max(0, y * sh - ph);
        int cols = Math.min(w, x * sw - pw + kw) - Math.max(0, x * sw - pw);
        return rows * cols;
    }

    /** Output rows, {@code floor((h + 2ph - kh) / sh) + 1}: the bare formula, the constructor having validated it. */
    public int oh() { return (h + 2 * ph - kh) / sh + 1; }

    /** Output columns, {@code floor((w + 2pw - kw) / sw) + 1}. */
    public int ow() { return (w + 2 * pw - kw) / sw + 1; }
    public TensorShape input() { return new TensorShape(n, c, h, w); }
    public TensorShape output() { return new TensorShape(n, c, oh(), ow()); }
    public int inputSize() { return n * c * h * w; }
    public int outputSize() { return n * c * oh() * ow(); }

    /** Window elements visited by the forward pass: {@code n * c * oh * ow * kh * kw}. */
    public long windowElements() {
        return (long) n * c * oh() * ow() * kh * kw;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder()
                .append("n").append(n).append("_c").append(c).append("_h").append(h).append("_w").append(w)
                .append("_k").append(kh).append('x').append(kw).append("_s").append(sh).append('x').append(sw);
        if (ph != 0 || pw != 0) b.append("_p").append(ph).append('x').append(pw);
        if (excludePadding) b.append("_xpad");
        return b.toString();
    }
}
