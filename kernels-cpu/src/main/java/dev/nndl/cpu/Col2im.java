package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.ConvShape;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Convolution backward-data as col2im: per group, one matrix multiply
 * {@code col(tap, position) = sum_o W(o, tap) dOut(o, position)} (depth: the group's output
 * channels), then every column added back onto the input positions its taps read. Each input
 * channel's taps write only that channel, so the scatter runs one channel per task, with no
 * atomics and in a fixed order.
 *
 * <p>Why not the forward convolution of the padded {@code dOut} with the flipped kernel: on the
 * ladder's conv2 that convolution is padded by 4 on each side of an 8x8 map, so most of its taps
 * multiply zeros, and its 12-wide rows leave a quarter of the second vector idle; the multiply here
 * does exactly the convolution's multiply-adds. The ladder's conv2 itself runs faster still on
 * {@link DirectConv#backwardData}, which also does only those multiply-adds but writes no column
 * matrix (at mini-batch 64 it is 500 x 4096 floats, 8 MB, far outside L2); col2im serves the
 * shapes that path does not take: strides, dilations, filters wider than five, rows that are not
 * whole vectors.
 */
final class Col2im {

    private Col2im() {}

    static void backwardData(float[] dIn, float[] dOut, float[] w, ConvShape s, Parallel parallel) {
        int cg = s.cPerGroup(), og = s.ocPerGroup(), kk2 = s.kh() * s.kw(), taps = cg * kk2, plane = s.oh() * s.ow(), positions = s.n() * plane;
        float[] col = Workspace.array("columns", s, taps * positions);
        int[] channelOffset = new int[og];
        for (int o = 0; o < og; o++) channelOffset[o] = o * plane;
        for (int g = 0; g < s.groups(); g++) {
            int first = g * og;
            Gemm.Source gradient = (dst, off, width, r0, rows, k0, kc) -> {
                int[] base = new int[rows];
                for (int rr = 0; rr < rows; rr++) {
                    int j = r0 + rr;
                    base[rr] = ((j / plane) * s.oc() + first) * plane + j % plane;
                }
                ConvViews.packRuns(dOut, dst, off, width, rows, base, k0, kc, channelOffset);
            };
            Gemm.multiply(taps, positions, og, Gemm.dense(w, first * taps, 1, taps), gradient, Gemm.dense(col, 0, positions), false, parallel);
            int group = g;
            parallel.forEach(cg, c -> scatter(col, dIn, s, group * cg + c, c * kk2, positions));
        }
    }

    /** Zeroes input channel {@code channel} of every sample and adds the columns of its taps onto it. */
    private static void scatter(float[] col, float[] dIn, ConvShape s, int channel, int firstTap, int positions) {
        int hw = s.h() * s.w(), plane = s.oh() * s.ow();
        for (int n = 0; n < s.n(); n++) Arrays.fill(dIn, (n * s.c() + channel) * hw, (n * s.c() + channel + 1) * hw, 0f);
        for (int i = 0; i < s.kh(); i++) {
            for (int j = 0; j < s.kw(); j++) {
                int row = (firstTap + i * s.kw() + j) * positions, dx = j * s.dw() - s.pw();
                // output columns x whose input column x*SW + dx lies inside [0, W)
                int xLo = Math.max(0, ceilDiv(-dx, s.sw())), xHi = Math.min(s.ow(), ceilDiv(s.w() - dx, s.sw()));
                if (xLo >= xHi) continue;
                for (int n = 0; n < s.n(); n++) {
                    for (int y = 0; y < s.oh(); y++) {
                        int iy = y * s.sh() - s.ph() + i * s.dh();
                        if (iy < 0 || iy >= s.h()) continue;
                        int src = row + n * plane + y * s.ow(), dst = (n * s.c() + channel) * hw + iy * s.w() + dx;
                        if (s.sw() == 1) {
                            int x = xLo;
                            for (; x + L <= xHi; x += L) {
                                FloatVector.fromArray(S, dIn, dst + x).add(FloatVector.fromArray(S, col, src + x)).intoArray(dIn, dst + x);
                            }
                            for (; x < xHi; x++) dIn[dst + x] += col[src + x];
                        } else {
                            for (int x = xLo; x < xHi; x++) dIn[dst + x * s.sw()] += col[src + x];
                        }
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return Math.floorDiv(a + b - 1, b);
    }
}
