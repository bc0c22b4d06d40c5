package dev.nndl.cpu;

import static dev.nndl.conformance.KernelContract.LENET_C3;
import static dev.nndl.conformance.KernelContract.NIELSEN_CONV2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.shape.ConvShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The wide lanes sum each output over the taps, and each weight's gradient over the positions, in
 * the order the 256-bit kernels do, each from zero with fused multiply-adds: Nielsen's conv2 comes
 * out bit for bit the same on either path, so a machine's vector width does not change a trained
 * network.
 */
class WideLanesTest {

    @Test
    void nielsensConv2IsBitForBitThe256BitKernels() {
        ConvShape s = NIELSEN_CONV2;
        assumeTrue(WideLanes.applies(s) && DirectConv.applies(s) && ChannelLanes.appliesToWeights(s),
                "needs 512-bit vectors beside 256-bit kernels: " + WideLanes.W + ", " + Gemm.S);
        assertBitForBitTheNarrowKernels(s, 3);
    }

    @Test
    void leNetsC3InOneWideVectorIsBitForBitTheOtherKernels() {
        ConvShape s = LENET_C3;
        assumeTrue(WideLanes.applies(s) && WideLanes.vectors(s) == 1 && DirectConv.applies(s),
                "needs 512-bit vectors beside narrower kernels: " + WideLanes.W + ", " + Gemm.S);
        // the cpu's own path for C3's weights reduces across lanes; channels in narrow lanes sum in the same order as the wide ones
        assertBitForBitTheNarrowKernels(s, 4);
    }

    @Test
    void oneWideVectorOfChannelsMatchesTheReferenceWithEveryTile() {
        assumeTrue(WideLanes.WL == 16, "needs 512-bit vectors: " + WideLanes.W);
        Random random = new Random(5);
        dev.nndl.reference.ReferenceKernels reference = new dev.nndl.reference.ReferenceKernels();
        // a whole 5 x 5 filter a tile (unpadded and padded), then sixteen taps a tile (3 x 3, and 5 x 5 dilated)
        ConvShape[] shapes = {ConvShape.of(3, 4, 12, 12, 16, 5), ConvShape.of(3, 4, 9, 9, 14, 5, 1, 2), ConvShape.of(3, 4, 10, 10, 16, 3),
                new ConvShape(3, 4, 14, 14, 15, 5, 5, 1, 1, 0, 0, 2, 2, 1)};
        try (Parallel parallel = new Parallel(2)) {
            for (ConvShape s : shapes) {
                assertTrue(WideLanes.applies(s) && WideLanes.vectors(s) == 1, s + " should take one wide vector of channels");
                float[] in = random(random, s.inputSize()), w = random(random, s.weightSize()), dOut = random(random, s.outputSize());
                float[] out = new float[s.outputSize()], expected = new float[s.outputSize()];
                WideLanes.forward(out, in, w, s, parallel);
                reference.conv2dForward(expected, in, w, s);
                for (int i = 0; i < expected.length; i++) assertEquals(expected[i], out[i], 1e-4, s + ": forward at " + i);
                float[] dW = new float[s.weightSize()], expectedDW = new float[s.weightSize()];
                WideLanes.backwardWeights(dW, dOut, in, s, parallel);
                reference.conv2dBackwardWeights(expectedDW, dOut, in, s);
                for (int i = 0; i < expectedDW.length; i++) assertEquals(expectedDW[i], dW[i], 1e-3, s + ": backward-weights at " + i);
            }
        }
    }

    /** Forward against the direct kernel, backward-weights (into a gradient already holding values) against channels in narrow lanes. */
    private static void assertBitForBitTheNarrowKernels(ConvShape s, long seed) {
        Random random = new Random(seed);
        float[] in = random(random, s.inputSize()), w = random(random, s.weightSize()), dOut = random(random, s.outputSize());
        try (Parallel parallel = new Parallel(2)) {
            float[] wide = new float[s.outputSize()], narrow = new float[s.outputSize()];
            WideLanes.forward(wide, in, w, s, parallel);
            DirectConv.forward(narrow, in, w, s, parallel);
            assertArrayEquals(narrow, wide, s + ": forward");
            float[] wideDW = random(random, s.weightSize()), narrowDW = wideDW.clone();
            WideLanes.backwardWeights(wideDW, dOut, in, s, parallel);
            ChannelLanes.backwardWeights(narrowDW, dOut, in, s, parallel);
            assertArrayEquals(narrowDW, wideDW, s + ": backward-weights, into a gradient already holding values");
        }
    }

    private static float[] random(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
