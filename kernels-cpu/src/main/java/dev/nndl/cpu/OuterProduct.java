package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import jdk.incubator.vector.FloatVector;

/**
 * {@code C (m x n) = A B} (or {@code C += A B}) for a row-major {@code B (k x n)}, as a sum of
 * outer products: each step of the depth broadcasts one element of {@code A} per row of the tile
 * and multiplies it into a row of {@code B}, read where it lies. {@code A} is any strided view
 * ({@code a[aOffset + i * rowStride + d * depthStride]}), each element read once per tile. A fully
 * connected layer's two backward passes are this: backward-data is {@code dIn = dOut w} and
 * backward-weights {@code dW += dOut^T in}; {@link Gemm} would pack both operands first and
 * pre-broadcast {@code A}.
 *
 * <p>A tile keeps {@link #M} rows by {@link #V} vectors of columns in 20 accumulators; each step
 * costs {@code V} loads of {@code B}, {@code M} broadcasts from memory and 20 FMAs. Columns past
 * the last whole tile take one vector at a time, and the last few columns a scalar loop. Against
 * {@link Gemm} the v6 step at mini-batch 10 went from 4.45-5.05 ms to 3.73-3.91 (measured at
 * 7c16bdb), though one shape is slower: v6's 640 x 1000 weight gradient.
 */
final class OuterProduct {

    /** Rows of {@code C} per tile. */
    static final int M = 5;
    /** Vectors of columns per tile. */
    static final int V = 4;

    private OuterProduct() {}

    static void multiply(float[] c, float[] a, int aOffset, int rowStride, int depthStride, float[] b, int m, int n, int k,
                         boolean accumulate, Parallel parallel) {
        if ((long) m * n * k < Gemm.SERIAL_MACS) parallel = Parallel.SERIAL;
        int columnBlocks = (n + V * L - 1) / (V * L), rowBlocks = (m + M - 1) / M;
        // whichever of B (k x n) and C (m x n) is larger is swept once, in the outer loop: the
        // columns outer for backward-data (B is the weights), the rows outer for backward-weights
        // (C is the weights' gradient: with the columns outer every row of a tile is on its own page,
        // and 1000 x 1000 at mini-batch 10 took 295-313 us instead of 219-221, measured at 7c16bdb)
        boolean rowsOuter = m > k;
        parallel.forEach(rowsOuter ? rowBlocks : columnBlocks, t -> {
            float[] tile = new float[M * V * L];
            for (int u = 0, inner = rowsOuter ? columnBlocks : rowBlocks; u < inner; u++) {
                block(c, a, aOffset, rowStride, depthStride, b, m, n, k, accumulate, rowsOuter ? t : u, rowsOuter ? u : t, tile);
            }
        });
    }

    /** Rows {@code ib * M ..} and columns {@code jb * V * L ..} of {@code C}. */
    private static void block(float[] c, float[] a, int aOffset, int rowStride, int depthStride, float[] b, int m, int n, int k,
                              boolean accumulate, int ib, int jb, float[] tile) {
        int j0 = jb * V * L, columns = Math.min(V * L, n - j0), i0 = ib * M, rows = Math.min(M, m - i0);
        // a tile's spare rows repeat the last one; their sums are not stored
        int r0 = aOffset + row(i0, m) * rowStride, r1 = aOffset + row(i0 + 1, m) * rowStride, r2 = aOffset + row(i0 + 2, m) * rowStride;
        int r3 = aOffset + row(i0 + 3, m) * rowStride, r4 = aOffset + row(i0 + 4, m) * rowStride;
        if (columns == V * L) {
            wideTile(a, r0, r1, r2, r3, r4, depthStride, b, j0, n, k, tile);
            store(tile, V * L, c, i0, rows, j0, n, accumulate);
            return;
        }
        int j = j0;
        for (; j + L <= n; j += L) {
            narrowTile(a, r0, r1, r2, r3, r4, depthStride, b, j, n, k, tile);
            store(tile, L, c, i0, rows, j, n, accumulate);
        }
        for (int i = 0; i < rows; i++) {
            for (int q = j; q < n; q++) {
                float sum = 0;
                for (int d = 0; d < k; d++) sum += a[aOffset + (i0 + i) * rowStride + d * depthStride] * b[d * n + q];
                c[(i0 + i) * n + q] = accumulate ? c[(i0 + i) * n + q] + sum : sum;
            }
        }
    }

    private static int row(int r, int rows) {
        return Math.min(r, rows - 1);
    }

