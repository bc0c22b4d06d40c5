package dev.nndl.reference;

import static dev.nndl.testing.Tensors.integers;
import static dev.nndl.testing.Tensors.nans;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nndl.shape.ConvArithmetic;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.testing.Gen;
import dev.nndl.testing.Property;
import dev.nndl.spi.DropoutRng;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Single operations checked against values worked out by hand or by an independent construction. */
class OperationExamplesTest {

    private final ReferenceKernels k = new ReferenceKernels();

    /**
     * The guide's section 4: a transposed convolution equals a unit-stride direct convolution of
     * the flipped kernel over the input stretched by s - 1 zeros between units, padded by
     * {@code p' = k - p - 1} on each side and {@code a} more at the end (relationships 12-14).
     */
    @Test
    void transposedConvolutionEqualsTheGuidesStretchedDirectConvolution() {
        record Single(int i, int k, int s, int p, int a, int seed) {
            Single {
                if (p > k - 1) throw new IllegalArgumentException("p' = k - p - 1 would be negative");
                ConvArithmetic.transposedOutput(i, k, s, p, a);
            }
        }
        Gen<Single> cases = Gen.vector(v -> new Single(v[0], v[1], v[2], v[3], v[4], v[5]),
                Gen.between(1, 6, 2), Gen.between(1, 4, 3), Gen.between(1, 3, 2), Gen.between(0, 3, 1), Gen.between(0, 2, 1), Gen.between(0, 1000));
        Property.check("convT = direct conv over the stretched, padded input with the flipped kernel", 300, cases, c -> {
            Random random = new Random(c.seed());
            ConvTransposeShape t = new ConvTransposeShape(1, 1, c.i(), c.i(), 1, c.k(), c.k(), c.s(), c.s(), c.p(), c.p(), 1, 1, c.a(), c.a(), 1);
            float[] in = integers(random, t.inputSize(), -3, 3), w = integers(random, t.weightSize(), -3, 3);
            float[] out = nans(t.outputSize());
            k.convTranspose2dForward(out, in, w, t);

            int stretched = c.i() + (c.i() - 1) * (c.s() - 1), pad = c.k() - c.p() - 1, side = stretched + 2 * pad + c.a();
            float[] padded = new float[side * side];
            for (int y = 0; y < c.i(); y++) {
                for (int x = 0; x < c.i(); x++) padded[(pad + y * c.s()) * side + pad + x * c.s()] = in[y * c.i() + x];
            }
            float[] flipped = new float[w.length];
            for (int e = 0; e < w.length; e++) flipped[e] = w[w.length - 1 - e];
            ConvShape direct = ConvShape.of(1, 1, side, side, 1, c.k());
            float[] expected = nans(direct.outputSize());
            k.conv2dForward(expected, padded, flipped, direct);
            assertArrayEquals(expected, out, t.toString());
        });
    }

    /** A grouped convolution is one convolution per group, side by side (AlexNet's two-GPU split). */
    @Test
    void groupedConvolutionIsOneConvolutionPerGroup() {
        Random random = new Random(7);
        ConvShape grouped = ConvShape.of(2, 4, 6, 5, 6, 3).withGroups(2).withPadding(1);
        ConvShape half = ConvShape.of(2, 2, 6, 5, 3, 3).withPadding(1);
        float[] in = integers(random, grouped.inputSize(), -3, 3), w = integers(random, grouped.weightSize(), -3, 3);
        float[] out = nans(grouped.outputSize());
        k.conv2dForward(out, in, w, grouped);
        int plane = 6 * 5, outPlane = grouped.oh() * grouped.ow();
        for (int g = 0; g < 2; g++) {
            float[] inG = new float[half.inputSize()], outG = new float[half.outputSize()];
            for (int n = 0; n < 2; n++) System.arraycopy(in, (n * 4 + 2 * g) * plane, inG, n * 2 * plane, 2 * plane);
            float[] wG = Arrays.copyOfRange(w, g * half.weightSize(), (g + 1) * half.weightSize());
            k.conv2dForward(outG, inG, wG, half);
            for (int n = 0; n < 2; n++) {
                float[] got = Arrays.copyOfRange(out, (n * 6 + 3 * g) * outPlane, (n * 6 + 3 * g + 3) * outPlane);
                float[] want = Arrays.copyOfRange(outG, n * 3 * outPlane, (n + 1) * 3 * outPlane);
                assertArrayEquals(want, got, "group " + g + ", sample " + n);
            }
        }
    }

