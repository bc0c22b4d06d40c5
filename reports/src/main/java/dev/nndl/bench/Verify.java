package dev.nndl.bench;

import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Tensors;
import java.util.Random;

/** The check every benchmark's setup makes before anything is timed: one result against the reference. */
final class Verify {

    private Verify() {}

    /** {@code size} values uniform in [-1, 1), from {@code seed}. */
    static float[] random(int size, long seed) {
        return Tensors.uniform(new Random(seed), size, -1, 1);
    }

    /**
     * Fails unless every element of {@code got} (from {@code kernels}) agrees with the reference's
     * {@code want} to {@code 1e-3} of the output's largest magnitude: a loose screen against a
     * wrong backend, not the conformance contract.
     */
    static void same(String what, KernelSet kernels, float[] got, float[] want) {
        double scale = 0;
        for (float v : want) scale = Math.max(scale, Math.abs(v));
        for (int e = 0; e < want.length; e++) {
            if (!(Math.abs(got[e] - want[e]) <= 1e-3 * scale + 1e-6)) {
                throw new IllegalStateException(what + " on " + kernels.name() + ": element " + e + " is " + got[e] + ", the reference says " + want[e]
                        + "; run nndl conform --backend " + kernels.name() + " to see what is wrong");
            }
        }
    }
}
