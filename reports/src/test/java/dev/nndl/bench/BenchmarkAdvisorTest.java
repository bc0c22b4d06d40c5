package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.spi.BackendAdvisor.Advice;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auto}'s choice from a benchmark CSV: the fastest step that passed conformance, on this machine. */
class BenchmarkAdvisorTest {

    static final String MACHINE = "Test CPU, 2 cores", COMMIT = "abc1234";

    @TempDir
    Path dir;

    /** Rows: backend, shape, microseconds, conformance, and optionally the error in microseconds (default 1). */
    Path csv(String machine, Object[]... steps) throws IOException {
        List<BenchCsv.Row> rows = new ArrayList<>();
        rows.add(new BenchCsv.Row("t", COMMIT, "25", machine, "fma-peak", "-", "fma-loop", "1 threads", "java", "Vector API", 1, "avgt", 1, 0.1, "us/op",
                90, 100, Double.NaN, ""));
        for (Object[] s : steps) {
            rows.add(new BenchCsv.Row("t", COMMIT, "25", machine, "training-step", "step", (String) s[1], "", (String) s[0], "device, with a comma", 2,
                    "avgt", (Double) s[2], s.length > 4 ? (Double) s[4] : 1.0, "us/op", 1, 1, 1, (String) s[3]));
        }
        Path file = dir.resolve("benchmarks.csv");
        try (Writer w = Files.newBufferedWriter(file)) {
            BenchCsv.write(w, rows);
        }
        return file;
    }

    @Test
    void choosesTheFastestStepThatPassedConformance() throws IOException {
        Path file = csv(MACHINE, new Object[] {"reference", "v3-mb10", 90_000.0, "pass"}, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass"},
                new Object[] {"reference", "v6-mb10", 200_000.0, "pass"}, new Object[] {"cpu", "v6-mb10", 7_000.0, "pass"});
        Advice advice = BenchmarkAdvisor.advise(file, Set.of("cpu", "reference"), MACHINE, () -> COMMIT);
        assertEquals("cpu", advice.backend());
        assertTrue(advice.reason().contains("cpu 10.0 ± 0.0014 ms, reference 290 ± 0.0014 ms") && advice.reason().contains(file.toString()), advice.reason());
        assertTrue(!advice.reason().contains("tie"), advice.reason());
    }

