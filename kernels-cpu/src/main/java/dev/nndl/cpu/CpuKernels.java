package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.Activations;
import dev.nndl.spi.Composition;
import dev.nndl.spi.Costs;
import dev.nndl.spi.Dense;
import dev.nndl.spi.DropoutRng;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Machine;
import dev.nndl.spi.Regularisation;
import dev.nndl.spi.Update;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The CPU backend: the Vector API ({@code jdk.incubator.vector}) and a fixed pool of threads.
 * Its families: {@link CpuConvolution} (direct convolution, implicit-im2col GEMMs and col2im,
 * chosen by shape), {@link CpuPooling} (planes in parallel, vectorised for the ladder's 2x2
 * windows), {@link CpuLrn}, {@link CpuRecurrent} (all-steps GEMMs around a per-step loop), and, in
 * this class, fully connected layers that read both operands in place (forward as dot products of
 * rows, {@link RowProduct}; backward as sums of outer products, {@link OuterProduct}) and the
 * element-wise, per-sample and update loops: a vector at a time with a scalar tail, split over the
 * threads in chunks.
 *
 * <p>Accumulation is in float, in a different order from the reference; the conformance contract's
 * tolerances, derived from the number of terms in each sum, bound the difference.
 */
public final class CpuKernels implements KernelSet {

    /** The system property that sets the number of threads; default all cores. */
    public static final String THREADS = "nndl.cpu.threads";

    /** Elements per task of an element-wise loop: large enough that a handoff costs little. */
    private static final int CHUNK = 1 << 15;
    /** The fewest elements a thread takes of sigmoid or tanh, about half a nanosecond each. */
    private static final int MATH_PART = 1 << 11;

    /** The system property that turns off {@link #sampleParts}' split of a training step (for measuring without it): {@code false}. */
    public static final String SPLIT = "nndl.cpu.splitSamples";
    /** The most parameters of layers whose samples a training step splits: 1 MiB of floats, a Zen 5 core's L2 cache. */
    static final long SPLIT_PARAMETERS = 1 << 18;
    /**
     * The fewest multiply-adds a parameter, in their forward pass over the mini-batch, of layers
     * whose samples a training step splits. A split layer's parameters cost four passes over
     * memory a part (zeroing its gradient, writing it, adding it up, the update) that a whole layer
     * does not; at mini-batch 10 the dense layers after the convolutions (LeNet-5's C5 and F6, v3's
     * fc1) take about ten multiply-adds a parameter, and stay whole at 256 where 32 split them.
     */
    static final long SPLIT_MACS = 256;

    /**
     * The 64-bit lanes dropout draws its masks in, where the widest vectors are 512 bits (AVX-512,
     * whose 64-bit multiply is one instruction); null elsewhere, where it draws one at a time.
     */
    private static final VectorSpecies<Long> DROPOUT_LANES = Species.WIDE.vectorBitSize() >= 512 ? LongVector.SPECIES_512 : null;
    /** Floats as many as {@link #DROPOUT_LANES}' lanes. */
    private static final VectorSpecies<Float> KEEP_LANES = FloatVector.SPECIES_256;
    /** SplitMix64's increment, as {@link DropoutRng#bits} adds it. */
    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private final Parallel parallel;
    private final Families families;
    private final boolean splitsSamples = !"false".equalsIgnoreCase(System.getProperty(SPLIT, "true").strip());

    /** Threads as {@code -Dnndl.cpu.threads} asks (default all cores); throws naming the property for a bad value or vector width. */
    public CpuKernels() {
        this(threads(System.getProperty(THREADS)));
    }

    public CpuKernels(int threads) {
        if (threads < 1 || threads > maxThreads()) {
            throw new IllegalArgumentException(threads + " threads: use 1 to " + maxThreads() + " (4 x this machine's " + cores() + " processors)");
        }
        Species.choose(System.getProperty(Species.PROPERTY));
        Species.wide(System.getProperty(Species.WIDE_PROPERTY));
        this.parallel = new Parallel(threads);
        this.families = new Families(new CpuConvolution(parallel), new CpuPooling(parallel), new DenseKernels(), new ActivationKernels(),
                new CostKernels(), new RegularisationKernels(), new CpuLrn(parallel), new CompositionKernels(), new CpuRecurrent(parallel),
                new UpdateKernels());
    }

