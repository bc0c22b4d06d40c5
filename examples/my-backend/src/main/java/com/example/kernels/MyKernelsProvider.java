package com.example.kernels;

import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.KernelSetProvider;

/**
 * Registers {@link MyKernels} as the backend {@code my-kernels}, through the one line in
 * {@code META-INF/services/dev.nndl.spi.KernelSetProvider}: with this jar on nndl's class path,
 * {@code ./nndl backends} lists it and {@code ./nndl conform --backend my-kernels} tests it.
 */
public final class MyKernelsProvider implements KernelSetProvider {

    static final String NAME = "my-kernels";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        return Availability.yes();
    }

    @Override
    public KernelSet create() {
        return new MyKernels();
    }
}
