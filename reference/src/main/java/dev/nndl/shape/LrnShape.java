package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * Local response normalisation across channels, in AlexNet's form (Krizhevsky et al. 2012, 3.3):
 * <pre>
 *   b[c] = a[c] / (k + alpha * sum_{j = max(0, c - size/2)}^{min(C - 1, c + size/2)} a[j]^2)^beta
 * </pre>
 * at every (n, y, x), {@code size/2} rounded down. AlexNet uses {@code k = 2, size = 5,
 * alpha = 1e-4, beta = 0.75}.
 *
 * <p><b>Mapping to PyTorch.</b> {@code torch.nn.LocalResponseNorm(size, alpha, beta, k)} divides
 * alpha by {@code size}: it computes {@code k + alpha/size * sum}. The same layer in PyTorch is
 * therefore {@code LocalResponseNorm(5, alpha = 5e-4, beta = 0.75, k = 2)}. PyTorch's window also
 * runs from {@code c - size/2} to {@code c + (size - 1)/2}, which is the same for odd sizes; this
 * record requires an odd size so the two never differ.
 */
public record LrnShape(int n, int c, int h, int w, int size, float alpha, float beta, float k) {

    public LrnShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("c", c, 1);
        requireAtLeast("h", h, 1);
        requireAtLeast("w", w, 1);
        requireAtLeast("size", size, 1);
        if (size % 2 == 0) {
            throw new IllegalArgumentException("size=" + size + " must be odd: the window runs from c - size/2 to c + size/2");
        }
        if (!(alpha >= 0) || !Float.isFinite(alpha)) throw new IllegalArgumentException("alpha=" + alpha + " must be finite and not negative");
        if (!(beta >= 0) || !Float.isFinite(beta)) throw new IllegalArgumentException("beta=" + beta + " must be finite and not negative");
        if (!(k > 0) || !Float.isFinite(k)) throw new IllegalArgumentException("k=" + k + " must be finite and positive, or a zero input divides by zero");
        Sizes.product("LrnShape n*c*h*w", n, c, h, w);
    }

    /** AlexNet's constants: size 5, alpha 1e-4 (not divided by size), beta 0.75, k 2. */
    public static LrnShape alexNet(int n, int c, int h, int w) {
        return new LrnShape(n, c, h, w, 5, 1e-4f, 0.75f, 2f);
    }

    public TensorShape tensor() { return new TensorShape(n, c, h, w); }

    @Override
    public String toString() {
        return "n" + n + "_c" + c + "_h" + h + "_w" + w + "_size" + size + "_alpha" + alpha + "_beta" + beta + "_k" + k;
    }
}
