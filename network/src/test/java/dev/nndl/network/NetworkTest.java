package dev.nndl.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.data.Mnist;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import org.junit.jupiter.api.Test;

/** The ladder's networks on small generated data: they build, they learn, and the same seed gives the same weights. */
class NetworkTest {

    static float[][] bars(int count, long seed) {
        Mnist.Set set = Bars.set(count, seed);
        return new float[][] {set.images(), Bars.oneHot(set.labels())};
    }

    private static double accuracy(Network net, float[] x, float[] y, int batch) {
        int right = 0, count = y.length / 10;
        for (int b = 0; b < count / batch; b++) {
            float[] a = net.forward(java.util.Arrays.copyOfRange(x, b * batch * 784, (b + 1) * batch * 784));
            for (int n = 0; n < batch; n++) {
                int best = 0;
                for (int j = 1; j < 10; j++) if (a[n * 10 + j] > a[n * 10 + best]) best = j;
                if (y[(b * batch + n) * 10 + best] == 1) right++;
            }
        }
        return (double) right / (count / batch * batch);
    }

    private static Network train(KernelSet k, Rung rung, float[][] data, int epochs) {
        int batch = 10, count = data[1].length / 10;
        Network net = rung.build(k, batch, 7);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int b = 0; b < count / batch; b++) {
                net.trainStep(java.util.Arrays.copyOfRange(data[0], b * batch * 784, (b + 1) * batch * 784),
                        java.util.Arrays.copyOfRange(data[1], b * batch * 10, (b + 1) * batch * 10), rung.eta(), rung.lambda() / (count / (float) batch));
            }
        }
        return net;
    }

    @Test
    void everyRungBuildsAndOutputsDistributions() {
        try (KernelSet k = new CpuKernels()) {
            float[] x = bars(10, 1)[0];
            for (Rung rung : Rung.values()) {
                float[] a = rung.build(k, 10, 1).forward(x);
                for (int n = 0; n < 10; n++) {
                    double sum = 0;
                    for (int j = 0; j < 10; j++) sum += a[n * 10 + j];
                    assertEquals(1, sum, 1e-5, rung + " sample " + n);
                }
            }
        }
    }

    /**
     * Sigmoid networks learn slowly at the start (Nielsen, chapter 3): on 60 mini-batches per epoch
     * v0 needs about 10 epochs and v1 (sigmoid convolutions) about 20 to leave chance, where ReLU's
     * v3 needs a few (its L2 term, lambda / batches, is 80 times Nielsen's on 60 batches, so give it
     * 8). Nielsen's own epochs have 5,000 mini-batches.
     */
    @Test
    void smallNetworksLearnTheBars() {
        float[][] train = bars(600, 1), test = bars(200, 2);
        try (KernelSet k = new CpuKernels()) {
            for (Object[] c : new Object[][] {{Rung.V0, 12, 0.9}, {Rung.V1, 25, 0.6}, {Rung.V3, 8, 0.9}}) {
                Rung rung = (Rung) c[0];
                int epochs = (Integer) c[1];
                Network net = train(k, rung, train, epochs);
                double accuracy = accuracy(net, test[0], test[1], 10);
                assertTrue(accuracy > (Double) c[2], rung + " reached only " + accuracy + " on the bars after " + epochs + " epochs (chance is 0.1)");
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameWeightsOnTheSameBackend() {
        float[][] data = bars(100, 3);
        try (KernelSet k = new CpuKernels()) {
            Network a = train(k, Rung.V3, data, 1), b = train(k, Rung.V3, data, 1);
            for (int i = 0; i < a.parameters().size(); i++) {
                assertArrayEquals(a.parameters().get(i).value(), b.parameters().get(i).value(), a.parameters().get(i).name());
            }
        }
    }

    @Test
    void theCpuBackendTrainsLikeTheReference() {
        float[][] data = bars(40, 4);
        try (KernelSet cpu = new CpuKernels()) {
            Network fast = train(cpu, Rung.V2, data, 1), oracle = train(new ReferenceKernels(), Rung.V2, data, 1);
            for (int i = 0; i < fast.parameters().size(); i++) {
                float[] f = fast.parameters().get(i).value(), o = oracle.parameters().get(i).value();
                for (int e = 0; e < f.length; e++) assertEquals(o[e], f[e], 1e-4 * Math.max(1, Math.abs(o[e])), fast.parameters().get(i).name() + "[" + e + "]");
            }
        }
    }

    /**
     * Without momentum each layer steps in the backward pass, the fully connected layers in one
     * fused pass on cpu: the weights come out bit for bit as from the gradients followed by an
     * update of every parameter, on v6 (dropout, three fully connected layers) and on both backends.
     */
    @Test
    void aStepTakenInTheBackwardPassEqualsTheUpdateAfterIt() {
        float[][] data = bars(20, 5);
        for (KernelSet k : java.util.List.<KernelSet>of(new ReferenceKernels(), new CpuKernels())) {
            try (k) {
                Network fused = Rung.V6.build(k, 10, 3), after = Rung.V6.build(k, 10, 3);
                for (int b = 0; b < 2; b++) {
                    float[] x = java.util.Arrays.copyOfRange(data[0], b * 7840, (b + 1) * 7840), y = java.util.Arrays.copyOfRange(data[1], b * 100, (b + 1) * 100);
                    fused.trainStep(x, y, 0.03f, 0.01f);
                    after.gradients(x, y);
                    for (var p : after.parameters()) k.sgdUpdate(p.value(), p.velocity(), p.gradient(), 0.03f, 0, p.decays() ? 0.01f : 0);
                }
                for (int i = 0; i < fused.parameters().size(); i++) {
                    assertArrayEquals(after.parameters().get(i).value(), fused.parameters().get(i).value(), k.name() + ": " + fused.parameters().get(i).name());
                }
            }
        }
    }

    /**
     * Clipping: a step of plain SGD moves the weights by {@code eta * clip} in all when the gradient
     * is longer than {@code clip}, and a clipping norm the gradient never reaches changes no bit.
     */
    @Test
    void aClippedStepIsAsLongAsTheClipAndAnUnreachedClipChangesNothing() {
        try (KernelSet k = new ReferenceKernels()) {
            float[][] data = bars(10, 3);
            var architecture = dev.nndl.shape.Architecture.parse("1x28x28", java.util.List.of("fc:20:sigmoid", "softmax:10"));
            Network plain = Networks.of(architecture, k, 10, 5), loose = Networks.of(architecture, k, 10, 5, 1e30f), tight = Networks.of(architecture, k, 10, 5, 1e-3f);
            java.util.List<float[]> before = tight.parameters().stream().map(p -> p.value().clone()).toList();
            for (Network n : java.util.List.of(plain, loose, tight)) n.trainStep(data[0], data[1], 0.5f, 0, 0);
            double moved = 0;
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(plain.parameters().get(i).value(), loose.parameters().get(i).value(), "parameter array " + i);
                for (int e = 0; e < before.get(i).length; e++) moved += Math.pow(tight.parameters().get(i).value()[e] - before.get(i)[e], 2);
            }
            assertEquals(0.5 * 1e-3, Math.sqrt(moved), 1e-6, "eta times the clipping norm");
        }
    }
}
