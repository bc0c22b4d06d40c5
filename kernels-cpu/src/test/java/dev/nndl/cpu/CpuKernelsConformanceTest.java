package dev.nndl.cpu;

import dev.nndl.conformance.KernelContract;
import dev.nndl.spi.KernelSet;

/**
 * The CPU backend against the contract, with the threads and vector width this JVM was given:
 * the build runs it with all cores and the widest vectors, and again with
 * {@code -Dnndl.cpu.threads=1 -Dnndl.cpu.vectorBits=128}.
 */
class CpuKernelsConformanceTest implements KernelContract {

    private static final KernelSet CPU = new CpuKernels();

    @Override
    public KernelSet subject() {
        return CPU;
    }

    @org.junit.jupiter.api.Test
    void runsWithTheKnobsItWasGiven() {
        String threads = System.getProperty(CpuKernels.THREADS), bits = System.getProperty(Species.PROPERTY);
        System.out.println("cpu conformance on: " + CPU.device());
        if (threads != null) org.junit.jupiter.api.Assertions.assertEquals(Integer.parseInt(threads), CPU.threads());
        if (bits != null) org.junit.jupiter.api.Assertions.assertEquals(Integer.parseInt(bits), Gemm.S.vectorBitSize());
    }
}
