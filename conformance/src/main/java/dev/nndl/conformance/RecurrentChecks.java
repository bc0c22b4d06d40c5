package dev.nndl.conformance;

import static dev.nndl.conformance.Tolerance.EPS;
import static dev.nndl.conformance.Tolerance.FUNCTION_ULPS;
import static dev.nndl.conformance.Trial.inputs;
import static dev.nndl.conformance.Trial.overwritten;

import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;

/**
 * The contract for the recurrent cells. Their outputs feed back into later steps, so a subject's
 * rounding at step {@code t} reaches every later step; the tolerance of each output is a
 * first-order error bound propagated through the recursion, computed here step by step from the
 * reference's values:
 *
 * <ul>
 * <li>A sum of {@code K} terms rounds by {@link Tolerance#sum} ({@code K eps sum|terms|}), and
 *     an input that is itself off by {@code e} moves a weighted sum by {@code sum|w| e}.</li>
 * <li>{@code tanh} has slope at most 1 and the sigmoid at most 1/4; each evaluation adds
 *     {@link Tolerance#FUNCTION_ULPS} roundings (the sigmoid two more, for its addition and
 *     division).</li>
 * <li>A product of {@code m} factors, each off by {@code e_f}, is off by
 *     {@code sum_f e_f prod_{g != f} |g|} plus {@code m} roundings; {@code 1 - x^2} computed in
 *     float is off by at most {@code eps} absolutely (its rounding cancels).</li>
 * </ul>
 *
 * <p>The reference's own rounding (once per output) is inside these bounds. Backward passes get
 * the forward pass's states from the reference, so only their own roundings propagate.
 */
public final class RecurrentChecks {

    private RecurrentChecks() {}

    /** At least half the outputs of a random case are nonzero (the contract's trust check). */
    private static final double MOST = 0.5;
    /** Roundings of one sigmoid: the exp, the addition, the division. */
    private static final double SIGMOID_ULPS = FUNCTION_ULPS + 2;

    private static OpCheck<RecurrentShape> check(RecurrentShape.Cell cell, String direction, String tolerance, OpCheck.Body<RecurrentShape> body) {
        return new OpCheck<>(cell.name().toLowerCase(java.util.Locale.ROOT), direction, tolerance, Cases.recurrent(cell), OpCheck.Arithmetic.ROUNDED, s -> MOST, body);
    }

    /** Weights of a scale that keeps pre-activations around 1: uniform in +-2/sqrt(in + hidden). */
    private static float[] weights(Trial t, RecurrentShape s) {
        float a = (float) (2 / Math.sqrt(s.in() + s.hidden()));
        return t.data().between(s.weightSize(), -a, a);
    }

    // ---------------------------------------------------------------- RNN

    public static OpCheck<RecurrentShape> rnnForward() {
        return check(RecurrentShape.Cell.RNN, "forward", "per step: K = in + hidden + 1 terms, F + 1 for tanh, plus |Wh| times the previous step's bound",
                (t, s) -> {
            float[] x = t.data().signed(s.inputSize()), h0 = t.data().signed(s.stateSize()), w = weights(t, s);
            var o = t.run((k, out) -> k.rnnForward(out[0], x, h0, w, s), inputs(x, h0, w), overwritten(s.sequenceSize()));
            float[] h = o.ref()[0];
            double[] tol = new double[s.sequenceSize()];
            int hidden = s.hidden(), batch = s.n();
            for (int step = 0; step < s.steps(); step++) {
                for (int n = 0; n < batch; n++) {
                    int row = step * batch + n;
                    double[] m = magnitude(x, step == 0 ? h0 : h, step == 0 ? n : row - batch, w, s, row);
                    double[] carried = step == 0 ? new double[s.gateRows()] : recurrentTimes(w, s, tol, (row - batch) * hidden);
                    for (int j = 0; j < hidden; j++) {
                        double ez = Tolerance.sum(s.in() + hidden + 1, m[j]) + carried[j];
                        tol[row * hidden + j] = ez + (FUNCTION_ULPS + 1) * EPS * Math.abs(h[row * hidden + j]);
                    }
                }
            }
            t.compare("h", sequence(s), o.got()[0], h, tol);
        });
    }

