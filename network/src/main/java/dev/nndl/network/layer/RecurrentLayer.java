package dev.nndl.network.layer;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.spi.KernelSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * An RNN or LSTM layer over a sequence whose output is its last hidden state, {@code n x hidden}:
 * a sequence classifier is this layer and a softmax {@link DenseLayer}. The initial states are zero.
 *
 * <p><b>Layouts.</b> A mini-batch arrives sample-major, as {@code Samples.copy} writes it (sample
 * {@code i}'s step {@code t} at {@code (i * steps + t) * in}); the recurrent kernels want it
 * time-major ({@code (t * n + i) * in}). The layer transposes with two kernel operations, so the
 * data stays where the backend keeps it: {@code concatBackward} over the steps as one-channel
 * parts of each sample cuts the batch into per-step slabs, and {@code concatForward} of those
 * slabs as one sample lays them end to end. The last hidden state is the last slab of {@code h},
 * cut off the same way; backward runs both the other way round.
 *
 * <p><b>Initialisation.</b> Weights and biases uniform in {@code +-1/sqrt(hidden)} (PyTorch's
 * default), except the LSTM's gate biases, which get Tallec and Ollivier's chrono initialisation
 * (2018): forget biases {@code ln u} with {@code u} uniform in {@code [1, steps - 1]}, input biases
 * their negatives, so that the cells start out remembering for about as long as a sequence lasts
 * and the gradient reaches the first steps from the first update (a forget bias of 1, Gers et
 * al.'s, keeps {@code 0.73^19}, a quarter of a percent, of step 0 after 19 steps).
 */
public final class RecurrentLayer implements Layer {

    private final KernelSet k;
    private final RecurrentShape s;
    private final Parameter w;
    /** Sample-major batch as parts per step, and the per-step slabs end to end; the last step of {@code h} and the steps before it. */
    private final ConcatShape sampleMajor, timeMajor, lastStep;
    private final float[][] slabs, hParts;
    /** {@code dH} before the last step: zero, as nothing reads those steps' outputs. */
    private final float[] zeros;
    private final float[] x, h0, c0, h, c, gates, dH, dX, dIn, dH0, dC0;

    public RecurrentLayer(KernelSet kernels, RecurrentShape shape, Random random) {
        this.k = kernels;
        this.s = shape;
        this.w = new Parameter(shape.cell().name().toLowerCase(java.util.Locale.ROOT) + " weights", initial(shape, random), true);
        sampleMajor = new ConcatShape(s.n(), Collections.nCopies(s.steps(), 1), 1, s.in());
        timeMajor = new ConcatShape(1, Collections.nCopies(s.steps(), s.n()), 1, s.in());
        slabs = new float[s.steps()][s.n() * s.in()];
        // h as 1 x steps x n x hidden: the steps before the last, then the last (for one step, h is the last)
        lastStep = s.steps() == 1 ? null : new ConcatShape(1, List.of(s.steps() - 1, 1), s.n(), s.hidden());
        hParts = new float[][] {new float[(s.steps() - 1) * s.stateSize()], new float[s.stateSize()]};
        zeros = new float[(s.steps() - 1) * s.stateSize()];
        x = new float[s.inputSize()];
        h0 = new float[s.stateSize()];
        c0 = new float[s.stateSize()];
        h = new float[s.sequenceSize()];
        c = new float[s.sequenceSize()];
        gates = new float[s.gatesSize()];
        dH = new float[s.sequenceSize()];
        dX = new float[s.inputSize()];
        dIn = new float[s.inputSize()];
        dH0 = new float[s.stateSize()];
        dC0 = new float[s.stateSize()];
    }

    /** Uniform in {@code +-1/sqrt(hidden)}, the LSTM's input and forget biases chrono-initialised. */
    private static float[] initial(RecurrentShape shape, Random random) {
        float[] weights = new float[shape.weightSize()];
        double bound = 1 / Math.sqrt(shape.hidden());
        for (int e = 0; e < weights.length; e++) weights[e] = (float) ((2 * random.nextDouble() - 1) * bound);
        if (shape.cell() == RecurrentShape.Cell.LSTM) {
            int hidden = shape.hidden(), bias = shape.biasOffset();
            for (int j = 0; j < hidden; j++) {
                float forget = (float) Math.log(1 + random.nextDouble() * Math.max(0, shape.steps() - 2));
                weights[bias + hidden + j] = forget;
                weights[bias + j] = -forget;
            }
        }
        return weights;
    }

    public RecurrentShape shape() {
        return s;
    }

    /** {@code in} is {@code n x steps x in}, sample-major; returns the last hidden state, {@code n x hidden}. */
    @Override
    public float[] forward(float[] in, long step) {
        k.concatBackward(slabs, in, sampleMajor);
        k.concatForward(x, slabs, timeMajor);
        if (s.cell() == RecurrentShape.Cell.RNN) k.rnnForward(h, x, h0, w.value(), s);
        else k.lstmForward(h, c, gates, x, h0, c0, w.value(), s);
        if (lastStep == null) return h;
        k.concatBackward(hParts, h, lastStep);
        return hParts[1];
    }

    @Override
    public float[] backward(float[] dOut, boolean needInput) {
        float[] dSequence = dOut;
        if (lastStep != null) {
            k.concatForward(dH, new float[][] {zeros, dOut}, lastStep);
            dSequence = dH;
        }
        k.setZero(w.gradient());
        if (s.cell() == RecurrentShape.Cell.RNN) k.rnnBackward(dX, dH0, w.gradient(), dSequence, x, h0, h, w.value(), s);
        else k.lstmBackward(dX, dH0, dC0, w.gradient(), dSequence, x, h0, c0, h, c, gates, w.value(), s);
        if (!needInput) return null;
        k.concatBackward(slabs, dX, timeMajor);
        k.concatForward(dIn, slabs, sampleMajor);
        return dIn;
    }

    /** The recurrent multiply-adds; the transpositions and the slicing are copies. */
    @Override
    public long macs() {
        return s.macs();
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(w);
    }
}
