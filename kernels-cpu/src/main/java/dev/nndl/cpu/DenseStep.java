package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A fully connected layer's backward pass and SGD step in one sweep over its weights
 * {@code w (out x in)}, for weights too large to stay in cache (v6's 1000 x 1000):
 * <pre>
 *   dIn[n,i] = sum_o dOut[n,o] w[o,i]                         (the weights before the step)
 *   w[o,i]   = w[o,i] + (-eta) (w[o,i] decay + sum_n dOut[n,o] in[n,i])
 * </pre>
 * A task takes a block of columns {@code i} down every row {@code o}: it loads a row's piece of
 * {@code w} once, adds its share into the task's {@code dIn} columns (kept in a scratch tile, one
 * row a sample), sums the gradient over the samples, steps and stores. Both sums run in the order
 * {@link OuterProduct} runs them, from zero, with the same fused multiply-adds, and the step rounds
 * as {@code sgdUpdate} does: the weights and {@code dIn} come out bit for bit
 * as from backward-data, backward-weights into a zeroed gradient and the update, which read the
 * weights three times and wrote and read the gradient.
 */
final class DenseStep {

    /**
     * The widest vectors ({@link Species#WIDE}), for a block's whole wide vectors: each column sums
     * in its own lane, so they give the bits the narrower ones do, and at 512 bits v6's 1000 x 1000
     * step ran in 392-480 us against 557-580 at 256 (2 threads, measured alone at f470c06).
     */
    static final VectorSpecies<Float> W = Species.WIDE;
    static final int WL = W.length();

    /** Bytes of the scratch {@code dIn} tile a task keeps in the L1 cache beside the row it reads. */
    static final int SCRATCH = 12 * 1024;

    private DenseStep() {}

    /**
     * Columns a task takes: as wide as its scratch tile allows, and blocks spread evenly over the
     * threads. Wide blocks matter: the weights are read down the rows, a row's block a contiguous
     * run. With two vectors a task (c393e5f) each row was a single cache line on a new page, where
     * the prefetchers do not follow, and v6's 1000 x 1000 step took 2.3 ms at mini-batch 10, a
     * tenth of the memory's bandwidth.
     */
    static int blockWidth(int n, int inSize, int threads) {
        int widest = Math.max(2, SCRATCH / Float.BYTES / Math.max(n, 1) / L) * L;
        int blocks = (inSize + widest - 1) / widest;
        blocks = (blocks + threads - 1) / threads * threads;
        return Math.max(L, ((inSize + blocks - 1) / blocks + L - 1) / L * L);
    }

    /** {@code dIn} may be null: then only the step. */
    static void backwardAndStep(float[] dIn, float[] w, float[] dOut, float[] in, int n, int out, int inSize, float eta, float decay,
                                Parallel parallel) {
        // as the products do, small layers stay on the calling thread: LeNet-5's 84 x 10 step took 18 us on two threads
        if ((long) n * out * inSize < Gemm.SERIAL_MACS) parallel = Parallel.SERIAL;
        int block = blockWidth(dIn == null ? 0 : n, inSize, parallel.threads()), blocks = (inSize + block - 1) / block;
        parallel.forEach(blocks, b -> {
            Task task = new Task(w, dOut, in, n, out, inSize, eta, decay, b * block, Math.min(block, inSize - b * block), dIn == null ? null : new float[n * block]);
            int o = 0;
            for (; o + 8 <= out; o += 8) task.eightRows(o);
            for (; o + 4 <= out; o += 4) task.fourRows(o);
            for (; o < out; o++) task.row(o);
            if (dIn != null) {
                for (int s = 0; s < n; s++) System.arraycopy(task.sums, s * task.width, dIn, s * inSize + task.i0, task.width);
            }
        });
    }

    /**
     * One block of columns {@code [i0, i0 + width)}; {@code sums} holds its {@code dIn}, one row a
     * sample. Rows go eight or four at a time: each load of a sample's {@code dIn} piece and of its
     * input serves them all, where one row at a time spent three memory accesses on two multiply-adds.
     * The sums keep their order: each {@code dIn} element still adds the rows one after another.
     */
    private record Task(float[] w, float[] dOut, float[] in, int n, int out, int inSize, float eta, float decay, int i0, int width, float[] sums) {

