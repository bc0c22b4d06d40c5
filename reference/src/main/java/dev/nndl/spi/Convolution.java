package dev.nndl.spi;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;

/**
 * Convolution and transposed convolution, forward and backward (the guide's chapters 2 and 4).
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Convolution {

    // ---------------------------------------------------------------- convolution

    /**
     * Convolution (cross-correlation, as every framework computes it):
     * <pre>
     *   out[n,o,y,x] = sum_{c in group(o)} sum_{i,j} in[n, c, y*sh - ph + i*dh, x*sw - pw + j*dw] * w[o, c', i, j]
     * </pre>
     * where {@code c'} is {@code c} counted within its group and reads outside the input are the
     * zero padding. Reads {@code in, w}; writes (overwrites) {@code out}.
     * FLOPs: {@code 2 * s.macs()}.
     */
    void conv2dForward(float[] out, float[] in, float[] w, ConvShape s);

    /**
     * Gradient of the convolution with respect to its input (backward-data): the full correlation
     * of {@code dOut} with the flipped kernel,
     * <pre>
     *   dIn[n,c,y,x] = sum_{o in group(c)} sum_{i,j} dOut[n, o, (y + ph - i*dh)/sh, (x + pw - j*dw)/sw] * w[o, c', i, j]
     * </pre>
     * over the terms whose divisions are exact and land inside {@code dOut}. Reads {@code dOut, w};
     * writes (overwrites) {@code dIn}. FLOPs: {@code 2 * s.macs()}.
     */
    void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s);

    /**
     * Gradient of the convolution with respect to its weights (backward-weights):
     * <pre>
     *   dW[o,c',i,j] += sum_{n,y,x} dOut[n,o,y,x] * in[n, c, y*sh - ph + i*dh, x*sw - pw + j*dw]
     * </pre>
     * Reads {@code dOut, in, dW}; <b>accumulates</b> into {@code dW}. FLOPs: {@code 2 * s.macs()}.
     */
    void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s);

    // ---------------------------------------------------------------- transposed convolution

    /**
     * Transposed convolution: the backward-data pass of the associated convolution (the guide,
     * section 4), with {@code in} in the role of that convolution's output gradient,
     * <pre>
     *   out[n,o,y,x] = sum_{c in group(o)} sum_{i,j} in[n, c, (y + ph - i*dh)/sh, (x + pw - j*dw)/sw] * w[c, o', i, j]
     * </pre>
     * Output padding adds {@code oph} rows and {@code opw} columns at the bottom and right.
     * Reads {@code in, w}; writes (overwrites) {@code out}. FLOPs: {@code 2 * s.macs()}.
     * The default delegates to {@link #conv2dBackwardInput} on {@link ConvTransposeShape#associatedConv()}.
     */
    default void convTranspose2dForward(float[] out, float[] in, float[] w, ConvTransposeShape s) {
        conv2dBackwardInput(out, in, w, s.associatedConv());
    }

    /**
     * Gradient of the transposed convolution with respect to its input: the associated
     * convolution's forward pass applied to {@code dOut}. Reads {@code dOut, w}; writes
     * (overwrites) {@code dIn}. FLOPs: {@code 2 * s.macs()}. The default delegates to
     * {@link #conv2dForward}.
     */
    default void convTranspose2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvTransposeShape s) {
        conv2dForward(dIn, dOut, w, s.associatedConv());
    }

    /**
     * Gradient of the transposed convolution with respect to its weights:
     * <pre>
     *   dW[c,o',i,j] += sum_{n,y,x} in[n,c,y,x] * dOut[n, o, y*sh - ph + i*dh, x*sw - pw + j*dw]
     * </pre>
     * the associated convolution's backward-weights with {@code in} as its output gradient and
     * {@code dOut} as its input. Reads {@code dOut, in, dW}; <b>accumulates</b> into {@code dW}.
     * FLOPs: {@code 2 * s.macs()}. The default delegates to {@link #conv2dBackwardWeights}.
     */
    default void convTranspose2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvTransposeShape s) {
        conv2dBackwardWeights(dW, in, dOut, s.associatedConv());
    }
}
