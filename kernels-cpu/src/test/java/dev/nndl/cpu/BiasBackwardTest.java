package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nndl.shape.TensorShape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A batch of vectors' bias gradient sums each channel over the samples in their order, from zero,
 * then adds the sum to what {@code dB} held: the bits the per-channel loop gave before the channels
 * went into the lanes, at every width the build runs.
 */
class BiasBackwardTest {

    @Test
    void aBatchOfVectorsSumsEachChannelInSampleOrder() {
        Random random = new Random(11);
        try (CpuKernels kernels = new CpuKernels(2)) {
            for (int[] shape : new int[][] {{10, 1000}, {10, 84}, {3, 7}, {1, 1}}) {
                int n = shape[0], c = shape[1];
                float[] dOut = new float[n * c], dB = new float[c];
                for (int i = 0; i < dOut.length; i++) dOut[i] = random.nextFloat() * 2 - 1;
                for (int i = 0; i < c; i++) dB[i] = random.nextFloat();
                float[] expected = dB.clone();
                for (int ch = 0; ch < c; ch++) {
                    float sum = 0;
                    for (int s = 0; s < n; s++) sum += dOut[s * c + ch];
                    expected[ch] += sum;
                }
                kernels.biasBackward(dB, dOut, TensorShape.of(n, c));
                assertArrayEquals(expected, dB, n + " x " + c);
            }
        }
    }
}
