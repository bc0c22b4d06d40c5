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

    /** A provider that counts its probes; {@code available} says what they find. */
    static final class Probed implements KernelSetProvider {
        final String name;
        final boolean available;
        int probes;

        Probed(String name, boolean available) {
            this.name = name;
            this.available = available;
        }

        @Override public String name() { return name; }
        @Override public Availability availability() {
            probes++;
            return available ? Availability.yes() : Availability.no(name + " is a test double that cannot start");
        }
        @Override public KernelSet create() { return new dev.nndl.reference.ReferenceKernels(); }
    }

    /** Aparapi's probe prints an OpenCL warning of its own: auto used to probe every backend, and so print it before every run. */
    @Test
    void autoProbesNoBackendPastTheOneItChooses() {
        Probed cpu = new Probed("cpu", true), aparapi = new Probed("aparapi", true), reference = new Probed("reference", true);
        try (KernelSet chosen = Backends.selectAuto(java.util.Map.of("cpu", cpu, "aparapi", aparapi, "reference", reference)).kernels()) {
            assertEquals(1, cpu.probes);
            assertEquals(0, aparapi.probes + reference.probes);
        }
        Probed missing = new Probed("cpu", false);
        Backends.Selection next = Backends.selectAuto(java.util.Map.of("cpu", missing, "aparapi", aparapi, "reference", reference));
        next.kernels().close();
        assertEquals(1, aparapi.probes, "the next in the order, once the first cannot start");
        assertEquals(0, reference.probes);
        assertTrue(next.reason().startsWith("the first available in the order cpu, aparapi"), next.reason());
    }
}
