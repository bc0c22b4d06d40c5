package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.bench.BenchCompare.Measurement;
import dev.nndl.bench.BenchCompare.Verdict;
import dev.nndl.spi.BadFileException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Comparing two runs: a change is called only when it is both real (intervals or Welch's test) and larger than the threshold. */
class BenchCompareTest {

    private static Verdict verdict(Measurement old, Measurement now) {
        return BenchCompare.compare(Map.of("b", old), Map.of("b", now), 0.05).getFirst().verdict();
    }

    private static Measurement us(double score, double error, long samples) {
        return new Measurement(score, error, samples, "us/op");
    }

    @Test
    void overlappingNoiseIsTheSame() {
        assertEquals(Verdict.SAME, verdict(us(100, 8, 15), us(106, 8, 15)));
    }

    @Test
    void aClearlyLongerTimeIsSlowerAndAShorterOneFaster() {
        assertEquals(Verdict.SLOWER, verdict(us(100, 2, 15), us(130, 2, 15)));
        assertEquals(Verdict.FASTER, verdict(us(100, 2, 15), us(70, 2, 15)));
        assertEquals(Verdict.FASTER, verdict(new Measurement(100, 2, 15, "ops/s"), new Measurement(130, 2, 15, "ops/s")), "throughput: more is better");
    }

    @Test
    void aRealChangeBelowTheThresholdIsTheSame() {
        assertEquals(Verdict.SAME, verdict(us(100, 0.1, 15), us(102, 0.1, 15)));
    }

    /** 95..105 and 103..113 overlap, but over 1000 samples each Welch's test sees an 8 % difference (p about 2e-4). */
    @Test
    void welchsTestCallsAChangeThatOverlappingIntervalsHide() {
        assertEquals(Verdict.SLOWER, verdict(us(100, 5, 1000), us(108, 5, 1000)));
        assertTrue(BenchCompare.welch(us(100, 5, 1000), us(108, 5, 1000)) < 1e-3);
        assertEquals(Verdict.SAME, verdict(us(100, 5, 0), us(108, 5, 0)), "without sample counts only the intervals decide");
    }

    /**
     * Two runs of one commit on a shared machine (Zen 3, v6's 1000 x 1000 backward-weights, 3 forks
     * of 5 samples each): the second run's first two forks were slower. Over the 15 samples Welch's
     * test calls it 9 % slower; over the three forks' means, which are the independent repeats, it
     * does not.
     */
    @Test
    void forksNotSamplesAreTheRepeatsWelchsTestCounts() {
        Measurement a = new Measurement(373.3, 6.3, 15, "us/op", List.of(370.2, 374.2, 376.0));
        Measurement b = new Measurement(406.4, 27.0, 15, "us/op", List.of(422.4, 420.8, 375.8));
        assertTrue(BenchCompare.welch(us(373.3, 6.3, 15), us(406.4, 27.0, 15)) < 0.01, "the samples alone");
        assertTrue(BenchCompare.welch(a, b) > 0.1, "p = " + BenchCompare.welch(a, b));
        assertEquals(Verdict.SAME, verdict(a, b));
        Measurement slowed = new Measurement(688.5, 40, 15, "us/op", List.of(700.1, 660.3, 705.2));
        assertEquals(Verdict.SLOWER, verdict(a, slowed), "a real slowdown still shows over three forks");
    }

    @Test
    void readsBenchCsvAndJmhJson(@TempDir Path dir) throws IOException {
        StringWriter csv = new StringWriter();
        BenchCsv.write(csv, List.of(new BenchCsv.Row("t", "c", "25", "m", "conv2d", "forward", "ladder-conv1-mb10", "s", "cpu", "d", 2, "avgt",
                174.5, 3.25, "us/op", 50, 20, 100, "pass", 15, List.of(170.25, 174.0, 179.25))));
        Path csvFile = Files.writeString(dir.resolve("benchmarks.csv"), csv.toString());
        assertEquals(Map.of("conv2d forward ladder-conv1-mb10 cpu 2t", new Measurement(174.5, 3.25, 15, "us/op", List.of(170.25, 174.0, 179.25))),
                BenchCompare.read(csvFile));

        Path json = Files.writeString(dir.resolve("jmh-result.json"), """
                [ { "benchmark" : "dev.nndl.bench.PoolingBenchmark.forward", "mode" : "avgt", "threads" : 1, "forks" : 2,
                    "params" : { "shape" : "ladder-pool1-mb10", "backend" : "cpu" },
                    "primaryMetric" : { "score" : 12.5, "scoreError" : 0.5, "scoreConfidence" : [ 12.0, 13.0 ], "scoreUnit" : "us/op",
                        "rawData" : [ [ 12.1, 12.6, 12.4 ], [ 12.9, 12.5, 12.5 ] ] },
                    "secondaryMetrics" : { } } ]
                """);
        Measurement pool = BenchCompare.read(json).get("dev.nndl.bench.PoolingBenchmark.forward {backend=cpu, shape=ladder-pool1-mb10} 1t");
        assertEquals(List.of(12.5, 0.5, 6.0), List.of(pool.score(), pool.error(), (double) pool.samples()));
        assertEquals(12.3667, pool.forkMeans().get(0), 1e-4);
        assertEquals(12.6333, pool.forkMeans().get(1), 1e-4);

        Path bad = Files.writeString(dir.resolve("bad.csv"), "op,score\n\"unbalanced,1\n");
        BadFileException e = assertThrows(BadFileException.class, () -> BenchCompare.read(bad));
        assertTrue(e.getMessage().startsWith(bad + ": not a benchmarks.csv or jmh-result.json"), e.getMessage());
    }
}
