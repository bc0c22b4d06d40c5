package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.ConvShape;
import jdk.incubator.vector.FloatVector;

/**
 * Convolution backward-weights with the output channels in the vector lanes:
 * <pre>
 *   dW[o][k] += sum_q G[q][o] * in[q, k]      G[q][o] = dOut[n,o,y,x],  q = (n, y, x)
 * </pre>
 * where {@code in[q, k]} is the input under tap {@code k} of position {@code q}'s window. The
 * gradient is first laid out position by position ({@code G}, its rows padded with zeros to whole
 * tiles); then a tile of {@link #V} vectors of channels by {@link #T} taps keeps 20 accumulators,
 * and each position costs {@code V} gradient loads, {@code T} input values broadcast from the
 * input and 20 FMAs. Every accumulator is a finished sum of {@code L} channels: nothing is
 * reduced across lanes, where {@link DirectConv}'s tile (columns in the lanes) reduces 16 vectors
 * per tile. That reduction dominated a row only one vector wide, as in Nielsen's conv2 (8 output
 * columns), whose weight gradient took a third of the v3 step at mini-batch 10.
 */
final class ChannelLanes {

    /** Vectors of output channels per tile. */
    static final int V = 5;
    /** Taps per tile. */
    static final int T = 4;

    private ChannelLanes() {}

    /**
     * Whether output rows are shorter than two vectors (where the columns-in-lanes tile spends its
     * time reducing, or does not apply) and at least four fifths of a tile's lanes are real output
     * channels: Nielsen's conv2 (8 columns, 40 channels) at 128 and 256 bits, LeNet-5's C5.
     */
    static boolean appliesToWeights(ConvShape s) {
        int blocks = (s.ocPerGroup() + V * L - 1) / (V * L);
        return s.ow() < 2 * L && 5 * s.ocPerGroup() >= 4 * blocks * V * L;
    }

