package dev.nndl.spi;

import dev.nndl.shape.RecurrentShape;

/**
 * Recurrent layers through time: a plain RNN and an LSTM, forward and back-propagation through time.
 *
 * <p>A family of {@link KernelSet}'s operations, which a backend implements and can replace as a
 * whole. {@link KernelSet} checks every argument before it calls one of these methods, so they may
 * assume arrays of the lengths their shape implies and scalars in range.
 */
public interface Recurrent {

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
}
