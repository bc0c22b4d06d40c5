package dev.nndl.network.data;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Small encoded images, and where each format keeps its dimensions so tests can rewrite them. */
final class ImageFiles {

    private ImageFiles() {}

    /** A {@code w x h} image of two colours in {@code format} (png, jpg, bmp, gif). */
    static byte[] encode(String format, int w, int h) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLUE);
        g.fillRect(0, 0, w / 2, h / 3);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format.equals("jpg") ? "jpeg" : format, bytes)) throw new IllegalArgumentException("no writer for " + format);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Offsets of the width and the height in {@code file}, and whether they are 4-byte big-endian, 2-byte big-endian or little-endian. */
    record Dimensions(int width, int height, int bytes, ByteOrder order) {}

    /** Where {@code file} (as {@link #encode} writes {@code format}) keeps its dimensions: PNG's IHDR, BMP's info header, GIF's image descriptor, JPEG's SOF. */
    static Dimensions dimensions(String format, byte[] file) {
        return switch (format) {
            case "png" -> new Dimensions(16, 20, 4, ByteOrder.BIG_ENDIAN);
            case "bmp" -> new Dimensions(18, 22, 4, ByteOrder.LITTLE_ENDIAN);
            case "gif" -> {
                // header 6, screen descriptor 7, then the global colour table if its flag is set
                int table = (file[10] & 0x80) != 0 ? 3 << ((file[10] & 7) + 1) : 0, at = 13 + table;
                while ((file[at] & 0xff) == 0x21) { // extensions: label, then sub-blocks until a zero length
                    at += 2;
                    while (file[at] != 0) at += (file[at] & 0xff) + 1;
                    at++;
                }
                yield new Dimensions(at + 5, at + 7, 2, ByteOrder.LITTLE_ENDIAN);
            }
            case "jpg" -> {
                int at = 2;
                while ((file[at + 1] & 0xff) != 0xc0) at += 2 + ((file[at + 2] & 0xff) << 8 | file[at + 3] & 0xff);
                yield new Dimensions(at + 7, at + 5, 2, ByteOrder.BIG_ENDIAN);
            }
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** {@code file} declaring {@code w x h}, PNG's header checksum recomputed so the reader believes it. */
    static byte[] withSize(String format, byte[] file, int w, int h) {
        byte[] out = file.clone();
        Dimensions d = dimensions(format, out);
        ByteBuffer b = ByteBuffer.wrap(out).order(d.order());
        if (d.bytes() == 4) b.putInt(d.width(), w).putInt(d.height(), h);
        else b.putShort(d.width(), (short) w).putShort(d.height(), (short) h);
        if (format.equals("png")) sealPngHeader(out);
        return out;
    }

    /** The width and height {@code file}'s header declares, as ImageIO's reader sees them. */
    static int[] declared(byte[] file) throws IOException {
        try (var in = ImageIO.createImageInputStream(new java.io.ByteArrayInputStream(file))) {
            var reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return new int[] {reader.getWidth(0), reader.getHeight(0)};
        }
    }

    /** Recomputes the CRC of PNG's IHDR chunk (type and 13 data bytes at 12..28, CRC at 29). */
    static void sealPngHeader(byte[] png) {
        CRC32 crc = new CRC32();
        crc.update(png, 12, 17);
        ByteBuffer.wrap(png).putInt(29, (int) crc.getValue());
    }
}
