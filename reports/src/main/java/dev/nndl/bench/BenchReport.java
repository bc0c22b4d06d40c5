package dev.nndl.bench;

import dev.nndl.plot.Canvas;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark report for people: a PNG bar chart per operation (backends side by side per shape
 * and direction, GFLOP/s on a log scale, JMH's error as bars) and a markdown summary of every row.
 */
public final class BenchReport {

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};
    private static final int TOP = 70, PLOT_H = 320, LEFT = 80, BAR = 16;

    private BenchReport() {}

    /** Writes {@code chart-OP.png} for each operation and {@code benchmarks.md} into {@code dir}; returns the files written. */
    public static List<Path> write(Path dir, List<BenchCsv.Row> rows) throws IOException {
        Map<String, List<BenchCsv.Row>> byOp = new LinkedHashMap<>();
        for (BenchCsv.Row r : rows) if (!r.op().equals("fma-peak")) byOp.computeIfAbsent(r.op(), o -> new ArrayList<>()).add(r);
        List<Path> written = new ArrayList<>();
        for (var e : byOp.entrySet()) {
            Path chart = dir.resolve("chart-" + e.getKey() + ".png");
            Files.write(chart, chart(e.getKey(), e.getValue()));
            written.add(chart);
        }
        Path md = dir.resolve("benchmarks.md");
        Files.writeString(md, markdown(rows, byOp));
        written.add(md);
        return written;
    }

    static byte[] chart(String op, List<BenchCsv.Row> rows) throws IOException {
        List<String> backends = rows.stream().map(BenchCsv.Row::backend).distinct().toList();
        Map<String, Map<String, BenchCsv.Row>> groups = new LinkedHashMap<>();
        for (BenchCsv.Row r : rows) groups.computeIfAbsent(r.shapeName() + "\n" + r.direction(), g -> new LinkedHashMap<>()).put(r.backend(), r);
        int groupWidth = backends.size() * BAR + 24, width = Math.max(800, LEFT + groups.size() * groupWidth + 30);
        BufferedImage image = new BufferedImage(width, TOP + PLOT_H + 90, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        BenchCsv.Row first = rows.getFirst();
        Canvas.title(g, op + ": GFLOP/s per shape and backend (log scale)",
                first.machine() + ", " + first.jdk() + ", commit " + first.commit() + "; error bars: JMH's 99.9 % interval");
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        for (BenchCsv.Row r : rows) {
            if (r.gflops() > 0) {
                lo = Math.min(lo, low(r));
                hi = Math.max(hi, high(r));
            }
        }
        double decadeLo = Math.floor(Math.log10(Math.max(lo, 1e-6))), decadeHi = Math.ceil(Math.log10(Math.max(hi, 1e-6)));
        if (decadeHi == decadeLo) decadeHi++;
        int x0 = LEFT, plotW = width - LEFT - 30;
        for (double d = decadeLo; d <= decadeHi; d++) {
            int y = y(Math.pow(10, d), decadeLo, decadeHi);
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(x0, y, x0 + plotW, y);
            g.setColor(Color.DARK_GRAY);
            String label = Math.pow(10, d) >= 1 ? String.format(Locale.ROOT, "%,.0f", Math.pow(10, d)) : String.format(Locale.ROOT, "%.0e", Math.pow(10, d));
            g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        g.drawRect(x0, TOP, plotW, PLOT_H);
        int gx = x0 + 12;
        for (var group : groups.entrySet()) {
            for (int b = 0; b < backends.size(); b++) {
                BenchCsv.Row r = group.getValue().get(backends.get(b));
                if (r == null || !(r.gflops() > 0)) continue;
                int x = gx + b * BAR, y = y(r.gflops(), decadeLo, decadeHi);
                g.setColor(PALETTE[b % PALETTE.length]);
                g.fillRect(x, y, BAR - 3, TOP + PLOT_H - y);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1.2f));
                int yLow = y(low(r), decadeLo, decadeHi), yHigh = y(high(r), decadeLo, decadeHi), mid = x + (BAR - 3) / 2;
                g.drawLine(mid, yLow, mid, yHigh);
                g.drawLine(mid - 3, yLow, mid + 3, yLow);
                g.drawLine(mid - 3, yHigh, mid + 3, yHigh);
            }
            String[] label = group.getKey().split("\n");
            g.setColor(Color.BLACK);
            double centre = gx + backends.size() * BAR / 2.0;
            Canvas.centered(g, label[0], centre, TOP + PLOT_H + 16);
            Canvas.centered(g, label[1], centre, TOP + PLOT_H + 30);
            gx += groupWidth;
        }
        for (int b = 0; b < backends.size(); b++) {
            g.setColor(PALETTE[b % PALETTE.length]);
            g.fillRect(x0 + 10 + b * 110, TOP + PLOT_H + 50, 14, 10);
            g.setColor(Color.BLACK);
            g.drawString(backends.get(b), x0 + 30 + b * 110, TOP + PLOT_H + 60);
        }
        return Canvas.png(image);
    }

    /** GFLOP/s at the slow end of JMH's interval (time + error). */
    private static double low(BenchCsv.Row r) {
        return r.gflops() * r.score() / (r.score() + r.error());
    }

    /** GFLOP/s at the fast end (time - error; the interval may reach zero time, so capped at ten times the score). */
    private static double high(BenchCsv.Row r) {
        double fastest = r.score() - r.error();
        return fastest > r.score() / 10 ? r.gflops() * r.score() / fastest : r.gflops() * 10;
    }

    private static int y(double gflops, double decadeLo, double decadeHi) {
        double t = (Math.log10(gflops) - decadeLo) / (decadeHi - decadeLo);
        return (int) Math.round(TOP + PLOT_H - Math.max(0, Math.min(1, t)) * PLOT_H);
    }

    static String markdown(List<BenchCsv.Row> rows, Map<String, List<BenchCsv.Row>> byOp) {
        StringBuilder md = new StringBuilder("# Benchmarks\n\n");
        if (!rows.isEmpty()) {
            BenchCsv.Row first = rows.getFirst();
            md.append(String.format(Locale.ROOT, "%s, commit %s, %s, Java %s.%n%n", first.timestamp(), first.commit(), first.machine(), first.jdk()));
        }
        for (BenchCsv.Row r : rows) {
            if (r.op().equals("fma-peak")) {
                md.append(String.format(Locale.ROOT, "Peak FP32 FMA rate, %d thread%s: %.1f GFLOP/s.  %n", r.threads(), r.threads() == 1 ? "" : "s", r.gflops()));
            }
        }
        for (var e : byOp.entrySet()) {
            md.append("\n## ").append(e.getKey()).append("\n\n![").append(e.getKey()).append("](chart-").append(e.getKey()).append(".png)\n\n");
            md.append("| shape | direction | backend | time (us) | GFLOP/s | % of peak | x reference | conformance |\n");
            md.append("|---|---|---|---:|---:|---:|---:|---|\n");
            for (BenchCsv.Row r : e.getValue()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %.4g ± %.2g | %.3g | %s | %s | %s |%n", r.shapeName(), r.direction(), r.backend(),
                        r.score(), r.error(), r.gflops(), Double.isNaN(r.pctPeak()) ? "" : String.format(Locale.ROOT, "%.1f", r.pctPeak()),
                        Double.isNaN(r.speedupVsReference()) ? "" : String.format(Locale.ROOT, "%.1f", r.speedupVsReference()), r.conformance()));
            }
        }
        return md.toString();
    }
}
