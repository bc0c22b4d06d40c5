package dev.nndl.cpu;

import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;

/**
 * Registers {@link CpuKernels} as the backend {@code cpu}. It is available when the JVM was started
 * with the Vector API ({@code --add-modules jdk.incubator.vector}) and the vector width asked for
 * with {@code -Dnndl.cpu.vectorBits} exists on this CPU. This class must not touch the Vector API
 * itself before checking, or a JVM without the module could not even load it.
 */
public final class CpuKernelSetProvider implements KernelSetProvider {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Availability availability() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Availability.no("the Vector API module is missing: start the JVM with --add-modules jdk.incubator.vector");
        }
        try {
            Probe.check();
        } catch (IllegalArgumentException e) {
            return Availability.no(e.getMessage());
        }
        return Availability.yes();
    }

    @Override
    public KernelSet create() {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("backend 'cpu' cannot start: " + a.reason());
        return new CpuKernels();
    }

    @Override
    public KernelSet create(int threads) {
        Availability a = availability();
        if (!a.available()) throw new IllegalStateException("backend 'cpu' cannot start: " + a.reason());
        return new CpuKernels(threads);
    }

    /** Loaded only after the module check, so that the check itself never needs the Vector API. */
    private static final class Probe {
        static void check() {
            Species.choose(System.getProperty(Species.PROPERTY));
            Species.wide(System.getProperty(Species.WIDE_PROPERTY));
            CpuKernels.threads(System.getProperty(CpuKernels.THREADS));
        }
    }
}
