package dev.nndl.bench;

import dev.nndl.spi.BadFileException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * {@code nndl bench --compare OLD NEW}: each benchmark of two runs side by side, with the ratio of
 * their times and a verdict. A change is called only when it is both real and large: the two 99.9 %
 * confidence intervals do not overlap, or Welch's t-test rejects equal means at 99 %, and the ratio
 * differs from 1 by more than the threshold. Otherwise the verdict is "same".
 *
 * <p>Welch's test needs independent repeats. With several JMH forks in both runs those are the
 * forks' means: samples within one fork share its JIT decisions and its moment on a shared machine,
 * so a test over them calls two runs of one commit different (measured: 9 % "slower", p below
 * 0.01 over 15 samples, where the three forks' means said p = 0.16). With one fork (quick runs, or
 * files without fork means) the test falls back to the samples, as JMH's error does. Reads
 * {@code nndl bench}'s CSV or JMH's JSON (both runs the same kind).
 */
public final class BenchCompare {

    public enum Verdict { FASTER, SLOWER, SAME }

    /**
     * One benchmark's score (time per operation, or operations per time), its 99.9 % half-width, its
     * sample count (0: unknown) and each fork's mean (empty with one fork, or unknown).
     */
    public record Measurement(double score, double error, long samples, String unit, List<Double> forkMeans) {
        public Measurement {
            forkMeans = List.copyOf(forkMeans);
        }

        public Measurement(double score, double error, long samples, String unit) {
            this(score, error, samples, unit, List.of());
        }

        boolean lowerIsBetter() {
            return unit.endsWith("/op");
        }
    }

    /** One benchmark in both runs; {@code low .. high} bounds the ratio new / old from the two intervals. */
    public record Comparison(String benchmark, Measurement old, Measurement now, double ratio, double low, double high, double pValue,
                             Verdict verdict) {}

    private BenchCompare() {}

    /** The benchmarks both runs measured, in the new run's order; a benchmark in one run only is left out. */
    public static List<Comparison> compare(Map<String, Measurement> old, Map<String, Measurement> now, double threshold) {
        List<Comparison> out = new ArrayList<>();
        for (var e : now.entrySet()) {
            Measurement o = old.get(e.getKey()), n = e.getValue();
            if (o == null) continue;
            double ratio = n.score() / o.score();
            double low = Math.max(n.score() - n.error(), 0) / (o.score() + o.error()), high = (n.score() + n.error()) / Math.max(o.score() - o.error(), 0);
            boolean overlap = n.score() - n.error() <= o.score() + o.error() && o.score() - o.error() <= n.score() + n.error();
            double p = welch(o, n);
            boolean real = !overlap || p < 0.01, large = Math.abs(ratio - 1) > threshold;
            Verdict v = !(real && large) ? Verdict.SAME : (ratio > 1) == n.lowerIsBetter() ? Verdict.SLOWER : Verdict.FASTER;
            out.add(new Comparison(e.getKey(), o, n, ratio, low, high == 0 ? Double.POSITIVE_INFINITY : high, p, v));
        }
        return out;
    }

    /**
     * Welch's two-sided p-value for equal means: over the forks' means where both runs have two or
     * more, else over the samples, each run's standard deviation recovered from JMH's half-width
     * {@code t(0.9995, n - 1) * sd / sqrt(n)}; NaN where a run has fewer than 2 samples.
     */
    static double welch(Measurement a, Measurement b) {
        if (a.forkMeans().size() >= 2 && b.forkMeans().size() >= 2) {
            return welch(mean(a.forkMeans()), sampleVariance(a.forkMeans()), a.forkMeans().size(),
                    mean(b.forkMeans()), sampleVariance(b.forkMeans()), b.forkMeans().size());
        }
        if (a.samples() < 2 || b.samples() < 2 || !Double.isFinite(a.error()) || !Double.isFinite(b.error())) return Double.NaN;
        return welch(a.score(), variance(a), a.samples(), b.score(), variance(b), b.samples());
    }

