package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Every operation whose output element depends on the inputs at the same index alone: the
 * activations and their gradients, dropout, the costs' gradients, bias, L2's gradient and the SGD
 * update, the last step of a split sum, and the sum of two tensors; and the copies of a channel
 * concatenation, whose element {@code e} of a part moves to its place among the whole's channels.
 * One work-item per element.
 */
final class ElementwiseKernel extends Kernel {

    static final int SIGMOID_FORWARD = 0, SIGMOID_BACKWARD = 1, TANH_FORWARD = 2, TANH_BACKWARD = 3;
    static final int RELU_FORWARD = 4, RELU_BACKWARD = 5, DROPOUT_FORWARD = 6, DROPOUT_BACKWARD = 7;
    static final int DIFFERENCE_PER_SAMPLE = 8, CROSS_ENTROPY_BACKWARD = 9, BIAS_FORWARD = 10, L2_BACKWARD = 11, SGD_UPDATE = 12;
    static final int ADD_PARTS = 13, ADD = 14, INTO_CHANNELS = 15, FROM_CHANNELS = 16;

    int op;
    /** Inputs {@code a}, {@code b}; outputs {@code out} and {@code out2} (dropout's mask, SGD's velocity). */
    float[] a = new float[1], b = new float[1], out = new float[1], out2 = new float[1];
    int size;
    /** Samples (the costs divide by it; the parts {@code ADD_PARTS} adds); the bias's channels and plane size. */
    int samples, channels, plane;
    /** Dropout's probability; L2's lambda; SGD's eta, momentum and weight decay. */
    float x1, x2, x3;
    long seed;
    /** A concatenation's channels in all, and the first of the part's (whose own channel count is {@code channels}). */
    int wholeChannels, offset;

    @Override
    public void run() {
        int e = getGlobalId(0);
        if (e < size) {
            if (op == SIGMOID_FORWARD) {
                out[e] = 1f / (1f + exp(-a[e]));
            } else if (op == SIGMOID_BACKWARD) {
                // a = dOut, b = out
                out[e] = a[e] * b[e] * (1f - b[e]);
            } else if (op == TANH_FORWARD) {
                out[e] = tanh(a[e]);
            } else if (op == TANH_BACKWARD) {
                out[e] = a[e] * (1f - b[e] * b[e]);
            } else if (op == RELU_FORWARD) {
                out[e] = a[e] <= 0f ? 0f : a[e];
            } else if (op == RELU_BACKWARD) {
                out[e] = b[e] > 0f ? a[e] : 0f;
            } else if (op == DROPOUT_FORWARD) {
                float keep = uniform(e) >= x1 ? 1f : 0f;
                out2[e] = keep;
                out[e] = a[e] * keep;
            } else if (op == DROPOUT_BACKWARD) {
                out[e] = a[e] * b[e];
            } else if (op == DIFFERENCE_PER_SAMPLE) {
                // quadratic cost and softmax with log-likelihood: (a - y) / N
                out[e] = (a[e] - b[e]) / samples;
            } else if (op == CROSS_ENTROPY_BACKWARD) {
                out[e] = (a[e] - b[e]) / (a[e] * (1f - a[e])) / samples;
            } else if (op == BIAS_FORWARD) {
                out[e] = out[e] + b[e / plane % channels];
            } else if (op == L2_BACKWARD) {
                out[e] = out[e] + x1 * a[e];
            } else if (op == ADD) {
                out[e] = a[e] + b[e];
            } else if (op == INTO_CHANNELS) {
                // a is part of channels channels: a[n, c, yx] goes to out[n, offset + c, yx]
                out[whole(e)] = a[e];
            } else if (op == FROM_CHANNELS) {
                out[e] = a[whole(e)];
            } else if (op == ADD_PARTS) {
                // a split sum: out += a[0][e] + a[1][e] + ... over samples parts of size elements
                float sum = 0f;
                for (int part = 0; part < samples; part++) sum += a[part * size + e];
                out[e] = out[e] + sum;
            } else {
                // out = w, out2 = v, a = dW: v = momentum * v - eta * (dW + decay * w); w = w + v; v untouched at momentum 0
                float v = -x1 * (a[e] + x3 * out[e]);
                if (x2 != 0f) {
                    v = x2 * out2[e] + v;
                    out2[e] = v;
                }
                out[e] = out[e] + v;
            }
        }
    }

    /** Where element {@code e} of a part lies in the concatenation. */
    private int whole(int e) {
        int perSample = channels * plane;
        return (e / perSample * wholeChannels + offset) * plane + e % perSample;
    }

    /** {@code DropoutRng.uniform(seed, e)}: SplitMix64 at counter {@code e}, its top 24 bits times 2^-24. */
    private float uniform(int e) {
        long z = seed + (e + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) * 0x1.0p-24f;
    }
}
