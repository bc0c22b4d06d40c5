package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Operations that reduce along one row: softmax and its gradient, the three costs and the
 * log-likelihood from logits (one row per sample), and the bias gradient (one row per channel,
 * across samples and pixels). One work-item per row sums its row in float; the rows are
 * independent, so no work-item waits for another.
 */
final class RowKernel extends Kernel {

    static final int SOFTMAX_FORWARD = 0, SOFTMAX_BACKWARD = 1, LOG_LIKELIHOOD = 2, QUADRATIC = 3, CROSS_ENTROPY = 4, BIAS_BACKWARD = 5,
            LOG_SOFTMAX_LIKELIHOOD = 6;

    int op;
    /** Inputs {@code a}, {@code b}; the output {@code out}. */
    float[] a = new float[1], b = new float[1], out = new float[1];
    /** Rows, and the length of each (features; for the bias: samples, channels and plane size). */
    int rows, features, samples, plane;

    @Override
    public void run() {
        int r = getGlobalId(0);
        if (r < rows) {
            int base = r * features;
            if (op == SOFTMAX_FORWARD) {
                float top = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < features; j++) top = max(top, a[base + j]);
                float sum = 0f;
                for (int j = 0; j < features; j++) sum += exp(a[base + j] - top);
                for (int j = 0; j < features; j++) out[base + j] = exp(a[base + j] - top) / sum;
            } else if (op == SOFTMAX_BACKWARD) {
                // a = dOut, b = out: dIn = out * (dOut - sum_k dOut_k out_k)
                float inner = 0f;
                for (int j = 0; j < features; j++) inner += a[base + j] * b[base + j];
                for (int j = 0; j < features; j++) out[base + j] = b[base + j] * (a[base + j] - inner);
            } else if (op == LOG_LIKELIHOOD) {
                float sum = 0f;
                for (int j = 0; j < features; j++) {
                    if (b[base + j] != 0f) sum -= b[base + j] * log(a[base + j]);
                }
                out[r] = sum;
            } else if (op == LOG_SOFTMAX_LIKELIHOOD) {
                // a = z (logits), b = y: sum_j y_j ((max - z_j) + ln sum_k exp(z_k - max))
                float top = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < features; j++) top = max(top, a[base + j]);
                float sum = 0f;
                for (int j = 0; j < features; j++) sum += exp(a[base + j] - top);
                float logSum = log(sum), cost = 0f;
                for (int j = 0; j < features; j++) {
                    if (b[base + j] != 0f) cost += b[base + j] * ((top - a[base + j]) + logSum);
                }
                out[r] = cost;
            } else if (op == QUADRATIC) {
                float sum = 0f;
                for (int j = 0; j < features; j++) {
                    float d = a[base + j] - b[base + j];
                    sum += d * d;
                }
                out[r] = 0.5f * sum;
            } else if (op == CROSS_ENTROPY) {
                float sum = 0f;
                for (int j = 0; j < features; j++) {
                    float y = b[base + j], p = a[base + j];
                    if (y != 0f) sum -= y * log(p);
                    if (y != 1f) sum -= (1f - y) * log(1f - p);
                }
                out[r] = sum;
            } else {
                // dB[c] += sum over samples and pixels of dOut[n, c, .]
                float sum = 0f;
                for (int n = 0; n < samples; n++) {
                    for (int e = (n * rows + r) * plane; e < (n * rows + r + 1) * plane; e++) sum += a[e];
                }
                out[r] = out[r] + sum;
            }
        }
    }
}
