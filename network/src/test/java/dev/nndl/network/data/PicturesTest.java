package dev.nndl.network.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.Model;
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

/** Files to classify, as a model's training images were prepared: idx images as they are, pictures made into digits, colour crops as evaluation's. */
class PicturesTest {

    @TempDir
    Path dir;

    private static float[] copy(Samples samples, int i) {
        float[] x = new float[samples.size()];
        samples.copy(i, 1, x, Samples.EVALUATION);
        return x;
    }

    @Test
    void anIdxFileGivesEachImageAsItIsAndAPictureIsMadeIntoADigit() throws IOException {
        Path idx = dir.resolve("five-idx3-ubyte.gz"), png = dir.resolve("seven.png");
        byte[] pixels = IdxFiles.writeImages(idx, 5, 9, true);
        ImageIO.write(DrawnDigit.seven(), "png", png.toFile());
        Pictures pictures = Pictures.digits(List.of(idx, png));
        assertEquals(List.of(idx + "[0]", idx + "[1]", idx + "[2]", idx + "[3]", idx + "[4]", png.toString()), pictures.names());
        assertEquals(784, pictures.samples().size());
        for (int i = 0; i < 5; i++) assertArrayEquals(Mnist.scale(Arrays.copyOfRange(pixels, i * 784, (i + 1) * 784)), copy(pictures.samples(), i), "image " + i);
        assertArrayEquals(Mnist.scale(DigitImages.read(png)), copy(pictures.samples(), 5));
        BufferedImage prepared = pictures.prepared(5);
        assertEquals(List.of(28, 28), List.of(prepared.getWidth(), prepared.getHeight()));
        assertEquals(DigitImages.read(png)[14 * 28 + 14] & 0xff, prepared.getRaster().getSample(14, 14, 0));
    }

    @Test
    void idxFilesOfOtherImagesOrOfLabelsAreRefusedByName() throws IOException {
        Path small = dir.resolve("small-idx3-ubyte"), labels = dir.resolve("labels-idx1-ubyte");
        Files.write(small, IdxFiles.images(3, 10, 10, 1));
        var e = assertThrows(BadFileException.class, () -> Pictures.digits(List.of(small)));
        assertEquals(small + ": holds 10x10 images; MNIST's models read 28x28 ones", e.getMessage());
        Files.write(labels, IdxFiles.labels(3, 1));
        var l = assertThrows(BadFileException.class, () -> Pictures.digits(List.of(labels)));
        assertEquals(labels + ": magic number 0x00000801, expected 0x00000803 for images (idx3); is this the right file?", l.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Pictures.digits(List.of(dir.resolve("nowhere.png"))));
        var folder = assertThrows(BadFileException.class, () -> Pictures.digits(List.of(dir)));
        assertTrue(folder.getMessage().startsWith(dir + ": is not a regular file"), folder.getMessage());
    }

    private static Path write(Path file, int w, int h, Color left, Color right) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(left);
        g.fillRect(0, 0, w / 2, h);
        g.setColor(right);
        g.fillRect(w / 2, 0, w - w / 2, h);
        g.setColor(Color.YELLOW);
        g.fillOval(w / 3, h / 4, w / 3, h / 2);
        g.dispose();
        Files.createDirectories(file.getParent());
        ImageIO.write(image, file.toString().endsWith(".png") ? "png" : "bmp", file.toFile());
        return file;
    }

    /** A picture predict classifies reaches the network exactly as the same picture in a training folder reaches it in evaluation. */
    @Test
    void aColourPictureIsWhatEvaluationSees() throws IOException {
        List<Path> files = List.of(write(dir.resolve("cats/a.png"), 50, 30, Color.RED, Color.BLUE), write(dir.resolve("cats/b.bmp"), 21, 40, Color.GREEN, Color.GRAY),
                write(dir.resolve("dogs/c.png"), 16, 16, Color.WHITE, Color.BLACK), write(dir.resolve("dogs/d.png"), 90, 17, Color.PINK, Color.CYAN));
        Images folder = ImageFolder.load(dir, 16);
        float[] mean = folder.mean();
        Samples evaluation = new AugmentedImages(folder, mean, 12, 5);
        Pictures pictures = Pictures.colour(files, new Model.Input.Colour(16, 12), mean, folder.classes());
        assertEquals(files.stream().map(Path::toString).toList(), pictures.names());
        assertEquals(3 * 12 * 12, pictures.samples().size());
        for (int i = 0; i < files.size(); i++) assertArrayEquals(copy(evaluation, i), copy(pictures.samples(), i), files.get(i).toString());
        BufferedImage crop = pictures.prepared(0);
        assertEquals(List.of(12, 12), List.of(crop.getWidth(), crop.getHeight()));
        int plane = 12 * 12;
        float[] x = copy(pictures.samples(), 0);
        int rgb = crop.getRGB(1, 1), at = 3 * 16 + 3; // (1, 1) of the crop is (3, 3) of the 16 x 16 square
        assertEquals(Math.round(255 * (x[12 + 1] + mean[at])), (rgb >> 16) & 0xff, "red: the crop less the mean, plus the mean");
        assertEquals(Math.round(255 * (x[2 * plane + 12 + 1] + mean[2 * 256 + at])), rgb & 0xff, "blue");
    }

    @Test
    void aModelOfColourImagesRefusesIdxFiles() throws IOException {
        Path idx = dir.resolve("t10k-images-idx3-ubyte");
        IdxFiles.writeImages(idx, 2, 1, false);
        var e = assertThrows(BadFileException.class, () -> Pictures.colour(List.of(idx), new Model.Input.Colour(16, 12), new float[3 * 16 * 16], List.of("a", "b")));
        assertEquals(idx + ": is an idx file of MNIST digits, and this model reads colour images; give PNG, JPEG, BMP or GIF pictures", e.getMessage());
    }
}
