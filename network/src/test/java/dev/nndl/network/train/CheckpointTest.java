package dev.nndl.network.train;

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
}