    /** {@code dW[o][k] += sum_{n,y,x} dOut[n,o,y,x] in[n, c_k, y*sh + dy_k, x*sw + dx_k]}, one task per tile of channels and taps. */
    static void backwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s, Parallel parallel) {
        DirectConv.Padded p = DirectConv.Padded.forWindows(in, s, parallel);
        int[] taps = p.taps(s);
        int k = taps.length, og = s.ocPerGroup(), plane = s.oh() * s.ow(), positions = s.n() * plane;
        int oBlocks = (og + V * L - 1) / (V * L), tBlocks = (k + T - 1) / T, width = oBlocks * V * L;
        float[] gradient = byPosition(dOut, s, width, parallel);
        int[] input = windows(s, p);
        parallel.forEach(s.groups() * oBlocks * tBlocks, task -> {
            int ob = task % oBlocks, tb = task / oBlocks % tBlocks, g = task / oBlocks / tBlocks;
            int groupInput = g * s.cPerGroup() * p.hp() * p.wp();
            // a tile's spare taps repeat the last; their sums are not stored
            int[] t = new int[T];
            for (int j = 0; j < T; j++) t[j] = groupInput + taps[Math.min(tb * T + j, k - 1)];
            float[] sums = new float[V * T * L];
            tile(gradient, g * positions * width + ob * V * L, width, p.data(), input, t[0], t[1], t[2], t[3], sums);
            addTile(dW, sums, s, g, ob * V * L, tb * T, V, T, L);
        });
    }

    /**
     * Adds a tile's sums into {@code dW}: {@code vectors x taps} accumulators of {@code lanes}
     * channels, accumulator {@code (i, j)} at {@code sums[(i * taps + j) * lanes]}, for the
     * group's channels from {@code o0} and its taps from {@code k0}; spare channels and taps are
     * left out.
     */
    static void addTile(float[] dW, float[] sums, ConvShape s, int g, int o0, int k0, int vectors, int taps, int lanes) {
        int og = s.ocPerGroup(), k = s.cPerGroup() * s.kh() * s.kw();
        for (int i = 0; i < vectors; i++) {
            for (int lane = 0; lane < lanes; lane++) {
                int o = o0 + i * lanes + lane;
                if (o >= og) return;
                for (int j = 0; j < taps && k0 + j < k; j++) dW[(g * og + o) * k + k0 + j] += sums[(i * taps + j) * lanes + lane];
            }
        }
    }

    /**
     * {@code G[g][q][o]}: the gradient position by position, each row {@code width} floats, the
     * group's channels first; lanes past them are never written, so a reused array keeps them zero.
     */
    static float[] byPosition(float[] dOut, ConvShape s, int width, Parallel parallel) {
        int og = s.ocPerGroup(), plane = s.oh() * s.ow(), positions = s.n() * plane;
        float[] gradient = Workspace.array("gradient by position", s, s.groups() * positions * width);
        // a position's row at a time, written in order (LeNet-5's C3 at mini-batch 5: 2.4-3.6 us
        // against 3.8-5.6 a channel at a time, every write a row apart)
        parallel.forEach(s.groups() * s.n(), task -> {
            int g = task / s.n(), n = task % s.n(), from = (n * s.oc() + g * og) * plane, to = (g * positions + n * plane) * width;
            for (int yx = 0; yx < plane; yx++) {
                for (int o = 0; o < og; o++) gradient[to + yx * width + o] = dOut[from + o * plane + yx];
            }
        });
        return gradient;
    }

    /** Where each position's window starts in the input (or its padded copy), from the group's first channel: {@code n, y, x} in order. */
    static int[] windows(ConvShape s, DirectConv.Padded p) {
        int oh = s.oh(), ow = s.ow(), sample = s.c() * p.hp() * p.wp(), row = s.sh() * p.wp(), column = s.sw();
        int[] input = new int[s.n() * oh * ow];
        for (int n = 0, q = 0; n < s.n(); n++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++, q++) input[q] = n * sample + y * row + x * column;
            }
        }
        return input;
    }

    /**
     * One tile: accumulator {@code (i, j)} sums channels {@code i*L ..} of the gradient rows from
     * {@code gradient[at]}, {@code width} apart, times the input at tap offset {@code t_j} of each
     * position's window; stored at {@code sums[(i * T + j) * L]}.
     */
    private static void tile(float[] gradient, int at, int width, float[] in, int[] input, int t0, int t1, int t2, int t3, float[] sums) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        for (int q = 0, row = at; q < input.length; q++, row += width) {
            FloatVector g0 = FloatVector.fromArray(S, gradient, row), g1 = FloatVector.fromArray(S, gradient, row + L);
            FloatVector g2 = FloatVector.fromArray(S, gradient, row + 2 * L), g3 = FloatVector.fromArray(S, gradient, row + 3 * L);
            FloatVector g4 = FloatVector.fromArray(S, gradient, row + 4 * L);
            int from = input[q];
            FloatVector x = FloatVector.broadcast(S, in[from + t0]);
            a00 = g0.fma(x, a00);
            a10 = g1.fma(x, a10);
            a20 = g2.fma(x, a20);
            a30 = g3.fma(x, a30);
            a40 = g4.fma(x, a40);
            x = FloatVector.broadcast(S, in[from + t1]);
            a01 = g0.fma(x, a01);
            a11 = g1.fma(x, a11);
            a21 = g2.fma(x, a21);
            a31 = g3.fma(x, a31);
            a41 = g4.fma(x, a41);
            x = FloatVector.broadcast(S, in[from + t2]);
            a02 = g0.fma(x, a02);
            a12 = g1.fma(x, a12);
            a22 = g2.fma(x, a22);
            a32 = g3.fma(x, a32);
            a42 = g4.fma(x, a42);
            x = FloatVector.broadcast(S, in[from + t3]);
            a03 = g0.fma(x, a03);
            a13 = g1.fma(x, a13);
            a23 = g2.fma(x, a23);
            a33 = g3.fma(x, a33);
            a43 = g4.fma(x, a43);
        }
        a00.intoArray(sums, 0);
        a01.intoArray(sums, L);
        a02.intoArray(sums, 2 * L);
        a03.intoArray(sums, 3 * L);
        a10.intoArray(sums, 4 * L);
        a11.intoArray(sums, 5 * L);
        a12.intoArray(sums, 6 * L);
        a13.intoArray(sums, 7 * L);
        a20.intoArray(sums, 8 * L);
        a21.intoArray(sums, 9 * L);
        a22.intoArray(sums, 10 * L);
        a23.intoArray(sums, 11 * L);
        a30.intoArray(sums, 12 * L);
        a31.intoArray(sums, 13 * L);
        a32.intoArray(sums, 14 * L);
        a33.intoArray(sums, 15 * L);
        a40.intoArray(sums, 16 * L);
        a41.intoArray(sums, 17 * L);
        a42.intoArray(sums, 18 * L);
        a43.intoArray(sums, 19 * L);
    }
}
