package dev.nndl.cpu;

import static dev.nndl.conformance.KernelContract.NIELSEN_CONV2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.shape.ConvShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Backward-data two rows a vector sums what a row at a time sums, in the same order, plus zeros:
 * the same values on Nielsen's conv2 and on shapes that reach its edges (an odd number of input
 * rows, padding, groups, channels that leave a tile part empty, rows narrower than a vector).
 */
class TwoRowsTest {

    @Test
    void twoRowsAVectorGiveWhatARowAtATimeGives() {
        assumeTrue(DirectConv.WL == 2 * Gemm.L, "needs the widest vectors twice the kernels' width: " + DirectConv.W + ", " + Gemm.S);
        assertTrue(DirectConv.twoRowsAVector(NIELSEN_CONV2), "Nielsen's conv2, rows of 8, takes two rows a vector");
        ConvShape[] shapes = {
            NIELSEN_CONV2,
            new ConvShape(3, 6, 11, 11, 7, 5, 5, 1, 1, 0, 0, 1, 1, 1),
            new ConvShape(2, 9, 9, 8, 5, 5, 5, 1, 1, 2, 2, 1, 1, 1),
            new ConvShape(2, 8, 7, 6, 6, 3, 3, 1, 1, 1, 0, 1, 1, 2),
            new ConvShape(1, 5, 5, 5, 3, 4, 2, 1, 1, 0, 1, 1, 1, 1),
        };
        Random random = new Random(11);
        for (int threads = 1; threads <= 2; threads++) {
            try (Parallel parallel = new Parallel(threads)) {
                for (ConvShape s : shapes) {
                    assertTrue(DirectConv.twoRowsAVector(s), s + " takes two rows a vector");
                    float[] w = random(random, s.weightSize()), dOut = random(random, s.outputSize());
                    float[] byRow = new float[s.inputSize()], twoRows = new float[s.inputSize()];
                    DirectConv.backwardDataByRow(byRow, dOut, w, s, parallel);
                    DirectConv.backwardDataTwoRows(twoRows, dOut, w, s, parallel);
                    assertArrayEquals(byRow, twoRows, 0f, s + " on " + threads + " threads");
                }
            }
        }
    }

    private static float[] random(Random random, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
