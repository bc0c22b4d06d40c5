package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.ConvShape;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution for unit column stride, the input read straight from memory: no packing.
 * A vector holds {@code L} neighbouring output columns, and since the column stride is 1 the
 * input under a tap is {@code L} neighbouring input columns, one (unaligned) vector load.
 *
 * <p>Forward keeps a tile of {@link #O} output channels by {@link #R} output rows in 20
 * accumulators; each tap costs {@code R} input loads, {@code O} weights broadcast from memory and
 * 20 FMAs. Groups of filters that are whole sixes and not fives take tiles of {@link #O6}, at the
 * widest vectors where their rows fill those as well (classic LeNet-5's C1 at mini-batch 64 on two
 * threads of a Zen 5: 254 us in tiles of five at 256 bits, 114 in tiles of six at 512).
 * Backward-weights keeps {@link #WO} channels by {@link #T} taps, each accumulator a vector
 * of partial sums over columns, reduced across lanes at the end; each step costs {@code WO}
 * gradient loads, {@code T} input loads and 16 FMAs (4 x 4 rather than 3 x 4: conv2's weight
 * gradient 12 % faster, measured at 923e360). On the ladder's convolutions the im2col GEMM
 * spent more time packing than multiplying (measured with JFR); this path packs nothing.
 * Backward-data ({@link #backwardData}) keeps {@link #DC} input channels by {@link #DX} filter
 * columns, a vector of output columns each, and shifts them into place at the end; where a
 * group's input channels are whole sixes, backward-data is a forward convolution instead
 * ({@link #backwardDataAsForward}).
 *
 * <p>Forward and backward-weights work on a {@link Padded} copy of the input: zero borders for the
 * padding, plus spare rows and columns so that a tile's last vectors may run past the edge without
 * a bounds check or a mask. Backward-data copies nothing: it reads whole rows of {@code dOut} in
 * place and sums into per-thread rows of input columns.
 */
final class DirectConv {

    /** Output channels per tile. */
    static final int O = 5;
    /** Output channels per tile for groups of filters that are whole sixes and not fives (LeNet-5's C1: 6). */
    static final int O6 = 6;
    /** The widest vectors, which the six-channel tile takes where rows fill them as well as {@code L}-float ones. */
    static final VectorSpecies<Float> W = Species.WIDE;
    static final int WL = W.length();
    /** Output rows per forward tile. */
    static final int R = 4;
    /** Output channels per backward-weights tile. */
    static final int WO = 4;
    /** Taps per backward-weights tile. */
    static final int T = 4;
    /** Channels and taps per backward-weights tile at the widest vectors ({@link #wideWeights}). */
    static final int WO3 = 3, T5 = 5;

    private DirectConv() {}

    /** Whether the direct path applies: unit column stride, and rows at least a vector wide. */
    static boolean applies(ConvShape s) {
        return s.sw() == 1 && s.ow() >= L;
    }

    /**
     * The input with zero borders of {@code ph, pw}, rows widened to {@code wp} (a multiple of
     * nothing in particular, but at least {@code w + 2pw + L}) and {@code R * sh + L} spare rows per
     * plane, so that reading a full tile never leaves the plane.
     */
    record Padded(float[] data, int hp, int wp) {
        /**
         * For kernels that read single elements at their windows' taps (channels in the lanes),
         * which never stray past a plane: the input itself where the convolution has no padding,
         * else {@link #of}. Copying Nielsen's conv2 input took 11-41 us of a 190-306 us forward pass
         * on one thread, and more on two (measured at 033b8a3).
         */
        static Padded forWindows(float[] in, ConvShape s, Parallel parallel) {
            return s.ph() == 0 && s.pw() == 0 ? new Padded(in, s.h(), s.w()) : of(in, s, parallel);
        }

        static Padded of(float[] in, ConvShape s, Parallel parallel) {
            int hp = s.h() + 2 * s.ph() + R * s.sh() + 1, wp = s.w() + 2 * s.pw() + Math.max(L, WL);
            // borders and spare rows are never written, so a reused array keeps them zero
            float[] data = Workspace.array("padded input", s, s.n() * s.c() * hp * wp);
            copyPlanes(in, s.n() * s.c(), s.h(), s.w(), data, hp, wp, s.ph(), s.pw(), parallel);
            return new Padded(data, hp, wp);
        }

        /**
         * Copies {@code planes} planes of {@code h x w} into planes of {@code hp x wp}, each starting
         * {@code top} rows down and {@code left} columns in; the rest of {@code dst} is left as it is.
         */
        static void copyPlanes(float[] x, int planes, int h, int w, float[] dst, int hp, int wp, int top, int left, Parallel parallel) {
            parallel.forEach(planes, q -> {
                for (int y = 0; y < h; y++) System.arraycopy(x, (q * h + y) * w, dst, (q * hp + y + top) * wp + left, w);
            });
        }

        /** Offset of tap {@code k} of a filter laid out row by row ({@link #byRow}: row, channel, column) from its window's corner. */
        int[] tapsByRow(ConvShape s) {
            int cg = s.cPerGroup(), kw = s.kw();
            int[] offset = new int[cg * s.kh() * kw];
            for (int k = 0; k < offset.length; k++) {
                offset[k] = (k / kw % cg) * hp * wp + (k / kw / cg) * s.dh() * wp + (k % kw) * s.dw();
            }
            return offset;
        }

        /** Offset of tap {@code k} of a filter (channel, row, column) from its window's corner. */
        int[] taps(ConvShape s) {
            int taps = s.kh() * s.kw(), count = s.cPerGroup() * taps;
            int[] offset = new int[count];
            for (int k = 0; k < count; k++) {
                int t = k % taps;
                offset[k] = (k / taps) * hp * wp + (t / s.kw()) * s.dh() * wp + (t % s.kw()) * s.dw();
            }
            return offset;
        }
    }

    /** Where filter {@code o} of group {@code g} starts in the weights, {@code o} clamped to the group's last filter. */
    private static int filter(ConvShape s, int g, int o) {
        return (g * s.ocPerGroup() + Math.min(o, s.ocPerGroup() - 1)) * s.cPerGroup() * s.kh() * s.kw();
    }

    static void forward(float[] out, float[] in, float[] w, ConvShape s, Parallel parallel) {
        boolean byRow = skipsRows(s);
        forward(out, in, byRow ? byRow(w, s, false) : w, s, byRow, parallel);
    }

    /**
     * Whether some tile's rows meet only padding under some row of taps, which the tile then skips
     * ({@link #tapRows}): a forward convolution padded by more rows than a tile has, as LeNet-5's C3
     * backward-data (rows of 10 padded by 4: its first tile skips a fifth of its taps, its last
     * three fifths).
     */
    static boolean skipsRows(ConvShape s) {
        for (int y0 = 0; y0 < s.oh(); y0 += R) {
            int[] rows = tapRows(s, y0);
            if (rows[0] > 0 || rows[1] < s.kh()) return true;
        }
        return false;
    }

    /**
     * The rows of taps {@code [first, end)} that meet the input (not its padding) in some row of the
     * tile of output rows from {@code y0}: the others add zeros.
     */
    static int[] tapRows(ConvShape s, int y0) {
        int first = s.kh(), end = 0;
        for (int dy = 0; dy < s.kh(); dy++) {
            for (int y = y0; y < Math.min(y0 + R, s.oh()); y++) {
                int row = y * s.sh() + dy * s.dh();
                if (row >= s.ph() && row < s.ph() + s.h()) {
                    first = Math.min(first, dy);
                    end = dy + 1;
                }
            }
        }
        return first < end ? new int[] {first, end} : new int[] {0, 0};
    }

    /**
     * The filters {@code w} with each one's taps laid out row by row (row, channel, column), so that
     * a row of taps is one run of {@code cPerGroup * kw}; {@code turned} takes each filter turned
     * half a circle and its channels swapped with the filters on the way, as backward-data as forward
     * needs them ({@link #backwardDataAsForward}), where {@code s} is the forward shape that uses them.
     */
    static float[] byRow(float[] w, ConvShape s, boolean turned) {
        int cg = s.cPerGroup(), og = s.ocPerGroup(), kh = s.kh(), kw = s.kw();
        float[] rows = Workspace.array(turned ? "weights turned by row for backward-data" : "weights by row", s, w.length);
        for (int g = 0; g < s.groups(); g++) {
            for (int o = 0; o < og; o++) {
                for (int c = 0; c < cg; c++) {
                    for (int dy = 0; dy < kh; dy++) {
                        for (int dx = 0; dx < kw; dx++) {
                            // turned: the forward's filter o is the original's channel o, its channel c the original's filter c
                            int from = turned ? (((g * cg + c) * og + o) * kh + kh - 1 - dy) * kw + kw - 1 - dx : (((g * og + o) * cg + c) * kh + dy) * kw + dx;
                            rows[(((g * og + o) * kh + dy) * cg + c) * kw + dx] = w[from];
                        }
                    }
                }
            }
        }
        return rows;
    }

    private static void forward(float[] out, float[] in, float[] w, ConvShape s, boolean byRow, Parallel parallel) {
        Padded p = Padded.of(in, s, parallel);
        int[] taps = byRow ? p.tapsByRow(s) : p.taps(s);
        int perRow = s.cPerGroup() * s.kw();
        // each block of rows its own run of taps: a tile's loop bound is its array's length, which C2 checks once
        // (a loop over a range of the whole array took C3's backward-data 43 us against 36)
        int[][] rowTaps = new int[byRow ? (s.oh() + R - 1) / R : 0][];
        int[] firstTap = new int[rowTaps.length];
        for (int b = 0; b < rowTaps.length; b++) {
            int[] rows = tapRows(s, b * R);
            firstTap[b] = rows[0] * perRow;
            rowTaps[b] = Arrays.copyOfRange(taps, firstTap[b], rows[1] * perRow);
        }
        int og = s.ocPerGroup(), o = channelsATile(og), oBlocks = (og + o - 1) / o;
        // six channels at the widest vectors where rows take no more of them: LeNet-5's C1, 28 columns, in 2 x 16 lanes rather than 4 x 8
        boolean wide = o == O6 && fillsWide(s.ow());
        int lanes = wide ? WL : L, xVectors = (s.ow() + lanes - 1) / lanes, plane = s.oh() * s.ow(), rowStep = s.sh() * p.wp();
        // a task is a block of channels of one sample, all its rows: tasks running side by side
        // write different planes, where tasks of neighbouring rows shared cache lines at their edges
        // (conv1 at mini-batch 64 in 298 us instead of 405, measured at d9e300e)
        parallel.forEach(s.n() * s.groups() * oBlocks, task -> {
            int ob = task % oBlocks, g = task / oBlocks % s.groups(), n = task / oBlocks / s.groups(), o0 = ob * o;
            // a tile's spare filters repeat the group's last; their sums are not stored
            int w0 = filter(s, g, o0), w1 = filter(s, g, o0 + 1), w2 = filter(s, g, o0 + 2), w3 = filter(s, g, o0 + 3), w4 = filter(s, g, o0 + 4);
            int w5 = filter(s, g, o0 + 5);
            float[] tile = null;
            for (int y0 = 0; y0 < s.oh(); y0 += R) {
                int inBase = (n * s.c() + g * s.cPerGroup()) * p.hp() * p.wp() + y0 * rowStep;
                int[] tileTaps = byRow ? rowTaps[y0 / R] : taps;
                int t0 = byRow ? firstTap[y0 / R] : 0;
                boolean wholeRows = o0 + o <= og && y0 + R <= s.oh();
                int corner = (n * s.oc() + g * og + o0) * plane + y0 * s.ow();
                for (int xv = 0; xv < xVectors; xv++) {
                    // a row's last vector ends where the row does, covering some columns of the one
                    // before again with the same sums, where the row is at least a vector wide
                    int x0 = s.ow() >= lanes ? Math.min(xv * lanes, s.ow() - lanes) : xv * lanes;
                    // or the row is shorter than a vector, and each of the tile's rows spills into the start of
                    // the next, which a later store writes again (LeNet-5's C3 backward-data: rows of 14 in 16 lanes)
                    boolean spills = xVectors == 1 && y0 + R < s.oh() && lanes - s.ow() <= s.ow();
                    boolean inside = wholeRows && (x0 + lanes <= s.ow() || spills);
                    // the whole tile lies inside the output: its accumulators go straight there; else to a scratch tile
                    if (!inside && tile == null) tile = new float[o * R * lanes];
                    float[] dst = inside ? out : tile;
                    int at = inside ? corner + x0 : 0, row = inside ? s.ow() : lanes, channel = inside ? plane : R * lanes;
                    if (wide) tile6Wide(p.data(), inBase + x0, rowStep, tileTaps, w, w0 + t0, w1 + t0, w2 + t0, w3 + t0, w4 + t0, w5 + t0, dst, at, row, channel);
                    else if (o == O6) tile6(p.data(), inBase + x0, rowStep, tileTaps, w, w0 + t0, w1 + t0, w2 + t0, w3 + t0, w4 + t0, w5 + t0, dst, at, row, channel);
                    else tile(p.data(), inBase + x0, rowStep, tileTaps, w, w0 + t0, w1 + t0, w2 + t0, w3 + t0, w4 + t0, dst, at, row, channel);
                    if (inside) continue;
                    int valid = Math.min(lanes, s.ow() - x0);
                    for (int i = 0; i < o && o0 + i < og; i++) {
                        for (int r = 0; r < R && y0 + r < s.oh(); r++) {
                            System.arraycopy(tile, (i * R + r) * lanes, out, (n * s.oc() + g * og + o0 + i) * plane + (y0 + r) * s.ow() + x0, valid);
                        }
                    }
                }
            }
        });
    }

    /**
     * One tile: {@code O x R} accumulators over all taps, the weights broadcast straight from
     * the filter ({@code vbroadcastss} from memory, a load) rather than from a pre-broadcast copy
     * of every weight, which every tile read again from L2. Four rows tile the ladder's 8- and
     * 24-row outputs with no spare row; five channels rather than four made conv2's forward at
     * mini-batch 64 take 1.40 ms instead of 1.75 (measured at 15486a7; the ladder's 20 and 40
     * filters are whole blocks of either). The 25 live vectors fit AVX-512's 32 registers; on
     * AVX2's 16 ({@code -XX:UseAVX=2}) C2 spills some, and 5 x 4 was slower than 4 x 4 at
     * mini-batch 10. Accumulator {@code (o, r)} goes to {@code dst[at + o * channel + r * row]}:
     * the output itself when the tile lies inside it, else a scratch tile.
     */
    private static void tile(float[] in, int base, int rowStep, int[] taps, float[] w, int w0, int w1, int w2, int w3, int w4,
                             float[] dst, int at, int row, int channel) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00;
        FloatVector a03 = a00, a13 = a00, a23 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        for (int t = 0; t < taps.length; t++) {
            int from = base + taps[t];
            FloatVector x0 = FloatVector.fromArray(S, in, from), x1 = FloatVector.fromArray(S, in, from + rowStep);
            FloatVector x2 = FloatVector.fromArray(S, in, from + 2 * rowStep), x3 = FloatVector.fromArray(S, in, from + 3 * rowStep);
            FloatVector v = FloatVector.broadcast(S, w[w0 + t]);
            a00 = v.fma(x0, a00);
            a01 = v.fma(x1, a01);
            a02 = v.fma(x2, a02);
            a03 = v.fma(x3, a03);
            v = FloatVector.broadcast(S, w[w1 + t]);
            a10 = v.fma(x0, a10);
            a11 = v.fma(x1, a11);
            a12 = v.fma(x2, a12);
            a13 = v.fma(x3, a13);
            v = FloatVector.broadcast(S, w[w2 + t]);
            a20 = v.fma(x0, a20);
            a21 = v.fma(x1, a21);
            a22 = v.fma(x2, a22);
            a23 = v.fma(x3, a23);
            v = FloatVector.broadcast(S, w[w3 + t]);
            a30 = v.fma(x0, a30);
            a31 = v.fma(x1, a31);
            a32 = v.fma(x2, a32);
            a33 = v.fma(x3, a33);
            v = FloatVector.broadcast(S, w[w4 + t]);
            a40 = v.fma(x0, a40);
            a41 = v.fma(x1, a41);
            a42 = v.fma(x2, a42);
            a43 = v.fma(x3, a43);
        }
        a00.intoArray(dst, at);
        a01.intoArray(dst, at + row);
        a02.intoArray(dst, at + 2 * row);
        a03.intoArray(dst, at + 3 * row);
        a10.intoArray(dst, at + channel);
        a11.intoArray(dst, at + channel + row);
        a12.intoArray(dst, at + channel + 2 * row);
        a13.intoArray(dst, at + channel + 3 * row);
        a20.intoArray(dst, at + 2 * channel);
        a21.intoArray(dst, at + 2 * channel + row);
        a22.intoArray(dst, at + 2 * channel + 2 * row);
        a23.intoArray(dst, at + 2 * channel + 3 * row);
        a30.intoArray(dst, at + 3 * channel);
        a31.intoArray(dst, at + 3 * channel + row);
        a32.intoArray(dst, at + 3 * channel + 2 * row);
        a33.intoArray(dst, at + 3 * channel + 3 * row);
        a40.intoArray(dst, at + 4 * channel);
        a41.intoArray(dst, at + 4 * channel + row);
        a42.intoArray(dst, at + 4 * channel + 2 * row);
        a43.intoArray(dst, at + 4 * channel + 3 * row);
    }

    /**
     * Channels a forward tile: {@link #O6} where the group's filters are whole sixes and not fives
     * (LeNet-5's C1, whose 6 filters took two tiles of five, 10 channels computed for 6), else
     * {@link #O}.
     */
    static int channelsATile(int og) {
        return og % O != 0 && og % O6 == 0 ? O6 : O;
    }

    /** As {@link #tile} for {@link #O6} channels: 24 accumulators, which with the 4 input rows and a weight fill 29 of AVX-512's 32 registers. */
    private static void tile6(float[] in, int base, int rowStep, int[] taps, float[] w, int w0, int w1, int w2, int w3, int w4, int w5,
                              float[] dst, int at, int row, int channel) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        for (int t = 0; t < taps.length; t++) {
            int from = base + taps[t];
            FloatVector x0 = FloatVector.fromArray(S, in, from), x1 = FloatVector.fromArray(S, in, from + rowStep);
            FloatVector x2 = FloatVector.fromArray(S, in, from + 2 * rowStep), x3 = FloatVector.fromArray(S, in, from + 3 * rowStep);
            FloatVector v = FloatVector.broadcast(S, w[w0 + t]);
            a00 = v.fma(x0, a00);
            a01 = v.fma(x1, a01);
            a02 = v.fma(x2, a02);
            a03 = v.fma(x3, a03);
            v = FloatVector.broadcast(S, w[w1 + t]);
            a10 = v.fma(x0, a10);
            a11 = v.fma(x1, a11);
            a12 = v.fma(x2, a12);
            a13 = v.fma(x3, a13);
            v = FloatVector.broadcast(S, w[w2 + t]);
            a20 = v.fma(x0, a20);
            a21 = v.fma(x1, a21);
            a22 = v.fma(x2, a22);
            a23 = v.fma(x3, a23);
            v = FloatVector.broadcast(S, w[w3 + t]);
            a30 = v.fma(x0, a30);
            a31 = v.fma(x1, a31);
            a32 = v.fma(x2, a32);
            a33 = v.fma(x3, a33);
            v = FloatVector.broadcast(S, w[w4 + t]);
            a40 = v.fma(x0, a40);
            a41 = v.fma(x1, a41);
            a42 = v.fma(x2, a42);
            a43 = v.fma(x3, a43);
            v = FloatVector.broadcast(S, w[w5 + t]);
            a50 = v.fma(x0, a50);
            a51 = v.fma(x1, a51);
            a52 = v.fma(x2, a52);
            a53 = v.fma(x3, a53);
        }
        a00.intoArray(dst, at);
        a01.intoArray(dst, at + row);
        a02.intoArray(dst, at + 2 * row);
        a03.intoArray(dst, at + 3 * row);
        a10.intoArray(dst, at + channel);
        a11.intoArray(dst, at + channel + row);
        a12.intoArray(dst, at + channel + 2 * row);
        a13.intoArray(dst, at + channel + 3 * row);
        a20.intoArray(dst, at + 2 * channel);
        a21.intoArray(dst, at + 2 * channel + row);
        a22.intoArray(dst, at + 2 * channel + 2 * row);
        a23.intoArray(dst, at + 2 * channel + 3 * row);
        a30.intoArray(dst, at + 3 * channel);
        a31.intoArray(dst, at + 3 * channel + row);
        a32.intoArray(dst, at + 3 * channel + 2 * row);
        a33.intoArray(dst, at + 3 * channel + 3 * row);
        a40.intoArray(dst, at + 4 * channel);
        a41.intoArray(dst, at + 4 * channel + row);
        a42.intoArray(dst, at + 4 * channel + 2 * row);
        a43.intoArray(dst, at + 4 * channel + 3 * row);
        a50.intoArray(dst, at + 5 * channel);
        a51.intoArray(dst, at + 5 * channel + row);
        a52.intoArray(dst, at + 5 * channel + 2 * row);
        a53.intoArray(dst, at + 5 * channel + 3 * row);
    }

    /** As {@link #tile6} at the widest vectors ({@link #W}). */
    static void tile6Wide(float[] in, int base, int rowStep, int[] taps, float[] w, int w0, int w1, int w2, int w3, int w4, int w5,
                                  float[] dst, int at, int row, int channel) {
        FloatVector a00 = FloatVector.zero(W), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        FloatVector a40 = a00, a41 = a00, a42 = a00, a43 = a00;
        FloatVector a50 = a00, a51 = a00, a52 = a00, a53 = a00;
        for (int t = 0; t < taps.length; t++) {
            int from = base + taps[t];
            FloatVector x0 = FloatVector.fromArray(W, in, from), x1 = FloatVector.fromArray(W, in, from + rowStep);
            FloatVector x2 = FloatVector.fromArray(W, in, from + 2 * rowStep), x3 = FloatVector.fromArray(W, in, from + 3 * rowStep);
            FloatVector v = FloatVector.broadcast(W, w[w0 + t]);
            a00 = v.fma(x0, a00);
            a01 = v.fma(x1, a01);
            a02 = v.fma(x2, a02);
            a03 = v.fma(x3, a03);
            v = FloatVector.broadcast(W, w[w1 + t]);
            a10 = v.fma(x0, a10);
            a11 = v.fma(x1, a11);
            a12 = v.fma(x2, a12);
            a13 = v.fma(x3, a13);
            v = FloatVector.broadcast(W, w[w2 + t]);
            a20 = v.fma(x0, a20);
            a21 = v.fma(x1, a21);
            a22 = v.fma(x2, a22);
            a23 = v.fma(x3, a23);
            v = FloatVector.broadcast(W, w[w3 + t]);
            a30 = v.fma(x0, a30);
            a31 = v.fma(x1, a31);
            a32 = v.fma(x2, a32);
            a33 = v.fma(x3, a33);
            v = FloatVector.broadcast(W, w[w4 + t]);
            a40 = v.fma(x0, a40);
            a41 = v.fma(x1, a41);
            a42 = v.fma(x2, a42);
            a43 = v.fma(x3, a43);
            v = FloatVector.broadcast(W, w[w5 + t]);
            a50 = v.fma(x0, a50);
            a51 = v.fma(x1, a51);
            a52 = v.fma(x2, a52);
            a53 = v.fma(x3, a53);
        }
        a00.intoArray(dst, at);
        a01.intoArray(dst, at + row);
        a02.intoArray(dst, at + 2 * row);
        a03.intoArray(dst, at + 3 * row);
        a10.intoArray(dst, at + channel);
        a11.intoArray(dst, at + channel + row);
        a12.intoArray(dst, at + channel + 2 * row);
        a13.intoArray(dst, at + channel + 3 * row);
        a20.intoArray(dst, at + 2 * channel);
        a21.intoArray(dst, at + 2 * channel + row);
        a22.intoArray(dst, at + 2 * channel + 2 * row);
        a23.intoArray(dst, at + 2 * channel + 3 * row);
        a30.intoArray(dst, at + 3 * channel);
        a31.intoArray(dst, at + 3 * channel + row);
        a32.intoArray(dst, at + 3 * channel + 2 * row);
        a33.intoArray(dst, at + 3 * channel + 3 * row);
        a40.intoArray(dst, at + 4 * channel);
        a41.intoArray(dst, at + 4 * channel + row);
        a42.intoArray(dst, at + 4 * channel + 2 * row);
        a43.intoArray(dst, at + 4 * channel + 3 * row);
        a50.intoArray(dst, at + 5 * channel);
        a51.intoArray(dst, at + 5 * channel + row);
        a52.intoArray(dst, at + 5 * channel + 2 * row);
        a53.intoArray(dst, at + 5 * channel + 3 * row);
    }

    /**
     * Whether backward-data runs as {@link #forward} ({@link #backwardDataAsForward}): unit strides
     * and dilations, padding less than the filter, input rows at least a vector wide, and input
     * channels a group that the six-channel tile fills and the five-channel one does not (LeNet-5's
     * C3: 6 channels, whose rows of 10 gradient columns half fill the backward-data tile's vectors).
     */
    static boolean appliesToDataAsForward(ConvShape s) {
        return s.sh() == 1 && s.sw() == 1 && s.dh() == 1 && s.dw() == 1 && s.ph() < s.kh() && s.pw() < s.kw() && s.w() >= L
                && channelsATile(s.cPerGroup()) == O6;
    }

    /**
     * {@code dIn} as the forward convolution of {@code dOut}, padded by {@code kh - 1 - ph} and
     * {@code kw - 1 - pw}, with each filter turned half a circle and its channels swapped with the
     * filters: {@code dIn[n,c,y,x] = sum_{o,dy,dx} w[o,c,kh-1-dy,kw-1-dx] dOutPadded[n,o,y+dy,x+dx]}.
     * Classic LeNet-5's C3 at mini-batch 64 on two threads of a Zen 5: 264 us, against 542 directly
     * ({@link #backwardData}). Its padding of 4 rows fills whole tiles under some rows of taps, which
     * are skipped ({@link #tapRows}): at mini-batch 5 on one thread 32.3-32.8 us against 35.8-36.7.
     */
    static void backwardDataAsForward(float[] dIn, float[] dOut, float[] w, ConvShape s, Parallel parallel) {
        ConvShape t = new ConvShape(s.n(), s.oc(), s.oh(), s.ow(), s.c(), s.kh(), s.kw(), 1, 1, s.kh() - 1 - s.ph(), s.kw() - 1 - s.pw(), 1, 1, s.groups());
        forward(dIn, dOut, byRow(w, t, true), t, true, parallel);
    }

    /** Input channels per backward-data tile. */
    static final int DC = 4;
    /** Filter columns a backward-data tile covers; narrower filters get zero weights in the rest. */
    static final int DX = 5;

    /**
     * Whether backward-data can run directly: unit strides and dilations, filters at most
     * {@link #DX} wide, and at least {@link #DC} input channels per group (a single channel, as in a
     * first layer, would leave three quarters of the tile idle).
     */
    static boolean appliesToData(ConvShape s) {
        return s.sh() == 1 && s.sw() == 1 && s.dh() == 1 && s.dw() == 1 && s.kw() <= DX && s.cPerGroup() >= DC;
    }

    /**
     * {@code dIn[n,c,iy,ix] = sum_{o,dy,dx} w[o,c,dy,dx] dOut[n,o,iy+ph-dy,ix+pw-dx]}, one task per
     * sample and block of {@link #DC} input channels, row by row. A vector holds {@code L}
     * neighbouring output columns {@code x}, a whole row of {@code dOut} at a time, read where it
     * lies. For each channel and filter column {@code dx} the tile sums
     * {@code sum_{o,dy} w[o,c,dy,dx] dOut[o, iy+ph-dy, x]}, which belongs at input columns
     * {@code x + dx - pw}; the {@code DX} sums of a channel are then shifted into place and added.
     * Each step costs one gradient load, {@code DC x DX} weights broadcast from a packed copy and
     * as many FMAs. Only the filter rows {@code dy} that land on an output row are visited, so for
     * {@code kw = DX} the tile does the convolution's multiply-adds and no more, like col2im, but
     * writes no column matrix: the ladder's conv2 at mini-batch 64 in 1.07 ms instead of col2im's
     * 2.0 (measured at 4dc7b2e). Rows that are not whole vectors (LeNet-5's C3, 10 columns) are read
     * from a copy of {@code dOut} whose rows are padded with zeros to whole vectors.
     */
    static void backwardData(float[] dIn, float[] dOut, float[] w, ConvShape s, Parallel parallel) {
        if (twoRowsAVector(s)) backwardDataTwoRows(dIn, dOut, w, s, parallel);
        else backwardDataByRow(dIn, dOut, w, s, parallel);
    }

    /** {@link #backwardData} a row of {@code dIn} at a time. */
    static void backwardDataByRow(float[] dIn, float[] dOut, float[] w, ConvShape s, Parallel parallel) {
        int cg = s.cPerGroup(), og = s.ocPerGroup(), kh = s.kh(), cBlocks = (cg + DC - 1) / DC;
        int ow = (s.ow() + L - 1) / L * L, plane = s.oh() * ow, xVectors = ow / L, steps = kh * og, rowWidth = ow + L;
        float[] gradientRows = ow == s.ow() ? dOut : wholeRows(dOut, s, ow, parallel);
        float[] packed = packedForData(w, s, DC);
        // step q = (dy, o): its gradient row, relative to output row iy + ph of the group's first channel
        int[] gradient = new int[steps];
        for (int dy = 0, q = 0; dy < kh; dy++) {
            for (int o = 0; o < og; o++, q++) gradient[q] = o * plane - dy * ow;
        }
        // a task is a block of channels of one sample, all its rows: tasks running side by side
        // write different planes, where tasks of neighbouring rows shared cache lines at their edges
        parallel.forEach(s.n() * s.groups() * cBlocks, task -> {
            int cb = task % cBlocks, g = task / cBlocks % s.groups(), n = task / cBlocks / s.groups();
            float[][] scratch = DATA_SCRATCH.get();
            if (scratch[0].length < DC * rowWidth) scratch[0] = new float[DC * rowWidth];
            float[] rows = scratch[0];
            int weights = (g * cBlocks + cb) * steps * DC * DX;
            for (int iy = 0; iy < s.h(); iy++) {
                // the filter rows dy whose output row iy + ph - dy lies in [0, oh); steps are dy-major
                int dyLo = Math.max(0, iy + s.ph() - s.oh() + 1), dyHi = Math.min(kh - 1, iy + s.ph());
                int dOutRow = (n * s.oc() + g * og) * plane + (iy + s.ph()) * ow;
                Arrays.fill(rows, 0, DC * rowWidth, 0f);
                for (int xv = 0; xv < xVectors; xv++) {
                    dataTile(gradientRows, dOutRow + xv * L, packed, weights, gradient, dyLo * og, (dyHi + 1) * og, scratch[1]);
                    for (int i = 0; i < DC; i++) shiftAdd(scratch[1], i * DX * 3 * L, rows, i * rowWidth + xv * L);
                }
                for (int i = 0; i < DC && cb * DC + i < cg; i++) {
                    System.arraycopy(rows, i * rowWidth + s.pw(), dIn, ((n * s.c() + g * cg + cb * DC + i) * s.h() + iy) * s.w(), s.w());
                }
            }
        });
    }

    /** The weights as [group][channel block][dy][o][dc channels][DX columns], zero past the filter and the group. */
    private static float[] packedForData(float[] w, ConvShape s, int dc) {
        int cg = s.cPerGroup(), og = s.ocPerGroup(), kh = s.kh(), kw = s.kw(), cBlocks = (cg + dc - 1) / dc, steps = kh * og;
        float[] packed = Workspace.array(dc == DC ? "backward-data weights" : "backward-data weights, two samples a tile", s, s.groups() * cBlocks * steps * dc * DX);
        for (int g = 0; g < s.groups(); g++) {
            for (int cb = 0; cb < cBlocks; cb++) {
                for (int dy = 0; dy < kh; dy++) {
                    for (int o = 0; o < og; o++) {
                        int at = (((g * cBlocks + cb) * kh + dy) * og + o) * dc * DX;
                        for (int i = 0, c = cb * dc; i < dc; i++, c++) {
                            for (int dx = 0; dx < DX; dx++) {
                                packed[at + i * DX + dx] = c < cg && dx < kw ? w[(((g * og + o) * cg + c) * kh + dy) * kw + dx] : 0f;
                            }
                        }
                    }
                }
            }
        }
        return packed;
    }

    /**
     * Whether backward-data takes two rows of {@code dOut} a vector ({@link #backwardDataTwoRows}):
     * it runs directly ({@link #appliesToData}), its rows fit in one vector of {@code L} and the
     * widest vectors are twice that (Nielsen's conv2, rows of 8, at 256 bits on an AVX-512 CPU).
     */
    static boolean twoRowsAVector(ConvShape s) {
        return WL == 2 * L && s.ow() <= L && appliesToData(s);
    }

    /** Input channels per tile of {@link #backwardDataTwoRows}, which takes two samples. */
    static final int DC2 = 2;

    /**
     * {@link #backwardData} for two input rows at once, in vectors of the widest ({@link #W}) whose
     * lower half is a gradient row and upper half the next: a load at gradient row {@code iy + ph - dy}
     * serves input rows {@code iy} and {@code iy + 1} with the same weight. A tile takes
     * {@link #DC2} channels of two samples, so each weight broadcast serves two gradient vectors:
     * twelve loads for twenty FMAs, where {@link #dataTile} takes 21. The gradient is copied with
     * each row widened to {@code L} and a zero row above and below each plane, which the pair's one
     * extra filter row reads. The sums are {@link #backwardData}'s, in its order, plus those zeros.
     * Nielsen's conv2 at mini-batch 5 on one thread of a Zen 5 took 114-116 us against 152-173 a row
     * at a time (133-136 with one sample a tile), and the v3 step at mini-batch 10 579-614 us
     * against 605-664 (2 threads, alternating JVMs).
     */
    static void backwardDataTwoRows(float[] dIn, float[] dOut, float[] w, ConvShape s, Parallel parallel) {
        int cg = s.cPerGroup(), og = s.ocPerGroup(), kh = s.kh(), cBlocks = (cg + DC2 - 1) / DC2, steps = kh * og, pairs = (s.n() + 1) / 2;
        int rows = s.oh() + 2, plane = rows * L;
        // the zero rows and columns are never written, so a reused array keeps them zero
        float[] gradientRows = Workspace.array("backward-data gradient, two rows a vector", s, s.n() * s.oc() * plane);
        Padded.copyPlanes(dOut, s.n() * s.oc(), s.oh(), s.ow(), gradientRows, rows, L, 1, 0, parallel);
        float[] packed = packedForData(w, s, DC2);
        int[] gradient = new int[steps];
        for (int dy = 0, q = 0; dy < kh; dy++) {
            for (int o = 0; o < og; o++, q++) gradient[q] = o * plane - dy * L;
        }
        parallel.forEach(pairs * s.groups() * cBlocks, task -> {
            int cb = task % cBlocks, g = task / cBlocks % s.groups(), n0 = task / cBlocks / s.groups() * 2, n1 = Math.min(n0 + 1, s.n() - 1);
            float[][] scratch = PAIR_SCRATCH.get();
            float[] sums = scratch[0], slots = scratch[1];
            int weights = (g * cBlocks + cb) * steps * DC2 * DX;
            for (int iy = 0; iy < s.h(); iy += 2) {
                // the filter rows dy whose gradient row lies in [0, oh) for row iy or iy + 1
                int dyLo = Math.max(0, iy + s.ph() - s.oh() + 1), dyHi = Math.min(kh - 1, iy + 1 + s.ph());
                int row = g * og * plane + (iy + s.ph() + 1) * L;
                dataTileTwo(gradientRows, n0 * s.oc() * plane + row, n1 * s.oc() * plane + row, packed, weights, gradient, dyLo * og, (dyHi + 1) * og, slots);
                for (int t = 0; t < 2 * DC2; t++) shiftAddTwo(slots, t * DX * 3 * WL, sums, t * 4 * L);
                for (int t = 0; t < 2 * DC2; t++) {
                    int n = t < DC2 ? n0 : n0 + 1, c = cb * DC2 + t % DC2;
                    if (n >= s.n() || c >= cg) continue;
                    for (int r = 0; r < 2 && iy + r < s.h(); r++) {
                        System.arraycopy(sums, (2 * t + r) * 2 * L + s.pw(), dIn, ((n * s.c() + g * cg + c) * s.h() + iy + r) * s.w(), s.w());
                    }
                }
            }
        });
    }

    /** Per thread: two rows of two vectors for each of a tile's channels of two samples, and the slots of {@link #dataTileTwo}, between zero vectors that are never written. */
    private static final ThreadLocal<float[][]> PAIR_SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[2 * DC2 * 4 * L], new float[2 * DC2 * DX * 3 * WL]});

    /**
     * {@link #dataTile} at the widest vectors for {@link #DC2} channels of two samples, whose
     * gradient rows start at {@code base0} and {@code base1}: sum {@code (sample, i, dx)} stored at
     * {@code (((sample * DC2 + i) * DX + dx) * 3 + 1) * WL}, between zero vectors.
     */
    private static void dataTileTwo(float[] dOut, int base0, int base1, float[] w, int weights, int[] gradient, int q0, int q1, float[] slots) {
        FloatVector a00 = FloatVector.zero(W), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector b00 = a00, b01 = a00, b02 = a00, b03 = a00, b04 = a00;
        FloatVector b10 = a00, b11 = a00, b12 = a00, b13 = a00, b14 = a00;
        for (int q = q0, k = weights + q0 * DC2 * DX; q < q1; q++, k += DC2 * DX) {
            FloatVector g = FloatVector.fromArray(W, dOut, base0 + gradient[q]), h = FloatVector.fromArray(W, dOut, base1 + gradient[q]);
            FloatVector x = FloatVector.broadcast(W, w[k]);
            a00 = x.fma(g, a00);
            b00 = x.fma(h, b00);
            x = FloatVector.broadcast(W, w[k + 1]);
            a01 = x.fma(g, a01);
            b01 = x.fma(h, b01);
            x = FloatVector.broadcast(W, w[k + 2]);
            a02 = x.fma(g, a02);
            b02 = x.fma(h, b02);
            x = FloatVector.broadcast(W, w[k + 3]);
            a03 = x.fma(g, a03);
            b03 = x.fma(h, b03);
            x = FloatVector.broadcast(W, w[k + 4]);
            a04 = x.fma(g, a04);
            b04 = x.fma(h, b04);
            x = FloatVector.broadcast(W, w[k + 5]);
            a10 = x.fma(g, a10);
            b10 = x.fma(h, b10);
            x = FloatVector.broadcast(W, w[k + 6]);
            a11 = x.fma(g, a11);
            b11 = x.fma(h, b11);
            x = FloatVector.broadcast(W, w[k + 7]);
            a12 = x.fma(g, a12);
            b12 = x.fma(h, b12);
            x = FloatVector.broadcast(W, w[k + 8]);
            a13 = x.fma(g, a13);
            b13 = x.fma(h, b13);
            x = FloatVector.broadcast(W, w[k + 9]);
            a14 = x.fma(g, a14);
            b14 = x.fma(h, b14);
        }
        a00.intoArray(slots, WL);
        a01.intoArray(slots, 4 * WL);
        a02.intoArray(slots, 7 * WL);
        a03.intoArray(slots, 10 * WL);
        a04.intoArray(slots, 13 * WL);
        a10.intoArray(slots, 16 * WL);
        a11.intoArray(slots, 19 * WL);
        a12.intoArray(slots, 22 * WL);
        a13.intoArray(slots, 25 * WL);
        a14.intoArray(slots, 28 * WL);
        b00.intoArray(slots, 31 * WL);
        b01.intoArray(slots, 34 * WL);
        b02.intoArray(slots, 37 * WL);
        b03.intoArray(slots, 40 * WL);
        b04.intoArray(slots, 43 * WL);
        b10.intoArray(slots, 46 * WL);
        b11.intoArray(slots, 49 * WL);
        b12.intoArray(slots, 52 * WL);
        b13.intoArray(slots, 55 * WL);
        b14.intoArray(slots, 58 * WL);
    }

    /**
     * {@link #shiftAdd} for a slot that holds two rows' sums, into {@code sums[at ..]}: the first
     * row's two vectors of input columns, then the second's. The lanes a shift pushes from one row
     * into the other are masked off.
     */
    private static void shiftAddTwo(float[] slots, int from, float[] sums, int at) {
        FloatVector low0 = FloatVector.zero(S), high0 = low0, low1 = low0, high1 = low0;
        for (int dx = 0; dx < DX; dx++) {
            int slot = from + (dx * 3 + 1) * WL;
            VectorMask<Float> pushedOut = VectorMask.fromLong(S, (1L << dx) - 1);
            low0 = low0.add(FloatVector.fromArray(S, slots, slot - dx));
            high0 = high0.add(FloatVector.fromArray(S, slots, slot + L - dx, pushedOut));
            low1 = low1.add(FloatVector.fromArray(S, slots, slot + L - dx, pushedOut.not()));
            high1 = high1.add(FloatVector.fromArray(S, slots, slot + 2 * L - dx));
        }
        low0.intoArray(sums, at);
        high0.intoArray(sums, at + L);
        low1.intoArray(sums, at + 2 * L);
        high1.intoArray(sums, at + 3 * L);
    }

    /** {@code dOut} with each row widened to {@code ow} columns, the padding zero (never written, so a reused array keeps it). */
    private static float[] wholeRows(float[] dOut, ConvShape s, int ow, Parallel parallel) {
        float[] whole = Workspace.array("backward-data gradient, rows of whole vectors", s, s.n() * s.oc() * s.oh() * ow);
        Padded.copyPlanes(dOut, s.n() * s.oc(), s.oh(), s.ow(), whole, s.oh(), ow, 0, 0, parallel);
        return whole;
    }

    /**
     * Per thread: {@code DC} rows of input columns being summed (grown as needed), and the slots a
     * backward-data tile stores its sums in, each between zero vectors that are never written.
     */
    private static final ThreadLocal<float[][]> DATA_SCRATCH = ThreadLocal.withInitial(() -> new float[][] {new float[0], new float[DC * DX * 3 * L]});

    /**
     * One backward-data tile: {@code DC x DX} accumulators over steps {@code q0 .. q1 - 1}, stored
     * into {@code slots}: sum {@code (i, dx)} at {@code ((i * DX + dx) * 3 + 1) * L}, between zero vectors.
     */
    private static void dataTile(float[] dOut, int base, float[] w, int weights, int[] gradient, int q0, int q1, float[] slots) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00;
        for (int q = q0, k = weights + q0 * DC * DX; q < q1; q++, k += DC * DX) {
            FloatVector g = FloatVector.fromArray(S, dOut, base + gradient[q]);
            a00 = FloatVector.broadcast(S, w[k]).fma(g, a00);
            a01 = FloatVector.broadcast(S, w[k + 1]).fma(g, a01);
            a02 = FloatVector.broadcast(S, w[k + 2]).fma(g, a02);
            a03 = FloatVector.broadcast(S, w[k + 3]).fma(g, a03);
            a04 = FloatVector.broadcast(S, w[k + 4]).fma(g, a04);
            a10 = FloatVector.broadcast(S, w[k + 5]).fma(g, a10);
            a11 = FloatVector.broadcast(S, w[k + 6]).fma(g, a11);
            a12 = FloatVector.broadcast(S, w[k + 7]).fma(g, a12);
            a13 = FloatVector.broadcast(S, w[k + 8]).fma(g, a13);
            a14 = FloatVector.broadcast(S, w[k + 9]).fma(g, a14);
            a20 = FloatVector.broadcast(S, w[k + 10]).fma(g, a20);
            a21 = FloatVector.broadcast(S, w[k + 11]).fma(g, a21);
            a22 = FloatVector.broadcast(S, w[k + 12]).fma(g, a22);
            a23 = FloatVector.broadcast(S, w[k + 13]).fma(g, a23);
            a24 = FloatVector.broadcast(S, w[k + 14]).fma(g, a24);
            a30 = FloatVector.broadcast(S, w[k + 15]).fma(g, a30);
            a31 = FloatVector.broadcast(S, w[k + 16]).fma(g, a31);
            a32 = FloatVector.broadcast(S, w[k + 17]).fma(g, a32);
            a33 = FloatVector.broadcast(S, w[k + 18]).fma(g, a33);
            a34 = FloatVector.broadcast(S, w[k + 19]).fma(g, a34);
        }
        // stored rather than shifted here: C2 inlines too little of a tile this large to keep 20
        // vectors passed to a helper unboxed, and the Vector API's slice and masked add did not
        // compile to single instructions
        a00.intoArray(slots, L);
        a01.intoArray(slots, 4 * L);
        a02.intoArray(slots, 7 * L);
        a03.intoArray(slots, 10 * L);
        a04.intoArray(slots, 13 * L);
        a10.intoArray(slots, 16 * L);
        a11.intoArray(slots, 19 * L);
        a12.intoArray(slots, 22 * L);
        a13.intoArray(slots, 25 * L);
        a14.intoArray(slots, 28 * L);
        a20.intoArray(slots, 31 * L);
        a21.intoArray(slots, 34 * L);
        a22.intoArray(slots, 37 * L);
        a23.intoArray(slots, 40 * L);
        a24.intoArray(slots, 43 * L);
        a30.intoArray(slots, 46 * L);
        a31.intoArray(slots, 49 * L);
        a32.intoArray(slots, 52 * L);
        a33.intoArray(slots, 55 * L);
        a34.intoArray(slots, 58 * L);
    }

    /**
     * {@code row[at + x + dx] += sum_dx[x]} for the {@code DX} sums of one channel, stored from
     * {@code slots[from]} three vectors apart: a load {@code L - dx} lanes into a slot is its sum
     * shifted right by {@code dx} lanes, a load {@code 2L - dx} lanes in is what the shift pushed out.
     */
    private static void shiftAdd(float[] slots, int from, float[] row, int at) {
        FloatVector low = FloatVector.fromArray(S, row, at), high = FloatVector.zero(S);
        for (int dx = 0; dx < DX; dx++) {
            int slot = from + dx * 3 * L;
            low = low.add(FloatVector.fromArray(S, slots, slot + L - dx));
            high = high.add(FloatVector.fromArray(S, slots, slot + 2 * L - dx));
        }
        low.intoArray(row, at);
        high.intoArray(row, at + L);
    }

    /**
     * Whether backward-weights can run directly: as {@link #applies}. Rows that are not whole
     * vectors (LeNet-5's 28 and 10 columns) are summed from a copy of the gradient whose rows are
     * padded with zeros to whole vectors, the input's spare columns under the padding.
     */
    static boolean appliesToWeights(ConvShape s) {
        return applies(s);
    }

    /**
     * Whether backward-weights takes tiles of {@link #WO3} channels by {@link #T5} taps at the
     * widest vectors: where those are wider than {@code L}, rows fill them as well, the filters
     * are whole sixes and not fives ({@link #channelsATile}) and the taps whole fives. LeNet-5's
     * C1 (6 filters of 5 x 5, rows of 28) took 14 tiles of 4 x 4, 8 channels computed for 6. A
     * tile's taps are a row of the filter, five neighbouring columns.
     */
    static boolean wideWeights(ConvShape s) {
        return WL > L && fillsWide(s.ow()) && channelsATile(s.ocPerGroup()) == O6 && s.kw() == T5 && s.dw() == 1;
    }

    /** Whether rows of {@code width} outputs take no more lanes in vectors of {@link #WL} than of {@code L}. */
    private static boolean fillsWide(int width) {
        return Gemm.roundUp(width, WL) <= Gemm.roundUp(width, L);
    }

    /** {@code dW[o][k] += sum_{n,y,x} dOut[n,o,y,x] in[n, c_k, y*SH + dy_k, x + dx_k]}, one task per tile of channels and taps. */
    static void backwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s, Parallel parallel) {
        Padded p = Padded.of(in, s, parallel);
        int[] taps = p.taps(s);
        boolean wide = wideWeights(s);
        int k = taps.length, og = s.ocPerGroup(), wo = wide ? WO3 : WO, tt = wide ? T5 : T, lanes = wide ? WL : L;
        int oBlocks = (og + wo - 1) / wo, tBlocks = (k + tt - 1) / tt;
        // every vector step (n, y, x) as a pair of offsets, so the tile is one flat loop: C2 keeps the
        // accumulators in registers through a single loop, and boxed them through the nested one (7 GFLOP/s, 3659e5a)
        int row = Gemm.roundUp(s.ow(), lanes), oh = s.oh(), plane = oh * row, inPlane = p.hp() * p.wp();
        float[] gradientRows = wholeVectorRows(dOut, s, row, parallel);
        int steps = s.n() * oh * (row / lanes);
        int[] gradient = new int[steps], input = new int[steps];
        for (int n = 0, q = 0; n < s.n(); n++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < row; x += lanes, q++) {
                    gradient[q] = n * s.oc() * plane + y * row + x;
                    input[q] = n * s.c() * inPlane + y * s.sh() * p.wp() + x;
                }
            }
        }
        parallel.forEach(s.groups() * oBlocks * tBlocks, task -> {
            // channel blocks vary fastest: tasks running side by side add into different rows of dW
            int ob = task % oBlocks, tb = task / oBlocks % tBlocks, g = task / oBlocks / tBlocks;
            int[] o = new int[wo], t = new int[tt];
            int groupInput = g * s.cPerGroup() * inPlane;
            for (int i = 0; i < wo; i++) o[i] = (g * og + Math.min(ob * wo + i, og - 1)) * plane;
            for (int i = 0; i < tt; i++) t[i] = groupInput + taps[Math.min(tb * tt + i, k - 1)];
            float[] sums = new float[wo * tt];
            if (wide) {
                // a tile's taps are one filter row, its channels neighbours: two offsets live, not eight
                float[] partial = new float[wo * tt * WL];
                weightsTileWide(gradientRows, p.data(), gradient, input, steps, o[0], plane, t[0], partial);
                Gemm.sumLanes(partial, WL, sums, wo * tt);
            } else {
                weightsTile(gradientRows, p.data(), gradient, input, steps, o[0], o[1], o[2], o[3], t[0], t[1], t[2], t[3], sums);
            }
            for (int i = 0; i < wo && ob * wo + i < og; i++) {
                for (int j = 0; j < tt && tb * tt + j < k; j++) dW[(g * og + ob * wo + i) * k + tb * tt + j] += sums[i * tt + j];
            }
        });
    }

    /**
     * {@code dOut} itself when its rows are whole vectors, else a copy whose rows are {@code row}
     * wide, padded with zeros (never written, so a reused array keeps them zero).
     */
    private static float[] wholeVectorRows(float[] dOut, ConvShape s, int row, Parallel parallel) {
        if (row == s.ow()) return dOut;
        int plane = s.oh() * row;
        float[] rows = Workspace.array("gradient rows padded to whole vectors", s, s.n() * s.oc() * plane);
        parallel.forEach(s.n() * s.oc(), q -> {
            for (int y = 0; y < s.oh(); y++) System.arraycopy(dOut, (q * s.oh() + y) * s.ow(), rows, q * plane + y * row, s.ow());
        });
        return rows;
    }

    /** The {@code WO x T} sums of one backward-weights tile: channel offsets {@code o*}, tap offsets {@code t*}, over every step. */
    private static void weightsTile(float[] dOut, float[] in, int[] gradient, int[] input, int steps,
                                    int o0, int o1, int o2, int o3, int t0, int t1, int t2, int t3, float[] sums) {
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        for (int q = 0; q < steps; q++) {
            int d = gradient[q], at = input[q];
            FloatVector g0 = FloatVector.fromArray(S, dOut, d + o0);
            FloatVector g1 = FloatVector.fromArray(S, dOut, d + o1);
            FloatVector g2 = FloatVector.fromArray(S, dOut, d + o2);
            FloatVector g3 = FloatVector.fromArray(S, dOut, d + o3);
            FloatVector x0 = FloatVector.fromArray(S, in, at + t0), x1 = FloatVector.fromArray(S, in, at + t1);
            FloatVector x2 = FloatVector.fromArray(S, in, at + t2), x3 = FloatVector.fromArray(S, in, at + t3);
            a00 = g0.fma(x0, a00);
            a01 = g0.fma(x1, a01);
            a02 = g0.fma(x2, a02);
            a03 = g0.fma(x3, a03);
            a10 = g1.fma(x0, a10);
            a11 = g1.fma(x1, a11);
            a12 = g1.fma(x2, a12);
            a13 = g1.fma(x3, a13);
            a20 = g2.fma(x0, a20);
            a21 = g2.fma(x1, a21);
            a22 = g2.fma(x2, a22);
            a23 = g2.fma(x3, a23);
            a30 = g3.fma(x0, a30);
            a31 = g3.fma(x1, a31);
            a32 = g3.fma(x2, a32);
            a33 = g3.fma(x3, a33);
        }
        sums[0] = Gemm.sum(a00);
        sums[1] = Gemm.sum(a01);
        sums[2] = Gemm.sum(a02);
        sums[3] = Gemm.sum(a03);
        sums[4] = Gemm.sum(a10);
        sums[5] = Gemm.sum(a11);
        sums[6] = Gemm.sum(a12);
        sums[7] = Gemm.sum(a13);
        sums[8] = Gemm.sum(a20);
        sums[9] = Gemm.sum(a21);
        sums[10] = Gemm.sum(a22);
        sums[11] = Gemm.sum(a23);
        sums[12] = Gemm.sum(a30);
        sums[13] = Gemm.sum(a31);
        sums[14] = Gemm.sum(a32);
        sums[15] = Gemm.sum(a33);
    }

    /** As {@link #weightsTile} for {@link #WO3} channels by {@link #T5} taps at the widest vectors. */
    private static void weightsTileWide(float[] dOut, float[] in, int[] gradient, int[] input, int steps, int o0, int plane, int t0, float[] lanes) {
        FloatVector a00 = FloatVector.zero(W), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        for (int q = 0; q < steps; q++) {
            int d = gradient[q] + o0, at = input[q] + t0;
            FloatVector g0 = FloatVector.fromArray(W, dOut, d), g1 = FloatVector.fromArray(W, dOut, d + plane), g2 = FloatVector.fromArray(W, dOut, d + 2 * plane);
            FloatVector x0 = FloatVector.fromArray(W, in, at), x1 = FloatVector.fromArray(W, in, at + 1), x2 = FloatVector.fromArray(W, in, at + 2);
            FloatVector x3 = FloatVector.fromArray(W, in, at + 3), x4 = FloatVector.fromArray(W, in, at + 4);
            a00 = g0.fma(x0, a00);
            a01 = g0.fma(x1, a01);
            a02 = g0.fma(x2, a02);
            a03 = g0.fma(x3, a03);
            a04 = g0.fma(x4, a04);
            a10 = g1.fma(x0, a10);
            a11 = g1.fma(x1, a11);
            a12 = g1.fma(x2, a12);
            a13 = g1.fma(x3, a13);
            a14 = g1.fma(x4, a14);
            a20 = g2.fma(x0, a20);
            a21 = g2.fma(x1, a21);
            a22 = g2.fma(x2, a22);
            a23 = g2.fma(x3, a23);
            a24 = g2.fma(x4, a24);
        }
        a00.intoArray(lanes, 0);
        a01.intoArray(lanes, WL);
        a02.intoArray(lanes, 2 * WL);
        a03.intoArray(lanes, 3 * WL);
        a04.intoArray(lanes, 4 * WL);
        a10.intoArray(lanes, 5 * WL);
        a11.intoArray(lanes, 6 * WL);
        a12.intoArray(lanes, 7 * WL);
        a13.intoArray(lanes, 8 * WL);
        a14.intoArray(lanes, 9 * WL);
        a20.intoArray(lanes, 10 * WL);
        a21.intoArray(lanes, 11 * WL);
        a22.intoArray(lanes, 12 * WL);
        a23.intoArray(lanes, 13 * WL);
        a24.intoArray(lanes, 14 * WL);
    }

}
