package dev.nndl.spi;

import dev.nndl.shape.ConcatShape;

/**
 * Channel concatenation and element-wise sums, which join a network's branches (GoogLeNet).
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Composition {

    // ---------------------------------------------------------------- composition: concatenation and sums

    /**
     * Channel concatenation (GoogLeNet's inception module): part {@code p} fills channels
     * {@code offset(p) .. offset(p) + C_p - 1} of every sample,
     * {@code out[n, offset(p) + c, y, x] = parts[p][n, c, y, x]}. Reads every {@code parts[p]};
     * writes (overwrites) {@code out}. FLOPs: 0 ({@code s.outputSize()} copies).
     */
    void concatForward(float[] out, float[][] parts, ConcatShape s);

    /**
     * Gradient of the concatenation: each part gets its channels back,
     * {@code dParts[p][n, c, y, x] = dOut[n, offset(p) + c, y, x]}. Reads {@code dOut}; writes
     * (overwrites) every {@code dParts[p]}. FLOPs: 0.
     */
    void concatBackward(float[][] dParts, float[] dOut, ConcatShape s);

    /**
     * Element-wise sum, {@code out = a + b}; {@code out} may be {@code a} or {@code b}. Where one
     * tensor feeds several layers (the inception module's branches), the gradients reaching it
     * add up this way; its own gradient is {@code dOut} for both operands, so it has no backward
     * operation. Reads {@code a, b}; writes (overwrites) {@code out}. FLOPs: 1 per element.
     */
    void addForward(float[] out, float[] a, float[] b);

    /**
     * {@code out = 0}: how a caller zeroes an array without writing it on the host, such as the
     * parameter gradients that the backward operations accumulate into, once per step. Reads
     * nothing; writes (overwrites) {@code out}. FLOPs: 0. The default writes the host array, which
     * is right for every backend that computes on the host arrays or copies them in on every call;
     * one that keeps arrays on a device overrides it.
     */
    default void setZero(float[] out) {
        java.util.Arrays.fill(out, 0);
    }
}
