package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.spi.Availability;
import org.junit.jupiter.api.Test;

/** The provider's answer for bad knobs: unavailable, with a reason naming the property and its range, and no threads started. */
class CpuKernelSetProviderTest {

    @Test
    void tooManyThreadsOrNotANumberMakeItUnavailable() {
        String before = System.getProperty(CpuKernels.THREADS);
        try {
            for (String bad : new String[] {"100000", "0", "-3", "four", "2.5"}) {
                System.setProperty(CpuKernels.THREADS, bad);
                Availability a = new CpuKernelSetProvider().availability();
                assertFalse(a.available(), bad);
                assertTrue(a.reason().startsWith("-Dnndl.cpu.threads=" + bad + " is not a number of threads from 1 to " + CpuKernels.maxThreads()), a.reason());
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CpuKernelSetProvider().create());
                assertTrue(e.getMessage().startsWith("backend 'cpu' cannot start: -Dnndl.cpu.threads=" + bad), e.getMessage());
            }
            System.setProperty(CpuKernels.THREADS, "2");
            assertTrue(new CpuKernelSetProvider().availability().available());
        } finally {
            if (before == null) System.clearProperty(CpuKernels.THREADS);
            else System.setProperty(CpuKernels.THREADS, before);
        }
        assertThrows(IllegalArgumentException.class, () -> new CpuKernels(CpuKernels.maxThreads() + 1));
    }

    @Test
    void aWideLanesValueOtherThanTrueOrFalseMakesItUnavailable() {
        String before = System.getProperty(Species.WIDE_PROPERTY);
        try {
            System.setProperty(Species.WIDE_PROPERTY, "yes");
            Availability a = new CpuKernelSetProvider().availability();
            assertFalse(a.available());
            assertTrue(a.reason().startsWith("-Dnndl.cpu.wideLanes=yes is neither true nor false; use false"), a.reason());
            for (String good : new String[] {"true", "false", " false "}) {
                System.setProperty(Species.WIDE_PROPERTY, good);
                assertTrue(new CpuKernelSetProvider().availability().available(), good);
            }
        } finally {
            if (before == null) System.clearProperty(Species.WIDE_PROPERTY);
            else System.setProperty(Species.WIDE_PROPERTY, before);
        }
    }
}
