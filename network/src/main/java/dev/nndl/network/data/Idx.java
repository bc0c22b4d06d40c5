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
 * too long, damaged gzip, not a regular file) gets an {@link IdxException} naming the file, what was
 * expected and what was found; sizes a header declares are checked against the file's length
 * before anything is allocated.
 */
public final class Idx {

    /** Labels: {@code count} values. */
    public static final int LABELS = 0x00000801;
    /** Images: {@code count x rows x cols} values. */
    public static final int IMAGES = 0x00000803;

    /** Deflate expands at most 1032 to 1: a gzipped file declaring more than this many bytes per byte is damaged. */
    static final long MAX_GZIP_RATIO = 1032;

    private Idx() {}

    /** The images of an idx3 file. */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    /** A file is not a valid idx file of the expected kind. */
    public static final class IdxException extends BadFileException {
        public IdxException(Path file, String problem) {
            super(file, problem);
        }

        public IdxException(Path file, String problem, Throwable cause) {
            super(file, problem, cause);
        }
    }

    public static Images readImages(Path file) throws IOException {
        try (IdxStream in = open(file)) {
            magic(file, in, IMAGES, "images (idx3)");
            int count = header(file, in, 16), rows = header(file, in, 16), cols = header(file, in, 16);
            if (count < 0 || rows <= 0 || cols <= 0) throw new IdxException(file, "impossible sizes " + count + " x " + rows + " x " + cols + "; download it again");
            byte[] pixels = body(file, in, (long) count * rows * cols, 16);
            return new Images(count, rows, cols, pixels);
        } catch (IOException e) {
            throw named(file, e);
        }
    }

    public static byte[] readLabels(Path file) throws IOException {
        try (IdxStream in = open(file)) {
            magic(file, in, LABELS, "labels (idx1)");
            int count = header(file, in, 8);
            if (count < 0) throw new IdxException(file, "impossible count " + count + "; download it again");
            return body(file, in, count, 8);
        } catch (IOException e) {
            throw named(file, e);
        }
    }

    /** Damaged gzip data, a read error: the reader's own exceptions do not name the file. */
    private static IdxException named(Path file, IOException e) {
        if (e instanceof IdxException idx) return idx;
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new IdxException(file, "cannot be read (" + what + "); download it again", e);
    }

    private static IdxStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IdxException(file, "is not a regular file; give the idx file itself");
        InputStream raw = new BufferedInputStream(Files.newInputStream(file));
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return new IdxStream(gzip ? new BufferedInputStream(new GZIPInputStream(raw)) : raw, Files.size(file), gzip);
    }

    /** The stream and what {@link #body} checks a declared size against: the file's length, and whether it is gzipped. */
    private static final class IdxStream extends DataInputStream {
        final long length;
        final boolean gzip;

        IdxStream(InputStream in, long length, boolean gzip) {
            super(in);
            this.length = length;
            this.gzip = gzip;
        }
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

    private static int header(Path file, DataInputStream in, int header) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxException(file, "ends inside its " + header + "-byte header; download it again");
        }
    }

    /**
     * Reads the {@code size} values a header declares, checked against the file before anything
     * is allocated: a raw file must be exactly {@code header + size} bytes long; a gzipped one
     * cannot hold more than {@link #MAX_GZIP_RATIO} times its length, and is read in chunks that
     * grow only as bytes arrive, so a short file never costs what its header claims.
     */
    private static byte[] body(Path file, IdxStream in, long size, int header) throws IOException {
        if (size > Integer.MAX_VALUE - 8) throw new IdxException(file, "declares " + size + " values, too many to load; download it again");
        if (!in.gzip && in.length != header + size) {
            throw new IdxException(file, (in.length < header + size ? "truncated" : "too long") + ": the header declares " + size + " values ("
                    + (size + header) + " bytes), the file has " + in.length + "; download it again");
        }
        if (in.gzip && size + header > MAX_GZIP_RATIO * in.length) {
            throw new IdxException(file, "declares " + size + " values, more than " + in.length + " gzipped bytes can hold; download it again");
        }
        byte[] body = in.readNBytes((int) size);
        if (body.length < size) {
            throw new IdxException(file, "truncated: the header declares " + size + " values (" + (size + header) + " bytes), the file has "
                    + (body.length + header) + " once unzipped; download it again");
        }
        if (in.read() != -1) throw new IdxException(file, "longer than the " + (size + header) + " bytes its header declares; download it again");
        return body;
    }
}
