package dev.nndl.spi;


/**
 * The parameter update: SGD with momentum and weight decay.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Update {

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