    /** More threads than this only add handoffs (and each is a real thread, started at once). */
    static int maxThreads() {
        return 4 * cores();
    }

    private static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The threads {@code value} of {@code -Dnndl.cpu.threads} asks for, all cores if null; throws naming the property and the range. */
    static int threads(String value) {
        if (value == null || value.isBlank()) return cores();
        int threads;
        try {
            threads = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            threads = 0;
        }
        if (threads < 1 || threads > maxThreads()) {
            throw new IllegalArgumentException("-D" + THREADS + "=" + value + " is not a number of threads from 1 to " + maxThreads()
                    + " (4 x this machine's " + cores() + " processors); leave it out to use them all");
        }
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String device() {
        return String.format("%s, %d thread%s, %d-bit vectors (%d floats)", Machine.cpuModel(), parallel.threads(),
                parallel.threads() == 1 ? "" : "s", S.vectorBitSize(), S.length());
    }

    @Override
    public int threads() {
        return parallel.threads();
    }

    /**
     * As many parts as threads (or the most that divide the mini-batch), for layers whose
     * parameters fit in a core's L2 cache ({@link #SPLIT_PARAMETERS}) and whose forward pass takes
     * at least {@link #SPLIT_MACS} multiply-adds a parameter: then each thread takes its samples
     * through those layers, and only their gradients and outputs cross between the cores. Split
     * operation by operation instead, LeNet-5's step ran no faster on two threads than on one
     * (436-442 us against 420-438), while one thread took a step of half its mini-batch in 225-230 us:
     * each operation read what the other core had written in the one before. So v1-v6 split their
     * convolutional layers and LeNet-5 its layers up to S4 at mini-batch 10, not the dense ones (v6's
     * 1.7 million parameters: each part would read all of them and write a gradient as large); at
     * 64 LeNet-5 and v2-v5 split whole; v0 never (one multiply-add a parameter a sample: split, its
     * step ran 1.9 times slower).
     */
    @Override
    public int sampleParts(int batch, long parameters, long macs) {
        if (!splitsSamples || parameters > SPLIT_PARAMETERS || macs < SPLIT_MACS * parameters) return 1;
        for (int parts = Math.min(parallel.threads(), batch); parts > 1; parts--) {
            if (batch % parts == 0) return parts;
        }
        return 1;
    }

    /** The parts on the pool's threads, the caller taking the first; kernels called inside find the pool busy and run on their caller. */
    @Override
    public void concurrently(int parts, IntConsumer part) {
        parallel.forEach(parts, part);
    }

    @Override
    public void close() {
        parallel.close();
    }

    @Override
    public Families families() {
        return families;
    }

    // ---------------------------------------------------------------- softmax and costs: per sample

    /** {@code d = (a - y) * scale}: the gradient of a mean cost whose per-sample gradient is {@code a - y}. */
    private void scaledDifference(float[] d, float[] a, float[] y, float scale) {
        chunks(d.length, (from, to) -> {
            int e = from;
            for (; e < from + S.loopBound(to - from); e += S.length()) {
                FloatVector.fromArray(S, a, e).sub(FloatVector.fromArray(S, y, e)).mul(scale).intoArray(d, e);
            }
            for (; e < to; e++) d[e] = (a[e] - y[e]) * scale;
        });
    }

    // ---------------------------------------------------------------- loops

    private interface Range {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over {@code [0, length)}: see {@link #chunks(int, int, Range)}, a thread
     * taking at least {@link #CHUNK} elements: on a Zen 5, relu over 28,800 floats took 1.7 us on
     * one thread and 3.9 us on two.
     */
    private void chunks(int length, Range body) {
        chunks(length, CHUNK, body);
    }

    /**
     * Runs {@code body} over {@code [0, length)} in equal parts of whole vectors, at most
     * {@link #CHUNK} elements each: one a thread where each still has {@code minPart} elements, so
     * every thread takes the same part of arrays of one length, the part whose elements it wrote
     * in the operation before. Chunks of {@link #CHUNK} had split LeNet-5's 47,040 floats 32,768
     * and 14,272.
     */
    private void chunks(int length, int minPart, Range body) {
        int parts = Math.max(Math.min(parallel.threads(), length / minPart), (length + CHUNK - 1) / CHUNK);
        if (parts <= 1) {
            body.run(0, length);
            return;
        }
        int lanes = Species.WIDE.length(), part = ((length + parts - 1) / parts + lanes - 1) / lanes * lanes;
        parallel.forEach((length + part - 1) / part, t -> body.run(t * part, Math.min(length, (t + 1) * part)));
    }

    /** Runs {@code body} for each of {@code rows} rows of {@code width} elements, in parallel when the total is large. */
    private void forRows(int rows, int width, java.util.function.IntConsumer body) {
        if ((long) rows * width < CHUNK || rows == 1) {
            for (int r = 0; r < rows; r++) body.accept(r);
            return;
        }
        int perTask = Math.max(1, CHUNK / Math.max(1, width));
        parallel.forEach((rows + perTask - 1) / perTask, t -> {
            for (int r = t * perTask; r < Math.min(rows, (t + 1) * perTask); r++) body.accept(r);
        });
    }

    private static void addRow(float[] out, int base, float[] b, int length) {
        int e = 0;
        for (; e < S.loopBound(length); e += S.length()) FloatVector.fromArray(S, out, base + e).add(FloatVector.fromArray(S, b, e)).intoArray(out, base + e);
        for (; e < length; e++) out[base + e] += b[e];
    }

    final class DenseKernels implements Dense {

        @Override
        public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
            // out (N x OUT) = in (N x IN) * w^T, w one output per row: every output a product of two rows
            RowProduct.multiply(out, in, w, s.n(), s.out(), s.in(), parallel);
        }

        @Override
        public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            // dIn (N x IN) = dOut (N x OUT) * w (OUT x IN), w's rows read in place
            OuterProduct.multiply(dIn, dOut, 0, s.out(), 1, w, s.n(), s.in(), s.out(), false, parallel);
        }

        @Override
        public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
            // dW (OUT x IN) += dOut^T (OUT x N) * in (N x IN), in's rows read in place
            OuterProduct.multiply(dW, dOut, 0, 1, s.out(), in, s.out(), s.in(), s.n(), true, parallel);
        }

        /**
         * One sweep over the weights ({@link DenseStep}): v6's two 1000-wide layers no longer read
         * their 6.6 MB of weights three times a step, nor zero, write and read back a gradient as large.
         */
        @Override
        public boolean fullyConnectedSgdStep(float[] dIn, float[] w, float[] dOut, float[] in, float eta, float weightDecay, FcShape s) {
            DenseStep.backwardAndStep(dIn, w, dOut, in, s.n(), s.out(), s.in(), eta, weightDecay, parallel);
            return true;
        }

        @Override
        public void biasForward(float[] out, float[] b, TensorShape s) {
            int plane = s.plane();
            if (plane == 1) {
                // a batch of vectors: add b to each row
                forRows(s.n(), s.c(), n -> addRow(out, n * s.c(), b, s.c()));
                return;
            }
            forRows(s.n() * s.c(), plane, nc -> {
                FloatVector bias = FloatVector.broadcast(S, b[nc % s.c()]);
                int base = nc * plane, e = 0;
                for (; e < S.loopBound(plane); e += S.length()) FloatVector.fromArray(S, out, base + e).add(bias).intoArray(out, base + e);
                for (; e < plane; e++) out[base + e] += b[nc % s.c()];
            });
        }

        @Override
        public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            int plane = s.plane();
            if (plane == 1) {
                // a batch of vectors: each channel's sum over the samples in their order, as below, with the channels in the lanes
                // (a channel at a time, v6's two 10 x 1000 gradients took 46 us a step)
                float[] sums = new float[s.c()];
                for (int n = 0, row = 0; n < s.n(); n++, row += s.c()) {
                    int c = 0;
                    for (; c < S.loopBound(s.c()); c += S.length()) FloatVector.fromArray(S, sums, c).add(FloatVector.fromArray(S, dOut, row + c)).intoArray(sums, c);
                    for (; c < s.c(); c++) sums[c] += dOut[row + c];
                }
                for (int c = 0; c < s.c(); c++) dB[c] += sums[c];
                return;
            }
            forRows(s.c(), s.n() * plane, c -> {
                FloatVector acc = FloatVector.zero(S);
                float tail = 0;
                for (int n = 0; n < s.n(); n++) {
                    int base = (n * s.c() + c) * plane, e = 0;
                    for (; e < S.loopBound(plane); e += S.length()) acc = acc.add(FloatVector.fromArray(S, dOut, base + e));
                    for (; e < plane; e++) tail += dOut[base + e];
                }
                dB[c] += Gemm.sum(acc) + tail;
            });
        }
    }

