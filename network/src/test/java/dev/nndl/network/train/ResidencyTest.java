package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.conformance.SimulatedDevice;
import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.Bars;
import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.Rung;
import dev.nndl.network.layer.Layer;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Transfers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The network keeps {@code KernelSet}'s residency rules: trained on a {@link SimulatedDevice},
 * where every host write the network does not upload and every read it does not download gives
 * wrong numbers, it ends with the weights of the same training on the host, bit for bit; and
 * after its first step a trainer's step moves little more than its mini-batch. A device takes
 * each step whole, so the host here is the cpu backend on one thread, which does too (on more it
 * splits v3's steps into parts of the mini-batch, and sums in another order: {@code SplitStepTest}).
 */
class ResidencyTest {

    /** v1 one epoch as the trainer runs it, and v6 (dropout, momentum-free, two wide layers) and v3 too. */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3", "v6"})
    void aRunOnADeviceEndsWithTheHostsWeights(String rung, @TempDir Path onHost, @TempDir Path onDevice) throws IOException {
        Plan plan = new Plan(Rung.valueOf(rung.toUpperCase()), 1, 10, 0.03f, rung.equals("v1") ? 0 : 0.1f, 4);
        try (KernelSet host = new CpuKernels(1); KernelSet device = new SimulatedDevice(new CpuKernels())) {
            Trainer.Result a = new Trainer(host, new Trainer.Listener() {}).train(plan, TrainerTest.DATA, onHost, false);
            Trainer.Result b = new Trainer(device, new Trainer.Listener() {}).train(plan, TrainerTest.DATA, onDevice, false);
            assertEquals(a.history().getLast().testAccuracy(), b.history().getLast().testAccuracy());
            assertEquals(a.history().getLast().trainCost(), b.history().getLast().trainCost());
        }
        assertSameParameters(Checkpoint.read(onHost.resolve(Trainer.CHECKPOINT)), Checkpoint.read(onDevice.resolve(Trainer.CHECKPOINT)));
    }

    /** Models the ladder does not cover: the inception module's branches, LeNet-5, and the recurrent layers, a few steps each. */
    @ParameterizedTest
    @ValueSource(strings = {"googlenet-4-w0.125-i32", "lenet5", "lstm-h8-t5-s4", "rnn-h8-t5-s4"})
    void stepsOnADeviceGiveTheHostsWeights(String id) {
        Model model = Model.of(id);
        List<float[]> host, device;
        try (KernelSet k = new CpuKernels(1)) {
            host = steps(model, k);
        }
        try (KernelSet k = new SimulatedDevice(new CpuKernels())) {
            device = steps(model, k);
        }
        for (int i = 0; i < host.size(); i++) assertArrayEquals(host.get(i), device.get(i), id + ": parameter array " + i + " differs");
    }

    /**
     * The target for a device that keeps arrays: after the first step, a v3 step at mini-batch 10
     * (images and labels up, losses down) moves at most twice those bytes, both ways together.
     */
    @Test
    void aStepMovesLittleMoreThanItsMiniBatch() {
        Model v3 = Rung.V3;
        int batch = 10, size = 28 * 28, classes = 10;
        try (SimulatedDevice k = new SimulatedDevice(new CpuKernels())) {
            Network network = v3.build(k, batch, 1);
            float[][] data = miniBatch(new Random(5), batch, size, classes);
            float[] x = data[0], y = data[1];
            k.upload(x, y);
            network.trainStep(x, y, v3.eta(), 0.001f);
            network.meanLoss(y);
            Transfers before = k.transfers().orElseThrow();
            for (int step = 0; step < 5; step++) {
                k.upload(x, y);
                network.trainStep(x, y, v3.eta(), 0.001f);
                network.meanLoss(y);
            }
            Transfers perStep = k.transfers().orElseThrow().since(before);
            long least = Float.BYTES * ((long) x.length + y.length + batch);
            assertTrue(perStep.total() / 5 <= 2 * least, perStep.total() / 5 + " bytes a step, more than twice the " + least + " of the mini-batch");
            assertEquals(5 * Float.BYTES * ((long) x.length + y.length), perStep.toDevice(), "what went to the device: the images and labels");
            assertEquals(5 * Float.BYTES * (long) batch, perStep.toHost(), "what came back: the losses");
        }
    }

    private static List<float[]> steps(Model model, KernelSet k) {
        int batch = 2;
        Network network = model.build(k, batch, 3);
        int size = model.reads() instanceof Model.Input.Digits ? 28 * 28 : (int) model.architecture().input().size(), classes = network.classes();
        Random random = new Random(8);
        for (int step = 0; step < 3; step++) {
            float[][] data = miniBatch(random, batch, size, classes);
            k.upload(data);
            network.trainStep(data[0], data[1], model.eta(), model.momentum(), 0.0005f);
            network.meanLoss(data[1]);
        }
        List<float[]> values = network.parameters().stream().map(Layer.Parameter::value).toList();
        k.download(values.toArray(float[][]::new));
        return values;
    }

    /** Random images and one-hot labels. */
    private static float[][] miniBatch(Random random, int batch, int size, int classes) {
        float[] x = new float[batch * size], y = new float[batch * classes];
        for (int e = 0; e < x.length; e++) x[e] = random.nextFloat();
        for (int n = 0; n < batch; n++) y[n * classes + random.nextInt(classes)] = 1;
        return new float[][] {x, y};
    }

    private static void assertSameParameters(Checkpoint a, Checkpoint b) {
        assertEquals(a.parameters().size(), b.parameters().size());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i), b.parameters().get(i), "parameter array " + i + " differs bit for bit");
        }
    }
}
