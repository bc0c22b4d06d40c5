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
 * <p><b>Overwrite or accumulate.</b> Outputs are overwritten, except where a method says
 * "accumulates": the parameter gradients ({@code dW}, {@code dB}) are added to, as in llm.c, so
 * that gradients from several calls (branches, sub-batches, an L2 term) sum without a copy; the
 * caller zeroes them once per step. {@link #biasForward} adds to its output in place.
 *
 * <p><b>Arguments.</b> Every array must have exactly the length its shape implies; a wrong
 * length, a null array or an out-of-range scalar gets an {@link IllegalArgumentException} that
 * names the argument, the expected and the actual size ({@link Check}). Outputs must not alias
 * inputs, except where a method allows it.
 *
 * <p><b>Device residency.</b> A device backend keeps a device copy of each array it has seen.
 * {@link #upload} tells it that the host copy of some arrays changed; {@link #download} brings
 * device results back into the host arrays. Between the two the host copy of an output is stale.
 * Each method lists what it <i>reads</i> and <i>writes</i>, so a backend knows which copies
 * change. Host backends implement both as no-ops.
 *
 * <p><b>Cost.</b> Each method states its floating-point operations (a multiply-add counts 2), the
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

    /** Marks the host copies of {@code arrays} as new: the next operation that reads them sees their current contents. */
    default void upload(float[]... arrays) {}

    /** Copies the latest results of {@code arrays} back into the host arrays. */
    default void download(float[]... arrays) {}

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

    // ---------------------------------------------------------------- convolution

    /**
     * Convolution (cross-correlation, as every framework computes it):
     * <pre>
     *   out[n,o,y,x] = sum_{c in group(o)} sum_{i,j} in[n, c, y*sh - ph + i*dh, x*sw - pw + j*dw] * w[o, c', i, j]
     * </pre>
     * where {@code c'} is {@code c} counted within its group and reads outside the input are the
     * zero padding. Reads {@code in, w}; writes (overwrites) {@code out}.
     * FLOPs: {@code 2 * s.macs()}.
     */
    void conv2dForward(float[] out, float[] in, float[] w, ConvShape s);

    /**
     * Gradient of the convolution with respect to its input (backward-data): the full correlation
     * of {@code dOut} with the flipped kernel,
     * <pre>
     *   dIn[n,c,y,x] = sum_{o in group(c)} sum_{i,j} dOut[n, o, (y + ph - i*dh)/sh, (x + pw - j*dw)/sw] * w[o, c', i, j]
     * </pre>
     * over the terms whose divisions are exact and land inside {@code dOut}. Reads {@code dOut, w};
     * writes (overwrites) {@code dIn}. FLOPs: {@code 2 * s.macs()}.
     */
    void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s);

    /**
     * Gradient of the convolution with respect to its weights (backward-weights):
     * <pre>
     *   dW[o,c',i,j] += sum_{n,y,x} dOut[n,o,y,x] * in[n, c, y*sh - ph + i*dh, x*sw - pw + j*dw]
     * </pre>
     * Reads {@code dOut, in, dW}; <b>accumulates</b> into {@code dW}. FLOPs: {@code 2 * s.macs()}.
     */
    void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s);

    // ---------------------------------------------------------------- transposed convolution

    /**
     * Transposed convolution: the backward-data pass of the associated convolution (the guide,
     * section 4), with {@code in} in the role of that convolution's output gradient,
     * <pre>
     *   out[n,o,y,x] = sum_{c in group(o)} sum_{i,j} in[n, c, (y + ph - i*dh)/sh, (x + pw - j*dw)/sw] * w[c, o', i, j]
     * </pre>
     * Output padding adds {@code oph} rows and {@code opw} columns at the bottom and right.
     * Reads {@code in, w}; writes (overwrites) {@code out}. FLOPs: {@code 2 * s.macs()}.
     * The default delegates to {@link #conv2dBackwardInput} on {@link ConvTransposeShape#associatedConv()}.
     */
    default void convTranspose2dForward(float[] out, float[] in, float[] w, ConvTransposeShape s) {
        Check.convTranspose2d("out", out, "in", in, "w", w, s);
        conv2dBackwardInput(out, in, w, s.associatedConv());
    }

    /**
     * Gradient of the transposed convolution with respect to its input: the associated
     * convolution's forward pass applied to {@code dOut}. Reads {@code dOut, w}; writes
     * (overwrites) {@code dIn}. FLOPs: {@code 2 * s.macs()}. The default delegates to
     * {@link #conv2dForward}.
     */
    default void convTranspose2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvTransposeShape s) {
        Check.convTranspose2d("dOut", dOut, "dIn", dIn, "w", w, s);
        conv2dForward(dIn, dOut, w, s.associatedConv());
    }

    /**
     * Gradient of the transposed convolution with respect to its weights:
     * <pre>
     *   dW[c,o',i,j] += sum_{n,y,x} in[n,c,y,x] * dOut[n, o, y*sh - ph + i*dh, x*sw - pw + j*dw]
     * </pre>
     * the associated convolution's backward-weights with {@code in} as its output gradient and
     * {@code dOut} as its input. Reads {@code dOut, in, dW}; <b>accumulates</b> into {@code dW}.
     * FLOPs: {@code 2 * s.macs()}. The default delegates to {@link #conv2dBackwardWeights}.
     */
    default void convTranspose2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvTransposeShape s) {
        Check.convTranspose2d("dOut", dOut, "in", in, "dW", dW, s);
        conv2dBackwardWeights(dW, in, dOut, s.associatedConv());
    }

    // ---------------------------------------------------------------- pooling

    /**
     * Max pooling: {@code out[n,c,y,x] = max_{i,j} in[n, c, y*sh - ph + i, x*sw - pw + j]} over the
     * window's elements inside the input (padding never wins). Reads {@code in}; writes
     * (overwrites) {@code out}. FLOPs: {@code s.windowElements()} comparisons.
     */
    void maxPool2dForward(float[] out, float[] in, PoolShape s);

    /**
     * Gradient of max pooling: each {@code dOut[n,c,y,x]} goes to the window's maximum; when
     * several elements tie, to the first in row-major window order only (as cuDNN and PyTorch do),
     * and windows that overlap add up. The maximum is found again from {@code in}. Reads
     * {@code dOut, in}; writes (overwrites) {@code dIn}. FLOPs: {@code s.windowElements()}.
     */
    void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s);

    /**
     * Average pooling over the full window, zero padding included (PyTorch's
     * {@code count_include_pad=True}; the guide's figures are unpadded, where the two agree):
     * {@code out[n,c,y,x] = (1 / (kh*kw)) * sum_{i,j} in[n, c, y*sh - ph + i, x*sw - pw + j]}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: {@code s.windowElements() + outputs}.
     */
    void avgPool2dForward(float[] out, float[] in, PoolShape s);

    /**
     * Gradient of average pooling: every input element of a window receives
     * {@code dOut[n,c,y,x] / (kh*kw)}; overlapping windows add up. Reads {@code dOut}; writes
     * (overwrites) {@code dIn}. FLOPs: {@code 2 * s.windowElements()}.
     */
    void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s);

    /**
     * L<sup>p</sup> pooling (the seed's table): {@code out = (sum_{i,j} |in[...]|^p)^(1/p)} over
     * the window, {@code p >= 1}. Reads {@code in}; writes (overwrites) {@code out}.
     * FLOPs: about {@code 3 * s.windowElements()} (an abs, a power and an add per element).
     */
    void lpPool2dForward(float[] out, float[] in, float p, PoolShape s);

    /**
     * Gradient of L<sup>p</sup> pooling:
     * {@code dIn[e] += dOut * (|in[e]| / out)^(p-1) * sign(in[e])} for every element {@code e} of
     * the window, which is the seed's {@code (sum |x|^p)^(1/p - 1) |x_i|^(p-1)} with the sign the
     * absolute value contributes; zero where {@code out == 0}. Reads {@code dOut, in, out}; writes
     * (overwrites) {@code dIn}. FLOPs: about {@code 5 * s.windowElements()}.
     */
    void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s);

    // ---------------------------------------------------------------- fully connected

    /**
     * Fully connected layer (a GEMM): {@code out[n,o] = sum_i w[o,i] * in[n,i]}; add biases with
     * {@link #biasForward}. Reads {@code in, w}; writes (overwrites) {@code out}.
     * FLOPs: {@code 2 * s.macs()}.
     */
    void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s);

    /**
     * Gradient of the fully connected layer with respect to its input:
     * {@code dIn[n,i] = sum_o dOut[n,o] * w[o,i]}. Reads {@code dOut, w}; writes (overwrites)
     * {@code dIn}. FLOPs: {@code 2 * s.macs()}.
     */
    void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s);

    /**
     * Gradient of the fully connected layer with respect to its weights:
     * {@code dW[o,i] += sum_n dOut[n,o] * in[n,i]}. Reads {@code dOut, in, dW};
     * <b>accumulates</b> into {@code dW}. FLOPs: {@code 2 * s.macs()}.
     */
    void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s);

    // ---------------------------------------------------------------- bias

    /**
     * Adds one bias per channel, in place: {@code out[n,c,y,x] += b[c]} ({@code b} has {@code s.c()}
     * elements; for a fully connected output use {@code TensorShape.of(n, features)}). Reads
     * {@code out, b}; <b>accumulates</b> into {@code out}. FLOPs: {@code s.size()}.
     */
    void biasForward(float[] out, float[] b, TensorShape s);

    /**
     * Gradient of the bias: {@code dB[c] += sum_{n,y,x} dOut[n,c,y,x]}. Reads {@code dOut, dB};
     * <b>accumulates</b> into {@code dB}. FLOPs: {@code s.size()}.
     */
    void biasBackward(float[] dB, float[] dOut, TensorShape s);

    // ---------------------------------------------------------------- activations

    /**
     * Sigmoid: {@code out = 1 / (1 + exp(-in))}, element-wise; {@code out} may be {@code in}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: about 4 per element.
     */
    void sigmoidForward(float[] out, float[] in);

    /**
     * Gradient of the sigmoid from its output: {@code dIn = dOut * out * (1 - out)}; {@code dIn}
     * may be {@code dOut}. Reads {@code dOut, out}; writes (overwrites) {@code dIn}. FLOPs: 3 per element.
     */
    void sigmoidBackward(float[] dIn, float[] dOut, float[] out);

    /**
     * Hyperbolic tangent: {@code out = tanh(in)}, element-wise; {@code out} may be {@code in}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: about 6 per element.
     */
    void tanhForward(float[] out, float[] in);

    /**
     * Gradient of tanh from its output: {@code dIn = dOut * (1 - out^2)}; {@code dIn} may be
     * {@code dOut}. Reads {@code dOut, out}; writes (overwrites) {@code dIn}. FLOPs: 3 per element.
     */
    void tanhBackward(float[] dIn, float[] dOut, float[] out);

    /**
     * Rectified linear unit: {@code out = max(0, in)}, element-wise; {@code out} may be {@code in}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: 1 per element.
     */
    void reluForward(float[] out, float[] in);

    /**
     * Gradient of the ReLU from its output: {@code dIn = out > 0 ? dOut : 0} (the subgradient 0 at
     * 0); {@code dIn} may be {@code dOut}. Reads {@code dOut, out}; writes (overwrites)
     * {@code dIn}. FLOPs: 1 per element.
     */
    void reluBackward(float[] dIn, float[] dOut, float[] out);

    // ---------------------------------------------------------------- softmax and costs

    /**
     * Softmax over the {@code s.features()} values of each sample, shifted by the sample's maximum
     * so that large logits do not overflow:
     * {@code out[n,j] = exp(in[n,j] - m_n) / sum_k exp(in[n,k] - m_n)}, {@code m_n = max_k in[n,k]}.
     * Reads {@code in}; writes (overwrites) {@code out}. FLOPs: about 5 per element.
     */
    void softmaxForward(float[] out, float[] in, TensorShape s);

    /**
     * Gradient of the softmax from its output:
     * {@code dIn[n,j] = out[n,j] * (dOut[n,j] - sum_k dOut[n,k] * out[n,k])}. Reads
     * {@code dOut, out}; writes (overwrites) {@code dIn}. FLOPs: 4 per element.
     */
    void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s);

    /**
     * Log-likelihood cost per sample, Nielsen's {@code -ln a_y} written for any target
     * distribution: {@code loss[n] = -sum_j y[n,j] * ln(a[n,j])}, terms with {@code y = 0} left out
     * (so a one-hot {@code y} reads one probability). {@code loss} has {@code s.n()} elements; the
     * cost is their mean. Reads {@code a, y}; writes (overwrites) {@code loss}.
     * FLOPs: about 3 per element.
     */
    void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s);

    /**
     * The same log-likelihood cost per sample, from the softmax's input (its logits {@code z}) by
     * log-sum-exp, so that it stays finite where the softmax's output underflows to 0:
     * <pre>
     *   loss[n] = -sum_j y[n,j] ln softmax(z)[n,j] = sum_j y[n,j] * ((m_n - z[n,j]) + ln sum_k exp(z[n,k] - m_n)),   m_n = max_k z[n,k]
     * </pre>
     * terms with {@code y = 0} left out. Every term is {@code >= 0}. A target logit more than about
     * 103 below its row's maximum makes {@link #logLikelihoodForward} of the softmax's output
     * {@code -ln 0 = infinity}; this gives the true cost (about 500 for logits of -250 and 250), so
     * one confidently wrong example cannot end a run. Reads {@code z, y}; writes (overwrites)
     * {@code loss}. FLOPs: about 5 per element.
     */
    void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s);

    /**
     * Gradient of the mean log-likelihood cost of a softmax output with respect to the softmax's
     * input (its logits), fused because the product of the two Jacobians collapses:
     * {@code dIn[n,j] = (a[n,j] - y[n,j]) / N} for targets {@code y} that sum to 1 per sample.
     * Reads {@code a, y}; writes (overwrites) {@code dIn}. FLOPs: 2 per element.
     */
    void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s);

    /**
     * Quadratic cost per sample: {@code loss[n] = 0.5 * sum_j (a[n,j] - y[n,j])^2}. Reads
     * {@code a, y}; writes (overwrites) {@code loss}. FLOPs: 3 per element.
     */
    void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s);

    /**
     * Gradient of the mean quadratic cost: {@code dA[n,j] = (a[n,j] - y[n,j]) / N}. Reads
     * {@code a, y}; writes (overwrites) {@code dA}. FLOPs: 2 per element.
     */
    void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s);

    /**
     * Cross-entropy cost per sample (Nielsen, chapter 3):
     * {@code loss[n] = -sum_j [y ln a + (1 - y) ln(1 - a)]}, a term whose weight {@code y} or
     * {@code 1 - y} is 0 left out (numpy's {@code nan_to_num} in Nielsen's code has the same
     * effect). Reads {@code a, y}; writes (overwrites) {@code loss}. FLOPs: about 8 per element.
     */
    void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s);

    /**
     * Gradient of the mean cross-entropy cost with respect to the activations:
     * {@code dA[n,j] = (a - y) / (a (1 - a)) / N}. Reads {@code a, y}; writes (overwrites)
     * {@code dA}. FLOPs: 5 per element.
     */
    void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s);

    // ---------------------------------------------------------------- regularisation

    /**
     * Dropout as in Nielsen's network3: {@code mask[e] = DropoutRng.keep(seed, e, p) ? 1 : 0} and
     * {@code out[e] = in[e] * mask[e]}, with no rescaling during training (the network scales the
     * weights by {@code 1 - p} at test time). {@code 0 <= p < 1} is the probability of dropping;
     * {@code e} is the element's index in the array. Reads {@code in}; writes (overwrites)
     * {@code out} and {@code mask}. FLOPs: 1 per element plus the random draw.
     */
    void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed);

    /**
     * Gradient of dropout: {@code dIn = dOut * mask}. Reads {@code dOut, mask}; writes
     * (overwrites) {@code dIn}. FLOPs: 1 per element.
     */
    void dropoutBackward(float[] dIn, float[] dOut, float[] mask);

    /**
     * The L2 term's sum of squares: {@code sum[0] = sum_e w[e]^2} ({@code sum} has one element; the
     * network scales it by {@code 0.5 * lambda / batches}). Reads {@code w}; writes (overwrites)
     * {@code sum}. FLOPs: 2 per element.
     */
    void l2Forward(float[] sum, float[] w);

    /**
     * Gradient of {@code 0.5 * lambda * sum w^2}: {@code dW[e] += lambda * w[e]}. Reads
     * {@code w, dW}; <b>accumulates</b> into {@code dW}. FLOPs: 2 per element.
     */
    void l2Backward(float[] dW, float[] w, float lambda);

    // ---------------------------------------------------------------- local response normalisation

    /**
     * Local response normalisation across channels, AlexNet's form (alpha not divided by size):
     * <pre>
     *   out[n,c,y,x] = in[n,c,y,x] / q[n,c,y,x]^beta,  q[n,c,y,x] = k + alpha * sum_{j in W(c)} in[n,j,y,x]^2
     * </pre>
     * with {@code W(c) = [max(0, c - size/2), min(C - 1, c + size/2)]}. Reads {@code in}; writes
     * (overwrites) {@code out}. FLOPs: about {@code (2 * size + 4)} per element.
     */
    void lrnForward(float[] out, float[] in, LrnShape s);

    /**
     * Gradient of local response normalisation:
     * <pre>
     *   dIn[c] = dOut[c] * q[c]^-beta - 2 * alpha * beta * in[c] * sum_{j in W(c)} dOut[j] * in[j] * q[j]^(-beta-1)
     * </pre>
     * at every (n, y, x) ({@code c} lies in {@code W(j)} exactly when {@code j} lies in {@code W(c)}).
     * Reads {@code dOut, in}; writes (overwrites) {@code dIn}. FLOPs: about {@code (4 * size + 8)}
     * per element.
     */
    void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s);

    // ---------------------------------------------------------------- composition: concatenation and sums

    /**
     * Channel concatenation (GoogLeNet's inception module): part {@code p} fills channels
     * {@code offset(p) .. offset(p) + C_p - 1} of every sample,
     * {@code out[n, offset(p) + c, y, x] = parts[p][n, c, y, x]}. Reads every {@code parts[p]};
     * writes (overwrites) {@code out}. FLOPs: 0 ({@code s.outputSize()} copies).
     */
    void concatForward(float[] out, float[][] parts, ConcatShape s);

    /**
     * Gradient of the concatenation: each part gets its channels back,
     * {@code dParts[p][n, c, y, x] = dOut[n, offset(p) + c, y, x]}. Reads {@code dOut}; writes
     * (overwrites) every {@code dParts[p]}. FLOPs: 0.
     */
    void concatBackward(float[][] dParts, float[] dOut, ConcatShape s);

    /**
     * Element-wise sum, {@code out = a + b}; {@code out} may be {@code a} or {@code b}. Where one
     * tensor feeds several layers (the inception module's branches), the gradients reaching it
     * add up this way; its own gradient is {@code dOut} for both operands, so it has no backward
     * operation. Reads {@code a, b}; writes (overwrites) {@code out}. FLOPs: 1 per element.
     */
    void addForward(float[] out, float[] a, float[] b);

    // ---------------------------------------------------------------- recurrent cells, through time

    /**
     * A plain recurrent layer (Elman) over a sequence, {@code t = 0 .. steps-1}:
     * <pre>
     *   h_t = tanh(Wx x_t + Wh h_{t-1} + b),   h_{-1} = h0
     * </pre>
     * {@code x} is {@code steps x n x in}, {@code h} {@code steps x n x hidden}, {@code h0}
     * {@code n x hidden}, and {@code w = [Wx, Wh, b]} as {@link RecurrentShape} packs it. Reads
     * {@code x, h0, w}; writes (overwrites) {@code h}. FLOPs: {@code 2 * s.macs()} plus about 7
     * per hidden value (the tanh).
     */
    void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s);

    /**
     * Back-propagation through time of {@link #rnnForward}. {@code dH} is the gradient of the cost
     * with respect to every {@code h_t} from the layers above (zero where a step's output is not
     * used); from the last step back, with {@code z_t} the pre-activation,
     * <pre>
     *   g_t   = dH_t + Wh^T dz_{t+1}         (everything that reaches h_t; dz_steps = 0)
     *   dz_t  = g_t * (1 - h_t^2)            (forward: h_t = tanh(z_t))
     *   dX_t  = Wx^T dz_t,   dH0 = Wh^T dz_0
     *   dWx  += sum_t dz_t x_t^T,   dWh += sum_t dz_t h_{t-1}^T,   db += sum_t dz_t   (summed over the batch)
     * </pre>
     * Reads {@code dH, x, h0, h, w, dW}; writes (overwrites) {@code dX, dH0}; <b>accumulates</b>
     * into {@code dW} (laid out like {@code w}). FLOPs: {@code 4 * s.macs()} plus about 3 per hidden value.
     */
    void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s);

    /**
     * A long short-term memory layer (Hochreiter and Schmidhuber 1997, with the forget gate of
     * Gers et al. 2000, as PyTorch and cuDNN compute it) over a sequence:
     * <pre>
     *   z_t = Wx x_t + Wh h_{t-1} + b                                   (4 blocks of hidden rows: i, f, g, o)
     *   i_t = sigmoid(z_i)   f_t = sigmoid(z_f)   g_t = tanh(z_g)   o_t = sigmoid(z_o)
     *   c_t = f_t * c_{t-1} + i_t * g_t                                 (c_{-1} = c0)
     *   h_t = o_t * tanh(c_t)                                           (h_{-1} = h0)
     * </pre>
     * Besides {@code h} it writes the cell states {@code c} ({@code steps x n x hidden}) and the
     * activated gates {@code gates} ({@code steps x n x 4*hidden}, per sample the blocks i, f, g,
     * o), which {@link #lstmBackward} needs. Reads {@code x, h0, c0, w}; writes (overwrites)
     * {@code h, c, gates}. FLOPs: {@code 2 * s.macs()} plus about 40 per hidden value.
     */
    void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s);

    /**
     * Back-propagation through time of {@link #lstmForward}, from the last step back, with
     * {@code dh}, {@code dc} what reaches {@code h_t} and {@code c_t} from later steps (zero after
     * the last):
     * <pre>
     *   gh  = dH_t + dh                       gc = dc + gh * o_t * (1 - tanh(c_t)^2)
     *   dz_i = gc * g_t * i_t (1 - i_t)       dz_f = gc * c_{t-1} * f_t (1 - f_t)
     *   dz_g = gc * i_t * (1 - g_t^2)         dz_o = gh * tanh(c_t) * o_t (1 - o_t)
     *   dX_t = Wx^T dz_t     dh = Wh^T dz_t     dc = gc * f_t
     *   dWx += sum_t dz_t x_t^T,   dWh += sum_t dz_t h_{t-1}^T,   db += sum_t dz_t
     * </pre>
     * and at the start {@code dH0 = dh}, {@code dC0 = dc}. {@code dH} is the gradient of the cost
     * with respect to every {@code h_t}; {@code h, c, gates} are the forward pass's. Reads
     * {@code dH, x, h0, c0, h, c, gates, w, dW}; writes (overwrites) {@code dX, dH0, dC0};
     * <b>accumulates</b> into {@code dW}. FLOPs: {@code 4 * s.macs()} plus about 30 per hidden value.
     */
    void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                      float[] h, float[] c, float[] gates, float[] w, RecurrentShape s);

    // ---------------------------------------------------------------- update

    /**
     * One step of SGD with momentum and weight decay, in the form of Krizhevsky et al. (2012):
     * <pre>
     *   v = momentum * v - eta * (dW + weightDecay * w)
     *   w = w + v
     * </pre>
     * With {@code momentum = 0} and {@code weightDecay = 0} it is Nielsen's {@code w -= eta * dW}
     * (L2 regularisation is {@code weightDecay = lambda / batches}). Reads {@code w, v, dW};
     * writes (updates in place) {@code w} and {@code v}. With {@code momentum = 0} there is no
     * velocity to keep: {@code v} is neither read nor written, which saves two of the five memory
     * passes of an update that memory bandwidth bounds. FLOPs: 5 per element.
     *
     * <p>The velocity carries the learning rate ({@code eta} is inside {@code v}, as in AlexNet and
     * Caffe). PyTorch's SGD keeps {@code b = momentum * b + (dW + weightDecay * w)} and steps
     * {@code w -= eta * b}: the same updates while {@code eta} is constant ({@code v = -eta * b}),
     * but when {@code eta} changes (a schedule dividing it by 10), PyTorch scales the whole
     * accumulated velocity by the new rate at once, while here the velocity built at the old rate
     * decays by {@code momentum} per step and only new gradients get the new rate.
     */
    void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay);
}
