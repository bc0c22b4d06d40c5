package dev.nndl.network.train;

import java.util.List;
import java.util.Locale;

/**
 * How the learning rate changes from epoch to epoch, as a function of the epochs so far: a resumed
 * run, whose checkpoint holds them, continues with the rate the uninterrupted run would have used.
 */
public sealed interface Schedule {

    /** The rate for the epoch after {@code history}, starting from {@code initial}. */
    float eta(float initial, List<Epoch> history);

    /** How {@link #parse} spells it: {@code constant}, {@code plateau:10:1}. */
    String spec();

    /** The same rate every epoch: Nielsen's ladder. */
    record Constant() implements Schedule {
        @Override
        public float eta(float initial, List<Epoch> history) {
            return initial;
        }

        @Override
        public String spec() {
            return "constant";
        }
    }

    /**
     * AlexNet's schedule (Krizhevsky et al. 2012, section 5, "divide the learning rate by 10 when
     * the validation error rate stopped improving"): divided by {@code factor} whenever validation
     * accuracy has not beaten its best for {@code patience} epochs in a row, counting afresh after
     * each division.
     */
    record DivideOnPlateau(float factor, int patience) implements Schedule {

        public DivideOnPlateau {
            if (!(factor > 1) || !Float.isFinite(factor)) throw new IllegalArgumentException("a plateau's factor must be above 1, not " + factor);
            if (patience < 1) throw new IllegalArgumentException("a plateau's patience must be at least 1 epoch, not " + patience);
        }

        @Override
        public float eta(float initial, List<Epoch> history) {
            double best = Double.NEGATIVE_INFINITY;
            int stale = 0, divisions = 0;
            for (Epoch e : history) {
                if (e.validationAccuracy() > best) {
                    best = e.validationAccuracy();
                    stale = 0;
                } else if (++stale == patience) {
                    divisions++;
                    stale = 0;
                }
            }
            return (float) (initial / Math.pow(factor, divisions));
        }

        @Override
        public String spec() {
            return String.format(Locale.ROOT, "plateau:%s:%d", factor == Math.rint(factor) ? String.valueOf((int) factor) : String.valueOf(factor), patience);
        }
    }

    /**
     * GoogLeNet's schedule (Szegedy et al. 2014, section 6: "decreasing the learning rate by 4% every
     * 8 epochs"): multiplied by {@code factor} after every {@code epochs} epochs, {@code step:0.96:8}.
     */
    record StepDecay(float factor, int epochs) implements Schedule {

        public StepDecay {
            if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("a step's factor must be above 0 and below 1, not " + factor);
            if (epochs < 1) throw new IllegalArgumentException("a step must last at least 1 epoch, not " + epochs);
        }

        @Override
        public float eta(float initial, List<Epoch> history) {
            return (float) (initial * Math.pow(factor, history.size() / epochs));
        }

        @Override
        public String spec() {
            return "step:" + factor + ":" + epochs;
        }
    }

    /**
     * {@code constant}, {@code plateau} (divide by 10 after 1 epoch without improvement),
     * {@code plateau:FACTOR:PATIENCE}, or {@code step:FACTOR:EPOCHS}.
     */
    static Schedule parse(String spec) {
        String[] parts = spec.strip().toLowerCase(Locale.ROOT).split(":", -1);
        try {
            if (parts[0].equals("constant") && parts.length == 1) return new Constant();
            if (parts[0].equals("plateau") && parts.length == 1) return new DivideOnPlateau(10, 1);
            if (parts[0].equals("plateau") && parts.length == 3) return new DivideOnPlateau(Float.parseFloat(parts[1]), Integer.parseInt(parts[2]));
            if (parts[0].equals("step") && parts.length == 3) return new StepDecay(Float.parseFloat(parts[1]), Integer.parseInt(parts[2]));
        } catch (IllegalArgumentException e) {
            // not numbers, or numbers out of range: the message below says what fits
        }
        throw new IllegalArgumentException("schedule '" + spec + "' is not constant, plateau, or plateau:FACTOR:PATIENCE "
                + "(FACTOR a number above 1, PATIENCE a whole number of epochs from 1; e.g. plateau:10:1), "
                + "or step:FACTOR:EPOCHS (eta times FACTOR, above 0 and below 1, every EPOCHS epochs; e.g. step:0.96:8)");
    }
}
