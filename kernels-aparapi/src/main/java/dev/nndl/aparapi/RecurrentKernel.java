package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * The recurrent cells, one launch per time step and three more for the gradients over all steps.
 *
 * <p>A step's work-items each own one hidden unit of one sample ({@code n, j}): forward, the unit's
 * pre-activations (one for the RNN, four gates for the LSTM) read the step's input and the
 * previous step's states, which the previous launch wrote; backward, the unit's gradient reads
 * what every pre-activation of the next step sends back ({@code Wh^T dz_{t+1}}), which the
 * previous launch wrote, and writes its own {@code dz} (and, for the LSTM, its cell-state
 * gradient, which only it reads). No work-item reads what another writes in the same launch, so
 * no barriers and no atomics. The gradients of the inputs, the initial state and the weights are
 * then gathers: each work-item sums one output over the gates, or over every step and sample.
 *
 * <p>Why not the tiled multiply: at the sizes recurrent layers run here (16 to 64 hidden units,
 * batches of 10 to 32), a step's product has a few hundred outputs, too few to fill a 16 x 64
 * block; a work-item per output, reading its weight row, is simpler and no slower on PoCL.
 * Layouts are {@code RecurrentShape}'s; the formulas {@code KernelSet}'s.
 */
final class RecurrentKernel extends Kernel {

    static final int RNN_STEP = 0, LSTM_STEP = 1, RNN_STEP_BACK = 2, LSTM_STEP_BACK = 3;
    static final int INPUT_GRADIENT = 4, STATE_GRADIENT = 5, WEIGHT_GRADIENT = 6;

    int op;
    /** Inputs and states; {@code out} is dX, dH0 or dW. */
    float[] x = new float[1], h0 = new float[1], c0 = new float[1], w = new float[1], h = new float[1], c = new float[1];
    float[] gates = new float[1], dH = new float[1], dz = new float[1], dc = new float[1], out = new float[1];
    /** The step a step launch computes; the shape; work-items of this launch. */
    int step, steps, batch, in, hidden, rows, recurrentOffset, biasOffset, size;

    @Override
    public void run() {
        int id = getGlobalId(0);
        if (id < size) {
            if (op == RNN_STEP) {
                int n = id / hidden, j = id % hidden;
                h[(step * batch + n) * hidden + j] = tanh(preActivation(n, j));
            } else if (op == LSTM_STEP) {
                lstmStep(id / hidden, id % hidden);
            } else if (op == RNN_STEP_BACK) {
                int n = id / hidden, j = id % hidden, e = (step * batch + n) * hidden + j;
                float g = dH[e] + later(n, j);
                dz[(step * batch + n) * rows + j] = g * (1f - h[e] * h[e]);
            } else if (op == LSTM_STEP_BACK) {
                lstmStepBack(id / hidden, id % hidden);
            } else if (op == INPUT_GRADIENT) {
                // dX[q, i] = sum_r Wx[r, i] dz[q, r]
                int q = id / in, i = id % in;
                float sum = 0f;
                for (int r = 0; r < rows; r++) sum += w[r * in + i] * dz[q * rows + r];
                out[id] = sum;
            } else if (op == STATE_GRADIENT) {
                // dH0[n, k] = sum_r Wh[r, k] dz_0[n, r]
                int n = id / hidden, k = id % hidden;
                float sum = 0f;
                for (int r = 0; r < rows; r++) sum += w[recurrentOffset + r * hidden + k] * dz[n * rows + r];
                out[id] = sum;
            } else {
                out[id] = out[id] + weightGradient(id);
            }
        }
    }

    /** {@code z[r] = b[r] + Wx[r, :] x_t + Wh[r, :] h_{t-1}} for sample {@code n}. */
    private float preActivation(int n, int r) {
        int row = step * batch + n;
        float sum = w[biasOffset + r];
        for (int i = 0; i < in; i++) sum += w[r * in + i] * x[row * in + i];
        for (int k = 0; k < hidden; k++) sum += w[recurrentOffset + r * hidden + k] * previous(n, k);
        return sum;
    }

    /** {@code h_{t-1}[n, k]}: {@code h0} before the first step. */
    private float previous(int n, int k) {
        float v = 0f;
        if (step == 0) {
            v = h0[n * hidden + k];
        } else {
            v = h[((step - 1) * batch + n) * hidden + k];
        }
        return v;
    }

    private float previousCell(int n, int j) {
        float v = 0f;
        if (step == 0) {
            v = c0[n * hidden + j];
        } else {
            v = c[((step - 1) * batch + n) * hidden + j];
        }
        return v;
    }

    private float sigmoid(float z) {
        return 1f / (1f + exp(-z));
    }

    private void lstmStep(int n, int j) {
        int row = step * batch + n, e = row * hidden + j, g0 = row * rows + j;
        float i = sigmoid(preActivation(n, j)), f = sigmoid(preActivation(n, hidden + j));
        float g = tanh(preActivation(n, 2 * hidden + j)), o = sigmoid(preActivation(n, 3 * hidden + j));
        float ct = f * previousCell(n, j) + i * g;
        c[e] = ct;
        h[e] = o * tanh(ct);
        gates[g0] = i;
        gates[g0 + hidden] = f;
        gates[g0 + 2 * hidden] = g;
        gates[g0 + 3 * hidden] = o;
    }

    /** What step {@code t+1} sends back to {@code h_t[n, j]}: {@code sum_r Wh[r, j] dz_{t+1}[n, r]}; nothing after the last step. */
    private float later(int n, int j) {
        float sum = 0f;
        if (step < steps - 1) {
            int next = ((step + 1) * batch + n) * rows;
            for (int r = 0; r < rows; r++) sum += w[recurrentOffset + r * hidden + j] * dz[next + r];
        }
        return sum;
    }

    private void lstmStepBack(int n, int j) {
        int row = step * batch + n, e = row * hidden + j, g0 = row * rows + j, s = n * hidden + j;
        float i = gates[g0], f = gates[g0 + hidden], g = gates[g0 + 2 * hidden], o = gates[g0 + 3 * hidden];
        float tc = tanh(c[e]);
        float gh = dH[e] + later(n, j);
        float carried = 0f;
        if (step < steps - 1) carried = dc[s];
        float gc = carried + gh * o * (1f - tc * tc);
        dz[g0] = gc * g * i * (1f - i);
        dz[g0 + hidden] = gc * previousCell(n, j) * f * (1f - f);
        dz[g0 + 2 * hidden] = gc * i * (1f - g * g);
        dz[g0 + 3 * hidden] = gh * tc * o * (1f - o);
        dc[s] = gc * f;
    }

    /** {@code sum_q dz[q, r] * operand(q)} for weight {@code e}: the input for Wx, the previous state for Wh, 1 for b. */
    private float weightGradient(int e) {
        float sum = 0f;
        int all = steps * batch;
        if (e < recurrentOffset) {
            int r = e / in, i = e % in;
            for (int q = 0; q < all; q++) sum += dz[q * rows + r] * x[q * in + i];
        } else if (e < biasOffset) {
            int r = (e - recurrentOffset) / hidden, k = (e - recurrentOffset) % hidden;
            for (int q = 0; q < batch; q++) sum += dz[q * rows + r] * h0[q * hidden + k];
            for (int q = batch; q < all; q++) sum += dz[q * rows + r] * h[(q - batch) * hidden + k];
        } else {
            int r = e - biasOffset;
            for (int q = 0; q < all; q++) sum += dz[q * rows + r];
        }
        return sum;
    }
}
