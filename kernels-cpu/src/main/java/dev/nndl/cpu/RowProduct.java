package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * {@code C (m x n) = A B^T} for row-major {@code A (m x k)} and {@code B (n x k)}: every element
 * of {@code C} a dot product of two rows, both contiguous in memory. A fully connected layer's
 * forward pass is exactly this ({@code out = in w^T}, with {@code w} stored one output per row),
 * and {@link Gemm} would first have to transpose both operands into its panels, one element at a
 * time; here nothing is packed and the rows are read where they lie.
 *
 * <p>A tile keeps {@link #M} rows of {@code A} by {@link #N} rows of {@code B} in 20 accumulators,
 * each a vector of partial sums along the depth, added across lanes at the end; each step of
 * {@code L} depth loads {@code M + N} vectors for 20 FMAs. Five rows of {@code A} tile Nielsen's
 * mini-batch of 10 exactly. Against {@link Gemm}, v6's 1000 x 1000 layer at mini-batch 10 ran
 * in 131-155 us instead of 486-503 (measured at 7c16bdb). The tile stores its accumulators and
 * then adds each one's lanes in lane order ({@link Gemm#sumLanes}): its 20 calls of
 * {@link Gemm#sum} were not inlined, and each boxed its vector. On one thread of a Zen 5, LeNet-5's
 * C5 forward at mini-batch 10 took 11.6-11.9 us against 15.5-15.8, F6's 4.7 against 6.3.
 */
final class RowProduct {

    /** Rows of {@code A} per tile. */
    static final int M = 5;
    /** Rows of {@code B} per tile. */
    static final int N = 4;

    private RowProduct() {}

    /** {@code c[i * n + j] = sum_d a[i * k + d] b[j * k + d]}. */
    static void multiply(float[] c, float[] a, float[] b, int m, int n, int k, Parallel parallel) {
        if ((long) m * n * k < Gemm.SERIAL_MACS) parallel = Parallel.SERIAL;
        int mBlocks = (m + M - 1) / M, nBlocks = (n + N - 1) / N;
        // one task per block of B's rows, which stay in L1 while A's rows stream past them
        parallel.forEach(nBlocks, jb -> {
            float[] sums = new float[M * N], lanes = new float[M * N * L];
            int j0 = jb * N;
            for (int ib = 0; ib < mBlocks; ib++) {
                int i0 = ib * M;
                // a tile's spare rows repeat the last one; their sums are not stored
                tile(a, row(i0, m, k), row(i0 + 1, m, k), row(i0 + 2, m, k), row(i0 + 3, m, k), row(i0 + 4, m, k),
                        b, row(j0, n, k), row(j0 + 1, n, k), row(j0 + 2, n, k), row(j0 + 3, n, k), k, lanes, sums);
                for (int i = 0; i < M && i0 + i < m; i++) {
                    for (int j = 0; j < N && j0 + j < n; j++) c[(i0 + i) * n + j0 + j] = sums[i * N + j];
                }
            }
        });
    }

    /** Where row {@code r} starts, {@code r} clamped to the last of {@code rows}. */
    private static int row(int r, int rows, int k) {
        return Math.min(r, rows - 1) * k;
    }

    /** The {@code M x N} dot products of rows {@code a*} of {@code a} with rows {@code b*} of {@code b}, over depth {@code k}. */
    private static void tile(float[] a, int a0, int a1, int a2, int a3, int a4, float[] b, int b0, int b1, int b2, int b3, int k, float[] lanes, float[] sums) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        int d = 0;
        for (int bound = S.loopBound(k); d < bound; d += L) {
            FloatVector y0 = FloatVector.fromArray(S, b, b0 + d), y1 = FloatVector.fromArray(S, b, b1 + d);
            FloatVector y2 = FloatVector.fromArray(S, b, b2 + d), y3 = FloatVector.fromArray(S, b, b3 + d);
            FloatVector x = FloatVector.fromArray(S, a, a0 + d);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            c03 = x.fma(y3, c03);
            x = FloatVector.fromArray(S, a, a1 + d);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            c13 = x.fma(y3, c13);
            x = FloatVector.fromArray(S, a, a2 + d);
            c20 = x.fma(y0, c20);
            c21 = x.fma(y1, c21);
            c22 = x.fma(y2, c22);
            c23 = x.fma(y3, c23);
            x = FloatVector.fromArray(S, a, a3 + d);
            c30 = x.fma(y0, c30);
            c31 = x.fma(y1, c31);
            c32 = x.fma(y2, c32);
            c33 = x.fma(y3, c33);
            x = FloatVector.fromArray(S, a, a4 + d);
            c40 = x.fma(y0, c40);
            c41 = x.fma(y1, c41);
            c42 = x.fma(y2, c42);
            c43 = x.fma(y3, c43);
        }
        c00.intoArray(lanes, 0);
        c01.intoArray(lanes, L);
        c02.intoArray(lanes, 2 * L);
        c03.intoArray(lanes, 3 * L);
        c10.intoArray(lanes, 4 * L);
        c11.intoArray(lanes, 5 * L);
        c12.intoArray(lanes, 6 * L);
        c13.intoArray(lanes, 7 * L);
        c20.intoArray(lanes, 8 * L);
        c21.intoArray(lanes, 9 * L);
        c22.intoArray(lanes, 10 * L);
        c23.intoArray(lanes, 11 * L);
        c30.intoArray(lanes, 12 * L);
        c31.intoArray(lanes, 13 * L);
        c32.intoArray(lanes, 14 * L);
        c33.intoArray(lanes, 15 * L);
        c40.intoArray(lanes, 16 * L);
        c41.intoArray(lanes, 17 * L);
        c42.intoArray(lanes, 18 * L);
        c43.intoArray(lanes, 19 * L);
        Gemm.sumLanes(lanes, L, sums, M * N);
        if (d == k) return;
        // the depth past the last whole vector
        int[] rowsA = {a0, a1, a2, a3, a4}, rowsB = {b0, b1, b2, b3};
        for (; d < k; d++) {
            for (int i = 0; i < M; i++) {
                for (int j = 0; j < N; j++) sums[i * N + j] += a[rowsA[i] + d] * b[rowsB[j] + d];
            }
        }
    }
}
