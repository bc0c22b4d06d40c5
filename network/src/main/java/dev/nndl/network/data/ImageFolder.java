package dev.nndl.network.data;

import dev.nndl.spi.BadFileException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reads a folder of labelled photographs, one subfolder per class ({@code DIR/cat/*.jpg},
 * {@code DIR/dog/*.png}, ...; the classes in name order), the layout of ImageNet's training set
 * and of torchvision's {@code ImageFolder}. Each image is rescaled so that its shorter side is
 * {@code side}, bilinearly, and its central square kept, as AlexNet's recipe prepares ImageNet.
 * PNG, JPEG, BMP and GIF, as {@link ImageIO} reads them; other files, and hidden files and folders
 * (names starting with '.'), are skipped. An image is decoded only after its header's dimensions
 * pass {@link #pixelBound}; one that cannot be used gets a {@link BadFileException} naming it.
 */
public final class ImageFolder {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    /** At most 50 megapixels (an 8192 x 6144 photograph), 200 MB once decoded. */
    static final long MAX_PIXELS = 50_000_000;
    /**
     * Pixels a file may declare per byte it holds: deflate expands at most 1032 to 1, and photographs
     * take far more than a byte per thousand pixels, so only a blank or crafted image declares more.
     */
    static final long PIXELS_PER_BYTE = 1024;
    /** Small files may declare this many pixels whatever their length (a blank 1024 x 1024 PNG is 3 KB). */
    static final long SMALL_IMAGE_PIXELS = 1 << 20;

    private ImageFolder() {}

    public static Images load(Path dir, int side) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException(dir + " is not a directory; give a folder with one subfolder of images per class");
        List<Path> classDirs;
        try (Stream<Path> list = Files.list(dir)) {
            classDirs = list.filter(p -> Files.isDirectory(p) && !hidden(p)).sorted().toList();
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
        byte[] pixels = new byte[bytes(dir, files.size(), side)];
        int size = Images.CHANNELS * side * side;
        for (int i = 0; i < files.size(); i++) read(files.get(i), side, pixels, i * size);
        return new Images(pixels, labels.stream().mapToInt(Integer::intValue).toArray(), classes, side);
    }

    /** The bytes {@code count} images of {@code side} take, if one array can hold them. */
    static int bytes(Path dir, int count, int side) throws IOException {
        long bytes = (long) Images.CHANNELS * side * side * count;
        if (bytes > Integer.MAX_VALUE - 8) {
            long most = (Integer.MAX_VALUE - 8) / ((long) Images.CHANNELS * side * side);
            throw new IOException(dir + " holds " + count + " images, " + bytes + " bytes at 3x" + side + "x" + side
                    + ", more than one array holds (2 GiB); use at most " + most + " images");
        }
        return (int) bytes;
    }

    private static boolean isImage(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && !hidden(file) && EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    /** Hidden files and folders ({@code .DS_Store}, {@code .git}, {@code .thumbnails}) are not data. */
    private static boolean hidden(Path file) {
        return file.getFileName().toString().startsWith(".");
    }

    /** The most pixels a file of {@code bytes} may declare: {@link #PIXELS_PER_BYTE} each, within {@link #SMALL_IMAGE_PIXELS} and {@link #MAX_PIXELS}. */
    static long pixelBound(long bytes) {
        return Math.min(MAX_PIXELS, Math.max(SMALL_IMAGE_PIXELS, PIXELS_PER_BYTE * bytes));
    }

    /** Decodes {@code file} of a folder once its header's dimensions pass {@link #pixelBound}; a bad one is to be removed or replaced. */
    static BufferedImage decode(Path file) throws IOException {
        return decode(file, "convert it to PNG or JPEG, or remove it", "remove it or replace it");
    }

    /**
     * Decodes {@code file} once its header's dimensions pass {@link #pixelBound}. A file no reader
     * takes ends in a {@link BadFileException} that says {@code convert}; a damaged one, {@code replace}.
     */
    static BufferedImage decode(Path file, String convert, String replace) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new BadFileException(file, "is not an image ImageIO can read; " + convert);
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0), h = reader.getHeight(0);
                long bound = pixelBound(Files.size(file));
                if (w < 1 || h < 1 || (long) w * h > bound) {
                    throw new BadFileException(file, "declares " + w + "x" + h + " pixels, where a " + Files.size(file) + "-byte image may have 1 to "
                            + bound + "; it is damaged or not a photograph: " + replace);
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (BadFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO's decoders throw unchecked exceptions too (index out of bounds, negative sizes) on damaged data
            throw new BadFileException(file, "could not be read as an image (" + e + "); " + replace, e);
        }
    }

    /** Rescales the shorter side to {@code side}, keeps the central square, and writes it planar into {@code into} at {@code offset}. */
    static void read(Path file, int side, byte[] into, int offset) throws IOException {
        square(decode(file), side, into, offset);
    }

    /** {@code image} rescaled to {@code side} on its shorter side, its central square written planar into {@code into} at {@code offset}. */
    static void square(BufferedImage image, int side, byte[] into, int offset) {
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
