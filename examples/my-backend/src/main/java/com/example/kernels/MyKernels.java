package com.example.kernels;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;

/**
 * A backend started from the reference: its own {@link PlainActivations}, the other nine families
 * still the reference's. Replace them one at a time with {@code families.with(...)}; the contract
 * ({@code MyKernelsConformanceTest}) tests each family you replace and reports the others as
 * delegated to the reference.
 */
public final class MyKernels implements KernelSet {

    private final Families families = new ReferenceKernels().families().with(new PlainActivations());

    @Override
    public String name() {
        return MyKernelsProvider.NAME;
    }

    @Override
    public String device() {
        return "Java, 1 thread, float arithmetic (an example backend from outside nndl)";
    }

    @Override
    public Families families() {
        return families;
    }
}
