package dev.nndl.bench;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.KernelSet;
import java.util.Arrays;
import java.util.Random;

/**
 * One SGD step of Nielsen's v3 or v6 (forward, backward, update) on one mini-batch, built from
 * {@link KernelSet} calls the way network3.py builds it: conv-pool layers are
 * {@code relu(maxpool(conv(x)) + b)}, then fully connected ReLU layers, then a softmax layer
 * trained on the log-likelihood. v3 adds L2 as weight decay; v6 has two FC 1000 layers and
 * dropout 0.5 on the inputs of its FC and softmax layers.
 *
 * <p>This is the benchmark's own composition of the step, kept here until the network module
 * (issue 7) provides the training loop; it exists to time the kernels working together.
 *
 * <p>FLOPs per image, counting multiply-adds twice: v3 is {@code 9.2e6} (conv1 forward and
 * backward-weights, conv2 forward, backward-data and backward-weights, and the FC layers'
 * three passes); {@link #flopsPerImage} computes it from the shapes.
 */
public final class LadderStep {

    private final KernelSet k;
    private final int batch;
    private final float eta, decay, dropout;
    private final float[] x, target;
    private final ConvPool conv1, conv2;
    private final Dense[] dense;
    private long seed = 1;

    public LadderStep(KernelSet kernels, String rung, int batch) {
        this.k = kernels;
        this.batch = batch;
        boolean v6 = rung.equals("v6");
        if (!v6 && !rung.equals("v3")) throw new IllegalArgumentException("the step benchmark knows v3 and v6, not " + rung);
        this.eta = 0.03f;
        this.decay = v6 ? 0 : 0.1f / (50_000f / batch);
        this.dropout = v6 ? 0.5f : 0;
        Random random = new Random(42);
        x = uniform(random, batch * 28 * 28, 0, 1);
        target = new float[batch * 10];
        for (int n = 0; n < batch; n++) target[n * 10 + random.nextInt(10)] = 1;
        conv1 = new ConvPool(ConvShape.of(batch, 1, 28, 28, 20, 5), random);
        conv2 = new ConvPool(ConvShape.of(batch, 20, 12, 12, 40, 5), random);
        dense = v6 ? new Dense[] {new Dense(640, 1000, true, random), new Dense(1000, 1000, true, random), new Dense(1000, 10, false, random)}
                : new Dense[] {new Dense(640, 100, true, random), new Dense(100, 10, false, random)};
    }

    /** Floating-point operations per image of one step. */
    public static double flopsPerImage(String rung) {
        double conv1 = 2.0 * ConvShape.of(1, 1, 28, 28, 20, 5).macs(), conv2 = 2.0 * ConvShape.of(1, 20, 12, 12, 40, 5).macs();
        double fc = rung.equals("v6") ? 2.0 * (640 * 1000 + 1000 * 1000 + 1000 * 10) : 2.0 * (640 * 100 + 100 * 10);
        // conv1: forward and backward-weights (the input needs no gradient); conv2 and the FC layers: all three passes
        return 2 * conv1 + 3 * conv2 + 3 * fc;
    }

    /** One mini-batch: forward, backward, update. Returns the softmax output. */
    public float[] step() {
        seed++;
        float[] a = conv2.forward(conv1.forward(x));
        for (Dense d : dense) a = d.forward(a);
        float[] delta = new float[a.length];
        k.softmaxLogLikelihoodBackward(delta, a, target, TensorShape.of(batch, 10));
        for (int i = dense.length - 1; i >= 0; i--) delta = dense[i].backward(delta, i == dense.length - 1);
        conv1.backward(conv2.backward(delta, true), false);
        conv1.update();
        conv2.update();
        for (Dense d : dense) d.update();
        return a;
    }

    private static float[] uniform(Random random, int size, float lo, float hi) {
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = lo + (hi - lo) * random.nextFloat();
        return a;
    }

    private static float[] gaussian(Random random, int size, double sd) {
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = (float) (random.nextGaussian() * sd);
        return a;
    }

