package dev.nndl.network.recurrent;

import dev.nndl.network.layer.Layer.Parameter;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.spi.KernelSet;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A recurrent layer (RNN or LSTM) read out by a softmax layer on its last hidden state: a
 * sequence in, a class out, trained by SGD with momentum on the mean log-likelihood, every step
 * through one {@link KernelSet}. The initial states are zero.
 *
 * <p>Initialisation: recurrent weights and biases uniform in {@code +-1/sqrt(hidden)} (PyTorch's
 * default), except the LSTM's gate biases, which get Tallec and Ollivier's chrono initialisation
 * (2018): forget biases {@code ln u} with {@code u} uniform in {@code [1, steps - 1]}, input biases
 * their negatives, so that the cells start out remembering for about as long as a sequence lasts
 * and the gradient reaches the first steps from the first update (a forget bias of 1, Gers et
 * al.'s, keeps {@code 0.73^19}, a quarter of a percent, of step 0 after 19 steps). The readout
 * starts at zero, as network3's softmax layer does.
 */
public final class SequenceClassifier {

    private final KernelSet k;
    private final RecurrentShape s;
    private final FcShape readout;
    private final Parameter w, v, b;
    private final float[] h0, c0, h, c, gates, last, logits, a, delta, dLast, dH, dX, dH0, dC0;

    public SequenceClassifier(KernelSet kernels, RecurrentShape shape, int classes, long seed) {
        this.k = kernels;
        this.s = shape;
        this.readout = new FcShape(shape.n(), shape.hidden(), classes);
        Random random = new Random(seed);
        float[] weights = new float[shape.weightSize()];
        double bound = 1 / Math.sqrt(shape.hidden());
        for (int e = 0; e < weights.length; e++) weights[e] = (float) ((2 * random.nextDouble() - 1) * bound);
        if (shape.cell() == RecurrentShape.Cell.LSTM) {
            // chrono initialisation: forget biases ln(u), u ~ U[1, steps - 1], input biases their negatives
            int hidden = shape.hidden(), bias = shape.biasOffset();
            for (int j = 0; j < hidden; j++) {
                float forget = (float) Math.log(1 + random.nextDouble() * Math.max(0, shape.steps() - 2));
                weights[bias + hidden + j] = forget;
                weights[bias + j] = -forget;
            }
        }
        this.w = new Parameter("recurrent weights", weights, true);
        this.v = new Parameter("readout weights", new float[readout.weightSize()], true);
        this.b = new Parameter("readout biases", new float[classes], false);
        h0 = new float[s.stateSize()];
        c0 = new float[s.stateSize()];
        h = new float[s.sequenceSize()];
        c = new float[s.sequenceSize()];
        gates = new float[s.gatesSize()];
        last = new float[s.stateSize()];
        logits = new float[readout.outputSize()];
        a = new float[readout.outputSize()];
        delta = new float[readout.outputSize()];
        dLast = new float[s.stateSize()];
        dH = new float[s.sequenceSize()];
        dX = new float[s.inputSize()];
        dH0 = new float[s.stateSize()];
        dC0 = new float[s.stateSize()];
    }

    public List<Parameter> parameters() {
        return List.of(w, v, b);
    }

    /** The class probabilities for a batch of sequences {@code x} ({@code steps x n x in}). */
    public float[] forward(float[] x) {
        if (s.cell() == RecurrentShape.Cell.RNN) k.rnnForward(h, x, h0, w.value(), s);
        else k.lstmForward(h, c, gates, x, h0, c0, w.value(), s);
        k.download(h);
        System.arraycopy(h, (s.steps() - 1) * s.stateSize(), last, 0, last.length);
        k.upload(last);
        k.fullyConnectedForward(logits, last, v.value(), readout);
        k.biasForward(logits, b.value(), readout.output());
        k.softmaxForward(a, logits, readout.output());
        return a;
    }

    /**
     * One SGD step on a batch with one-hot targets {@code y}, the gradient's norm clipped to
     * {@code clip} (Pascanu, Mikolov and Bengio 2013: a recurrent net's gradient now and then
     * explodes, and one such step undoes what training had learned); returns the batch's mean
     * log-likelihood before the step.
     */
    public double trainStep(float[] x, float[] y, float eta, float momentum, float clip) {
        float[] probabilities = forward(x);
        k.softmaxLogLikelihoodBackward(delta, probabilities, y, readout.output());
        for (Parameter p : parameters()) Arrays.fill(p.gradient(), 0);
        k.fullyConnectedBackwardWeights(v.gradient(), delta, last, readout);
        k.biasBackward(b.gradient(), delta, readout.output());
        k.fullyConnectedBackwardInput(dLast, delta, v.value(), readout);
        // only the last step's output is read: dH is zero elsewhere
        k.download(dLast);
        System.arraycopy(dLast, 0, dH, (s.steps() - 1) * s.stateSize(), dLast.length);
        k.upload(dH);
        if (s.cell() == RecurrentShape.Cell.RNN) k.rnnBackward(dX, dH0, w.gradient(), dH, x, h0, h, w.value(), s);
        else k.lstmBackward(dX, dH0, dC0, w.gradient(), dH, x, h0, c0, h, c, gates, w.value(), s);
        double norm = Math.sqrt(sumOfSquares(parameters()));
        float step = norm > clip ? (float) (eta * clip / norm) : eta;
        for (Parameter p : parameters()) k.sgdUpdate(p.value(), p.velocity(), p.gradient(), step, momentum, 0);
        return meanLoss(y);
    }

    /** {@code sum ||gradient||^2} over {@code parameters}. */
    private double sumOfSquares(List<Parameter> parameters) {
        float[] sum = new float[1];
        double total = 0;
        for (Parameter p : parameters) {
            k.l2Forward(sum, p.gradient());
            k.download(sum);
            total += sum[0];
        }
        return total;
    }

    /** The mean log-likelihood of the last forward pass, from its logits: finite however confidently wrong. */
    private double meanLoss(float[] y) {
        float[] loss = new float[s.n()];
        k.softmaxLogLikelihoodForward(loss, logits, y, readout.output());
        k.download(loss);
        double sum = 0;
        for (float l : loss) sum += l;
        return sum / s.n();
    }

    /** The fraction of {@code labels} the largest probability of {@code probabilities} names. */
    public static double accuracy(float[] probabilities, int[] labels) {
        int classes = probabilities.length / labels.length, right = 0;
        for (int n = 0; n < labels.length; n++) {
            int best = 0;
            for (int j = 1; j < classes; j++) if (probabilities[n * classes + j] > probabilities[n * classes + best]) best = j;
            if (best == labels[n]) right++;
        }
        return (double) right / labels.length;
    }

    /** One-hot rows for {@code labels}. */
    public static float[] oneHot(int[] labels, int classes) {
        float[] y = new float[labels.length * classes];
        for (int n = 0; n < labels.length; n++) y[n * classes + labels[n]] = 1;
        return y;
    }
}
