package dev.nndl.cpu;

import dev.nndl.shape.ConvShape;

/**
 * The matrices of a convolution as {@link Gemm} sees them, computed while packing instead of
 * being built in memory (implicit im2col). For group {@code g}, with {@code P = OH * OW} output
 * positions per sample and {@code K = (C/G) * KH * KW} taps per filter:
 * <ul>
 * <li>forward: {@code out(o, (n,p)) = sum_k W(o, k) col((n,p), k)}, col being the input under tap k;</li>
 * <li>backward-weights: {@code dW(o, k) += sum_(n,p) dOut(o, (n,p)) col((n,p), k)}.</li>
 * </ul>
 */
final class ConvViews {

    private ConvViews() {}

    /**
     * The input under each tap: rows are output positions (n, oy, ox), depth is the tap (c, i, j)
     * of group {@code g}. Where a strip of positions lies inside the input for every tap (always,
     * without padding), its values are a few contiguous runs of the input (unit column stride) and
     * are copied a vector at a time; elsewhere each value is checked against the borders.
     */
    static Gemm.Source columns(float[] in, ConvShape s, int g) {
        int plane = s.oh() * s.ow(), hw = s.h() * s.w();
        int spanY = (s.kh() - 1) * s.dh(), spanX = (s.kw() - 1) * s.dw();
        Taps taps = new Taps(s);
        return (dst, off, width, r0, rows, k0, kc) -> {
            int[] base = new int[rows], y0 = new int[rows], x0 = new int[rows];
            boolean inside = true;
            for (int rr = 0; rr < rows; rr++) {
                int j = r0 + rr, n = j / plane, p = j % plane;
                y0[rr] = (p / s.ow()) * s.sh() - s.ph();
                x0[rr] = (p % s.ow()) * s.sw() - s.pw();
                base[rr] = (n * s.c() + g * s.cPerGroup()) * hw + y0[rr] * s.w() + x0[rr];
                inside &= y0[rr] >= 0 && y0[rr] + spanY < s.h() && x0[rr] >= 0 && x0[rr] + spanX < s.w();
            }
            if (inside && s.sw() == 1) {
                packRuns(in, dst, off, width, rows, base, k0, kc, taps.offset);
                return;
            }
            for (int kk = 0; kk < kc; kk++) {
                int k = k0 + kk, dy = taps.dy[k], dx = taps.dx[k], tap = taps.offset[k];
                int d = off + kk * width;
                for (int rr = 0; rr < rows; rr++) {
                    int iy = y0[rr] + dy, ix = x0[rr] + dx;
                    dst[d + rr] = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w() ? in[base[rr] + tap] : 0f;
                }
                for (int rr = rows; rr < width; rr++) dst[d + rr] = 0f;
            }
        };
    }

    /**
     * Packs rows whose sources {@code base[rr] + tapOffset[k]} are all in bounds, as runs of
     * consecutive sources copied with vector loads.
     */
    static void packRuns(float[] in, float[] dst, int off, int width, int rows, int[] base, int k0, int kc, int[] tapOffset) {
        int[] runStart = new int[rows + 1];
        int runs = 0;
        for (int rr = 0; rr < rows; rr++) if (rr == 0 || base[rr] != base[rr - 1] + 1) runStart[runs++] = rr;
        runStart[runs] = rows;
        int lanes = Gemm.L;
        for (int kk = 0; kk < kc; kk++) {
            int tap = tapOffset[k0 + kk], d = off + kk * width;
            for (int r = 0; r < runs; r++) {
                int rr = runStart[r], end = runStart[r + 1], src = base[rr] + tap;
                for (; rr + lanes <= end; rr += lanes, src += lanes) {
                    jdk.incubator.vector.FloatVector.fromArray(Gemm.S, in, src).intoArray(dst, d + rr);
                }
                for (; rr < end; rr++) dst[d + rr] = in[src++];
            }
            for (int rr = rows; rr < width; rr++) dst[d + rr] = 0f;
        }
    }

