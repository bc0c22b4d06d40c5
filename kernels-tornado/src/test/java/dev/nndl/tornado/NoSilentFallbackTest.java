package dev.nndl.tornado;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * A kernel TornadoVM cannot compile for the device (it calls a virtual method, {@code hashCode})
 * must fail the launch, not run as Java on the host: TornadoVM's habit is to print "Code Bailout to
 * Java sequential" and fall back, which {@link TornadoKernels} turns off
 * ({@code tornado.recover.bailout=False}); a KernelContext kernel cannot run sequentially anyway,
 * and the launch throws {@code TornadoBailoutRuntimeException} either way (measured).
 */
class NoSilentFallbackTest {

    static void untranslatable(KernelContext kc, IntArray p, FloatArray f, FloatArray x0, FloatArray x1, FloatArray x2, FloatArray x3,
                               FloatArray x4, FloatArray x5, FloatArray x6, FloatArray x7) {
        int e = kc.globalIdx;
        Object o = x0;
        x7.set(e, o.hashCode());
    }

    @Test
    void aKernelThatDoesNotCompileForTheDeviceFailsInsteadOfRunningOnTheHost() {
        var availability = new TornadoKernelsProvider().availability();
        assumeTrue(availability.available(), availability::reason);
        try (TornadoKernels k = new TornadoKernels()) {
            DeviceClock clock = new DeviceClock();
            try (Program p = new Program("untranslatable", NoSilentFallbackTest::untranslatable, false, new int[] {7}, Devices.choose("0:0"), clock)) {
                float[][] arrays = new float[Program.SLOTS][];
                arrays[0] = new float[] {1, 2, 3, 4};
                arrays[7] = new float[4];
                Throwable refused = assertThrows(Throwable.class, () -> p.run(new int[0], new float[0], arrays, new long[] {4}, new long[] {4}));
                System.out.println("refused, as it should be: " + refused);
            }
        }
    }
}
