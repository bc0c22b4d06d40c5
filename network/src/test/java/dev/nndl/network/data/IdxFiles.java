package dev.nndl.network.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small generated idx files, standing in for MNIST in tests. */
public final class IdxFiles {

    private IdxFiles() {}

    /** Writes an idx3 images file of {@code count} random 28x28 images; returns the pixels. */
    public static byte[] writeImages(Path file, int count, long seed, boolean gzip) throws IOException {
        byte[] content = images(count, 28, 28, seed);
        write(file, content, gzip);
        return Arrays.copyOfRange(content, 16, content.length);
    }

    public static byte[] writeLabels(Path file, int count, long seed, boolean gzip) throws IOException {
        byte[] content = labels(count, seed);
        write(file, content, gzip);
        return Arrays.copyOfRange(content, 8, content.length);
    }

    /** The bytes of an idx3 file of {@code count} random {@code rows x cols} images. */
    public static byte[] images(int count, int rows, int cols, long seed) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols).putInt(Idx.IMAGES).putInt(count).putInt(rows).putInt(cols);
        byte[] pixels = new byte[count * rows * cols];
        new Random(seed).nextBytes(pixels);
        return b.put(pixels).array();
    }

    /** The bytes of an idx1 file of {@code count} random digits. */
    public static byte[] labels(int count, long seed) {
        ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(Idx.LABELS).putInt(count);
        Random random = new Random(seed);
        for (int n = 0; n < count; n++) b.put((byte) random.nextInt(10));
        return b.array();
    }

    /** {@code content} gzipped. */
    public static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private static void write(Path file, byte[] content, boolean gzip) throws IOException {
        Files.write(file, gzip ? gzip(content) : content);
    }

    /** A small MNIST in {@code dir}: {@code train} training and {@code test} test images, training files gzipped. */
    public static void writeMnist(Path dir, int train, int test) throws IOException {
        writeImages(dir.resolve("train-images-idx3-ubyte.gz"), train, 1, true);
        writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), train, 2, true);
        writeImages(dir.resolve("t10k-images-idx3-ubyte"), test, 3, false);
        writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), test, 4, false);
    }
}
