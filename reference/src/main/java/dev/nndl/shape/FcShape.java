package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * A fully connected layer: {@code n} samples of {@code in} features to {@code out} features.
 * Weights are {@code w[out][in]}, row {@code o} holding neuron {@code o}'s incoming weights.
 */
public record FcShape(int n, int in, int out) {

    public FcShape {
        requireAtLeast("n", n, 1);
        requireAtLeast("in", in, 1);
        requireAtLeast("out", out, 1);
        Sizes.product("FcShape input n*in", n, in);
        Sizes.product("FcShape output n*out", n, out);
        Sizes.product("FcShape weights out*in", out, in);
    }

    public int inputSize() { return n * in; }
    public int outputSize() { return n * out; }
    public int weightSize() { return out * in; }
    public TensorShape input() { return TensorShape.of(n, in); }
    public TensorShape output() { return TensorShape.of(n, out); }

    /** Multiply-adds of the forward pass, and of each backward pass: {@code n * in * out}; FLOPs are twice that. */
    public long macs() {
        return (long) n * in * out;
    }

    public FcShape withBatch(int n) {
        return new FcShape(n, in, out);
    }

    @Override
    public String toString() {
        return "n" + n + "_in" + in + "_out" + out;
    }
}