    public static OpCheck<RecurrentShape> rnnBackward() {
        return check(RecurrentShape.Cell.RNN, "backward", "per step: dz = (dH + Wh^T dz') (1 - h^2) with the bound of each sum and product, "
                + "then K-term sums over steps for dX, dH0 and dW", (t, s) -> {
            float[] x = t.data().signed(s.inputSize()), h0 = t.data().signed(s.stateSize()), w = weights(t, s);
            float[] dH = t.data().signed(s.sequenceSize()), dW = t.data().signed(s.weightSize());
            float[] h = t.reference((k, out) -> k.rnnForward(out[0], x, h0, w, s), s.sequenceSize());
            var o = t.run((k, out) -> k.rnnBackward(out[0], out[1], out[2], dH, x, h0, h, w, s), inputs(dH, x, h0, h, w),
                    overwritten(s.inputSize()), overwritten(s.stateSize()), dW);
            int hidden = s.hidden(), batch = s.n(), rows = s.gateRows();
            // dz and its bound for every step, from the last back, in double
            double[] dz = new double[s.steps() * batch * rows], ez = new double[dz.length];
            for (int step = s.steps() - 1; step >= 0; step--) {
                for (int n = 0; n < batch; n++) {
                    int row = step * batch + n;
                    double[] later = new double[hidden], eLater = new double[hidden];
                    if (step < s.steps() - 1) laterGradient(w, s, dz, ez, row + batch, later, eLater);
                    for (int j = 0; j < hidden; j++) {
                        int e = row * hidden + j;
                        double g = dH[e] + later[j], eg = EPS * (Math.abs(dH[e]) + Math.abs(later[j])) + eLater[j];
                        double slope = 1 - (double) h[e] * h[e];
                        dz[e] = g * slope;
                        ez[e] = eg * slope + Math.abs(g) * EPS + EPS * Math.abs(dz[e]);
                    }
                }
            }
            compareGradients(t, s, o, dz, ez, x, h0, h, w, dW, null);
        });
    }

    // ---------------------------------------------------------------- LSTM

