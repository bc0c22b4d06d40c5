package dev.nndl.network.train;

import dev.nndl.network.Network;
import dev.nndl.network.layer.ConvLayer;
import dev.nndl.network.layer.ConvPoolLayer;
import dev.nndl.network.layer.DenseLayer;
import dev.nndl.network.layer.Layer;
import dev.nndl.network.layer.RecurrentLayer;
import dev.nndl.plot.Canvas;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.RecurrentShape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The run's pictures, drawn with Java2D (headless) into PNG bytes. */
final class Plots {

    private static final Color VALIDATION = new Color(0x1f77b4), TEST = new Color(0xd62728), NIELSEN = new Color(0x555555), GRID = new Color(0xe6e6e6);
    private static final int WIDTH = 800, LEFT = 70, RIGHT = 30;

    private Plots() {}

    /** Validation and test accuracy per epoch against the published test accuracy (top), and the training cost (bottom). */
    static byte[] learningCurve(Plan plan, List<Epoch> history) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, 620, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        Canvas.title(g, plan.model().id() + ": " + plan.model().change(), String.format(Locale.ROOT, "eta %s, lambda %s, mini-batch %d, seed %d; best validation epoch %d: test %.2f %%",
                plan.eta(), plan.lambda(), plan.batch(), plan.seed(), Trainer.best(history).epoch(), Trainer.best(history).testAccuracy()));
        double published = plan.model().publishedAccuracy();
        double lo = history.stream().mapToDouble(e -> Math.min(e.validationAccuracy(), e.testAccuracy())).min().orElse(0);
        double hi = history.stream().mapToDouble(e -> Math.max(e.validationAccuracy(), e.testAccuracy())).max().orElse(100);
        if (!Double.isNaN(published)) {
            lo = Math.min(lo, published);
            hi = Math.max(hi, published);
        }
        Axes top = new Axes(LEFT, 70, WIDTH - LEFT - RIGHT, 330, 1, Math.max(plan.epochs(), history.size()), Math.floor(lo - 0.25), Math.min(100, Math.ceil(hi + 0.25)));
        top.draw(g, "epoch", "accuracy (%)");
        if (!Double.isNaN(published)) {
            top.horizontal(g, published, NIELSEN, String.format(Locale.ROOT, "%s's test accuracy %.2f %%", plan.model().publishedBy(), published));
        }
        top.series(g, history, Epoch::validationAccuracy, VALIDATION);
        top.series(g, history, Epoch::testAccuracy, TEST);
        legend(g, LEFT + 15, 90, new String[] {"validation", "test"}, new Color[] {VALIDATION, TEST});
        double maxCost = history.stream().mapToDouble(Epoch::trainCost).max().orElse(1);
        Axes bottom = new Axes(LEFT, 450, WIDTH - LEFT - RIGHT, 120, 1, Math.max(plan.epochs(), history.size()), 0, maxCost * 1.1);
        bottom.draw(g, "epoch", "training cost");
        bottom.series(g, history, Epoch::trainCost, NIELSEN);
        return Canvas.png(image);
    }

    /**
     * The first layer's weights as pictures: each conv filter (5x5), for v0 the first 20 hidden
     * units' 28x28 input weights, for a recurrent layer the first 20 units' input weights per gate. Colour is the weight on one scale for all tiles: red positive,
     * blue negative, white zero.
     */
    static byte[] firstLayer(Network network, String model) throws IOException {
        Layer first = network.layers().getFirst();
        network.kernels().download(first.parameters().getFirst().value());
        float[] w = first.parameters().getFirst().value();
        int count, rows, cols, channels = 1;
        String what;
        ConvShape conv = first instanceof ConvPoolLayer c ? c.shape() : first instanceof ConvLayer c ? c.shape() : null;
        if (conv != null) {
            count = conv.oc();
            rows = conv.kh();
            cols = conv.kw();
            channels = conv.cPerGroup();
            what = count + " filters of the first convolution, " + rows + "x" + cols + (channels == 3 ? " in colour" : "");
        } else if (first instanceof RecurrentLayer recurrent) {
            // tile j: hidden unit j's input weights, a row per gate (i, f, g, o for the LSTM), a column per input feature
            RecurrentShape s = recurrent.shape();
            count = Math.min(20, s.hidden());
            rows = s.cell().gates();
            cols = s.in();
            float[] tiles = new float[count * rows * cols];
            for (int j = 0; j < count; j++) {
                for (int g = 0; g < rows; g++) System.arraycopy(w, (g * s.hidden() + j) * cols, tiles, (j * rows + g) * cols, cols);
            }
            w = tiles;
            what = "input weights of the first " + count + " hidden units, a row per gate" + (rows == 1 ? "" : " (i, f, g, o)") + ", a column per input";
        } else {
            DenseLayer dense = (DenseLayer) first;
            count = Math.min(20, dense.shape().out());
            rows = 28;
            cols = dense.shape().in() / 28;
            what = "input weights of the first " + count + " hidden units, " + rows + "x" + cols;
        }
        int scale = Math.max(1, 80 / Math.max(rows, cols)), tile = rows * scale, gap = 8, perRow = 10;
        int width = Math.max(WIDTH, perRow * (cols * scale + gap) + 2 * gap), gridRows = (count + perRow - 1) / perRow;
        BufferedImage image = new BufferedImage(width, 80 + gridRows * (tile + gap) + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        Canvas.title(g, model + ": learned weights of the first layer", what
                + (channels == 3 ? "; grey zero, each channel's weight its colour's brightness" : "; red positive, blue negative"));
        double max = 1e-12;
        for (int e = 0; e < count * channels * rows * cols; e++) max = Math.max(max, Math.abs(w[e]));
        int plane = rows * cols;
        for (int f = 0; f < count; f++) {
            int x0 = gap + (f % perRow) * (cols * scale + gap), y0 = 70 + (f / perRow) * (tile + gap);
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    int e = f * channels * plane + r * cols + c;
                    // three input channels are drawn as the colour they weigh, as Krizhevsky et al.'s figure 3 shows conv1; otherwise the first channel
                    g.setColor(channels == 3 ? new Color(grey(w[e] / max), grey(w[e + plane] / max), grey(w[e + 2 * plane] / max)) : diverging(w[e] / max));
                    g.fillRect(x0 + c * scale, y0 + r * scale, scale, scale);
                }
            }
        }
        return Canvas.png(image);
    }

    /** A weight in [-1, 1] as a brightness, 0 at mid-grey. */
    private static int grey(double v) {
        return (int) Math.round(127.5 + 127.5 * Math.max(-1, Math.min(1, v)));
    }

    /** Each rung's test accuracy (filled) next to Nielsen's (hollow). */
    static byte[] ladder(List<RunFiles.ResultRow> rows) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        Canvas.title(g, "Nielsen's ladder: test accuracy at the best validation epoch", "filled: trained with nndl; hollow: Nielsen's network3; under each rung its epochs");
        double lo = 100, hi = 0;
        for (RunFiles.ResultRow r : rows) {
            lo = Math.min(lo, Math.min(r.testAccuracy(), r.publishedAccuracy()));
            hi = Math.max(hi, Math.max(r.testAccuracy(), r.publishedAccuracy()));
        }
        Axes axes = new Axes(LEFT, 70, WIDTH - LEFT - RIGHT, 340, 0, rows.size() + 1, Math.floor(lo - 0.25), Math.min(100, Math.ceil(hi + 0.25)));
        axes.frame(g, "accuracy (%)");
        for (int i = 0; i < rows.size(); i++) {
            RunFiles.ResultRow r = rows.get(i);
            double x = axes.x(i + 1);
            g.setColor(Color.BLACK);
            Canvas.centered(g, r.model(), x, axes.y0 + axes.h + 18);
            Canvas.centered(g, r.epochs() + " ep.", x, axes.y0 + axes.h + 34);
            g.setColor(NIELSEN);
            g.draw(new Ellipse2D.Double(x + 4, axes.y(r.publishedAccuracy()) - 5, 10, 10));
            g.setColor(TEST);
            g.fill(new Ellipse2D.Double(x - 14, axes.y(r.testAccuracy()) - 5, 10, 10));
            // left of the dot: above it, the label ran into Nielsen's circle where his figure was a little higher
            String label = String.format(Locale.ROOT, "%.2f", r.testAccuracy());
            g.drawString(label, (float) (x - 18 - g.getFontMetrics().stringWidth(label)), (float) (axes.y(r.testAccuracy()) + 4));
        }
        return Canvas.png(image);
    }

    /** One model trained from several seeds: each seed's validation (hollow) and test (filled) accuracy, and the test accuracies' mean. */
    static byte[] seeds(List<RunFiles.ResultRow> rows) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        double mean = rows.stream().mapToDouble(RunFiles.ResultRow::testAccuracy).average().orElseThrow();
        double sd = Math.sqrt(rows.stream().mapToDouble(r -> (r.testAccuracy() - mean) * (r.testAccuracy() - mean)).sum() / Math.max(1, rows.size() - 1));
        Canvas.title(g, String.format(Locale.ROOT, "%s from %d seeds: accuracy at the best validation epoch", rows.getFirst().model(), rows.size()),
                String.format(Locale.ROOT, "filled: test, hollow: validation; the line: mean test accuracy %.2f %% (standard deviation %.2f)", mean, sd));
        double lo = 100, hi = 0;
        for (RunFiles.ResultRow r : rows) {
            lo = Math.min(lo, Math.min(r.testAccuracy(), r.validationAccuracy()));
            hi = Math.max(hi, Math.max(r.testAccuracy(), r.validationAccuracy()));
        }
        Axes axes = new Axes(LEFT, 70, WIDTH - LEFT - RIGHT, 340, 0, rows.size() + 1, Math.floor(lo - 0.25), Math.min(100, Math.ceil(hi + 0.25)));
        axes.frame(g, "accuracy (%)");
        g.setColor(TEST);
        g.drawLine(axes.x0, (int) axes.y(mean), axes.x0 + axes.w, (int) axes.y(mean));
        for (int i = 0; i < rows.size(); i++) {
            RunFiles.ResultRow r = rows.get(i);
            double x = axes.x(i + 1);
            g.setColor(Color.BLACK);
            Canvas.centered(g, "seed " + r.seed(), x, axes.y0 + axes.h + 18);
            Canvas.centered(g, r.epochs() + " ep.", x, axes.y0 + axes.h + 34);
            g.setColor(VALIDATION);
            g.draw(new Ellipse2D.Double(x + 4, axes.y(r.validationAccuracy()) - 5, 10, 10));
            g.setColor(TEST);
            g.fill(new Ellipse2D.Double(x - 14, axes.y(r.testAccuracy()) - 5, 10, 10));
            Canvas.centered(g, String.format(Locale.ROOT, "%.2f", r.testAccuracy()), x - 9, axes.y(r.testAccuracy()) - 10);
        }
        return Canvas.png(image);
    }

    /** A plot area mapping data coordinates to pixels. */
    private record Axes(int x0, int y0, int w, int h, double xMin, double xMax, double yMin, double yMax) {
        double x(double v) {
            return x0 + (xMax == xMin ? w / 2.0 : (v - xMin) / (xMax - xMin) * w);
        }

        double y(double v) {
            return y0 + h - (yMax == yMin ? h / 2.0 : (v - yMin) / (yMax - yMin) * h);
        }

        /** Frame, horizontal grid with labels, and a y label. */
        void frame(Graphics2D g, String yLabel) {
            double step = Canvas.niceStep(yMax - yMin);
            for (double v = Math.ceil(yMin / step) * step; v <= yMax + 1e-9; v += step) {
                g.setColor(GRID);
                g.drawLine(x0, (int) y(v), x0 + w, (int) y(v));
                g.setColor(Color.DARK_GRAY);
                String label = step < 1 ? String.format(Locale.ROOT, "%.2f", v) : String.format(Locale.ROOT, "%.0f", v);
                g.drawString(label, x0 - 8 - g.getFontMetrics().stringWidth(label), (int) y(v) + 4);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(x0, y0, w, h);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(yLabel, -(y0 + h / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), x0 - 52);
            rotated.dispose();
        }

        /** {@link #frame} plus integer x ticks and an x label. */
        void draw(Graphics2D g, String xLabel, String yLabel) {
            frame(g, yLabel);
            double step = Math.max(1, Canvas.niceStep(xMax - xMin));
            Canvas.centered(g, String.format(Locale.ROOT, "%.0f", xMin), x(xMin), y0 + h + 16);
            for (double v = Math.ceil((xMin + step / 2) / step) * step; v <= xMax + 1e-9; v += step) {
                Canvas.centered(g, String.format(Locale.ROOT, "%.0f", v), x(v), y0 + h + 16);
            }
            Canvas.centered(g, xLabel, x0 + w / 2.0, y0 + h + 32);
        }

        void horizontal(Graphics2D g, double v, Color color, String label) {
            Graphics2D dashed = (Graphics2D) g.create();
            dashed.setColor(color);
            dashed.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            dashed.drawLine(x0, (int) y(v), x0 + w, (int) y(v));
            dashed.drawString(label, x0 + w - dashed.getFontMetrics().stringWidth(label) - 6, (int) y(v) - 6);
            dashed.dispose();
        }

        void series(Graphics2D g, List<Epoch> history, ToDoubleFunction<Epoch> value, Color color) {
            g.setColor(color);
            g.setStroke(new BasicStroke(2f));
            Path2D line = new Path2D.Double();
            for (Epoch e : history) {
                double px = x(e.epoch()), py = y(value.applyAsDouble(e));
                if (line.getCurrentPoint() == null) line.moveTo(px, py);
                else line.lineTo(px, py);
                if (history.size() <= 60) g.fill(new Ellipse2D.Double(px - 3, py - 3, 6, 6));
            }
            g.draw(line);
            g.setStroke(new BasicStroke(1f));
        }
    }

    private static Color diverging(double t) {
        t = Math.max(-1, Math.min(1, t));
        int fade = (int) Math.round(255 * (1 - Math.abs(t)));
        return t >= 0 ? new Color(255, fade, fade) : new Color(fade, fade, 255);
    }

    private static void legend(Graphics2D g, int x, int y, String[] names, Color[] colors) {
        for (int i = 0; i < names.length; i++) {
            g.setColor(colors[i]);
            g.fillRect(x, y + i * 18, 14, 4);
            g.setColor(Color.BLACK);
            g.drawString(names[i], x + 20, y + i * 18 + 6);
        }
    }

    /** The confusion matrix as a grid: each cell its count, shaded by its share of the label's images (the diagonal blue, the rest red). */
    static byte[] confusion(Evaluation e) throws IOException {
        int k = e.classes(), cell = Math.max(28, Math.min(60, 560 / k)), left = 90, top = 110;
        int[][] counts = e.confusion();
        BufferedImage image = new BufferedImage(Math.max(WIDTH, left + k * cell + 40), top + k * cell + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        int total = e.predictions().classes().length;
        Canvas.title(g, e.model() + " on the " + e.set() + " set: confusion matrix", String.format(Locale.ROOT,
                "%,d images, %.2f %% right; row: the label, column: the answer; shade: share of the label's images", total, e.predictions().accuracy()));
        g.setColor(Color.DARK_GRAY);
        Canvas.centered(g, "answer", left + k * cell / 2.0, top - 24);
        g.drawString("label", 20, top + k * cell / 2);
        for (int i = 0; i < k; i++) {
            g.setColor(Color.DARK_GRAY);
            Canvas.centered(g, String.valueOf(i), left + (i + 0.5) * cell, top - 6);
            g.drawString(String.valueOf(i), left - 20, top + i * cell + cell / 2 + 5);
            int row = java.util.Arrays.stream(counts[i]).sum();
            for (int j = 0; j < k; j++) {
                double share = row == 0 ? 0 : (double) counts[i][j] / row;
                Color hue = i == j ? VALIDATION : TEST;
                g.setColor(mix(Color.WHITE, hue, i == j ? share : Math.min(1, 5 * share)));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(GRID);
                g.drawRect(left + j * cell, top + i * cell, cell, cell);
                if (counts[i][j] > 0) {
                    g.setColor(i == j && share > 0.5 ? Color.WHITE : Color.BLACK);
                    Canvas.centered(g, String.valueOf(counts[i][j]), left + (j + 0.5) * cell, top + i * cell + cell / 2.0 + 5);
                }
            }
        }
        return Canvas.png(image);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t), (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /** The wrongly answered {@code images} (28 x 28 greys), most confident first, each under its answer, label and probability. */
    static byte[] wrong(Evaluation e, List<Integer> images) throws IOException {
        int perRow = 10, scale = 3, side = 28, tile = side * scale, gapX = 12, gapY = 34;
        int rows = Math.max(1, (images.size() + perRow - 1) / perRow);
        BufferedImage image = new BufferedImage(Math.max(WIDTH, perRow * (tile + gapX) + gapX), 80 + rows * (tile + gapY), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Canvas.white(image);
        Canvas.title(g, e.model() + " on the " + e.set() + " set: the " + images.size() + " images it got wrong most confidently",
                "under each: answer (probability) / label, and the image's number in the set");
        float[] x = new float[e.images().size()];
        for (int n = 0; n < images.size(); n++) {
            int i = images.get(n), x0 = gapX + (n % perRow) * (tile + gapX), y0 = 64 + (n / perRow) * (tile + gapY);
            e.images().copy(i, 1, x, dev.nndl.network.data.Samples.EVALUATION);
            for (int r = 0; r < side && r * side < x.length; r++) {
                for (int c = 0; c < side && r * side + c < x.length; c++) {
                    int v = (int) Math.round(255 * (1 - Math.max(0, Math.min(1, x[r * side + c]))));
                    g.setColor(new Color(v, v, v));
                    g.fillRect(x0 + c * scale, y0 + r * scale, scale, scale);
                }
            }
            g.setColor(TEST);
            g.drawString(String.format(Locale.ROOT, "%d (%.0f%%) / %d", e.predictions().classes()[i], 100 * e.confidence(i), e.predictions().labels()[i]), x0, y0 + tile + 14);
            g.setColor(Color.GRAY);
            g.drawString("#" + i, x0, y0 + tile + 28);
        }
        if (images.isEmpty()) {
            g.setColor(Color.DARK_GRAY);
            g.drawString("none: every image was answered right", gapX, 90);
        }
        return Canvas.png(image);
    }
}
