package dev.nndl.conformance;

import static dev.nndl.conformance.Data.abs;
import static dev.nndl.conformance.OpCheck.Arithmetic.EXACT_ON_INTEGERS;
import static dev.nndl.conformance.OpCheck.Arithmetic.ROUNDED;
import static dev.nndl.conformance.Tolerance.FUNCTION_ULPS;
import static dev.nndl.conformance.Trial.inputs;
import static dev.nndl.conformance.Trial.overwritten;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.DropoutRng;
import dev.nndl.testing.Case;
import dev.nndl.testing.Gen;
import dev.nndl.testing.Tensors;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The contract, operation by operation: what each check feeds the kernels and how far the result
 * may be from the reference. Tolerances follow {@link Tolerance}: a sum of {@code K} terms gets
 * {@code K eps sum|terms|}, each exp/log/pow/tanh {@link Tolerance#FUNCTION_ULPS} more roundings;
 * the comments give {@code K} and the magnitude for each output.
 */
public final class Checks {

    private Checks() {}

    // What share of the reference's outputs must be nonzero for a case to prove anything (the trust
    // check; Conformance fails a case below it): each share says what the operation leaves at zero.

    /** Dense arithmetic: at least half the outputs of a random case are nonzero. */
    private static final double MOST = 0.5;
    /** Convolutions: padding, dilation and stride leave border outputs with few or no terms. */
    private static final double MOST_BUT_BORDERS = 0.4;
    /** ReLU: half the inputs are negative, so about half the outputs are zero. */
    private static final double ABOUT_HALF = 0.15;
    /** Dropout: the mask zeroes a share p of the outputs, and p goes up to 0.9. */
    private static final double KEPT_SHARE = 0.1;
    /** Softmax of large logits: at least the row's maximum is far from zero, one output in {@code features}. */
    private static final ToDoubleFunction<TensorShape> ONE_PER_ROW = s -> 0.9 / s.features();
    /** Max-pooling backward: only each window's maximum receives a gradient. */
    private static final ToDoubleFunction<PoolShape> ONE_PER_WINDOW = s -> 0.3 / (s.kh() * s.kw());

    /** Every check, in the order of {@link dev.nndl.spi.KernelSet}. */
    public static List<OpCheck<?>> all() {
        return List.of(
                conv2dForward(), conv2dBackwardInput(), conv2dBackwardWeights(),
                convTranspose2dForward(), convTranspose2dBackwardInput(), convTranspose2dBackwardWeights(),
                maxPool2dForward(), maxPool2dBackward(), avgPool2dForward(), avgPool2dBackward(), lpPool2dForward(), lpPool2dBackward(),
                fullyConnectedForward(), fullyConnectedBackwardInput(), fullyConnectedBackwardWeights(), fullyConnectedSgdStep(),
                biasForward(), biasBackward(),
                sigmoidForward(), sigmoidBackward(), tanhForward(), tanhBackward(), reluForward(), reluBackward(),
                softmaxForward(), softmaxBackward(), logLikelihoodForward(), softmaxLogLikelihoodForward(), softmaxLogLikelihoodBackward(),
                quadraticCostForward(), quadraticCostBackward(), crossEntropyCostForward(), crossEntropyCostBackward(),
                dropoutForward(), dropoutBackward(), l2Forward(), l2Backward(), lrnForward(), lrnBackward(),
                concatForward(), concatBackward(), addForward(), setZero(),
                RecurrentChecks.rnnForward(), RecurrentChecks.rnnBackward(), RecurrentChecks.lstmForward(), RecurrentChecks.lstmBackward(),
                sgdUpdate());
    }

    private static <S> OpCheck<S> check(String op, String direction, String tolerance, Gen<Case<S>> cases, OpCheck.Arithmetic arithmetic,
                                        double nonZero, OpCheck.Body<S> body) {
        return new OpCheck<>(op, direction, tolerance, cases, arithmetic, s -> nonZero, body);
    }

    private static <S> OpCheck<S> check(String op, String direction, String tolerance, Gen<Case<S>> cases, OpCheck.Arithmetic arithmetic,
                                        ToDoubleFunction<S> nonZero, OpCheck.Body<S> body) {
        return new OpCheck<>(op, direction, tolerance, cases, arithmetic, nonZero, body);
    }

    private static TensorShape weights(ConvShape s) {
        return new TensorShape(s.oc(), s.cPerGroup(), s.kh(), s.kw());
    }

    private static TensorShape weights(ConvTransposeShape s) {
        return new TensorShape(s.c(), s.oc() / s.groups(), s.kh(), s.kw());
    }

    private static int windowsPer(int k, int s) {
        return (k + s - 1) / s;
    }

    // ---------------------------------------------------------------- convolution

    public static OpCheck<ConvShape> conv2dForward() {
        return check("conv2d", "forward", "sum of K = (C/G)*KH*KW products", Cases.conv(), EXACT_ON_INTEGERS, MOST_BUT_BORDERS, (t, s) -> {
            float[] in = t.data().signed(s.inputSize()), w = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.conv2dForward(out[0], in, w, s), inputs(in, w), overwritten(s.outputSize()));
            float[] absIn = abs(in), absW = abs(w);
            float[] magnitude = t.reference((k, out) -> k.conv2dForward(out[0], absIn, absW, s), s.outputSize());
            t.compare("out", s.output(), o.got()[0], o.ref()[0], t.sums((double) s.cPerGroup() * s.kh() * s.kw(), magnitude));
        });
    }

    public static OpCheck<ConvShape> conv2dBackwardInput() {
        return check("conv2d", "backward-input", "sum of K <= (OC/G)*KH*KW products", Cases.conv(), EXACT_ON_INTEGERS, MOST_BUT_BORDERS, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), w = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.conv2dBackwardInput(out[0], dOut, w, s), inputs(dOut, w), overwritten(s.inputSize()));
            float[] absDOut = abs(dOut), absW = abs(w);
            float[] magnitude = t.reference((k, out) -> k.conv2dBackwardInput(out[0], absDOut, absW, s), s.inputSize());
            t.compare("dIn", s.input(), o.got()[0], o.ref()[0], t.sums((double) s.ocPerGroup() * s.kh() * s.kw(), magnitude));
        });
    }

    public static OpCheck<ConvShape> conv2dBackwardWeights() {
        return check("conv2d", "backward-weights", "prior dW plus a sum of K = N*OH*OW products", Cases.conv(), EXACT_ON_INTEGERS, MOST_BUT_BORDERS, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), in = t.data().signed(s.inputSize()), dW = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.conv2dBackwardWeights(out[0], dOut, in, s), inputs(dOut, in), dW);
            float[] absDOut = abs(dOut), absIn = abs(in), magnitude = abs(dW);
            t.referenceInto(k -> k.conv2dBackwardWeights(magnitude, absDOut, absIn, s));
            t.compare("dW (accumulated)", weights(s), o.got()[0], o.ref()[0], t.sums((double) s.n() * s.oh() * s.ow() + 1, magnitude));
        });
    }

    public static OpCheck<ConvTransposeShape> convTranspose2dForward() {
        return check("conv-transpose2d", "forward", "sum of K <= (C/G)*KH*KW products", Cases.convTranspose(), EXACT_ON_INTEGERS, MOST_BUT_BORDERS, (t, s) -> {
            float[] in = t.data().signed(s.inputSize()), w = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.convTranspose2dForward(out[0], in, w, s), inputs(in, w), overwritten(s.outputSize()));
            float[] absIn = abs(in), absW = abs(w);
            float[] magnitude = t.reference((k, out) -> k.convTranspose2dForward(out[0], absIn, absW, s), s.outputSize());
            t.compare("out", s.output(), o.got()[0], o.ref()[0], t.sums((double) s.c() / s.groups() * s.kh() * s.kw(), magnitude));
        });
    }

    public static OpCheck<ConvTransposeShape> convTranspose2dBackwardInput() {
        return check("conv-transpose2d", "backward-input", "sum of K = (OC/G)*KH*KW products", Cases.convTranspose(), EXACT_ON_INTEGERS, MOST_BUT_BORDERS, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), w = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.convTranspose2dBackwardInput(out[0], dOut, w, s), inputs(dOut, w), overwritten(s.inputSize()));
            float[] absDOut = abs(dOut), absW = abs(w);
            float[] magnitude = t.reference((k, out) -> k.convTranspose2dBackwardInput(out[0], absDOut, absW, s), s.inputSize());
            t.compare("dIn", s.input(), o.got()[0], o.ref()[0], t.sums((double) s.oc() / s.groups() * s.kh() * s.kw(), magnitude));
        });
    }

    public static OpCheck<ConvTransposeShape> convTranspose2dBackwardWeights() {
        return check("conv-transpose2d", "backward-weights", "prior dW plus a sum of K = N*H*W products", Cases.convTranspose(), EXACT_ON_INTEGERS, MOST_BUT_BORDERS, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), in = t.data().signed(s.inputSize()), dW = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.convTranspose2dBackwardWeights(out[0], dOut, in, s), inputs(dOut, in), dW);
            float[] absDOut = abs(dOut), absIn = abs(in), magnitude = abs(dW);
            t.referenceInto(k -> k.convTranspose2dBackwardWeights(magnitude, absDOut, absIn, s));
            t.compare("dW (accumulated)", weights(s), o.got()[0], o.ref()[0], t.sums((double) s.n() * s.h() * s.w() + 1, magnitude));
        });
    }

    // ---------------------------------------------------------------- pooling

    public static OpCheck<PoolShape> maxPool2dForward() {
        return check("max-pool2d", "forward", "exact: a maximum involves no arithmetic", Cases.pool(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] in = t.data().signed(s.inputSize());
            var o = t.run((k, out) -> k.maxPool2dForward(out[0], in, s), inputs(in), overwritten(s.outputSize()));
            t.compare("out", s.output(), o.got()[0], o.ref()[0], Tolerance.exact(s.outputSize()));
        });
    }

    public static OpCheck<PoolShape> maxPool2dBackward() {
        return check("max-pool2d", "backward", "sum of K = ceil(KH/SH)*ceil(KW/SW) gradients; ties go to the first maximum",
                Cases.pool(), EXACT_ON_INTEGERS, ONE_PER_WINDOW, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), in = t.data().signed(s.inputSize());
            var o = t.run((k, out) -> k.maxPool2dBackward(out[0], dOut, in, s), inputs(dOut, in), overwritten(s.inputSize()));
            float[] absDOut = abs(dOut);
            float[] magnitude = t.reference((k, out) -> k.maxPool2dBackward(out[0], absDOut, in, s), s.inputSize());
            t.compare("dIn", s.input(), o.got()[0], o.ref()[0], t.sums(windowsPer(s.kh(), s.sh()) * windowsPer(s.kw(), s.sw()), magnitude));
        });
    }

    public static OpCheck<PoolShape> avgPool2dForward() {
        return check("avg-pool2d", "forward", "sum of K = KH*KW values, one division", Cases.pool(), ROUNDED, MOST, (t, s) -> {
            float[] in = t.data().signed(s.inputSize());
            var o = t.run((k, out) -> k.avgPool2dForward(out[0], in, s), inputs(in), overwritten(s.outputSize()));
            float[] absIn = abs(in);
            float[] magnitude = t.reference((k, out) -> k.avgPool2dForward(out[0], absIn, s), s.outputSize());
            t.compare("out", s.output(), o.got()[0], o.ref()[0], Tolerance.sums(s.kh() * s.kw() + 1, magnitude));
        });
    }

    public static OpCheck<PoolShape> avgPool2dBackward() {
        return check("avg-pool2d", "backward", "sum of K = ceil(KH/SH)*ceil(KW/SW) shares, one division", Cases.pool(), ROUNDED, MOST, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize());
            var o = t.run((k, out) -> k.avgPool2dBackward(out[0], dOut, s), inputs(dOut), overwritten(s.inputSize()));
            float[] absDOut = abs(dOut);
            float[] magnitude = t.reference((k, out) -> k.avgPool2dBackward(out[0], absDOut, s), s.inputSize());
            t.compare("dIn", s.input(), o.got()[0], o.ref()[0], Tolerance.sums(windowsPer(s.kh(), s.sh()) * windowsPer(s.kw(), s.sw()) + 1, magnitude));
        });
    }

    private static final float[] POWERS = {1, 2, 3, 1.5f};

    public static OpCheck<PoolShape> lpPool2dForward() {
        return check("lp-pool2d", "forward", "sum of K = KH*KW powers, then a root: K + 2 function evaluations, relative",
                Cases.pool(), ROUNDED, MOST, (t, s) -> {
            float p = POWERS[t.data().random().nextInt(POWERS.length)];
            float[] in = t.data().signed(s.inputSize());
            var o = t.run((k, out) -> k.lpPool2dForward(out[0], in, p, s), inputs(in), overwritten(s.outputSize()));
            t.compare("out (p=" + p + ")", s.output(), o.got()[0], o.ref()[0], Tolerance.sums(s.kh() * s.kw() + 2 * FUNCTION_ULPS, abs(o.ref()[0])));
        });
    }

    public static OpCheck<PoolShape> lpPool2dBackward() {
        return check("lp-pool2d", "backward", "sum over K = ceil(KH/SH)*ceil(KW/SW) windows of terms with a power: K + p + 2 + one function each",
                Cases.pool(), ROUNDED, MOST, (t, s) -> {
            float p = POWERS[t.data().random().nextInt(POWERS.length)];
            float[] in = t.data().signed(s.inputSize()), dOut = t.data().signed(s.outputSize());
            float[] norm = t.reference((k, out) -> k.lpPool2dForward(out[0], in, p, s), s.outputSize());
            var o = t.run((k, out) -> k.lpPool2dBackward(out[0], dOut, in, norm, p, s), inputs(dOut, in, norm), overwritten(s.inputSize()));
            float[] absDOut = abs(dOut), absIn = abs(in);
            float[] magnitude = t.reference((k, out) -> k.lpPool2dBackward(out[0], absDOut, absIn, norm, p, s), s.inputSize());
            int windows = windowsPer(s.kh(), s.sh()) * windowsPer(s.kw(), s.sw());
            t.compare("dIn (p=" + p + ")", s.input(), o.got()[0], o.ref()[0], Tolerance.sums(windows + p + 2 + FUNCTION_ULPS, magnitude));
        });
    }

    // ---------------------------------------------------------------- fully connected and bias

    public static OpCheck<FcShape> fullyConnectedForward() {
        return check("fully-connected", "forward", "sum of K = IN products", Cases.fc(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] in = t.data().signed(s.inputSize()), w = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.fullyConnectedForward(out[0], in, w, s), inputs(in, w), overwritten(s.outputSize()));
            float[] absIn = abs(in), absW = abs(w);
            float[] magnitude = t.reference((k, out) -> k.fullyConnectedForward(out[0], absIn, absW, s), s.outputSize());
            t.compare("out", s.output(), o.got()[0], o.ref()[0], t.sums(s.in(), magnitude));
        });
    }

    public static OpCheck<FcShape> fullyConnectedBackwardInput() {
        return check("fully-connected", "backward-input", "sum of K = OUT products", Cases.fc(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), w = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.fullyConnectedBackwardInput(out[0], dOut, w, s), inputs(dOut, w), overwritten(s.inputSize()));
            float[] absDOut = abs(dOut), absW = abs(w);
            float[] magnitude = t.reference((k, out) -> k.fullyConnectedBackwardInput(out[0], absDOut, absW, s), s.inputSize());
            t.compare("dIn", s.input(), o.got()[0], o.ref()[0], t.sums(s.out(), magnitude));
        });
    }

    public static OpCheck<FcShape> fullyConnectedBackwardWeights() {
        return check("fully-connected", "backward-weights", "prior dW plus a sum of K = N products", Cases.fc(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize()), in = t.data().signed(s.inputSize()), dW = t.data().signed(s.weightSize());
            var o = t.run((k, out) -> k.fullyConnectedBackwardWeights(out[0], dOut, in, s), inputs(dOut, in), dW);
            float[] absDOut = abs(dOut), absIn = abs(in), magnitude = abs(dW);
            t.referenceInto(k -> k.fullyConnectedBackwardWeights(magnitude, absDOut, absIn, s));
            t.compare("dW (accumulated)", TensorShape.of(s.out(), s.in()), o.got()[0], o.ref()[0], t.sums(s.n() + 1, magnitude));
        });
    }

    /**
     * The layer's backward pass and step against the reference's composition (backward-data, then
     * backward-weights into a zeroed gradient and the update), with and without {@code dIn}:
     * {@code dIn} as backward-data allows; the weights with the gradient's error, {@code N}
     * roundings of its products' magnitudes, scaled by {@code eta}, plus the update's own
     * roundings as {@link #sgdUpdate} allows them.
     */
    public static OpCheck<FcShape> fullyConnectedSgdStep() {
        return check("fully-connected", "sgd-step", "dIn: sum of K = OUT products; w: 1 rounding of |w| + |step|; step: 3 roundings of "
                + "eta (|dW| + |lambda w|) plus eta times dW's N roundings", Cases.fc(), ROUNDED, MOST, (t, s) -> {
            float eta = 0.001f + 0.1f * t.data().random().nextFloat();
            float decay = t.data().random().nextBoolean() ? 0 : 0.01f * t.data().random().nextFloat();
            boolean input = t.data().random().nextInt(4) != 0;
            float[] dOut = t.data().signed(s.outputSize()), in = t.data().signed(s.inputSize()), w = t.data().signed(s.weightSize());
            float[] v = new float[s.weightSize()], dW = new float[s.weightSize()];
            float[][] outputs = input ? new float[][] {w, dW, overwritten(s.inputSize())} : new float[][] {w, dW};
            var o = t.run((k, out) -> k.fullyConnectedSgdStep(input ? out[2] : null, out[0], v, out[1], dOut, in, eta, decay, s), inputs(dOut, in), outputs);
            float[] magnitude = new float[s.weightSize()], absDOut = abs(dOut), absW = abs(w);
            t.referenceInto(k -> k.fullyConnectedBackwardWeights(magnitude, absDOut, abs(in), s));
            double[] tolW = new double[s.weightSize()];
            for (int e = 0; e < tolW.length; e++) {
                double step = Math.abs((double) eta * (magnitude[e] + Math.abs((double) decay * w[e])));
                double tolStep = Tolerance.sum(3, step) + eta * Tolerance.sum(s.n(), magnitude[e]);
                tolW[e] = Tolerance.sum(1, Math.abs(w[e]) + step) + tolStep;
            }
            String params = " (eta=" + eta + ", decay=" + decay + (input ? "" : ", no dIn") + ")";
            if (input) {
                float[] dInMagnitude = t.reference((k, out) -> k.fullyConnectedBackwardInput(out[0], absDOut, absW, s), s.inputSize());
                t.compare("dIn" + params, s.input(), o.got()[2], o.ref()[2], t.sums(s.out(), dInMagnitude));
            }
            t.compare("w" + params, TensorShape.of(s.out(), s.in()), o.got()[0], o.ref()[0], tolW);
        });
    }

    public static OpCheck<TensorShape> biasForward() {
        return check("bias", "forward", "one addition into the prior output", Cases.tensors(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] out0 = t.data().signed(s.size()), b = t.data().signed(s.c());
            var o = t.run((k, out) -> k.biasForward(out[0], b, s), inputs(b), out0);
            float[] magnitude = abs(out0), absB = abs(b);
            t.referenceInto(k -> k.biasForward(magnitude, absB, s));
            t.compare("out (accumulated)", s, o.got()[0], o.ref()[0], t.sums(1, magnitude));
        });
    }

    public static OpCheck<TensorShape> biasBackward() {
        return check("bias", "backward", "prior dB plus a sum of K = N*H*W values", Cases.tensors(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] dOut = t.data().signed(s.size()), dB = t.data().signed(s.c());
            var o = t.run((k, out) -> k.biasBackward(out[0], dOut, s), inputs(dOut), dB);
            float[] absDOut = abs(dOut), magnitude = abs(dB);
            t.referenceInto(k -> k.biasBackward(magnitude, absDOut, s));
            t.compare("dB (accumulated)", TensorShape.of(1, s.c()), o.got()[0], o.ref()[0], t.sums((double) s.n() * s.plane() + 1, magnitude));
        });
    }

    // ---------------------------------------------------------------- activations

    /** An element-wise forward operation and its relative tolerance in roundings. */
    private static OpCheck<TensorShape> elementwise(String op, String tolerance, double roundings, OpCheck.Arithmetic arithmetic, float lo, float hi,
                                                    double trust, Unary forward) {
        return check(op, "forward", tolerance, Cases.tensors(), arithmetic, trust, (t, s) -> {
            float[] in = arithmetic == EXACT_ON_INTEGERS && t.integers() ? t.data().signed(s.size()) : t.data().between(s.size(), lo, hi);
            var o = t.run((k, out) -> forward.apply(k, out[0], in), inputs(in), overwritten(s.size()));
            t.compare("out", s, o.got()[0], o.ref()[0], arithmetic == EXACT_ON_INTEGERS ? Tolerance.exact(s.size()) : Tolerance.sums(roundings, abs(o.ref()[0])));
        });
    }

    @FunctionalInterface
    private interface Unary {
        void apply(dev.nndl.spi.KernelSet k, float[] out, float[] in);
    }

    @FunctionalInterface
    private interface Gradient {
        void apply(dev.nndl.spi.KernelSet k, float[] dIn, float[] dOut, float[] out);
    }

    /** An element-wise backward operation, given the forward's output; {@code magnitude} of each element in double. */
    private static OpCheck<TensorShape> elementwiseBackward(String op, String tolerance, double roundings, OpCheck.Arithmetic arithmetic, Unary forward,
                                                            Gradient backward, MagnitudeOf magnitude, double trust) {
        return check(op, "backward", tolerance, Cases.tensors(), arithmetic, trust, (t, s) -> {
            float[] in = arithmetic == EXACT_ON_INTEGERS && t.integers() ? t.data().signed(s.size()) : t.data().between(s.size(), -6, 6);
            float[] dOut = t.data().signed(s.size());
            float[] y = t.reference((k, out) -> forward.apply(k, out[0], in), s.size());
            var o = t.run((k, out) -> backward.apply(k, out[0], dOut, y), inputs(dOut, y), overwritten(s.size()));
            double[] tol = new double[s.size()];
            for (int e = 0; e < tol.length; e++) tol[e] = arithmetic == EXACT_ON_INTEGERS ? 0 : Tolerance.sum(roundings, magnitude.of(dOut[e], y[e], o.ref()[0][e]));
            t.compare("dIn", s, o.got()[0], o.ref()[0], tol);
        });
    }

    @FunctionalInterface
    private interface MagnitudeOf {
        double of(float dOut, float out, float ref);
    }

    public static OpCheck<TensorShape> sigmoidForward() {
        // exp (F roundings), 1 + e, 1 / (...), and the reference's own rounding
        return elementwise("sigmoid", "exp, an addition and a division: F + 3 roundings, relative", FUNCTION_ULPS + 3, ROUNDED, -90, 90, MOST,
                (k, out, in) -> k.sigmoidForward(out, in));
    }

    public static OpCheck<TensorShape> sigmoidBackward() {
        return elementwiseBackward("sigmoid", "dOut * out * (1 - out): 4 roundings, relative", 4, ROUNDED,
                (k, out, in) -> k.sigmoidForward(out, in), (k, dIn, dOut, out) -> k.sigmoidBackward(dIn, dOut, out),
                (dOut, out, ref) -> Math.abs(ref), MOST);
    }

    public static OpCheck<TensorShape> tanhForward() {
        return elementwise("tanh", "one function evaluation: F + 1 roundings, relative", FUNCTION_ULPS + 1, ROUNDED, -10, 10, MOST,
                (k, out, in) -> k.tanhForward(out, in));
    }

    public static OpCheck<TensorShape> tanhBackward() {
        // 1 - out^2 cancels near |out| = 1: its error is u * out^2, not u * (1 - out^2)
        return elementwiseBackward("tanh", "dOut * (1 - out^2): 3 roundings of |dOut| * (1 + out^2)", 3, ROUNDED,
                (k, out, in) -> k.tanhForward(out, in), (k, dIn, dOut, out) -> k.tanhBackward(dIn, dOut, out),
                (dOut, out, ref) -> Math.abs(dOut) * (1 + (double) out * out), MOST);
    }

    public static OpCheck<TensorShape> reluForward() {
        return elementwise("relu", "exact", 0, EXACT_ON_INTEGERS, -1, 1, ABOUT_HALF, (k, out, in) -> k.reluForward(out, in));
    }

    public static OpCheck<TensorShape> reluBackward() {
        return elementwiseBackward("relu", "exact", 0, EXACT_ON_INTEGERS, (k, out, in) -> k.reluForward(out, in),
                (k, dIn, dOut, out) -> k.reluBackward(dIn, dOut, out), (dOut, out, ref) -> 0, ABOUT_HALF);
    }

    // ---------------------------------------------------------------- softmax and costs

    private static final float[] LOGIT_SCALES = {1, 10, 100};

    public static OpCheck<TensorShape> softmaxForward() {
        // x - m rounds by u|x - m|, which exp amplifies to a relative u|x - m|; exp itself F; the sum K; the division 1
        return check("softmax", "forward", "K + F + 2 + |x - max| roundings, relative (logits up to +-100)", Cases.classes(), ROUNDED, ONE_PER_ROW, (t, s) -> {
            float scale = LOGIT_SCALES[t.data().random().nextInt(LOGIT_SCALES.length)];
            float[] in = t.data().between(s.size(), -scale, scale);
            var o = t.run((k, out) -> k.softmaxForward(out[0], in, s), inputs(in), overwritten(s.size()));
            double[] tol = new double[s.size()];
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < f; j++) max = Math.max(max, in[n * f + j]);
                for (int j = 0; j < f; j++) {
                    tol[n * f + j] = Tolerance.sum(f + FUNCTION_ULPS + 2 + Math.abs(in[n * f + j] - max), o.ref()[0][n * f + j]);
                }
            }
            t.compare("out (logits within +-" + scale + ")", s, o.got()[0], o.ref()[0], tol);
        });
    }

    public static OpCheck<TensorShape> softmaxBackward() {
        return check("softmax", "backward", "dot of K = features terms, a subtraction and a product: K + 2 roundings of out*(|dOut| + sum|dOut*out|)",
                Cases.classes(), ROUNDED, MOST, (t, s) -> {
            float[] logits = t.data().between(s.size(), -4, 4), dOut = t.data().signed(s.size());
            float[] y = t.reference((k, out) -> k.softmaxForward(out[0], logits, s), s.size());
            var o = t.run((k, out) -> k.softmaxBackward(out[0], dOut, y, s), inputs(dOut, y), overwritten(s.size()));
            int f = s.features();
            double[] tol = new double[s.size()];
            for (int n = 0; n < s.n(); n++) {
                double dot = 0;
                for (int j = 0; j < f; j++) dot += Math.abs((double) dOut[n * f + j] * y[n * f + j]);
                for (int j = 0; j < f; j++) tol[n * f + j] = Tolerance.sum(f + 2, y[n * f + j] * (Math.abs(dOut[n * f + j]) + dot));
            }
            t.compare("dIn", s, o.got()[0], o.ref()[0], tol);
        });
    }

    public static OpCheck<TensorShape> logLikelihoodForward() {
        // every term -y ln a is >= 0 for a in (0, 1], so sum|terms| is the result itself
        return check("log-likelihood", "forward", "sum of K = features logarithms: K + F + 1 roundings, relative", Cases.classes(), ROUNDED, MOST, (t, s) -> {
            float[] a = Tensors.distributions(t.data().random(), s.n(), s.features()), y = Tensors.oneHot(t.data().random(), s.n(), s.features());
            var o = t.run((k, out) -> k.logLikelihoodForward(out[0], a, y, s), inputs(a, y), overwritten(s.n()));
            t.compare("loss", TensorShape.of(s.n(), 1), o.got()[0], o.ref()[0], Tolerance.sums(s.features() + FUNCTION_ULPS + 1, abs(o.ref()[0])));
        });
    }

    /** Logits up to +-10^4: a target 2 * 10^4 below its row's maximum, whose softmax output is 0 in float. */
    private static final float[] WIDE_LOGIT_SCALES = {1, 10, 100, 1e4f};

    public static OpCheck<TensorShape> softmaxLogLikelihoodForward() {
        // per sample, with d_k = z_k - m, p_k = exp(d_k) / S, L = ln S, and u = EPS / 2:
        //   each d_k rounds by u|d_k|, which exp turns into a relative u|d_k|, exp itself F: S is off by
        //   u (K S + sum_k exp(d_k) (F + |d_k|)) for K = features, so L by u (K + F + sum_k p_k |d_k|) + F u L;
        //   each term y_j ((m - z_j) + L) adds 3 roundings of itself, the sum over K terms K, the reference 1;
        //   every term is >= 0, so sum|terms| is the loss itself
        return check("softmax-log-likelihood", "forward", "log-sum-exp: (K + 4) u loss + u (K + 2F + sum_k p_k |z_k - m| + F L) (logits up to +-1e4)",
                Cases.classes(), ROUNDED, MOST, (t, s) -> {
            float scale = WIDE_LOGIT_SCALES[t.data().random().nextInt(WIDE_LOGIT_SCALES.length)];
            float[] z = t.data().between(s.size(), -scale, scale), y = Tensors.oneHot(t.data().random(), s.n(), s.features());
            var o = t.run((k, out) -> k.softmaxLogLikelihoodForward(out[0], z, y, s), inputs(z, y), overwritten(s.n()));
            int f = s.features();
            double[] tol = new double[s.n()];
            for (int n = 0; n < s.n(); n++) {
                double m = Double.NEGATIVE_INFINITY, sum = 0, spread = 0, targets = 0;
                for (int j = 0; j < f; j++) m = Math.max(m, z[n * f + j]);
                for (int k = 0; k < f; k++) sum += Math.exp(z[n * f + k] - m);
                for (int k = 0; k < f; k++) spread += Math.exp(z[n * f + k] - m) / sum * (m - z[n * f + k]);
                for (int j = 0; j < f; j++) targets += y[n * f + j];
                double logSumError = f + 2 * FUNCTION_ULPS + spread + FUNCTION_ULPS * Math.log(sum);
                tol[n] = Tolerance.sum(0.5, (f + 4) * Math.abs(o.ref()[0][n]) + targets * logSumError);
            }
            t.compare("loss (logits within +-" + scale + ")", TensorShape.of(s.n(), 1), o.got()[0], o.ref()[0], tol);
        });
    }

    public static OpCheck<TensorShape> softmaxLogLikelihoodBackward() {
        return check("softmax-log-likelihood", "backward", "(a - y) / N: 2 roundings, relative", Cases.classes(), ROUNDED, MOST, (t, s) -> {
            float[] a = Tensors.distributions(t.data().random(), s.n(), s.features()), y = Tensors.oneHot(t.data().random(), s.n(), s.features());
            var o = t.run((k, out) -> k.softmaxLogLikelihoodBackward(out[0], a, y, s), inputs(a, y), overwritten(s.size()));
            t.compare("dIn", s, o.got()[0], o.ref()[0], Tolerance.sums(2, abs(o.ref()[0])));
        });
    }

    public static OpCheck<TensorShape> quadraticCostForward() {
        return check("quadratic-cost", "forward", "sum of K = features squares: K + 3 roundings, relative", Cases.rows(), ROUNDED, MOST, (t, s) -> {
            float[] a = t.data().between(s.size(), 0, 1), y = t.data().between(s.size(), 0, 1);
            var o = t.run((k, out) -> k.quadraticCostForward(out[0], a, y, s), inputs(a, y), overwritten(s.n()));
            t.compare("loss", TensorShape.of(s.n(), 1), o.got()[0], o.ref()[0], Tolerance.sums(s.features() + 3, abs(o.ref()[0])));
        });
    }

    public static OpCheck<TensorShape> quadraticCostBackward() {
        return check("quadratic-cost", "backward", "(a - y) / N: 2 roundings, relative", Cases.rows(), ROUNDED, MOST, (t, s) -> {
            float[] a = t.data().between(s.size(), 0, 1), y = t.data().between(s.size(), 0, 1);
            var o = t.run((k, out) -> k.quadraticCostBackward(out[0], a, y, s), inputs(a, y), overwritten(s.size()));
            t.compare("dA", s, o.got()[0], o.ref()[0], Tolerance.sums(2, abs(o.ref()[0])));
        });
    }

    public static OpCheck<TensorShape> crossEntropyCostForward() {
        // per term: y ln a (F roundings of |y ln a|), (1 - y) ln(1 - a): 1 - a and 1 - y round by u, ln adds u absolute
        return check("cross-entropy-cost", "forward", "K + F + 3 roundings of sum(|y ln a| + |1 - y| (|ln(1 - a)| + 1))",
                Cases.rows(), ROUNDED, MOST, (t, s) -> {
            float[] a = t.data().between(s.size(), 0.02f, 0.98f), y = t.data().between(s.size(), 0, 1);
            var o = t.run((k, out) -> k.crossEntropyCostForward(out[0], a, y, s), inputs(a, y), overwritten(s.n()));
            int f = s.features();
            double[] tol = new double[s.n()];
            for (int n = 0; n < s.n(); n++) {
                double magnitude = 0;
                for (int j = 0; j < f; j++) {
                    double aj = a[n * f + j], yj = y[n * f + j];
                    magnitude += Math.abs(yj * Math.log(aj)) + Math.abs(1 - yj) * (Math.abs(Math.log(1 - aj)) + 1);
                }
                tol[n] = Tolerance.sum(f + FUNCTION_ULPS + 3, magnitude);
            }
            t.compare("loss", TensorShape.of(s.n(), 1), o.got()[0], o.ref()[0], tol);
        });
    }

    public static OpCheck<TensorShape> crossEntropyCostBackward() {
        return check("cross-entropy-cost", "backward", "(a - y) / (a (1 - a)) / N: 5 roundings, relative", Cases.rows(), ROUNDED, MOST, (t, s) -> {
            float[] a = t.data().between(s.size(), 0.02f, 0.98f), y = t.data().between(s.size(), 0, 1);
            var o = t.run((k, out) -> k.crossEntropyCostBackward(out[0], a, y, s), inputs(a, y), overwritten(s.size()));
            t.compare("dA", s, o.got()[0], o.ref()[0], Tolerance.sums(5, abs(o.ref()[0])));
        });
    }

    // ---------------------------------------------------------------- regularisation

    public static OpCheck<TensorShape> dropoutForward() {
        return check("dropout", "forward", "exact: the mask is DropoutRng's, and in * 1 or in * 0 is exact", Cases.tensors(), EXACT_ON_INTEGERS, KEPT_SHARE, (t, s) -> {
            long seed = t.data().random().nextLong();
            float p = boundary(seed, s.size(), t.data().random().nextInt(s.size()));
            float[] in = t.data().signed(s.size());
            var o = t.run((k, out) -> k.dropoutForward(out[0], out[1], in, p, seed), inputs(in), overwritten(s.size()), overwritten(s.size()));
            t.compare("mask (p=" + p + ", seed=" + seed + ")", s, o.got()[1], o.ref()[1], Tolerance.exact(s.size()));
            t.compare("out (p=" + p + ")", s, o.got()[0], o.ref()[0], Tolerance.exact(s.size()));
        });
    }

    /**
     * A drop probability below 0.5 that is some element's own draw, found from element {@code first}
     * on, so that element lies on the boundary {@code u == p} and must be kept ({@code u >= p});
     * half of 0.5 if no element draws below 0.5.
     */
    private static float boundary(long seed, int size, int first) {
        for (int e = 0; e < size; e++) {
            float u = DropoutRng.uniform(seed, (first + e) % size);
            if (u < 0.5f) return u;
        }
        return 0.25f;
    }

    public static OpCheck<TensorShape> dropoutBackward() {
        return check("dropout", "backward", "exact", Cases.tensors(), EXACT_ON_INTEGERS, KEPT_SHARE, (t, s) -> {
            float p = 0.5f * t.data().random().nextFloat();
            long seed = t.data().random().nextLong();
            float[] in = t.data().signed(s.size()), dOut = t.data().signed(s.size());
            float[] mask = new float[s.size()];
            t.reference((k, out) -> k.dropoutForward(out[0], mask, in, p, seed), s.size());
            var o = t.run((k, out) -> k.dropoutBackward(out[0], dOut, mask), inputs(dOut, mask), overwritten(s.size()));
            t.compare("dIn", s, o.got()[0], o.ref()[0], Tolerance.exact(s.size()));
        });
    }

    public static OpCheck<TensorShape> l2Forward() {
        return check("l2", "forward", "sum of K = elements squares: K + 1 roundings, relative", Cases.tensors(), ROUNDED, MOST, (t, s) -> {
            float[] w = t.data().signed(s.size());
            var o = t.run((k, out) -> k.l2Forward(out[0], w), inputs(w), overwritten(1));
            t.compare("sum", TensorShape.of(1, 1), o.got()[0], o.ref()[0], Tolerance.sums(s.size() + 1, abs(o.ref()[0])));
        });
    }

    public static OpCheck<TensorShape> l2Backward() {
        return check("l2", "backward", "dW + lambda * w: 2 roundings of |dW| + |lambda w|", Cases.tensors(), ROUNDED, MOST, (t, s) -> {
            float lambda = 0.001f + t.data().random().nextFloat();
            float[] w = t.data().signed(s.size()), dW = t.data().signed(s.size());
            var o = t.run((k, out) -> k.l2Backward(out[0], w, lambda), inputs(w), dW);
            double[] tol = new double[s.size()];
            for (int e = 0; e < tol.length; e++) tol[e] = Tolerance.sum(2, Math.abs(dW[e]) + Math.abs((double) lambda * w[e]));
            t.compare("dW (accumulated, lambda=" + lambda + ")", s, o.got()[0], o.ref()[0], tol);
        });
    }

    // ---------------------------------------------------------------- local response normalisation

    public static OpCheck<LrnShape> lrnForward() {
        // q = k + alpha * sum of W squares (W + 2 roundings); q^-beta amplifies q's error by beta and adds F; times a: 1
        return check("lrn", "forward", "beta (W + 2) + F + 2 roundings, relative", Cases.lrn(), ROUNDED, MOST, (t, s) -> {
            float[] in = t.data().between(s.tensor().size(), -3, 3);
            var o = t.run((k, out) -> k.lrnForward(out[0], in, s), inputs(in), overwritten(s.tensor().size()));
            t.compare("out", s.tensor(), o.got()[0], o.ref()[0], Tolerance.sums(s.beta() * (s.size() + 2) + FUNCTION_ULPS + 2, abs(o.ref()[0])));
        });
    }

    public static OpCheck<LrnShape> lrnBackward() {
        return check("lrn", "backward", "(beta + 1)(W + 2) + F + W + 4 roundings of |dOut q^-beta| + 2 alpha beta |a| sum|dOut a q^(-beta-1)|",
                Cases.lrn(), ROUNDED, MOST, (t, s) -> {
            TensorShape x = s.tensor();
            float[] in = t.data().between(x.size(), -3, 3), dOut = t.data().signed(x.size());
            var o = t.run((k, out) -> k.lrnBackward(out[0], dOut, in, s), inputs(dOut, in), overwritten(x.size()));
            double[] tol = new double[x.size()];
            int half = s.size() / 2;
            double roundings = (s.beta() + 1) * (s.size() + 2) + FUNCTION_ULPS + s.size() + 4;
            for (int n = 0; n < s.n(); n++) {
                for (int y = 0; y < s.h(); y++) {
                    for (int w = 0; w < s.w(); w++) {
                        double[] q = new double[s.c()];
                        for (int c = 0; c < s.c(); c++) {
                            double sum = 0;
                            for (int j = Math.max(0, c - half); j <= Math.min(s.c() - 1, c + half); j++) sum += Math.pow(in[x.index(n, j, y, w)], 2);
                            q[c] = s.k() + s.alpha() * sum;
                        }
                        for (int c = 0; c < s.c(); c++) {
                            double cross = 0;
                            for (int j = Math.max(0, c - half); j <= Math.min(s.c() - 1, c + half); j++) {
                                cross += Math.abs(dOut[x.index(n, j, y, w)] * in[x.index(n, j, y, w)]) * Math.pow(q[j], -s.beta() - 1);
                            }
                            int e = x.index(n, c, y, w);
                            double magnitude = Math.abs(dOut[e]) * Math.pow(q[c], -s.beta()) + 2 * s.alpha() * s.beta() * Math.abs(in[e]) * cross;
                            tol[e] = Tolerance.sum(roundings, magnitude);
                        }
                    }
                }
            }
            t.compare("dIn", x, o.got()[0], o.ref()[0], tol);
        });
    }

    // ---------------------------------------------------------------- composition

    public static OpCheck<ConcatShape> concatForward() {
        return check("concat", "forward", "exact: a copy", Cases.concat(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[][] parts = new float[s.parts()][];
            for (int p = 0; p < parts.length; p++) parts[p] = t.data().signed(s.part(p).size());
            var o = t.run((k, out) -> k.concatForward(out[0], parts, s), parts, overwritten(s.outputSize()));
            t.compare("out", s.output(), o.got()[0], o.ref()[0], Tolerance.exact(s.outputSize()));
        });
    }

    public static OpCheck<ConcatShape> concatBackward() {
        return check("concat", "backward", "exact: a copy", Cases.concat(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] dOut = t.data().signed(s.outputSize());
            float[][] dParts = new float[s.parts()][];
            for (int p = 0; p < dParts.length; p++) dParts[p] = overwritten(s.part(p).size());
            var o = t.run((k, out) -> k.concatBackward(out, dOut, s), inputs(dOut), dParts);
            for (int p = 0; p < dParts.length; p++) {
                t.compare("dParts[" + p + "]", s.part(p), o.got()[p], o.ref()[p], Tolerance.exact(s.part(p).size()));
            }
        });
    }

    public static OpCheck<TensorShape> addForward() {
        return check("add", "forward", "one addition: 1 rounding of |a| + |b|", Cases.tensors(), EXACT_ON_INTEGERS, MOST, (t, s) -> {
            float[] a = t.data().signed(s.size()), b = t.data().signed(s.size());
            var o = t.run((k, out) -> k.addForward(out[0], a, b), inputs(a, b), overwritten(s.size()));
            double[] tol = new double[s.size()];
            for (int e = 0; e < tol.length; e++) tol[e] = t.integers() ? 0 : Tolerance.sum(1, Math.abs(a[e]) + Math.abs(b[e]));
            t.compare("out", s, o.got()[0], o.ref()[0], tol);
        });
    }

    // ---------------------------------------------------------------- update

    public static OpCheck<TensorShape> setZero() {
        return check("set", "zero", "exact: every element 0", Cases.tensors(), EXACT_ON_INTEGERS, 0, (t, s) -> {
            float[] before = t.data().signed(s.size());
            var o = t.runAnyLength((k, out) -> k.setZero(out[0]), inputs(), before);
            t.compare("out", s, o.got()[0], o.ref()[0], Tolerance.exact(s.size()));
        });
    }

    public static OpCheck<TensorShape> sgdUpdate() {
        return check("sgd", "update", "v: 3 roundings of |mu v| + eta (|dW| + |lambda w|); w: 1 rounding of |w| + |v'| plus v's error; "
                + "at momentum 0, v untouched", Cases.tensors(), ROUNDED, MOST, (t, s) -> {
            float eta = 0.001f + 0.1f * t.data().random().nextFloat();
            float momentum = t.data().random().nextInt(4) == 0 ? 0 : 0.95f * t.data().random().nextFloat();
            float decay = t.data().random().nextBoolean() ? 0 : 0.01f * t.data().random().nextFloat();
            float[] w = t.data().signed(s.size()), v = t.data().signed(s.size()), dW = t.data().signed(s.size());
            var o = t.run((k, out) -> k.sgdUpdate(out[0], out[1], dW, eta, momentum, decay), inputs(dW), w, v);
            double[] tolV = new double[s.size()], tolW = new double[s.size()];
            for (int e = 0; e < s.size(); e++) {
                double step = momentum == 0 ? -(double) eta * (dW[e] + (double) decay * w[e]) : o.ref()[1][e];
                tolV[e] = Tolerance.sum(3, Math.abs((double) momentum * v[e]) + eta * (Math.abs(dW[e]) + Math.abs((double) decay * w[e])));
                tolW[e] = Tolerance.sum(1, Math.abs(w[e]) + Math.abs(step)) + tolV[e];
            }
            String params = " (eta=" + eta + ", momentum=" + momentum + ", decay=" + decay + ")";
            t.compare("v" + params, s, o.got()[1], o.ref()[1], momentum == 0 ? Tolerance.exact(s.size()) : tolV);
            t.compare("w" + params, s, o.got()[0], o.ref()[0], tolW);
        });
    }
}
