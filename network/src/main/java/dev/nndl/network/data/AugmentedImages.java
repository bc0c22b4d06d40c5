package dev.nndl.network.data;

import dev.nndl.spi.DropoutRng;

/**
 * {@link Images} as AlexNet sees them (Krizhevsky et al. 2012, sections 2 and 4.1): the mean
 * image subtracted, then a {@code crop x crop} patch (227 of 256). In training each sample of
 * each step gets its own random patch, flipped left to right half the time; in evaluation, the
 * centre patch unflipped (the paper averages ten patches; one keeps evaluation cheap). The
 * patch and the flip come from a counter-based generator at {@code (step, sample)}, so a resumed
 * run crops exactly as the uninterrupted one would.
 */
public final class AugmentedImages implements Samples {

    private final Images images;
    private final float[] mean;
    private final int crop;
    private final long seed;

    /** {@code images} with {@code mean} (usually the training set's {@link Images#mean}) subtracted, cut to {@code crop}. */
    public AugmentedImages(Images images, float[] mean, int crop, long seed) {
        if (crop < 1 || crop > images.side()) throw new IllegalArgumentException("a crop of " + crop + " does not fit images of " + images.side());
        if (mean.length != images.imageSize()) throw new IllegalArgumentException("a mean image of " + mean.length + " values for images of " + images.imageSize());
        this.images = images;
        this.mean = mean;
        this.crop = crop;
        this.seed = seed;
    }

    @Override
    public int count() {
        return images.count();
    }

    @Override
    public int label(int i) {
        return images.labels()[i];
    }

    @Override
    public int size() {
        return Images.CHANNELS * crop * crop;
    }

    @Override
    public void copy(int first, int n, float[] x, long step) {
        int side = images.side(), room = side - crop, plane = crop * crop;
        byte[] pixels = images.pixels();
        for (int i = 0; i < n; i++) {
            int top = room / 2, left = room / 2;
            boolean flip = false;
            if (step != EVALUATION) {
                long bits = DropoutRng.bits(seed, step * 65_536 + i);
                top = (int) Long.remainderUnsigned(bits, room + 1);
                left = (int) Long.remainderUnsigned(bits >>> 21, room + 1);
                flip = (bits >>> 63) != 0;
            }
            int image = (first + i) * images.imageSize();
            for (int c = 0; c < Images.CHANNELS; c++) {
                for (int y = 0; y < crop; y++) {
                    int row = (c * side + top + y) * side + left, out = (i * Images.CHANNELS + c) * plane + y * crop;
                    for (int col = 0; col < crop; col++) {
                        int from = row + (flip ? crop - 1 - col : col);
                        x[out + col] = (pixels[image + from] & 0xff) / 255f - mean[from];
                    }
                }
            }
        }
    }
}
