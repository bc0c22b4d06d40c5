package dev.nndl.spi;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;

/**
 * The operations of a convolutional network, one method per operation and direction, each taking
 * caller-owned flat {@code float[]} arrays (NCHW, outputs first) and a shape record. The
 * reference implementation ({@code dev.nndl.reference.ReferenceKernels}) is the oracle; every
 * other implementation must agree with it within the tolerances of the conformance suite.
 *
 * <p><b>Families.</b> A backend implements the operations in ten families, as Lucene's
 * {@code Codec} composes its formats: {@link Convolution}, {@link Pooling}, {@link Dense},
 * {@link Activations}, {@link Costs}, {@link Regularisation}, {@link Normalisation},
 * {@link Composition}, {@link Recurrent} and {@link Update}, each with its operations' formulas,
 * handed out together by {@link #families()}. Callers use the flat methods here, which check the
 * arguments and then call the family, so no backend can forget a check; a backend replaces a
 * family ({@link Families#with}), not these methods. Implement the families in classes of their
 * own: a class that implemented a family and this interface at once would override the checked
 * method with its unchecked one.
 *
 * <p><b>Overwrite or accumulate.</b> Outputs are overwritten, except where a method says
 * "accumulates": the parameter gradients ({@code dW}, {@code dB}) are added to, as in llm.c, so
 * that gradients from several calls (branches, sub-batches, an L2 term) sum without a copy; the
 * caller zeroes them once per step. {@link #biasForward} adds to its output in place.
 *
 * <p><b>Arguments.</b> Every array must have exactly the length its shape implies; a wrong
 * length, a null array or an out-of-range scalar gets an {@link IllegalArgumentException} that
 * names the argument, the expected and the actual size ({@link Arguments}), before any array is
 * written. Outputs must not alias inputs, except where a method allows it.
 *
 * <p><b>Device residency.</b> A device backend keeps a device copy of every array it has met and
 * computes on those copies alone; host and device copies meet only where the caller says so:
 * <ul>
 *   <li>{@link #upload}{@code (a)}: the host wrote {@code a}; the next operation reads the host's
 *       contents. An array an operation meets for the first time is taken from the host as if
 *       uploaded.</li>
 *   <li>{@link #download}{@code (a)}: the host is about to read {@code a}; whatever operations
 *       wrote to it since comes back. Arrays no operation wrote cost nothing.</li>
 *   <li>Between an operation that writes {@code a} and {@code download(a)} the host copy is
 *       stale; between a host write and {@code upload(a)} the device copy is. So a caller writes an
 *       array on the host only before its first use or followed by {@code upload}, reads one only
 *       after {@code download}, and zeroes an array on the device with {@link #setZero}.</li>
 * </ul>
 * Each family method lists what it <i>reads</i> and <i>writes</i>. Host backends compute on the
 * host arrays and implement both as no-ops; {@link #transfers} counts the bytes a device backend
 * moved. The contract runs every backend through these rules, and {@code SimulatedDevice} (in the
 * conformance module) holds any backend to them, as a discrete device would.
 *
 * <p><b>Threads.</b> A kernel set serves one calling thread at a time (its own threads are its
 * business): the device backends keep per-call state, kernel arguments and staging arrays. The
 * one exception is {@link #concurrently}: its parts may call the kernel set at once, each from
 * its own thread, when the kernel set runs them so.
 *
 * <p><b>Cost.</b> Each family method states its floating-point operations (a multiply-add counts 2), the
 * count benchmarks divide by to report GFLOP/s.
 *
 * <p>Gradients are named after what they are the gradient of: {@code dOut}, {@code dIn},
 * {@code dW}, {@code dB}. Costs are means over the {@code n} samples of the mini-batch.
 */
public interface KernelSet extends AutoCloseable {

    /** The backend's name, as {@code -Dnndl.backend} spells it: {@code reference}, {@code cpu}, ... */
    String name();

    /** What the kernels run on, for logs and CSV rows: e.g. {@code "Java 25, 1 thread, double accumulation"}. */
    String device();

    /** Host threads the backend uses (1 for the reference; work-items are not threads). */
    default int threads() {
        return 1;
    }

