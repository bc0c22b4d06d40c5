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

    static void untranslatable(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int e = kc.globalIdx;
        Object o = f;
        arena.set(e, o.hashCode());
    }

    @Test
    void aKernelThatDoesNotCompileForTheDeviceFailsInsteadOfRunningOnTheHost() {
        var availability = new TornadoKernelsProvider().availability();
        assumeTrue(availability.available(), availability::reason);
        ArenaPlan.Kernel kernel = new ArenaPlan.Kernel("untranslatable", NoSilentFallbackTest::untranslatable, false);
        // TornadoVM may refuse the kernel as it builds the plan (its sketch) or as it launches it
        Throwable refused = assertThrows(Throwable.class, () -> {
            try (ArenaPlan plan = new ArenaPlan(java.util.List.of(kernel), 1024, Devices.choose("0:0"), new DeviceClock())) {
                plan.launch(kernel, new int[Kernels.INTS], new float[Kernels.FLOATS], new long[] {4}, new long[] {4});
            }
        });
        System.out.println("refused, as it should be: " + refused);
    }
}
