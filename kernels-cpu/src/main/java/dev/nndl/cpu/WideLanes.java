package dev.nndl.cpu;

import dev.nndl.shape.ConvShape;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Convolution forward and backward-weights with the output channels in the lanes of the
 * machine's widest vectors ({@link Species#WIDE}), for rows too short to fill them: Nielsen's conv2
 * (rows of 8 outputs, 40 filters) on an AVX-512 CPU, whose 256-bit kernels could reach half of
 * the FMA peak at most and whose rows are half a 512-bit vector. A tile is {@link #V} vectors of
 * channels (48 at 512 bits, 40 of them Nielsen's filters):
 * <pre>
 *   forward           out[q][o] = sum_k Wt[k][o] in[q, k]     {@link #P} positions x V vectors, a weight row a tap
 *   backward-weights  dW[o][k] += sum_q G[q][o] in[q, k]      V vectors x {@link #T} taps, a gradient row a position
 * </pre>
 * where {@code in[q, k]} is the input under tap {@code k} of position {@code q}'s window, broadcast
 * from the input, or from a padded copy where there is padding
 * ({@link DirectConv.Padded#forWindows}). Both keep 24 accumulators and sum every lane from zero
 * to the end: nothing is reduced across lanes. Where one wide vector holds a group's filters
 * (LeNet-5's C3: 16 filters, rows of 10), a tile is that vector by {@link #ONE} positions or
 * taps, or for backward-weights by a channel's whole 5 x 5 filter. Forward lays the weights out tap by tap and writes its result position by position, then
 * into the output's planes; backward-weights lays the
 * gradient out position by position ({@link ChannelLanes#byPosition}).
 */
final class WideLanes {

    static final VectorSpecies<Float> W = Species.WIDE;
    static final int WL = W.length();
    /** Vectors of channels per tile. */
    static final int V = 3;
    /** Positions per forward tile. */
    static final int P = 8;
    /** Taps per backward-weights tile. */
    static final int T = 8;
    /**
     * Positions per forward tile and taps per backward-weights tile where one wide vector holds a
     * group's filters (LeNet-5's C3: 16 filters, rows of 10): a tile of one vector of channels.
     */
    static final int ONE = 16;

    private WideLanes() {}

    /**
     * Whether the vectors are 512 bits or more, output rows are shorter than one of them, and at
     * least four fifths of a tile's lanes are real output channels.
     */
    static boolean applies(ConvShape s) {
        int v = vectors(s), blocks = (s.ocPerGroup() + v * WL - 1) / (v * WL);
        return WL >= 16 && s.ow() < WL && 5 * s.ocPerGroup() >= 4 * blocks * v * WL;
    }

    /** Vectors of channels a tile: one where a group's filters fit in one, else {@link #V}. */
    static int vectors(ConvShape s) {
        return s.ocPerGroup() <= WL ? 1 : V;
    }

    /** {@code out[n,o,y,x] = sum_k w[o][k] in[n, c_k, y*sh + dy_k, x*sw + dx_k]}. */
    static void forward(float[] out, float[] in, float[] w, ConvShape s, Parallel parallel) {
        DirectConv.Padded padded = DirectConv.Padded.forWindows(in, s, parallel);
        int[] taps = padded.taps(s), input = ChannelLanes.windows(s, padded);
        int k = taps.length, og = s.ocPerGroup(), plane = s.oh() * s.ow(), positions = s.n() * plane;
        int v = vectors(s), p = v == 1 ? ONE : P;
        int oBlocks = (og + v * WL - 1) / (v * WL), width = oBlocks * v * WL, qBlocks = (positions + p - 1) / p;
        // Wt[g][k][o]; lanes past the group's filters are never written, so a reused array keeps them zero
        float[] byTap = Workspace.array("weights by tap", s, s.groups() * k * width);
        parallel.forEach(s.groups(), g -> {
            for (int o = 0; o < og; o++) {
                for (int j = 0, from = (g * og + o) * k, to = g * k * width + o; j < k; j++) byTap[to + j * width] = w[from + j];
            }
        });
        // R[g][q][o], with rows for a last tile's spare positions
        float[] result = Workspace.array("forward by position", s, s.groups() * qBlocks * p * width);
        int tilesPerTask = Math.max(1, qBlocks / (8 * parallel.threads()));
        int qTasks = (qBlocks + tilesPerTask - 1) / tilesPerTask;
        parallel.forEach(s.groups() * oBlocks * qTasks, task -> {
            int ob = task % oBlocks, qt = task / oBlocks % qTasks, g = task / oBlocks / qTasks;
            int groupInput = g * s.cPerGroup() * padded.hp() * padded.wp(), weights = g * k * width + ob * v * WL;
            int[] at = new int[p];
            for (int qb = qt * tilesPerTask; qb < Math.min(qBlocks, (qt + 1) * tilesPerTask); qb++) {
                // a last tile's spare positions repeat the last window; their rows are not read
                for (int i = 0; i < p; i++) at[i] = groupInput + input[Math.min(qb * p + i, positions - 1)];
                int to = (g * qBlocks * p + qb * p) * width + ob * v * WL;
                if (v == 1) forwardTileOne(padded.data(), at, taps, byTap, weights, width, result, to);
                else forwardTile(padded.data(), at, taps, byTap, weights, width, result, to);
            }
        });
        parallel.forEach(s.n() * s.groups(), task -> {
            int n = task / s.groups(), g = task % s.groups();
            for (int o = 0; o < og; o++) {
                int to = (n * s.oc() + g * og + o) * plane, from = (g * qBlocks * p + n * plane) * width + o;
                for (int yx = 0; yx < plane; yx++) out[to + yx] = result[from + yx * width];
            }
        });
    }

    /** {@code dW[o][k] += sum_{n,y,x} dOut[n,o,y,x] in[n, c_k, y*sh + dy_k, x*sw + dx_k]}, one task per tile of channels and taps. */
    static void backwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s, Parallel parallel) {
        DirectConv.Padded p = DirectConv.Padded.forWindows(in, s, parallel);
        int[] taps = p.taps(s), input = ChannelLanes.windows(s, p);
        int k = taps.length, og = s.ocPerGroup(), positions = s.n() * s.oh() * s.ow();
        // one wide vector of channels by a channel's whole 5 x 5 filter, where the filter's rows are rows of the input
        boolean five = vectors(s) == 1 && s.kh() == 5 && s.kw() == 5 && s.dh() == 1 && s.dw() == 1;
        int v = vectors(s), tapsATile = five ? 25 : v == 1 ? ONE : T;
        int oBlocks = (og + v * WL - 1) / (v * WL), tBlocks = (k + tapsATile - 1) / tapsATile, width = oBlocks * v * WL;
        float[] gradient = ChannelLanes.byPosition(dOut, s, width, parallel);
        parallel.forEach(s.groups() * oBlocks * tBlocks, task -> {
            int ob = task % oBlocks, tb = task / oBlocks % tBlocks, g = task / oBlocks / tBlocks;
            int groupInput = g * s.cPerGroup() * p.hp() * p.wp();
            // a tile's spare taps repeat the last; their sums are not stored
            int[] t = new int[tapsATile];
            for (int j = 0; j < tapsATile; j++) t[j] = groupInput + taps[Math.min(tb * tapsATile + j, k - 1)];
            float[] sums = new float[v * tapsATile * WL];
            int at = g * positions * width + ob * v * WL;
            if (five) weightsTileFive(gradient, at, width, p.data(), input, t[0], p.wp(), sums);
            else if (v == 1) weightsTileOne(gradient, at, width, p.data(), input, t, sums);
            else weightsTile(gradient, at, width, p.data(), input, t, sums);
            ChannelLanes.addTile(dW, sums, s, g, ob * v * WL, tb * tapsATile, v, tapsATile, WL);
        });
    }

    /**
     * {@code P} positions (windows at {@code at}) by {@code V} vectors of channels (from
     * {@code byTap[weights]}, a row of {@code width} a tap), over every tap; position {@code i}'s
     * sums go to {@code result[to + i * width]}.
     */
    private static void forwardTile(float[] in, int[] at, int[] taps, float[] byTap, int weights, int width, float[] result, int to) {
        FloatVector a00 = FloatVector.zero(W), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a50 = a00, a51 = a00, a52 = a00;
        FloatVector a60 = a00, a61 = a00, a62 = a00, a70 = a00, a71 = a00, a72 = a00;
        int i0 = at[0], i1 = at[1], i2 = at[2], i3 = at[3], i4 = at[4], i5 = at[5], i6 = at[6], i7 = at[7];
        for (int j = 0, row = weights; j < taps.length; j++, row += width) {
            FloatVector y0 = FloatVector.fromArray(W, byTap, row), y1 = FloatVector.fromArray(W, byTap, row + WL);
            FloatVector y2 = FloatVector.fromArray(W, byTap, row + 2 * WL);
            int t = taps[j];
            FloatVector x = FloatVector.broadcast(W, in[i0 + t]);
            a00 = y0.fma(x, a00);
            a01 = y1.fma(x, a01);
            a02 = y2.fma(x, a02);
            x = FloatVector.broadcast(W, in[i1 + t]);
            a10 = y0.fma(x, a10);
            a11 = y1.fma(x, a11);
            a12 = y2.fma(x, a12);
            x = FloatVector.broadcast(W, in[i2 + t]);
            a20 = y0.fma(x, a20);
            a21 = y1.fma(x, a21);
            a22 = y2.fma(x, a22);
            x = FloatVector.broadcast(W, in[i3 + t]);
            a30 = y0.fma(x, a30);
            a31 = y1.fma(x, a31);
            a32 = y2.fma(x, a32);
            x = FloatVector.broadcast(W, in[i4 + t]);
            a40 = y0.fma(x, a40);
            a41 = y1.fma(x, a41);
            a42 = y2.fma(x, a42);
            x = FloatVector.broadcast(W, in[i5 + t]);
            a50 = y0.fma(x, a50);
            a51 = y1.fma(x, a51);
            a52 = y2.fma(x, a52);
            x = FloatVector.broadcast(W, in[i6 + t]);
            a60 = y0.fma(x, a60);
            a61 = y1.fma(x, a61);
            a62 = y2.fma(x, a62);
            x = FloatVector.broadcast(W, in[i7 + t]);
            a70 = y0.fma(x, a70);
            a71 = y1.fma(x, a71);
            a72 = y2.fma(x, a72);
        }
        a00.intoArray(result, to);
        a01.intoArray(result, to + WL);
        a02.intoArray(result, to + 2 * WL);
        a10.intoArray(result, to + width);
        a11.intoArray(result, to + width + WL);
        a12.intoArray(result, to + width + 2 * WL);
        a20.intoArray(result, to + 2 * width);
        a21.intoArray(result, to + 2 * width + WL);
        a22.intoArray(result, to + 2 * width + 2 * WL);
        a30.intoArray(result, to + 3 * width);
        a31.intoArray(result, to + 3 * width + WL);
        a32.intoArray(result, to + 3 * width + 2 * WL);
        a40.intoArray(result, to + 4 * width);
        a41.intoArray(result, to + 4 * width + WL);
        a42.intoArray(result, to + 4 * width + 2 * WL);
        a50.intoArray(result, to + 5 * width);
        a51.intoArray(result, to + 5 * width + WL);
        a52.intoArray(result, to + 5 * width + 2 * WL);
        a60.intoArray(result, to + 6 * width);
        a61.intoArray(result, to + 6 * width + WL);
        a62.intoArray(result, to + 6 * width + 2 * WL);
        a70.intoArray(result, to + 7 * width);
        a71.intoArray(result, to + 7 * width + WL);
        a72.intoArray(result, to + 7 * width + 2 * WL);
    }

    /**
     * {@code V} vectors of channels (gradient rows from {@code gradient[at]}, {@code width} apart,
     * a row a position) by {@code T} taps (offsets {@code t} into each position's window), over every
     * position; accumulator {@code (i, j)} goes to {@code sums[(i * T + j) * WL]}.
     */
    private static void weightsTile(float[] gradient, int at, int width, float[] in, int[] input, int[] t, float[] sums) {
        FloatVector a00 = FloatVector.zero(W), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00, a06 = a00, a07 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00, a16 = a00, a17 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a25 = a00, a26 = a00, a27 = a00;
        int t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
        for (int q = 0, row = at; q < input.length; q++, row += width) {
            FloatVector g0 = FloatVector.fromArray(W, gradient, row), g1 = FloatVector.fromArray(W, gradient, row + WL);
            FloatVector g2 = FloatVector.fromArray(W, gradient, row + 2 * WL);
            int from = input[q];
            FloatVector x = FloatVector.broadcast(W, in[from + t0]);
            a00 = g0.fma(x, a00);
            a10 = g1.fma(x, a10);
            a20 = g2.fma(x, a20);
            x = FloatVector.broadcast(W, in[from + t1]);
            a01 = g0.fma(x, a01);
            a11 = g1.fma(x, a11);
            a21 = g2.fma(x, a21);
            x = FloatVector.broadcast(W, in[from + t2]);
            a02 = g0.fma(x, a02);
            a12 = g1.fma(x, a12);
            a22 = g2.fma(x, a22);
            x = FloatVector.broadcast(W, in[from + t3]);
            a03 = g0.fma(x, a03);
            a13 = g1.fma(x, a13);
            a23 = g2.fma(x, a23);
            x = FloatVector.broadcast(W, in[from + t4]);
            a04 = g0.fma(x, a04);
            a14 = g1.fma(x, a14);
            a24 = g2.fma(x, a24);
            x = FloatVector.broadcast(W, in[from + t5]);
            a05 = g0.fma(x, a05);
            a15 = g1.fma(x, a15);
            a25 = g2.fma(x, a25);
            x = FloatVector.broadcast(W, in[from + t6]);
            a06 = g0.fma(x, a06);
            a16 = g1.fma(x, a16);
            a26 = g2.fma(x, a26);
            x = FloatVector.broadcast(W, in[from + t7]);
            a07 = g0.fma(x, a07);
            a17 = g1.fma(x, a17);
            a27 = g2.fma(x, a27);
        }
        a00.intoArray(sums, 0);
        a01.intoArray(sums, WL);
        a02.intoArray(sums, 2 * WL);
        a03.intoArray(sums, 3 * WL);
        a04.intoArray(sums, 4 * WL);
        a05.intoArray(sums, 5 * WL);
        a06.intoArray(sums, 6 * WL);
        a07.intoArray(sums, 7 * WL);
        a10.intoArray(sums, 8 * WL);
        a11.intoArray(sums, 9 * WL);
        a12.intoArray(sums, 10 * WL);
        a13.intoArray(sums, 11 * WL);
        a14.intoArray(sums, 12 * WL);
        a15.intoArray(sums, 13 * WL);
        a16.intoArray(sums, 14 * WL);
        a17.intoArray(sums, 15 * WL);
        a20.intoArray(sums, 16 * WL);
        a21.intoArray(sums, 17 * WL);
        a22.intoArray(sums, 18 * WL);
        a23.intoArray(sums, 19 * WL);
        a24.intoArray(sums, 20 * WL);
        a25.intoArray(sums, 21 * WL);
        a26.intoArray(sums, 22 * WL);
        a27.intoArray(sums, 23 * WL);
    }

    /** As {@link #forwardTile} for one vector of channels and {@link #ONE} positions. */
    private static void forwardTileOne(float[] in, int[] at, int[] taps, float[] byTap, int weights, int width, float[] result, int to) {
        FloatVector a0 = FloatVector.zero(W), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        int i0 = at[0], i1 = at[1], i2 = at[2], i3 = at[3], i4 = at[4], i5 = at[5], i6 = at[6], i7 = at[7];
        int i8 = at[8], i9 = at[9], i10 = at[10], i11 = at[11], i12 = at[12], i13 = at[13], i14 = at[14], i15 = at[15];
        for (int j = 0, row = weights; j < taps.length; j++, row += width) {
            FloatVector y = FloatVector.fromArray(W, byTap, row);
            int t = taps[j];
            a0 = y.fma(FloatVector.broadcast(W, in[i0 + t]), a0);
            a1 = y.fma(FloatVector.broadcast(W, in[i1 + t]), a1);
            a2 = y.fma(FloatVector.broadcast(W, in[i2 + t]), a2);
            a3 = y.fma(FloatVector.broadcast(W, in[i3 + t]), a3);
            a4 = y.fma(FloatVector.broadcast(W, in[i4 + t]), a4);
            a5 = y.fma(FloatVector.broadcast(W, in[i5 + t]), a5);
            a6 = y.fma(FloatVector.broadcast(W, in[i6 + t]), a6);
            a7 = y.fma(FloatVector.broadcast(W, in[i7 + t]), a7);
            a8 = y.fma(FloatVector.broadcast(W, in[i8 + t]), a8);
            a9 = y.fma(FloatVector.broadcast(W, in[i9 + t]), a9);
            a10 = y.fma(FloatVector.broadcast(W, in[i10 + t]), a10);
            a11 = y.fma(FloatVector.broadcast(W, in[i11 + t]), a11);
            a12 = y.fma(FloatVector.broadcast(W, in[i12 + t]), a12);
            a13 = y.fma(FloatVector.broadcast(W, in[i13 + t]), a13);
            a14 = y.fma(FloatVector.broadcast(W, in[i14 + t]), a14);
            a15 = y.fma(FloatVector.broadcast(W, in[i15 + t]), a15);
        }
        a0.intoArray(result, to);
        a1.intoArray(result, to + width);
        a2.intoArray(result, to + 2 * width);
        a3.intoArray(result, to + 3 * width);
        a4.intoArray(result, to + 4 * width);
        a5.intoArray(result, to + 5 * width);
        a6.intoArray(result, to + 6 * width);
        a7.intoArray(result, to + 7 * width);
        a8.intoArray(result, to + 8 * width);
        a9.intoArray(result, to + 9 * width);
        a10.intoArray(result, to + 10 * width);
        a11.intoArray(result, to + 11 * width);
        a12.intoArray(result, to + 12 * width);
        a13.intoArray(result, to + 13 * width);
        a14.intoArray(result, to + 14 * width);
        a15.intoArray(result, to + 15 * width);
    }

    /** As {@link #weightsTile} for one vector of channels and {@link #ONE} taps. */
    private static void weightsTileOne(float[] gradient, int at, int width, float[] in, int[] input, int[] t, float[] sums) {
        FloatVector a0 = FloatVector.zero(W), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        FloatVector a8 = a0, a9 = a0, a10 = a0, a11 = a0, a12 = a0, a13 = a0, a14 = a0, a15 = a0;
        int t0 = t[0], t1 = t[1], t2 = t[2], t3 = t[3], t4 = t[4], t5 = t[5], t6 = t[6], t7 = t[7];
        int t8 = t[8], t9 = t[9], t10 = t[10], t11 = t[11], t12 = t[12], t13 = t[13], t14 = t[14], t15 = t[15];
        for (int q = 0, row = at; q < input.length; q++, row += width) {
            FloatVector g = FloatVector.fromArray(W, gradient, row);
            int from = input[q];
            a0 = g.fma(FloatVector.broadcast(W, in[from + t0]), a0);
            a1 = g.fma(FloatVector.broadcast(W, in[from + t1]), a1);
            a2 = g.fma(FloatVector.broadcast(W, in[from + t2]), a2);
            a3 = g.fma(FloatVector.broadcast(W, in[from + t3]), a3);
            a4 = g.fma(FloatVector.broadcast(W, in[from + t4]), a4);
            a5 = g.fma(FloatVector.broadcast(W, in[from + t5]), a5);
            a6 = g.fma(FloatVector.broadcast(W, in[from + t6]), a6);
            a7 = g.fma(FloatVector.broadcast(W, in[from + t7]), a7);
            a8 = g.fma(FloatVector.broadcast(W, in[from + t8]), a8);
            a9 = g.fma(FloatVector.broadcast(W, in[from + t9]), a9);
            a10 = g.fma(FloatVector.broadcast(W, in[from + t10]), a10);
            a11 = g.fma(FloatVector.broadcast(W, in[from + t11]), a11);
            a12 = g.fma(FloatVector.broadcast(W, in[from + t12]), a12);
            a13 = g.fma(FloatVector.broadcast(W, in[from + t13]), a13);
            a14 = g.fma(FloatVector.broadcast(W, in[from + t14]), a14);
            a15 = g.fma(FloatVector.broadcast(W, in[from + t15]), a15);
        }
        a0.intoArray(sums, 0);
        a1.intoArray(sums, WL);
        a2.intoArray(sums, 2 * WL);
        a3.intoArray(sums, 3 * WL);
        a4.intoArray(sums, 4 * WL);
        a5.intoArray(sums, 5 * WL);
        a6.intoArray(sums, 6 * WL);
        a7.intoArray(sums, 7 * WL);
        a8.intoArray(sums, 8 * WL);
        a9.intoArray(sums, 9 * WL);
        a10.intoArray(sums, 10 * WL);
        a11.intoArray(sums, 11 * WL);
        a12.intoArray(sums, 12 * WL);
        a13.intoArray(sums, 13 * WL);
        a14.intoArray(sums, 14 * WL);
        a15.intoArray(sums, 15 * WL);
    }

    /**
     * As {@link #weightsTileOne} for one channel's whole 5 x 5 filter: its taps are five rows of
     * five neighbouring columns, {@code r0 + dy * rowStride + dx} from a window's corner, so each
     * input element is a constant offset from one of five row starts, where sixteen taps anywhere
     * in the filter kept sixteen offsets live, more than the registers hold. LeNet-5's C3 at
     * mini-batch 5 on one thread of a Zen 5: 24.4-24.8 us against 29.9-30.5, the same sums.
     */
    private static void weightsTileFive(float[] gradient, int at, int width, float[] in, int[] input, int r0, int rowStride, float[] sums) {
        FloatVector a00 = FloatVector.zero(W), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a40 = a00, a41 = a00, a42 = a00, a43 = a00, a44 = a00;
        int r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride, r4 = r3 + rowStride;
        for (int q = 0, row = at; q < input.length; q++, row += width) {
            FloatVector g = FloatVector.fromArray(W, gradient, row);
            int from = input[q];
            a00 = g.fma(FloatVector.broadcast(W, in[from + r0]), a00);
            a01 = g.fma(FloatVector.broadcast(W, in[from + r0 + 1]), a01);
            a02 = g.fma(FloatVector.broadcast(W, in[from + r0 + 2]), a02);
            a03 = g.fma(FloatVector.broadcast(W, in[from + r0 + 3]), a03);
            a04 = g.fma(FloatVector.broadcast(W, in[from + r0 + 4]), a04);
            a10 = g.fma(FloatVector.broadcast(W, in[from + r1]), a10);
            a11 = g.fma(FloatVector.broadcast(W, in[from + r1 + 1]), a11);
            a12 = g.fma(FloatVector.broadcast(W, in[from + r1 + 2]), a12);
            a13 = g.fma(FloatVector.broadcast(W, in[from + r1 + 3]), a13);
            a14 = g.fma(FloatVector.broadcast(W, in[from + r1 + 4]), a14);
            a20 = g.fma(FloatVector.broadcast(W, in[from + r2]), a20);
            a21 = g.fma(FloatVector.broadcast(W, in[from + r2 + 1]), a21);
            a22 = g.fma(FloatVector.broadcast(W, in[from + r2 + 2]), a22);
            a23 = g.fma(FloatVector.broadcast(W, in[from + r2 + 3]), a23);
            a24 = g.fma(FloatVector.broadcast(W, in[from + r2 + 4]), a24);
            a30 = g.fma(FloatVector.broadcast(W, in[from + r3]), a30);
            a31 = g.fma(FloatVector.broadcast(W, in[from + r3 + 1]), a31);
            a32 = g.fma(FloatVector.broadcast(W, in[from + r3 + 2]), a32);
            a33 = g.fma(FloatVector.broadcast(W, in[from + r3 + 3]), a33);
            a34 = g.fma(FloatVector.broadcast(W, in[from + r3 + 4]), a34);
            a40 = g.fma(FloatVector.broadcast(W, in[from + r4]), a40);
            a41 = g.fma(FloatVector.broadcast(W, in[from + r4 + 1]), a41);
            a42 = g.fma(FloatVector.broadcast(W, in[from + r4 + 2]), a42);
            a43 = g.fma(FloatVector.broadcast(W, in[from + r4 + 3]), a43);
            a44 = g.fma(FloatVector.broadcast(W, in[from + r4 + 4]), a44);
        }
        a00.intoArray(sums, 0 * WL);
        a01.intoArray(sums, 1 * WL);
        a02.intoArray(sums, 2 * WL);
        a03.intoArray(sums, 3 * WL);
        a04.intoArray(sums, 4 * WL);
        a10.intoArray(sums, 5 * WL);
        a11.intoArray(sums, 6 * WL);
        a12.intoArray(sums, 7 * WL);
        a13.intoArray(sums, 8 * WL);
        a14.intoArray(sums, 9 * WL);
        a20.intoArray(sums, 10 * WL);
        a21.intoArray(sums, 11 * WL);
        a22.intoArray(sums, 12 * WL);
        a23.intoArray(sums, 13 * WL);
        a24.intoArray(sums, 14 * WL);
        a30.intoArray(sums, 15 * WL);
        a31.intoArray(sums, 16 * WL);
        a32.intoArray(sums, 17 * WL);
        a33.intoArray(sums, 18 * WL);
        a34.intoArray(sums, 19 * WL);
        a40.intoArray(sums, 20 * WL);
        a41.intoArray(sums, 21 * WL);
        a42.intoArray(sums, 22 * WL);
        a43.intoArray(sums, 23 * WL);
        a44.intoArray(sums, 24 * WL);
    }
}
