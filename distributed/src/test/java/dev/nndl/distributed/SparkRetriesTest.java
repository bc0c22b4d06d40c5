package dev.nndl.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cli.Job;
import dev.nndl.network.data.IdxFiles;
import dev.nndl.network.train.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark attempts again a run that ends in an error, and the attempt resumes from the run's last
 * checkpoint, in a local directory or at a {@code file://} URI; a run refused as bad input is
 * attempted once. The failures come from {@link FailingBackend}.
 */
class SparkRetriesTest {

    @AfterEach
    void disarm() {
        FailingBackend.AFTER_CHECKPOINT.set(0);
        FailingBackend.AT_START.set(0);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aRunThatFailsAfterItsFirstCheckpointIsAttemptedAgainAndResumesToTheWeightsOfAnUninterruptedRun(boolean uri, @TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 200, 60);
        List<String> common = List.of("train", "--model", "v0", "--epochs", "2", "--backend", FailingBackend.NAME, "--data", mnist.toString());
        String[] uninterrupted = SparkSeedsTest.cli(common, "--out", dir.resolve("uninterrupted").toString());
        assertEquals("0", uninterrupted[0], uninterrupted[1]);

        FailingBackend.AFTER_CHECKPOINT.set(1);
        Path runs = dir.resolve("spark");
        String[] spark = SparkSeedsTest.cli(common, "--seeds", "1..1", "--spark", "local[1]", "--out", uri ? runs.toUri().toString() : runs.toString());
        assertEquals("0", spark[0], spark[1]);
        assertEquals(0, FailingBackend.AFTER_CHECKPOINT.get(), "the failure was never met");
        String log = Files.readString(runs.resolve("logs/seed-1.log"));
        assertTrue(log.contains("a failure the test arranged, after the first checkpoint"), log);
        assertTrue(log.contains("nndl: another attempt at seed 1, resuming"), log);
        assertTrue(log.contains("v0: resumed after epoch 1 of 2"), log);
        assertEquals(1, count(log, "v0: best validation epoch"), log);
        for (String file : List.of("best.nndl", "checkpoint.nndl")) {
            List<float[]> a = Checkpoint.read(dir.resolve("uninterrupted").resolve(file)).parameters();
            List<float[]> b = Checkpoint.read(runs.resolve("seed-1").resolve(file)).parameters();
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), file + ", parameter " + i);
        }
    }

    @Test
    void badInputIsAttemptedOnceAndAnErrorEveryTimeIsAttemptedToTheLimitWithoutStoppingTheOthers(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 200, 60);
        Job usage = new Job("usage", List.of("train", "--model=v0", "--no-such-option"), dir.resolve("usage.log").toString());
        Job failing = new Job("failing", List.of("train", "--model=v0", "--epochs=1", "--backend=" + FailingBackend.NAME, "--data=" + mnist,
                "--out=" + dir.resolve("failing")), dir.resolve("failing.log").toString());
        Job fine = new Job("fine", List.of("train", "--model=v0", "--epochs=1", "--backend=reference", "--data=" + mnist, "--out=" + dir.resolve("fine")),
                dir.resolve("fine.log").toString());
        FailingBackend.AT_START.set(SparkCluster.ATTEMPTS + 1);
        List<Integer> codes = new SparkCluster().run("local[2]", List.of(usage, failing, fine), 1, new PrintWriter(new StringWriter()));
        assertEquals(List.of(2, 1, 0), codes);
        assertEquals(1, FailingBackend.AT_START.get(), "not attempted " + SparkCluster.ATTEMPTS + " times");

        String usageLog = Files.readString(Path.of(usage.log())), failingLog = Files.readString(Path.of(failing.log()));
        assertEquals(1, count(usageLog, "Unknown option: '--no-such-option'"), usageLog);
        assertEquals(0, count(usageLog, "another attempt"), usageLog);
        assertEquals(SparkCluster.ATTEMPTS, count(failingLog, "Caused by: java.io.IOException: a failure the test arranged, as the backend starts"), failingLog);
        assertEquals(SparkCluster.ATTEMPTS - 1, count(failingLog, "nndl: another attempt at failing, resuming"), failingLog);
        assertTrue(Files.isRegularFile(dir.resolve("fine/best.nndl")));
    }

    @Test
    void aMasterThatSaysHowManyAttemptsIsTakenAtItsWord() {
        assertEquals(SparkCluster.ATTEMPTS, SparkCluster.attempts("local[*]"));
        assertEquals(SparkCluster.ATTEMPTS, SparkCluster.attempts(SparkCluster.withRetries("local[2]")));
        assertEquals(1, SparkCluster.attempts("local[2,1]"));
        assertEquals(SparkCluster.ATTEMPTS, SparkCluster.attempts("spark://127.0.0.1:7077"));
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }
}
