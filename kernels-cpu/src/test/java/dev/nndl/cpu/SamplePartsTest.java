package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** When the cpu backend splits a training step into parts of the mini-batch, and that the parts run at once. */
class SamplePartsTest {

    private static final long LENET5_PARAMETERS = 61_706, LENET5_MACS = 416_520;
    /** LeNet-5's layers up to S4: C1 and C3's weights and biases, their multiply-adds a sample. */
    private static final long TO_S4_PARAMETERS = 156 + 2_416, TO_S4_MACS = 117_600 + 240_000;

    @Test
    void aStepSplitsWhereTheParametersAreFewAndTheArithmeticMuch() {
        try (CpuKernels k = new CpuKernels(2)) {
            assertEquals(2, k.sampleParts(10, TO_S4_PARAMETERS, 10 * TO_S4_MACS), "LeNet-5 up to S4");
            assertEquals(1, k.sampleParts(10, LENET5_PARAMETERS, 10 * LENET5_MACS), "LeNet-5 at mini-batch 10: C5 and F6, ten multiply-adds a parameter");
            assertEquals(2, k.sampleParts(64, LENET5_PARAMETERS, 64 * LENET5_MACS), "LeNet-5 at mini-batch 64");
            assertEquals(2, k.sampleParts(64, 85_670, 64 * 1_630_000L), "v3 at mini-batch 64");
            assertEquals(1, k.sampleParts(10, 1_677_010, 10 * 3_200_000L), "v6: its gradients would not stay in cache");
            assertEquals(1, k.sampleParts(64, 79_510, 64 * 79_510L), "v0: a multiply-add a parameter a sample");
            assertEquals(1, k.sampleParts(9, TO_S4_PARAMETERS, 9 * TO_S4_MACS), "two threads do not divide 9 samples");
            assertEquals(1, k.sampleParts(1, TO_S4_PARAMETERS, TO_S4_MACS), "one sample");
        }
        try (CpuKernels k = new CpuKernels(3)) {
            assertEquals(2, k.sampleParts(10, TO_S4_PARAMETERS, 10 * TO_S4_MACS), "the most parts that divide 10, on three threads");
            assertEquals(3, k.sampleParts(12, TO_S4_PARAMETERS, 12 * TO_S4_MACS));
        }
        try (CpuKernels k = new CpuKernels(1)) {
            assertEquals(1, k.sampleParts(10, TO_S4_PARAMETERS, 10 * TO_S4_MACS), "one thread");
        }
    }

    @Test
    void thePropertyTurnsTheSplitOff() {
        System.setProperty(CpuKernels.SPLIT, "false");
        try (CpuKernels k = new CpuKernels(2)) {
            assertEquals(1, k.sampleParts(10, TO_S4_PARAMETERS, 10 * TO_S4_MACS));
        } finally {
            System.clearProperty(CpuKernels.SPLIT);
        }
    }

    /**
     * Each part waits for the other to start, which only a second thread can do at once; the
     * kernels inside each part compute as outside. (Part 0 alone waiting for part 1 let the
     * worker, done with part 1, take part 0 too when the caller came late: the same thread ran both.)
     */
    @Test
    void partsRunAtOnceOnTwoThreadsAndTheirKernelsGiveTheSameBits() throws Exception {
        float[] in = new float[1 << 16];
        Random random = new Random(1);
        for (int e = 0; e < in.length; e++) in[e] = random.nextFloat() * 6 - 3;
        try (CpuKernels k = new CpuKernels(2)) {
            float[] outside = new float[in.length];
            k.tanhForward(outside, in);
            CyclicBarrier both = new CyclicBarrier(2);
            Thread[] threads = new Thread[2];
            float[][] inside = new float[2][in.length];
            boolean[] met = new boolean[2];
            k.concurrently(2, part -> {
                threads[part] = Thread.currentThread();
                met[part] = await(both);
                k.tanhForward(inside[part], in);
            });
            assertTrue(met[0] && met[1], "the parts did not run at once");
            assertNotEquals(threads[0], threads[1]);
            assertArrayEquals(outside, inside[0]);
            assertArrayEquals(outside, inside[1]);
        }
    }

    private static boolean await(CyclicBarrier barrier) {
        try {
            barrier.await(20, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | BrokenBarrierException e) {
            return false;
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
