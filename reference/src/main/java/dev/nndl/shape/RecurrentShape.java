package dev.nndl.shape;

import static dev.nndl.shape.ConvArithmetic.requireAtLeast;

/**
 * A recurrent layer run over a sequence: {@code steps} time steps of a mini-batch of {@code n}
 * samples, {@code in} input features and {@code hidden} units, with a plain RNN cell or an LSTM
 * cell.
 *
 * <p><b>Layouts.</b> Sequences are time-major: element {@code (t, n, j)} of an input {@code x}
 * ({@code steps x n x in}) or a hidden-state sequence {@code h} ({@code steps x n x hidden}) is at
 * {@code (t * N + n) * F + j}, {@code N} the batch and {@code F} the features. The initial states {@code h0}, {@code c0} are
 * {@code n x hidden}. The weights are one array, as cuDNN packs them:
 * {@code w = [Wx (G*hidden x in), Wh (G*hidden x hidden), b (G*hidden)]}, row-major, where
 * {@code G} is the cell's number of gates (1 for the RNN; 4 for the LSTM, rows in the order
 * input, forget, candidate, output: PyTorch's i, f, g, o).
 */
public record RecurrentShape(Cell cell, int steps, int n, int in, int hidden) {

    /** The cell, and how many gate blocks its weights have. */
    public enum Cell {
        RNN(1), LSTM(4);

        private final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        public int gates() {
            return gates;
        }
    }

    public RecurrentShape {
        if (cell == null) throw new IllegalArgumentException("cell is null; RNN or LSTM");
        requireAtLeast("steps", steps, 1);
        requireAtLeast("n", n, 1);
        requireAtLeast("in", in, 1);
        requireAtLeast("hidden", hidden, 1);
        Sizes.product("RecurrentShape input steps*n*in", steps, n, in);
        Sizes.product("RecurrentShape gates steps*n*G*hidden", steps, n, cell.gates(), hidden);
        Sizes.product("RecurrentShape weights G*hidden*(in+hidden+1)", cell.gates(), hidden, in + hidden + 1);
    }

    public static RecurrentShape rnn(int steps, int n, int in, int hidden) {
        return new RecurrentShape(Cell.RNN, steps, n, in, hidden);
    }

    public static RecurrentShape lstm(int steps, int n, int in, int hidden) {
        return new RecurrentShape(Cell.LSTM, steps, n, in, hidden);
    }

    /** Rows of the weight matrices: {@code G * hidden}. */
    public int gateRows() {
        return cell.gates() * hidden;
    }

    /** {@code x}, {@code dX}: {@code steps x n x in}. */
    public int inputSize() { return steps * n * in; }
    /** {@code h}, {@code c}, {@code dH}: {@code steps x n x hidden}. */
    public int sequenceSize() { return steps * n * hidden; }
    /** {@code h0}, {@code c0}, {@code dH0}, {@code dC0}: {@code n x hidden}. */
    public int stateSize() { return n * hidden; }
    /** The LSTM's activated gates, {@code steps x n x 4*hidden}. */
    public int gatesSize() { return steps * n * gateRows(); }
    /** {@code w}, {@code dW}: {@code G*hidden*(in + hidden + 1)}. */
    public int weightSize() { return gateRows() * (in + hidden + 1); }
    /** Where {@code Wh} starts in {@code w}. */
    public int recurrentOffset() { return gateRows() * in; }
    /** Where {@code b} starts in {@code w}. */
    public int biasOffset() { return gateRows() * (in + hidden); }

    /**
     * Multiply-adds of the forward pass, {@code steps * n * G*hidden * (in + hidden)}; the backward
     * pass has twice as many (the gradients of the inputs and states, and of the weights).
     */
    public long macs() {
        return (long) steps * n * gateRows() * (in + hidden);
    }

    public RecurrentShape withSteps(int steps) {
        return new RecurrentShape(cell, steps, n, in, hidden);
    }

    @Override
    public String toString() {
        return cell.name().toLowerCase(java.util.Locale.ROOT) + "_t" + steps + "_n" + n + "_in" + in + "_h" + hidden;
    }
}
