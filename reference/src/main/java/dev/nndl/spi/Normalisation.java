package dev.nndl.spi;

import dev.nndl.shape.LrnShape;

/**
 * Local response normalisation across channels (AlexNet).
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Normalisation {

    // ---------------------------------------------------------------- local response normalisation

    /**
     * Local response normalisation across channels, AlexNet's form (alpha not divided by size):
     * <pre>
     *   out[n,c,y,x] = in[n,c,y,x] / q[n,c,y,x]^beta,  q[n,c,y,x] = k + alpha * sum_{j in W(c)} in[n,j,y,x]^2
     * </pre>
     * with {@code W(c) = [max(0, c - size/2), min(C - 1, c + size/2)]}. Reads {@code in}; writes
     * (overwrites) {@code out}. FLOPs: about {@code (2 * size + 4)} per element.
     */
    void lrnForward(float[] out, float[] in, LrnShape s);

    /**
     * Gradient of local response normalisation:
     * <pre>
     *   dIn[c] = dOut[c] * q[c]^-beta - 2 * alpha * beta * in[c] * sum_{j in W(c)} dOut[j] * in[j] * q[j]^(-beta-1)
     * </pre>
     * at every (n, y, x) ({@code c} lies in {@code W(j)} exactly when {@code j} lies in {@code W(c)}).
     * Reads {@code dOut, in}; writes (overwrites) {@code dIn}. FLOPs: about {@code (4 * size + 8)}
     * per element.
     */
    void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s);
}
