package dev.nndl.network.layer;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import java.util.List;
import java.util.Random;

/**
 * A convolution with a bias per filter and an activation, {@code act(conv(x) + b)}: LeNet-5's C
 * layers, AlexNet's (grouped where the shape says so). Weights start N(0, 1/fan_in) with
 * {@code fan_in = c/groups * kh * kw} (LeCun's scaling, suited to tanh and sigmoid), or
 * N(0, 2/fan_in) before a ReLU (He et al. 2015: ReLU zeroes half its inputs, so this keeps the
 * activations' scale from layer to layer); biases at zero.
 */
public final class ConvLayer implements Layer {

    private final KernelSet k;
    private final ConvShape conv;
    private final TensorShape output;
    private final Activation activation;
    private final Parameter w, b;
    private final float[] out, dZ, dIn;
    private float[] in;

    public ConvLayer(KernelSet kernels, ConvShape conv, Activation activation, Random random) {
        this(kernels, conv, activation, new Parameter("conv weights", Init.gaussian(random, conv.weightSize(), gain(activation) / fanIn(conv)), true),
                new Parameter("conv biases", new float[conv.oc()], false));
    }

    private ConvLayer(KernelSet kernels, ConvShape conv, Activation activation, Parameter w, Parameter b) {
        this.k = kernels;
        this.conv = conv;
        this.output = conv.output();
        this.activation = activation;
        this.w = w;
        this.b = b;
        out = new float[conv.outputSize()];
        dZ = new float[conv.outputSize()];
        dIn = new float[conv.inputSize()];
    }

    private static double fanIn(ConvShape conv) {
        return (double) conv.c() / conv.groups() * conv.kh() * conv.kw();
    }

    private static double gain(Activation activation) {
        return activation == Activation.RELU ? 2 : 1;
    }

    public ConvShape shape() {
        return conv;
    }

    @Override
    public float[] forward(float[] input, long step) {
        in = input;
        k.conv2dForward(out, in, w.value(), conv);
        k.biasForward(out, b.value(), output);
        activation.forward(k, out);
        return out;
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        activation.backward(k, dZ, dOut, out);
        k.setZero(b.gradient());
        k.biasBackward(b.gradient(), dZ, output);
        k.setZero(w.gradient());
        k.conv2dBackwardWeights(w.gradient(), dZ, in, conv);
        if (!needInput) return null;
        k.conv2dBackwardInput(dIn, dZ, w.value(), conv);
        return dIn;
    }

    /**
     * With a filter that covers its whole unpadded input (LeNet-5's C5, 5 x 5 over 5 x 5) the
     * convolution is a fully connected layer over the flattened input, in the same layouts, and its
     * step is the dense layer's, in one pass over the weights where the kernel set has one
     * ({@link KernelSet#fullyConnectedSgdStep}): no weight gradient written, zeroed, read back.
     */
    @Override
    public float[] backward(float[] dOut, boolean needInput, Sgd sgd) {
        if (!conv.fullyConnected()) return Layer.super.backward(dOut, needInput, sgd);
        activation.backward(k, dZ, dOut, out);
        k.setZero(b.gradient());
        k.biasBackward(b.gradient(), dZ, output);
        sgd.step(b);
        k.fullyConnectedSgdStep(needInput ? dIn : null, w.value(), w.velocity(), w.gradient(), dZ, in, sgd.eta(), sgd.decay(w), conv.dense());
        return needInput ? dIn : null;
    }

    @Override
    public long macs() {
        return conv.macs();
    }

    @Override
    public Layer part(int batch) {
        return new ConvLayer(k, conv.withBatch(batch), activation, w.part(), b.part());
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w, b);
    }
}
