package dev.nndl.network.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.spi.BadFileException;
import dev.nndl.testing.Gen;
import dev.nndl.testing.Property;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pictures made into MNIST images as MNIST's were made: the properties of each step, and the pictures it refuses. */
class DigitImagesTest {

    /** The committed picture the README predicts, relative to this module. */
    static final Path DOCS_DIGIT = Path.of("..", "docs", "digit.png");

    @TempDir
    Path dir;

    /**
     * Filled rectangles of ink, at least 3 pixels thick, on a {@code w x h} page whose outermost
     * pixels stay paper; dark on light or light on dark.
     */
    record Drawing(int w, int h, List<int[]> rects, boolean lightPaper) {

        static Drawing of(int[] v) {
            int w = v[0], h = v[1];
            Random random = new Random(v[2]);
            List<int[]> rects = new ArrayList<>();
            for (int n = 1 + random.nextInt(4); n > 0; n--) {
                int rw = 3 + random.nextInt(w - 4), rh = 3 + random.nextInt(h - 4);
                rects.add(new int[] {1 + random.nextInt(w - 1 - rw), 1 + random.nextInt(h - 1 - rh), rw, rh});
            }
            return new Drawing(w, h, rects, v[3] == 1);
        }

        BufferedImage picture() {
            return picture(lightPaper ? new Color(250, 248, 240) : new Color(12, 10, 30), lightPaper ? new Color(40, 40, 70) : new Color(235, 240, 255));
        }

        BufferedImage picture(Color paper, Color ink) {
            BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(paper);
            g.fillRect(0, 0, w, h);
            g.setColor(ink);
            for (int[] r : rects) g.fillRect(r[0], r[1], r[2], r[3]);
            g.dispose();
            return image;
        }

        /** The ink's bounding box: left, top, width, height. */
        int[] inkBox() {
            int left = w, top = h, right = 0, bottom = 0;
            for (int[] r : rects) {
                left = Math.min(left, r[0]);
                top = Math.min(top, r[1]);
                right = Math.max(right, r[0] + r[2]);
                bottom = Math.max(bottom, r[1] + r[3]);
            }
            return new int[] {left, top, right - left, bottom - top};
        }

        @Override
        public String toString() {
            return w + "x" + h + (lightPaper ? " light" : " dark") + " paper, rects " + rects.stream().map(Arrays::toString).toList();
        }
    }

    static final Gen<Drawing> DRAWINGS = Gen.vector(Drawing::of, Gen.between(5, 300, 6, 28, 40), Gen.between(5, 300, 6, 28, 40),
            Gen.between(0, 1_000_000), Gen.between(0, 1));

