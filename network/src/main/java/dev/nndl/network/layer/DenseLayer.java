package dev.nndl.network.layer;

import dev.nndl.shape.FcShape;
import dev.nndl.spi.DropoutRng;
import dev.nndl.spi.KernelSet;
import java.util.List;
import java.util.Random;

/**
 * A fully connected layer (Nielsen's FullyConnectedLayer, or with {@code softmax} his
 * SoftmaxLayer), with dropout of probability {@code p} on its input while training. Hidden layers
 * start with weights N(0, 1/n_out) and biases N(0, 1); the softmax layer starts at zero. At test
 * time the weights act scaled by {@code 1 - p}, as network3 does, by scaling the input instead.
 */
public final class DenseLayer implements Layer {

    private final KernelSet k;
    private final FcShape s;
    private final Activation activation;
    private final boolean softmax;
    private final float dropout;
    private final Parameter w, b;
    private final float[] logits, out, dZ, dIn, dDropped, dropped, mask;
    private final long seed;
    private float[] in;

    /** {@code activation} null makes this the softmax output layer. */
    public DenseLayer(KernelSet kernels, FcShape shape, Activation activation, float dropout, Random random) {
        this(kernels, shape, activation, dropout,
                new Parameter(activation == null ? "softmax weights" : "weights",
                        activation == null ? new float[shape.weightSize()] : Init.gaussian(random, shape.weightSize(), 1.0 / shape.out()), true),
                new Parameter(activation == null ? "softmax biases" : "biases",
                        activation == null ? new float[shape.out()] : Init.gaussian(random, shape.out(), 1), false),
                random.nextLong());
    }

    private DenseLayer(KernelSet kernels, FcShape shape, Activation activation, float dropout, Parameter w, Parameter b, long seed) {
        this.k = kernels;
        this.s = shape;
        this.activation = activation;
        this.softmax = activation == null;
        this.dropout = dropout;
        this.w = w;
        this.b = b;
        this.seed = seed;
        logits = new float[s.outputSize()];
        out = new float[s.outputSize()];
        dZ = softmax ? null : new float[s.outputSize()];
        dIn = new float[s.inputSize()];
        dDropped = new float[s.inputSize()];
        dropped = new float[s.inputSize()];
        mask = new float[s.inputSize()];
    }

    public FcShape shape() {
        return s;
    }

    /** The softmax layer's input of its last forward pass (its logits); null for a hidden layer. */
    public float[] logits() {
        return softmax ? logits : null;
    }

    @Override
    public float[] forward(float[] input, long step) {
        in = input;
        if (dropout > 0) {
            if (step != INFERENCE) {
                k.dropoutForward(dropped, mask, input, dropout, DropoutRng.bits(seed, step));
            } else {
                // scaling the input by 1 - p scales the weights' effect, as network3 scales the weights;
                // done as the kernel op l2Backward (dst += lambda * src) into zeros, so it stays on the device
                k.setZero(dropped);
                k.l2Backward(dropped, input, 1 - dropout);
            }
            in = dropped;
        }
        k.fullyConnectedForward(softmax ? logits : out, in, w.value(), s);
        k.biasForward(softmax ? logits : out, b.value(), s.output());
        if (softmax) k.softmaxForward(out, logits, s.output());
        else activation.forward(k, out);
        return out;
    }

    /** For the softmax layer, {@code dOut} is already the gradient with respect to the logits (fused with the log-likelihood). */
    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        float[] dZ = softmax ? dOut : this.dZ;
        if (!softmax) activation.backward(k, dZ, dOut, out);
        k.setZero(w.gradient());
        k.setZero(b.gradient());
        k.fullyConnectedBackwardWeights(w.gradient(), dZ, in, s);
        k.biasBackward(b.gradient(), dZ, s.output());
        if (!needInput) return null;
        if (dropout == 0) {
            k.fullyConnectedBackwardInput(dIn, dZ, w.value(), s);
            return dIn;
        }
        k.fullyConnectedBackwardInput(dDropped, dZ, w.value(), s);
        k.dropoutBackward(dIn, dDropped, mask);
        return dIn;
    }

    /** With the weights' step taken in the pass that computes the input's gradient from them. */
    @Override
    public float[] backward(float[] dOut, boolean needInput, Sgd sgd) {
        float[] dZ = softmax ? dOut : this.dZ;
        if (!softmax) activation.backward(k, dZ, dOut, out);
        k.setZero(b.gradient());
        k.biasBackward(b.gradient(), dZ, s.output());
        sgd.step(b);
        float[] dInput = !needInput ? null : dropout == 0 ? dIn : dDropped;
        k.fullyConnectedSgdStep(dInput, w.value(), w.velocity(), w.gradient(), dZ, in, sgd.eta(), sgd.decay(w), s);
        if (!needInput) return null;
        if (dropout != 0) k.dropoutBackward(dIn, dDropped, mask);
        return dIn;
    }

    @Override
    public long macs() {
        return s.macs();
    }

    /** Null with dropout, whose mask for a sample depends on its place in the whole mini-batch. */
    @Override
    public Layer part(int batch) {
        return dropout > 0 ? null : new DenseLayer(k, s.withBatch(batch), activation, dropout, w.part(), b.part(), seed);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w, b);
    }
}
