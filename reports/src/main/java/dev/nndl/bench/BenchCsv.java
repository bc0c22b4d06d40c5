package dev.nndl.bench;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The benchmark report's CSV: one header row from {@link Column}, one row per benchmark, each carrying its context. */
public final class BenchCsv {

    /** The columns, in order. */
    public enum Column {
        timestamp, commit, jdk, machine, op, direction, shape_name, shape, backend, device, threads, mode,
        score, error, samples, unit, gflops, pct_peak, speedup_vs_reference, conformance, fork_means
    }

    /**
     * One benchmark's result with its context; {@code gflops} and the ratios are NaN where they do not
     * apply. {@code error} is JMH's 99.9 % confidence half-width over {@code samples} measurements (0
     * when not known); {@code forkMeans} is each JMH fork's mean score, written as {@code a;b;c}
     * (empty with one fork): the forks, not the samples within one, are the independent repeats
     * that {@code bench --compare} tests.
     */
    public record Row(String timestamp, String commit, String jdk, String machine, String op, String direction, String shapeName,
                      String shape, String backend, String device, int threads, String mode, double score, double error, String unit,
                      double gflops, double pctPeak, double speedupVsReference, String conformance, long samples, List<Double> forkMeans) {

        public Row {
            forkMeans = List.copyOf(forkMeans);
        }

        public Row(String timestamp, String commit, String jdk, String machine, String op, String direction, String shapeName,
                   String shape, String backend, String device, int threads, String mode, double score, double error, String unit,
                   double gflops, double pctPeak, double speedupVsReference, String conformance, long samples) {
            this(timestamp, commit, jdk, machine, op, direction, shapeName, shape, backend, device, threads, mode, score, error, unit,
                    gflops, pctPeak, speedupVsReference, conformance, samples, List.of());
        }

        public Row(String timestamp, String commit, String jdk, String machine, String op, String direction, String shapeName,
                   String shape, String backend, String device, int threads, String mode, double score, double error, String unit,
                   double gflops, double pctPeak, double speedupVsReference, String conformance) {
            this(timestamp, commit, jdk, machine, op, direction, shapeName, shape, backend, device, threads, mode, score, error, unit,
                    gflops, pctPeak, speedupVsReference, conformance, 0);
        }
    }

    private BenchCsv() {}

    public static void write(Writer out, List<Row> rows) throws IOException {
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setHeader(Column.class).get())) {
            for (Row r : rows) {
                csv.printRecord(r.timestamp(), r.commit(), r.jdk(), r.machine(), r.op(), r.direction(), r.shapeName(), r.shape(), r.backend(),
                        r.device(), r.threads(), r.mode(), number(r.score()), number(r.error()), r.samples(), r.unit(), number(r.gflops()), number(r.pctPeak()),
                        number(r.speedupVsReference()), r.conformance(),
                        String.join(";", r.forkMeans().stream().map(m -> String.format(java.util.Locale.ROOT, "%.6g", m)).toList()));
            }
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
