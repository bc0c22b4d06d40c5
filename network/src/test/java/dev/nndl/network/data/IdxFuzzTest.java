package dev.nndl.network.data;

import static dev.nndl.network.FileMutant.readsOrRefuses;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nndl.network.FileMutant;
import dev.nndl.network.FileMutant.Seed;
import dev.nndl.testing.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated idx files, raw and gzipped, must read as valid data or end in a BadFileException that
 * names the file; the build runs this class with a 128 MB heap, so a small file that makes the
 * reader allocate what its header claims fails it. A failure prints the mutation and the seed;
 * {@code -Dnndl.property.seed=N} draws the same inputs again, {@code -Dnndl.property.tries=N}
 * draws more.
 */
class IdxFuzzTest {

    @TempDir
    Path dir;

    static final byte[] IMAGES = IdxFiles.images(3, 28, 28, 1), LABELS = IdxFiles.labels(3, 2);

    static final List<Seed> SEEDS = List.of(
            new Seed("images", IMAGES, new int[] {0, 1, 4, 8, 12, 15, 16, 17, IMAGES.length - 1}, new int[] {0, 4, 8, 12}),
            new Seed("labels", LABELS, new int[] {0, 3, 4, 7, 8, 9, LABELS.length - 1}, new int[] {0, 4}));

    /** Reads {@code bytes} as the kind of idx file the magic number says it is, and checks the sizes of what it got. */
    static void read(Path file) throws IOException {
        try {
            Idx.Images images = Idx.readImages(file);
            assertEquals((long) images.count() * images.rows() * images.cols(), images.pixels().length);
        } catch (Idx.IdxException e) {
            if (!e.getMessage().contains("expected 0x00000803")) throw e;
            Idx.readLabels(file);
        }
    }

    private void check(String name, int tries, UnaryOperator<byte[]> finish, String fileName) {
        Path file = dir.resolve(fileName);
        Property.check(name, tries, FileMutant.gen(SEEDS, finish, List.of()), m -> {
            Files.write(file, m.bytes());
            readsOrRefuses(file, () -> read(file));
        });
    }

    @Test
    @Timeout(30)
    void rawMutants() {
        check("raw idx mutants", 700, b -> b, "t10k-images-idx3-ubyte");
    }

    /** The content mutated, then gzipped: the parser behind the gzip reader. */
    @Test
    @Timeout(30)
    void gzippedContentMutants() {
        check("gzipped idx content mutants", 400, IdxFuzzTest::gzip, "t10k-images-idx3-ubyte.gz");
    }

    /** The gzip bytes themselves mutated: damaged compressed data. */
    @Test
    @Timeout(30)
    void damagedGzipMutants() {
        Path file = dir.resolve("train-labels-idx1-ubyte.gz");
        List<Seed> seeds = SEEDS.stream().map(s -> {
            byte[] gz = gzip(s.bytes());
            return new Seed(s.name() + ".gz", gz, new int[] {0, 1, 2, 3, 10, 11, 20, gz.length - 8, gz.length - 4, gz.length - 1}, new int[] {gz.length - 8, gz.length - 4});
        }).toList();
        Property.check("damaged gzip idx mutants", 500, FileMutant.gen(seeds, b -> b, List.of()), m -> {
            Files.write(file, m.bytes());
            readsOrRefuses(file, () -> read(file));
        });
    }

    /** MNIST with a mutated test set: loads, or names the file at fault (the labels file when the counts differ). */
    @Test
    @Timeout(30)
    void mnistWithAMutatedTestSet() throws IOException {
        IdxFiles.writeMnist(dir, 12, 3);
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        Property.check("mnist with mutated test images", 200, FileMutant.gen(SEEDS.subList(0, 1), b -> b, List.of()), m -> {
            Files.write(images, m.bytes());
            try {
                Mnist.load(dir);
            } catch (Idx.IdxException e) {
                Path labels = dir.resolve("t10k-labels-idx1-ubyte");
                readsOrRefuses(e.getMessage().startsWith(labels + ": ") ? labels : images, () -> { throw e; });
            }
        });
    }

    static byte[] gzip(byte[] b) {
        try {
            return IdxFiles.gzip(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