    public static OpCheck<RecurrentShape> lstmForward() {
        return check(RecurrentShape.Cell.LSTM, "forward", "per step: K = in + hidden + 1 terms per gate, sigmoid F + 2 (slope 1/4), tanh F + 1, "
                + "c = f c' + i g and h = o tanh(c) with the bound of each product, carried through time", (t, s) -> {
            float[] x = t.data().signed(s.inputSize()), h0 = t.data().signed(s.stateSize()), c0 = t.data().signed(s.stateSize()), w = weights(t, s);
            var o = t.run((k, out) -> k.lstmForward(out[0], out[1], out[2], x, h0, c0, w, s), inputs(x, h0, c0, w),
                    overwritten(s.sequenceSize()), overwritten(s.sequenceSize()), overwritten(s.gatesSize()));
            float[] h = o.ref()[0], c = o.ref()[1], gates = o.ref()[2];
            int hidden = s.hidden(), batch = s.n(), rows = s.gateRows();
            double[] eh = new double[s.sequenceSize()], ec = new double[s.sequenceSize()], eGates = new double[s.gatesSize()];
            for (int step = 0; step < s.steps(); step++) {
                for (int n = 0; n < batch; n++) {
                    int row = step * batch + n, prev = step == 0 ? n : row - batch;
                    float[] cPrev = step == 0 ? c0 : c;
                    double[] m = magnitude(x, step == 0 ? h0 : h, prev, w, s, row);
                    double[] carried = step == 0 ? new double[rows] : recurrentTimes(w, s, eh, prev * hidden);
                    for (int j = 0; j < hidden; j++) {
                        int gi = row * rows + j, gf = gi + hidden, gg = gi + 2 * hidden, go = gi + 3 * hidden, e = row * hidden + j;
                        double i = gates[gi], f = gates[gf], g = gates[gg], og = gates[go];
                        eGates[gi] = sigmoidBound(Tolerance.sum(s.in() + hidden + 1, m[j]) + carried[j], i);
                        eGates[gf] = sigmoidBound(Tolerance.sum(s.in() + hidden + 1, m[hidden + j]) + carried[hidden + j], f);
                        eGates[gg] = Tolerance.sum(s.in() + hidden + 1, m[2 * hidden + j]) + carried[2 * hidden + j] + (FUNCTION_ULPS + 1) * EPS * Math.abs(g);
                        eGates[go] = sigmoidBound(Tolerance.sum(s.in() + hidden + 1, m[3 * hidden + j]) + carried[3 * hidden + j], og);
                        double cp = cPrev[prev * hidden + j], ecp = step == 0 ? 0 : ec[prev * hidden + j];
                        ec[e] = Math.abs(cp) * eGates[gf] + Math.abs(f) * ecp + Math.abs(g) * eGates[gi] + Math.abs(i) * eGates[gg]
                                + 3 * EPS * (Math.abs(f * cp) + Math.abs(i * g)) + Tolerance.FLOOR;
                        double tc = Math.tanh(c[e]);
                        eh[e] = Math.abs(tc) * eGates[go] + Math.abs(og) * (ec[e] + (FUNCTION_ULPS + 1) * EPS * Math.abs(tc))
                                + 2 * EPS * Math.abs(h[e]) + Tolerance.FLOOR;
                    }
                }
            }
            t.compare("h", sequence(s), o.got()[0], h, eh);
            t.compare("c", sequence(s), o.got()[1], c, ec);
            t.compare("gates", TensorShape.of(s.steps() * batch, rows), o.got()[2], gates, eGates);
        });
    }

    public static OpCheck<RecurrentShape> lstmBackward() {
        return check(RecurrentShape.Cell.LSTM, "backward", "per step: the bound of every sum and product of gh, gc and the four dz, "
                + "carried through dh = Wh^T dz and dc = gc f; then K-term sums over steps for dX, dH0, dC0 and dW", (t, s) -> {
            float[] x = t.data().signed(s.inputSize()), h0 = t.data().signed(s.stateSize()), c0 = t.data().signed(s.stateSize()), w = weights(t, s);
            float[] dH = t.data().signed(s.sequenceSize()), dW = t.data().signed(s.weightSize());
            float[] h = new float[s.sequenceSize()], c = new float[s.sequenceSize()], gates = new float[s.gatesSize()];
            t.referenceInto(k -> k.lstmForward(h, c, gates, x, h0, c0, w, s));
            var o = t.run((k, out) -> k.lstmBackward(out[0], out[1], out[2], out[3], dH, x, h0, c0, h, c, gates, w, s),
                    inputs(dH, x, h0, c0, h, c, gates, w),
                    overwritten(s.inputSize()), overwritten(s.stateSize()), overwritten(s.stateSize()), dW);
            int hidden = s.hidden(), batch = s.n(), rows = s.gateRows();
            double[] dz = new double[s.gatesSize()], ez = new double[dz.length];
            double[] dc = new double[s.stateSize()], edc = new double[s.stateSize()];
            for (int step = s.steps() - 1; step >= 0; step--) {
                for (int n = 0; n < batch; n++) {
                    int row = step * batch + n, prev = step == 0 ? n : row - batch;
                    float[] cPrev = step == 0 ? c0 : c;
                    double[] dh = new double[hidden], edh = new double[hidden];
                    if (step < s.steps() - 1) laterGradient(w, s, dz, ez, row + batch, dh, edh);
                    for (int j = 0; j < hidden; j++) {
                        int e = row * hidden + j, gi = row * rows + j, gf = gi + hidden, gg = gi + 2 * hidden, go = gi + 3 * hidden, sj = n * hidden + j;
                        double i = gates[gi], f = gates[gf], g = gates[gg], og = gates[go], cp = cPrev[prev * hidden + j];
                        double tc = Math.tanh(c[e]), etc = (FUNCTION_ULPS + 1) * EPS * Math.abs(tc);
                        double gh = dH[e] + dh[j], egh = EPS * (Math.abs(dH[e]) + Math.abs(dh[j])) + edh[j];
                        double slope = 1 - tc * tc, eSlope = 2 * Math.abs(tc) * etc + EPS;
                        double carry = gh * og * slope;
                        double eCarry = egh * Math.abs(og) * slope + Math.abs(gh * og) * eSlope + 2 * EPS * Math.abs(carry);
                        double gc = dc[sj] + carry, egc = edc[sj] + eCarry + EPS * (Math.abs(dc[sj]) + Math.abs(carry));
                        dz[gi] = gc * g * i * (1 - i);
                        ez[gi] = egc * Math.abs(g * i * (1 - i)) + 4 * EPS * Math.abs(dz[gi]);
                        dz[gf] = gc * cp * f * (1 - f);
                        ez[gf] = egc * Math.abs(cp * f * (1 - f)) + 4 * EPS * Math.abs(dz[gf]);
                        dz[gg] = gc * i * (1 - g * g);
                        ez[gg] = egc * Math.abs(i) * (1 - g * g) + Math.abs(gc * i) * EPS + 3 * EPS * Math.abs(dz[gg]);
                        dz[go] = gh * tc * og * (1 - og);
                        ez[go] = (egh * Math.abs(tc) + Math.abs(gh) * etc) * Math.abs(og * (1 - og)) + 4 * EPS * Math.abs(dz[go]);
                        dc[sj] = gc * f;
                        edc[sj] = egc * Math.abs(f) + EPS * Math.abs(dc[sj]);
                    }
                }
            }
            double[] dC0 = new double[s.stateSize()];
            for (int e = 0; e < dC0.length; e++) dC0[e] = edc[e] + Tolerance.FLOOR;
            compareGradients(t, s, o, dz, ez, x, h0, h, w, dW, dC0);
        });
    }

