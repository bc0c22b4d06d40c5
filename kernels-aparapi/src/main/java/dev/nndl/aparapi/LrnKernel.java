package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Local response normalisation across channels, forward and backward; one work-item per element.
 * With {@code q[c] = k + alpha * sum_{j in W(c)} in[j]^2} over the window {@code W(c)} of
 * {@code size} channels centred on {@code c}:
 * <pre>
 *   out[c] = in[c] * q[c]^-beta
 *   dIn[c] = dOut[c] q[c]^-beta - 2 alpha beta in[c] sum_{j in W(c)} dOut[j] in[j] q[j]^(-beta-1)
 * </pre>
 * The backward work-item recomputes the {@code q[j]} it needs rather than storing them.
 */
final class LrnKernel extends Kernel {

    static final int FORWARD = 0, BACKWARD = 1;

    int op;
    float[] in = new float[1], dOut = new float[1], out = new float[1];
    int c, plane, window, total;
    float k, alpha, beta;

    @Override
    public void run() {
        int e = getGlobalId(0);
        if (e < total) {
            // e = ((n*C + ch)*H + y)*W + x
            int ch = e / plane % c;
            if (op == FORWARD) {
                out[e] = in[e] * pow(scale(e, ch), -beta);
            } else {
                int reach = window / 2;
                float sum = 0f;
                for (int j = max(0, ch - reach); j <= min(c - 1, ch + reach); j++) {
                    int at = e + (j - ch) * plane;
                    sum += dOut[at] * in[at] * pow(scale(at, j), -beta - 1f);
                }
                out[e] = dOut[e] * pow(scale(e, ch), -beta) - 2f * alpha * beta * in[e] * sum;
            }
        }
    }

    /** {@code q} at element {@code e}, which is in channel {@code ch}. */
    private float scale(int e, int ch) {
        int reach = window / 2;
        float sum = 0f;
        for (int j = max(0, ch - reach); j <= min(c - 1, ch + reach); j++) {
            float v = in[e + (j - ch) * plane];
            sum += v * v;
        }
        return k + alpha * sum;
    }
}
