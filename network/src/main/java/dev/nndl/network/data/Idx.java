package dev.nndl.network.data;

import dev.nndl.spi.BadFileException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads LeCun's idx files, raw or gzipped (recognised by their first two bytes): a big-endian
 * header of magic number ({@code 0x00000801} for labels, {@code 0x00000803} for images) and sizes,
 * then one unsigned byte per value. A file that is not what it should be (wrong magic, too short,
 * too long) gets an {@link IdxException} naming the file, what was expected and what was found.
 */
public final class Idx {

    /** Labels: {@code count} values. */
    public static final int LABELS = 0x00000801;
    /** Images: {@code count x rows x cols} values. */
    public static final int IMAGES = 0x00000803;

    private Idx() {}

    /** The images of an idx3 file. */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    /** A file is not a valid idx file of the expected kind. */
    public static final class IdxException extends BadFileException {
        public IdxException(Path file, String problem) {
            super(file, problem);
        }
    }

    public static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            magic(file, in, IMAGES, "images (idx3)");
            int count = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (count < 0 || rows <= 0 || cols <= 0) throw new IdxException(file, "impossible sizes " + count + " x " + rows + " x " + cols);
            byte[] pixels = body(file, in, (long) count * rows * cols, 16);
            return new Images(count, rows, cols, pixels);
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            magic(file, in, LABELS, "labels (idx1)");
            int count = in.readInt();
            if (count < 0) throw new IdxException(file, "impossible count " + count);
            return body(file, in, count, 8);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new DataInputStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw)) : raw);
    }

    private static int magic(Path file, DataInputStream in, int expected, String kind) throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IdxException(file, "empty or shorter than its 4-byte magic number; expected " + kind);
        }
        if (magic != expected) {
            throw new IdxException(file, String.format("magic number 0x%08x, expected 0x%08x for %s; is this the right file?", magic, expected, kind));
        }
        return magic;
    }

    private static byte[] body(Path file, DataInputStream in, long size, int header) throws IOException {
        if (size > Integer.MAX_VALUE - 8) throw new IdxException(file, "declares " + size + " values, too many to load");
        byte[] body = new byte[(int) size];
        int read = in.readNBytes(body, 0, body.length);
        if (read < body.length) {
            throw new IdxException(file, "truncated: the header declares " + size + " values (" + (size + header) + " bytes), the file has "
                    + (read + header) + "; download it again");
        }
        if (in.read() != -1) throw new IdxException(file, "longer than the " + (size + header) + " bytes its header declares");
        return body;
    }
}
