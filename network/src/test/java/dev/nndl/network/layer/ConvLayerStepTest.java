package dev.nndl.network.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.shape.ConvShape;
import dev.nndl.spi.KernelSet;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A convolution whose filter covers its whole input (LeNet-5's C5) steps as a dense layer, in one
 * pass over the weights on the cpu backend: the same input gradient and the same weights and
 * biases, bit for bit, as its gradients followed by the update; a padded one steps as before.
 */
class ConvLayerStepTest {

    @Test
    void aFullyConnectedConvolutionStepsAsItsGradientsAndTheUpdate() {
        assertTheStepIsTheGradientsAndTheUpdate(ConvShape.of(10, 16, 5, 5, 120, 5));
        assertTheStepIsTheGradientsAndTheUpdate(ConvShape.of(4, 3, 5, 5, 7, 5, 1, 1));
    }

    private static void assertTheStepIsTheGradientsAndTheUpdate(ConvShape s) {
        try (KernelSet k = new CpuKernels(2)) {
            ConvLayer fused = new ConvLayer(k, s, Activation.TANH, new Random(1)), composed = new ConvLayer(k, s, Activation.TANH, new Random(1));
            Random random = new Random(2);
            Layer.Sgd sgd = new Layer.Sgd(k, 0.1f, 0.01f);
            for (int step = 0; step < 3; step++) {
                float[] in = random(random, s.inputSize()), dOut = random(random, s.outputSize());
                fused.forward(in, step);
                composed.forward(in, step);
                float[] dInFused = fused.backward(dOut, true, sgd).clone();
                float[] dInComposed = composed.backward(dOut, true).clone();
                for (Layer.Parameter p : composed.parameters()) sgd.step(p);
                assertArrayEquals(dInComposed, dInFused, s + ": dIn, step " + step);
                for (int p = 0; p < 2; p++) {
                    assertArrayEquals(composed.parameters().get(p).value(), fused.parameters().get(p).value(), s + ": " + composed.parameters().get(p).name() + ", step " + step);
                }
            }
        }
    }

    private static float[] random(Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }
}
