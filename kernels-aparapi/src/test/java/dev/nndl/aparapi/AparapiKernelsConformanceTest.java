package dev.nndl.aparapi;

import dev.nndl.conformance.KernelContract;
import dev.nndl.spi.KernelSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenCL backend against the contract, on the device {@code -Dnndl.aparapi.device} names (by
 * default the first GPU, else PoCL's CPU device). Where an OpenCL driver is installed the backend
 * must be available; on a machine with none the contract is skipped and says why.
 */
class AparapiKernelsConformanceTest implements KernelContract {

    private static KernelSet aparapi;

    @BeforeAll
    static void start() {
        aparapi = OpenCl.required();
        System.out.println("aparapi conformance on: " + aparapi.device());
    }

    @AfterAll
    static void stop() {
        if (aparapi != null) aparapi.close();   // null when no OpenCL driver is installed and the contract was skipped
    }

    @Override
    public KernelSet subject() {
        return aparapi;
    }

    @Test
    void namesItsDevice() {
        org.junit.jupiter.api.Assertions.assertTrue(aparapi.device().startsWith("OpenCL "), aparapi.device());
    }
}