    /** The same columns transposed: rows are taps (c, i, j) of group {@code g}, depth is output positions (n, oy, ox). */
    static Gemm.Source columnsByTap(float[] in, ConvShape s, int g) {
        int plane = s.oh() * s.ow(), hw = s.h() * s.w(), groupBase = g * s.cPerGroup() * hw;
        Taps taps = new Taps(s);
        Positions positions = new Positions(s);
        return (dst, off, width, r0, rows, k0, kc) -> {
            for (int kk = 0; kk < kc; kk++) {
                int j = k0 + kk, y0 = positions.y0[j % plane], x0 = positions.x0[j % plane];
                int src = (j / plane) * s.c() * hw + groupBase + y0 * s.w() + x0;
                int d = off + kk * width;
                for (int rr = 0; rr < rows; rr++) {
                    int k = r0 + rr, iy = y0 + taps.dy[k], ix = x0 + taps.dx[k];
                    dst[d + rr] = iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w() ? in[src + taps.offset[k]] : 0f;
                }
                for (int rr = rows; rr < width; rr++) dst[d + rr] = 0f;
            }
        };
    }

    /**
     * An NCHW tensor's channels {@code first ..} as a matrix: row {@code i} is channel
     * {@code first + i}, column {@code j = n * plane + p} is position {@code p} of sample {@code n}.
     * As a source the columns are the depth.
     */
    static Gemm.Source planes(float[] x, int channels, int first, int plane) {
        return (dst, off, width, r0, rows, k0, kc) -> {
            for (int kk = 0; kk < kc; kk++) {
                int j = k0 + kk, n = j / plane, p = j % plane, src = (n * channels + first + r0) * plane + p;
                int d = off + kk * width;
                for (int rr = 0; rr < rows; rr++) dst[d + rr] = x[src + rr * plane];
                for (int rr = rows; rr < width; rr++) dst[d + rr] = 0f;
            }
        };
    }

    /** {@link #planes} as a target: {@code C(i, n * plane + p)} is {@code x[(n * channels + first + i) * plane + p]}. */
    static Gemm.Target planesTarget(float[] x, int channels, int first, int plane) {
        return (tile, i0, mr, j0, nr, accumulate) -> {
            int n = j0 / plane, p = j0 % plane;
            if (p + nr <= plane) {
                for (int r = 0; r < mr; r++) Gemm.addRow(tile, r * Gemm.NR, x, (n * channels + first + i0 + r) * plane + p, nr, accumulate);
                return;
            }
            for (int q = 0; q < nr; q++) {
                int j = j0 + q, nq = j / plane, pq = j % plane;
                for (int r = 0; r < mr; r++) {
                    int e = (nq * channels + first + i0 + r) * plane + pq;
                    x[e] = accumulate ? x[e] + tile[r * Gemm.NR + q] : tile[r * Gemm.NR + q];
                }
            }
        };
    }

    /**
     * Each tap {@code k = (c, i, j)} of a filter, decoded once per call so packers index tables
     * instead of dividing: {@code dy = i DH}, {@code dx = j DW}, and its offset in the input,
     * {@code c H W + dy W + dx}.
     */
    static final class Taps {
        final int[] dy, dx, offset;

        Taps(ConvShape s) {
            int count = s.cPerGroup() * s.kh() * s.kw();
            dy = new int[count];
            dx = new int[count];
            offset = new int[count];
            for (int k = 0; k < count; k++) {
                int t = k % (s.kh() * s.kw());
                dy[k] = (t / s.kw()) * s.dh();
                dx[k] = (t % s.kw()) * s.dw();
                offset[k] = (k / (s.kh() * s.kw())) * s.h() * s.w() + dy[k] * s.w() + dx[k];
            }
        }
    }

    /** Each output position {@code p = (oy, ox)} decoded once: the input row and column of its window's corner. */
    static final class Positions {
        final int[] y0, x0;

        Positions(ConvShape s) {
            int plane = s.oh() * s.ow();
            y0 = new int[plane];
            x0 = new int[plane];
            for (int p = 0; p < plane; p++) {
                y0[p] = (p / s.ow()) * s.sh() - s.ph();
                x0[p] = (p % s.ow()) * s.sw() - s.pw();
            }
        }
    }
}
