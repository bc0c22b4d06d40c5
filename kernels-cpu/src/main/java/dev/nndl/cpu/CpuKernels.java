package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.Check;
import dev.nndl.spi.DropoutRng;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Machine;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The CPU backend: the Vector API ({@code jdk.incubator.vector}) and a fixed pool of threads.
 *
 * <p>Algorithms by operation, each chosen by measurement on the ladder's shapes (numbers in the
 * classes' comments). Forward and backward-weights with unit column stride and outputs at least a
 * vector wide run directly ({@link DirectConv}: input read straight from memory, weights
 * broadcast from the filter, nothing packed); other forward and backward-weights convolutions are matrix
 * multiplies on {@link Gemm}'s packed, register-blocked kernel with the convolution's matrices
 * computed while packing (implicit im2col, {@link ConvViews}). Backward-data with unit strides,
 * whole vectors of output columns, filters at most five wide and at least four input channels a
 * group runs directly too, over whole rows of {@code dOut}; other backward-data is col2im
 * ({@link Col2im}): a multiply over output channels and a per-channel scatter. Fully connected
 * layers read both operands in place: forward
 * as dot products of rows ({@link RowProduct}), backward as sums of outer products
 * ({@link OuterProduct}); packing them for {@link Gemm} cost more than the multiply at the
 * ladder's sizes.
 * Element-wise operations, softmax, LRN and the update are vector loops with a scalar tail, split
 * over threads in chunks; pooling is split over planes, vectorised for the ladder's 2x2 windows
 * ({@link Pooling}) and scalar otherwise.
 *
 * <p>Accumulation is in float, in a different order from the reference; the conformance contract's
 * tolerances, derived from the number of terms in each sum, bound the difference.
 */
public final class CpuKernels implements KernelSet {

    /** The system property that sets the number of threads; default all cores. */
    public static final String THREADS = "nndl.cpu.threads";

    /** Elements per task of an element-wise loop: large enough that a handoff costs little. */
    private static final int CHUNK = 1 << 15;

    private final Parallel parallel;

    /** Threads as {@code -Dnndl.cpu.threads} asks (default all cores); throws naming the property for a bad value or vector width. */
    public CpuKernels() {
        this(threads(System.getProperty(THREADS)));
    }

    public CpuKernels(int threads) {
        if (threads < 1 || threads > maxThreads()) {
            throw new IllegalArgumentException(threads + " threads: use 1 to " + maxThreads() + " (4 x this machine's " + cores() + " processors)");
        }
        Species.choose(System.getProperty(Species.PROPERTY));
        this.parallel = new Parallel(threads);
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

    @Override
    public void close() {
        parallel.close();
    }

    // ---------------------------------------------------------------- convolution: matrix multiplies on implicit im2col

    /**
     * A padded convolution first copies its input into a zero-bordered buffer and then runs
     * unpadded: every packed strip is then inside the input and packs as contiguous runs, which on
     * the ladder's backward-data (padded by 4) made the convolution several times faster than
     * checking borders element by element. The copy costs one pass over the input.
     */
    @Override
    public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
        Check.conv2dForward(out, in, w, s);
        if (DirectConv.applies(s)) {
            DirectConv.forward(out, in, w, s, parallel);
            return;
        }
        if ((s.ph() > 0 || s.pw() > 0) && s.sw() == 1) {
            int hp = s.h() + 2 * s.ph(), wp = s.w() + 2 * s.pw();
            // the borders are never written, so a reused array keeps them zero
            float[] padded = Workspace.array("padded input, GEMM path", s, s.n() * s.c() * hp * wp);
            DirectConv.Padded.copyPlanes(in, s.n() * s.c(), s.h(), s.w(), padded, hp, wp, s.ph(), s.pw(), parallel);
            s = new ConvShape(s.n(), s.c(), s.h() + 2 * s.ph(), s.w() + 2 * s.pw(), s.oc(), s.kh(), s.kw(), s.sh(), s.sw(), 0, 0, s.dh(), s.dw(), s.groups());
            in = padded;
        }
        int taps = s.cPerGroup() * s.kh() * s.kw(), plane = s.oh() * s.ow();
        for (int g = 0; g < s.groups(); g++) {
            Gemm.multiply(s.ocPerGroup(), s.n() * plane, taps, Gemm.dense(w, g * s.ocPerGroup() * taps, taps, 1),
                    ConvViews.columns(in, s, g), ConvViews.planesTarget(out, s.oc(), g * s.ocPerGroup(), plane), false, parallel);
        }
    }

