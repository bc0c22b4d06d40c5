package dev.nndl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision matrix multiply {@code C = A B} (or {@code C += A B}), blocked for the caches
 * and register-blocked in the style of GotoBLAS/BLIS: {@code B} is packed into panels of
 * {@link #NR} columns and {@code A} into panels of {@link #MR} rows, each {@link #KC} deep, and a
 * micro-kernel keeps an {@code MR x NR} tile of {@code C} in 12 vector registers while it streams
 * through both panels.
 *
 * <p>Why these sizes: on AVX2 (16 vector registers of 8 floats) an {@code MR = 6} by
 * {@code NR = 16} tile takes 12 accumulators, 2 registers for the {@code B} row and one for the
 * {@code A} element, the largest tile that fits; each iteration does 12 FMAs for 8 vector loads.
 * The {@code A} panel is packed <i>pre-broadcast</i>, each element repeated across a vector's
 * lanes, because C2 turns {@code FloatVector.broadcast} of an array element into a scalar load and
 * a shuffle that cost more than the FMAs they feed: on an AVX2 EPYC the same kernel ran at 44
 * GFLOP/s with broadcasts, 1.6 times slower than with pre-broadcast panels (measured at c6e423b).
 * That makes the {@code A} panel {@code L} times larger, so
 * {@code KC = 128}: an {@code A} strip ({@code 6 x 128 x 8} floats, 24 KiB) stays in a 32 KiB L1
 * while {@code B} strips ({@code 128 x 16} floats, 8 KiB) stream from L2. With narrower vectors
 * ({@code -Dnndl.cpu.vectorBits=128}) {@code NR} is 8.
 *
 * <p>The operands are {@link Source}s, so the same kernel serves dense matrices (the recurrent
 * layers' products) and implicit im2col views of a convolution's input (no column matrix is ever
 * built). Fully connected layers no longer come here: {@link RowProduct} and {@link OuterProduct}
 * read their operands in place, which at the ladder's sizes beat packing them.
 */
final class Gemm {

    static final VectorSpecies<Float> S = Species.FLOAT;
    static final int L = S.length();
    /** Rows of A (and of the C tile) per micro-kernel call. */
    static final int MR = 6;
    /** Columns of B (and of the C tile) per micro-kernel call: two vectors. */
    static final int NR = 2 * L;
    /** Depth of one packed panel. */
    static final int KC = 128;
    /** Rows of A packed together. */
    static final int MC = 16 * MR;
    /** Columns of B a task takes at most. */
    static final int NC = 64 * NR;

    /**
     * Products smaller than this many multiply-adds run on the calling thread: handing a task to
     * another thread and waiting for it costs tens of microseconds, more than such a product
     * takes: the LSTM test task's forward pass (20 steps of a 32 x 64 by 16 product) ran six times
     * faster on one thread than split over two (measured at 6acaba6). LeNet-5's C5 at mini-batch
     * 10 (480,000) too: on two threads its forward (rows a thread) and its fused backward and step
     * (columns a thread) each pulled half its 192 KB of weights from the other core's cache, and
     * the backward and step took 40-44 us of a training step against 25-35 on one (alternating
     * JVMs on a Zen 5, with {@link Parallel}'s longer spin).
     */
    static final long SERIAL_MACS = 1 << 19;

    private Gemm() {}

    /**
     * A matrix as the multiply sees it: {@code rows x depth}, where depth is the summed index.
     * {@code A} is {@code M x K}; {@code B} is given transposed, {@code N x K}.
     */
    interface Source {
        /**
         * Packs rows {@code r0 .. r0 + rows - 1} and depth {@code k0 .. k0 + kc - 1} depth-major:
         * {@code dst[off + kk * width + rr] = value(r0 + rr, k0 + kk)}, with zeros for
         * {@code rows <= rr < width}.
         */
        void pack(float[] dst, int off, int width, int r0, int rows, int k0, int kc);
    }

    /** Where {@code C} goes. */
    interface Target {
        /** {@code C(i0 + r, j0 + c) (+)= tile[r * NR + c]} for {@code r < mr, c < nr}. */
        void write(float[] tile, int i0, int mr, int j0, int nr, boolean accumulate);
    }

    /** Per-thread buffers: an A strip as packed, the same strip pre-broadcast, a B block, and the tile. */
    private static final ThreadLocal<float[][]> BUFFERS = ThreadLocal.withInitial(
            () -> new float[][] {new float[MR * KC], new float[MR * KC * L], new float[NC * KC], new float[MR * NR]});

    /**
     * {@code C (m x n) = A (m x k) B (k x n)}, or {@code C += A B} when {@code accumulate}.
     * Splits the work over blocks of columns (and rows); when {@code C} is too small to give every
     * thread a block and the depth is long, splits the depth instead and adds the partial
     * products in a fixed order, so results do not depend on scheduling.
     */
    static void multiply(int m, int n, int k, Source a, Source b, Target c, boolean accumulate, Parallel parallel) {
        if (m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate) zero(c, m, n);
            return;
        }
        if ((long) m * n * k < SERIAL_MACS) parallel = Parallel.SERIAL;
        int threads = parallel.threads();
        int mBlocks = (m + MC - 1) / MC;
        // columns per task: as wide as possible (each task packs and broadcasts its own A strips),
        // but narrow enough that rows x columns blocks give every thread work
        int columnSplits = Math.max(1, (threads + mBlocks - 1) / mBlocks);
        int ncTask = Math.max(NR, Math.min(NC, roundUp((n + columnSplits - 1) / columnSplits, NR)));
        int nBlocks = (n + ncTask - 1) / ncTask;
        if (threads > 1 && mBlocks * nBlocks < threads && k >= 4 * KC) {
            splitDepth(m, n, k, a, b, c, accumulate, parallel);
            return;
        }
        parallel.forEach(mBlocks * nBlocks, t -> {
            int i0 = (t % mBlocks) * MC, j0 = (t / mBlocks) * ncTask;
            block(i0, Math.min(MC, m - i0), j0, Math.min(ncTask, n - j0), 0, k, a, b, c, accumulate);
        });
    }

    private static void splitDepth(int m, int n, int k, Source a, Source b, Target c, boolean accumulate, Parallel parallel) {
        int parts = parallel.threads();
        int chunk = roundUp((k + parts - 1) / parts, KC);
        float[][] partial = new float[parts][];
        parallel.forEach(parts, t -> {
            int k0 = t * chunk, k1 = Math.min(k, k0 + chunk);
            float[] p = new float[m * n];
            partial[t] = p;
            if (k0 >= k1) return;
            Target into = dense(p, 0, n);
            for (int i0 = 0; i0 < m; i0 += MC) {
                for (int j0 = 0; j0 < n; j0 += NC) block(i0, Math.min(MC, m - i0), j0, Math.min(NC, n - j0), k0, k1, a, b, into, false);
            }
        });
        float[] sum = partial[0];
        for (int t = 1; t < parts; t++) {
            for (int e = 0; e < sum.length; e++) sum[e] += partial[t][e];
        }
        float[] tile = new float[MR * NR];
        for (int i0 = 0; i0 < m; i0 += MR) {
            int mr = Math.min(MR, m - i0);
            for (int j0 = 0; j0 < n; j0 += NR) {
                int nr = Math.min(NR, n - j0);
                for (int r = 0; r < mr; r++) System.arraycopy(sum, (i0 + r) * n + j0, tile, r * NR, nr);
                c.write(tile, i0, mr, j0, nr, accumulate);
            }
        }
    }

    /** One block of C, rows {@code i0 .. i0+mc-1} and columns {@code j0 .. j0+nc-1}, over depth {@code k0 .. k1-1}. */
    private static void block(int i0, int mc, int j0, int nc, int k0, int k1, Source a, Source b, Target c, boolean accumulate) {
        float[][] buffers = BUFFERS.get();
        float[] strip = buffers[0], packedA = buffers[1], packedB = buffers[2], tile = buffers[3];
        for (int pc = k0; pc < k1; pc += KC) {
            int kc = Math.min(KC, k1 - pc);
            for (int jr = 0; jr < nc; jr += NR) b.pack(packedB, jr * kc, NR, j0 + jr, Math.min(NR, nc - jr), pc, kc);
            boolean add = accumulate || pc > k0;
            for (int ir = 0; ir < mc; ir += MR) {
                a.pack(strip, 0, MR, i0 + ir, Math.min(MR, mc - ir), pc, kc);
                broadcast(strip, MR * kc, packedA);
                for (int jr = 0; jr < nc; jr += NR) {
                    kernel(packedA, 0, packedB, jr * kc, kc, tile);
                    c.write(tile, i0 + ir, Math.min(MR, mc - ir), j0 + jr, Math.min(NR, nc - jr), add);
                }
            }
        }
    }

    /** Repeats each of the first {@code count} values of {@code strip} across a vector's lanes. */
    private static void broadcast(float[] strip, int count, float[] packed) {
        for (int e = 0; e < count; e++) FloatVector.broadcast(S, strip[e]).intoArray(packed, e * L);
    }

    /**
     * The micro-kernel: {@code tile (MR x NR) = sum_kk A(:, kk) B(kk, :)} over packed panels, the
     * {@code A} panel pre-broadcast ({@code MR * L} floats per step of depth).
     */
    static void kernel(float[] a, int aOff, float[] b, int bOff, int kc, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int kk = 0; kk < kc; kk++, aOff += MR * L, bOff += NR) {
            FloatVector b0 = FloatVector.fromArray(S, b, bOff), b1 = FloatVector.fromArray(S, b, bOff + L);
            FloatVector x = FloatVector.fromArray(S, a, aOff);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.fromArray(S, a, aOff + L);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.fromArray(S, a, aOff + 2 * L);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.fromArray(S, a, aOff + 3 * L);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.fromArray(S, a, aOff + 4 * L);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.fromArray(S, a, aOff + 5 * L);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
    }

    // ---------------------------------------------------------------- dense operands

    /**
     * A dense matrix in an array: element (row, depth) at {@code offset + row * rowStride + depth * depthStride}.
     * Row-major {@code A (M x K)} is {@code dense(a, 0, K, 1)}; {@code B (K x N)} seen as
     * {@code N x K} is {@code dense(b, 0, 1, N)}.
     */
    static Source dense(float[] x, int offset, int rowStride, int depthStride) {
        return (dst, off, width, r0, rows, k0, kc) -> {
            if (depthStride == 1) {
                for (int rr = 0; rr < rows; rr++) {
                    int src = offset + (r0 + rr) * rowStride + k0;
                    for (int kk = 0; kk < kc; kk++) dst[off + kk * width + rr] = x[src + kk];
                }
            } else if (rowStride == 1) {
                for (int kk = 0; kk < kc; kk++) System.arraycopy(x, offset + (k0 + kk) * depthStride + r0, dst, off + kk * width, rows);
            } else {
                for (int kk = 0; kk < kc; kk++) {
                    for (int rr = 0; rr < rows; rr++) dst[off + kk * width + rr] = x[offset + (r0 + rr) * rowStride + (k0 + kk) * depthStride];
                }
            }
            if (rows < width) {
                for (int kk = 0; kk < kc; kk++) java.util.Arrays.fill(dst, off + kk * width + rows, off + (kk + 1) * width, 0f);
            }
        };
    }

    /** A row-major {@code C} with leading dimension {@code ldc}, starting at {@code offset}. */
    static Target dense(float[] c, int offset, int ldc) {
        return (tile, i0, mr, j0, nr, accumulate) -> {
            for (int r = 0; r < mr; r++) addRow(tile, r * NR, c, offset + (i0 + r) * ldc + j0, nr, accumulate);
        };
    }

    /** {@code c[dst .. dst+nr) (+)= tile[src .. src+nr)}, two vectors at a time when the row is full. */
    static void addRow(float[] tile, int src, float[] c, int dst, int nr, boolean accumulate) {
        if (nr == NR) {
            FloatVector t0 = FloatVector.fromArray(S, tile, src), t1 = FloatVector.fromArray(S, tile, src + L);
            if (accumulate) {
                t0 = t0.add(FloatVector.fromArray(S, c, dst));
                t1 = t1.add(FloatVector.fromArray(S, c, dst + L));
            }
            t0.intoArray(c, dst);
            t1.intoArray(c, dst + L);
        } else if (accumulate) {
            for (int q = 0; q < nr; q++) c[dst + q] += tile[src + q];
        } else {
            System.arraycopy(tile, src, c, dst, nr);
        }
    }

    private static void zero(Target c, int m, int n) {
        float[] tile = new float[MR * NR];
        for (int i0 = 0; i0 < m; i0 += MR) {
            for (int j0 = 0; j0 < n; j0 += NR) c.write(tile, i0, Math.min(MR, m - i0), j0, Math.min(NR, n - j0), false);
        }
    }

    /**
     * The lanes of {@code v} added in lane order. {@code reduceLanes(ADD)} may add in another order
     * once C2 compiles it than in the Java fallback that runs before, so the same call could round
     * differently early and late in a run; a fixed order keeps the same seed giving the same weights.
     */
    static float sum(FloatVector v) {
        float[] lanes = new float[L];
        v.intoArray(lanes, 0);
        float total = 0;
        for (float lane : lanes) total += lane;
        return total;
    }

    /**
     * {@code sums[t]}: the lanes of vector {@code t} of the {@code count} stored one after another
     * in {@code lanes}, {@code width} floats each, added in lane order as {@link #sum} adds them;
     * for tiles that store their accumulators rather than call {@code sum} on each, calls they did
     * not inline and that boxed every vector.
     */
    static void sumLanes(float[] lanes, int width, float[] sums, int count) {
        for (int t = 0, from = 0; t < count; t++) {
            float total = 0;
            for (int lane = 0; lane < width; lane++, from++) total += lanes[from];
            sums[t] = total;
        }
    }

    static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }
}
