package dev.nndl.spi;


/**
 * Dropout and the L2 term.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Regularisation {

    // ---------------------------------------------------------------- regularisation

    /**
     * Dropout as in Nielsen's network3: {@code mask[e] = DropoutRng.keep(seed, e, p) ? 1 : 0} and
     * {@code out[e] = in[e] * mask[e]}, with no rescaling during training (the network scales the
     * weights by {@code 1 - p} at test time). {@code 0 <= p < 1} is the probability of dropping;
     * {@code e} is the element's index in the array. Reads {@code in}; writes (overwrites)
     * {@code out} and {@code mask}. FLOPs: 1 per element plus the random draw.
     */
    void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed);

    /**
     * Gradient of dropout: {@code dIn = dOut * mask}. Reads {@code dOut, mask}; writes
     * (overwrites) {@code dIn}. FLOPs: 1 per element.
     */
    void dropoutBackward(float[] dIn, float[] dOut, float[] mask);

    /**
     * The L2 term's sum of squares: {@code sum[0] = sum_e w[e]^2} ({@code sum} has one element; the
     * network scales it by {@code 0.5 * lambda / batches}). Reads {@code w}; writes (overwrites)
     * {@code sum}. FLOPs: 2 per element.
     */
    void l2Forward(float[] sum, float[] w);

    /**
     * Gradient of {@code 0.5 * lambda * sum w^2}: {@code dW[e] += lambda * w[e]}. Reads
     * {@code w, dW}; <b>accumulates</b> into {@code dW}. FLOPs: 2 per element.
     */
    void l2Backward(float[] dW, float[] w, float lambda);
}
