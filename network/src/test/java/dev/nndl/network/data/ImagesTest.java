package dev.nndl.network.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.spi.BadFileException;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AlexNet's data: a folder of images read and squared as the recipe does, the crops and flips, the generated textures. */
class ImagesTest {

    /** A {@code w x h} image, its left half {@code left} and its right half {@code right}. */
    private static void write(Path file, int w, int h, Color left, Color right, int type) throws IOException {
        BufferedImage image = new BufferedImage(w, h, type);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(right);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, file.toString().endsWith(".png") ? "png" : "bmp", file.toFile());
    }

    @Test
    void aFolderOfClassFoldersLoadsRescaledAndCentreCroppedInClassOrder(@TempDir Path dir) throws IOException {
        // 64x32: the shorter side becomes 16, so 32x16, whose central 16x16 square is half red, half blue
        write(dir.resolve("b-wide/one.png"), 64, 32, Color.RED, Color.BLUE, BufferedImage.TYPE_INT_RGB);
        write(dir.resolve("a-grey/two.bmp"), 20, 20, Color.GRAY, Color.GRAY, BufferedImage.TYPE_BYTE_GRAY);
        Files.writeString(dir.resolve("a-grey/notes.txt"), "not an image");
        Images images = ImageFolder.load(dir, 16);
        assertEquals(List.of("a-grey", "b-wide"), images.classes());
        assertArrayEquals(new int[] {0, 1}, images.labels());
        int plane = 16 * 16, wide = images.imageSize();
        assertEquals(255, images.pixels()[wide + 3 * 16 + 1] & 0xff, "red channel, left half");
        assertEquals(0, images.pixels()[wide + 2 * plane + 3 * 16 + 1] & 0xff, "blue channel, left half");
        assertEquals(255, images.pixels()[wide + 2 * plane + 3 * 16 + 14] & 0xff, "blue channel, right half");
        int grey = images.pixels()[5] & 0xff;
        assertTrue(grey > 100 && grey < 160, "a grey image has equal channels: " + grey);
        assertEquals(grey, images.pixels()[plane + 5] & 0xff);
    }

    @Test
    void aFolderThatCannotBeTrainedOnSaysWhy(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("only"));
        var one = assertThrows(IOException.class, () -> ImageFolder.load(dir, 16));
        assertTrue(one.getMessage().contains("has 1 subfolders; a classifier needs one per class, at least two"), one.getMessage());
        Files.createDirectories(dir.resolve("empty"));
        write(dir.resolve("only/a.png"), 8, 8, Color.RED, Color.RED, BufferedImage.TYPE_INT_RGB);
        var empty = assertThrows(IOException.class, () -> ImageFolder.load(dir, 16));
        assertTrue(empty.getMessage().endsWith("empty holds no images (.png, .jpg, .jpeg, .bmp, .gif)"), empty.getMessage());
        Files.writeString(dir.resolve("empty/broken.png"), "not a png");
        var broken = assertThrows(IOException.class, () -> ImageFolder.load(dir, 16));
        assertTrue(broken.getMessage().contains("broken.png"), broken.getMessage());
    }

    @Test
    void hiddenFoldersAndFilesAreNotClassesOrImages(@TempDir Path dir) throws IOException {
        write(dir.resolve("a/one.png"), 8, 8, Color.RED, Color.RED, BufferedImage.TYPE_INT_RGB);
        write(dir.resolve("b/two.png"), 8, 8, Color.RED, Color.RED, BufferedImage.TYPE_INT_RGB);
        write(dir.resolve(".thumbnails/three.png"), 8, 8, Color.RED, Color.RED, BufferedImage.TYPE_INT_RGB);
        Files.writeString(dir.resolve("a/._one.png"), "macOS resource fork, not a png");
        Images images = ImageFolder.load(dir, 8);
        assertEquals(List.of("a", "b"), images.classes());
        assertEquals(2, images.count());
    }

    @Test
    void anImageDeclaringHugeDimensionsIsRefusedFromItsHeader(@TempDir Path dir) throws IOException {
        Files.write(Files.createDirectories(dir.resolve("b")).resolve("fine.png"), ImageFiles.encode("png", 8, 8));
        byte[] bomb = ImageFiles.withSize("png", ImageFiles.encode("png", 8, 8), 26_000, 26_000);
        Files.createDirectories(dir.resolve("a"));
        Files.write(dir.resolve("a/bomb.png"), bomb);
        long before = allocated();
        var e = assertThrows(BadFileException.class, () -> ImageFolder.load(dir, 8));
        assertTrue(allocated() - before < 10 << 20, (allocated() - before) + " bytes allocated");
        assertEquals(dir.resolve("a/bomb.png") + ": declares 26000x26000 pixels, where a " + bomb.length + "-byte image may have 1 to 1048576;"
                + " it is damaged or not a photograph: remove it or replace it", e.getMessage());
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void anImageImageIOCannotDecodeIsABadFile(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.write(Files.createDirectories(dir.resolve("b")).resolve("fine.png"), ImageFiles.encode("png", 8, 8));
        byte[] png = ImageFiles.encode("png", 8, 8);
        Files.write(dir.resolve("a/cut.png"), java.util.Arrays.copyOf(png, png.length - 30));
        var e = assertThrows(BadFileException.class, () -> ImageFolder.load(dir, 8));
        assertTrue(e.getMessage().startsWith(dir.resolve("a/cut.png") + ": could not be read as an image ("), e.getMessage());
    }

    @Test
    void theImagesMayTakeAtMostWhatOneArrayHolds(@TempDir Path dir) throws IOException {
        assertEquals(2_147_352_576, ImageFolder.bytes(dir, 10_922, 256));
        var e = assertThrows(IOException.class, () -> ImageFolder.bytes(dir, 10_923, 256));
        assertEquals(dir + " holds 10923 images, 2147549184 bytes at 3x256x256, more than one array holds (2 GiB); use at most 10922 images", e.getMessage());
    }

    @Test
    void moreImageBytesThanOneArrayHoldsIsRefusedBeforeReadingAny(@TempDir Path dir) throws IOException {
        // two images at a side whose 3 x side x side alone overflows an int
        write(dir.resolve("a/one.png"), 8, 8, Color.RED, Color.RED, BufferedImage.TYPE_INT_RGB);
        write(dir.resolve("b/two.png"), 8, 8, Color.RED, Color.RED, BufferedImage.TYPE_INT_RGB);
        var e = assertThrows(IOException.class, () -> ImageFolder.load(dir, 27_000));
        assertTrue(e.getMessage().contains("holds 2 images, 4374000000 bytes at 3x27000x27000"), e.getMessage());
    }

    @Test
    void evaluationSeesTheCentreCropLessTheMeanAndTrainingARandomFlippedCropPerStep() {
        Images images = SyntheticTextures.generate(3, 2, 12, 5);
        float[] mean = images.mean();
        AugmentedImages samples = new AugmentedImages(images, mean, 8, 7);
        assertEquals(3 * 8 * 8, samples.size());
        float[] centre = new float[2 * samples.size()];
        samples.copy(1, 2, centre, Samples.EVALUATION);
        // image 1, channel 2, row 3, column 5 of the crop: row 5, column 7 of the 12x12 image
        int from = images.imageSize() + (2 * 12 + 5) * 12 + 7;
        assertEquals((images.pixels()[from] & 0xff) / 255f - mean[from - images.imageSize()], centre[(2 * 8 + 3) * 8 + 5]);

        float[] a = new float[samples.size()], b = new float[samples.size()], again = new float[samples.size()];
        samples.copy(0, 1, a, 10);
        samples.copy(0, 1, b, 11);
        samples.copy(0, 1, again, 10);
        assertArrayEquals(a, again, "the same step crops the same way");
        assertNotEquals(Arrays.toString(a), Arrays.toString(b), "another step, another crop");
        int flips = 0;
        for (long step = 0; step < 200; step++) {
            float[] x = new float[samples.size()];
            samples.copy(0, 1, x, step);
            if (isMirrorOfSomeCrop(images, mean, x)) flips++;
        }
        assertTrue(flips > 60 && flips < 140, "about half the crops are flipped: " + flips + " of 200");
    }

    /** Whether {@code x} is some 8x8 crop of image 0 read right to left. */
    private static boolean isMirrorOfSomeCrop(Images images, float[] mean, float[] x) {
        for (int top = 0; top <= 4; top++) {
            for (int left = 0; left <= 4; left++) {
                boolean all = true;
                for (int y = 0; y < 8 && all; y++) {
                    for (int col = 0; col < 8 && all; col++) {
                        int from = (top + y) * 12 + left + 7 - col;
                        all = x[y * 8 + col] == (images.pixels()[from] & 0xff) / 255f - mean[from];
                    }
                }
                if (all) return true;
            }
        }
        return false;
    }

    @Test
    void texturesAreBalancedShuffledReproducibleAndSplit() {
        Images t = SyntheticTextures.generate(10, 6, 32, 3);
        assertEquals(60, t.count());
        int[] perClass = new int[10];
        for (int label : t.labels()) perClass[label]++;
        assertArrayEquals(new int[] {6, 6, 6, 6, 6, 6, 6, 6, 6, 6}, perClass);
        assertNotEquals(Arrays.toString(Arrays.copyOf(t.labels(), 10)), Arrays.toString(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), "shuffled");
        assertArrayEquals(t.pixels(), SyntheticTextures.generate(10, 6, 32, 3).pixels(), "the same seed, the same images");
        Images.Splits s = t.split(0.1);
        assertEquals(48, s.training().count());
        assertEquals(6, s.validation().count());
        assertEquals(6, s.test().count());
        assertEquals(SyntheticTextures.CLASSES, t.classes());
    }
}
