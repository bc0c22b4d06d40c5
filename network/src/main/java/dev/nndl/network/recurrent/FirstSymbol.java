package dev.nndl.network.recurrent;

import java.util.Random;

/**
 * A memory task: a sequence of {@code steps} symbols out of {@code symbols}, one-hot, and its
 * label is the <i>first</i> symbol; the other symbols are random distractors. Only a model that
 * carries the first symbol through every later step can beat chance ({@code 1 / symbols}): a
 * feed-forward network looking at any one step, the last included, cannot, and a plain RNN finds
 * the gradient from step 0 vanishing over a long sequence (Bengio, Simard and Frasconi 1994) in a
 * way the LSTM's cell state was built to avoid (Hochreiter and Schmidhuber 1997).
 *
 * <p>A batch is time-major, as {@code RecurrentShape} lays sequences out: element
 * {@code (t, n, symbol)} at {@code (t * batch + n) * symbols + symbol}.
 */
public record FirstSymbol(int steps, int symbols) {

    public FirstSymbol {
        if (steps < 1) throw new IllegalArgumentException("a sequence needs at least 1 step, not " + steps);
        if (symbols < 2) throw new IllegalArgumentException("the task needs at least 2 symbols, not " + symbols);
    }

    /** A batch of sequences and their labels. */
    public record Batch(float[] x, int[] labels) {}

    /** {@code batch} fresh sequences from {@code random}. */
    public Batch draw(int batch, Random random) {
        float[] x = new float[steps * batch * symbols];
        int[] labels = new int[batch];
        for (int n = 0; n < batch; n++) {
            for (int t = 0; t < steps; t++) {
                int symbol = random.nextInt(symbols);
                if (t == 0) labels[n] = symbol;
                x[(t * batch + n) * symbols + symbol] = 1;
            }
        }
        return new Batch(x, labels);
    }

    /** The last step's inputs of {@code b}, {@code batch x symbols}: all a network without memory gets to see at the end. */
    public float[] lastStep(Batch b) {
        int batch = b.labels().length;
        float[] last = new float[batch * symbols];
        System.arraycopy(b.x(), (steps - 1) * batch * symbols, last, 0, last.length);
        return last;
    }
}
