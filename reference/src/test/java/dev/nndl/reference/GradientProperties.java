package dev.nndl.reference;

import static dev.nndl.testing.Tensors.awayFromZero;
import static dev.nndl.testing.Tensors.distinct;
import static dev.nndl.testing.Tensors.oneHot;
import static dev.nndl.testing.Tensors.uniform;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.testing.FiniteDifference;
import dev.nndl.testing.Property;
import dev.nndl.testing.ShapeGen;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Every backward operation of the reference matches central finite differences of its forward
 * operation, for random small shapes (see {@link FiniteDifference} for the tolerance). The
 * scalar differentiated is {@code sum_k r[k] * forward(x)[k]}, so each backward pass is called
 * with {@code dOut = r}.
 */
class GradientProperties {

    private static final int TRIES = 60;
    private static final int SAMPLES = 16;

    private final ReferenceKernels k = new ReferenceKernels();

    @Test
    void conv2dBackwardInputMatchesFiniteDifferences() {
        Property.check("conv2d backward-input = d conv2d / d in", TRIES, ShapeGen.conv(), c -> {
            ConvShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.inputSize(), -1, 1), w = uniform(random, s.weightSize(), -1, 1);
            float[] r = uniform(random, s.outputSize(), -1, 1);
            float[] dIn = new float[s.inputSize()];
            k.conv2dBackwardInput(dIn, r, w, s);
            FiniteDifference.check("conv2d " + s + " d/d in", in, () -> conv(in, w, s), r, dIn, SAMPLES, random);
        });
    }

    @Test
    void conv2dBackwardWeightsMatchesFiniteDifferences() {
        Property.check("conv2d backward-weights = d conv2d / d w", TRIES, ShapeGen.conv(), c -> {
            ConvShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.inputSize(), -1, 1), w = uniform(random, s.weightSize(), -1, 1);
            float[] r = uniform(random, s.outputSize(), -1, 1);
            float[] dW = new float[s.weightSize()];
            k.conv2dBackwardWeights(dW, r, in, s);
            FiniteDifference.check("conv2d " + s + " d/d w", w, () -> conv(in, w, s), r, dW, SAMPLES, random);
        });
    }

    @Test
    void convTranspose2dGradientsMatchFiniteDifferences() {
        Property.check("conv-transpose2d backward = d conv-transpose2d", TRIES, ShapeGen.convTranspose(), c -> {
            ConvTransposeShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.inputSize(), -1, 1), w = uniform(random, s.weightSize(), -1, 1);
            float[] r = uniform(random, s.outputSize(), -1, 1);
            float[] dIn = new float[s.inputSize()], dW = new float[s.weightSize()];
            k.convTranspose2dBackwardInput(dIn, r, w, s);
            k.convTranspose2dBackwardWeights(dW, r, in, s);
            FiniteDifference.check("conv-transpose2d " + s + " d/d in", in, () -> convTranspose(in, w, s), r, dIn, SAMPLES, random);
            FiniteDifference.check("conv-transpose2d " + s + " d/d w", w, () -> convTranspose(in, w, s), r, dW, SAMPLES, random);
        });
    }

    @Test
    void maxPool2dBackwardMatchesFiniteDifferences() {
        Property.check("max-pool2d backward = d max-pool2d / d in", TRIES, ShapeGen.pool(), c -> {
            PoolShape s = c.shape();
            Random random = c.random();
            // distinct values 4 steps apart: no window's maximum changes within +-h
            float[] in = distinct(random, s.inputSize(), 4 * FiniteDifference.STEP);
            float[] r = uniform(random, s.outputSize(), -1, 1);
            float[] dIn = new float[s.inputSize()];
            k.maxPool2dBackward(dIn, r, in, s);
            FiniteDifference.check("max-pool2d " + s, in, () -> {
                float[] out = new float[s.outputSize()];
                k.maxPool2dForward(out, in, s);
                return out;
            }, r, dIn, SAMPLES, random);
        });
    }

    @Test
    void avgPool2dBackwardMatchesFiniteDifferences() {
        Property.check("avg-pool2d backward = d avg-pool2d / d in", TRIES, ShapeGen.pool(), c -> {
            PoolShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.inputSize(), -1, 1), r = uniform(random, s.outputSize(), -1, 1);
            float[] dIn = new float[s.inputSize()];
            k.avgPool2dBackward(dIn, r, s);
            FiniteDifference.check("avg-pool2d " + s, in, () -> {
                float[] out = new float[s.outputSize()];
                k.avgPool2dForward(out, in, s);
                return out;
            }, r, dIn, SAMPLES, random);
        });
    }

    @Test
    void lpPool2dBackwardMatchesFiniteDifferences() {
        float[] powers = {1, 2, 3, 1.5f};
        Property.check("lp-pool2d backward = d lp-pool2d / d in", TRIES, ShapeGen.pool(), c -> {
            PoolShape s = c.shape();
            Random random = c.random();
            float p = powers[random.nextInt(powers.length)];
            // magnitudes well away from 0, where |x|^p has its kink for p = 1
            float[] in = awayFromZero(random, s.inputSize(), 0.25f, 1.5f), r = uniform(random, s.outputSize(), -1, 1);
            float[] out = new float[s.outputSize()], dIn = new float[s.inputSize()];
            k.lpPool2dForward(out, in, p, s);
            k.lpPool2dBackward(dIn, r, in, out, p, s);
            FiniteDifference.check("lp-pool2d p=" + p + " " + s, in, () -> {
                float[] o = new float[s.outputSize()];
                k.lpPool2dForward(o, in, p, s);
                return o;
            }, r, dIn, SAMPLES, random);
        });
    }

    @Test
    void fullyConnectedGradientsMatchFiniteDifferences() {
        Property.check("fully-connected backward = d fully-connected", TRIES, ShapeGen.fc(), c -> {
            FcShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.inputSize(), -1, 1), w = uniform(random, s.weightSize(), -1, 1);
            float[] r = uniform(random, s.outputSize(), -1, 1);
            float[] dIn = new float[s.inputSize()], dW = new float[s.weightSize()];
            k.fullyConnectedBackwardInput(dIn, r, w, s);
            k.fullyConnectedBackwardWeights(dW, r, in, s);
            FiniteDifference.check("fully-connected " + s + " d/d in", in, () -> fc(in, w, s), r, dIn, SAMPLES, random);
            FiniteDifference.check("fully-connected " + s + " d/d w", w, () -> fc(in, w, s), r, dW, SAMPLES, random);
        });
    }

    @Test
    void biasBackwardMatchesFiniteDifferences() {
        Property.check("bias backward = d bias / d b", TRIES, ShapeGen.tensor(), c -> {
            TensorShape s = c.shape();
            Random random = c.random();
            float[] x = uniform(random, s.size(), -1, 1), b = uniform(random, s.c(), -1, 1), r = uniform(random, s.size(), -1, 1);
            float[] dB = new float[s.c()];
            k.biasBackward(dB, r, s);
            FiniteDifference.check("bias " + s, b, () -> {
                float[] out = x.clone();
                k.biasForward(out, b, s);
                return out;
            }, r, dB, SAMPLES, random);
        });
    }

    @Test
    void activationGradientsMatchFiniteDifferences() {
        Property.check("sigmoid, tanh, relu backward = their derivatives", TRIES, ShapeGen.tensor(), c -> {
            Random random = c.random();
            int size = c.shape().size();
            // away from 0 by more than h, where the ReLU has its kink
            float[] in = awayFromZero(random, size, 4 * FiniteDifference.STEP, 3), r = uniform(random, size, -1, 1);
            float[] out = new float[size], dIn = new float[size];

            k.sigmoidForward(out, in);
            k.sigmoidBackward(dIn, r, out);
            FiniteDifference.check("sigmoid", in, () -> elementwise(k::sigmoidForward, in), r, dIn, SAMPLES, random);

            k.tanhForward(out, in);
            k.tanhBackward(dIn, r, out);
            FiniteDifference.check("tanh", in, () -> elementwise(k::tanhForward, in), r, dIn, SAMPLES, random);

            k.reluForward(out, in);
            k.reluBackward(dIn, r, out);
            FiniteDifference.check("relu", in, () -> elementwise(k::reluForward, in), r, dIn, SAMPLES, random);
        });
    }

    @Test
    void softmaxBackwardMatchesFiniteDifferences() {
        Property.check("softmax backward = d softmax / d in", TRIES, ShapeGen.rows(), c -> {
            TensorShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.size(), -3, 3), r = uniform(random, s.size(), -1, 1);
            float[] out = new float[s.size()], dIn = new float[s.size()];
            k.softmaxForward(out, in, s);
            k.softmaxBackward(dIn, r, out, s);
            FiniteDifference.check("softmax " + s, in, () -> {
                float[] o = new float[s.size()];
                k.softmaxForward(o, in, s);
                return o;
            }, r, dIn, SAMPLES, random);
        });
    }

    @Test
    void softmaxLogLikelihoodBackwardMatchesFiniteDifferences() {
        Property.check("softmax + log-likelihood backward = d mean(-ln softmax(z)_y) / d z", TRIES, ShapeGen.rows(), c -> {
            TensorShape s = c.shape();
            Random random = c.random();
            float[] z = uniform(random, s.size(), -3, 3), y = oneHot(random, s.n(), s.features());
            float[] a = new float[s.size()], dZ = new float[s.size()];
            k.softmaxForward(a, z, s);
            k.softmaxLogLikelihoodBackward(dZ, a, y, s);
            FiniteDifference.checkScalar("softmax + log-likelihood " + s, z, () -> meanSoftmaxLogLikelihood(z, y, s), dZ, SAMPLES, random);
        });
    }

    @Test
    void costGradientsMatchFiniteDifferences() {
        Property.check("quadratic and cross-entropy cost backward = d mean cost / d a", TRIES, ShapeGen.rows(), c -> {
            TensorShape s = c.shape();
            Random random = c.random();
            float[] a = uniform(random, s.size(), 0.1f, 0.9f), y = uniform(random, s.size(), 0, 1);
            float[] mean = constant(s.n(), 1f / s.n()), dA = new float[s.size()];

            k.quadraticCostBackward(dA, a, y, s);
            FiniteDifference.check("quadratic cost " + s, a, () -> {
                float[] loss = new float[s.n()];
                k.quadraticCostForward(loss, a, y, s);
                return loss;
            }, mean, dA, SAMPLES, random);

            k.crossEntropyCostBackward(dA, a, y, s);
            FiniteDifference.check("cross-entropy cost " + s, a, () -> {
                float[] loss = new float[s.n()];
                k.crossEntropyCostForward(loss, a, y, s);
                return loss;
            }, mean, dA, SAMPLES, random);

            // a away from 0: the fifth derivative of ln a is 24 / a^5
            float[] p = uniform(random, s.size(), 0.25f, 1f), dP = new float[s.size()];
            // the log-likelihood alone, d/da of -y ln a, is -y / a / N: the fused backward's other factor
            for (int e = 0; e < dP.length; e++) dP[e] = -y[e] / p[e] / s.n();
            FiniteDifference.check("log-likelihood " + s, p, () -> {
                float[] loss = new float[s.n()];
                k.logLikelihoodForward(loss, p, y, s);
                return loss;
            }, mean, dP, SAMPLES, random);
        });
    }

    @Test
    void lrnBackwardMatchesFiniteDifferences() {
        Property.check("lrn backward = d lrn / d in", TRIES, ShapeGen.lrn(), c -> {
            LrnShape s = c.shape();
            Random random = c.random();
            int size = s.tensor().size();
            float[] in = uniform(random, size, -2, 2), r = uniform(random, size, -1, 1), dIn = new float[size];
            k.lrnBackward(dIn, r, in, s);
            FiniteDifference.check("lrn " + s, in, () -> {
                float[] out = new float[size];
                k.lrnForward(out, in, s);
                return out;
            }, r, dIn, SAMPLES, random);
        });
    }

    @Test
    void dropoutAndL2GradientsMatchFiniteDifferences() {
        Property.check("dropout and l2 backward = their derivatives", TRIES, ShapeGen.tensor(), c -> {
            Random random = c.random();
            int size = c.shape().size();
            float p = random.nextFloat() * 0.9f;
            long seed = random.nextLong();
            float[] in = uniform(random, size, -1, 1), r = uniform(random, size, -1, 1);
            float[] out = new float[size], mask = new float[size], dIn = new float[size];
            k.dropoutForward(out, mask, in, p, seed);
            k.dropoutBackward(dIn, r, mask);
            FiniteDifference.check("dropout p=" + p, in, () -> {
                float[] o = new float[size], m = new float[size];
                k.dropoutForward(o, m, in, p, seed);
                return o;
            }, r, dIn, SAMPLES, random);

            float lambda = 0.5f + random.nextFloat();
            float[] dW = new float[size];
            k.l2Backward(dW, in, lambda);
            // d/dw of 0.5 * lambda * sum w^2: the forward gives sum w^2, so weigh it by 0.5 * lambda
            FiniteDifference.check("l2 lambda=" + lambda, in, () -> {
                float[] sum = new float[1];
                k.l2Forward(sum, in);
                return sum;
            }, new float[] {0.5f * lambda}, dW, SAMPLES, random);
        });
    }

    // ---------------------------------------------------------------- forward passes into fresh arrays

    /** The mean log-likelihood cost of a softmax output, {@code (1/N) sum_n -sum_j y ln softmax(z)}, in double from the definition. */
    private static double meanSoftmaxLogLikelihood(float[] z, float[] y, TensorShape s) {
        int f = s.features();
        double total = 0;
        for (int n = 0; n < s.n(); n++) {
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int j = 0; j < f; j++) max = Math.max(max, z[n * f + j]);
            for (int j = 0; j < f; j++) sum += Math.exp(z[n * f + j] - max);
            for (int j = 0; j < f; j++) total -= y[n * f + j] * (z[n * f + j] - max - Math.log(sum));
        }
        return total / s.n();
    }

    private float[] conv(float[] in, float[] w, ConvShape s) {
        float[] out = new float[s.outputSize()];
        k.conv2dForward(out, in, w, s);
        return out;
    }

    private float[] convTranspose(float[] in, float[] w, ConvTransposeShape s) {
        float[] out = new float[s.outputSize()];
        k.convTranspose2dForward(out, in, w, s);
        return out;
    }

    private float[] fc(float[] in, float[] w, FcShape s) {
        float[] out = new float[s.outputSize()];
        k.fullyConnectedForward(out, in, w, s);
        return out;
    }

    private interface Elementwise {
        void apply(float[] out, float[] in);
    }

    private static float[] elementwise(Elementwise op, float[] in) {
        float[] out = new float[in.length];
        op.apply(out, in);
        return out;
    }

    private static float[] constant(int size, float value) {
        float[] a = new float[size];
        Arrays.fill(a, value);
        return a;
    }
}