    /** A kernel dilated by d is the kernel with d - 1 zeros between its taps (the guide, section 5.1). */
    @Test
    void dilatedConvolutionIsConvolutionWithAZeroInsertedKernel() {
        Random random = new Random(11);
        ConvShape dilated = ConvShape.of(1, 2, 9, 8, 3, 3).withDilation(2).withPadding(1).withStride(2);
        ConvShape spread = ConvShape.of(1, 2, 9, 8, 3, 5).withPadding(1).withStride(2);
        float[] in = integers(random, dilated.inputSize(), -3, 3), w = integers(random, dilated.weightSize(), -3, 3);
        float[] wide = new float[spread.weightSize()];
        for (int f = 0; f < 6; f++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) wide[f * 25 + 2 * i * 5 + 2 * j] = w[f * 9 + i * 3 + j];
            }
        }
        float[] a = nans(dilated.outputSize()), b = nans(spread.outputSize());
        k.conv2dForward(a, in, w, dilated);
        k.conv2dForward(b, in, wide, spread);
        assertArrayEquals(b, a);
    }

    /** Ties: the gradient goes to the first maximum in row-major window order, once. */
    @Test
    void maxPoolGradientGoesToTheFirstOfTiedMaxima() {
        PoolShape s = PoolShape.of(1, 1, 2, 2, 2);
        float[] in = {1, 5, 5, 5}, dIn = nans(4);
        k.maxPool2dBackward(dIn, new float[] {3}, in, s);
        assertArrayEquals(new float[] {0, 3, 0, 0}, dIn);
    }

    @Test
    void overlappingMaxPoolWindowsAddTheirGradients() {
        PoolShape s = new PoolShape(1, 1, 1, 3, 1, 2, 1, 1, 0, 0);
        float[] in = {0, 9, 0}, dIn = nans(3);
        k.maxPool2dBackward(dIn, new float[] {1, 2}, in, s);
        assertArrayEquals(new float[] {0, 3, 0}, dIn);
    }

    /**
     * A 3x3 window of stride 1 padded by 1 over a 2x2 plane of ones: counting the padding, every
     * window holds 4 ones of 9 cells (4/9, PyTorch's count_include_pad=True); excluding it, 4 of 4
     * (1, count_include_pad=False). Backward, each input sits in all four windows.
     */
    @Test
    void averagePoolingCountsOrExcludesThePadding() {
        PoolShape counted = new PoolShape(1, 1, 2, 2, 3, 3, 1, 1, 1, 1), excluded = counted.excludingPadding();
        float[] ones = {1, 1, 1, 1}, out = nans(4), dIn = nans(4);
        k.avgPool2dForward(out, ones, counted);
        assertArrayEquals(new float[] {4f / 9, 4f / 9, 4f / 9, 4f / 9}, out);
        k.avgPool2dForward(out, ones, excluded);
        assertArrayEquals(ones, out);
        k.avgPool2dBackward(dIn, new float[] {1, 2, 3, 4}, excluded);
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f}, dIn);

        PoolShape edge = new PoolShape(1, 1, 1, 3, 1, 3, 1, 1, 0, 1).excludingPadding();
        float[] row = nans(3);
        k.avgPool2dForward(row, new float[] {3, 6, 9}, edge);
        assertArrayEquals(new float[] {4.5f, 6, 7.5f}, row, "the edges average two cells, the middle three");
    }

    @Test
    void lpPoolingWithP1SumsMagnitudesAndWithP2IsTheEuclideanNorm() {
        PoolShape s = PoolShape.of(1, 1, 2, 2, 2);
        float[] in = {3, -4, 0, 0}, out = nans(1);
        k.lpPool2dForward(out, in, 1, s);
        assertEquals(7f, out[0]);
        k.lpPool2dForward(out, in, 2, s);
        assertEquals(5f, out[0]);
    }

    @Test
    void softmaxOfHugeLogitsDoesNotOverflow() {
        float[] out = nans(2);
        k.softmaxForward(out, new float[] {1000, 1001}, TensorShape.of(1, 2));
        assertEquals(1 / (1 + Math.E), out[0], 1e-7);
        assertEquals(Math.E / (1 + Math.E), out[1], 1e-7);
    }

    /** AlexNet's constants, alpha not divided by n: b = a / (2 + 1e-4 * sum a^2)^0.75. */
    @Test
    void lrnUsesAlphaUndividedBySize() {
        LrnShape s = LrnShape.alexNet(1, 3, 1, 1);
        float[] in = {10, 20, 0}, out = nans(3);
        k.lrnForward(out, in, s);
        double q = 2 + 1e-4 * (100 + 400 + 0);
        assertEquals((float) (10 / Math.pow(q, 0.75)), out[0]);
        assertEquals((float) (0 / Math.pow(q, 0.75)), out[2]);
        // PyTorch's LocalResponseNorm(5, alpha=5e-4) would give the same: it divides alpha by size.
        assertEquals(1e-4, 5e-4 / 5, 1e-12);
    }

    @Test
    void sgdWithMomentumAndWeightDecayFollowsKrizhevsky() {
        float[] w = {1}, v = {0.5f}, dW = {2};
        k.sgdUpdate(w, v, dW, 0.1f, 0.9f, 0.01f);
        // v = 0.9 * 0.5 - 0.1 * (2 + 0.01 * 1) = 0.249; w = 1 + 0.249
        assertEquals(0.249f, v[0], 1e-7f);
        assertEquals(1.249f, w[0], 1e-7f);
    }

    @Test
    void plainSgdIsNielsensUpdate() {
        float[] w = {1, -2}, v = {0, 0}, dW = {0.5f, -1};
        k.sgdUpdate(w, v, dW, 0.1f, 0, 0);
        assertArrayEquals(new float[] {0.95f, -1.9f}, w);
    }

    @Test
    void parameterGradientsAccumulateAndDataGradientsOverwrite() {
        ConvShape s = ConvShape.of(1, 1, 3, 3, 1, 2);
        float[] in = {1, 2, 3, 4, 5, 6, 7, 8, 9}, dOut = {1, 1, 1, 1}, w = {1, 0, 0, 0};
        float[] dW = {100, 100, 100, 100};
        k.conv2dBackwardWeights(dW, dOut, in, s);
        assertArrayEquals(new float[] {100 + 12, 100 + 16, 100 + 24, 100 + 28}, dW);
        float[] dIn = nans(9);
        k.conv2dBackwardInput(dIn, dOut, w, s);
        assertArrayEquals(new float[] {1, 1, 0, 1, 1, 0, 0, 0, 0}, dIn);

        float[] dB = {10};
        k.biasBackward(dB, new float[] {1, 2, 3, 4}, new TensorShape(1, 1, 2, 2));
        assertArrayEquals(new float[] {20}, dB);

        float[] fcW = {7};
        k.fullyConnectedBackwardWeights(fcW, new float[] {2}, new float[] {3}, new FcShape(1, 1, 1));
        assertArrayEquals(new float[] {13}, fcW);

        float[] l2 = {1, 1};
        k.l2Backward(l2, new float[] {2, -4}, 0.5f);
        assertArrayEquals(new float[] {2, -1}, l2);
    }

    @Test
    void costsOfPerfectPredictionsAreZeroWithoutNaN() {
        TensorShape s = TensorShape.of(1, 2);
        float[] a = {1, 0}, y = {1, 0}, loss = nans(1);
        k.crossEntropyCostForward(loss, a, y, s);
        assertEquals(0f, loss[0]);
        k.logLikelihoodForward(loss, a, y, s);
        assertEquals(0f, loss[0]);
        k.quadraticCostForward(loss, a, y, s);
        assertEquals(0f, loss[0]);
    }

    /**
     * The log-likelihood from logits, worked by hand: -ln softmax([1, 2, 3])_2 = ln(1 + e^-1 + e^-2);
     * for [-250, 250] with the first as target it is 500 + ln(1 + e^-500) = 500 (PyTorch's
     * cross_entropy in float64 agrees), where the float softmax output is 0 and its log infinite.
     */
    @Test
    void logLikelihoodFromLogitsStaysFiniteWhereTheSoftmaxUnderflows() {
        TensorShape s = TensorShape.of(1, 3);
        float[] loss = nans(1);
        k.softmaxLogLikelihoodForward(loss, new float[] {1, 2, 3}, new float[] {0, 0, 1}, s);
        assertEquals((float) Math.log(1 + Math.exp(-1) + Math.exp(-2)), loss[0]);

        TensorShape two = TensorShape.of(2, 2);
        float[] z = {-250, 250, 1e4f, -1e4f}, y = {1, 0, 0, 1}, a = nans(4), losses = nans(2);
        k.softmaxLogLikelihoodForward(losses, z, y, two);
        assertArrayEquals(new float[] {500, 20000}, losses);
        k.softmaxForward(a, z, two);
        k.logLikelihoodForward(losses, a, y, two);
        assertArrayEquals(new float[] {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY}, losses, "the softmax output underflows to 0");
    }

    @Test
    void reluGradientAtZeroIsZero() {
        float[] dIn = nans(3);
        k.reluBackward(dIn, new float[] {5, 5, 5}, new float[] {0, 2, 0});
        assertArrayEquals(new float[] {0, 5, 0}, dIn);
    }

    /** SplitMix64 from state 0 is a published sequence: its first output is 0xE220A8397B1DCDAF. */
    @Test
    void dropoutRandomNumbersAreSplitMix64() {
        assertEquals(0xE220A8397B1DCDAFL, DropoutRng.bits(0, 0));
        assertEquals(0x6E789E6AA1B965F4L, DropoutRng.bits(0, 1));
    }

    @Test
    void dropoutKeepsAboutOneMinusPAndTheSameMaskForTheSameSeed() {
        int size = 100_000;
        float p = 0.3f;
        float[] in = new float[size], out = new float[size], mask = new float[size], mask2 = new float[size];
        Arrays.fill(in, 2);
        k.dropoutForward(out, mask, in, p, 42);
        k.dropoutForward(new float[size], mask2, in, p, 42);
        assertArrayEquals(mask, mask2);
        int kept = 0;
        for (int e = 0; e < size; e++) {
            kept += (int) mask[e];
            assertEquals(2 * mask[e], out[e]);
        }
        // binomial(100000, 0.7): standard deviation 145; allow five of them
        assertEquals(0.7 * size, kept, 5 * Math.sqrt(size * 0.7 * 0.3));
        k.dropoutForward(out, mask2, in, p, 43);
        assertEquals(false, Arrays.equals(mask, mask2), "another seed draws another mask");
    }
}
