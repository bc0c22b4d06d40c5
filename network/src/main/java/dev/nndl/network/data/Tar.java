package dev.nndl.network.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;

/**
 * Just enough of the tar format to unpack an npm package: 512-byte ustar headers (name, octal
 * size, type, prefix), each regular file's bytes padded to 512, two zero blocks at the end.
 */
final class Tar {

    private static final int BLOCK = 512;

    private Tar() {}

    /** Writes the regular files whose names {@code wanted} accepts into {@code dir}, under their base names. */
    static void extract(InputStream in, Path dir, Predicate<String> wanted) throws IOException {
        byte[] header = new byte[BLOCK];
        while (true) {
            if (in.readNBytes(header, 0, BLOCK) < BLOCK) throw new EOFException("tar archive ends inside a header");
            if (isZero(header)) return;
            String name = text(header, 0, 100), prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) name = prefix + "/" + name;
            long size = size(name, text(header, 124, 12));
            char type = (char) header[156];
            boolean file = type == '0' || type == 0;
            long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
            if (file && wanted.test(name)) {
                Path target = dir.resolve(Path.of(name).getFileName().toString());
                try (OutputStream out = Files.newOutputStream(target)) {
                    copy(in, out, size);
                }
                skip(in, padded - size);
            } else {
                skip(in, padded);
            }
        }
    }

    /** The header's size field: octal digits (none for an empty entry). */
    private static long size(String name, String field) throws IOException {
        if (field.isEmpty()) return 0;
        if (!field.matches("[0-7]{1,11}")) {
            throw new IOException("tar entry " + name + " has a size field '" + field + "' that is not an octal number: the archive is damaged");
        }
        return Long.parseLong(field, 8);
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) end++;
        return new String(header, offset, end - offset, StandardCharsets.US_ASCII).trim();
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) if (b != 0) return false;
        return true;
    }

    private static void copy(InputStream in, OutputStream out, long size) throws IOException {
        byte[] buffer = new byte[1 << 16];
        while (size > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, size));
            if (n < 0) throw new EOFException("tar archive ends inside a file");
            out.write(buffer, 0, n);
            size -= n;
        }
    }

    private static void skip(InputStream in, long count) throws IOException {
        while (count > 0) {
            long n = in.skip(count);
            if (n <= 0) {
                if (in.read() < 0) throw new EOFException("tar archive ends early");
                n = 1;
            }
            count -= n;
        }
    }
}
