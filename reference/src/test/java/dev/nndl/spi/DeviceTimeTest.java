package dev.nndl.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeviceTimeTest {

    @Test
    void sharesAreOfTheDeviceTimeAndOfTheWallTime() {
        DeviceTime t = new DeviceTime(4, 1, 6, 1, 10);
        assertEquals(8, t.deviceMillis());
        assertEquals(0.25, t.transferShare());
        assertEquals(0.2, t.hostShare(), 1e-12);
        assertEquals(new DeviceTime(3, 0.5, 5, 1, 9), t.since(new DeviceTime(1, 0.5, 1, 0, 1)));
        assertEquals(0, new DeviceTime(0, 0, 0, 0, 0).transferShare());
    }
}