    // ---------------------------------------------------------------- shared bounds

    /** {@code sum|terms|} of each pre-activation row of one sample: {@code |b| + |Wx| |x_t| + |Wh| |h_{t-1}|}. */
    private static double[] magnitude(float[] x, float[] hPrev, int prevRow, float[] w, RecurrentShape s, int row) {
        int in = s.in(), hidden = s.hidden();
        double[] m = new double[s.gateRows()];
        for (int r = 0; r < m.length; r++) {
            double sum = Math.abs(w[s.biasOffset() + r]);
            for (int i = 0; i < in; i++) sum += Math.abs((double) w[r * in + i] * x[row * in + i]);
            for (int k = 0; k < hidden; k++) sum += Math.abs((double) w[s.recurrentOffset() + r * hidden + k] * hPrev[prevRow * hidden + k]);
            m[r] = sum;
        }
        return m;
    }

    /** {@code |Wh| e} for the state bound {@code e} at {@code offset}: how far the previous step's error moves each pre-activation. */
    private static double[] recurrentTimes(float[] w, RecurrentShape s, double[] e, int offset) {
        int hidden = s.hidden();
        double[] out = new double[s.gateRows()];
        for (int r = 0; r < out.length; r++) {
            double sum = 0;
            for (int k = 0; k < hidden; k++) sum += Math.abs(w[s.recurrentOffset() + r * hidden + k]) * e[offset + k];
            out[r] = sum;
        }
        return out;
    }

