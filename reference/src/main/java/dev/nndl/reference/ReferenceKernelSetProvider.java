package dev.nndl.reference;

import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;

/** Registers {@link ReferenceKernels} as the backend {@code reference}, available everywhere Java runs. */
public final class ReferenceKernelSetProvider implements KernelSetProvider {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public KernelSet create() {
        return new ReferenceKernels();
    }
}
