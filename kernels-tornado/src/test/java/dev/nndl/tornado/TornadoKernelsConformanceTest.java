package dev.nndl.tornado;

import dev.nndl.conformance.KernelContract;
import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;

/**
 * The TornadoVM backend against the contract, on the device {@code -Dnndl.tornado.device} names
 * (default TornadoVM's first, 0:0), printed first. Skipped, with the reason, when TornadoVM cannot
 * run a kernel here.
 */
class TornadoKernelsConformanceTest implements KernelContract {

    private static final Availability AVAILABILITY = new TornadoKernelsProvider().availability();
    private static KernelSet tornado;

    @Override
    public Availability availability() {
        return AVAILABILITY;
    }

    @Override
    public synchronized KernelSet subject() {
        if (tornado == null) {
            tornado = new TornadoKernels();
            System.out.println("tornado conformance on: " + tornado.device());
        }
        return tornado;
    }
}
