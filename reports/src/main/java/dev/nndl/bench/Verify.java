package dev.nndl.bench;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Tensors;
import java.util.Random;
import java.util.function.BiConsumer;

/** The check every benchmark's setup makes before anything is timed: one result against the reference. */
final class Verify {

    private Verify() {}

    /** {@code size} values uniform in [-1, 1), from {@code seed}. */
    static float[] random(int size, long seed) {
        return Tensors.uniform(new Random(seed), size, -1, 1);
    }

    /**
     * Runs {@code op} (which writes its output into the given array) on {@code kernels} and on the
     * reference, and fails unless every element agrees to {@code 1e-3} of the output's largest
     * magnitude: a loose screen against a wrong backend, not the conformance contract.
     */
    static void againstReference(String what, KernelSet kernels, int outputSize, BiConsumer<KernelSet, float[]> op) {
        if (kernels.name().equals("reference")) return;
        float[] got = new float[outputSize], want = new float[outputSize];
        op.accept(kernels, got);
        kernels.download(got);
        op.accept(new ReferenceKernels(), want);
        double scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int e = 0; e < outputSize; e++) {
            if (!(Math.abs(got[e] - want[e]) <= 1e-3 * scale + 1e-6)) {
                throw new IllegalStateException(what + " on " + kernels.name() + ": element " + e + " is " + got[e] + ", the reference says " + want[e]
                        + "; run nndl conform --backend " + kernels.name() + " to see what is wrong");
            }
        }
    }
}
