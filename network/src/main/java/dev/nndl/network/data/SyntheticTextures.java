package dev.nndl.network.data;

import java.util.List;
import java.util.Random;

/**
 * Ten classes of generated colour textures, for training AlexNet where there is no ImageNet: a
 * task its convolutions can learn and its crops and flips do not disturb. The class is the
 * pattern; everything else is drawn afresh for each image, so that no shortcut names the class:
 * two colours (the pattern blends between them; one dark, one light, either way round), the
 * phase, the period within 15 %, and pixel noise of 5 % of the range. Every pattern is its own mirror image, so a horizontal flip keeps
 * its class.
 */
public final class SyntheticTextures {

    /** The classes, in label order. */
    public static final List<String> CLASSES = List.of("horizontal-stripes", "vertical-stripes", "fine-horizontal-stripes", "fine-vertical-stripes",
            "checkerboard", "fine-checkerboard", "rings", "dots", "waves", "grain");

    private static final double COARSE = 32, FINE = 10;

    private SyntheticTextures() {}

    /** {@code perClass} images of each of the {@code classes} first classes (at most 10), {@code side x side}, in a shuffled order. */
    public static Images generate(int classes, int perClass, int side, long seed) {
        if (classes < 2 || classes > CLASSES.size()) throw new IllegalArgumentException("between 2 and " + CLASSES.size() + " texture classes, not " + classes);
        if (perClass < 1) throw new IllegalArgumentException("at least one image per class, not " + perClass);
        Random random = new Random(seed);
        int count = classes * perClass, size = Images.CHANNELS * side * side;
        byte[] pixels = new byte[Math.multiplyExact(count, size)];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % classes;
            draw(labels[i], side, random, pixels, i * size);
        }
        return new Images(pixels, labels, CLASSES.subList(0, classes), side).shuffle(seed);
    }

    private static void draw(int pattern, int side, Random random, byte[] into, int offset) {
        // a dark and a light colour, so that every pattern shows: each channel at least half the range apart
        double[] dark = {0.35 * random.nextDouble(), 0.35 * random.nextDouble(), 0.35 * random.nextDouble()};
        double[] light = {1 - 0.35 * random.nextDouble(), 1 - 0.35 * random.nextDouble(), 1 - 0.35 * random.nextDouble()};
        if (random.nextBoolean()) {
            double[] swap = dark;
            dark = light;
            light = swap;
        }
        double period = (pattern == 2 || pattern == 3 || pattern == 5 ? FINE : COARSE) * (0.85 + 0.3 * random.nextDouble());
        double phaseX = 2 * Math.PI * random.nextDouble(), phaseY = 2 * Math.PI * random.nextDouble();
        double cx = side * random.nextDouble(), cy = side * random.nextDouble();
        double[][] waves = new double[4][3];
        for (double[] wave : waves) {
            double angle = Math.PI * random.nextDouble(), frequency = 2 * Math.PI / (period * (1.5 + random.nextDouble()));
            wave[0] = frequency * Math.cos(angle);
            wave[1] = frequency * Math.sin(angle);
            wave[2] = 2 * Math.PI * random.nextDouble();
        }
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double t = switch (pattern) {
                    case 0, 2 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * y / period + phaseY);
                    case 1, 3 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * x / period + phaseX);
                    case 4, 5 -> Math.sin(2 * Math.PI * x / period + phaseX) * Math.sin(2 * Math.PI * y / period + phaseY) > 0 ? 1 : 0;
                    case 6 -> 0.5 + 0.5 * Math.sin(2 * Math.PI * Math.hypot(x - cx, y - cy) / period + phaseX);
                    case 7 -> {
                        double dx = Math.IEEEremainder(x - cx, period), dy = Math.IEEEremainder(y - cy, period);
                        yield Math.hypot(dx, dy) < period / 4 ? 1 : 0;
                    }
                    case 8 -> {
                        double sum = 0;
                        for (double[] wave : waves) sum += Math.sin(wave[0] * x + wave[1] * y + wave[2]);
                        yield 0.5 + sum / 8;
                    }
                    default -> random.nextDouble();
                };
                for (int c = 0; c < Images.CHANNELS; c++) {
                    double v = dark[c] + t * (light[c] - dark[c]) + 0.05 * random.nextGaussian();
                    into[offset + c * plane + y * side + x] = (byte) Math.round(255 * Math.min(1, Math.max(0, v)));
                }
            }
        }
    }
}