    /**
     * Into how many equal parts a training step should split a mini-batch of {@code batch} samples
     * on its way through layers of {@code parameters} weights and biases whose forward pass over
     * the mini-batch takes {@code macs} multiply-adds: the parts' forward and backward passes
     * through those layers at once ({@link #concurrently}), their gradients summed after. A network
     * asks about its first layers, one more at a time, and splits the longest run answered with
     * more than 1; its other layers run whole on the parts' outputs joined. 1, the default, for a
     * kernel set that gains nothing from it (a device, or a host backend with one thread). A backend
     * answers more where each part keeps its samples on one core and the parts' copies of the
     * gradient cost little against the arithmetic; the answer divides {@code batch}.
     */
    default int sampleParts(int batch, long parameters, long macs) {
        return 1;
    }

    /**
     * Runs {@code part.accept(i)} for every {@code i} in {@code [0, parts)}: at once on threads of
     * the kernel set's own where it can, each part calling the kernel set from its thread and every
     * kernel it calls computing on that thread alone; by default one part after another on the
     * caller. Parts must not write what another part reads or writes.
     */
    default void concurrently(int parts, java.util.function.IntConsumer part) {
        for (int i = 0; i < parts; i++) part.accept(i);
    }

    /** Marks the host copies of {@code arrays} as new: the next operation that reads them sees their current contents. */
    default void upload(float[]... arrays) {}

    /** Copies the latest results of {@code arrays} back into the host arrays. */
    default void download(float[]... arrays) {}

    /** Bytes a device backend has moved each way since it started; empty for a backend that computes on the host arrays. */
    default java.util.Optional<Transfers> transfers() {
        return java.util.Optional.empty();
    }

    /**
     * A device backend's time since it started, split into transfers and kernels, when the JVM runs
     * with {@code -Dnndl.profile=true}; empty for host backends and when not measured.
     */
    default java.util.Optional<DeviceTime> deviceTime() {
        return java.util.Optional.empty();
    }

    /** Releases device buffers, kernels and threads. The kernel set must not be used afterwards. */
    @Override
    default void close() {}

    // ---------------------------------------------------------------- the families a backend implements

    /** The backend's ten families; the methods below check their arguments and call them. */
    Families families();

    // ---------------------------------------------------------------- convolution

