package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * A 2-d convolution, NCHW: {@code n} samples of {@code c x h x w} convolved with {@code oc}
 * filters of {@code (c / groups) x kh x kw}, stride {@code sh, sw}, zero padding {@code ph, pw}
 * on each side, dilation {@code dh, dw}. The output is {@code n x oc x oh x ow} with
 * {@code oh = floor((h + 2ph - dh(kh - 1) - 1) / sh) + 1} (the guide's relationship 15), and
 * likewise {@code ow}.
 *
 * <p>Weights are {@code w[oc][c / groups][kh][kw]}. With {@code groups > 1} the channels split
 * into {@code groups} equal parts and filter {@code o} sees only input channels
 * {@code g * c/groups ... (g + 1) * c/groups - 1} of its group {@code g = o / (oc/groups)}
 * (AlexNet's two-GPU split is {@code groups = 2}).
 */
public record ConvShape(int n, int c, int h, int w, int oc, int kh, int kw,
                        int sh, int sw, int ph, int pw, int dh, int dw, int groups) {

    public ConvShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("c", c, 1);
        requireAtLeast("oc", oc, 1);
        Sizes.requireGroups(groups, c, oc);
        int oh = ConvArithmetic.convOutput(Axis.ROWS, h, kh, sh, ph, dh);
        int ow = ConvArithmetic.convOutput(Axis.COLS, w, kw, sw, pw, dw);
        Sizes.product("ConvShape input n*c*h*w", n, c, h, w);
        Sizes.product("ConvShape output n*oc*oh*ow", n, oc, oh, ow);
        Sizes.product("ConvShape weights oc*(c/groups)*kh*kw", oc, c / groups, kh, kw);
    }

    /** Unit stride, no padding, no dilation, one group: the guide's relationship 1. */
    public static ConvShape of(int n, int c, int h, int w, int oc, int k) {
        return new ConvShape(n, c, h, w, oc, k, k, 1, 1, 0, 0, 1, 1, 1);
    }

    /**
     * A square kernel with stride {@code s} and padding {@code p}: the guide's relationship 6. Use
     * this (not {@code of(...).withPadding(p)}) when the kernel only fits the padded input.
     */
    public static ConvShape of(int n, int c, int h, int w, int oc, int k, int s, int p) {
        return new ConvShape(n, c, h, w, oc, k, k, s, s, p, p, 1, 1, 1);
    }

    public ConvShape withStride(int s) { return withStride(s, s); }
    public ConvShape withStride(int sh, int sw) { return new ConvShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups); }
    public ConvShape withPadding(int p) { return withPadding(p, p); }
    public ConvShape withPadding(int ph, int pw) { return new ConvShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups); }
    public ConvShape withDilation(int d) { return withDilation(d, d); }
    public ConvShape withDilation(int dh, int dw) { return new ConvShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups); }
    public ConvShape withGroups(int groups) { return new ConvShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups); }
    public ConvShape withBatch(int n) { return new ConvShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, groups); }

    // The constructor validated the sizes through ConvArithmetic, so these are the bare formula: kernels
    // call them in loop conditions, where C2 hoists plain arithmetic but not a validating call.

    /** Output rows: {@code floor((h + 2ph - dh(kh - 1) - 1) / sh) + 1}. */
    public int oh() { return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1; }

    /** Output columns: {@code floor((w + 2pw - dw(kw - 1) - 1) / sw) + 1}. */
    public int ow() { return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1; }

    /** Input channels each filter sees: {@code c / groups}. */
    public int cPerGroup() { return c / groups; }

    /** Filters in each group: {@code oc / groups}. */
    public int ocPerGroup() { return oc / groups; }

    /**
     * Whether each output sees the whole input: one group, no padding, the filter as large as the
     * input, undilated (LeNet-5's C5, 5 x 5 over 5 x 5). Then {@code out[n,o] = sum_k in[n,k] w[o,k]}
     * over the flattened channels and taps: a fully connected layer of {@link #dense()}'s shape, in
     * the same layouts.
     */
    public boolean fullyConnected() {
        return groups == 1 && ph == 0 && pw == 0 && kh == h && kw == w && dh == 1 && dw == 1;
    }

    /** The fully connected layer this convolution is where {@link #fullyConnected()}: {@code c * kh * kw} inputs, {@code oc} outputs. */
    public FcShape dense() {
        return new FcShape(n, c * kh * kw, oc);
    }

    public TensorShape input() { return new TensorShape(n, c, h, w); }
    public TensorShape output() { return new TensorShape(n, oc, oh(), ow()); }
    public int inputSize() { return n * c * h * w; }
    public int outputSize() { return n * oc * oh() * ow(); }
    public int weightSize() { return oc * cPerGroup() * kh * kw; }

    /**
     * Multiply-adds of the forward pass, counting every kernel tap including those that fall on
     * padding (as libraries report it): {@code n * oc * oh * ow * (c / groups) * kh * kw}. The
     * backward-data and backward-weights passes do the same number; FLOPs are twice this.
     */
    public long macs() {
        return (long) n * oc * oh() * ow() * cPerGroup() * kh * kw;
    }

    /** Parameters with one bias per filter: {@code (c/groups * kh * kw + 1) * oc}. */
    public long params() {
        return ConvArithmetic.convParams(c, oc, kh, kw, groups);
    }

    /**
     * The transposed convolution associated with this one (guide, section 4): it maps this
     * convolution's output shape back to its input shape, with the output padding that recovers
     * {@code h} and {@code w} exactly.
     */
    public ConvTransposeShape transposed() {
        return new ConvTransposeShape(n, oc, oh(), ow(), c, kh, kw, sh, sw, ph, pw, dh, dw,
                ConvArithmetic.outputPadding(h, kh, sh, ph, dh), ConvArithmetic.outputPadding(w, kw, sw, pw, dw), groups);
    }

    /** A name in benchdnn's style that lists only what differs from the defaults, e.g. {@code n10_c1_h28_w28_oc20_k5x5}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder()
                .append("n").append(n).append("_c").append(c).append("_h").append(h).append("_w").append(w)
                .append("_oc").append(oc).append("_k").append(kh).append('x').append(kw);
        if (sh != 1 || sw != 1) b.append("_s").append(sh).append('x').append(sw);
        if (ph != 0 || pw != 0) b.append("_p").append(ph).append('x').append(pw);
        if (dh != 1 || dw != 1) b.append("_d").append(dh).append('x').append(dw);
        if (groups != 1) b.append("_g").append(groups);
        return b.toString();
    }
}
