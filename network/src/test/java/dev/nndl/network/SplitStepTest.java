package dev.nndl.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.conformance.ForwardingKernelSet;
import dev.nndl.conformance.SimulatedDevice;
import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.layer.Layer;
import dev.nndl.spi.KernelSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/**
 * A training step split into parts of the mini-batch ({@link KernelSet#sampleParts}): its
 * gradients are the whole step's up to the order of the sums (v6's dropout masks included), the
 * parts run at once give the bits they give one after another, the split keeps the residency
 * rules, and layers that cannot be split run whole after those that are.
 */
class SplitStepTest {

    @Test
    void aSplitStepHasTheWholeStepsGradients() {
        for (Model model : List.of(LeNet5.MODEL, Rung.V3, Rung.V6)) {
            try (KernelSet whole = new Parts(new CpuKernels(1), 1); KernelSet split = new Parts(new CpuKernels(2), 2)) {
                Network a = model.build(whole, 10, 5), b = model.build(split, 10, 5);
                // a few steps first: the softmax layer starts at zero, and with it every other layer's gradient
                Random random = new Random(3);
                for (int step = 0; step < 3; step++) {
                    float[][] data = miniBatch(random, 10);
                    a.trainStep(data[0], data[1], model.eta(), 0.001f);
                    b.trainStep(data[0], data[1], model.eta(), 0.001f);
                }
                float[][] data = miniBatch(random, 10);
                float[] outputA = a.gradients(data[0], data[1]).clone(), outputB = b.gradients(data[0], data[1]);
                assertEquals(0, ((Parts) whole).calls.get(), model + ": the whole step ran in parts");
                assertEquals(8, ((Parts) split).calls.get(), model + ": a split step ran whole (each runs its parts twice: forward, then backward)");
                assertClose(outputA, outputB, 1e-6, model + ": softmax output");
                assertEquals(a.meanLoss(data[1]), b.meanLoss(data[1]), 1e-6, model + ": loss");
                for (int p = 0; p < a.parameters().size(); p++) {
                    Layer.Parameter pa = a.parameters().get(p), pb = b.parameters().get(p);
                    assertClose(pa.gradient(), pb.gradient(), 1e-4, model + ": " + pa.name() + " (parameter " + p + ")");
                }
            }
        }
    }

    /** Two threads, each a part through the layers the cpu backend splits, against the same parts taken one after another on the caller. */
    @Test
    void partsAtOnceGiveTheBitsOfPartsOneAfterAnother() {
        for (Model model : List.of(LeNet5.MODEL, Rung.V3)) {
            List<float[]> atOnce, inTurn;
            try (KernelSet k = new CpuKernels(2)) {
                Network network = model.build(k, 10, 9);
                Layer first = network.layers().getFirst();
                long parameters = first.parameters().stream().mapToLong(p -> p.value().length).sum();
                assertEquals(2, k.sampleParts(10, parameters, first.macs()), model + ": the cpu backend keeps the step whole");
                atOnce = train(model, k);
            }
            // the parts the cpu backend answers, taken in turn
            try (KernelSet k = new Parts(new CpuKernels(2), 0)) {
                inTurn = train(model, k);
            }
            for (int p = 0; p < atOnce.size(); p++) assertArrayEquals(inTurn.get(p), atOnce.get(p), model + ": parameter " + p);
        }
    }

    /** Split on a simulated device, which gives wrong numbers for every host write not uploaded and read not downloaded, the split's copies included. */
    @Test
    void aSplitStepKeepsTheResidencyRules() {
        List<float[]> onHost, onDevice;
        try (KernelSet k = new Parts(new CpuKernels(2), 2)) {
            onHost = train(LeNet5.MODEL, k);
        }
        try (Parts k = new Parts(new SimulatedDevice(new CpuKernels(2)), 2)) {
            onDevice = train(LeNet5.MODEL, k);
            assertEquals(8, k.calls.get());
        }
        for (int p = 0; p < onHost.size(); p++) assertArrayEquals(onHost.get(p), onDevice.get(p), "parameter " + p);
    }

    /**
     * v6's dense layers drop out with masks drawn over the whole mini-batch, so only its two
     * convolutional layers split, and the dense layers run whole on their joined output.
     */
    @Test
    void layersWithDropoutStayWholeAfterTheSplitOnes() {
        try (Parts k = new Parts(new CpuKernels(1), 2)) {
            Network v6 = Rung.V6.build(k, 2, 1);
            float[][] data = miniBatch(new Random(4), 2);
            v6.trainStep(data[0], data[1], 0.03f, 0);
            assertEquals(2, k.calls.get(), "v6's convolutional layers did not split");
        }
    }

    private static List<float[]> train(Model model, KernelSet k) {
        Network network = model.build(k, 10, 9);
        Random random = new Random(2);
        for (int step = 0; step < 4; step++) {
            float[][] data = miniBatch(random, 10);
            k.upload(data);
            network.trainStep(data[0], data[1], model.eta(), 0.001f);
            network.meanLoss(data[1]);
        }
        List<float[]> values = network.parameters().stream().map(Layer.Parameter::value).toList();
        k.download(values.toArray(float[][]::new));
        return values.stream().map(float[]::clone).toList();
    }

    private static float[][] miniBatch(Random random, int batch) {
        float[] x = new float[batch * 28 * 28], y = new float[batch * 10];
        for (int e = 0; e < x.length; e++) x[e] = random.nextFloat();
        for (int n = 0; n < batch; n++) y[n * 10 + random.nextInt(10)] = 1;
        return new float[][] {x, y};
    }

    private static void assertClose(float[] expected, float[] actual, double relative, String what) {
        double scale = 0;
        for (float e : expected) scale = Math.max(scale, Math.abs(e));
        assertTrue(scale > 0, what + " is all zeros");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relative * scale, what + " at " + i);
        }
    }

    /** A kernel set that asks for {@code parts} parts and runs them one after another (the default), counting the calls. */
    private static final class Parts extends ForwardingKernelSet {
        private final int parts;
        final AtomicInteger calls = new AtomicInteger();

        Parts(KernelSet kernels, int parts) {
            super(kernels);
            this.parts = parts;
        }

        /** {@code parts} for any layers; 0 for the wrapped kernel set's answer. */
        @Override
        public int sampleParts(int batch, long parameters, long macs) {
            return parts > 0 ? parts : super.sampleParts(batch, parameters, macs);
        }

        @Override
        public void concurrently(int count, IntConsumer part) {
            calls.incrementAndGet();
            super.concurrently(count, part);
        }
    }
}
