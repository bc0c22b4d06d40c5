package dev.nndl.network.layer;

import dev.nndl.spi.KernelSet;

/** The activation a layer applies, forward and backward, through the kernel set. */
public enum Activation {
    SIGMOID {
        @Override void forward(KernelSet k, float[] a) { k.sigmoidForward(a, a); }
        @Override void backward(KernelSet k, float[] dZ, float[] dA, float[] a) { k.sigmoidBackward(dZ, dA, a); }
    },
    TANH {
        @Override void forward(KernelSet k, float[] a) { k.tanhForward(a, a); }
        @Override void backward(KernelSet k, float[] dZ, float[] dA, float[] a) { k.tanhBackward(dZ, dA, a); }
    },
    RELU {
        @Override void forward(KernelSet k, float[] a) { k.reluForward(a, a); }
        @Override void backward(KernelSet k, float[] dZ, float[] dA, float[] a) { k.reluBackward(dZ, dA, a); }
    };

    /** Applies the activation to {@code a} in place. */
    abstract void forward(KernelSet k, float[] a);

    /** {@code dZ = dA * f'(z)}, from the activation's output {@code a}. */
    abstract void backward(KernelSet k, float[] dZ, float[] dA, float[] a);
}