    /** Backward-data directly where {@link DirectConv#appliesToData} allows, else col2im ({@link Col2im}). */
    @Override
    public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
        Check.conv2dBackwardInput(dIn, dOut, w, s);
        if (DirectConv.appliesToData(s)) DirectConv.backwardData(dIn, dOut, w, s, parallel);
        else Col2im.backwardData(dIn, dOut, w, s, parallel);
    }

    @Override
    public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
        Check.conv2dBackwardWeights(dW, dOut, in, s);
        if (DirectConv.appliesToWeights(s)) {
            DirectConv.backwardWeights(dW, dOut, in, s, parallel);
            return;
        }
        int taps = s.cPerGroup() * s.kh() * s.kw(), plane = s.oh() * s.ow();
        for (int g = 0; g < s.groups(); g++) {
            Gemm.multiply(s.ocPerGroup(), taps, s.n() * plane, ConvViews.planes(dOut, s.oc(), g * s.ocPerGroup(), plane),
                    ConvViews.columnsByTap(in, s, g), Gemm.dense(dW, g * s.ocPerGroup() * taps, taps), true, parallel);
        }
    }

    // ---------------------------------------------------------------- fully connected: matrix multiplies

    @Override
    public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
        Check.fullyConnected("out", out, "in", in, "w", w, s);
        // out (N x OUT) = in (N x IN) * w^T, w one output per row: every output a product of two rows
        RowProduct.multiply(out, in, w, s.n(), s.out(), s.in(), parallel);
    }

    @Override
    public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
        Check.fullyConnected("dOut", dOut, "dIn", dIn, "w", w, s);
        // dIn (N x IN) = dOut (N x OUT) * w (OUT x IN), w's rows read in place
        OuterProduct.multiply(dIn, dOut, 0, s.out(), 1, w, s.n(), s.in(), s.out(), false, parallel);
    }

    @Override
    public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
        Check.fullyConnected("dOut", dOut, "in", in, "dW", dW, s);
        // dW (OUT x IN) += dOut^T (OUT x N) * in (N x IN), in's rows read in place
        OuterProduct.multiply(dW, dOut, 0, 1, s.out(), in, s.out(), s.in(), s.n(), true, parallel);
    }

    // ---------------------------------------------------------------- pooling: scalar windows, planes in parallel

    @Override
    public void maxPool2dForward(float[] out, float[] in, PoolShape s) {
        Check.pool2dForward(out, in, s);
        Pooling.maxForward(out, in, s, parallel);
    }

    @Override
    public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
        Check.pool2dBackward(dIn, dOut, s);
        Check.length("in", in, s.inputSize(), s);
        Pooling.maxBackward(dIn, dOut, in, s, parallel);
    }

    @Override
    public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
        Check.pool2dForward(out, in, s);
        Pooling.avgForward(out, in, s, parallel);
    }

    @Override
    public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
        Check.pool2dBackward(dIn, dOut, s);
        Pooling.avgBackward(dIn, dOut, s, parallel);
    }

    @Override
    public void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
        Check.pool2dForward(out, in, s);
        Check.lpPower(p);
        Pooling.lpForward(out, in, p, s, parallel);
    }

    @Override
    public void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
        Check.pool2dBackward(dIn, dOut, s);
        Check.length("in", in, s.inputSize(), s);
        Check.length("out", out, s.outputSize(), s);
        Check.lpPower(p);
        Pooling.lpBackward(dIn, dOut, in, out, p, s, parallel);
    }

    // ---------------------------------------------------------------- bias

    @Override
    public void biasForward(float[] out, float[] b, TensorShape s) {
        Check.bias("out", out, "b", b, s);
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
        Check.bias("dOut", dOut, "dB", dB, s);
        int plane = s.plane();
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

    // ---------------------------------------------------------------- activations: vector loops

    /** {@link VectorMath}'s, not the Vector API's SVML lanes or StrictMath: the same bits every time, a vector at a time. */
    @Override
    public void sigmoidForward(float[] out, float[] in) {
        Check.sameLength("out", out, "in", in);
        chunks(in.length, (from, to) -> {
            int e = from;
            for (; e < from + S.loopBound(to - from); e += S.length()) VectorMath.sigmoid(FloatVector.fromArray(S, in, e)).intoArray(out, e);
            for (; e < to; e++) out[e] = VectorMath.sigmoid(in[e]);
        });
    }

    @Override
    public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
        Check.sameLength("dIn", dIn, "out", out);
        Check.sameLength("dOut", dOut, "out", out);
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
        Check.sameLength("out", out, "in", in);
        chunks(in.length, (from, to) -> {
            int e = from;
            for (; e < from + S.loopBound(to - from); e += S.length()) VectorMath.tanh(FloatVector.fromArray(S, in, e)).intoArray(out, e);
            for (; e < to; e++) out[e] = VectorMath.tanh(in[e]);
        });
    }

    @Override
    public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
        Check.sameLength("dIn", dIn, "out", out);
        Check.sameLength("dOut", dOut, "out", out);
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
        Check.sameLength("out", out, "in", in);
        chunks(in.length, (from, to) -> {
            int e = from;
            for (; e < from + S.loopBound(to - from); e += S.length()) FloatVector.fromArray(S, in, e).max(0f).intoArray(out, e);
            for (; e < to; e++) out[e] = Math.max(0f, in[e]);
        });
    }

    @Override
    public void reluBackward(float[] dIn, float[] dOut, float[] out) {
        Check.sameLength("dIn", dIn, "out", out);
        Check.sameLength("dOut", dOut, "out", out);
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

    // ---------------------------------------------------------------- softmax and costs: per sample

    @Override
    public void softmaxForward(float[] out, float[] in, TensorShape s) {
        Check.tensors(s, "out", out, "in", in);
        int f = s.features();
        forRows(s.n(), f, n -> {
            int base = n * f, e = 0;
            FloatVector vmax = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (; e < S.loopBound(f); e += S.length()) vmax = vmax.max(FloatVector.fromArray(S, in, base + e));
            float max = vmax.reduceLanes(VectorOperators.MAX);
            for (; e < f; e++) max = Math.max(max, in[base + e]);
            FloatVector vsum = FloatVector.zero(S);
            for (e = 0; e < S.loopBound(f); e += S.length()) {
                FloatVector x = VectorMath.exp(FloatVector.fromArray(S, in, base + e).sub(max));
                x.intoArray(out, base + e);
                vsum = vsum.add(x);
            }
            float sum = Gemm.sum(vsum);
            for (; e < f; e++) {
                out[base + e] = VectorMath.exp(in[base + e] - max);
                sum += out[base + e];
            }
            float inverse = 1 / sum;
            for (e = 0; e < S.loopBound(f); e += S.length()) FloatVector.fromArray(S, out, base + e).mul(inverse).intoArray(out, base + e);
            for (; e < f; e++) out[base + e] *= inverse;
        });
    }

    @Override
    public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
        Check.tensors(s, "dIn", dIn, "dOut", dOut, "out", out);
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
        Check.tensors(s, "a", a, "y", y);
        Check.perSample("loss", loss, s);
        int f = s.features();
        for (int n = 0; n < s.n(); n++) {
            float sum = 0;
            for (int j = 0; j < f; j++) if (y[n * f + j] != 0) sum -= y[n * f + j] * (float) StrictMath.log(a[n * f + j]);
            loss[n] = sum;
        }
    }

    @Override
    public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
        Check.tensors(s, "z", z, "y", y);
        Check.perSample("loss", loss, s);
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
        Check.tensors(s, "dIn", dIn, "a", a, "y", y);
        scaledDifference(dIn, a, y, 1f / s.n());
    }

    @Override
    public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
        Check.tensors(s, "a", a, "y", y);
        Check.perSample("loss", loss, s);
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
        Check.tensors(s, "dA", dA, "a", a, "y", y);
        scaledDifference(dA, a, y, 1f / s.n());
    }

    @Override
    public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
        Check.tensors(s, "a", a, "y", y);
        Check.perSample("loss", loss, s);
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
        Check.tensors(s, "dA", dA, "a", a, "y", y);
        float scale = 1f / s.n();
        for (int e = 0; e < dA.length; e++) dA[e] = (a[e] - y[e]) / (a[e] * (1 - a[e])) * scale;
    }

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

    // ---------------------------------------------------------------- regularisation

    @Override
    public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
        Check.sameLength("out", out, "in", in);
        Check.sameLength("mask", mask, "in", in);
        Check.inRange("p", p, 0, 1, true);
        // DropoutRng.keep without its branch, which random masks mispredict half the time (v6 at
        // mini-batch 10 spent 276 us a step here): uniform >= p is k * 2^-24 >= p for the top 24
        // bits k, that is k >= ceil(p * 2^24), both exact; k - threshold < 0 gives a sign bit of 1
        long threshold = (long) Math.ceil(p * 0x1.0p24);
        chunks(in.length, (from, to) -> {
            for (int e = from; e < to; e++) {
                long k = DropoutRng.bits(seed, e) >>> 40;
                float keep = (float) (1 + ((k - threshold) >> 63));
                mask[e] = keep;
                out[e] = in[e] * keep;
            }
        });
    }

    @Override
    public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
        Check.sameLength("dIn", dIn, "mask", mask);
        Check.sameLength("dOut", dOut, "mask", mask);
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
        Check.length("sum", sum, 1, "the L2 sum of squares (one value)");
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
        Check.sameLength("dW", dW, "w", w);
        Check.finite("lambda", lambda);
        chunks(w.length, (from, to) -> {
            int e = from;
            for (; e < from + S.loopBound(to - from); e += S.length()) {
                FloatVector.fromArray(S, w, e).fma(FloatVector.broadcast(S, lambda), FloatVector.fromArray(S, dW, e)).intoArray(dW, e);
            }
            for (; e < to; e++) dW[e] += lambda * w[e];
        });
    }

    // ---------------------------------------------------------------- local response normalisation

    @Override
    public void lrnForward(float[] out, float[] in, LrnShape s) {
        Check.lrn(out, "out", in, "in", s);
        Lrn.forward(out, in, s, parallel);
    }

    @Override
    public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
        Check.lrn(dIn, "dIn", dOut, "dOut", s);
        Check.length("in", in, s.tensor().size(), s);
        Lrn.backward(dIn, dOut, in, s, parallel);
    }

    // ---------------------------------------------------------------- composition: copies and sums

    /** Each part's channels of a sample are one contiguous run in both arrays: one copy per sample and part. */
    @Override
    public void concatForward(float[] out, float[][] parts, ConcatShape s) {
        Check.concat("out", out, "parts", parts, s);
        int plane = s.h() * s.w();
        forRows(s.n() * s.parts(), s.outputSize() / (s.n() * s.parts()), np -> {
            int n = np / s.parts(), p = np % s.parts(), run = s.channels(p) * plane;
            System.arraycopy(parts[p], n * run, out, (n * s.c() + s.offset(p)) * plane, run);
        });
    }

    @Override
    public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
        Check.concat("dOut", dOut, "dParts", dParts, s);
        int plane = s.h() * s.w();
        forRows(s.n() * s.parts(), s.outputSize() / (s.n() * s.parts()), np -> {
            int n = np / s.parts(), p = np % s.parts(), run = s.channels(p) * plane;
            System.arraycopy(dOut, (n * s.c() + s.offset(p)) * plane, dParts[p], n * run, run);
        });
    }

    @Override
    public void addForward(float[] out, float[] a, float[] b) {
        Check.sameLength("a", a, "b", b);
        Check.sameLength("out", out, "a", a);
        chunks(out.length, (from, to) -> {
            int e = from;
            for (; e < from + S.loopBound(to - from); e += S.length()) {
                FloatVector.fromArray(S, a, e).add(FloatVector.fromArray(S, b, e)).intoArray(out, e);
            }
            for (; e < to; e++) out[e] = a[e] + b[e];
        });
    }

    // ---------------------------------------------------------------- recurrent cells: multiplies over all steps, a loop through time

    @Override
    public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
        Check.rnnForward(h, x, h0, w, s);
        Recurrent.rnnForward(h, x, h0, w, s, parallel);
    }

    @Override
    public void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
        Check.rnnBackward(dX, dH0, dW, dH, x, h0, h, w, s);
        Recurrent.rnnBackward(dX, dH0, dW, dH, x, h0, h, w, s, parallel);
    }

    @Override
    public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
        Check.lstmForward(h, c, gates, x, h0, c0, w, s);
        Recurrent.lstmForward(h, c, gates, x, h0, c0, w, s, parallel);
    }

    @Override
    public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                             float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        Check.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
        Recurrent.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s, parallel);
    }

    // ---------------------------------------------------------------- update

    @Override
    public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
        Check.sameLength("v", v, "w", w);
        Check.sameLength("dW", dW, "w", w);
        Check.finite("eta", eta);
        Check.finite("momentum", momentum);
        Check.finite("weightDecay", weightDecay);
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

    // ---------------------------------------------------------------- loops

    private interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over {@code [0, length)} in chunks of {@link #CHUNK}, in parallel when there are several. */
    private void chunks(int length, Range body) {
        int tasks = (length + CHUNK - 1) / CHUNK;
        if (tasks <= 1) {
            body.run(0, length);
            return;
        }
        parallel.forEach(tasks, t -> body.run(t * CHUNK, Math.min(length, (t + 1) * CHUNK)));
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
}
