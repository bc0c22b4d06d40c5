package dev.nndl.conformance.mutants;

import dev.nndl.conformance.ForwardingKernelSet;
import dev.nndl.reference.ReferenceKernels;

/**
 * A correct kernel set (the reference) with one realistic bug planted in one operation. The
 * contract must reject every mutant; {@code MutantsTest} proves it and prints the kill table.
 */
public abstract class Mutant extends ForwardingKernelSet {

    protected Mutant() {
        super(new ReferenceKernels());
    }

    /** A mutant of another correct kernel set, such as the reference on a {@code SimulatedDevice}. */
    protected Mutant(dev.nndl.spi.KernelSet correct) {
        super(correct);
    }

    /** A short identifier, e.g. {@code padding-off-by-one}. */
    public abstract String id();

    /** The bug, in words. */
    public abstract String bug();

    /** The operation and direction the bug is in, as the contract names it, e.g. {@code conv2d forward}. */
    public abstract String target();

    @Override
    public String name() {
        return "mutant:" + id();
    }

    @Override
    public String device() {
        return "the reference with one bug: " + bug();
    }
}
