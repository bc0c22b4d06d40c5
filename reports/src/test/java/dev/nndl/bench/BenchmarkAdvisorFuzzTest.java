package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.network.FileMutant;
import dev.nndl.network.FileMutant.Seed;
import dev.nndl.spi.BackendAdvisor.Advice;
import dev.nndl.spi.BadFileException;
import dev.nndl.testing.Property;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated benchmark CSVs must give {@code auto} advice, or no advice with a reason that names the
 * file, the place and the fix; {@link BenchmarkAdvisor#advise} never throws. The build runs this
 * class with a 128 MB heap. A failure prints the mutation and the seed;
 * {@code -Dnndl.property.seed=N} draws the same inputs again.
 */
class BenchmarkAdvisorFuzzTest {

    static final Set<String> AVAILABLE = Set.of("cpu", "reference");

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void mutatedCsvs() throws IOException {
        BenchmarkAdvisorTest written = new BenchmarkAdvisorTest();
        written.dir = Files.createDirectories(dir.resolve("seed"));
        byte[] csv = Files.readAllBytes(written.csv(BenchmarkAdvisorTest.MACHINE, new Object[] {"reference", "v3-mb10", 90_000.0, "pass"},
                new Object[] {"cpu", "v3-mb10", 3_000.0, "pass"}, new Object[] {"cpu", "v6-mb10", 7_000.0, "FAIL"}));
        String text = new String(csv, StandardCharsets.UTF_8);
        // cuts at every field and line boundary; a quote and a newline put at each
        int[] boundaries = IntStream.range(0, csv.length).filter(i -> csv[i] == ',' || csv[i] == '\n' || csv[i] == '"').toArray();
        List<FileMutant> edges = new ArrayList<>();
        for (int at : boundaries) {
            for (String inserted : List.of("\"", "\n", ",")) {
                edges.add(new FileMutant("csv", (text.substring(0, at) + inserted + text.substring(at)).getBytes(StandardCharsets.UTF_8),
                        List.of("'" + inserted.replace("\n", "\\n") + "' inserted at " + at)));
            }
        }
        String cpuScore = "," + String.format(java.util.Locale.ROOT, "%.4g", 3_000.0) + ",";
        assertTrue(text.contains(cpuScore), text);
        for (String score : List.of("", "NaN", "-1", "0", "1e309", "Infinity", "0x10", " 3000", "3,000")) {
            String s = text.replace(cpuScore, "," + (score.contains(",") ? "\"" + score + "\"" : score) + ",");
            edges.add(new FileMutant("csv", s.getBytes(StandardCharsets.UTF_8), List.of("score '" + score + "'")));
        }
        edges.add(new FileMutant("csv", ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8), List.of("byte order mark")));
        edges.add(new FileMutant("csv", (text.substring(0, text.indexOf('\n') + 1) + text).getBytes(StandardCharsets.UTF_8), List.of("header twice")));

        Path file = dir.resolve("benchmarks.csv");
        Property.check("benchmark csv mutants", 1000, FileMutant.gen(List.of(new Seed("csv", csv, boundaries, new int[0])), b -> b, edges), m -> {
            Files.write(file, m.bytes());
            Advice advice = BenchmarkAdvisor.advise(file, AVAILABLE, BenchmarkAdvisorTest.MACHINE, () -> BenchmarkAdvisorTest.COMMIT);
            assertTrue(advice.backend() == null || AVAILABLE.contains(advice.backend()), advice.toString());
            try {
                BenchmarkAdvisor.steps(file);
            } catch (BadFileException e) {
                assertNull(advice.backend());
                assertEquals(e.getMessage(), advice.reason());
                assertTrue(e.getMessage().startsWith(file + ": ") && e.getMessage().endsWith("; rerun ./nndl bench --quick to measure afresh, or delete the file")
                        && !e.getMessage().contains("\n"), e.getMessage());
            }
        });
    }
}
