package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.PoolShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The 2x2 stride-2 pooling paths take a row's windows a vector at a time, the last vector ending
 * where the row does; widths 2 to 40 and odd heights cover rows narrower than half a vector
 * (scalar), of half a 256- or 512-bit vector and more, and rows that are not whole vectors of
 * windows. Max pooling and the backward passes are exactly the reference's; an average is summed
 * as the kernel documents, each window's columns and then its rows.
 */
class TwoByTwoPoolingTest {

    @Test
    void everyRowWidthMatchesTheWindowsOneByOne() {
        Random random = new Random(11);
        ReferenceKernels reference = new ReferenceKernels();
        try (Parallel parallel = new Parallel(2)) {
            CpuPooling pooling = new CpuPooling(parallel);
            for (int h = 2; h <= 5; h++) {
                for (int w = 2; w <= 40; w++) {
                    PoolShape s = PoolShape.of(2, 3, h, w, 2);
                    assertTrue(CpuPooling.twoByTwo(s));
                    float[] in = random(random, s.inputSize()), dOut = random(random, s.outputSize());

                    float[] out = new float[s.outputSize()], expected = new float[s.outputSize()];
                    pooling.maxPool2dForward(out, in, s);
                    reference.maxPool2dForward(expected, in, s);
                    assertArrayEquals(expected, out, s + ": max forward");

                    float[] dIn = random(random, s.inputSize()), expectedDIn = new float[s.inputSize()];
                    pooling.maxPool2dBackward(dIn, dOut, in, s);
                    reference.maxPool2dBackward(expectedDIn, dOut, in, s);
                    assertArrayEquals(expectedDIn, dIn, s + ": max backward, into a gradient holding values");

                    pooling.avgPool2dForward(out, in, s);
                    assertArrayEquals(averages(in, s), out, s + ": average forward");

                    dIn = random(random, s.inputSize());
                    expectedDIn = new float[s.inputSize()];
                    pooling.avgPool2dBackward(dIn, dOut, s);
                    reference.avgPool2dBackward(expectedDIn, dOut, s);
                    assertArrayEquals(expectedDIn, dIn, s + ": average backward, into a gradient holding values");
                }
            }
        }
    }

    /** Each window's columns summed, then its rows, times a quarter. */
    private static float[] averages(float[] in, PoolShape s) {
        float[] out = new float[s.outputSize()];
        for (int q = 0; q < s.n() * s.c(); q++) {
            for (int y = 0; y < s.oh(); y++) {
                for (int x = 0; x < s.ow(); x++) {
                    int top = (q * s.h() + 2 * y) * s.w() + 2 * x, bottom = top + s.w();
                    out[(q * s.oh() + y) * s.ow() + x] = ((in[top] + in[bottom]) + (in[top + 1] + in[bottom + 1])) * 0.25f;
                }
            }
        }
        return out;
    }

    private static float[] random(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
