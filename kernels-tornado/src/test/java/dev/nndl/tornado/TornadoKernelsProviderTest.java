package dev.nndl.tornado;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * The availability probe runs an addition on the device and reads it back as {@code KernelSet}'s
 * residency rules say, with {@code download}: when it read the host array without, it found the
 * zeros it had passed in and called the backend broken ("gave wrong results") wherever it works.
 * Where TornadoVM cannot run a kernel at all the probe may say no, but never for that reason.
 */
class TornadoKernelsProviderTest {

    @Test
    void theProbeReadsItsResultFromTheDevice() {
        var availability = new TornadoKernelsProvider().availability();
        System.out.println("tornado: " + (availability.available() ? "available" : availability.reason()));
        assertFalse(!availability.available() && availability.reason().contains("gave wrong results"), availability::reason);
    }
}