    private static double welch(double meanA, double varianceA, long nA, double meanB, double varianceB, long nB) {
        double va = varianceA / nA, vb = varianceB / nB, se = Math.sqrt(va + vb);
        if (se == 0) return meanA == meanB ? 1 : 0;
        double t = Math.abs(meanB - meanA) / se;
        double df = (va + vb) * (va + vb) / (va * va / (nA - 1) + vb * vb / (nB - 1));
        return 2 * (1 - new TDistribution(null, df).cumulativeProbability(t));
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    private static double sampleVariance(List<Double> xs) {
        double m = mean(xs);
        return xs.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (xs.size() - 1);
    }

    private static double variance(Measurement m) {
        double sd = m.error() * Math.sqrt(m.samples()) / new TDistribution(null, m.samples() - 1).inverseCumulativeProbability(0.9995);
        return sd * sd;
    }

    /** A run's benchmarks by name: {@code nndl bench}'s CSV, or JMH's JSON ({@code jmh-result.json}). */
    public static Map<String, Measurement> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new BadFileException(file, "no such file; give a benchmarks.csv or jmh-result.json that nndl bench wrote");
        String text = Files.readString(file);
        try {
            return text.stripLeading().startsWith("[") ? fromJson(text) : fromCsv(file);
        } catch (RuntimeException e) {
            throw new BadFileException(file, "not a benchmarks.csv or jmh-result.json (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Measurement> fromCsv(Path file) throws IOException {
        Map<String, Measurement> out = new LinkedHashMap<>();
        try (Reader in = Files.newBufferedReader(file)) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
                String name = String.join(" ", r.get("op"), r.get("direction"), r.get("shape_name"), r.get("backend"), r.get("threads") + "t");
                long samples = r.isMapped("samples") && !r.get("samples").isEmpty() ? Long.parseLong(r.get("samples")) : 0;
                List<Double> forks = new ArrayList<>();
                if (r.isMapped("fork_means") && !r.get("fork_means").isEmpty()) {
                    for (String m : r.get("fork_means").split(";")) forks.add(Double.parseDouble(m));
                }
                out.put(name, new Measurement(Double.parseDouble(r.get("score")), number(r.get("error")), samples, r.get("unit"), forks));
            }
        }
        return out;
    }

    private static double number(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Measurement> fromJson(String text) {
        Map<String, Measurement> out = new LinkedHashMap<>();
        for (Object o : (List<Object>) new Json(text).value()) {
            Map<String, Object> run = (Map<String, Object>) o;
            Map<String, Object> params = (Map<String, Object>) run.getOrDefault("params", Map.of());
            String name = run.get("benchmark") + (params.isEmpty() ? "" : " " + new TreeMap<>(params)) + " " + ((Number) run.get("threads")).intValue() + "t";
            Map<String, Object> metric = (Map<String, Object>) run.get("primaryMetric");
            long samples = 0;
            List<Double> forks = new ArrayList<>();
            for (Object fork : (List<Object>) metric.getOrDefault("rawData", List.of())) {
                List<Object> values = (List<Object>) fork;
                samples += values.size();
                forks.add(values.stream().mapToDouble(v -> ((Number) v).doubleValue()).average().orElse(Double.NaN));
            }
            Object error = metric.get("scoreError");
            out.put(name, new Measurement(((Number) metric.get("score")).doubleValue(), error instanceof Number n ? n.doubleValue() : Double.NaN,
                    samples, (String) metric.get("scoreUnit"), forks.size() < 2 ? List.of() : forks));
        }
        return out;
    }

    /** The comparisons as a markdown table. */
    public static String markdown(List<Comparison> comparisons, double threshold) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "| benchmark | old | new | new / old | Welch p | verdict |%n|---|---:|---:|---:|---:|---|%n"));
        for (Comparison c : comparisons) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %.3f [%.3f, %.3f] | %s | %s |%n", c.benchmark(), show(c.old()), show(c.now()),
                    c.ratio(), c.low(), c.high(), Double.isNaN(c.pValue()) ? "-" : String.format(Locale.ROOT, "%.2g", c.pValue()),
                    c.verdict().name().toLowerCase(Locale.ROOT)));
        }
        b.append(String.format(Locale.ROOT, "%nA change is called where the 99.9 %% intervals do not overlap or Welch's test rejects equality at 99 %%, "
                + "and the ratio differs from 1 by more than %.0f %%.%n", 100 * threshold));
        return b.toString();
    }

    private static String show(Measurement m) {
        return String.format(Locale.ROOT, "%.4g ± %.2g %s", m.score(), m.error(), m.unit());
    }

    /** Just enough JSON for JMH's report: objects, arrays, strings, numbers, true, false, null. */
    private static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object value() {
            skip();
            char c = s.charAt(i);
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                for (skip(); s.charAt(i) != '}'; skip()) {
                    String key = (String) value();
                    skip();
                    expect(':');
                    m.put(key, value());
                    skip();
                    if (s.charAt(i) == ',') i++;
                }
                i++;
                return m;
            }
            if (c == '[') {
                List<Object> l = new ArrayList<>();
                i++;
                for (skip(); s.charAt(i) != ']'; skip()) {
                    l.add(value());
                    skip();
                    if (s.charAt(i) == ',') i++;
                }
                i++;
                return l;
            }
            if (c == '"') {
                StringBuilder b = new StringBuilder();
                for (i++; s.charAt(i) != '"'; i++) {
                    if (s.charAt(i) == '\\') i++;
                    b.append(s.charAt(i));
                }
                i++;
                return b.toString();
            }
            int start = i;
            while (i < s.length() && ",}] \n\r\t".indexOf(s.charAt(i)) < 0) i++;
            String word = s.substring(start, i);
            return switch (word) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                case "null" -> null;
                default -> word.equals("NaN") ? Double.NaN : Double.parseDouble(word);
            };
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalArgumentException("expected '" + c + "' at character " + i);
            i++;
        }
    }
}