    /** {@code c[(i0 + i) * ldc + j0 + j] (+)= tile[i * width + j]} for {@code i < rows}, {@code j < width}, whole vectors. */
    private static void store(float[] tile, int width, float[] c, int i0, int rows, int j0, int ldc, boolean accumulate) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < width; j += L) {
                FloatVector t = FloatVector.fromArray(S, tile, i * width + j);
                int at = (i0 + i) * ldc + j0 + j;
                if (accumulate) t = t.add(FloatVector.fromArray(S, c, at));
                t.intoArray(c, at);
            }
        }
    }

    /** {@code M x V} vectors: rows starting at {@code a[r*]}, columns {@code j0 .. j0 + V*L - 1} of {@code B}. */
    private static void wideTile(float[] a, int r0, int r1, int r2, int r3, int r4, int depthStride, float[] b, int j0, int ldb, int k,
                                 float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        for (int d = 0, ad = 0, bd = j0; d < k; d++, ad += depthStride, bd += ldb) {
            FloatVector y0 = FloatVector.fromArray(S, b, bd), y1 = FloatVector.fromArray(S, b, bd + L);
            FloatVector y2 = FloatVector.fromArray(S, b, bd + 2 * L), y3 = FloatVector.fromArray(S, b, bd + 3 * L);
            FloatVector x = FloatVector.broadcast(S, a[r0 + ad]);
            c00 = x.fma(y0, c00);
            c01 = x.fma(y1, c01);
            c02 = x.fma(y2, c02);
            c03 = x.fma(y3, c03);
            x = FloatVector.broadcast(S, a[r1 + ad]);
            c10 = x.fma(y0, c10);
            c11 = x.fma(y1, c11);
            c12 = x.fma(y2, c12);
            c13 = x.fma(y3, c13);
            x = FloatVector.broadcast(S, a[r2 + ad]);
            c20 = x.fma(y0, c20);
            c21 = x.fma(y1, c21);
            c22 = x.fma(y2, c22);
            c23 = x.fma(y3, c23);
            x = FloatVector.broadcast(S, a[r3 + ad]);
            c30 = x.fma(y0, c30);
            c31 = x.fma(y1, c31);
            c32 = x.fma(y2, c32);
            c33 = x.fma(y3, c33);
            x = FloatVector.broadcast(S, a[r4 + ad]);
            c40 = x.fma(y0, c40);
            c41 = x.fma(y1, c41);
            c42 = x.fma(y2, c42);
            c43 = x.fma(y3, c43);
        }
        int w = V * L;
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c02.intoArray(tile, 2 * L);
        c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, w);
        c11.intoArray(tile, w + L);
        c12.intoArray(tile, w + 2 * L);
        c13.intoArray(tile, w + 3 * L);
        c20.intoArray(tile, 2 * w);
        c21.intoArray(tile, 2 * w + L);
        c22.intoArray(tile, 2 * w + 2 * L);
        c23.intoArray(tile, 2 * w + 3 * L);
        c30.intoArray(tile, 3 * w);
        c31.intoArray(tile, 3 * w + L);
        c32.intoArray(tile, 3 * w + 2 * L);
        c33.intoArray(tile, 3 * w + 3 * L);
        c40.intoArray(tile, 4 * w);
        c41.intoArray(tile, 4 * w + L);
        c42.intoArray(tile, 4 * w + 2 * L);
        c43.intoArray(tile, 4 * w + 3 * L);
    }

    /** As {@link #wideTile}, one vector of columns. */
    private static void narrowTile(float[] a, int r0, int r1, int r2, int r3, int r4, int depthStride, float[] b, int j0, int ldb, int k,
                                   float[] tile) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0;
        for (int d = 0, ad = 0, bd = j0; d < k; d++, ad += depthStride, bd += ldb) {
            FloatVector y = FloatVector.fromArray(S, b, bd);
            c0 = FloatVector.broadcast(S, a[r0 + ad]).fma(y, c0);
            c1 = FloatVector.broadcast(S, a[r1 + ad]).fma(y, c1);
            c2 = FloatVector.broadcast(S, a[r2 + ad]).fma(y, c2);
            c3 = FloatVector.broadcast(S, a[r3 + ad]).fma(y, c3);
            c4 = FloatVector.broadcast(S, a[r4 + ad]).fma(y, c4);
        }
        c0.intoArray(tile, 0);
        c1.intoArray(tile, L);
        c2.intoArray(tile, 2 * L);
        c3.intoArray(tile, 3 * L);
        c4.intoArray(tile, 4 * L);
    }
}
