package dev.nndl.tornado;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.conformance.Tolerance;
import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.Rung;
import dev.nndl.network.layer.Layer;
import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Transfers;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TornadoVM backend keeps arrays on the device: a training step moves little more than its
 * mini-batch, networks trained on it end where the CPU backend's end, and upload, download,
 * setZero and the arena's growth do what {@code KernelSet}'s residency rules say. Skipped, with
 * the reason, where TornadoVM cannot run a kernel.
 */
class TornadoResidencyTest {

    /**
     * More terms than any sum in the models trained here (the largest, v1's fully connected layer,
     * has 2,880), with room for the rounding to compound through their layers.
     */
    private static final int TERMS = 10_000;

    private static final Availability AVAILABILITY = new TornadoKernelsProvider().availability();
    /** One kernel set for all tests, as a trainer keeps one: its arrays come and go, and the arena reuses their space. */
    private static TornadoKernels tornado;

    @BeforeAll
    static void start() {
        if (AVAILABILITY.available()) tornado = new TornadoKernels();
    }

    @AfterAll
    static void stop() {
        if (tornado != null) tornado.close();
    }

    private static TornadoKernels tornado() {
        assumeTrue(AVAILABILITY.available(), AVAILABILITY::reason);
        return tornado;
    }

    /**
     * The goal for a device that keeps arrays: after the first step, a v3 step at mini-batch 10
     * as the trainer takes it (images and labels up, losses down) moves at most twice those bytes,
     * both ways together, and at least them each way.
     */
    @Test
    void aV3StepMovesLittleMoreThanItsMiniBatch() {
        TornadoKernels k = tornado();
        Model v3 = Rung.V3;
        int batch = 10, steps = 5;
        Network network = v3.build(k, batch, 1);
        float[][] data = miniBatch(new Random(5), batch, 28 * 28, 10);
        float[] x = data[0], y = data[1];
        k.upload(x, y);
        network.trainStep(x, y, v3.eta(), 0.001f);
        network.meanLoss(y);
        Transfers before = k.transfers().orElseThrow();
        for (int step = 0; step < steps; step++) {
            k.upload(x, y);
            network.trainStep(x, y, v3.eta(), 0.001f);
            network.meanLoss(y);
        }
        Transfers perStep = k.transfers().orElseThrow().since(before);
        long up = Float.BYTES * ((long) x.length + y.length), down = Float.BYTES * (long) batch, least = up + down;
        System.out.printf("v3 mb10 on tornado: %,d bytes to the device and %,d back a step, %.2f x the least (%,d)%n",
                perStep.toDevice() / steps, perStep.toHost() / steps, (double) perStep.total() / steps / least, least);
        assertTrue(perStep.total() / steps <= 2 * least, perStep.total() / steps + " bytes a step, more than twice the " + least + " of the mini-batch");
        assertTrue(perStep.toDevice() / steps >= up, "fewer bytes went to the device than the images and labels: " + perStep.toDevice() / steps);
        assertTrue(perStep.toHost() / steps >= down, "fewer bytes came back than the losses: " + perStep.toHost() / steps);
    }

    /**
     * A few training steps of each model on the device end with the CPU backend's parameters, to
     * float rounding: each parameter's change may be off by the contract's bound for a sum of
     * {@link #TERMS} terms (the rounding of the gradients that made it), and the parameter itself
     * by an ulp a step (the rounding of the update). A kept array gone stale, an update or upload
     * lost, is off by a whole step's change, which the test checks is far larger than that for the
     * parameters that move most.
     */
    @ParameterizedTest
    @ValueSource(strings = {"v1", "v3", "v6", "lenet5", "googlenet-4-w0.125-i32", "lstm-h8-t5-s4", "rnn-h8-t5-s4"})
    void stepsOnTheDeviceEndWithTheCpuBackendsParameters(String id) {
        TornadoKernels k = tornado();
        Model model = Model.of(id);
        int steps = 3;
        List<float[]> initial, host, device;
        try (KernelSet cpu = new CpuKernels()) {
            initial = parameters(model.build(cpu, 2, 3), cpu);
            host = steps(model, cpu, steps);
        }
        device = steps(model, k, steps);
        double worst = 0, most = 0;
        for (int i = 0; i < host.size(); i++) {
            float[] h = host.get(i), d = device.get(i), w0 = initial.get(i);
            double scale = 1, moved = 0, off = 0;
            for (int e = 0; e < h.length; e++) {
                scale = Math.max(scale, Math.abs(h[e]));
                moved = Math.max(moved, Math.abs(h[e] - w0[e]));
                off = Math.max(off, Math.abs(h[e] - d[e]));
            }
            double tolerance = Tolerance.sum(TERMS, moved) + steps * Tolerance.EPS * scale;
            assertTrue(off <= tolerance, id + ": parameter array " + i + " is " + off + " from the CPU backend's, more than " + tolerance);
            worst = Math.max(worst, off / tolerance);
            most = Math.max(most, moved / tolerance);
        }
        System.out.printf("%s: %d steps on tornado, parameters at most %.3f of the tolerance from the CPU backend's; they moved up to %.0f times it%n",
                id, steps, worst, most);
        assertTrue(most > 100, id + ": the parameters moved only " + most + " times the tolerance, too little to tell a lost step");
    }

