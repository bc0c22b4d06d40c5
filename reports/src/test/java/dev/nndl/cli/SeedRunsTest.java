package dev.nndl.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.data.IdxFiles;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nndl train --seeds} one after another in this JVM, and what only --spark takes; the Spark path is the distributed module's. */
class SeedRunsTest {

    @Test
    void seedsAreARangeOrAListEachOnce() {
        assertEquals(List.of(1L, 2L, 3L), SeedRuns.parse("1..3"));
        assertEquals(List.of(7L), SeedRuns.parse("7..7"));
        assertEquals(List.of(1L, 2L, 7L), SeedRuns.parse("1, 2,7"));
        for (String bad : List.of("3..1", "1..1000000", "a", "1,1", "", "1..", "1,,2")) {
            var e = assertThrows(IllegalArgumentException.class, () -> SeedRuns.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--seeds " + bad + ": give a range FIRST..LAST"), e.getMessage());
        }
    }

    @Test
    void aRetryResumes() {
        assertEquals(List.of("train", "--seed=1", "--resume"), Job.resuming(List.of("train", "--force", "--seed=1")));
        assertEquals(List.of("train", "--resume"), Job.resuming(List.of("train", "--resume")));
        assertEquals(List.of("bench", "--quick"), Job.resuming(List.of("bench", "--quick")), "bench has no --resume: it runs again");
    }

    @Test
    void aJobWritesToADirectoryOrToAUri() {
        Job local = new Job("seed 1", List.of("train", "--out=/runs/v0/seed-1", "--seed=1"), "/runs/v0/logs/seed-1.log");
        assertEquals("/runs/v0/seed-1", local.out());
        assertTrue(!local.remote());
        Job remote = new Job("seed 1", List.of("train", "--out=hdfs://nn/runs/v0/seed-1", "--seed=1"), "hdfs://nn/runs/v0/logs/seed-1.log");
        assertTrue(remote.remote());
        assertEquals(new Job("seed 1", List.of("train", "--out=/tmp/x/out", "--seed=1"), "/tmp/x/task.log"), remote.writingTo("/tmp/x/out", "/tmp/x/task.log"));
        for (String uri : List.of("hdfs://nn/runs", "s3a://bucket/runs", "file:///tmp/runs")) assertTrue(Job.isUri(uri), uri);
        for (String path : List.of("runs/v0", "/tmp/runs", "C:\\runs", "a:b/runs", "")) assertTrue(!Job.isUri(path), path);
    }

    @Test
    void optionsThatContradictAreRefused(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 20, 10);
        String[] common = {"train", "--model", "v0", "--data", mnist.toString(), "--out", dir.resolve("run").toString()};
        TrainCommandTest.refused("nndl train: --seed 3 and --seeds 1..2: give one of them", concat(common, "--seeds", "1..2", "--seed", "3"));
        TrainCommandTest.refused("nndl train: --spark runs several trainings at once: give --seeds too", concat(common, "--spark"));
        // the distributed module is not on this module's class path, as it is not on ./nndl's without --spark
        TrainCommandTest.refused("nndl train: --spark needs nndl's distributed module and Spark on the class path", concat(common, "--seeds", "1..2", "--spark"));
        TrainCommandTest.refused("nndl train: --threads 0: use 1 to", concat(common, "--threads", "0"));
    }

    @Test
    void aUriOutNeedsSpark(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 20, 10);
        String uri = "--out hdfs://nn/runs/v0 is a URI: only a run on Spark writes to a Hadoop file system (hdfs://, s3a://, file://); ";
        TrainCommandTest.refused("nndl train: " + uri + "add --seeds and --spark MASTER, or give a local directory",
                "train", "--model", "v0", "--data", mnist.toString(), "--out", "hdfs://nn/runs/v0");
        TrainCommandTest.refused("nndl train: " + uri + "add --spark MASTER, or give a local directory",
                "train", "--model", "v0", "--data", mnist.toString(), "--seeds", "1..2", "--out", "hdfs://nn/runs/v0");
        TrainCommandTest.refused("nndl ladder: --out file:///tmp/ladder is a URI: only a run on Spark writes to a Hadoop file system (hdfs://, s3a://, file://); "
                + "add --spark MASTER, or give a local directory: /tmp/ladder", "ladder", "--quick", "--data", mnist.toString(), "--out", "file:///tmp/ladder");
        TrainCommandTest.refused("nndl bench: --out s3a://bucket/fleet is a URI", "bench", "--quick", "--out", "s3a://bucket/fleet");
        assertTrue(!Files.exists(Path.of("hdfs:")) && !Files.exists(Path.of("file:")) && !Files.exists(Path.of("s3a:")));
    }

    @Test
    void eachSeedTrainsAsItsOwnRunWouldAndTheResultsAreMerged(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 200, 60);
        CliRun seeds = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "cpu", "--threads", "1", "--data", mnist.toString(),
                "--seeds", "4..5", "--out", dir.resolve("seeds").toString(), "--force");
        assertEquals(0, seeds.code(), seeds.out() + seeds.err());
        assertTrue(seeds.out().contains("seed 4 of 2: nndl train --model=v0 --epochs=1 --backend=cpu --threads=1 --force --data=" + mnist.toAbsolutePath()
                + " --seed=4 --out=" + dir.resolve("seeds/seed-4").toAbsolutePath()), seeds.out());
        assertTrue(seeds.out().matches("(?s).*test accuracy over 2 seeds: mean \\d+\\.\\d\\d %, standard deviation \\d+\\.\\d\\d points.*"), seeds.out());
        CliRun one = CliRun.of("train", "--model", "v0", "--epochs", "1", "--backend", "cpu", "--threads", "1", "--data", mnist.toString(),
                "--seed", "5", "--out", dir.resolve("one").toString());
        assertEquals(0, one.code(), one.out() + one.err());

        List<float[]> a = Checkpoint.read(dir.resolve("seeds/seed-5/best.nndl")).parameters(), b = Checkpoint.read(dir.resolve("one/best.nndl")).parameters();
        for (int i = 0; i < a.size(); i++) assertArrayEquals(b.get(i), a.get(i), "parameter " + i);
        List<RunFiles.ResultRow> rows = RunFiles.readResults(dir.resolve("seeds/results.csv"));
        assertEquals(List.of(4L, 5L), rows.stream().map(RunFiles.ResultRow::seed).toList());
        assertEquals(RunFiles.readResults(dir.resolve("one/results.csv")).getFirst().testAccuracy(), rows.get(1).testAccuracy());
        assertTrue(javax.imageio.ImageIO.read(dir.resolve("seeds/results.png").toFile()).getWidth() >= 800);

        CliRun again = CliRun.of("train", "--model", "v0", "--epochs", "1", "--data", mnist.toString(), "--seeds", "4..5", "--out", dir.resolve("seeds").toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("pass --resume to continue its run, --force to overwrite it"), again.err());
    }

    private static String[] concat(String[] a, String... b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b)).toArray(String[]::new);
    }
}
