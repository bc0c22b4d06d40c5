package dev.nndl.cli;

import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.Epoch;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.Trainer;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Reports training as it goes: on a terminal a bar per epoch, redrawn in place, with images per
 * second and the time left; elsewhere (a log file) a line per fifth of an epoch. After each epoch a
 * line with its cost and accuracies.
 */
final class ProgressBar implements Trainer.Listener {

    private static final int WIDTH = 30;
    private final PrintWriter out;
    private final boolean terminal;
    private final String label;
    private long lastDraw;
    private int lastFifth;

    ProgressBar(PrintWriter out, String label) {
        this.out = out;
        this.terminal = System.console() != null && System.console().isTerminal();
        this.label = label;
    }

    @Override
    public void started(Plan plan, int firstEpoch, Checkpoint checkpoint) {
        if (checkpoint != null) {
            out.printf(Locale.ROOT, "%s: resumed after epoch %d of %d%n", label, checkpoint.epochs(), plan.epochs());
        }
        if (firstEpoch > plan.epochs()) out.printf("%s: already trained for %d epochs%n", label, plan.epochs());
        out.flush();
    }

    @Override
    public void progress(Plan plan, int epoch, long images, long total, double imagesPerSecond) {
        long now = System.nanoTime();
        if (terminal) {
            if (now - lastDraw < 100_000_000L && images < total) return;
            lastDraw = now;
            int filled = (int) (WIDTH * images / total);
            String bar = "=".repeat(filled) + (filled < WIDTH ? ">" + " ".repeat(WIDTH - filled - 1) : "");
            out.printf(Locale.ROOT, "\r%s epoch %d/%d [%s] %3d%% %,d/%,d  %,.0f img/s  %s left ", label, epoch, plan.epochs(), bar,
                    100 * images / total, images, total, imagesPerSecond, clock((total - images) / imagesPerSecond));
            out.flush();
        } else {
            int fifth = (int) (5 * images / total);
            if (images == (long) plan.batch()) lastFifth = 0;
            if (fifth > lastFifth && fifth < 5) {
                lastFifth = fifth;
                out.printf(Locale.ROOT, "%s epoch %d/%d: %d%% of %,d images, %,.0f img/s, %s left in the epoch%n", label, epoch, plan.epochs(),
                        20 * fifth, total, imagesPerSecond, clock((total - images) / imagesPerSecond));
                out.flush();
            }
        }
    }

    @Override
    public void epoch(Plan plan, Epoch e, boolean best) {
        if (terminal) out.print("\r" + " ".repeat(110) + "\r");
        out.printf(Locale.ROOT, "%s epoch %d/%d: cost %.4f, validation %.2f %%, test %.2f %%, %,.0f img/s (%.0f s + %.0f s scoring)%s%n", label, e.epoch(),
                plan.epochs(), e.trainCost(), e.validationAccuracy(), e.testAccuracy(), e.imagesPerSecond(), e.trainSeconds(), e.evalSeconds(),
                best ? "  best validation so far" : "");
        out.flush();
    }

    static String clock(double seconds) {
        if (!Double.isFinite(seconds)) return "?";
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
