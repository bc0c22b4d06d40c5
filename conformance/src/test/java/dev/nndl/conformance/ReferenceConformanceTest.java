package dev.nndl.conformance;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;

/** The reference passes its own contract: the contract accepts a correct kernel set. */
class ReferenceConformanceTest implements KernelContract {

    private static final KernelSet REFERENCE = new ReferenceKernels();

    @Override
    public KernelSet subject() {
        return REFERENCE;
    }
}
