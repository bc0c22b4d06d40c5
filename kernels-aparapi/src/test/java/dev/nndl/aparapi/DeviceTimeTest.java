package dev.nndl.aparapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.spi.DeviceTime;
import org.junit.jupiter.api.Test;

/**
 * Device time as OpenCL's events report it. The build runs this class a second time in a JVM
 * started with {@code -Dnndl.profile=true} (the switch must be set before Aparapi loads); in the
 * ordinary run the backend must report nothing.
 */
class DeviceTimeTest {

    @Test
    void eachLaunchIsTimedWhenProfilingIsOn() {
        try (AparapiKernels k = OpenCl.required()) {
            if (!DeviceTime.requested()) {
                assertTrue(k.deviceTime().isEmpty(), "device time without -Dnndl.profile=true");
                return;
            }
            DeviceTime before = k.deviceTime().orElseThrow();
            float[] in = new float[100_000], out = new float[in.length];
            for (int i = 0; i < 3; i++) k.sigmoidForward(out, in);
            DeviceTime t = k.deviceTime().orElseThrow().since(before);
            System.out.println("three sigmoids over 100,000 elements: " + t);
            assertEquals(3, t.launches());
            assertTrue(t.kernelMillis() > 0, t.toString());
            assertTrue(t.wallMillis() >= t.kernelMillis(), t.toString());
            assertEquals(0.5f, out[12_345]);
        }
    }

    @Test
    void profilingRunsOnlyWhereAsked() {
        assumeTrue(OpenCl.installed());
        assertEquals(DeviceTime.requested(), DeviceClock.ON);
    }
}
