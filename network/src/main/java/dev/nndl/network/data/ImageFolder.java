package dev.nndl.network.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder of labelled photographs, one subfolder per class ({@code DIR/cat/*.jpg},
 * {@code DIR/dog/*.png}, ...; the classes in name order), the layout of ImageNet's training set
 * and of torchvision's {@code ImageFolder}. Each image is rescaled so that its shorter side is
 * {@code side}, bilinearly, and its central square kept, as AlexNet's recipe prepares ImageNet.
 * PNG, JPEG, BMP and GIF, as {@link ImageIO} reads them; other files are skipped.
 */
public final class ImageFolder {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageFolder() {}

    public static Images load(Path dir, int side) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + " is not a directory; give a folder with one subfolder of images per class");
        List<Path> classDirs;
        try (Stream<Path> list = Files.list(dir)) {
            classDirs = list.filter(Files::isDirectory).sorted().toList();
        }
        if (classDirs.size() < 2) {
            throw new IOException(dir + " has " + classDirs.size() + " subfolders; a classifier needs one per class, at least two (e.g. " + dir + "/cats, " + dir + "/dogs)");
        }
        List<String> classes = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path classDir : classDirs) {
            List<Path> images;
            try (Stream<Path> list = Files.list(classDir)) {
                images = list.filter(ImageFolder::isImage).sorted().toList();
            }
            if (images.isEmpty()) throw new IOException(classDir + " holds no images (" + String.join(", ", EXTENSIONS) + ")");
            for (Path image : images) {
                files.add(image);
                labels.add(classes.size());
            }
            classes.add(classDir.getFileName().toString());
        }
        int size = Images.CHANNELS * side * side;
        byte[] pixels = new byte[Math.multiplyExact(files.size(), size)];
        for (int i = 0; i < files.size(); i++) read(files.get(i), side, pixels, i * size);
        return new Images(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), classes, side);
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Rescales the shorter side to {@code side}, keeps the central square, and writes it planar into {@code into} at {@code offset}. */
    static void read(Path file, int side, byte[] into, int offset) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + " could not be read as an image (" + e.getMessage() + "); remove it or replace it", e);
        }
        if (image == null) throw new IOException(file + " is not an image ImageIO can read; convert it to PNG or JPEG, or remove it");
        double scale = (double) side / Math.min(image.getWidth(), image.getHeight());
        int w = Math.max(side, (int) Math.round(image.getWidth() * scale)), h = Math.max(side, (int) Math.round(image.getHeight() * scale));
        BufferedImage square = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = square.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, -(w - side) / 2, -(h - side) / 2, w, h, null);
        g.dispose();
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = square.getRGB(x, y), at = offset + y * side + x;
                into[at] = (byte) (rgb >> 16);
                into[at + plane] = (byte) (rgb >> 8);
                into[at + 2 * plane] = (byte) rgb;
            }
        }
    }
}
