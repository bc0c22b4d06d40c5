package dev.nndl.cpu;

import static dev.nndl.cpu.VectorMath.SPECIES;

import dev.nndl.shape.RecurrentShape;
import dev.nndl.spi.Recurrent;
import jdk.incubator.vector.FloatVector;

/**
 * The recurrent layers as matrix multiplies on {@link Gemm} plus per-step element-wise loops,
 * the way cuDNN schedules them: the input projection {@code Wx x_t} of every step is one multiply
 * of {@code (steps*N) x in} by {@code in x G*H} before the recursion starts, leaving only the
 * recurrent product {@code Wh h_{t-1}} ({@code N x H} by {@code H x G*H}) inside it. Backward, the
 * recursion computes every step's pre-activation gradient {@code dz_t}; the gradients of the
 * inputs and of both weight matrices are then each one multiply over all steps.
 *
 * <p>Why: the per-step multiplies are small (at the test task's shape, 32 x 64 by 16 deep), so
 * every product that does not depend on the recursion moves out of it; at Zaremba et al.'s
 * shape that leaves half the FLOPs inside the sequential loop. The gate arithmetic runs a vector
 * of hidden units at a time, its sigmoids and tanhs {@link VectorMath}'s (deterministic, like
 * everything in this backend).
 *
 * <p>Layouts and formulas are {@link RecurrentShape}'s and {@link Recurrent}'s; {@code z} below is
 * a scratch array of every step's pre-activations, {@code steps*N x G*H}.
 */
final class CpuRecurrent implements Recurrent {

    private final Parallel parallel;

    CpuRecurrent(Parallel parallel) {
        this.parallel = parallel;
    }

