package dev.nndl.spi;

import dev.nndl.shape.TensorShape;

/**
 * The softmax and the costs: log-likelihood (from probabilities or from logits), quadratic and cross-entropy.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Costs {

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
}
