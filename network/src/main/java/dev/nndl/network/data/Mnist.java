package dev.nndl.network.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * MNIST as the ladder uses it: images scaled to {@code [0, 1]} (Nielsen's {@code pixel / 255}) as
 * flat {@code float[]} of {@code count x 1 x rows x cols}, and digit labels. {@link #load} reads the
 * four standard files from a directory; {@link MnistFiles} finds or fetches that directory.
 */
public record Mnist(Set train, Set test) {

    /** A set of images and their labels. */
    public record Set(float[] images, int[] labels, int rows, int cols) implements Samples {
        public Set {
            if (images.length != labels.length * rows * cols) {
                throw new IllegalArgumentException(images.length + " pixels do not make " + labels.length + " images of " + rows + "x" + cols);
            }
        }

        @Override
        public int count() {
            return labels.length;
        }

        @Override
        public int label(int i) {
            return labels[i];
        }

        @Override
        public int size() {
            return pixels();
        }

        /** The images as stored: MNIST is not augmented here ({@link #expand} makes the shifted copies once). */
        @Override
        public void copy(int first, int n, float[] x, long step) {
            System.arraycopy(images, first * pixels(), x, 0, n * pixels());
        }

        public int pixels() {
            return rows * cols;
        }

        /** Images {@code from} (inclusive) to {@code to} (exclusive). */
        public Set slice(int from, int to) {
            if (from < 0 || to > count() || from > to) throw new IllegalArgumentException("slice " + from + ".." + to + " of " + count() + " images");
            float[] images = java.util.Arrays.copyOfRange(this.images, from * pixels(), to * pixels());
            return new Set(images, java.util.Arrays.copyOfRange(labels, from, to), rows, cols);
        }
    }

    /** Nielsen's split: the first {@code trainCount} training images to train on, the rest to validate with (50,000 and 10,000). */
    public record Splits(Set training, Set validation, Set test) {}

    /**
     * Nielsen's split of the 60,000 training images: the first 50,000 train, the last 10,000
     * validate. A smaller set (a test's) splits in the same proportion, five sixths to one.
     */
    public Splits split() {
        return split(train.count() == 60_000 ? 50_000 : train.count() * 5 / 6);
    }

    public Splits split(int trainCount) {
        if (trainCount <= 0 || trainCount >= train.count()) {
            throw new IllegalArgumentException("cannot keep " + trainCount + " of " + train.count() + " training images and validate on the rest");
        }
        return new Splits(train.slice(0, trainCount), train.slice(trainCount, train.count()), test);
    }

    /**
     * Reads {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...} (each
     * raw or {@code .gz}) from {@code dir}: 28x28 images, at least one in each set.
     */
    public static Mnist load(Path dir) throws IOException {
        return new Mnist(set(dir, "train"), set(dir, "t10k"));
    }

    private static Set set(Path dir, String prefix) throws IOException {
        Path imagesFile = MnistFiles.find(dir, prefix + "-images-idx3-ubyte"), labelsFile = MnistFiles.find(dir, prefix + "-labels-idx1-ubyte");
        Idx.Images images = Idx.readImages(imagesFile);
        if (images.rows() != 28 || images.cols() != 28) {
            throw new Idx.IdxException(imagesFile, "holds " + images.rows() + "x" + images.cols() + " images; MNIST's are 28x28: is this the right file?");
        }
        if (images.count() == 0) throw new Idx.IdxException(imagesFile, "holds no images; download it again");
        byte[] labels = Idx.readLabels(labelsFile);
        if (images.count() != labels.length) {
            throw new Idx.IdxException(labelsFile, labels.length + " labels for the " + images.count() + " images of " + imagesFile.getFileName()
                    + "; the two files must come from the same set");
        }
        float[] pixels = scale(images.pixels());
        int[] digits = new int[labels.length];
        for (int n = 0; n < digits.length; n++) {
            digits[n] = labels[n] & 0xff;
            if (digits[n] > 9) throw new Idx.IdxException(labelsFile, "label " + digits[n] + " at " + n + " is not a digit");
        }
        return new Set(pixels, digits, images.rows(), images.cols());
    }

    /** An idx file's pixels as the network sees them: each byte {@code / 255}, as Nielsen's loader scales them. */
    public static float[] scale(byte[] pixels) {
        float[] scaled = new float[pixels.length];
        for (int e = 0; e < scaled.length; e++) scaled[e] = (pixels[e] & 0xff) / 255f;
        return scaled;
    }

    /**
     * Nielsen's expanded training data (expand_mnist.py): each image, then the image shifted by one
     * pixel down, up, right and left, the row or column that wrapped around set to zero. 50,000
     * images become 250,000, in a fixed order; the original script then shuffles them once, with
     * an unseeded generator, which {@link #shuffle} does with a seed.
     */
    public static Set expand(Set s) {
        int p = s.pixels(), rows = s.rows(), cols = s.cols();
        float[] images = new float[5 * s.images().length];
        int[] labels = new int[5 * s.count()];
        int[][] shifts = {{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        for (int n = 0; n < s.count(); n++) {
            for (int k = 0; k < 5; k++) {
                int dst = (5 * n + k) * p, dy = shifts[k][0], dx = shifts[k][1];
                labels[5 * n + k] = s.labels()[n];
                for (int y = 0; y < rows; y++) {
                    int sy = y - dy;
                    if (sy < 0 || sy >= rows) continue;
                    for (int x = 0; x < cols; x++) {
                        int sx = x - dx;
                        if (sx >= 0 && sx < cols) images[dst + y * cols + x] = s.images()[n * p + sy * cols + sx];
                    }
                }
            }
        }
        return new Set(images, labels, rows, cols);
    }

    /** The images of {@code s} in an order drawn from {@code seed} (Fisher-Yates with {@link java.util.Random}). */
    public static Set shuffle(Set s, long seed) {
        int p = s.pixels(), count = s.count();
        int[] order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        java.util.Random random = new java.util.Random(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        float[] images = new float[s.images().length];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(s.images(), order[i] * p, images, i * p, p);
            labels[i] = s.labels()[order[i]];
        }
        return new Set(images, labels, s.rows(), s.cols());
    }
}
