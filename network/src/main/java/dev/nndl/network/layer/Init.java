package dev.nndl.network.layer;

import java.util.Random;

/** Nielsen's initialisation (network3.py): weights N(0, 1/n_out), biases N(0, 1), softmax layers all zero. */
final class Init {

    private Init() {}

    static float[] gaussian(Random random, int size, double variance) {
        float[] a = new float[size];
        double sd = Math.sqrt(variance);
        for (int e = 0; e < size; e++) a[e] = (float) (random.nextGaussian() * sd);
        return a;
    }
}