    /** Checks the arguments, then {@link Convolution#conv2dForward}. */
    default void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
        Arguments.conv2dForward(out, in, w, s);
        families().convolution().conv2dForward(out, in, w, s);
    }

    /** Checks the arguments, then {@link Convolution#conv2dBackwardInput}. */
    default void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
        Arguments.conv2dBackwardInput(dIn, dOut, w, s);
        families().convolution().conv2dBackwardInput(dIn, dOut, w, s);
    }

    /** Checks the arguments, then {@link Convolution#conv2dBackwardWeights}. */
    default void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
        Arguments.conv2dBackwardWeights(dW, dOut, in, s);
        families().convolution().conv2dBackwardWeights(dW, dOut, in, s);
    }

    /** Checks the arguments, then {@link Convolution#convTranspose2dForward}. */
    default void convTranspose2dForward(float[] out, float[] in, float[] w, ConvTransposeShape s) {
        Arguments.convTranspose2d("out", out, "in", in, "w", w, s);
        families().convolution().convTranspose2dForward(out, in, w, s);
    }

    /** Checks the arguments, then {@link Convolution#convTranspose2dBackwardInput}. */
    default void convTranspose2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvTransposeShape s) {
        Arguments.convTranspose2d("dOut", dOut, "dIn", dIn, "w", w, s);
        families().convolution().convTranspose2dBackwardInput(dIn, dOut, w, s);
    }

    /** Checks the arguments, then {@link Convolution#convTranspose2dBackwardWeights}. */
    default void convTranspose2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvTransposeShape s) {
        Arguments.convTranspose2d("dOut", dOut, "in", in, "dW", dW, s);
        families().convolution().convTranspose2dBackwardWeights(dW, dOut, in, s);
    }

    // ---------------------------------------------------------------- pooling

    /** Checks the arguments, then {@link Pooling#maxPool2dForward}. */
    default void maxPool2dForward(float[] out, float[] in, PoolShape s) {
        Arguments.pool2dForward(out, in, s);
        families().pooling().maxPool2dForward(out, in, s);
    }

    /** Checks the arguments, then {@link Pooling#maxPool2dBackward}. */
    default void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
        Arguments.pool2dBackward(dIn, dOut, s);
        Arguments.length("in", in, s.inputSize(), s);
        families().pooling().maxPool2dBackward(dIn, dOut, in, s);
    }

    /** Checks the arguments, then {@link Pooling#avgPool2dForward}. */
    default void avgPool2dForward(float[] out, float[] in, PoolShape s) {
        Arguments.pool2dForward(out, in, s);
        families().pooling().avgPool2dForward(out, in, s);
    }

    /** Checks the arguments, then {@link Pooling#avgPool2dBackward}. */
    default void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
        Arguments.pool2dBackward(dIn, dOut, s);
        families().pooling().avgPool2dBackward(dIn, dOut, s);
    }

    /** Checks the arguments, then {@link Pooling#lpPool2dForward}. */
    default void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
        Arguments.pool2dForward(out, in, s);
        Arguments.lpPower(p);
        families().pooling().lpPool2dForward(out, in, p, s);
    }

    /** Checks the arguments, then {@link Pooling#lpPool2dBackward}. */
    default void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
        Arguments.pool2dBackward(dIn, dOut, s);
        Arguments.length("in", in, s.inputSize(), s);
        Arguments.length("out", out, s.outputSize(), s);
        Arguments.lpPower(p);
        families().pooling().lpPool2dBackward(dIn, dOut, in, out, p, s);
    }

    // ---------------------------------------------------------------- dense

    /** Checks the arguments, then {@link Dense#fullyConnectedForward}. */
    default void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
        Arguments.fullyConnected("out", out, "in", in, "w", w, s);
        families().dense().fullyConnectedForward(out, in, w, s);
    }

    /** Checks the arguments, then {@link Dense#fullyConnectedBackwardInput}. */
    default void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
        Arguments.fullyConnected("dOut", dOut, "dIn", dIn, "w", w, s);
        families().dense().fullyConnectedBackwardInput(dIn, dOut, w, s);
    }

    /** Checks the arguments, then {@link Dense#fullyConnectedBackwardWeights}. */
    default void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
        Arguments.fullyConnected("dOut", dOut, "in", in, "dW", dW, s);
        families().dense().fullyConnectedBackwardWeights(dW, dOut, in, s);
    }

    /**
     * A fully connected layer's backward pass and a plain SGD step (no momentum) on its weights:
     * {@code dIn = dOut w} with the weights before the step, unless {@code dIn} is null, then
     * {@code w -= eta * (dOut^T in + weightDecay * w)}. That is what
     * {@link #fullyConnectedBackwardInput fullyConnectedBackwardInput(dIn, dOut, w, s)},
     * {@link #setZero setZero(dW)}, {@link #fullyConnectedBackwardWeights fullyConnectedBackwardWeights(dW, dOut, in, s)}
     * and {@link #sgdUpdate sgdUpdate(w, v, dW, eta, 0, weightDecay)} compute, which is what this
     * does unless the backend's {@link Dense#fullyConnectedSgdStep} does it in one pass over the
     * weights; then {@code dW} is not written, nor ever {@code v}. Reads {@code dOut, in, w};
     * writes {@code dIn}, {@code w} and perhaps {@code dW}.
     */
    default void fullyConnectedSgdStep(float[] dIn, float[] w, float[] v, float[] dW, float[] dOut, float[] in, float eta, float weightDecay, FcShape s) {
        Arguments.fullyConnected("dOut", dOut, "in", in, "w", w, s);
        if (dIn != null) Arguments.fullyConnected("dOut", dOut, "dIn", dIn, "w", w, s);
        Arguments.sameLength("v", v, "w", w);
        Arguments.sameLength("dW", dW, "w", w);
        Arguments.finite("eta", eta);
        Arguments.finite("weightDecay", weightDecay);
        if (families().dense().fullyConnectedSgdStep(dIn, w, dOut, in, eta, weightDecay, s)) return;
        if (dIn != null) fullyConnectedBackwardInput(dIn, dOut, w, s);
        setZero(dW);
        fullyConnectedBackwardWeights(dW, dOut, in, s);
        sgdUpdate(w, v, dW, eta, 0, weightDecay);
    }

    /** Checks the arguments, then {@link Dense#biasForward}. */
    default void biasForward(float[] out, float[] b, TensorShape s) {
        Arguments.bias("out", out, "b", b, s);
        families().dense().biasForward(out, b, s);
    }

    /** Checks the arguments, then {@link Dense#biasBackward}. */
    default void biasBackward(float[] dB, float[] dOut, TensorShape s) {
        Arguments.bias("dOut", dOut, "dB", dB, s);
        families().dense().biasBackward(dB, dOut, s);
    }

    // ---------------------------------------------------------------- activations

    /** Checks the arguments, then {@link Activations#sigmoidForward}. */
    default void sigmoidForward(float[] out, float[] in) {
        Arguments.sameLength("out", out, "in", in);
        families().activations().sigmoidForward(out, in);
    }

    /** Checks the arguments, then {@link Activations#sigmoidBackward}. */
    default void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
        Arguments.sameLength("dIn", dIn, "out", out);
        Arguments.sameLength("dOut", dOut, "out", out);
        families().activations().sigmoidBackward(dIn, dOut, out);
    }

    /** Checks the arguments, then {@link Activations#tanhForward}. */
    default void tanhForward(float[] out, float[] in) {
        Arguments.sameLength("out", out, "in", in);
        families().activations().tanhForward(out, in);
    }

    /** Checks the arguments, then {@link Activations#tanhBackward}. */
    default void tanhBackward(float[] dIn, float[] dOut, float[] out) {
        Arguments.sameLength("dIn", dIn, "out", out);
        Arguments.sameLength("dOut", dOut, "out", out);
        families().activations().tanhBackward(dIn, dOut, out);
    }

    /** Checks the arguments, then {@link Activations#reluForward}. */
    default void reluForward(float[] out, float[] in) {
        Arguments.sameLength("out", out, "in", in);
        families().activations().reluForward(out, in);
    }

    /** Checks the arguments, then {@link Activations#reluBackward}. */
    default void reluBackward(float[] dIn, float[] dOut, float[] out) {
        Arguments.sameLength("dIn", dIn, "out", out);
        Arguments.sameLength("dOut", dOut, "out", out);
        families().activations().reluBackward(dIn, dOut, out);
    }

    // ---------------------------------------------------------------- costs

    /** Checks the arguments, then {@link Costs#softmaxForward}. */
    default void softmaxForward(float[] out, float[] in, TensorShape s) {
        Arguments.tensors(s, "out", out, "in", in);
        families().costs().softmaxForward(out, in, s);
    }

    /** Checks the arguments, then {@link Costs#softmaxBackward}. */
    default void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
        Arguments.tensors(s, "dIn", dIn, "dOut", dOut, "out", out);
        families().costs().softmaxBackward(dIn, dOut, out, s);
    }

    /** Checks the arguments, then {@link Costs#logLikelihoodForward}. */
    default void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
        Arguments.tensors(s, "a", a, "y", y);
        Arguments.perSample("loss", loss, s);
        families().costs().logLikelihoodForward(loss, a, y, s);
    }

    /** Checks the arguments, then {@link Costs#softmaxLogLikelihoodForward}. */
    default void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
        Arguments.tensors(s, "z", z, "y", y);
        Arguments.perSample("loss", loss, s);
        families().costs().softmaxLogLikelihoodForward(loss, z, y, s);
    }

    /** Checks the arguments, then {@link Costs#softmaxLogLikelihoodBackward}. */
    default void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
        Arguments.tensors(s, "dIn", dIn, "a", a, "y", y);
        families().costs().softmaxLogLikelihoodBackward(dIn, a, y, s);
    }

    /** Checks the arguments, then {@link Costs#quadraticCostForward}. */
    default void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
        Arguments.tensors(s, "a", a, "y", y);
        Arguments.perSample("loss", loss, s);
        families().costs().quadraticCostForward(loss, a, y, s);
    }

    /** Checks the arguments, then {@link Costs#quadraticCostBackward}. */
    default void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
        Arguments.tensors(s, "dA", dA, "a", a, "y", y);
        families().costs().quadraticCostBackward(dA, a, y, s);
    }

    /** Checks the arguments, then {@link Costs#crossEntropyCostForward}. */
    default void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
        Arguments.tensors(s, "a", a, "y", y);
        Arguments.perSample("loss", loss, s);
        families().costs().crossEntropyCostForward(loss, a, y, s);
    }

    /** Checks the arguments, then {@link Costs#crossEntropyCostBackward}. */
    default void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
        Arguments.tensors(s, "dA", dA, "a", a, "y", y);
        families().costs().crossEntropyCostBackward(dA, a, y, s);
    }

    // ---------------------------------------------------------------- regularisation

    /** Checks the arguments, then {@link Regularisation#dropoutForward}. */
    default void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
        Arguments.sameLength("out", out, "in", in);
        Arguments.sameLength("mask", mask, "in", in);
        Arguments.inRange("p", p, 0, 1, true);
        families().regularisation().dropoutForward(out, mask, in, p, seed);
    }

    /** Checks the arguments, then {@link Regularisation#dropoutBackward}. */
    default void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
        Arguments.sameLength("dIn", dIn, "mask", mask);
        Arguments.sameLength("dOut", dOut, "mask", mask);
        families().regularisation().dropoutBackward(dIn, dOut, mask);
    }

    /** Checks the arguments, then {@link Regularisation#l2Forward}. */
    default void l2Forward(float[] sum, float[] w) {
        Arguments.length("sum", sum, 1, "the L2 sum of squares (one value)");
        families().regularisation().l2Forward(sum, w);
    }

    /** Checks the arguments, then {@link Regularisation#l2Backward}. */
    default void l2Backward(float[] dW, float[] w, float lambda) {
        Arguments.sameLength("dW", dW, "w", w);
        Arguments.finite("lambda", lambda);
        families().regularisation().l2Backward(dW, w, lambda);
    }

    // ---------------------------------------------------------------- normalisation

    /** Checks the arguments, then {@link Normalisation#lrnForward}. */
    default void lrnForward(float[] out, float[] in, LrnShape s) {
        Arguments.lrn(out, "out", in, "in", s);
        families().normalisation().lrnForward(out, in, s);
    }

    /** Checks the arguments, then {@link Normalisation#lrnBackward}. */
    default void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
        Arguments.lrn(dIn, "dIn", dOut, "dOut", s);
        Arguments.length("in", in, s.tensor().size(), s);
        families().normalisation().lrnBackward(dIn, dOut, in, s);
    }

    // ---------------------------------------------------------------- composition

    /** Checks the arguments, then {@link Composition#concatForward}. */
    default void concatForward(float[] out, float[][] parts, ConcatShape s) {
        Arguments.concat("out", out, "parts", parts, s);
        families().composition().concatForward(out, parts, s);
    }

    /** Checks the arguments, then {@link Composition#concatBackward}. */
    default void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
        Arguments.concat("dOut", dOut, "dParts", dParts, s);
        families().composition().concatBackward(dParts, dOut, s);
    }

    /** Checks the arguments, then {@link Composition#addForward}. */
    default void addForward(float[] out, float[] a, float[] b) {
        Arguments.sameLength("a", a, "b", b);
        Arguments.sameLength("out", out, "a", a);
        families().composition().addForward(out, a, b);
    }

    /** Checks the argument, then {@link Composition#setZero}. */
    default void setZero(float[] out) {
        if (out == null) throw new IllegalArgumentException("out is null");
        families().composition().setZero(out);
    }

    // ---------------------------------------------------------------- recurrent

    /** Checks the arguments, then {@link Recurrent#rnnForward}. */
    default void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
        Arguments.rnnForward(h, x, h0, w, s);
        families().recurrent().rnnForward(h, x, h0, w, s);
    }

    /** Checks the arguments, then {@link Recurrent#rnnBackward}. */
    default void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
        Arguments.rnnBackward(dX, dH0, dW, dH, x, h0, h, w, s);
        families().recurrent().rnnBackward(dX, dH0, dW, dH, x, h0, h, w, s);
    }

    /** Checks the arguments, then {@link Recurrent#lstmForward}. */
    default void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
        Arguments.lstmForward(h, c, gates, x, h0, c0, w, s);
        families().recurrent().lstmForward(h, c, gates, x, h0, c0, w, s);
    }

    /** Checks the arguments, then {@link Recurrent#lstmBackward}. */
    default void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0, float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        Arguments.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
        families().recurrent().lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
    }

    // ---------------------------------------------------------------- update

    /** Checks the arguments, then {@link Update#sgdUpdate}. */
    default void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
        Arguments.sameLength("v", v, "w", w);
        Arguments.sameLength("dW", dW, "w", w);
        Arguments.finite("eta", eta);
        Arguments.finite("momentum", momentum);
        Arguments.finite("weightDecay", weightDecay);
        families().update().sgdUpdate(w, v, dW, eta, momentum, weightDecay);
    }
}
