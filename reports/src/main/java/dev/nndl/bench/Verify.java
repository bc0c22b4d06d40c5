package dev.nndl.bench;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import java.util.Random;
import java.util.function.BiConsumer;

/** The check every benchmark's setup makes before anything is timed: one result against the reference. */
final class Verify {

    private Verify() {}

    static float[] random(int size, long seed) {
        Random r = new Random(seed);
        float[] a = new float[size];
        for (int e = 0; e < size; e++) a[e] = r.nextFloat() * 2 - 1;
        return a;
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
