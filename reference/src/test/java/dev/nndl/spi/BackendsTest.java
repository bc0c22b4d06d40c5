package dev.nndl.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Backend resolution through ServiceLoader; only the reference is on this module's class path. */
class BackendsTest {

    @Test
    void theReferenceIsRegistered() {
        assertTrue(Backends.providers().containsKey("reference"));
        assertTrue(Backends.providers().get("reference").availability().available());
    }

    @Test
    void aNamedBackendStarts() {
        try (KernelSet kernels = Backends.start("reference")) {
            assertEquals("reference", kernels.name());
            assertTrue(kernels.device().contains("1 thread"), kernels.device());
        }
    }

    @Test
    void autoFallsBackThroughTheOrderToTheReferenceHere() {
        try (KernelSet kernels = Backends.start("auto")) {
            assertEquals("reference", kernels.name());
        }
    }

    @Test
    void anUnknownBackendIsRefusedWithWhatIsAvailable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.start("cuda"));
        assertTrue(e.getMessage().startsWith("unknown backend 'cuda'; on this class path: reference, or auto."), e.getMessage());
    }

    /** A build without a TornadoVM SDK leaves kernels-tornado out: naming it fails with the reason and the fix, not "unknown". */
    @Test
    void aBackendThatWasNotBuiltSaysWhyAndHowToBuildIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.select("tornado"));
        assertTrue(e.getMessage().startsWith("backend 'tornado' cannot start: kernels-tornado was not built: it needs a TornadoVM SDK"), e.getMessage());
        assertTrue(e.getMessage().contains("set TORNADOVM_HOME"), e.getMessage());
        assertEquals(e.getMessage().substring("backend 'tornado' cannot start: ".length()), Backends.availability("tornado").reason());
    }

    @Test
    void theSystemPropertyNamesTheBackend() {
        String before = System.getProperty(Backends.PROPERTY);
        try {
            System.setProperty(Backends.PROPERTY, " reference ");
            assertEquals("reference", Backends.requested());
            System.clearProperty(Backends.PROPERTY);
            assertEquals(System.getenv(Backends.ENVIRONMENT) == null ? "auto" : System.getenv(Backends.ENVIRONMENT).trim(), Backends.requested());
        } finally {
            if (before == null) System.clearProperty(Backends.PROPERTY);
            else System.setProperty(Backends.PROPERTY, before);
        }
    }

    @Test
    void anUnavailableBackendMustSayWhy() {
        assertThrows(IllegalArgumentException.class, () -> Availability.no(" "));
        assertEquals("no OpenCL device", Availability.no("no OpenCL device").reason());
    }
}
