package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.spi.Backends;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick benchmark path end to end, through JMH forks, on one small shape: the CSV's columns and values, the charts, the summary. */
class QuickBenchTest {

    /**
     * The quick plan's promise, under ten minutes on two cores: a benchmark takes a fork, 1.5 s of
     * warm-up and five samples of at least 0.2 s; with the three backends CI has it runs 97, every
     * training step among them, since auto reads those.
     */
    @Test
    void quickRunsFewEnoughBenchmarksAndEveryTrainingStep() {
        List<String> ops = BenchRunner.FAMILIES.stream().map(BenchRunner.Family::op).toList(), backends = List.of("reference", "cpu", "aparapi");
        List<String[]> quick = BenchRunner.configurations(new BenchRunner.Plan(ops, backends, Pattern.compile("."), true), backends);
        List<String[]> full = BenchRunner.configurations(new BenchRunner.Plan(ops, backends, Pattern.compile("."), false), backends);
        assertEquals(97, quick.size());
        assertEquals(260, full.size(), "the full run keeps every shape, and the whole networks on the reference up to batch 8");
        Set<String> steps = new TreeSet<>(), quickSteps = new TreeSet<>();
        for (String[] c : full) if (c[0].equals("training-step")) steps.add(c[1] + " " + c[3]);
        for (String[] c : quick) if (c[0].equals("training-step")) quickSteps.add(c[1] + " " + c[3]);
        assertEquals(steps, quickSteps);
    }

    /** What a quick run leaves out it measures when --shapes names it in full; a partial match keeps it out. */
    @Test
    void aQuickRunMeasuresTheShapesNamedInFull() {
        List<String> ops = List.of("network", "training-step"), backends = List.of("reference", "cpu");
        Set<String> named = new TreeSet<>(), partial = new TreeSet<>();
        for (String[] c : BenchRunner.configurations(new BenchRunner.Plan(ops, backends, Pattern.compile("alexnet-b64|v3-mb64"), true), backends)) {
            named.add(String.join(" ", c));
        }
        assertEquals(Set.of("network alexnet-b64 forward-backward cpu", "training-step v3-mb64 step cpu", "training-step v3-mb64 step reference"), named);
        for (String[] c : BenchRunner.configurations(new BenchRunner.Plan(ops, backends, Pattern.compile("alexnet"), true), backends)) {
            partial.add(String.join(" ", c));
        }
        assertEquals(Set.of("network alexnet-b1 forward-backward cpu"), partial);
    }

    @Test
    void quickModeWritesACompleteCsvForEveryAvailableBackend(@TempDir Path dir) throws Exception {
        List<String> available = new ArrayList<>();
        Backends.providers().forEach((name, provider) -> {
            if (provider.availability().available()) available.add(name);
        });
        if (openClDriverInstalled()) {
            // the build starts this JVM as an OpenCL driver needs (LD_PRELOAD, native access), so the OpenCL backend must take part
            assertTrue(available.contains("aparapi"), "an OpenCL driver is installed but aparapi cannot start: "
                    + Backends.providers().get("aparapi").availability().reason());
        }
        // the reference named last, as `--backends cpu,reference` does: its rows must still come first, or the others get no speedup
        available.sort(java.util.Comparator.comparing(name -> name.equals("reference")));
        StringWriter log = new StringWriter();
        BenchRunner runner = new BenchRunner(new BenchRunner.Plan(List.of("max-pool2d"), available, Pattern.compile("^ladder-pool2-mb10$"), true),
                new PrintWriter(log));
        List<BenchCsv.Row> rows = runner.run();
        try (var w = Files.newBufferedWriter(dir.resolve("benchmarks.csv"))) {
            BenchCsv.write(w, rows);
        }
        List<CSVRecord> records;
        try (Reader in = Files.newBufferedReader(dir.resolve("benchmarks.csv"))) {
            var parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in);
            assertEquals(Arrays.stream(BenchCsv.Column.values()).map(Enum::name).toList(), parser.getHeaderNames());
            records = parser.getRecords();
        }
        Set<String> backends = new TreeSet<>();
        for (CSVRecord r : records) {
            assertTrue(Double.parseDouble(r.get(BenchCsv.Column.score)) > 0, r.toString());
            assertTrue(Long.parseLong(r.get(BenchCsv.Column.samples)) > 1, "the sample count behind the error: " + r);
            assertTrue(Double.parseDouble(r.get(BenchCsv.Column.gflops)) > 0, r.toString());
            for (String value : r.values()) assertTrue(!value.equalsIgnoreCase("nan"), r.toString());
            if (r.get(BenchCsv.Column.op).equals("max-pool2d")) {
                backends.add(r.get(BenchCsv.Column.backend));
                assertEquals("pass", r.get(BenchCsv.Column.conformance), r.toString());
                assertEquals("us/op", r.get(BenchCsv.Column.unit));
                if (available.contains("reference")) {
                    String speedup = r.get(BenchCsv.Column.speedup_vs_reference);
                    assertTrue(!speedup.isEmpty() && Double.parseDouble(speedup) > 0, "a speedup over the reference in every row: " + r);
                }
                if (r.get(BenchCsv.Column.backend).equals("aparapi")) {
                    assertTrue(r.get(BenchCsv.Column.device).startsWith("OpenCL "), "the device in every row: " + r);
                }
            }
        }
        assertEquals(new TreeSet<>(available), backends, "every available backend has rows\n" + log);
        int peaks = Runtime.getRuntime().availableProcessors() == 1 ? 1 : 2;
        assertEquals(2 * available.size() + peaks, records.size(), "forward and backward per backend, and the FMA peak on 1 and 2 threads\n" + log);

        Path json = Files.writeString(dir.resolve("jmh-result.json"), runner.jmhJson());
        assertEquals(records.size(), BenchCompare.read(json).size(), "JMH's JSON holds every benchmark of the CSV, peaks included");
        assertTrue(Files.readString(json).contains("\"rawData\""), "with the raw samples");

        List<Path> files = BenchReport.write(dir, rows);
        assertTrue(files.contains(dir.resolve("chart-max-pool2d.png")) && Files.size(dir.resolve("chart-max-pool2d.png")) > 1000);
        String md = Files.readString(dir.resolve("benchmarks.md"));
        assertTrue(md.contains("| ladder-pool2-mb10 | forward | reference |"), md);
    }

    private static boolean openClDriverInstalled() {
        try (var icds = Files.list(Path.of("/etc/OpenCL/vendors"))) {
            return icds.anyMatch(p -> p.toString().endsWith(".icd"));
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
