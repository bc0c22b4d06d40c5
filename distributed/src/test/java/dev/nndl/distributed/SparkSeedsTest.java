package dev.nndl.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cli.Nndl;
import dev.nndl.network.data.IdxFiles;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.RunFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code nndl train --seeds} on Spark embedded in this JVM: the weights of the same seeds trained
 * one after another, bit for bit, and the same files, whether the runs go to a directory or to a
 * {@code file://} URI through Hadoop's file system.
 */
class SparkSeedsTest {

    @Test
    void twoSeedsAsSparkTasksEqualTheSameSeedsOneAfterAnotherInADirectoryOrAtAUri(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 360, 120);
        List<String> common = List.of("train", "--model", "v1", "--epochs", "2", "--backend", "cpu", "--threads", "1", "--seeds", "1..2",
                "--data", mnist.toString());
        String[] sequential = cli(common, "--out", dir.resolve("sequential").toString());
        assertEquals("0", sequential[0], sequential[1]);
        String[] spark = cli(common, "--out", dir.resolve("spark").toString(), "--spark", "local[2]");
        assertEquals("0", spark[0], spark[1]);
        assertTrue(spark[1].contains("2 runs as Spark tasks on local[2], one core each"), spark[1]);
        assertTrue(spark[1].matches("(?s).*test accuracy over 2 seeds: mean \\d+\\.\\d\\d %.*2 of 2 seeds finished in .*"), spark[1]);
        String uri = dir.resolve("hadoop").toUri().toString(); // file:///...
        String[] hadoop = cli(common, "--out", uri, "--spark", "local[2]");
        assertEquals("0", hadoop[0], hadoop[1]);
        assertTrue(hadoop[1].contains("each writes its output to " + uri.replaceAll("/$", "") + "/logs"), hadoop[1]);

        for (String out : List.of("spark", "hadoop")) {
            for (long seed : List.of(1L, 2L)) {
                for (String file : List.of("best.nndl", "checkpoint.nndl")) {
                    List<float[]> a = Checkpoint.read(dir.resolve("sequential/seed-" + seed).resolve(file)).parameters();
                    List<float[]> b = Checkpoint.read(dir.resolve(out + "/seed-" + seed).resolve(file)).parameters();
                    assertEquals(a.size(), b.size());
                    for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), out + ", seed " + seed + ", " + file + ", parameter " + i);
                }
                assertEquals(files(dir.resolve("sequential/seed-" + seed)), files(dir.resolve(out + "/seed-" + seed)), out);
                assertTrue(Files.readString(dir.resolve(out + "/logs/seed-" + seed + ".log")).contains("v1: best validation epoch"));
            }
            assertEquals(files(dir.resolve("spark")), files(dir.resolve(out)), out);
            List<RunFiles.ResultRow> rows = RunFiles.readResults(dir.resolve(out + "/results.csv"));
            assertEquals(List.of(1L, 2L), rows.stream().map(RunFiles.ResultRow::seed).toList());
            assertEquals(RunFiles.readResults(dir.resolve("sequential/results.csv")).stream().map(RunFiles.ResultRow::testAccuracy).toList(),
                    rows.stream().map(RunFiles.ResultRow::testAccuracy).toList());
            assertTrue(javax.imageio.ImageIO.read(dir.resolve(out + "/results.png").toFile()).getWidth() >= 800);
        }
    }

    /** The files under {@code dir}, by their names there, but for the lock a directory held by a command keeps. */
    private static java.util.Set<String> files(Path dir) throws java.io.IOException {
        try (var all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(dev.nndl.network.train.RunDirectory.LOCK))
                    .map(p -> dir.relativize(p).toString()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        }
    }

    @Test
    void aLadderOnSparkTrainsAndVotesAsTheSequentialLadderInADirectoryOrAtAUri(@TempDir Path dir) throws Exception {
        Path mnist = Files.createDirectory(dir.resolve("mnist"));
        IdxFiles.writeMnist(mnist, 200, 60);
        List<String> common = List.of("ladder", "--quick", "--rungs", "v0,v6", "--members", "2", "--backend", "cpu", "--threads", "1", "--data", mnist.toString());
        String[] sequential = cli(common, "--out", dir.resolve("sequential").toString());
        assertEquals("0", sequential[0], sequential[1]);
        String[] spark = cli(common, "--out", dir.resolve("spark").toString(), "--spark", "local[2]");
        assertEquals("0", spark[0], spark[1]);
        assertTrue(spark[1].contains("3 runs as Spark tasks on local[2], one core each"), spark[1]);
        String[] hadoop = cli(common, "--out", dir.resolve("hadoop").toUri().toString(), "--spark", "local[2]");
        assertEquals("0", hadoop[0], hadoop[1]);

        for (String out : List.of("spark", "hadoop")) {
            for (String run : List.of("v0", "v6", "ensemble/v6-seed-2")) {
                List<float[]> a = Checkpoint.read(dir.resolve("sequential").resolve(run).resolve("best.nndl")).parameters();
                List<float[]> b = Checkpoint.read(dir.resolve(out).resolve(run).resolve("best.nndl")).parameters();
                for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), b.get(i), out + ", " + run + ", parameter " + i);
            }
            List<String> models = List.of("v0", "v6", "v6", "ensemble-2");
            List<RunFiles.ResultRow> s = RunFiles.readResults(dir.resolve("sequential/results.csv")), p = RunFiles.readResults(dir.resolve(out + "/results.csv"));
            assertEquals(models, p.stream().map(RunFiles.ResultRow::model).toList());
            assertEquals(s.stream().map(RunFiles.ResultRow::testAccuracy).toList(), p.stream().map(RunFiles.ResultRow::testAccuracy).toList());
            assertEquals(s.getLast().validationAccuracy(), p.getLast().validationAccuracy());
            assertTrue(Files.isRegularFile(dir.resolve(out + "/results.png")), out);
        }
        assertEquals(files(dir.resolve("spark")), files(dir.resolve("hadoop")));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aBenchmarkOnTwoMachinesGathersTheirRowsInOneCsvEachNamingItsHost(boolean uri, @TempDir Path dir) throws Exception {
        String[] bench = cli(List.of("bench", "--quick", "--ops", "max-pool2d", "--shapes", "^ladder-pool2-mb10$", "--backends", "reference",
                "--spark", "local[*]", "--machines", "2", "--out", uri ? dir.toUri().toString() : dir.toString()));
        assertEquals("0", bench[0], bench[1]);
        List<String> merged = Files.readAllLines(dir.resolve("benchmarks.csv"));
        List<String> one = Files.readAllLines(dir.resolve("machine-1/benchmarks.csv")), two = Files.readAllLines(dir.resolve("machine-2/benchmarks.csv"));
        assertEquals(one.getFirst(), merged.getFirst());
        assertEquals(one.size() + two.size() - 1, merged.size());
        int machine = java.util.Arrays.asList(one.getFirst().split(",")).indexOf("machine");
        String host = ", host " + dev.nndl.spi.Machine.host();
        assertTrue(merged.stream().skip(1).allMatch(line -> line.contains(host)), merged.toString());
        assertTrue(machine >= 0);
        String csv = uri ? dir.toUri() + "benchmarks.csv" : dir.resolve("benchmarks.csv").toString();
        assertTrue(bench[1].contains("wrote " + csv + " (" + (merged.size() - 1) + " rows from 2 machines)"), bench[1]);
    }

    @Test
    void localMastersRetryFailedTasks() {
        assertEquals("local[*,4]", SparkCluster.withRetries("local[*]"));
        assertEquals("local[2,4]", SparkCluster.withRetries("local[2]"));
        assertEquals("local[1,4]", SparkCluster.withRetries("local"));
        assertEquals("local[2,1]", SparkCluster.withRetries("local[2,1]"));
        assertEquals("spark://127.0.0.1:7077", SparkCluster.withRetries("spark://127.0.0.1:7077"));
    }

    static String[] cli(List<String> common, String... more) {
        var cli = Nndl.commandLine();
        StringWriter text = new StringWriter();
        cli.setOut(new PrintWriter(text));
        cli.setErr(new PrintWriter(text));
        String[] args = java.util.stream.Stream.concat(common.stream(), java.util.Arrays.stream(more)).toArray(String[]::new);
        return new String[] {Integer.toString(cli.execute(args)), text.toString()};
    }
}
