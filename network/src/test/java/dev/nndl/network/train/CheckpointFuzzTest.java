package dev.nndl.network.train;

import static dev.nndl.network.FileMutant.readsOrRefuses;

import dev.nndl.network.FileMutant;
import dev.nndl.network.FileMutant.Seed;
import dev.nndl.network.Rung;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Property;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated checkpoints, re-sealed with a valid SHA-256 so that the parser behind the checksum sees
 * them, must read and restore into a network of their plan, or end in a BadFileException naming
 * the file; the build runs this class with a 128 MB heap. A failure prints the mutation and the
 * seed; {@code -Dnndl.property.seed=N} draws the same inputs again.
 */
class CheckpointFuzzTest {

    @TempDir
    Path dir;

    /** A checkpoint's bytes as {@link Checkpoint#write} leaves them. */
    private byte[] bytes(Checkpoint c) {
        try {
            c.write(dir.resolve("seed"));
            return Files.readAllBytes(dir.resolve("seed"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A seed cut at every byte; its ints are the header's version, epochs and batch (after the model
     * "v0") and, from the end, the counts and lengths of {@link CheckpointTest#small}'s two 32-byte
     * array sections and the epoch count before them.
     */
    private Seed seed(String name, Checkpoint c, int epochs) {
        byte[] b = bytes(c);
        int body = b.length - 32, arrays = body - 64, history = arrays - 4 - 52 * epochs;
        int[] ints = {8, 16, 20, history, arrays, arrays + 4, arrays + 20, arrays + 32, arrays + 36, arrays + 52};
        return new Seed(name, b, IntStream.rangeClosed(0, b.length).toArray(), ints);
    }

    @Test
    @Timeout(40)
    void resealedMutants() throws IOException {
        Plan plain = new Plan(Rung.V0, 3, 10, 0.1f, 0, 3);
        List<Seed> seeds = List.of(
                seed("empty history", CheckpointTest.small(2, List.of(), new float[2]), 0),
                seed("two epochs", CheckpointTest.small(3, List.of(CheckpointTest.epoch(1), CheckpointTest.epoch(2)), new float[2]), 2),
                new Seed("no momentum", bytes(new Checkpoint(plain, "cpu", 7, List.of(CheckpointTest.epoch(1)), List.of(new float[] {1, 2}), List.of())),
                        new int[] {0, 8, 12, 16, 20}, new int[] {8, 16, 20}));
        Path file = dir.resolve("checkpoint.nndl");
        try (KernelSet kernels = new ReferenceKernels()) {
            Property.check("resealed checkpoint mutants", 1500, FileMutant.gen(seeds, CheckpointTest::seal, List.of()), m -> {
                Files.write(file, m.bytes());
                readsOrRefuses(file, () -> restore(Checkpoint.read(file), kernels, file));
            });
        }
    }

    /**
     * What the ladder does with a best checkpoint, a network of its plan holding its weights, at a
     * mini-batch of 1: a plan's own may be up to {@link Plan#MAX_BATCH}, more than this heap holds.
     */
    private static void restore(Checkpoint c, KernelSet kernels, Path file) throws IOException {
        c.restore(c.plan().model().build(kernels, 1, c.plan().seed()), file);
    }
}
