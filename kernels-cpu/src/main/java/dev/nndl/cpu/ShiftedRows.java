package dev.nndl.cpu;

import static dev.nndl.cpu.DirectConv.O6;
import static dev.nndl.cpu.DirectConv.R;
import static dev.nndl.cpu.DirectConv.W;
import static dev.nndl.cpu.DirectConv.WL;

import dev.nndl.shape.ConvShape;
import jdk.incubator.vector.FloatVector;

/**
 * Forward convolution over rows shorter than a vector (LeNet-5's C3: rows of 10 outputs) as the
 * direct convolution of one long row: with {@code kw} copies of the input, each shifted left by a
 * column {@code dx} and cut to rows of {@code ow},
 * <pre>
 *   X[n,dx,c][y ow + x] = in[n,c,y,x+dx]
 *   out[n,o][q]         = sum_{c,dy,dx} w[o,c,dy,dx] X[n,dx,c][q + dy ow]      q = y ow + x
 * </pre>
 * a tap is a shift along the flattened plane, and a whole output plane is one row of
 * {@code oh * ow} outputs, which {@link DirectConv}'s six-channel tile covers four vectors at a time
 * with the weights broadcast from the filter, where channels in the lanes ({@link WideLanes})
 * broadcast an input element for every multiply-add. The plane's last tile ends where the plane
 * does and the group's last six filters end at its last, recomputing some sums of the tile before
 * with the same operations in the same order: every tile stores straight into the output. On one
 * thread of a Zen 5 at mini-batch 5: LeNet-5's C3 in 23.3-23.5 us against 27.5-37.5 in the wide
 * lanes, bit for bit the same sums.
 */
final class ShiftedRows {

    private ShiftedRows() {}

    /**
     * Unit strides and dilations, no padding, one group of six filters to a widest vector's worth,
     * output rows shorter than a widest vector, and planes of at least a tile of four of them.
     * More filters (Nielsen's conv2, 40) keep {@link WideLanes}: at mini-batch 64 its parts' shifted
     * copies ran as fast alone (conv2 at mini-batch 32 in 530-550 us against 560-610), but in some
     * JVMs the v3 training step then took 20-25 ms instead of 3.5 from the start, with the tile's
     * compiled code the slow part, and in others not (3 of 7 runs).
     */
    static boolean applies(ConvShape s) {
        return s.groups() == 1 && s.sh() == 1 && s.sw() == 1 && s.dh() == 1 && s.dw() == 1 && s.ph() == 0 && s.pw() == 0
                && s.ow() < WL && s.oh() * s.ow() >= R * WL && s.oc() >= O6 && s.oc() <= WL;
    }

    static void forward(float[] out, float[] in, float[] w, ConvShape s, Parallel parallel) {
        int c = s.c(), oc = s.oc(), kh = s.kh(), kw = s.kw(), ow = s.ow(), outPlane = s.oh() * s.ow();
        // a shifted plane keeps a spare vector past its last row, where that row's copy spills
        int plane = s.h() * ow + WL, sample = kw * c * plane, filter = c * kh * kw;
        float[] shifted = shifted(in, s, plane, parallel);
        int[] taps = new int[filter];
        for (int t = 0; t < filter; t++) taps[t] = (t % kw * c + t / kw / kh) * plane + t / kw % kh * ow;
        int oBlocks = (oc + O6 - 1) / O6, qTiles = (outPlane + R * WL - 1) / (R * WL);
        parallel.forEach(s.n(), n -> {
            for (int ob = 0; ob < oBlocks; ob++) {
                int o0 = Math.min(ob * O6, oc - O6), w0 = o0 * filter;
                for (int qt = 0; qt < qTiles; qt++) {
                    int q0 = Math.min(qt * R * WL, outPlane - R * WL);
                    DirectConv.tile6Wide(shifted, n * sample + q0, WL, taps, w, w0, w0 + filter, w0 + 2 * filter, w0 + 3 * filter, w0 + 4 * filter,
                            w0 + 5 * filter, out, (n * oc + o0) * outPlane + q0, WL, outPlane);
                }
            }
        });
    }

    /**
     * The shifted copies, {@code [n][dx][c]} planes of {@code plane} floats: each row a widest
     * vector from the input row at column {@code dx}, stored at the row's start, its lanes past
     * {@code ow} spilling into the next row, which is stored after it; rows whose vector would read
     * past the input's end are copied element by element.
     */
    private static float[] shifted(float[] in, ConvShape s, int plane, Parallel parallel) {
        int c = s.c(), h = s.h(), width = s.w(), ow = s.ow(), kw = s.kw();
        float[] shifted = Workspace.array("input shifted by column", s, s.n() * kw * c * plane);
        parallel.forEach(s.n() * c, task -> {
            int n = task / c, ch = task % c;
            for (int dx = 0; dx < kw; dx++) {
                int to = ((n * kw + dx) * c + ch) * plane, from = task * h * width + dx;
                for (int y = 0; y < h; y++, to += ow, from += width) {
                    if (from + WL <= in.length) FloatVector.fromArray(W, in, from).intoArray(shifted, to);
                    else System.arraycopy(in, from, shifted, to, ow);
                }
            }
        });
        return shifted;
    }
}
