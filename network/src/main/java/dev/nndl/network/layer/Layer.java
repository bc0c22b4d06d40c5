package dev.nndl.network.layer;

import java.util.List;

/**
 * A layer of a network, computing only through the {@link dev.nndl.spi.KernelSet} it was built
 * with (it never asks which backend that is). Arrays are the layer's own and reused from call to
 * call; {@code backward} follows the {@code forward} of the same mini-batch.
 */
public interface Layer {

    /**
     * The layer's output for {@code in}. {@code step} is the index of the training step this
     * forward pass belongs to, which seeds dropout's mask (so a resumed run draws the same masks),
     * or {@link #INFERENCE} for a forward pass without dropout.
     */
    float[] forward(float[] in, long step);

    /** The {@code step} of a forward pass that only evaluates. */
    long INFERENCE = -1;

    /**
     * Given the gradient of the cost with respect to this layer's output, accumulates the
     * parameter gradients (zeroed first) and returns the gradient with respect to its input, or
     * {@code null} when {@code needInput} is false (the first layer).
     */
    float[] backward(float[] dOut, boolean needInput);

    /**
     * {@link #backward(float[], boolean)}, then {@code sgd}'s step on every parameter, as soon as
     * its gradient is known: a layer may take a step in the pass that computes the gradient
     * ({@link dev.nndl.spi.KernelSet#fullyConnectedSgdStep}), which then never reaches memory.
     */
    default float[] backward(float[] dOut, boolean needInput, Sgd sgd) {
        float[] dIn = backward(dOut, needInput);
        for (Parameter p : parameters()) sgd.step(p);
        return dIn;
    }

    /** A plain SGD step, no momentum: {@code w -= eta * (dW + decay * w)} for what {@link Parameter#decays() decays}, {@code b -= eta * dB} for the rest. */
    record Sgd(dev.nndl.spi.KernelSet kernels, float eta, float decay) {
        public void step(Parameter p) {
            kernels.sgdUpdate(p.value(), p.velocity(), p.gradient(), eta, 0, decay(p));
        }

        /** The decay of {@code p}: {@link #decay} for weights, 0 for biases. */
        public float decay(Parameter p) {
            return p.decays() ? decay : 0;
        }
    }

    /** Multiply-adds of one forward pass over the mini-batch (its convolution or matrix product; the rest is lower order). */
    long macs();

    /** Weights and biases with their gradients and velocities, for the update. */
    List<Parameter> parameters();

    /**
     * This layer for {@code batch} of the mini-batch's samples, one of the parts a training step
     * splits them into ({@link dev.nndl.spi.KernelSet#sampleParts}): the same parameter values and
     * velocities, with gradients and activations of its own; null for a layer that cannot be split
     * so (dropout draws its masks over the whole mini-batch).
     */
    default Layer part(int batch) {
        return null;
    }

    /** A parameter array, its gradient, its momentum buffer, and whether L2 decays it (weights, not biases). */
    record Parameter(String name, float[] value, float[] gradient, float[] velocity, boolean decays) {
        public Parameter(String name, float[] value, boolean decays) {
            this(name, value, new float[value.length], new float[value.length], decays);
        }

        /** The same values and velocity, with a gradient of its own: the parameter of a {@link Layer#part}. */
        public Parameter part() {
            return new Parameter(name, value, new float[value.length], velocity, decays);
        }
    }
}