    @Override
    public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
        int rows = s.gateRows(), hidden = s.hidden(), batch = s.n();
        float[] z = inputProjection(x, w, s, parallel);
        for (int t = 0; t < s.steps(); t++) {
            recurrentProduct(z, t, t == 0 ? h0 : h, t == 0 ? 0 : (t - 1) * batch * hidden, w, s, parallel);
            for (int n = 0; n < batch; n++) {
                int zr = (t * batch + n) * rows, hr = (t * batch + n) * hidden, b = s.biasOffset(), j = 0;
                for (; j < SPECIES.loopBound(hidden); j += SPECIES.length()) {
                    VectorMath.tanh(load(z, zr + j).add(load(w, b + j))).intoArray(h, hr + j);
                }
                for (; j < hidden; j++) h[hr + j] = VectorMath.tanh(z[zr + j] + w[b + j]);
            }
        }
    }

    @Override
    public void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w,
                            RecurrentShape s) {
        int hidden = s.hidden(), batch = s.n();
        float[] dz = Workspace.array("recurrent dz", s, s.steps() * batch * hidden);
        float[] fromLater = Workspace.array("recurrent dh", s, batch * hidden);
        for (int t = s.steps() - 1; t >= 0; t--) {
            // what reaches h_t from step t+1: dz_{t+1} Wh (nothing after the last step)
            if (t < s.steps() - 1) stateGradient(fromLater, dz, t + 1, w, s, parallel);
            for (int e = 0; e < batch * hidden; e++) {
                int at = t * batch * hidden + e;
                float g = dH[at] + (t < s.steps() - 1 ? fromLater[e] : 0);
                dz[at] = g * (1 - h[at] * h[at]);
            }
        }
        stateGradient(dH0, dz, 0, w, s, parallel);
        weightsAndInputs(dX, dW, dz, x, h0, h, w, s, parallel);
    }

    @Override
    public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
        int rows = s.gateRows(), hidden = s.hidden(), batch = s.n(), b = s.biasOffset();
        float[] z = inputProjection(x, w, s, parallel);
        for (int t = 0; t < s.steps(); t++) {
            recurrentProduct(z, t, t == 0 ? h0 : h, t == 0 ? 0 : (t - 1) * batch * hidden, w, s, parallel);
            float[] cPrev = t == 0 ? c0 : c;
            for (int n = 0; n < batch; n++) {
                int zr = (t * batch + n) * rows, hr = (t * batch + n) * hidden, pr = (t == 0 ? n : (t - 1) * batch + n) * hidden, j = 0;
                for (; j < SPECIES.loopBound(hidden); j += SPECIES.length()) {
                    FloatVector i = VectorMath.sigmoid(load(z, zr + j).add(load(w, b + j)));
                    FloatVector f = VectorMath.sigmoid(load(z, zr + hidden + j).add(load(w, b + hidden + j)));
                    FloatVector g = VectorMath.tanh(load(z, zr + 2 * hidden + j).add(load(w, b + 2 * hidden + j)));
                    FloatVector o = VectorMath.sigmoid(load(z, zr + 3 * hidden + j).add(load(w, b + 3 * hidden + j)));
                    FloatVector ct = f.mul(load(cPrev, pr + j)).add(i.mul(g));
                    ct.intoArray(c, hr + j);
                    o.mul(VectorMath.tanh(ct)).intoArray(h, hr + j);
                    i.intoArray(gates, zr + j);
                    f.intoArray(gates, zr + hidden + j);
                    g.intoArray(gates, zr + 2 * hidden + j);
                    o.intoArray(gates, zr + 3 * hidden + j);
                }
                for (; j < hidden; j++) {
                    float i = VectorMath.sigmoid(z[zr + j] + w[b + j]), f = VectorMath.sigmoid(z[zr + hidden + j] + w[b + hidden + j]);
                    float g = VectorMath.tanh(z[zr + 2 * hidden + j] + w[b + 2 * hidden + j]);
                    float o = VectorMath.sigmoid(z[zr + 3 * hidden + j] + w[b + 3 * hidden + j]);
                    float ct = f * cPrev[pr + j] + i * g;
                    c[hr + j] = ct;
                    h[hr + j] = o * VectorMath.tanh(ct);
                    gates[zr + j] = i;
                    gates[zr + hidden + j] = f;
                    gates[zr + 2 * hidden + j] = g;
                    gates[zr + 3 * hidden + j] = o;
                }
            }
        }
    }

    @Override
    public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                             float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        int rows = s.gateRows(), hidden = s.hidden(), batch = s.n();
        float[] dz = Workspace.array("recurrent dz", s, s.steps() * batch * rows);
        float[] dh = Workspace.array("recurrent dh", s, batch * hidden);
        // dc carries from step to step; it starts at zero after the last step
        java.util.Arrays.fill(dC0, 0);
        for (int t = s.steps() - 1; t >= 0; t--) {
            if (t < s.steps() - 1) stateGradient(dh, dz, t + 1, w, s, parallel);
            float[] cPrev = t == 0 ? c0 : c;
            boolean last = t == s.steps() - 1;
            for (int n = 0; n < batch; n++) {
                int zr = (t * batch + n) * rows, hr = (t * batch + n) * hidden, pr = (t == 0 ? n : (t - 1) * batch + n) * hidden, j = 0;
                for (; j < SPECIES.loopBound(hidden); j += SPECIES.length()) {
                    FloatVector i = load(gates, zr + j), f = load(gates, zr + hidden + j), g = load(gates, zr + 2 * hidden + j), o = load(gates, zr + 3 * hidden + j);
                    FloatVector tc = VectorMath.tanh(load(c, hr + j)), one = FloatVector.broadcast(SPECIES, 1f);
                    FloatVector gh = last ? load(dH, hr + j) : load(dH, hr + j).add(load(dh, n * hidden + j));
                    FloatVector gc = load(dC0, n * hidden + j).add(gh.mul(o).mul(one.sub(tc.mul(tc))));
                    gc.mul(g).mul(i).mul(one.sub(i)).intoArray(dz, zr + j);
                    gc.mul(load(cPrev, pr + j)).mul(f).mul(one.sub(f)).intoArray(dz, zr + hidden + j);
                    gc.mul(i).mul(one.sub(g.mul(g))).intoArray(dz, zr + 2 * hidden + j);
                    gh.mul(tc).mul(o).mul(one.sub(o)).intoArray(dz, zr + 3 * hidden + j);
                    gc.mul(f).intoArray(dC0, n * hidden + j);
                }
                for (; j < hidden; j++) {
                    float i = gates[zr + j], f = gates[zr + hidden + j], g = gates[zr + 2 * hidden + j], o = gates[zr + 3 * hidden + j];
                    float tc = VectorMath.tanh(c[hr + j]);
                    float gh = last ? dH[hr + j] : dH[hr + j] + dh[n * hidden + j];
                    float gc = dC0[n * hidden + j] + gh * o * (1 - tc * tc);
                    dz[zr + j] = gc * g * i * (1 - i);
                    dz[zr + hidden + j] = gc * cPrev[pr + j] * f * (1 - f);
                    dz[zr + 2 * hidden + j] = gc * i * (1 - g * g);
                    dz[zr + 3 * hidden + j] = gh * tc * o * (1 - o);
                    dC0[n * hidden + j] = gc * f;
                }
            }
        }
        stateGradient(dH0, dz, 0, w, s, parallel);
        weightsAndInputs(dX, dW, dz, x, h0, h, w, s, parallel);
    }

    /** {@code z (steps*N x G*H) = x (steps*N x in) Wx^T}, into a scratch array; biases are added per step. */
    private static float[] inputProjection(float[] x, float[] w, RecurrentShape s, Parallel parallel) {
        int rows = s.gateRows(), all = s.steps() * s.n();
        float[] z = Workspace.array("recurrent z", s, all * rows);
        Gemm.multiply(all, rows, s.in(), Gemm.dense(x, 0, s.in(), 1), Gemm.dense(w, 0, s.in(), 1), Gemm.dense(z, 0, rows), false, parallel);
        return z;
    }

    /** {@code z_t += h_{t-1} Wh^T}: {@code N x H} by {@code H x G*H}, {@code h_{t-1}} at {@code offset} of {@code hPrev}. */
    private static void recurrentProduct(float[] z, int t, float[] hPrev, int offset, float[] w, RecurrentShape s, Parallel parallel) {
        int rows = s.gateRows(), hidden = s.hidden();
        Gemm.multiply(s.n(), rows, hidden, Gemm.dense(hPrev, offset, hidden, 1), Gemm.dense(w, s.recurrentOffset(), hidden, 1),
                Gemm.dense(z, t * s.n() * rows, rows), true, parallel);
    }

    /** {@code into (N x H) = dz_t Wh}: {@code N x G*H} by {@code G*H x H}, what step {@code t} sends back to {@code h_{t-1}}. */
    private static void stateGradient(float[] into, float[] dz, int t, float[] w, RecurrentShape s, Parallel parallel) {
        int rows = s.gateRows(), hidden = s.hidden();
        Gemm.multiply(s.n(), hidden, rows, Gemm.dense(dz, t * s.n() * rows, rows, 1), Gemm.dense(w, s.recurrentOffset(), 1, hidden),
                Gemm.dense(into, 0, hidden), false, parallel);
    }

    /**
     * The products over all steps at once: {@code dX = dz Wx}, {@code dWx += dz^T x},
     * {@code dWh += dz^T h_prev} (the states one step back: {@code h0}, then {@code h} shifted by a
     * step) and {@code db += } the column sums of {@code dz}.
     */
    private static void weightsAndInputs(float[] dX, float[] dW, float[] dz, float[] x, float[] h0, float[] h, float[] w,
                                         RecurrentShape s, Parallel parallel) {
        int rows = s.gateRows(), hidden = s.hidden(), in = s.in(), all = s.steps() * s.n();
        Gemm.multiply(all, in, rows, Gemm.dense(dz, 0, rows, 1), Gemm.dense(w, 0, 1, in), Gemm.dense(dX, 0, in), false, parallel);
        Gemm.multiply(rows, in, all, Gemm.dense(dz, 0, 1, rows), Gemm.dense(x, 0, 1, in), Gemm.dense(dW, 0, in), true, parallel);
        float[] hPrev = Workspace.array("recurrent h_prev", s, all * hidden);
        System.arraycopy(h0, 0, hPrev, 0, s.stateSize());
        System.arraycopy(h, 0, hPrev, s.stateSize(), (s.steps() - 1) * s.stateSize());
        Gemm.multiply(rows, hidden, all, Gemm.dense(dz, 0, 1, rows), Gemm.dense(hPrev, 0, 1, hidden),
                Gemm.dense(dW, s.recurrentOffset(), hidden), true, parallel);
        for (int r = 0; r < rows; r++) {
            float sum = 0;
            for (int q = 0; q < all; q++) sum += dz[q * rows + r];
            dW[s.biasOffset() + r] += sum;
        }
    }

    private static FloatVector load(float[] a, int offset) {
        return FloatVector.fromArray(SPECIES, a, offset);
    }
}