        /**
         * {@link #fourRows} for eight rows in the whole wide vectors: each load and store of a
         * sample's {@code dIn} piece then serves eight multiply-adds; the rest of the block as
         * two times four rows. v6's 1000 x 1000 step at mini-batch 10 took 206-333 us instead of
         * 364-374, its 640 x 1000 118-158 instead of 176-178 (2 threads on a Zen 5, alternating
         * JVMs), and the whole v6 step 1,958-1,974 against 2,051-2,104.
         */
        void eightRows(int o) {
            int row = o * inSize + i0, wide = width / WL * WL;
            FloatVector minusEta = FloatVector.broadcast(W, -eta), decays = FloatVector.broadcast(W, decay);
            for (int c = 0; c < wide; c += WL) {
                int at0 = row + c;
                FloatVector x0 = FloatVector.fromArray(W, w, at0), x1 = FloatVector.fromArray(W, w, at0 + inSize);
                FloatVector x2 = FloatVector.fromArray(W, w, at0 + 2 * inSize), x3 = FloatVector.fromArray(W, w, at0 + 3 * inSize);
                FloatVector x4 = FloatVector.fromArray(W, w, at0 + 4 * inSize), x5 = FloatVector.fromArray(W, w, at0 + 5 * inSize);
                FloatVector x6 = FloatVector.fromArray(W, w, at0 + 6 * inSize), x7 = FloatVector.fromArray(W, w, at0 + 7 * inSize);
                FloatVector g0 = FloatVector.zero(W), g1 = g0, g2 = g0, g3 = g0, g4 = g0, g5 = g0, g6 = g0, g7 = g0;
                for (int s = 0; s < n; s++) {
                    int d = s * out + o;
                    FloatVector d0 = FloatVector.broadcast(W, dOut[d]), d1 = FloatVector.broadcast(W, dOut[d + 1]);
                    FloatVector d2 = FloatVector.broadcast(W, dOut[d + 2]), d3 = FloatVector.broadcast(W, dOut[d + 3]);
                    FloatVector d4 = FloatVector.broadcast(W, dOut[d + 4]), d5 = FloatVector.broadcast(W, dOut[d + 5]);
                    FloatVector d6 = FloatVector.broadcast(W, dOut[d + 6]), d7 = FloatVector.broadcast(W, dOut[d + 7]);
                    if (sums != null) {
                        int at = s * width + c;
                        FloatVector first = d3.fma(x3, d2.fma(x2, d1.fma(x1, d0.fma(x0, FloatVector.fromArray(W, sums, at)))));
                        d7.fma(x7, d6.fma(x6, d5.fma(x5, d4.fma(x4, first)))).intoArray(sums, at);
                    }
                    FloatVector input = FloatVector.fromArray(W, in, s * inSize + i0 + c);
                    g0 = d0.fma(input, g0);
                    g1 = d1.fma(input, g1);
                    g2 = d2.fma(input, g2);
                    g3 = d3.fma(input, g3);
                    g4 = d4.fma(input, g4);
                    g5 = d5.fma(input, g5);
                    g6 = d6.fma(input, g6);
                    g7 = d7.fma(input, g7);
                }
                x0.add(x0.fma(decays, g0).mul(minusEta)).intoArray(w, at0);
                x1.add(x1.fma(decays, g1).mul(minusEta)).intoArray(w, at0 + inSize);
                x2.add(x2.fma(decays, g2).mul(minusEta)).intoArray(w, at0 + 2 * inSize);
                x3.add(x3.fma(decays, g3).mul(minusEta)).intoArray(w, at0 + 3 * inSize);
                x4.add(x4.fma(decays, g4).mul(minusEta)).intoArray(w, at0 + 4 * inSize);
                x5.add(x5.fma(decays, g5).mul(minusEta)).intoArray(w, at0 + 5 * inSize);
                x6.add(x6.fma(decays, g6).mul(minusEta)).intoArray(w, at0 + 6 * inSize);
                x7.add(x7.fma(decays, g7).mul(minusEta)).intoArray(w, at0 + 7 * inSize);
            }
            narrowFourRows(o, wide);
            narrowFourRows(o + 4, wide);
        }

        void fourRows(int o) {
            int row = o * inSize + i0, wide = width / WL * WL;
            FloatVector wideMinusEta = FloatVector.broadcast(W, -eta), wideDecays = FloatVector.broadcast(W, decay);
            for (int c = 0; c < wide; c += WL) {
                FloatVector x0 = FloatVector.fromArray(W, w, row + c), x1 = FloatVector.fromArray(W, w, row + inSize + c);
                FloatVector x2 = FloatVector.fromArray(W, w, row + 2 * inSize + c), x3 = FloatVector.fromArray(W, w, row + 3 * inSize + c);
                FloatVector g0 = FloatVector.zero(W), g1 = g0, g2 = g0, g3 = g0;
                for (int s = 0; s < n; s++) {
                    int d = s * out + o;
                    FloatVector d0 = FloatVector.broadcast(W, dOut[d]), d1 = FloatVector.broadcast(W, dOut[d + 1]);
                    FloatVector d2 = FloatVector.broadcast(W, dOut[d + 2]), d3 = FloatVector.broadcast(W, dOut[d + 3]);
                    if (sums != null) {
                        int at = s * width + c;
                        d3.fma(x3, d2.fma(x2, d1.fma(x1, d0.fma(x0, FloatVector.fromArray(W, sums, at))))).intoArray(sums, at);
                    }
                    FloatVector input = FloatVector.fromArray(W, in, s * inSize + i0 + c);
                    g0 = d0.fma(input, g0);
                    g1 = d1.fma(input, g1);
                    g2 = d2.fma(input, g2);
                    g3 = d3.fma(input, g3);
                }
                x0.add(x0.fma(wideDecays, g0).mul(wideMinusEta)).intoArray(w, row + c);
                x1.add(x1.fma(wideDecays, g1).mul(wideMinusEta)).intoArray(w, row + inSize + c);
                x2.add(x2.fma(wideDecays, g2).mul(wideMinusEta)).intoArray(w, row + 2 * inSize + c);
                x3.add(x3.fma(wideDecays, g3).mul(wideMinusEta)).intoArray(w, row + 3 * inSize + c);
            }
            narrowFourRows(o, wide);
        }

