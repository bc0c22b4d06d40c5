package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * A fully connected layer's backward pass and SGD step in one sweep over its weights
 * {@code w (out x in)}, for weights too large to stay in cache (v6's 1000 x 1000):
 * <pre>
 *   dIn[n,i] = sum_o dOut[n,o] w[o,i]                         (the weights before the step)
 *   w[o,i]   = w[o,i] + (-eta) (w[o,i] decay + sum_n dOut[n,o] in[n,i])
 * </pre>
 * A task takes {@link #W} vectors of columns {@code i} down every row {@code o}: it loads a row's
 * piece of {@code w} once, adds its share into the task's {@code dIn} columns (kept in a small
 * scratch tile, one row a sample), sums the gradient over the samples, steps and stores. Both sums
 * run in the order {@link OuterProduct} runs them, from zero, with the same fused multiply-adds,
 * and the step rounds as {@code sgdUpdate} does: the weights and {@code dIn} come out bit for bit
 * as from backward-data, backward-weights into a zeroed gradient and the update, which read the
 * weights three times and wrote and read the gradient.
 */
final class DenseStep {

    /** Vectors of columns per task. */
    static final int W = 2;

    private DenseStep() {}

    /** {@code dIn} may be null: then only the step. */
    static void backwardAndStep(float[] dIn, float[] w, float[] dOut, float[] in, int n, int out, int inSize, float eta, float decay,
                                Parallel parallel) {
        int blocks = (inSize + W * L - 1) / (W * L);
        parallel.forEach(blocks, b -> {
            int i0 = b * W * L, width = Math.min(W * L, inSize - i0), vectors = width / L;
            float[] sums = dIn == null ? null : new float[n * W * L];
            FloatVector eta0 = FloatVector.broadcast(S, -eta), decay0 = FloatVector.broadcast(S, decay);
            for (int o = 0; o < out; o++) {
                int row = o * inSize + i0;
                for (int v = 0; v < vectors; v++) {
                    int at = row + v * L;
                    FloatVector x = FloatVector.fromArray(S, w, at), g = FloatVector.zero(S);
                    for (int s = 0; s < n; s++) {
                        FloatVector d = FloatVector.broadcast(S, dOut[s * out + o]);
                        if (sums != null) d.fma(x, FloatVector.fromArray(S, sums, s * W * L + v * L)).intoArray(sums, s * W * L + v * L);
                        g = d.fma(FloatVector.fromArray(S, in, s * inSize + i0 + v * L), g);
                    }
                    x.add(x.fma(decay0, g).mul(eta0)).intoArray(w, at);
                }
                // the last columns, fewer than a vector: as OuterProduct's scalar tail
                for (int i = vectors * L; i < width; i++) {
                    float x = w[row + i], g = 0;
                    for (int s = 0; s < n; s++) {
                        if (sums != null) sums[s * W * L + i] += dOut[s * out + o] * x;
                        g += dOut[s * out + o] * in[s * inSize + i0 + i];
                    }
                    w[row + i] = x + -eta * (g + decay * x);
                }
            }
            if (sums != null) {
                for (int s = 0; s < n; s++) System.arraycopy(sums, s * W * L, dIn, s * inSize + i0, width);
            }
        });
    }
}
