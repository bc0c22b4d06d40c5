package dev.nndl.network.recurrent;

import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.Networks;
import dev.nndl.network.data.Mnist;
import dev.nndl.shape.Architecture;
import dev.nndl.shape.Layer;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.spi.KernelSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sequence classifier trained on {@link FirstSymbol}: an RNN or LSTM layer of {@code hidden}
 * units over {@code steps} one-hot symbols of {@code symbols}, and a softmax layer on its last
 * hidden state naming the first symbol. Its id says all of that: {@code lstm} is an LSTM of
 * {@value #HIDDEN} units over {@value #STEPS} steps of {@value #SYMBOLS} symbols, and
 * {@code lstm-h32-t50-s4} (any of the three parts, in any order) changes the hidden units, steps
 * or symbols; {@link #id} writes only the parts that differ from those defaults, in that order.
 *
 * <p>The data is fixed by the task: {@value #TRAINING} training, {@value #VALIDATION} validation
 * and {@value #TEST} test sequences, each set drawn from a seed of its own ({@link #sets}), so
 * that a checkpoint's model id is enough to draw its test set again.
 *
 * <p>The recipe: SGD with momentum 0.9 on mini-batches of 32, eta 0.5, the gradient's norm
 * clipped to 1 (Pascanu, Mikolov and Bengio 2013), 10 epochs, no L2 (the recurrent layer's one
 * parameter array holds its biases too, and {@code --lambda} would decay them).
 */
public record RecurrentModel(RecurrentShape.Cell cell, int hidden, int steps, int symbols) implements Model {

    public static final int HIDDEN = 64, STEPS = 20, SYMBOLS = 8;
    public static final int MAX_HIDDEN = 1024, MAX_STEPS = 1000, MAX_SYMBOLS = FirstSymbol.MAX_SYMBOLS;
    public static final int TRAINING = 10_000, VALIDATION = 2_000, TEST = 2_000;
    /** The seeds of the training, validation and test sequences. */
    static final long TRAINING_SEED = 1, VALIDATION_SEED = 2, TEST_SEED = 3;
    /** The largest norm of a step's gradient. */
    public static final float CLIP = 1;

    private static final Pattern ID = Pattern.compile("(lstm|rnn)((?:-[hts][0-9]{1,9})*)");
    private static final Pattern PART = Pattern.compile("-([hts])([0-9]+)");

    public RecurrentModel {
        if (cell == null) throw new IllegalArgumentException("a recurrent model needs a cell, RNN or LSTM");
        String problem = problem(hidden, steps, symbols);
        if (problem != null) throw new IllegalArgumentException(problem);
    }

    /** The default LSTM or RNN: {@code lstm}, {@code rnn}. */
    public static RecurrentModel of(RecurrentShape.Cell cell) {
        return new RecurrentModel(cell, HIDDEN, STEPS, SYMBOLS);
    }

    /** What is wrong with these sizes, naming the first one out of range and its range; null if nothing is. */
    public static String problem(int hidden, int steps, int symbols) {
        if (hidden < 1 || hidden > MAX_HIDDEN) return "hidden " + hidden + ": use 1 to " + MAX_HIDDEN + " units";
        if (steps < 1 || steps > MAX_STEPS) return "steps " + steps + ": use 1 to " + MAX_STEPS + " time steps";
        if (symbols < 2 || symbols > MAX_SYMBOLS) return "symbols " + symbols + ": use 2 to " + MAX_SYMBOLS + " symbols";
        return null;
    }

    /**
     * The model {@code id} names, {@code lstm} or {@code rnn} with {@code -hHIDDEN}, {@code -tSTEPS}
     * and {@code -sSYMBOLS} where they differ from the defaults; empty for an id of another model.
     */
    public static Optional<Model> parse(String id) {
        Matcher m = ID.matcher(id.toLowerCase(Locale.ROOT));
        if (!m.matches()) return Optional.empty();
        int[] sizes = {HIDDEN, STEPS, SYMBOLS};
        boolean[] seen = new boolean[3];
        Matcher part = PART.matcher(m.group(2));
        while (part.find()) {
            int i = "hts".indexOf(part.group(1));
            if (seen[i]) throw new IllegalArgumentException("model " + id + " gives -" + part.group(1) + " twice; give each of -hHIDDEN, -tSTEPS, -sSYMBOLS once");
            seen[i] = true;
            sizes[i] = Integer.parseInt(part.group(2));
        }
        String problem = problem(sizes[0], sizes[1], sizes[2]);
        if (problem != null) throw new IllegalArgumentException("model " + id + ": " + problem);
        return Optional.of(new RecurrentModel(RecurrentShape.Cell.valueOf(m.group(1).toUpperCase(Locale.ROOT)), sizes[0], sizes[1], sizes[2]));
    }

    /** This model with other sizes. */
    public RecurrentModel with(int hidden, int steps, int symbols) {
        return new RecurrentModel(cell, hidden, steps, symbols);
    }

    @Override
    public String id() {
        return cell.name().toLowerCase(Locale.ROOT) + (hidden == HIDDEN ? "" : "-h" + hidden) + (steps == STEPS ? "" : "-t" + steps)
                + (symbols == SYMBOLS ? "" : "-s" + symbols);
    }

    @Override
    public String change() {
        return String.format(Locale.ROOT, "%s of %d units over %d steps of %d symbols, softmax on the last state: names the first symbol (chance %.2f %%)",
                cell == RecurrentShape.Cell.LSTM ? "LSTM" : "RNN", hidden, steps, symbols, 100.0 / symbols);
    }

    /** Sequences of one-hot symbols it generates, not pictures: nndl predict refuses it. */
    @Override
    public Input reads() {
        return new Input.Other("sequences of " + symbols() + " one-hot symbols, " + steps() + " steps long");
    }

    @Override public float eta() { return 0.5f; }
    @Override public float lambda() { return 0; }
    @Override public int epochs() { return 10; }
    @Override public int batch() { return 32; }
    @Override public float momentum() { return 0.9f; }
    @Override public boolean expanded() { return false; }
    /** Nothing is published for this task. */
    @Override public double publishedAccuracy() { return Double.NaN; }
    @Override public String publishedBy() { return ""; }

    /** The task the model is trained on. */
    public FirstSymbol task() {
        return new FirstSymbol(steps, symbols);
    }

    /** The training, validation and test sequences, each set drawn from its own seed. */
    public List<FirstSymbol.Sequences> sets() {
        FirstSymbol task = task();
        return List.of(task.sequences(TRAINING, TRAINING_SEED), task.sequences(VALIDATION, VALIDATION_SEED), task.sequences(TEST, TEST_SEED));
    }

    /** A sequence as {@code 1 x steps x symbols}, the recurrent layer {@code lstm} or {@code rnn}, the softmax {@code fc}: PyTorch's names. */
    @Override
    public Architecture architecture() {
        String name = cell.name().toLowerCase(Locale.ROOT);
        return new Architecture(id(), change(), new Layer.Dims(1, steps, symbols),
                List.of(new Layer.Recurrent(name, cell, hidden), new Layer.FullyConnected("fc", symbols, "softmax")));
    }

    @Override
    public Network build(KernelSet k, int batch, long seed) {
        return Networks.of(architecture(), k, batch, seed, CLIP);
    }

    @Override
    public Mnist.Splits data(Mnist.Splits splits) {
        throw new UnsupportedOperationException(id() + " trains on generated sequences (sets()), not MNIST");
    }

    @Override
    public String toString() {
        return id();
    }
}
