package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.shape.FcShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The one-sweep step against the operations it replaces, bit for bit, on shapes whose blocks end
 * in partial vectors and on one to three threads; and the blocks' width, which decides whether a
 * task reads whole runs of a row or single cache lines.
 */
class DenseStepTest {

    @Test
    void theSweepIsBitForBitTheComposedStep() {
        Random random = new Random(7);
        int[][] shapes = {{1, 3, 5}, {10, 100, 10}, {10, 1000, 37}, {64, 77, 130}, {3, 640, 9}, {10, 2 * Gemm.L + 3, 4}};
        for (int threads = 1; threads <= 3; threads++) {
            try (CpuKernels kernels = new CpuKernels(threads); Parallel parallel = new Parallel(threads)) {
                for (int[] shape : shapes) {
                    FcShape s = new FcShape(shape[0], shape[1], shape[2]);
                    float[] w = random(random, s.weightSize()), dOut = random(random, s.outputSize()), in = random(random, s.inputSize());
                    float[] composedW = w.clone(), composedDIn = new float[s.inputSize()], dW = new float[s.weightSize()];
                    kernels.fullyConnectedBackwardInput(composedDIn, dOut, composedW, s);
                    kernels.fullyConnectedBackwardWeights(dW, dOut, in, s);
                    kernels.sgdUpdate(composedW, new float[s.weightSize()], dW, 0.03f, 0, 1e-4f);
                    float[] sweptW = w.clone(), sweptDIn = new float[s.inputSize()], stepOnly = w.clone();
                    DenseStep.backwardAndStep(sweptDIn, sweptW, dOut, in, s.n(), s.out(), s.in(), 0.03f, 1e-4f, parallel);
                    DenseStep.backwardAndStep(null, stepOnly, dOut, in, s.n(), s.out(), s.in(), 0.03f, 1e-4f, parallel);
                    String at = s + " on " + threads + " threads";
                    assertArrayEquals(composedW, sweptW, at + ": weights");
                    assertArrayEquals(composedDIn, sweptDIn, at + ": dIn");
                    assertArrayEquals(composedW, stepOnly, at + ": weights, without dIn");
                }
            }
        }
    }

    @Test
    void blocksAreWholeVectorsAsWideAsTheScratchAllowsAndEveryThreadGetsOne() {
        for (int n : new int[] {0, 1, 10, 64, 500}) {
            for (int inSize : new int[] {1, 7, 100, 640, 1000, 4096}) {
                for (int threads = 1; threads <= 4; threads++) {
                    int block = DenseStep.blockWidth(n, inSize, threads), blocks = (inSize + block - 1) / block;
                    String at = "n " + n + ", " + inSize + " columns, " + threads + " threads: block " + block;
                    assertEquals(0, block % Gemm.L, at);
                    assertTrue(n * block * Float.BYTES <= Math.max(DenseStep.SCRATCH, 2 * n * Gemm.L * Float.BYTES), at + " outgrows the scratch");
                    assertTrue(blocks >= Math.min(threads, (inSize + Gemm.L - 1) / Gemm.L), at + ": a thread without a block");
                }
            }
        }
        // v6's 1000 x 1000 layer at mini-batch 10, two threads: rows read in runs of hundreds of columns, not one cache line
        assertTrue(DenseStep.blockWidth(10, 1000, 2) >= 200, "v6's block: " + DenseStep.blockWidth(10, 1000, 2));
    }

    private static float[] random(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
