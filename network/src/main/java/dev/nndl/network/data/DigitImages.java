package dev.nndl.network.data;

import dev.nndl.spi.BadFileException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Any picture of a digit made into an MNIST image the way MNIST's were made from NIST's scans
 * (Y. LeCun, C. Cortes and C. J. C. Burges, "The MNIST database of handwritten digits"): the
 * digit, bilevel, is scaled to fit a 20 x 20 box, keeping its aspect ratio, with area averaging
 * (its edges become grey), and placed in a 28 x 28 field with its centre of mass at the centre.
 * {@link #prepare} takes a picture through these steps:
 *
 * <ol>
 *   <li>grey: the luminance {@code 0.299 R + 0.587 G + 0.114 B}, a transparent pixel taken over white;
 *   <li>light on dark: the median of the border pixels is the background; a light one is
 *       inverted, so that ink is light, as in MNIST;
 *   <li>bilevel: a pixel is ink where it stands out from the background by at least half as much
 *       as the strongest ink does (less than {@value #MIN_CONTRAST} grey levels there: no ink);
 *   <li>cropped to the ink's bounding box;
 *   <li>scaled so that its longer side is {@value #BOX} pixels, the shorter one in proportion, each
 *       new pixel the mean of the ink under it;
 *   <li>as bytes 0 to 255, then shifted by whole pixels so that its centre of mass is within half
 *       a pixel of the 28 x 28 field's centre (index 13.5 on each axis), or as near as keeps all
 *       of it inside.
 * </ol>
 *
 * The result is what an idx file holds: 784 bytes, row by row, which {@link Mnist#scale} makes the
 * network's input, as it does MNIST's.
 */
public final class DigitImages {

    /** MNIST's field: 28 x 28. */
    public static final int SIDE = 28;
    /** The box the digit is scaled into: 20 x 20. */
    public static final int BOX = 20;
    /** Ink must stand out from the background by this many grey levels (of 255) somewhere: less is a blank page. */
    static final int MIN_CONTRAST = 32;

    /** The luminance weights of ITU-R BT.601, in thousandths: luminance in thousandths of a grey level, so inverting is exact. */
    private static final int R = 299, G = 587, B = 114, WHITE = 255 * 1000;

    private DigitImages() {}

    /** A picture without ink: nothing stands out from its background. */
    public static final class NoInkException extends IllegalArgumentException {
        NoInkException(String problem) {
            super(problem);
        }
    }

    /** The MNIST image of the picture in {@code file}, decoded within {@link ImageFolder}'s limits; a blank or unreadable file is named. */
    public static byte[] read(Path file) throws IOException {
        BufferedImage image = ImageFolder.decode(file, "give a PNG, JPEG, BMP or GIF image (or an idx3 images file)", "give a PNG or JPEG of it instead");
        try {
            return prepare(image);
        } catch (NoInkException e) {
            throw new BadFileException(file, e.getMessage());
        }
    }

    /** The 28 x 28 MNIST image of {@code image}, row by row: see the class comment. Throws {@link NoInkException} for a blank picture. */
    public static byte[] prepare(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        int[] ink = luminance(image);
        // doubled, in thousandths of a grey level: the median of an even count is the mean of two
        int background2 = twiceBorderMedian(ink, w, h);
        boolean light = background2 > WHITE;
        int peak = 0;
        for (int i = 0; i < ink.length; i++) {
            ink[i] = Math.max(0, light ? background2 - 2 * ink[i] : 2 * ink[i] - background2);
            peak = Math.max(peak, ink[i]);
        }
        if (peak < 2000 * MIN_CONTRAST) {
            throw new NoInkException(String.format(java.util.Locale.ROOT, "holds no ink: no pixel differs from its %s background (the border's, grey %d of 255) "
                    + "by %d grey levels or more; give a picture of a digit, dark on light or light on dark", light ? "light" : "dark",
                    Math.round(background2 / 2000f), MIN_CONTRAST));
        }
        int left = w, right = -1, top = h, bottom = -1;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (2 * ink[y * w + x] < peak) continue;
                left = Math.min(left, x);
                right = Math.max(right, x);
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
            }
        }
        int cw = right - left + 1, ch = bottom - top + 1;
        float[] crop = new float[cw * ch];
        for (int y = 0; y < ch; y++) {
            for (int x = 0; x < cw; x++) crop[y * cw + x] = 2 * ink[(top + y) * w + left + x] >= peak ? 1 : 0;
        }
        int longer = Math.max(cw, ch);
        int bw = Math.max(1, Math.round((float) cw * BOX / longer)), bh = Math.max(1, Math.round((float) ch * BOX / longer));
        float[] box = areaAverage(crop, cw, ch, bw, bh);
        int[] levels = new int[box.length];
        for (int i = 0; i < box.length; i++) levels[i] = Math.round(box[i] * 255);
        if (java.util.Arrays.stream(levels).allMatch(v -> v == 0)) {
            throw new NoInkException("holds ink too thin to show once its longer side is " + BOX + " pixels (" + cw + "x" + ch
                    + " pixels of ink, strokes a pixel or two wide); give a picture with thicker strokes");
        }
        return centred(levels, bw, bh);
    }

    /** Each pixel's luminance in thousandths of a grey level (0 to 255,000), a transparent one taken over white. */
    private static int[] luminance(BufferedImage image) {
        int w = image.getWidth(), h = image.getHeight();
        int[] grey = new int[w * h], row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x], a = argb >>> 24;
                int r = over((argb >> 16) & 0xff, a), g = over((argb >> 8) & 0xff, a), b = over(argb & 0xff, a);
                grey[y * w + x] = R * r + G * g + B * b;
            }
        }
        return grey;
    }

    /** A channel of opacity {@code a} (of 255) laid over white. */
    private static int over(int c, int a) {
        return a == 255 ? c : (c * a + 255 * (255 - a) + 127) / 255;
    }

    /**
     * Twice the median of the pixels on the picture's outermost rows and columns (the sum of the
     * middle two of an even count): its background, unless ink covers half the border. The same
     * for a picture and its negative, mirrored.
     */
    static int twiceBorderMedian(int[] grey, int w, int h) {
        int[] border = new int[w * h - Math.max(0, w - 2) * Math.max(0, h - 2)];
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (y == 0 || y == h - 1 || x == 0 || x == w - 1) border[n++] = grey[y * w + x];
            }
        }
        java.util.Arrays.sort(border, 0, n);
        return border[(n - 1) / 2] + border[n / 2];
    }

    /**
     * {@code in}, {@code w x h}, scaled to {@code bw x bh}: each new pixel the mean of the old
     * pixels it covers, weighted by the area covered (a box filter, separable: across, then down).
     */
    static float[] areaAverage(float[] in, int w, int h, int bw, int bh) {
        float[] across = new float[bw * h], out = new float[bw * bh];
        for (int y = 0; y < h; y++) resample(in, y * w, 1, w, across, y * bw, 1, bw);
        for (int x = 0; x < bw; x++) resample(across, x, bw, h, out, x, bw, bh);
        return out;
    }

    /**
     * One line of {@code n} values (from {@code in} at {@code from}, {@code stride} apart) as
     * {@code m}: value {@code j} is the mean over {@code [j n / m, (j + 1) n / m)} of the old
     * values, each weighted by how much of its unit interval lies inside.
     */
    private static void resample(float[] in, int from, int stride, int n, float[] out, int to, int outStride, int m) {
        double scale = (double) n / m;
        for (int j = 0; j < m; j++) {
            double begin = j * scale, end = (j + 1) * scale, sum = 0;
            for (int i = (int) begin; i < Math.min(n, (int) Math.ceil(end)); i++) {
                sum += in[from + i * stride] * (Math.min(end, i + 1) - Math.max(begin, i));
            }
            out[to + j * outStride] = (float) (sum / scale);
        }
    }

    /**
     * The {@code bw x bh} box of {@code levels} placed in the 28 x 28 field by whole pixels, its
     * centre of mass as near the field's centre (13.5, 13.5) as rounding allows without moving
     * any of it out of the field.
     */
    private static byte[] centred(int[] levels, int bw, int bh) {
        long mass = 0, mx = 0, my = 0;
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) {
                mass += levels[y * bw + x];
                mx += x * levels[y * bw + x];
                my += y * levels[y * bw + x];
            }
        }
        double centre = (SIDE - 1) / 2.0;
        int dx = clamp((int) Math.round(centre - (double) mx / mass), 0, SIDE - bw);
        int dy = clamp((int) Math.round(centre - (double) my / mass), 0, SIDE - bh);
        byte[] field = new byte[SIDE * SIDE];
        for (int y = 0; y < bh; y++) {
            for (int x = 0; x < bw; x++) field[(y + dy) * SIDE + x + dx] = (byte) levels[y * bw + x];
        }
        return field;
    }

    private static int clamp(int v, int min, int max) {
        return Math.max(min, Math.min(max, v));
    }

    /** A 28 x 28 MNIST image as a grey picture (ink light, as MNIST stores it), to look at. */
    public static BufferedImage picture(byte[] digit) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, SIDE, SIDE, digit);
        return image;
    }
}