    final class ActivationKernels implements Activations {

        /**
         * {@link VectorMath}'s, not the Vector API's SVML lanes or StrictMath: the same bits every
         * time, a vector at a time, at the widest vectors ({@link Species#WIDE}), since every lane
         * computes alone. On a Zen 5, tanh took 1.07 ns an element at 256 bits, 0.69 at 512.
         */
        private static final VectorSpecies<Float> W = VectorMath.SPECIES;

        @Override
        public void sigmoidForward(float[] out, float[] in) {
            chunks(in.length, MATH_PART, (from, to) -> {
                int e = from;
                for (; e < from + W.loopBound(to - from); e += W.length()) VectorMath.sigmoid(FloatVector.fromArray(W, in, e)).intoArray(out, e);
                for (; e < to; e++) out[e] = VectorMath.sigmoid(in[e]);
            });
        }

        @Override
        public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            chunks(out.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector y = FloatVector.fromArray(S, out, e);
                    FloatVector.fromArray(S, dOut, e).mul(y).mul(one.sub(y)).intoArray(dIn, e);
                }
                for (; e < to; e++) dIn[e] = dOut[e] * out[e] * (1 - out[e]);
            });
        }

        @Override
        public void tanhForward(float[] out, float[] in) {
            chunks(in.length, MATH_PART, (from, to) -> {
                int e = from;
                for (; e < from + W.loopBound(to - from); e += W.length()) VectorMath.tanh(FloatVector.fromArray(W, in, e)).intoArray(out, e);
                for (; e < to; e++) out[e] = VectorMath.tanh(in[e]);
            });
        }

        @Override
        public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
            FloatVector one = FloatVector.broadcast(S, 1f);
            chunks(out.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector y = FloatVector.fromArray(S, out, e);
                    FloatVector.fromArray(S, dOut, e).mul(one.sub(y.mul(y))).intoArray(dIn, e);
                }
                for (; e < to; e++) dIn[e] = dOut[e] * (1 - out[e] * out[e]);
            });
        }

        @Override
        public void reluForward(float[] out, float[] in) {
            chunks(in.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) FloatVector.fromArray(S, in, e).max(0f).intoArray(out, e);
                for (; e < to; e++) out[e] = Math.max(0f, in[e]);
            });
        }

        @Override
        public void reluBackward(float[] dIn, float[] dOut, float[] out) {
            FloatVector zero = FloatVector.zero(S);
            chunks(out.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector y = FloatVector.fromArray(S, out, e);
                    zero.blend(FloatVector.fromArray(S, dOut, e), y.compare(VectorOperators.GT, 0f)).intoArray(dIn, e);
                }
                for (; e < to; e++) dIn[e] = out[e] > 0 ? dOut[e] : 0f;
            });
        }
    }

    final class CostKernels implements Costs {

        @Override
        public void softmaxForward(float[] out, float[] in, TensorShape s) {
            int f = s.features();
            forRows(s.n(), f, n -> {
                int base = n * f, e = 0;
                FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (; e < S.loopBound(f); e += S.length()) vmax = vmax.max(FloatVector.fromArray(S, in, base + e));
                float max = vmax.reduceLanes(VectorOperators.MAX);
                for (; e < f; e++) max = Math.max(max, in[base + e]);
                // exp at its own width, then summed at S's in the order it always was
                VectorSpecies<Float> v = VectorMath.SPECIES;
                for (e = 0; e < v.loopBound(f); e += v.length()) VectorMath.exp(FloatVector.fromArray(v, in, base + e).sub(max)).intoArray(out, base + e);
                for (; e < f; e++) out[base + e] = VectorMath.exp(in[base + e] - max);
                FloatVector vsum = FloatVector.zero(S);
                for (e = 0; e < S.loopBound(f); e += S.length()) vsum = vsum.add(FloatVector.fromArray(S, out, base + e));
                float sum = Gemm.sum(vsum);
                for (; e < f; e++) sum += out[base + e];
                float inverse = 1 / sum;
                for (e = 0; e < S.loopBound(f); e += S.length()) FloatVector.fromArray(S, out, base + e).mul(inverse).intoArray(out, base + e);
                for (; e < f; e++) out[base + e] *= inverse;
            });
        }

        @Override
        public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
            int f = s.features();
            forRows(s.n(), f, n -> {
                int base = n * f;
                float dot = 0;
                for (int j = 0; j < f; j++) dot += dOut[base + j] * out[base + j];
                for (int j = 0; j < f; j++) dIn[base + j] = out[base + j] * (dOut[base + j] - dot);
            });
        }

        @Override
        public void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float sum = 0;
                for (int j = 0; j < f; j++) if (y[n * f + j] != 0) sum -= y[n * f + j] * (float) StrictMath.log(a[n * f + j]);
                loss[n] = sum;
            }
        }

        @Override
        public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float max = Float.NEGATIVE_INFINITY, sum = 0, cost = 0;
                for (int j = 0; j < f; j++) max = Math.max(max, z[n * f + j]);
                for (int k = 0; k < f; k++) sum += VectorMath.exp(z[n * f + k] - max);
                float logSum = (float) StrictMath.log(sum);
                for (int j = 0; j < f; j++) if (y[n * f + j] != 0) cost += y[n * f + j] * ((max - z[n * f + j]) + logSum);
                loss[n] = cost;
            }
        }

        @Override
        public void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
            scaledDifference(dIn, a, y, 1f / s.n());
        }

        @Override
        public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float sum = 0;
                for (int j = 0; j < f; j++) {
                    float d = a[n * f + j] - y[n * f + j];
                    sum += d * d;
                }
                loss[n] = 0.5f * sum;
            }
        }

        @Override
        public void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            scaledDifference(dA, a, y, 1f / s.n());
        }

        @Override
        public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float sum = 0;
                for (int j = 0; j < f; j++) {
                    float aj = a[n * f + j], yj = y[n * f + j];
                    if (yj != 0) sum -= yj * (float) StrictMath.log(aj);
                    if (yj != 1) sum -= (1 - yj) * (float) StrictMath.log(1 - aj);
                }
                loss[n] = sum;
            }
        }

        @Override
        public void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            float scale = 1f / s.n();
            for (int e = 0; e < dA.length; e++) dA[e] = (a[e] - y[e]) / (a[e] * (1 - a[e])) * scale;
        }
    }

    final class RegularisationKernels implements Regularisation {

        @Override
        public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
            // DropoutRng.keep without its branch, which random masks mispredict half the time (v6 at
            // mini-batch 10 spent 276 us a step here, b1b2326): uniform >= p is k * 2^-24 >= p for the top 24
            // bits k, that is k >= ceil(p * 2^24), both exact; k - threshold < 0 gives a sign bit of 1
            long threshold = (long) Math.ceil(p * 0x1.0p24);
            chunks(in.length, (from, to) -> {
                int e = DROPOUT_LANES == null ? from : dropoutLanes(out, mask, in, threshold, seed, from, to);
                for (; e < to; e++) {
                    long k = DropoutRng.bits(seed, e) >>> 40;
                    float keep = (float) (1 + ((k - threshold) >> 63));
                    mask[e] = keep;
                    out[e] = in[e] * keep;
                }
            });
        }

        /**
         * As many elements of {@code [from, to)} as fill whole vectors, from {@code from}, with
         * {@link DropoutRng#bits} in 64-bit lanes: the same bits, eight draws at a time. Returns
         * where it stopped. v6's three dropout masks at mini-batch 10 took 4.7 us on one thread
         * of a Zen 5 instead of 40.6 an element at a time.
         */
        private int dropoutLanes(float[] out, float[] mask, float[] in, long threshold, long seed, int from, int to) {
            int lanes = DROPOUT_LANES.length(), e = from;
            LongVector gamma = LongVector.broadcast(DROPOUT_LANES, GOLDEN_GAMMA);
            LongVector state = gamma.mul(LongVector.zero(DROPOUT_LANES).addIndex(1)).add(seed + (from + 1L) * GOLDEN_GAMMA);
            FloatVector one = FloatVector.broadcast(KEEP_LANES, 1f), zero = FloatVector.zero(KEEP_LANES);
            for (; e + lanes <= to; e += lanes, state = state.add(lanes * GOLDEN_GAMMA)) {
                LongVector z = state.lanewise(VectorOperators.XOR, state.lanewise(VectorOperators.LSHR, 30)).mul(0xBF58476D1CE4E5B9L);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(0x94D049BB133111EBL);
                z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31)).lanewise(VectorOperators.LSHR, 40);
                FloatVector keep = zero.blend(one, z.compare(VectorOperators.GE, threshold).cast(KEEP_LANES));
                keep.intoArray(mask, e);
                FloatVector.fromArray(KEEP_LANES, in, e).mul(keep).intoArray(out, e);
            }
            return e;
        }

        @Override
        public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
            chunks(mask.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector.fromArray(S, dOut, e).mul(FloatVector.fromArray(S, mask, e)).intoArray(dIn, e);
                }
                for (; e < to; e++) dIn[e] = dOut[e] * mask[e];
            });
        }

        @Override
        public void l2Forward(float[] sum, float[] w) {
            if (w == null) throw new IllegalArgumentException("w is null");
            int tasks = Math.max(1, (w.length + CHUNK - 1) / CHUNK);
            float[] partial = new float[tasks];
            parallel.forEach(tasks, t -> {
                int from = t * CHUNK, to = Math.min(w.length, from + CHUNK), e = from;
                FloatVector acc = FloatVector.zero(S);
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector x = FloatVector.fromArray(S, w, e);
                    acc = x.fma(x, acc);
                }
                float tail = 0;
                for (; e < to; e++) tail += w[e] * w[e];
                partial[t] = Gemm.sum(acc) + tail;
            });
            float total = 0;
            for (float p : partial) total += p;
            sum[0] = total;
        }

        @Override
        public void l2Backward(float[] dW, float[] w, float lambda) {
            chunks(w.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector.fromArray(S, w, e).fma(FloatVector.broadcast(S, lambda), FloatVector.fromArray(S, dW, e)).intoArray(dW, e);
                }
                for (; e < to; e++) dW[e] += lambda * w[e];
            });
        }
    }

    final class CompositionKernels implements Composition {

        /** Each part's channels of a sample are one contiguous run in both arrays: one copy per sample and part. */
        @Override
        public void concatForward(float[] out, float[][] parts, ConcatShape s) {
            int plane = s.h() * s.w();
            forRows(s.n() * s.parts(), s.outputSize() / (s.n() * s.parts()), np -> {
                int n = np / s.parts(), p = np % s.parts(), run = s.channels(p) * plane;
                System.arraycopy(parts[p], n * run, out, (n * s.c() + s.offset(p)) * plane, run);
            });
        }

        @Override
        public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
            int plane = s.h() * s.w();
            forRows(s.n() * s.parts(), s.outputSize() / (s.n() * s.parts()), np -> {
                int n = np / s.parts(), p = np % s.parts(), run = s.channels(p) * plane;
                System.arraycopy(dOut, (n * s.c() + s.offset(p)) * plane, dParts[p], n * run, run);
            });
        }

        @Override
        public void addForward(float[] out, float[] a, float[] b) {
            chunks(out.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector.fromArray(S, a, e).add(FloatVector.fromArray(S, b, e)).intoArray(out, e);
                }
                for (; e < to; e++) out[e] = a[e] + b[e];
            });
        }
    }

    final class UpdateKernels implements Update {

        @Override
        public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
            if (momentum == 0) {
                // no velocity to read or write: three memory passes instead of five
                chunks(w.length, (from, to) -> {
                    int e = from;
                    for (; e < from + S.loopBound(to - from); e += S.length()) {
                        FloatVector x = FloatVector.fromArray(S, w, e);
                        FloatVector g = x.fma(FloatVector.broadcast(S, weightDecay), FloatVector.fromArray(S, dW, e));
                        x.add(g.mul(-eta)).intoArray(w, e);
                    }
                    for (; e < to; e++) w[e] += -eta * (dW[e] + weightDecay * w[e]);
                });
                return;
            }
            chunks(w.length, (from, to) -> {
                int e = from;
                for (; e < from + S.loopBound(to - from); e += S.length()) {
                    FloatVector x = FloatVector.fromArray(S, w, e);
                    FloatVector g = x.fma(FloatVector.broadcast(S, weightDecay), FloatVector.fromArray(S, dW, e));
                    FloatVector vel = FloatVector.fromArray(S, v, e).mul(momentum).sub(g.mul(eta));
                    vel.intoArray(v, e);
                    x.add(vel).intoArray(w, e);
                }
                for (; e < to; e++) {
                    v[e] = momentum * v[e] - eta * (dW[e] + weightDecay * w[e]);
                    w[e] += v[e];
                }
            });
        }
    }
}