    /** Step times within their error bars of each other are a tie, which goes to the first of cpu, aparapi, tornado, reference. */
    @Test
    void overlappingErrorBarsAreATieBrokenByTheDefaultOrder() throws IOException {
        Path file = csv(MACHINE, new Object[] {"aparapi", "v3-mb10", 2_900.0, "pass", 150.0}, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass", 100.0},
                new Object[] {"zeta", "v3-mb10", 2_950.0, "pass", 10.0}, new Object[] {"reference", "v3-mb10", 9_000.0, "pass", 100.0});
        Advice advice = BenchmarkAdvisor.advise(file, Set.of("cpu", "aparapi", "zeta", "reference"), MACHINE, () -> COMMIT);
        assertEquals("cpu", advice.backend(), advice.reason());
        assertTrue(advice.reason().contains("aparapi 2.90 ± 0.15 ms, cpu 3.00 ± 0.10 ms, reference 9.00 ± 0.10 ms, zeta 2.95 ± 0.010 ms"), advice.reason());
        assertTrue(advice.reason().contains("; cpu, aparapi, zeta tie within their error bars, and a tie goes to the first in the order cpu, aparapi, tornado, reference"),
                advice.reason());
        Path apart = csv(MACHINE, new Object[] {"aparapi", "v3-mb10", 2_700.0, "pass", 50.0}, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass", 100.0});
        assertEquals("aparapi", BenchmarkAdvisor.advise(apart, Set.of("cpu", "aparapi"), MACHINE, () -> COMMIT).backend(), "2,650-2,750 against 2,900-3,100");
        Path noError = csv(MACHINE, new Object[] {"aparapi", "v3-mb10", 2_999.0, "pass", Double.NaN}, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass", Double.NaN});
        assertEquals("aparapi", BenchmarkAdvisor.advise(noError, Set.of("cpu", "aparapi"), MACHINE, () -> COMMIT).backend(), "no error bars: no tie");
    }

    @Test
    void aBackendThatFailedConformanceOrCannotStartIsPassedOver() throws IOException {
        Path file = csv(MACHINE, new Object[] {"reference", "v3-mb10", 90_000.0, "pass"}, new Object[] {"cpu", "v3-mb10", 3_000.0, "FAIL"},
                new Object[] {"aparapi", "v3-mb10", 1_000.0, "pass"});
        assertEquals("reference", BenchmarkAdvisor.advise(file, Set.of("cpu", "reference"), MACHINE, () -> COMMIT).backend());
    }

    @Test
    void resultsFromAnotherMachineAreNotUsedAndSaySo() throws IOException {
        Path file = csv("Other CPU, 64 cores", new Object[] {"cpu", "v3-mb10", 3_000.0, "pass"});
        Advice advice = BenchmarkAdvisor.advise(file, Set.of("cpu", "reference"), MACHINE, () -> COMMIT);
        assertNull(advice.backend());
        assertTrue(advice.reason().contains("was measured on Other CPU, 64 cores, not on this machine (" + MACHINE + ")"), advice.reason());
    }

    @Test
    void fromResultsOfSeveralMachinesOnlyThisMachinesRowsCountAndOldRowsWithoutTheHostStillDo() throws IOException {
        String here = MACHINE + ", host a", there = MACHINE + ", host b";
        List<String> lines = new ArrayList<>(Files.readAllLines(csv(there, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass"},
                new Object[] {"reference", "v3-mb10", 90_000.0, "pass"})));
        List<String> mine = Files.readAllLines(csv(here, new Object[] {"cpu", "v3-mb10", 95_000.0, "pass"}, new Object[] {"reference", "v3-mb10", 90_000.0, "pass"}));
        lines.addAll(mine.subList(1, mine.size()));
        Path merged = Files.write(dir.resolve("merged.csv"), lines);
        assertEquals("reference", BenchmarkAdvisor.advise(merged, Set.of("cpu", "reference"), here, () -> COMMIT).backend());
        assertEquals("cpu", BenchmarkAdvisor.advise(merged, Set.of("cpu", "reference"), there, () -> COMMIT).backend());
        assertNull(BenchmarkAdvisor.advise(merged, Set.of("cpu", "reference"), MACHINE + ", host c", () -> COMMIT).backend());

        Path old = csv(MACHINE, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass"});
        assertEquals("cpu", BenchmarkAdvisor.advise(old, Set.of("cpu", "reference"), here, () -> COMMIT).backend());
    }

    @Test
    void resultsFromAnotherCommitAreUsedWithANote() throws IOException {
        Path file = csv(MACHINE, new Object[] {"cpu", "v3-mb10", 3_000.0, "pass"});
        Advice advice = BenchmarkAdvisor.advise(file, Set.of("cpu", "reference"), MACHINE, () -> "def5678");
        assertEquals("cpu", advice.backend());
        assertTrue(advice.reason().contains("measured at commit abc1234, this build is def5678"), advice.reason());
    }

    @Test
    void noFileOrNoStepsMeansNoAdvice() throws IOException {
        Advice missing = BenchmarkAdvisor.advise(dir.resolve("none.csv"), Set.of("reference"), MACHINE, () -> COMMIT);
        assertNull(missing.backend());
        assertTrue(missing.reason().startsWith("no benchmark results at "), missing.reason());
        Advice empty = BenchmarkAdvisor.advise(csv(MACHINE), Set.of("reference"), MACHINE, () -> COMMIT);
        assertNull(empty.backend());
        assertTrue(empty.reason().contains("has no training-step results"), empty.reason());
        Files.writeString(dir.resolve("bad.csv"), "not,a\nbenchmark");
        Advice bad = BenchmarkAdvisor.advise(dir.resolve("bad.csv"), Set.of("reference"), MACHINE, () -> COMMIT);
        assertNull(bad.backend());
        assertTrue(bad.reason().startsWith(dir.resolve("bad.csv") + ": line 1 lacks the column(s) machine, commit, op, shape_name, backend, score, error, conformance"), bad.reason());
    }

    /** A header and one training-step row of the cpu backend, {@code score} as given, the line edited by {@code edit}. */
    Path written(String score, java.util.function.UnaryOperator<String> edit) throws IOException {
        List<String> header = java.util.Arrays.stream(BenchCsv.Column.values()).map(Enum::name).toList();
        String row = String.join(",", "t", COMMIT, "25", "\"" + MACHINE + "\"", "training-step", "step", "v3-mb10", "", "cpu", "device", "2", "avgt", score, "1.0",
                "15", "us/op", "1", "1", "1", "pass", "2990;3010");
        Path file = dir.resolve("benchmarks.csv");
        Files.writeString(file, edit.apply(String.join(",", header) + "\r\n" + row + "\r\n"));
        return file;
    }

    /** {@code auto} falls back with the reason: the file, what is wrong where, and what to do. */
    void assertMalformed(Path file, String problem) {
        Advice advice = BenchmarkAdvisor.advise(file, Set.of("cpu", "reference"), MACHINE, () -> COMMIT);
        assertNull(advice.backend(), advice.reason());
        assertEquals(file + ": " + problem + "; rerun ./nndl bench --quick to measure afresh, or delete the file", advice.reason());
    }

    @Test
    void aWellFormedHandWrittenFileIsUsed() throws IOException {
        assertEquals("cpu", BenchmarkAdvisor.advise(written("3000", s -> s), Set.of("cpu"), MACHINE, () -> COMMIT).backend());
    }

    /** A file from before the samples and fork_means columns (or any column auto does not read) still advises. */
    @Test
    void aFileWithoutTheColumnsAutoDoesNotReadIsUsed() throws IOException {
        Path old = written("3000", s -> s.replace(",samples,", ",").replace(",1.0,15,", ",1.0,").replace(",fork_means", "").replace(",2990;3010", ""));
        assertEquals("cpu", BenchmarkAdvisor.advise(old, Set.of("cpu"), MACHINE, () -> COMMIT).backend());
    }

    @Test
    void anUnbalancedQuoteFallsBackSayingWhere() throws IOException {
        Path file = written("3000", s -> s.replace(",cpu,", ",\"cpu,"));
        assertMalformed(file, "is not a valid CSV: (startline 2) EOF reached before encapsulated token finished");
    }

    @Test
    void aMissingColumnFallsBackNamingIt() throws IOException {
        assertMalformed(written("3000", s -> s.replace(",score,", ",points,")), "line 1 lacks the column(s) score");
    }

    @Test
    void aShortRowFallsBackSayingWhichLine() throws IOException {
        assertMalformed(written("3000", s -> s.replace(",1,1,1,pass,2990;3010", "")), "line 2 has 16 fields where the header has 21");
    }

    @Test
    void aScoreThatIsNotATimeFallsBackSayingWhere() throws IOException {
        assertMalformed(written("fast", s -> s), "line 2, column score: 'fast' is not a positive time");
        assertMalformed(written("NaN", s -> s), "line 2, column score: 'NaN' is not a positive time");
        assertMalformed(written("-1", s -> s), "line 2, column score: '-1' is not a positive time");
    }

    @Test
    void aFileThatIsNotTextFallsBack() throws IOException {
        Path file = written("3000", s -> s);
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1}, java.nio.file.StandardOpenOption.APPEND);
        assertMalformed(file, "is not UTF-8 text");
    }
}