        /** Four rows from column {@code wide} of the block on: narrower vectors (at most one where the wide ones are twice as wide), then the scalar tail. */
        private void narrowFourRows(int o, int wide) {
            int row = o * inSize + i0;
            FloatVector minusEta = FloatVector.broadcast(S, -eta), decays = FloatVector.broadcast(S, decay);
            int vectors = width / L;
            for (int c = wide; c < vectors * L; c += L) {
                FloatVector x0 = FloatVector.fromArray(S, w, row + c), x1 = FloatVector.fromArray(S, w, row + inSize + c);
                FloatVector x2 = FloatVector.fromArray(S, w, row + 2 * inSize + c), x3 = FloatVector.fromArray(S, w, row + 3 * inSize + c);
                FloatVector g0 = FloatVector.zero(S), g1 = g0, g2 = g0, g3 = g0;
                for (int s = 0; s < n; s++) {
                    int d = s * out + o;
                    FloatVector d0 = FloatVector.broadcast(S, dOut[d]), d1 = FloatVector.broadcast(S, dOut[d + 1]);
                    FloatVector d2 = FloatVector.broadcast(S, dOut[d + 2]), d3 = FloatVector.broadcast(S, dOut[d + 3]);
                    if (sums != null) {
                        int at = s * width + c;
                        d3.fma(x3, d2.fma(x2, d1.fma(x1, d0.fma(x0, FloatVector.fromArray(S, sums, at))))).intoArray(sums, at);
                    }
                    FloatVector input = FloatVector.fromArray(S, in, s * inSize + i0 + c);
                    g0 = d0.fma(input, g0);
                    g1 = d1.fma(input, g1);
                    g2 = d2.fma(input, g2);
                    g3 = d3.fma(input, g3);
                }
                x0.add(x0.fma(decays, g0).mul(minusEta)).intoArray(w, row + c);
                x1.add(x1.fma(decays, g1).mul(minusEta)).intoArray(w, row + inSize + c);
                x2.add(x2.fma(decays, g2).mul(minusEta)).intoArray(w, row + 2 * inSize + c);
                x3.add(x3.fma(decays, g3).mul(minusEta)).intoArray(w, row + 3 * inSize + c);
            }
            for (int r = 0; r < 4; r++) tail(o + r);
        }

        void row(int o) {
            FloatVector minusEta = FloatVector.broadcast(S, -eta), decays = FloatVector.broadcast(S, decay);
            int row = o * inSize + i0, vectors = width / L;
            for (int c = 0; c < vectors * L; c += L) {
                FloatVector x = FloatVector.fromArray(S, w, row + c), g = FloatVector.zero(S);
                for (int s = 0; s < n; s++) {
                    FloatVector d = FloatVector.broadcast(S, dOut[s * out + o]);
                    if (sums != null) d.fma(x, FloatVector.fromArray(S, sums, s * width + c)).intoArray(sums, s * width + c);
                    g = d.fma(FloatVector.fromArray(S, in, s * inSize + i0 + c), g);
                }
                x.add(x.fma(decays, g).mul(minusEta)).intoArray(w, row + c);
            }
            tail(o);
        }

        /** Row {@code o}'s last columns, fewer than a vector: fused multiply-adds, as OuterProduct's masked lanes. */
        private void tail(int o) {
            int row = o * inSize + i0;
            for (int i = width / L * L; i < width; i++) {
                float x = w[row + i], g = 0;
                for (int s = 0; s < n; s++) {
                    if (sums != null) sums[s * width + i] = Math.fma(dOut[s * out + o], x, sums[s * width + i]);
                    g = Math.fma(dOut[s * out + o], in[s * inSize + i0 + i], g);
                }
                w[row + i] = x + -eta * (g + decay * x);
            }
        }
    }
}
