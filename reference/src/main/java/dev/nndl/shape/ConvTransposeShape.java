package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * A 2-d transposed convolution, NCHW: {@code n x c x h x w} in, {@code n x oc x oh x ow} out,
 * described, as in the guide's section 4, by its associated direct convolution (kernel
 * {@code kh x kw}, stride, padding, dilation, groups), which maps {@code oc x oh x ow} back to
 * {@code c x h x w}. The output size is the guide's relationship 14, with dilation:
 * {@code oh = sh(h - 1) + oph + dh(kh - 1) + 1 - 2ph}, where the output padding
 * {@code 0 <= oph < sh} chooses among the {@code sh} sizes the direct convolution maps to
 * {@code h}; likewise {@code ow}.
 *
 * <p>Weights are those of the associated convolution, {@code w[c][oc / groups][kh][kw]}
 * (PyTorch's {@code ConvTranspose2d} layout).
 */
public record ConvTransposeShape(int n, int c, int h, int w, int oc, int kh, int kw,
                                 int sh, int sw, int ph, int pw, int dh, int dw,
                                 int oph, int opw, int groups) {

    public ConvTransposeShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("c", c, 1);
        requireAtLeast("oc", oc, 1);
        Sizes.requireGroups(groups, c, oc);
        int oh = ConvArithmetic.transposedOutput(Axis.ROWS, h, kh, sh, ph, dh, oph);
        int ow = ConvArithmetic.transposedOutput(Axis.COLS, w, kw, sw, pw, dw, opw);
        Sizes.product("ConvTransposeShape input n*c*h*w", n, c, h, w);
        Sizes.product("ConvTransposeShape output n*oc*oh*ow", n, oc, oh, ow);
        Sizes.product("ConvTransposeShape weights c*(oc/groups)*kh*kw", c, oc / groups, kh, kw);
    }

    /** Unit stride, no padding: the guide's relationship 8, {@code o' = i' + (k - 1)}. */
    public static ConvTransposeShape of(int n, int c, int h, int w, int oc, int k) {
        return new ConvTransposeShape(n, c, h, w, oc, k, k, 1, 1, 0, 0, 1, 1, 0, 0, 1);
    }

    public ConvTransposeShape withStride(int s) { return new ConvTransposeShape(n, c, h, w, oc, kh, kw, s, s, ph, pw, dh, dw, oph, opw, groups); }
    public ConvTransposeShape withPadding(int p) { return new ConvTransposeShape(n, c, h, w, oc, kh, kw, sh, sw, p, p, dh, dw, oph, opw, groups); }
    public ConvTransposeShape withDilation(int d) { return new ConvTransposeShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, d, d, oph, opw, groups); }
    public ConvTransposeShape withOutputPadding(int a) { return new ConvTransposeShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, a, a, groups); }
    public ConvTransposeShape withGroups(int g) { return new ConvTransposeShape(n, c, h, w, oc, kh, kw, sh, sw, ph, pw, dh, dw, oph, opw, g); }

    /** Output rows: {@code sh(h - 1) + oph + dh(kh - 1) + 1 - 2ph}. */
    public int oh() { return sh * (h - 1) + oph + dh * (kh - 1) + 1 - 2 * ph; }

    /** Output columns: {@code sw(w - 1) + opw + dw(kw - 1) + 1 - 2pw}. */
    public int ow() { return sw * (w - 1) + opw + dw * (kw - 1) + 1 - 2 * pw; }

    /**
     * The direct convolution this one transposes: input {@code n x oc x oh x ow}, {@code c}
     * filters, the same kernel, stride, padding, dilation and groups. Its output is exactly
     * {@code n x c x h x w}, because {@code oph < sh}.
     */
    public ConvShape associatedConv() {
        return new ConvShape(n, oc, oh(), ow(), c, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    }

    public TensorShape input() { return new TensorShape(n, c, h, w); }
    public TensorShape output() { return new TensorShape(n, oc, oh(), ow()); }
    public int inputSize() { return n * c * h * w; }
    public int outputSize() { return n * oc * oh() * ow(); }
    public int weightSize() { return c * (oc / groups) * kh * kw; }

    /** Multiply-adds, the same as the associated convolution's: {@code n * c * h * w * (oc / groups) * kh * kw}. */
    public long macs() {
        return associatedConv().macs();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("T_")
                .append("n").append(n).append("_c").append(c).append("_h").append(h).append("_w").append(w)
                .append("_oc").append(oc).append("_k").append(kh).append('x').append(kw);
        if (sh != 1 || sw != 1) b.append("_s").append(sh).append('x').append(sw);
        if (ph != 0 || pw != 0) b.append("_p").append(ph).append('x').append(pw);
        if (dh != 1 || dw != 1) b.append("_d").append(dh).append('x').append(dw);
        if (oph != 0 || opw != 0) b.append("_a").append(oph).append('x').append(opw);
        if (groups != 1) b.append("_g").append(groups);
        return b.toString();
    }
}
