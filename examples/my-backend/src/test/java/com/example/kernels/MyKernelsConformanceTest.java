package com.example.kernels;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.nndl.conformance.KernelContract;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import org.junit.jupiter.api.Test;

/**
 * nndl's contract for {@link MyKernels}: one test per operation and direction against the
 * reference (the activations pass; the families still the reference's are skipped as delegated),
 * the named regression cases and the length probe.
 */
class MyKernelsConformanceTest implements KernelContract {

    @Override
    public KernelSet subject() {
        return new MyKernels();
    }

    /** The services file makes the backend visible to -Dnndl.backend and nndl conform. */
    @Test
    void isFoundThroughServiceLoader() {
        assertInstanceOf(MyKernelsProvider.class, Backends.providers().get("my-kernels"));
    }
}
