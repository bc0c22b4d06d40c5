package dev.nndl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C (m x n) = A B} (or {@code C += A B}) for a row-major {@code B (k x n)}, as a sum of
 * outer products: each step of the depth broadcasts one element of {@code A} per row of the tile
 * and multiplies it into a row of {@code B}, read where it lies. {@code A} is any strided view
 * ({@code a[aOffset + i * rowStride + d * depthStride]}), each element read once per tile. A fully
 * connected layer's two backward passes are this: backward-data is {@code dIn = dOut w} and
 * backward-weights {@code dW += dOut^T in}; {@link Gemm} would pack both operands first and
 * pre-broadcast {@code A}.
 *
 * <p>A tile keeps {@link #M} rows by {@link #V} vectors of columns of the widest
 * ({@link Species#WIDE}) in 20 accumulators, which start from {@code C} where the product adds to
 * it and go straight back there; each step costs {@code V} loads of {@code B}, {@code M}
 * broadcasts from memory and 20 FMAs. Columns past the last whole tile take one vector at a time,
 * the last few a masked one. LeNet-5's C5 weight gradient (depth 5) took 6.4-14.0 us a part of
 * five samples on one thread of a Zen 5, against 19.9-20.1 with 256-bit vectors summed in a scratch
 * tile and then added to {@code C}; v3's fully connected backward passes at mini-batch 64
 * 54-78 us against 114-128 (measured at 9d70577). Against {@link Gemm} the v6 step at mini-batch 10 went from 4.45-5.05 ms
 * to 3.73-3.91 (measured at 7c16bdb), though one shape is slower: v6's 640 x 1000 weight gradient.
 */
final class OuterProduct {

    static final VectorSpecies<Float> S = Species.WIDE;
    static final int L = S.length();

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
            for (int u = 0, inner = rowsOuter ? columnBlocks : rowBlocks; u < inner; u++) {
                block(c, a, aOffset, rowStride, depthStride, b, m, n, k, accumulate, rowsOuter ? t : u, rowsOuter ? u : t);
            }
        });
    }

    /**
     * Rows {@code ib * M ..} and columns {@code jb * V * L ..} of {@code C}. A tile's spare rows
     * repeat the last one, from the same start, so they write the last row's sums again.
     */
    private static void block(float[] c, float[] a, int aOffset, int rowStride, int depthStride, float[] b, int m, int n, int k,
                              boolean accumulate, int ib, int jb) {
        int j0 = jb * V * L, i0 = ib * M;
        int r0 = aOffset + row(i0, m) * rowStride, r1 = aOffset + row(i0 + 1, m) * rowStride, r2 = aOffset + row(i0 + 2, m) * rowStride;
        int r3 = aOffset + row(i0 + 3, m) * rowStride, r4 = aOffset + row(i0 + 4, m) * rowStride;
        int c0 = row(i0, m) * n, c1 = row(i0 + 1, m) * n, c2 = row(i0 + 2, m) * n, c3 = row(i0 + 3, m) * n, c4 = row(i0 + 4, m) * n;
        if (j0 + V * L <= n) {
            wideTile(a, r0, r1, r2, r3, r4, depthStride, b, j0, n, k, c, c0 + j0, c1 + j0, c2 + j0, c3 + j0, c4 + j0, accumulate);
            return;
        }
        for (int j = j0; j < n; j += L) {
            VectorMask<Float> columnsLeft = S.indexInRange(j, n);
            narrowTile(a, r0, r1, r2, r3, r4, depthStride, b, j, n, k, c, c0 + j, c1 + j, c2 + j, c3 + j, c4 + j, accumulate, columnsLeft);
        }
    }

    private static int row(int r, int rows) {
        return Math.min(r, rows - 1);
    }

    /** The start of a tile's accumulator: {@code C}'s vector at {@code at} if the product adds to it, else zero. */
    private static FloatVector start(float[] c, int at, boolean accumulate) {
        return accumulate ? FloatVector.fromArray(S, c, at) : FloatVector.zero(S);
    }

    private static FloatVector start(float[] c, int at, boolean accumulate, VectorMask<Float> columns) {
        return accumulate ? FloatVector.fromArray(S, c, at, columns) : FloatVector.zero(S);
    }

    /**
     * {@code M x V} vectors: rows starting at {@code a[r*]}, columns {@code j0 .. j0 + V*L - 1} of
     * {@code B}, summed into (or written to) {@code C}'s rows at {@code t*}.
     */
    private static void wideTile(float[] a, int r0, int r1, int r2, int r3, int r4, int depthStride, float[] b, int j0, int ldb, int k,
                                 float[] c, int t0, int t1, int t2, int t3, int t4, boolean accumulate) {
        FloatVector c00 = start(c, t0, accumulate), c01 = start(c, t0 + L, accumulate), c02 = start(c, t0 + 2 * L, accumulate), c03 = start(c, t0 + 3 * L, accumulate);
        FloatVector c10 = start(c, t1, accumulate), c11 = start(c, t1 + L, accumulate), c12 = start(c, t1 + 2 * L, accumulate), c13 = start(c, t1 + 3 * L, accumulate);
        FloatVector c20 = start(c, t2, accumulate), c21 = start(c, t2 + L, accumulate), c22 = start(c, t2 + 2 * L, accumulate), c23 = start(c, t2 + 3 * L, accumulate);
        FloatVector c30 = start(c, t3, accumulate), c31 = start(c, t3 + L, accumulate), c32 = start(c, t3 + 2 * L, accumulate), c33 = start(c, t3 + 3 * L, accumulate);
        FloatVector c40 = start(c, t4, accumulate), c41 = start(c, t4 + L, accumulate), c42 = start(c, t4 + 2 * L, accumulate), c43 = start(c, t4 + 3 * L, accumulate);
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
        c00.intoArray(c, t0);
        c01.intoArray(c, t0 + L);
        c02.intoArray(c, t0 + 2 * L);
        c03.intoArray(c, t0 + 3 * L);
        c10.intoArray(c, t1);
        c11.intoArray(c, t1 + L);
        c12.intoArray(c, t1 + 2 * L);
        c13.intoArray(c, t1 + 3 * L);
        c20.intoArray(c, t2);
        c21.intoArray(c, t2 + L);
        c22.intoArray(c, t2 + 2 * L);
        c23.intoArray(c, t2 + 3 * L);
        c30.intoArray(c, t3);
        c31.intoArray(c, t3 + L);
        c32.intoArray(c, t3 + 2 * L);
        c33.intoArray(c, t3 + 3 * L);
        c40.intoArray(c, t4);
        c41.intoArray(c, t4 + L);
        c42.intoArray(c, t4 + 2 * L);
        c43.intoArray(c, t4 + 3 * L);
    }

    /** As {@link #wideTile}, one vector of columns, those in {@code columns}. */
    private static void narrowTile(float[] a, int r0, int r1, int r2, int r3, int r4, int depthStride, float[] b, int j0, int ldb, int k,
                                   float[] c, int t0, int t1, int t2, int t3, int t4, boolean accumulate, VectorMask<Float> columns) {
        FloatVector c0 = start(c, t0, accumulate, columns), c1 = start(c, t1, accumulate, columns), c2 = start(c, t2, accumulate, columns);
        FloatVector c3 = start(c, t3, accumulate, columns), c4 = start(c, t4, accumulate, columns);
        for (int d = 0, ad = 0, bd = j0; d < k; d++, ad += depthStride, bd += ldb) {
            FloatVector y = FloatVector.fromArray(S, b, bd, columns);
            c0 = FloatVector.broadcast(S, a[r0 + ad]).fma(y, c0);
            c1 = FloatVector.broadcast(S, a[r1 + ad]).fma(y, c1);
            c2 = FloatVector.broadcast(S, a[r2 + ad]).fma(y, c2);
            c3 = FloatVector.broadcast(S, a[r3 + ad]).fma(y, c3);
            c4 = FloatVector.broadcast(S, a[r4 + ad]).fma(y, c4);
        }
        c0.intoArray(c, t0, columns);
        c1.intoArray(c, t1, columns);
        c2.intoArray(c, t2, columns);
        c3.intoArray(c, t3, columns);
        c4.intoArray(c, t4, columns);
    }
}
