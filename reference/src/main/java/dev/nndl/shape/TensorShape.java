package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * An NCHW tensor: {@code n} samples of {@code c} channels of {@code h x w}. Element
 * {@code (n, c, y, x)} lives at index {@code ((n * C + c) * H + y) * W + x} of a flat
 * {@code float[]}, capitals standing for the sizes.
 * A batch of feature vectors is {@code of(n, features)}, with {@code h = w = 1}.
 */
public record TensorShape(int n, int c, int h, int w) {

    public TensorShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("c", c, 1);
        requireAtLeast("h", h, 1);
        requireAtLeast("w", w, 1);
        Sizes.product("TensorShape n*c*h*w", n, c, h, w);
    }

    /** A batch of {@code n} vectors of {@code features} values each. */
    public static TensorShape of(int n, int features) {
        return new TensorShape(n, features, 1, 1);
    }

    /** All elements: {@code n * c * h * w}. */
    public int size() {
        return n * c * h * w;
    }

    /** Elements per sample: {@code c * h * w}. */
    public int features() {
        return c * h * w;
    }

    /** Elements per channel plane: {@code h * w}. */
    public int plane() {
        return h * w;
    }

    /** The flat index of element (n, c, y, x). */
    public int index(int n, int c, int y, int x) {
        return ((n * this.c + c) * h + y) * w + x;
    }

    @Override
    public String toString() {
        return h == 1 && w == 1 ? n + "x" + c : n + "x" + c + "x" + h + "x" + w;
    }
}
