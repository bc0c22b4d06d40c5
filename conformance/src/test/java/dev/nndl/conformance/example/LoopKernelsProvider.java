package dev.nndl.conformance.example;

import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;

/** Registers {@link LoopKernels} as the backend {@code loops} (see META-INF/services in the test resources). */
public final class LoopKernelsProvider implements KernelSetProvider {

    @Override
    public String name() {
        return "loops";
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public KernelSet create() {
        return new LoopKernels();
    }
}
