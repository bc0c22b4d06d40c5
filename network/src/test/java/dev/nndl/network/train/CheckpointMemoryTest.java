package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.Rung;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writing and reading a checkpoint costs the heap little beyond its arrays: a JVM of 48 MB writes
 * and reads one of 24 MB. (Before, writing held the file up to three times over, and reading
 * held it beside its arrays.)
 */
class CheckpointMemoryTest {

    static final int ARRAYS = 24, FLOATS = 1 << 18;

    /** {@code write FILE} writes 24 arrays of 1 MiB (one array, 24 times); {@code read FILE} reads them back. */
    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        if (args[0].equals("write")) {
            float[] a = new float[FLOATS];
            for (int e = 0; e < a.length; e++) a[e] = e;
            new Checkpoint(new Plan(Rung.V0, 2, 10, 0.1f, 0, 3), "cpu", 1, List.of(), Collections.nCopies(ARRAYS, a), List.of()).write(file);
        } else {
            Checkpoint c = Checkpoint.read(file);
            if (c.parameters().size() != ARRAYS || c.parameters().getLast()[FLOATS - 1] != FLOATS - 1) throw new AssertionError("read back wrong");
        }
    }

    @Test
    void aJvmOf48MegabytesWritesAndReadsACheckpointOf24(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.nndl");
        assertEquals("", run("write", file));
        assertTrue(java.nio.file.Files.size(file) > ARRAYS * 4L * FLOATS, "24 MiB of floats");
        assertEquals("", run("read", file));
    }

    /** Runs {@link #main} in a JVM with a 48 MB heap and a serial collector (no regions to waste); returns its output. */
    private static String run(String what, Path file) throws Exception {
        String launcher = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(launcher, "-Xmx48m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                CheckpointMemoryTest.class.getName(), what, file.toString()).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), what + " failed: " + output);
        return output;
    }
}
