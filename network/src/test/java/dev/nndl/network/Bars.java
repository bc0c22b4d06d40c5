package dev.nndl.network;

import dev.nndl.network.data.Mnist;
import java.util.Random;

/**
 * Ten classes of 28x28 images a network can learn in a few epochs: class c is a bright bar in row
 * 2c + 4, on faint noise, jittered left or right by up to one pixel. (Jittering it up or down too
 * would put class c's bar where class c+1's lands, which pooling cannot tell apart.)
 */
public final class Bars {

    private Bars() {}

    public static Mnist.Set set(int count, long seed) {
        Random random = new Random(seed);
        float[] x = new float[count * 784];
        int[] labels = new int[count];
        for (int n = 0; n < count; n++) {
            int c = random.nextInt(10), shift = random.nextInt(3) - 1;
            labels[n] = c;
            for (int e = 0; e < 784; e++) x[n * 784 + e] = 0.1f * random.nextFloat();
            int row = 2 * c + 4;
            for (int col = 4 + shift; col < 24 + shift; col++) x[n * 784 + row * 28 + col] = 1;
        }
        return new Mnist.Set(x, labels, 28, 28);
    }

    /** A training, validation and test set, like Nielsen's split but small. */
    public static Mnist.Splits splits(int train, int validation, int test, long seed) {
        return new Mnist.Splits(set(train, seed), set(validation, seed + 1), set(test, seed + 2));
    }

    /** One-hot targets for {@code labels}. */
    public static float[] oneHot(int[] labels) {
        float[] y = new float[labels.length * 10];
        for (int n = 0; n < labels.length; n++) y[n * 10 + labels[n]] = 1;
        return y;
    }
}