    /** The bounding box of the pixels above 0 in a 28 x 28 image: left, top, width, height. */
    static int[] box(byte[] digit) {
        int left = 28, top = 28, right = -1, bottom = -1;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                if (digit[y * 28 + x] == 0) continue;
                left = Math.min(left, x);
                right = Math.max(right, x);
                top = Math.min(top, y);
                bottom = Math.max(bottom, y);
            }
        }
        return new int[] {left, top, right - left + 1, bottom - top + 1};
    }

    /** The centre of mass of a 28 x 28 image, x and y, in pixel indices (the field's centre is 13.5). */
    static double[] centreOfMass(byte[] digit) {
        double mass = 0, mx = 0, my = 0;
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = digit[y * 28 + x] & 0xff;
                mass += v;
                mx += x * v;
                my += y * v;
            }
        }
        return new double[] {mx / mass, my / mass};
    }

    @Test
    void theInkIsCroppedAndScaledToTwentyPixelsKeepingItsAspectRatio() {
        Property.check("ink box", 300, DRAWINGS, d -> {
            int[] ink = d.inkBox(), box = box(DigitImages.prepare(d.picture()));
            int longer = Math.max(ink[2], ink[3]);
            int w = Math.round((float) ink[2] * 20 / longer), h = Math.round((float) ink[3] * 20 / longer);
            assertEquals(List.of(Math.max(1, w), Math.max(1, h)), List.of(box[2], box[3]), "the prepared ink's width and height, of ink " + ink[2] + "x" + ink[3]);
        });
    }

    @Test
    void theCentreOfMassIsWithinHalfAPixelOfTheCentreUnlessTheInkWouldLeaveTheField() {
        Property.check("centre of mass", 300, DRAWINGS, d -> {
            byte[] digit = DigitImages.prepare(d.picture());
            double[] com = centreOfMass(digit);
            int[] box = box(digit);
            for (int axis = 0; axis < 2; axis++) {
                double off = com[axis] - 13.5;
                boolean againstEdge = off > 0 ? box[axis] == 0 : box[axis] + box[axis + 2] == 28;
                assertTrue(Math.abs(off) <= 0.5 || againstEdge, (axis == 0 ? "x" : "y") + " centre of mass " + com[axis] + ", box " + Arrays.toString(box));
            }
        });
    }

    @Test
    void aPictureAndItsNegativeMakeTheSameDigitWhereverTheInkIs() {
        Property.check("negative and shifted", 200, DRAWINGS, d -> {
            byte[] digit = DigitImages.prepare(d.picture());
            BufferedImage negative = d.picture();
            for (int y = 0; y < d.h(); y++) for (int x = 0; x < d.w(); x++) negative.setRGB(x, y, ~negative.getRGB(x, y) | 0xff000000);
            assertArrayEquals(digit, DigitImages.prepare(negative), "the negative");
            List<int[]> moved = d.rects().stream().map(r -> new int[] {r[0] + 17, r[1] + 5, r[2], r[3]}).toList();
            Drawing larger = new Drawing(d.w() + 30, d.h() + 9, moved, d.lightPaper());
            assertArrayEquals(digit, DigitImages.prepare(larger.picture()), "the same ink elsewhere on a larger page");
        });
    }

    /** A 30 x 60 block of ink becomes a 10 x 20 block of 255 on 0, dark ink on light paper or light ink on dark. */
    @Test
    void theInkIsLightOnABlackBackgroundWhateverThePaper() {
        for (boolean light : new boolean[] {true, false}) {
            byte[] digit = DigitImages.prepare(new Drawing(60, 90, List.of(new int[] {10, 10, 30, 60}), light).picture());
            assertArrayEquals(new int[] {9, 4, 10, 20}, box(digit), "light paper " + light);
            for (int i = 0; i < digit.length; i++) {
                int x = i % 28, y = i / 28;
                assertEquals(x >= 9 && x < 19 && y >= 4 && y < 24 ? 255 : 0, digit[i] & 0xff, "(" + x + ", " + y + "), light paper " + light);
            }
        }
    }

    private static int max(byte[] digit) {
        int max = 0;
        for (byte b : digit) max = Math.max(max, b & 0xff);
        return max;
    }

    @Test
    void transparentPixelsAreTakenOverWhite() {
        Drawing d = Drawing.of(new int[] {40, 50, 11, 1});
        BufferedImage clear = new BufferedImage(d.w(), d.h(), BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = clear.createGraphics();
        g.setColor(new Color(40, 40, 70));
        for (int[] r : d.rects()) g.fillRect(r[0], r[1], r[2], r[3]);
        g.dispose();
        assertEquals(0, clear.getRGB(0, 0), "the page is transparent");
        assertArrayEquals(DigitImages.prepare(d.picture(Color.WHITE, new Color(40, 40, 70))), DigitImages.prepare(clear));
    }

    @Test
    void aBlankOrFaintPictureHasNoInkAndItsFileIsNamed() throws IOException {
        BufferedImage blank = new BufferedImage(50, 70, BufferedImage.TYPE_INT_RGB);
        var e = assertThrows(DigitImages.NoInkException.class, () -> DigitImages.prepare(blank));
        assertTrue(e.getMessage().startsWith("holds no ink: no pixel differs from its dark background (the border's, grey 0 of 255) by 32 grey levels"), e.getMessage());
        Drawing d = Drawing.of(new int[] {60, 90, 3, 1});
        assertThrows(DigitImages.NoInkException.class, () -> DigitImages.prepare(d.picture(new Color(200, 200, 200), new Color(180, 180, 180))), "20 levels of contrast");
        DigitImages.prepare(d.picture(new Color(200, 200, 200), new Color(160, 160, 160)));

        Path file = dir.resolve("blank page.png");
        BufferedImage white = new BufferedImage(30, 30, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 30, 30);
        g.dispose();
        ImageIO.write(white, "png", file.toFile());
        var named = assertThrows(BadFileException.class, () -> DigitImages.read(file));
        assertTrue(named.getMessage().startsWith(file + ": holds no ink: no pixel differs from its light background (the border's, grey 255 of 255)"), named.getMessage());
        assertTrue(named.getMessage().endsWith("give a picture of a digit, dark on light or light on dark"), named.getMessage());
    }

    @Test
    void aFileThatIsNoPictureOrIsDamagedIsNamedWithWhatToDo() throws IOException {
        Path text = dir.resolve("digit.png");
        Files.writeString(text, "not a picture");
        var e = assertThrows(BadFileException.class, () -> DigitImages.read(text));
        assertEquals(text + ": is not an image ImageIO can read; give a PNG, JPEG, BMP or GIF image (or an idx3 images file)", e.getMessage());

        Path cut = dir.resolve("cut.png");
        byte[] png = ImageFiles.encode("png", 64, 64);
        Files.write(cut, Arrays.copyOf(png, png.length / 2));
        var damaged = assertThrows(BadFileException.class, () -> DigitImages.read(cut));
        assertTrue(damaged.getMessage().startsWith(cut + ": could not be read as an image ("), damaged.getMessage());
        assertTrue(damaged.getMessage().endsWith("); give a PNG or JPEG of it instead"), damaged.getMessage());
        assertEquals(1, damaged.getMessage().lines().count());
    }

    /** docs/digit.png, which the README predicts, is what {@link DrawnDigit} draws, pixel for pixel. */
    @Test
    void theCommittedDigitIsTheDrawnOne() throws IOException {
        BufferedImage drawn = DrawnDigit.seven();
        if (Boolean.getBoolean("nndl.digit.write")) ImageIO.write(drawn, "png", DOCS_DIGIT.toFile());
        BufferedImage committed = ImageIO.read(DOCS_DIGIT.toFile());
        assertEquals(List.of(DrawnDigit.WIDTH, DrawnDigit.HEIGHT), List.of(committed.getWidth(), committed.getHeight()));
        for (int y = 0; y < DrawnDigit.HEIGHT; y++) {
            for (int x = 0; x < DrawnDigit.WIDTH; x++) {
                assertEquals(drawn.getRGB(x, y), committed.getRGB(x, y), "pixel (" + x + ", " + y + ") of " + DOCS_DIGIT
                        + "; if DrawnDigit changed on purpose, write it again: mvn -pl network test -Dtest=DigitImagesTest -Dnndl.digit.write=true");
            }
        }
    }

    /** The drawn 7, off-centre on grainy paper, becomes what MNIST holds: light ink on 0, in the 20 x 20 box, centred by mass. */
    @Test
    void theDrawnDigitLooksLikeAnMnistDigit() throws IOException {
        byte[] digit = DigitImages.read(DOCS_DIGIT);
        int[] box = box(digit);
        assertEquals(20, box[3], "the taller side is 20: box " + Arrays.toString(box));
        assertTrue(box[2] >= 12 && box[2] <= 20, "the 7 is narrower than tall: box " + Arrays.toString(box));
        double[] com = centreOfMass(digit);
        assertTrue(Math.abs(com[0] - 13.5) <= 0.5 && Math.abs(com[1] - 13.5) <= 0.5, "centre of mass " + Arrays.toString(com));
        assertEquals(255, max(digit), "the strokes' core is full ink");
        double mean = 0;
        for (byte b : digit) mean += (b & 0xff) / 255.0 / digit.length;
        assertTrue(mean > 0.06 && mean < 0.25, "mean ink " + mean + " (MNIST's: 0.13); the paper's grain must not count as ink");
        for (int i = 0; i < digit.length; i++) {
            int x = i % 28, y = i / 28;
            boolean inBox = x >= box[0] && x < box[0] + box[2] && y >= box[1] && y < box[1] + box[3];
            if (!inBox) assertEquals(0, digit[i], "outside the ink's box at (" + x + ", " + y + ")");
        }
        if (Boolean.getBoolean("nndl.digit.write")) ImageIO.write(DigitImages.picture(digit), "png", Path.of("target", "digit-28x28.png").toFile());
    }
}
