package dev.nndl.aparapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Device choice and the reasons the backend gives when it cannot start. */
class AvailabilityTest {

    @Test
    void theDefaultDeviceIsTheFirstGpuElseTheFirstCpu() {
        OpenCl.required().close();
        var devices = OpenClDevices.list();
        var chosen = OpenClDevices.choose(null);
        boolean anyGpu = devices.stream().anyMatch(d -> d.getType() == com.aparapi.device.Device.TYPE.GPU);
        assertEquals(anyGpu ? com.aparapi.device.Device.TYPE.GPU : devices.getFirst().getType(), chosen.getType());
        assertEquals(chosen, OpenClDevices.choose("0"));
        assertEquals(OpenClDevices.choose("cpu").getType(), com.aparapi.device.Device.TYPE.CPU);
    }

    @Test
    void aDeviceThatDoesNotExistIsRefusedWithTheListOfThoseThatDo() {
        OpenCl.required().close();
        var e = assertThrows(IllegalStateException.class, () -> OpenClDevices.choose("7"));
        assertTrue(e.getMessage().startsWith("-Dnndl.aparapi.device=7 names no device; use gpu, cpu or an index: 0: OpenCL "), e.getMessage());
        var bad = assertThrows(IllegalStateException.class, () -> OpenClDevices.choose("fpga"));
        assertTrue(bad.getMessage().contains("names no device"), bad.getMessage());
    }

    @Test
    void thisJvmWasStartedTheWayAnOpenClDriverNeeds() {
        // surefire starts it with LD_PRELOAD and native access, as ./nndl does; a JVM without them is refused with the fix
        assertEquals(null, JvmSetup.problem());
    }

    @Test
    void onlyThisJvmsOwnSignalChainingLibraryCounts() {
        java.nio.file.Path jsig = JvmSetup.signalChaining();
        assertTrue(JvmSetup.preloaded(jsig, "/usr/lib/other.so:" + jsig));
        assertTrue(JvmSetup.preloaded(jsig, jsig + " /usr/lib/other.so"));
        assertEquals(false, JvmSetup.preloaded(jsig, null));
        assertEquals(false, JvmSetup.preloaded(jsig, "/opt/jdk-17/lib/libjsig.so"));
    }
}
