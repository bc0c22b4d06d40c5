package dev.nndl.spi;


/**
 * Element-wise activations: sigmoid, tanh and the ReLU, forward and backward from the output.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Activations {

    // ---------------------------------------------------------------- activations

    /**
     * Sigmoid: {@code out = 1 / (1 + exp(-in))}, element-wise; {@code out} may be {@code in}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: about 4 per element.
     */
    void sigmoidForward(float[] out, float[] in);

    /**
     * Gradient of the sigmoid from its output: {@code dIn = dOut * out * (1 - out)}; {@code dIn}
     * may be {@code dOut}. Reads {@code dOut, out}; writes (overwrites) {@code dIn}. FLOPs: 3 per element.
     */
    void sigmoidBackward(float[] dIn, float[] dOut, float[] out);

    /**
     * Hyperbolic tangent: {@code out = tanh(in)}, element-wise; {@code out} may be {@code in}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: about 6 per element.
     */
    void tanhForward(float[] out, float[] in);

    /**
     * Gradient of tanh from its output: {@code dIn = dOut * (1 - out^2)}; {@code dIn} may be
     * {@code dOut}. Reads {@code dOut, out}; writes (overwrites) {@code dIn}. FLOPs: 3 per element.
     */
    void tanhBackward(float[] dIn, float[] dOut, float[] out);

    /**
     * Rectified linear unit: {@code out = max(0, in)}, element-wise; {@code out} may be {@code in}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: 1 per element.
     */
    void reluForward(float[] out, float[] in);

    /**
     * Gradient of the ReLU from its output: {@code dIn = out > 0 ? dOut : 0} (the subgradient 0 at
     * 0); {@code dIn} may be {@code dOut}. Reads {@code dOut, out}; writes (overwrites)
     * {@code dIn}. FLOPs: 1 per element.
     */
    void reluBackward(float[] dIn, float[] dOut, float[] out);
}
