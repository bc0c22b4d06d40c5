package dev.nndl.network.train;

import dev.nndl.network.Network;
import dev.nndl.network.data.Samples;
import java.util.Arrays;

/**
 * A network's answers on a set of images: the class it rates most probable for each image, and
 * the softmax outputs behind it. The network runs at its own mini-batch size; a last, partial
 * mini-batch is padded with blank images whose answers are dropped.
 */
public record Predictions(int[] classes, float[] probabilities, int[] labels) {

    public static Predictions of(Network network, Samples set) {
        int batch = network.batch(), classes = network.classes(), size = set.size(), count = set.count();
        float[] x = new float[batch * size], probabilities = new float[count * classes];
        int[] predicted = new int[count];
        for (int first = 0; first < count; first += batch) {
            int n = Math.min(batch, count - first);
            set.copy(first, n, x, Samples.EVALUATION);
            if (n < batch) Arrays.fill(x, n * size, x.length, 0);
            network.kernels().upload(x);
            float[] a = network.forward(x);
            network.kernels().download(a);
            System.arraycopy(a, 0, probabilities, first * classes, n * classes);
            for (int i = 0; i < n; i++) predicted[first + i] = argmax(a, i * classes, classes);
        }
        return new Predictions(predicted, probabilities, set.labels());
    }

    /** Percent of images whose predicted class is their label. */
    public double accuracy() {
        int right = 0;
        for (int i = 0; i < classes.length; i++) if (classes[i] == labels[i]) right++;
        return 100.0 * right / classes.length;
    }

    static int argmax(float[] a, int from, int count) {
        int best = 0;
        for (int j = 1; j < count; j++) if (a[from + j] > a[from + best]) best = j;
        return best;
    }
}
