package dev.nndl.network.recurrent;

import dev.nndl.network.data.Samples;
import java.util.Random;

/**
 * A memory task: a sequence of {@code steps} symbols out of {@code symbols}, one-hot, and its
 * label is the <i>first</i> symbol; the other symbols are random distractors. Only a model that
 * carries the first symbol through every later step can beat chance ({@code 1 / symbols}): a
 * feed-forward network looking at any one step, the last included, cannot, and a plain RNN finds
 * the gradient from step 0 vanishing over a long sequence (Bengio, Simard and Frasconi 1994) in a
 * way the LSTM's cell state was built to avoid (Hochreiter and Schmidhuber 1997).
 */
public record FirstSymbol(int steps, int symbols) {

    /** The most symbols: a sequence keeps each in a byte. */
    public static final int MAX_SYMBOLS = 256;

    public FirstSymbol {
        if (steps < 1) throw new IllegalArgumentException("a sequence needs at least 1 step, not " + steps);
        if (symbols < 2 || symbols > MAX_SYMBOLS) throw new IllegalArgumentException("the task takes 2 to " + MAX_SYMBOLS + " symbols, not " + symbols);
    }

    /** {@code count} sequences drawn from {@code seed}: the same seed, the same sequences. */
    public Sequences sequences(int count, long seed) {
        if (count < 1) throw new IllegalArgumentException("a set needs at least 1 sequence, not " + count);
        Random random = new Random(seed);
        byte[] drawn = new byte[Math.multiplyExact(count, steps)];
        for (int e = 0; e < drawn.length; e++) drawn[e] = (byte) random.nextInt(symbols);
        return new Sequences(drawn, count);
    }

    /**
     * A fixed set of sequences as samples of {@code steps x symbols}, a one-hot row per step:
     * symbol {@code v} at step {@code t} of sample {@code i} is a 1 at {@code (i * steps + t) * symbols + v}.
     */
    public final class Sequences implements Samples {
        private final byte[] drawn;
        private final int count;

        private Sequences(byte[] drawn, int count) {
            this.drawn = drawn;
            this.count = count;
        }

        /** The task the sequences are drawn for. */
        public FirstSymbol task() {
            return FirstSymbol.this;
        }

        /** Symbol {@code t} of sequence {@code i}. */
        public int symbol(int i, int t) {
            return drawn[i * steps + t] & 0xff;
        }

        @Override
        public int count() {
            return count;
        }

        /** The first symbol. */
        @Override
        public int label(int i) {
            return symbol(i, 0);
        }

        @Override
        public int size() {
            return steps * symbols;
        }

        @Override
        public String noun() {
            return "sequence";
        }

        /** The same every step: the sequences are fixed once drawn. */
        @Override
        public void copy(int first, int n, float[] x, long step) {
            java.util.Arrays.fill(x, 0, n * size(), 0);
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < steps; t++) x[(i * steps + t) * symbols + symbol(first + i, t)] = 1;
            }
        }
    }
}
