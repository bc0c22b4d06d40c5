package dev.nndl.spi;

import dev.nndl.shape.FcShape;
import dev.nndl.shape.TensorShape;

/**
 * Fully connected layers and per-channel biases.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Dense {

    // ---------------------------------------------------------------- fully connected

    /**
     * Fully connected layer (a GEMM): {@code out[n,o] = sum_i w[o,i] * in[n,i]}; add biases with
     * {@link #biasForward}. Reads {@code in, w}; writes (overwrites) {@code out}.
     * FLOPs: {@code 2 * s.macs()}.
     */
    void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s);

    /**
     * Gradient of the fully connected layer with respect to its input:
     * {@code dIn[n,i] = sum_o dOut[n,o] * w[o,i]}. Reads {@code dOut, w}; writes (overwrites)
     * {@code dIn}. FLOPs: {@code 2 * s.macs()}.
     */
    void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s);

    /**
     * Gradient of the fully connected layer with respect to its weights:
     * {@code dW[o,i] += sum_n dOut[n,o] * in[n,i]}. Reads {@code dOut, in, dW};
     * <b>accumulates</b> into {@code dW}. FLOPs: {@code 2 * s.macs()}.
     */
    void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s);

    /**
     * A fully connected layer's backward pass with a plain SGD step on the weights, in one pass
     * over them, for a backend that can take the step without writing the gradient to memory:
     * {@code dIn[n,i] = sum_o dOut[n,o] * w[o,i]} with the weights before the step (unless
     * {@code dIn} is null: the first layer's input needs no gradient), then
     * {@code w[o,i] = w[o,i] - eta * (sum_n dOut[n,o] * in[n,i] + weightDecay * w[o,i])}. Returns
     * false, having done nothing, where the backend has no such pass (the default); then
     * {@link KernelSet#fullyConnectedSgdStep} composes it from {@link #fullyConnectedBackwardInput},
     * {@link #fullyConnectedBackwardWeights} and {@link Update#sgdUpdate}. Reads
     * {@code dOut, in, w}; writes {@code dIn} (overwrites) and {@code w}.
     * FLOPs: {@code 2 * s.macs()} (4 with {@code dIn}) and 3 a weight.
     */
    default boolean fullyConnectedSgdStep(float[] dIn, float[] w, float[] dOut, float[] in, float eta, float weightDecay, FcShape s) {
        return false;
    }

    // ---------------------------------------------------------------- bias

    /**
     * Adds one bias per channel, in place: {@code out[n,c,y,x] += b[c]} ({@code b} has {@code s.c()}
     * elements; for a fully connected output use {@code TensorShape.of(n, features)}). Reads
     * {@code out, b}; <b>accumulates</b> into {@code out}. FLOPs: {@code s.size()}.
     */
    void biasForward(float[] out, float[] b, TensorShape s);

    /**
     * Gradient of the bias: {@code dB[c] += sum_{n,y,x} dOut[n,c,y,x]}. Reads {@code dOut, dB};
     * <b>accumulates</b> into {@code dB}. FLOPs: {@code s.size()}.
     */
    void biasBackward(float[] dB, float[] dOut, TensorShape s);
}