    /** Downloading an array no operation wrote moves nothing; one an operation wrote comes back once. */
    @Test
    void onlyWhatAnOperationWroteComesBack() {
        TornadoKernels k = tornado();
        float[] a = {1, 2, 3}, b = {10, 20, 30}, out = new float[3];
        k.upload(a, b);
        Transfers before = k.transfers().orElseThrow();
        k.download(a, b);
        assertEquals(0, k.transfers().orElseThrow().since(before).total(), "a and b were only uploaded");
        k.addForward(out, a, b);
        assertArrayEquals(new float[3], out, "the host copy is stale until downloaded");
        Transfers launched = k.transfers().orElseThrow();
        k.download(out);
        assertArrayEquals(new float[] {11, 22, 33}, out);
        assertTrue(k.transfers().orElseThrow().since(launched).toHost() >= 12);
        Transfers once = k.transfers().orElseThrow();
        k.download(out);
        assertEquals(0, k.transfers().orElseThrow().since(once).total(), "out came back already");
    }

    /** A host write reaches the device only through upload; setZero zeroes the device copy and takes nothing from the host. */
    @Test
    void uploadAndSetZeroActOnTheDeviceCopy() {
        TornadoKernels k = tornado();
        float[] a = {1, 2, 3}, b = {10, 20, 30}, out = new float[3];
        k.addForward(out, a, b);
        a[0] = 100;
        k.addForward(out, a, b);
        k.download(out);
        assertEquals(11, out[0], "without upload the device keeps a's first contents");
        k.upload(a);
        k.addForward(out, a, b);
        k.download(out);
        assertEquals(110, out[0]);

        float[] gradient = {5, 6, 7};
        Transfers before = k.transfers().orElseThrow();
        k.setZero(gradient);
        Transfers zeroing = k.transfers().orElseThrow().since(before);
        assertArrayEquals(new float[] {5, 6, 7}, gradient, "the host copy is untouched until downloaded");
        assertTrue(zeroing.toDevice() < Float.BYTES * 64L && zeroing.toHost() == 0, "setZero moved " + zeroing + ": only a launch's parameters");
        k.biasForward(gradient, new float[] {1}, new dev.nndl.shape.TensorShape(1, 1, 1, 3));
        k.download(gradient);
        assertArrayEquals(new float[] {1, 1, 1}, gradient, "the bias was added to zeros");
    }

    /** An arena too small for the arrays grows: the arrays already there keep their contents, and the results are right. */
    @Test
    void theArenaGrowsAndKeepsWhatItHolds() {
        assumeTrue(AVAILABILITY.available(), AVAILABILITY::reason);
        try (TornadoKernels k = new TornadoKernels(System.getProperty(TornadoKernels.DEVICE, "0:0"), 1024)) {
            float[] a = new float[600], b = new float[600], sum = new float[600];
            for (int e = 0; e < a.length; e++) {
                a[e] = e;
                b[e] = 2 * e;
            }
            k.addForward(sum, a, b);
            assertTrue(k.capacity() > 1024, "a, b and sum take 3 x 608 floats: the arena grew");
            float[] more = new float[5000], twice = new float[5000];
            java.util.Arrays.fill(more, 1);
            k.addForward(twice, more, more);
            assertTrue(k.capacity() >= 2 * 608 + 3 * 608 + 2 * 5008, "the arena is " + k.capacity() + " floats");
            k.addForward(sum, sum, a);
            k.download(sum, twice);
            for (int e = 0; e < sum.length; e++) assertEquals(4 * e, sum[e], "sum[" + e + "] after the arena grew");
            for (float v : twice) assertEquals(2, v);
        }
    }

    private static List<float[]> steps(Model model, KernelSet k, int steps) {
        int batch = 2;
        Network network = model.build(k, batch, 3);
        int size = model.reads() instanceof Model.Input.Digits ? 28 * 28 : (int) model.architecture().input().size(), classes = network.classes();
        Random random = new Random(8);
        for (int step = 0; step < steps; step++) {
            float[][] data = miniBatch(random, batch, size, classes);
            k.upload(data);
            network.trainStep(data[0], data[1], model.eta(), model.momentum(), 0.0005f);
            network.meanLoss(data[1]);
        }
        return parameters(network, k);
    }

    private static List<float[]> parameters(Network network, KernelSet k) {
        List<float[]> values = network.parameters().stream().map(Layer.Parameter::value).toList();
        k.download(values.toArray(float[][]::new));
        return values.stream().map(float[]::clone).toList();
    }

    /** Random images and one-hot labels. */
    private static float[][] miniBatch(Random random, int batch, int size, int classes) {
        float[] x = new float[batch * size], y = new float[batch * classes];
        for (int e = 0; e < x.length; e++) x[e] = random.nextFloat();
        for (int n = 0; n < batch; n++) y[n * classes + random.nextInt(classes)] = 1;
        return new float[][] {x, y};
    }
}
