package dev.nndl.network.data;

/**
 * Labelled samples a trainer feeds a network, a mini-batch at a time: MNIST's images as they
 * are, or photographs cropped and flipped afresh for every step ({@link AugmentedImages}).
 */
public interface Samples {

    /** The {@code step} of a copy for evaluation: no augmentation (a centre crop, for images). */
    long EVALUATION = -1;

    int count();

    /** The label of sample {@code i}, {@code 0 <= i < count()}. */
    int label(int i);

    /** Floats per sample as the network sees it, e.g. {@code 28 * 28} or {@code 3 * 227 * 227}. */
    int size();

    /**
     * Copies samples {@code first .. first + n - 1} into {@code x} (sample {@code i} at
     * {@code (i - first) * size()}), as training step {@code step} sees them, or
     * {@link #EVALUATION}. The same step gives the same copy, so a resumed run sees what the
     * uninterrupted one would.
     */
    void copy(int first, int n, float[] x, long step);

    /** What one sample is, for column headers and messages: {@code image}, or {@code sequence}. */
    default String noun() {
        return "image";
    }

    /** Every label, in order. */
    default int[] labels() {
        int[] labels = new int[count()];
        for (int i = 0; i < labels.length; i++) labels[i] = label(i);
        return labels;
    }
}
