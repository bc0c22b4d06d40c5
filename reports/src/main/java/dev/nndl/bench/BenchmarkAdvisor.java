package dev.nndl.bench;

import dev.nndl.spi.BackendAdvisor;
import dev.nndl.spi.Backends;
import dev.nndl.spi.BadFileException;
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
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code auto}'s evidence: the latest benchmark CSV. It recommends the backend with the fastest
 * full training step (summed over the step shapes every candidate measured) among those that
 * passed conformance in that run and can start here.
 *
 * <p>Backends whose summed times lie within their error bars of the fastest are a tie: each sum's
 * error is the root of the summed squares of its rows' errors (JMH's 99.9 % intervals), and two
 * sums tie when they differ by no more than their two errors together. A tie goes to the backend
 * that comes first in {@link Backends#AUTO_ORDER} (cpu, aparapi, tornado, reference: the host
 * before the devices), then by name; the reason says so.
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

    /** Whether a row's {@code machine} is {@code here}: the same description, or the same without the host, as rows named machines before. */
    static boolean sameMachine(String machine, String here) {
        return machine.equals(here) || here.startsWith(machine + ", host ");
    }

    /** {@code commit} is asked only when the file has results to compare with: it runs git. */
    static Advice advise(Path file, Set<String> available, String machine, java.util.function.Supplier<String> commit) {
        if (!Files.exists(file)) return Advice.none("no benchmark results at " + file + "; ./nndl bench --quick measures them");
        List<Step> steps;
        try {
            steps = steps(file);
        } catch (BadFileException e) {
            return Advice.none(e.getMessage());
        }
        if (steps.isEmpty()) return Advice.none(file + " has no training-step results; ./nndl bench --quick --ops training-step measures them");
        String measuredOn = steps.getFirst().machine();
        // a file gathered from several machines (bench --spark) holds rows of each: only this machine's count
        steps = steps.stream().filter(r -> sameMachine(r.machine(), machine)).toList();
        if (steps.isEmpty()) {
            return Advice.none(file + " was measured on " + measuredOn + ", not on this machine (" + machine + "), so it is not used; "
                    + "./nndl bench --quick measures here");
        }
        Map<String, Map<String, Step>> scores = new TreeMap<>();
        for (Step r : steps) {
            if (!available.contains(r.backend()) || !r.conformance().equals("pass")) continue;
            scores.computeIfAbsent(r.backend(), b -> new LinkedHashMap<>()).put(r.shape(), r);
        }
        if (scores.isEmpty()) return Advice.none("no backend that can start here passed conformance in " + file);
        Set<String> shapes = null;
        for (Map<String, Step> byShape : scores.values()) {
            if (shapes == null) shapes = new HashSet<>(byShape.keySet());
            else shapes.retainAll(byShape.keySet());
        }
        if (shapes.isEmpty()) return Advice.none(file + " has no training-step shape measured on every candidate backend");
        List<Total> totals = new ArrayList<>();
        for (var e : scores.entrySet()) {
            double total = 0, variance = 0;
            for (String shape : shapes) {
                total += e.getValue().get(shape).score();
                variance += Math.pow(e.getValue().get(shape).error(), 2);
            }
            totals.add(new Total(e.getKey(), total, Math.sqrt(variance)));
        }
        Total fastest = totals.stream().min(java.util.Comparator.comparingDouble(Total::micros)).orElseThrow();
        List<Total> tied = totals.stream().filter(t -> t.micros() - t.error() <= fastest.micros() + fastest.error()).sorted(TIE_ORDER).toList();
        Total best = tied.getFirst();
        String tie = tied.size() == 1 ? "" : "; " + String.join(", ", tied.stream().map(Total::backend).toList())
                + " tie within their error bars, and a tie goes to the first in the order " + String.join(", ", Backends.AUTO_ORDER);
        String measuredAt = steps.getFirst().commit();
        String current = commit.get();
        String stale = current.equals("unknown") || measuredAt.equals(current) ? ""
                : "; note: measured at commit " + measuredAt + ", this build is " + current + ", so ./nndl bench --quick would refresh it";
        return new Advice(best.backend(), "the fastest training step (" + String.join(" + ", new java.util.TreeSet<>(shapes)) + ": "
                + String.join(", ", totals.stream().map(Total::toString).toList()) + ") among backends that passed conformance" + tie
                + ", from " + file + stale);
    }

    /** A backend's training step summed over the shapes, with the error of the sum. */
    record Total(String backend, double micros, double error) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %.3g ± %.2g ms", backend, micros / 1000, error / 1000);
        }
    }

    /** Ties go to the backend first in the default order; backends outside it after those, by name. */
    private static final java.util.Comparator<Total> TIE_ORDER = java.util.Comparator
            .<Total>comparingInt(t -> Backends.AUTO_ORDER.contains(t.backend()) ? Backends.AUTO_ORDER.indexOf(t.backend()) : Backends.AUTO_ORDER.size())
            .thenComparing(Total::backend);

    /** A training step's result, as {@link #advise} uses it. */
    record Step(String machine, String commit, String backend, String shape, double score, double error, String conformance) {}

    /** A benchmark CSV is a few hundred rows; anything far larger is not one. */
    static final long MAX_BYTES = 16 << 20;

    /**
     * The training-step rows of {@code file}, each checked. A file that is not a benchmark CSV
     * (unbalanced quotes, missing columns, short rows, a score that is not a number, not UTF-8)
     * gets a {@link BadFileException} saying where and what to do.
     */
    /** The columns auto reads; a file from before a column was added (such as {@code samples}) still advises. */
    private static final List<BenchCsv.Column> READ = List.of(BenchCsv.Column.machine, BenchCsv.Column.commit, BenchCsv.Column.op,
            BenchCsv.Column.shape_name, BenchCsv.Column.backend, BenchCsv.Column.score, BenchCsv.Column.error, BenchCsv.Column.conformance);

    static List<Step> steps(Path file) throws BadFileException {
        try {
            if (!Files.isRegularFile(file)) throw bad(file, "is not a regular file");
            if (Files.size(file) > MAX_BYTES) throw bad(file, "is " + Files.size(file) + " bytes, more than a benchmark CSV (" + MAX_BYTES + ")");
            List<Step> steps = new ArrayList<>();
            try (Reader in = Files.newBufferedReader(file);
                 CSVParser csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                List<String> missing = new ArrayList<>();
                for (BenchCsv.Column c : READ) if (!csv.getHeaderNames().contains(c.name())) missing.add(c.name());
                if (!missing.isEmpty()) throw bad(file, "line 1 lacks the column(s) " + String.join(", ", missing));
                for (CSVRecord r : csv) {
                    if (!r.isConsistent()) {
                        throw bad(file, "line " + csv.getCurrentLineNumber() + " has " + r.size() + " fields where the header has " + csv.getHeaderNames().size());
                    }
                    if (r.get(BenchCsv.Column.op).equals("training-step")) steps.add(step(file, csv.getCurrentLineNumber(), r));
                }
            }
            return steps;
        } catch (BadFileException e) {
            throw e;
        } catch (java.nio.charset.CharacterCodingException e) {
            throw bad(file, "is not UTF-8 text");
        } catch (IOException | java.io.UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            // Commons CSV reports a broken quote as an UncheckedIOException from its iterator, and a bad header as IllegalArgumentException
            Throwable cause = e instanceof java.io.UncheckedIOException u ? u.getCause() : e;
            throw bad(file, "is not a valid CSV: " + cause.getMessage());
        }
    }

    private static Step step(Path file, long line, CSVRecord r) throws BadFileException {
        String score = r.get(BenchCsv.Column.score);
        double micros;
        try {
            micros = Double.parseDouble(score);
        } catch (NumberFormatException e) {
            micros = Double.NaN;
        }
        if (!(micros > 0) || Double.isInfinite(micros)) throw bad(file, "line " + line + ", column score: '" + score + "' is not a positive time");
        String error = r.get(BenchCsv.Column.error);
        double errorMicros;
        try {
            errorMicros = error.isBlank() || error.equalsIgnoreCase("nan") ? 0 : Double.parseDouble(error); // JMH gives no error for one sample
        } catch (NumberFormatException e) {
            errorMicros = -1;
        }
        if (!(errorMicros >= 0) || Double.isInfinite(errorMicros)) throw bad(file, "line " + line + ", column error: '" + error + "' is not a time");
        return new Step(r.get(BenchCsv.Column.machine), r.get(BenchCsv.Column.commit), r.get(BenchCsv.Column.backend),
                r.get(BenchCsv.Column.shape_name), micros, errorMicros, r.get(BenchCsv.Column.conformance));
    }

    private static BadFileException bad(Path file, String problem) {
        return new BadFileException(file, problem + "; rerun ./nndl bench --quick to measure afresh, or delete the file");
    }
}
