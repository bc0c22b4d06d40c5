package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * L2's sum of squares, a reduction to one number without atomics, in two launches. First each of
 * {@link #GROUPS} work-groups of {@link #WIDTH} work-items strides over the weights, each work-item
 * summing its share of squares; the group then halves its partial sums in local memory
 * ({@code WIDTH/2}, {@code WIDTH/4}, ... work-items adding pairs, a barrier between rounds) and
 * writes one sum per group. Then a single group reduces those {@code GROUPS} sums the same way.
 */
final class SumKernel extends Kernel {

    static final int WIDTH = 256, GROUPS = 64;
    static final int SQUARES = 0, TOTAL = 1;

    int op;
    /** The weights; the per-group sums; the result (one element). */
    float[] in = new float[1], partial = new float[GROUPS], out = new float[1];
    int size;

    @Local final float[] lanes = new float[WIDTH];

    @Override
    public void run() {
        int l = getLocalId(0), g = getGroupId(0);
        float sum = 0f;
        if (op == SQUARES) {
            for (int e = getGlobalId(0); e < size; e += WIDTH * GROUPS) sum += in[e] * in[e];
        } else {
            for (int e = l; e < GROUPS; e += WIDTH) sum += partial[e];
        }
        lanes[l] = sum;
        localBarrier();
        for (int reach = WIDTH / 2; reach > 0; reach /= 2) {
            if (l < reach) lanes[l] = lanes[l] + lanes[l + reach];
            localBarrier();
        }
        if (l == 0) {
            if (op == SQUARES) {
                partial[g] = lanes[0];
            } else {
                out[0] = lanes[0];
            }
        }
    }
}
