package dev.nndl.spi;

import dev.nndl.shape.PoolShape;

/**
 * Max, average and L<sup>p</sup> pooling, forward and backward.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Pooling {

    // ---------------------------------------------------------------- pooling

    /**
     * Max pooling: {@code out[n,c,y,x] = max_{i,j} in[n, c, y*sh - ph + i, x*sw - pw + j]} over the
     * window's elements inside the input (padding never wins). Reads {@code in}; writes
     * (overwrites) {@code out}. FLOPs: {@code s.windowElements()} comparisons.
     */
    void maxPool2dForward(float[] out, float[] in, PoolShape s);

    /**
     * Gradient of max pooling: each {@code dOut[n,c,y,x]} goes to the window's maximum; when
     * several elements tie, to the first in row-major window order only (as cuDNN and PyTorch do),
     * and windows that overlap add up. The maximum is found again from {@code in}. Reads
     * {@code dOut, in}; writes (overwrites) {@code dIn}. FLOPs: {@code s.windowElements()}.
     */
    void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s);

    /**
     * Average pooling over the full window, zero padding included (PyTorch's
     * {@code count_include_pad=True}; the guide's figures are unpadded, where the two agree):
     * {@code out[n,c,y,x] = (1 / (kh*kw)) * sum_{i,j} in[n, c, y*sh - ph + i, x*sw - pw + j]}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: {@code s.windowElements() + outputs}.
     */
    void avgPool2dForward(float[] out, float[] in, PoolShape s);

    /**
     * Gradient of average pooling: every input element of a window receives
     * {@code dOut[n,c,y,x] / (kh*kw)}; overlapping windows add up. Reads {@code dOut}; writes
     * (overwrites) {@code dIn}. FLOPs: {@code 2 * s.windowElements()}.
     */
    void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s);

    /**
     * L<sup>p</sup> pooling (the seed's table): {@code out = (sum_{i,j} |in[...]|^p)^(1/p)} over
     * the window, {@code p >= 1}. Reads {@code in}; writes (overwrites) {@code out}.
     * FLOPs: about {@code 3 * s.windowElements()} (an abs, a power and an add per element).
     */
    void lpPool2dForward(float[] out, float[] in, float p, PoolShape s);

    /**
     * Gradient of L<sup>p</sup> pooling:
     * {@code dIn[e] += dOut * (|in[e]| / out)^(p-1) * sign(in[e])} for every element {@code e} of
     * the window, which is the seed's {@code (sum |x|^p)^(1/p - 1) |x_i|^(p-1)} with the sign the
     * absolute value contributes; zero where {@code out == 0}. Reads {@code dOut, in, out}; writes
     * (overwrites) {@code dIn}. FLOPs: about {@code 5 * s.windowElements()}.
     */
    void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s);
}
