package dev.nndl.cpu;

import dev.nndl.conformance.KernelContract;
import dev.nndl.spi.KernelSet;

/**
 * The CPU backend against the contract, with the threads and vector width this JVM was given:
 * the build runs it with all cores and the default vectors (256 bits at most), again with
 * {@code -Dnndl.cpu.threads=1 -Dnndl.cpu.vectorBits=128}, and with the CPU's widest
 * ({@code -Dnndl.cpu.vectorBits=preferred}).
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
        int expected = bits == null ? Math.min(256, jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize())
                : bits.equals("preferred") ? jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(bits);
        org.junit.jupiter.api.Assertions.assertEquals(expected, Gemm.S.vectorBitSize());
    }
}