    /** {@code relu(maxpool(conv(x)) + b)}, Nielsen's ConvPoolLayer with 2x2 pooling. */
    private final class ConvPool {
        final ConvShape c;
        final PoolShape p;
        final TensorShape pooled;
        final float[] w, b, v, vb, dW, dB, conv, out, dPooled, dConv, dIn;
        float[] in;

        ConvPool(ConvShape c, Random random) {
            this.c = c;
            this.p = PoolShape.of(c.n(), c.oc(), c.oh(), c.ow(), 2);
            this.pooled = p.output();
            w = gaussian(random, c.weightSize(), Math.sqrt(1.0 / (c.oc() * c.kh() * c.kw() / 4.0)));
            b = gaussian(random, c.oc(), 1);
            v = new float[w.length];
            vb = new float[b.length];
            dW = new float[w.length];
            dB = new float[b.length];
            conv = new float[c.outputSize()];
            out = new float[p.outputSize()];
            dPooled = new float[p.outputSize()];
            dConv = new float[c.outputSize()];
            dIn = new float[c.inputSize()];
        }

        float[] forward(float[] input) {
            in = input;
            k.conv2dForward(conv, in, w, c);
            k.maxPool2dForward(out, conv, p);
            k.biasForward(out, b, pooled);
            k.reluForward(out, out);
            return out;
        }

        float[] backward(float[] dOut, boolean needInput) {
            k.reluBackward(dPooled, dOut, out);
            Arrays.fill(dB, 0);
            k.biasBackward(dB, dPooled, pooled);
            k.maxPool2dBackward(dConv, dPooled, conv, p);
            Arrays.fill(dW, 0);
            k.conv2dBackwardWeights(dW, dConv, in, c);
            if (needInput) k.conv2dBackwardInput(dIn, dConv, w, c);
            return dIn;
        }

        void update() {
            k.sgdUpdate(w, v, dW, eta, 0, decay);
            k.sgdUpdate(b, vb, dB, eta, 0, 0);
        }
    }

    /** A fully connected ReLU layer, or the softmax output layer; with dropout on its input in v6. */
    private final class Dense {
        final FcShape s;
        final boolean relu;
        final float[] w, b, v, vb, dW, dB, out, dZ, dIn, dropped, mask;
        float[] in;

        Dense(int inputs, int outputs, boolean relu, Random random) {
            this.s = new FcShape(batch, inputs, outputs);
            this.relu = relu;
            w = relu ? gaussian(random, s.weightSize(), Math.sqrt(1.0 / outputs)) : new float[s.weightSize()];
            b = relu ? gaussian(random, outputs, 1) : new float[outputs];
            v = new float[w.length];
            vb = new float[b.length];
            dW = new float[w.length];
            dB = new float[b.length];
            out = new float[s.outputSize()];
            dZ = new float[s.outputSize()];
            dIn = new float[s.inputSize()];
            dropped = new float[s.inputSize()];
            mask = new float[s.inputSize()];
        }

        float[] forward(float[] input) {
            in = input;
            if (dropout > 0) {
                k.dropoutForward(dropped, mask, input, dropout, seed * 31 + s.in());
                in = dropped;
            }
            k.fullyConnectedForward(out, in, w, s);
            k.biasForward(out, b, s.output());
            if (relu) k.reluForward(out, out);
            else k.softmaxForward(out, out.clone(), s.output());
            return out;
        }

        float[] backward(float[] delta, boolean isOutput) {
            if (relu) k.reluBackward(dZ, delta, out);
            else System.arraycopy(delta, 0, dZ, 0, dZ.length);
            Arrays.fill(dW, 0);
            Arrays.fill(dB, 0);
            k.fullyConnectedBackwardWeights(dW, dZ, in, s);
            k.biasBackward(dB, dZ, s.output());
            k.fullyConnectedBackwardInput(dIn, dZ, w, s);
            if (dropout > 0) k.dropoutBackward(dIn, dIn.clone(), mask);
            return dIn;
        }

        void update() {
            k.sgdUpdate(w, v, dW, eta, 0, decay);
            k.sgdUpdate(b, vb, dB, eta, 0, 0);
        }
    }
}
