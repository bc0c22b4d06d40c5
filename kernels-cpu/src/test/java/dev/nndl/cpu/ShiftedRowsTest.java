package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.conformance.KernelContract;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.ConvShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The forward convolution as one long row over shifted copies of the input: output rows 1 to a
 * widest vector wide, planes from one tile's four vectors to several, six filters (one tile) to
 * a widest vector's worth (a last tile that overlaps the one before), filters 1 to 5 wide and high, against the
 * reference. The last rows of the last plane copy element by element, where a vector would read
 * past the input's end; every shape here has such rows. Each output sums its taps as the direct
 * kernel does, so LeNet-5's C3 comes out bit for bit the same on either path.
 */
class ShiftedRowsTest {

    private final ReferenceKernels reference = new ReferenceKernels();

    @Test
    void matchesTheReference() {
        Random random = new Random(11);
        int shapes = 0;
        try (Parallel parallel = new Parallel(2)) {
            for (int k = 1; k <= 5; k++) {
                for (int ow = 1; ow < DirectConv.WL; ow++) {
                    for (int oc : new int[] {6, 11, DirectConv.WL}) {
                        int c = 1 + (ow + k) % 4, n = 1 + ow % 3;
                        // the fewest rows that make a tile, and three more
                        int oh = (DirectConv.R * DirectConv.WL + ow - 1) / ow + (oc == 11 ? 3 : 0);
                        ConvShape s = ConvShape.of(n, c, oh + k - 1, ow + k - 1, oc, k);
                        assertTrue(ShiftedRows.applies(s), s + " should run as shifted rows");
                        shapes++;
                        float[] in = random(random, s.inputSize()), weights = random(random, s.weightSize());
                        float[] out = new float[s.outputSize()], expected = new float[s.outputSize()];
                        ShiftedRows.forward(out, in, weights, s, parallel);
                        reference.conv2dForward(expected, in, weights, s);
                        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], out[i], 1e-4, s + " at " + i);
                    }
                }
            }
        }
        assertTrue(shapes > 0);
    }

    @Test
    void leNetsC3IsBitForBitTheDirectKernel() {
        Random random = new Random(12);
        for (ConvShape s : new ConvShape[] {KernelContract.LENET_C3}) {
            assumeTrue(ShiftedRows.applies(s) && DirectConv.applies(s), "needs widest vectors wider than the rows, the others narrower: " + s);
            float[] in = random(random, s.inputSize()), weights = random(random, s.weightSize());
            float[] shifted = new float[s.outputSize()], direct = new float[s.outputSize()];
            ShiftedRows.forward(shifted, in, weights, s, Parallel.SERIAL);
            DirectConv.forward(direct, in, weights, s, Parallel.SERIAL);
            assertArrayEquals(direct, shifted, s + ": each output sums the taps in the same order, from zero, with fused multiply-adds");
        }
    }

    @Test
    void paddingStridesGroupsAndWideRowsTakeOtherPaths() {
        int wl = DirectConv.WL;
        assertTrue(!ShiftedRows.applies(ConvShape.of(2, 3, 14, 14, 16, 5, 1, 1)), "padding");
        assertTrue(!ShiftedRows.applies(ConvShape.of(2, 3, 29, 29, 16, 5, 2, 0)), "a stride of 2");
        assertTrue(!ShiftedRows.applies(new ConvShape(2, 4, 14, 14, 16, 5, 5, 1, 1, 0, 0, 1, 1, 2)), "two groups");
        assertTrue(!ShiftedRows.applies(ConvShape.of(2, 3, wl + 8, wl + 4, 16, 5)), "rows a whole widest vector wide");
        assertTrue(!ShiftedRows.applies(ConvShape.of(2, 3, 14, 14, 5, 5)), "fewer than six filters");
        assertTrue(!ShiftedRows.applies(ConvShape.of(2, 3, 14, 14, wl + 1, 5)), "more filters than a widest vector holds");
    }

    private static float[] random(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
