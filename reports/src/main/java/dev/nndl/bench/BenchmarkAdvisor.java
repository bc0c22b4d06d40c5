package dev.nndl.bench;

import dev.nndl.spi.BackendAdvisor;
import dev.nndl.spi.Machine;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code auto}'s evidence: the latest benchmark CSV. It recommends the backend with the fastest
 * full training step (summed over the step shapes every candidate measured) among those that
 * passed conformance in that run and can start here.
 *
 * <p>The file is {@code -Dnndl.benchmarks=FILE}, else {@code $NNDL_BENCHMARKS}, else
 * {@code $NNDL_CACHE/benchmarks.csv} ({@code ~/.cache/nndl/benchmarks.csv}), where
 * {@code nndl bench} leaves a copy of every CSV it writes. Results from another machine are not
 * used, and say so; results from another commit are used, with a warning in the reason.
 */
public final class BenchmarkAdvisor implements BackendAdvisor {

    public static final String PROPERTY = "nndl.benchmarks";
    public static final String ENVIRONMENT = "NNDL_BENCHMARKS";

    /** Where {@code auto} looks for benchmark results. */
    public static Path location() {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isBlank()) file = System.getenv(ENVIRONMENT);
        if (file != null && !file.isBlank()) return Path.of(file);
        String cache = System.getenv("NNDL_CACHE");
        return (cache == null || cache.isBlank() ? Path.of(System.getProperty("user.home"), ".cache", "nndl") : Path.of(cache)).resolve("benchmarks.csv");
    }

    @Override
    public Advice advise(Set<String> available) {
        return advise(location(), available, Machine.describe(), GitCommit::current);
    }

    /** {@code commit} is asked only when the file has results to compare with: it runs git. */
    static Advice advise(Path file, Set<String> available, String machine, java.util.function.Supplier<String> commit) {
        if (!Files.isRegularFile(file)) return Advice.none("no benchmark results at " + file + "; ./nndl bench --quick measures them");
        List<CSVRecord> steps = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                if (r.get(BenchCsv.Column.op).equals("training-step")) steps.add(r);
            }
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            return Advice.none("cannot read " + file + " (" + e.getMessage() + "); rerun ./nndl bench --quick");
        }
        if (steps.isEmpty()) return Advice.none(file + " has no training-step results; ./nndl bench --quick --ops training-step measures them");
        String measuredOn = steps.getFirst().get(BenchCsv.Column.machine);
        if (!measuredOn.equals(machine)) {
            return Advice.none(file + " was measured on " + measuredOn + ", not on this machine (" + machine + "), so it is not used; "
                    + "./nndl bench --quick measures here");
        }
        Map<String, Map<String, Double>> scores = new TreeMap<>();
        for (CSVRecord r : steps) {
            String backend = r.get(BenchCsv.Column.backend);
            if (!available.contains(backend) || !r.get(BenchCsv.Column.conformance).equals("pass")) continue;
            scores.computeIfAbsent(backend, b -> new LinkedHashMap<>()).put(r.get(BenchCsv.Column.shape_name), Double.parseDouble(r.get(BenchCsv.Column.score)));
        }
        if (scores.isEmpty()) return Advice.none("no backend that can start here passed conformance in " + file);
        Set<String> shapes = null;
        for (Map<String, Double> byShape : scores.values()) {
            if (shapes == null) shapes = new HashSet<>(byShape.keySet());
            else shapes.retainAll(byShape.keySet());
        }
        if (shapes.isEmpty()) return Advice.none(file + " has no training-step shape measured on every candidate backend");
        String best = null;
        double bestTotal = Double.POSITIVE_INFINITY;
        List<String> totals = new ArrayList<>();
        for (var e : scores.entrySet()) {
            double total = 0;
            for (String shape : shapes) total += e.getValue().get(shape);
            totals.add(String.format(Locale.ROOT, "%s %.3g ms", e.getKey(), total / 1000));
            if (total < bestTotal) {
                bestTotal = total;
                best = e.getKey();
            }
        }
        String measuredAt = steps.getFirst().get(BenchCsv.Column.commit);
        String current = commit.get();
        String stale = current.equals("unknown") || measuredAt.equals(current) ? ""
                : "; note: measured at commit " + measuredAt + ", this build is " + current + ", so ./nndl bench --quick would refresh it";
        return new Advice(best, "the fastest training step (" + String.join(" + ", new java.util.TreeSet<>(shapes)) + ": " + String.join(", ", totals)
                + ") among backends that passed conformance, from " + file + stale);
    }
}
