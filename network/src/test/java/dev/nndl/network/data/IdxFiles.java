package dev.nndl.network.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** Small generated idx files, standing in for MNIST in tests. */
public final class IdxFiles {

    private IdxFiles() {}

    /** Writes an idx3 images file of {@code count} random 28x28 images; returns the pixels. */
    public static byte[] writeImages(Path file, int count, long seed, boolean gzip) throws IOException {
        byte[] pixels = new byte[count * 28 * 28];
        new Random(seed).nextBytes(pixels);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Idx.IMAGES);
        out.writeInt(count);
        out.writeInt(28);
        out.writeInt(28);
        out.write(pixels);
        write(file, bytes.toByteArray(), gzip);
        return pixels;
    }

    public static byte[] writeLabels(Path file, int count, long seed, boolean gzip) throws IOException {
        byte[] labels = new byte[count];
        Random random = new Random(seed);
        for (int n = 0; n < count; n++) labels[n] = (byte) random.nextInt(10);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Idx.LABELS);
        out.writeInt(count);
        out.write(labels);
        write(file, bytes.toByteArray(), gzip);
        return labels;
    }

    private static void write(Path file, byte[] content, boolean gzip) throws IOException {
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
            out.write(content);
        }
    }

    /** A small MNIST in {@code dir}: {@code train} training and {@code test} test images, training files gzipped. */
    public static void writeMnist(Path dir, int train, int test) throws IOException {
        writeImages(dir.resolve("train-images-idx3-ubyte.gz"), train, 1, true);
        writeLabels(dir.resolve("train-labels-idx1-ubyte.gz"), train, 2, true);
        writeImages(dir.resolve("t10k-images-idx3-ubyte"), test, 3, false);
        writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), test, 4, false);
    }
}
