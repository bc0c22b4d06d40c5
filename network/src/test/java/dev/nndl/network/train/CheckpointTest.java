package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nndl.network.Rung;
import dev.nndl.network.train.Checkpoint.CorruptCheckpointException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints whose checksum matches but whose contents cannot be, and files that are not files. */
class CheckpointTest {

    @TempDir
    Path dir;

    /** Two parameter arrays of 3 and 2 values, with velocities: each section is 4 + (4 + 12) + (4 + 8) = 32 bytes. */
    static Checkpoint small(int epochs, List<Epoch> history, float[] secondVelocity) {
        Plan plan = new Plan(Rung.V0, epochs, 10, 0.1f, 0, 3, 0.9f, new Schedule.Constant());
        return new Checkpoint(plan, "cpu", 40, history, List.of(new float[] {1, 2, 3}, new float[] {4, 5}), List.of(new float[3], secondVelocity));
    }

    static Epoch epoch(int n) {
        return new Epoch(n, 0.5, 90, 89, 1000, 1, 0.1);
    }

    /** {@code file} with its last 32 bytes replaced by the SHA-256 of the rest, as {@link Checkpoint#write} seals it (if it has 32). */
    static byte[] seal(byte[] file) {
        if (file.length < 32) return file;
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(file, 0, file.length - 32);
            System.arraycopy(sha.digest(), 0, file, file.length - 32, 32);
            return file;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private CorruptCheckpointException refused(Checkpoint c) throws IOException {
        c.write(dir.resolve("c"));
        return assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
    }

    @Test
    void aNegativeArrayLengthBehindAValidChecksumIsCorrupt() throws IOException {
        small(2, List.of(), new float[2]).write(dir.resolve("c"));
        byte[] file = Files.readAllBytes(dir.resolve("c"));
        ByteBuffer.wrap(file).putInt(file.length - 32 - 64 + 4, -1);
        Files.write(dir.resolve("c"), seal(file));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
        assertTrue(e.getMessage().startsWith(dir.resolve("c") + ": checkpoint declares -1 values in parameter array 0"), e.getMessage());
    }

    @Test
    void aNegativeEpochCountIsCorrupt() throws IOException {
        small(2, List.of(), new float[2]).write(dir.resolve("c"));
        byte[] file = Files.readAllBytes(dir.resolve("c"));
        ByteBuffer.wrap(file).putInt(file.length - 32 - 64 - 4, -5);
        Files.write(dir.resolve("c"), seal(file));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
        assertTrue(e.getMessage().contains("declares -5 epochs"), e.getMessage());
    }

    @Test
    void aMiniBatchNoRunCouldUseIsCorrupt() throws IOException {
        small(2, List.of(), new float[2]).write(dir.resolve("c"));
        byte[] file = Files.readAllBytes(dir.resolve("c"));
        ByteBuffer.wrap(file).putInt(20, Integer.MAX_VALUE); // after the magic, the version, the model "v0" and the epochs
        Files.write(dir.resolve("c"), seal(file));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
        assertTrue(e.getMessage().contains("impossible plan: the mini-batch must hold 1 to 65536 images, not 2147483647"), e.getMessage());
    }

    @Test
    void textFromTheFileCannotBreakTheMessageIntoLines() throws IOException {
        small(2, List.of(), new float[2]).write(dir.resolve("c"));
        byte[] file = Files.readAllBytes(dir.resolve("c"));
        file[15] = '\n'; // the model "v0" becomes "v" and a newline
        Files.write(dir.resolve("c"), seal(file));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
        assertTrue(e.getMessage().contains("no model 'v\\u000a'") && !e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aShortVelocityArrayIsCorrupt() throws IOException {
        assertTrue(refused(small(2, List.of(), new float[1])).getMessage().contains("holds 1 velocities for the 2 values of parameter array 1"));
    }

    @Test
    void moreEpochsThanThePlanOrEpochsOutOfOrderAreCorrupt() throws IOException {
        assertTrue(refused(small(2, List.of(epoch(1), epoch(2), epoch(3)), new float[2])).getMessage().contains("holds 3 epochs of a plan of 2"));
        assertTrue(refused(small(2, List.of(epoch(2)), new float[2])).getMessage().contains("holds epoch 2 where epoch 1 belongs"));
        small(2, List.of(epoch(1), epoch(2)), new float[2]).write(dir.resolve("c"));
        assertEquals(2, Checkpoint.read(dir.resolve("c")).epochs());
    }

    @Test
    void aPipeIsRefusedWithoutWaitingForAWriter() throws Exception {
        Path fifo = dir.resolve("fifo");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo is not available");
        var e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(fifo)));
        assertTrue(e.getMessage().startsWith(fifo + ": checkpoint is not a regular file"), e.getMessage());
    }

    @Test
    void aLinkToAnEndlessDeviceIsRefusedWithoutReadingIt() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        Path link = Files.createSymbolicLink(dir.resolve("link"), Path.of("/dev/zero"));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(link));
        assertTrue(e.getMessage().startsWith(link + ": checkpoint is not a regular file"), e.getMessage());
    }

    @Test
    void bytesAfterTheContentsAreCorrupt() throws IOException {
        small(2, List.of(), new float[2]).write(dir.resolve("c"));
        byte[] file = Files.readAllBytes(dir.resolve("c"));
        Files.write(dir.resolve("c"), seal(Arrays.copyOf(file, file.length + 3)));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
        assertTrue(e.getMessage().contains("holds 3 bytes after its contents"), e.getMessage());
    }

    /** The same plan, backend, steps, history and arrays, bit for bit. */
    static void assertSameCheckpoint(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.plan(), actual.plan());
        assertEquals(expected.backend(), actual.backend());
        assertEquals(expected.steps(), actual.steps());
        assertEquals(expected.history(), actual.history());
        assertEquals(expected.parameters().size(), actual.parameters().size(), "parameter arrays");
        assertEquals(expected.velocities().size(), actual.velocities().size(), "velocity arrays");
        for (int i = 0; i < expected.parameters().size(); i++) assertArrayEquals(expected.parameters().get(i), actual.parameters().get(i), "parameter array " + i);
        for (int i = 0; i < expected.velocities().size(); i++) assertArrayEquals(expected.velocities().get(i), actual.velocities().get(i), "velocity array " + i);
    }

    /** What {@code momentum-v2.nndl}, written by the code before checkpoints streamed, holds. */
    static final Checkpoint MOMENTUM_V2 = new Checkpoint(new Plan(Rung.V0, 3, 10, 0.1f, 0, 3, 0.9f, Schedule.parse("plateau:10:1")), "cpu", 40,
            List.of(new Epoch(1, 0.5, 90, 89, 1000, 1, 0.1), new Epoch(2, 0.25, 91.5, 90.25, 1200, 0.9, 0.2)),
            List.of(new float[] {1, 2, 3}, new float[] {4, -5.5f}), List.of(new float[] {0.5f, -0.25f, 0}, new float[] {1e-3f, -7}));

    /** What {@code plain-v2.nndl} holds: no momentum, so no velocities. */
    static final Checkpoint PLAIN_V2 = new Checkpoint(new Plan(Rung.V0, 2, 10, 0.1f, 0, 3), "reference", 5000, List.of(new Epoch(1, 0.5, 90, 89, 1000, 1, 0.1)),
            List.of(new float[] {Float.MIN_VALUE, -0f, Float.MAX_VALUE}), List.of());

    private static byte[] resource(String name) throws IOException {
        try (var in = CheckpointTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void filesWrittenBeforeCheckpointsStreamedReadAndAreWrittenByteForByteAsThen() throws IOException {
        for (var c : List.of(java.util.Map.entry("momentum-v2.nndl", MOMENTUM_V2), java.util.Map.entry("plain-v2.nndl", PLAIN_V2))) {
            Path old = dir.resolve(c.getKey());
            Files.write(old, resource(c.getKey()));
            assertSameCheckpoint(c.getValue(), Checkpoint.read(old));
            c.getValue().write(dir.resolve("new"));
            assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(dir.resolve("new")), c.getKey());
        }
    }

    /** A version 1 checkpoint, from before momentum: the plan without momentum and schedule, and no velocity section. */
    static byte[] versionOne(int version) throws IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.writeBytes("NNDLCKPT");
            out.writeInt(version);
            out.writeUTF("v0");
            out.writeInt(4);
            out.writeInt(10);
            out.writeFloat(0.1f);
            out.writeFloat(0);
            out.writeLong(7);
            out.writeUTF("cpu");
            out.writeLong(123);
            out.writeInt(1);
            out.writeInt(1);
            for (double d : new double[] {0.5, 90, 89, 1000, 1, 0.1}) out.writeDouble(d);
            out.writeInt(2);
            out.writeInt(2);
            out.writeFloat(1.5f);
            out.writeFloat(-2);
            out.writeInt(1);
            out.writeFloat(3);
            out.write(new byte[32]);
        }
        return seal(bytes.toByteArray());
    }

    @Test
    void aVersionOneFileStillReadsAndAnUnknownVersionIsRefusedInOneLine() throws IOException {
        Files.write(dir.resolve("c"), versionOne(1));
        assertSameCheckpoint(new Checkpoint(new Plan(Rung.V0, 4, 10, 0.1f, 0, 7), "cpu", 123, List.of(epoch(1)),
                List.of(new float[] {1.5f, -2}, new float[] {3}), List.of()), Checkpoint.read(dir.resolve("c")));
        Files.write(dir.resolve("c"), versionOne(3));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.read(dir.resolve("c")));
        assertEquals(dir.resolve("c") + ": checkpoint has format version 3; this nndl reads versions 1 and 2; it was left as it is: restore it from a copy, "
                + "or delete it to start the run over", e.getMessage());
    }

    @Test
    void arraysLongerThanAChunkAreWrittenAndReadAsOneChunkWouldBe() throws IOException {
        float[][] arrays = new float[8][];
        for (int i = 0; i < arrays.length; i++) {
            arrays[i] = new float[new int[] {0, 1, 2, 3, 4, 6, 7, 10}[i]];
            for (int e = 0; e < arrays[i].length; e++) arrays[i][e] = i - e * 0.375f;
        }
        List<float[]> values = List.of(arrays), velocities = values.stream().map(a -> { float[] v = a.clone(); java.util.Arrays.fill(v, -1e-9f); return v; }).toList();
        Checkpoint c = new Checkpoint(new Plan(Rung.V0, 2, 10, 0.1f, 0, 3, 0.5f, new Schedule.Constant()), "cpu", 8, List.of(epoch(1)), values, velocities);
        c.write(dir.resolve("whole"));
        byte[] whole = Files.readAllBytes(dir.resolve("whole"));
        for (int chunk : new int[] {1, 2, 3, 4, 7}) {
            c.write(dir.resolve("chunked"), chunk);
            assertArrayEquals(whole, Files.readAllBytes(dir.resolve("chunked")), "written " + chunk + " floats at a time");
            assertSameCheckpoint(c, Checkpoint.read(dir.resolve("whole"), chunk));
        }
    }

    /**
     * A checkpoint of more than 2 GB (the weights of about 540 million floats) is written and reads
     * back: before, writing one failed for want of an array that large. The arrays written are one
     * array many times over, so writing costs 64 MB of heap; reading allocates the 2.1 GB it holds.
     */
    @Test
    void aCheckpointOfMoreThanTwoGigabytesIsWrittenAndReads() throws IOException {
        assumeTrue(Runtime.getRuntime().maxMemory() > (3L << 30), "needs a heap of 3 GB");
        assumeTrue(Files.getFileStore(dir).getUsableSpace() > (6L << 30), "needs 6 GB of disk");
        float[] big = new float[1 << 24];
        for (int e = 0; e < big.length; e++) big[e] = e * 0x1p-20f;
        Checkpoint c = new Checkpoint(new Plan(Rung.V0, 2, 10, 0.1f, 0, 3), "cpu", 1, List.of(epoch(1)), java.util.Collections.nCopies(33, big), List.of());
        Path file = dir.resolve("big.nndl");
        c.write(file);
        assertTrue(Files.size(file) > (1L << 31) + (1L << 25), Files.size(file) + " bytes");
        Checkpoint read = Checkpoint.read(file);
        assertEquals(33, read.parameters().size());
        for (float[] a : read.parameters()) assertArrayEquals(big, a);
    }

    @Test
    void aStreamedWriteThatFailsPartWayLeavesTheOldFileAndNoTemporaryOne() throws IOException {
        Path file = dir.resolve("checkpoint.nndl");
        PLAIN_V2.write(file);
        byte[] before = Files.readAllBytes(file);
        var e = assertThrows(IOException.class, () -> RunFiles.writeAtomically(file, out -> {
            out.write(new byte[3 * RunFiles.STREAM_BUFFER + 5]); // more than the buffer: some of it reached the temporary file
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