    /**
     * What step {@code laterRow}'s {@code dz} sends back to the previous state, {@code Wh^T dz},
     * into {@code value}, and its bound into {@code bound}: a sum of {@code G*H} terms plus
     * {@code |Wh|^T} times the bound of {@code dz}.
     */
    private static void laterGradient(float[] w, RecurrentShape s, double[] dz, double[] ez, int laterRow, double[] value, double[] bound) {
        int hidden = s.hidden(), rows = s.gateRows();
        for (int k = 0; k < hidden; k++) {
            double sum = 0, magnitude = 0, carried = 0;
            for (int r = 0; r < rows; r++) {
                double wr = w[s.recurrentOffset() + r * hidden + k];
                sum += wr * dz[laterRow * rows + r];
                magnitude += Math.abs(wr * dz[laterRow * rows + r]);
                carried += Math.abs(wr) * ez[laterRow * rows + r];
            }
            value[k] = sum;
            bound[k] = Tolerance.sum(rows, magnitude) + carried;
        }
    }

    /** A sigmoid's output bound from its input's: slope at most 1/4, and its own roundings. */
    private static double sigmoidBound(double inputBound, double value) {
        return inputBound / 4 + SIGMOID_ULPS * EPS * Math.abs(value) + Tolerance.FLOOR;
    }

    /**
     * Compares {@code dX}, {@code dH0} (and the LSTM's {@code dC0}, whose bound the caller gives)
     * and the accumulated {@code dW}, each a sum over the pre-activation gradients {@code dz}
     * (bounds {@code ez}): {@code dX_t = Wx^T dz_t}, {@code dH0 = Wh^T dz_0}, and
     * {@code dW = prior + sum_t dz_t [x_t, h_{t-1}, 1]^T} summed over {@code steps * N} terms.
     */
    private static void compareGradients(Trial t, RecurrentShape s, Trial.Outputs o, double[] dz, double[] ez, float[] x, float[] h0,
                                         float[] h, float[] w, float[] prior, double[] dC0Bound) {
        int hidden = s.hidden(), batch = s.n(), rows = s.gateRows(), in = s.in(), all = s.steps() * batch;
        double[] eX = new double[s.inputSize()];
        for (int q = 0; q < all; q++) {
            for (int i = 0; i < in; i++) {
                double magnitude = 0, carried = 0;
                for (int r = 0; r < rows; r++) {
                    magnitude += Math.abs(w[r * in + i] * dz[q * rows + r]);
                    carried += Math.abs(w[r * in + i]) * ez[q * rows + r];
                }
                eX[q * in + i] = Tolerance.sum(rows, magnitude) + carried;
            }
        }
        double[] eH0 = new double[s.stateSize()];
        for (int n = 0; n < batch; n++) {
            double[] value = new double[hidden], bound = new double[hidden];
            laterGradient(w, s, dz, ez, n, value, bound);
            System.arraycopy(bound, 0, eH0, n * hidden, hidden);
        }
        double[] eW = new double[s.weightSize()];
        for (int r = 0; r < rows; r++) {
            for (int col = 0; col < in + hidden + 1; col++) {
                double magnitude = 0, carried = 0;
                for (int q = 0; q < all; q++) {
                    double operand = col < in ? x[q * in + col] : col < in + hidden ? (q < batch ? h0[q * hidden + col - in] : h[(q - batch) * hidden + col - in]) : 1;
                    magnitude += Math.abs(dz[q * rows + r] * operand);
                    carried += ez[q * rows + r] * Math.abs(operand);
                }
                int e = col < in ? r * in + col : col < in + hidden ? s.recurrentOffset() + r * hidden + col - in : s.biasOffset() + r;
                eW[e] = Tolerance.sum(all + 1, magnitude + Math.abs(prior[e])) + carried;
            }
        }
        int last = o.ref().length - 1;
        t.compare("dX", TensorShape.of(all, in), o.got()[0], o.ref()[0], eX);
        t.compare("dH0", TensorShape.of(batch, hidden), o.got()[1], o.ref()[1], eH0);
        if (dC0Bound != null) t.compare("dC0", TensorShape.of(batch, hidden), o.got()[2], o.ref()[2], dC0Bound);
        t.compare("dW (accumulated)", TensorShape.of(1, s.weightSize()), o.got()[last], o.ref()[last], eW);
    }

    private static TensorShape sequence(RecurrentShape s) {
        return TensorShape.of(s.steps() * s.n(), s.hidden());
    }
}
