package dev.nndl.network.layer;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import java.util.List;
import java.util.Random;

/**
 * Nielsen's ConvPoolLayer: {@code act(maxpool(conv(x)) + b)}, one bias per filter, added after the
 * pooling. Weights start N(0, 1/n_out) with {@code n_out = filters * kh * kw / pool area}.
 */
public final class ConvPoolLayer implements Layer {

    private final KernelSet k;
    private final ConvShape conv;
    private final PoolShape pool;
    private final TensorShape pooled;
    private final Activation activation;
    private final Parameter w, b;
    private final float[] convOut, out, dPooled, dConv, dIn;
    private float[] in;

    public ConvPoolLayer(KernelSet kernels, ConvShape conv, int poolSize, Activation activation, Random random) {
        this(kernels, conv, poolSize, activation,
                new Parameter("conv weights", Init.gaussian(random, conv.weightSize(), 1 / nOut(conv, poolSize)), true),
                new Parameter("conv biases", Init.gaussian(random, conv.oc(), 1), false));
    }

    private ConvPoolLayer(KernelSet kernels, ConvShape conv, int poolSize, Activation activation, Parameter w, Parameter b) {
        this.k = kernels;
        this.conv = conv;
        this.pool = PoolShape.of(conv.n(), conv.oc(), conv.oh(), conv.ow(), poolSize);
        this.pooled = pool.output();
        this.activation = activation;
        this.w = w;
        this.b = b;
        convOut = new float[conv.outputSize()];
        out = new float[pool.outputSize()];
        dPooled = new float[pool.outputSize()];
        dConv = new float[conv.outputSize()];
        dIn = new float[conv.inputSize()];
    }

    /** Nielsen's {@code n_out}: the filters' taps over the pooling's area. */
    private static double nOut(ConvShape conv, int poolSize) {
        return (double) conv.oc() * conv.kh() * conv.kw() / (poolSize * poolSize);
    }

    public ConvShape shape() {
        return conv;
    }

    @Override
    public float[] forward(float[] input, long step) {
        in = input;
        k.conv2dForward(convOut, in, w.value(), conv);
        k.maxPool2dForward(out, convOut, pool);
        k.biasForward(out, b.value(), pooled);
        activation.forward(k, out);
        return out;
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        activation.backward(k, dPooled, dOut, out);
        k.setZero(b.gradient());
        k.biasBackward(b.gradient(), dPooled, pooled);
        k.maxPool2dBackward(dConv, dPooled, convOut, pool);
        k.setZero(w.gradient());
        k.conv2dBackwardWeights(w.gradient(), dConv, in, conv);
        if (!needInput) return null;
        k.conv2dBackwardInput(dIn, dConv, w.value(), conv);
        return dIn;
    }

    @Override
    public long macs() {
        return conv.macs();
    }

    @Override
    public Layer part(int batch) {
        return new ConvPoolLayer(k, conv.withBatch(batch), pool.kh(), activation, w.part(), b.part());
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w, b);
    }
}
