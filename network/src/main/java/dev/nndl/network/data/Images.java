package dev.nndl.network.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Colour images of one size, {@code side x side}, as AlexNet's recipe stores them before
 * training: rescaled so the shorter side is {@code side} (256) and centre-cropped to a square
 * (Krizhevsky et al. 2012, section 2). Pixels are bytes, planar per image: channel {@code c},
 * row {@code y}, column {@code x} of image {@code i} at {@code ((i * 3 + c) * side + y) * side + x}.
 */
public record Images(byte[] pixels, int[] labels, List<String> classes, int side) {

    public static final int CHANNELS = 3;

    public Images {
        classes = List.copyOf(classes);
        if ((long) labels.length * CHANNELS * side * side != pixels.length) {
            throw new IllegalArgumentException(pixels.length + " bytes do not make " + labels.length + " images of 3x" + side + "x" + side);
        }
        for (int label : labels) {
            if (label < 0 || label >= classes.size()) throw new IllegalArgumentException("label " + label + " outside the " + classes.size() + " classes");
        }
    }

    public int count() {
        return labels.length;
    }

    /** Bytes per image: {@code 3 * side * side}. */
    public int imageSize() {
        return CHANNELS * side * side;
    }

    /** The mean image, {@code 3 x side x side}, of pixel values scaled to [0, 1]: what the recipe subtracts from every image. */
    public float[] mean() {
        int size = imageSize();
        double[] sum = new double[size];
        for (int i = 0; i < count(); i++) {
            for (int e = 0; e < size; e++) sum[e] += pixels[i * size + e] & 0xff;
        }
        float[] mean = new float[size];
        for (int e = 0; e < size; e++) mean[e] = (float) (sum[e] / count() / 255);
        return mean;
    }

    /** Images {@code from} (inclusive) to {@code to} (exclusive). */
    public Images slice(int from, int to) {
        if (from < 0 || to > count() || from > to) throw new IllegalArgumentException("slice " + from + ".." + to + " of " + count() + " images");
        return new Images(java.util.Arrays.copyOfRange(pixels, from * imageSize(), to * imageSize()),
                java.util.Arrays.copyOfRange(labels, from, to), classes, side);
    }

    /** The images in an order drawn once from {@code seed} (a folder lists its classes one after another). */
    public Images shuffle(long seed) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < count(); i++) order.add(i);
        java.util.Collections.shuffle(order, new Random(seed));
        byte[] p = new byte[pixels.length];
        int[] l = new int[labels.length];
        for (int i = 0; i < count(); i++) {
            int from = order.get(i);
            System.arraycopy(pixels, from * imageSize(), p, i * imageSize(), imageSize());
            l[i] = labels[from];
        }
        return new Images(p, l, classes, side);
    }

    /** Training, validation and test images: the first {@code 1 - 2 * held} of the images, then {@code held} each. */
    public record Splits(Images training, Images validation, Images test) {}

    /** Splits off a validation and a test set of {@code held} (e.g. 0.1) of the images each; at least one image each. */
    public Splits split(double held) {
        int n = Math.max(1, (int) Math.round(held * count()));
        if (count() < 2 * n + 1) throw new IllegalArgumentException(count() + " images are too few to train on and hold " + n + " out twice");
        return new Splits(slice(0, count() - 2 * n), slice(count() - 2 * n, count() - n), slice(count() - n, count()));
    }
}
