package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.ConvShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The direct forward convolution stores a row's last vector where the row ends, over columns the
 * vector before it wrote, and a tile of rows shorter than a vector straight into the output, each
 * row spilling into the start of the next: rows 1 to 40 wide, four to fifteen high (whole tiles of
 * four rows and not), with five and six filters a group, against the reference; and LeNet-5's C3
 * backward-data, which runs as such a forward convolution, for heights and widths around C3's.
 * Where padding fills every row of a tile under some row of taps, the tile skips those taps:
 * paddings 0 to 6 rows (more than the filter) over heights 1 to 12, row strides 1 and 2.
 */
class DirectRowsTest {

    private final ReferenceKernels reference = new ReferenceKernels();

    @Test
    void everyRowWidthAndHeightMatchesTheReference() {
        Random random = new Random(5);
        try (Parallel parallel = new Parallel(2)) {
            for (int oc : new int[] {5, 6, 12}) {
                for (int h = 4; h <= 15; h += 11) {
                    for (int w = 1; w <= 40; w++) {
                        ConvShape s = ConvShape.of(2, 2, h, w, oc, 3, 1, 1);
                        if (!DirectConv.applies(s)) continue;
                        float[] in = random(random, s.inputSize()), weights = random(random, s.weightSize());
                        float[] out = new float[s.outputSize()], expected = new float[s.outputSize()];
                        DirectConv.forward(out, in, weights, s, parallel);
                        reference.conv2dForward(expected, in, weights, s);
                        assertClose(expected, out, s + ": forward");
                    }
                }
            }
        }
    }

    @Test
    void rowsOfTapsOverPaddingAreSkippedAndTheSumsStayTheReferences() {
        Random random = new Random(7);
        int skipping = 0;
        try (Parallel parallel = new Parallel(2)) {
            for (int pad = 0; pad <= 6; pad++) {
                for (int h = 1; h <= 12; h++) {
                    for (int rowStride = 1; rowStride <= 2; rowStride++) {
                        // rows of 9 and 20: shorter than a vector (spilling) and a vector and a part
                        for (int w : new int[] {9, 20}) {
                            if (h + 2 * pad < 5) continue;
                            ConvShape s = new ConvShape(2, 3, h, w, 6, 5, 5, rowStride, 1, pad, 2, 1, 1, 1);
                            if (!DirectConv.applies(s)) continue;
                            if (DirectConv.skipsRows(s)) skipping++;
                            float[] in = random(random, s.inputSize()), weights = random(random, s.weightSize());
                            float[] out = new float[s.outputSize()], expected = new float[s.outputSize()];
                            DirectConv.forward(out, in, weights, s, parallel);
                            reference.conv2dForward(expected, in, weights, s);
                            assertClose(expected, out, s + ": forward");
                        }
                    }
                }
            }
        }
        assertTrue(skipping > 0, "no shape skipped a row of taps");
    }

    @Test
    void backwardDataAsForwardMatchesTheReference() {
        Random random = new Random(6);
        int shapes = 0;
        try (Parallel parallel = new Parallel(2)) {
            for (int h = 10; h <= 18; h++) {
                for (int w = 10; w <= 18; w++) {
                    ConvShape s = ConvShape.of(3, 6, h, w, 16, 5);
                    if (!DirectConv.appliesToDataAsForward(s)) continue;
                    shapes++;
                    float[] dOut = random(random, s.outputSize()), weights = random(random, s.weightSize());
                    float[] dIn = new float[s.inputSize()], expected = new float[s.inputSize()];
                    DirectConv.backwardDataAsForward(dIn, dOut, weights, s, parallel);
                    reference.conv2dBackwardInput(expected, dOut, weights, s);
                    assertClose(expected, dIn, s + ": backward-data");
                }
            }
        }
        assertTrue(shapes > 0, "no shape ran backward-data as a forward convolution at " + Gemm.L + " floats a vector");
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-4, what + " at " + i);
    }

    private static float[] random(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
