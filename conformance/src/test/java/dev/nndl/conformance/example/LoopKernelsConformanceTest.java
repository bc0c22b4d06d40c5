package dev.nndl.conformance.example;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.conformance.KernelContract;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import org.junit.jupiter.api.Test;

/** Step 3 of "Testing your own kernels": the whole contract, for one line of code. */
class LoopKernelsConformanceTest implements KernelContract {

    @Override
    public KernelSet subject() {
        return new LoopKernels();
    }

    /** Step 2: the services file makes the backend visible to -Dnndl.backend and nndl conform. */
    @Test
    void isFoundThroughServiceLoader() {
        assertTrue(Backends.providers().containsKey("loops"));
    }
}
