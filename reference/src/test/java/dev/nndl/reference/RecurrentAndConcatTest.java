package dev.nndl.reference;

import static dev.nndl.testing.Tensors.nans;
import static dev.nndl.testing.Tensors.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.testing.FiniteDifference;
import dev.nndl.testing.Property;
import dev.nndl.testing.ShapeGen;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The inception module's concatenation and sum, and the recurrent cells: examples from the
 * definitions, properties of the time recursion, and every gradient against finite differences.
 */
class RecurrentAndConcatTest {

    private static final int TRIES = 40;
    private static final int SAMPLES = 12;

    private final ReferenceKernels k = new ReferenceKernels();

    // ---------------------------------------------------------------- concatenation

    @Test
    void concatenationStacksThePartsChannelsPerSample() {
        ConcatShape s = ConcatShape.of(2, 1, 2, 1, 2);
        float[] a = {1, 2, /* sample 1 */ 3, 4}, b = {5, 6, 7, 8, /* sample 1 */ 9, 10, 11, 12};
        float[] out = nans(s.outputSize());
        k.concatForward(out, new float[][] {a, b}, s);
        // per sample: a's one channel, then b's two
        assertArrayEquals(new float[] {1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}, out);
        float[][] back = {nans(a.length), nans(b.length)};
        k.concatBackward(back, out, s);
        assertArrayEquals(a, back[0]);
        assertArrayEquals(b, back[1]);
        assertEquals(3, s.c());
        assertEquals(1, s.offset(1));
    }

    @Test
    void concatenationBackwardInvertsTheForwardPass() {
        Property.check("concat backward (concat forward (parts)) = parts", TRIES, ShapeGen.concat(), c -> {
            ConcatShape s = c.shape();
            Random random = c.random();
            float[][] parts = new float[s.parts()][];
            for (int p = 0; p < parts.length; p++) parts[p] = uniform(random, s.part(p).size(), -1, 1);
            float[] out = nans(s.outputSize());
            k.concatForward(out, parts, s);
            float[][] back = new float[s.parts()][];
            for (int p = 0; p < parts.length; p++) back[p] = nans(parts[p].length);
            k.concatBackward(back, out, s);
            for (int p = 0; p < parts.length; p++) assertArrayEquals(parts[p], back[p], s + " part " + p);
        });
    }

    @Test
    void aConcatenationWithTheWrongPartsSaysWhichAndHowMany() {
        ConcatShape s = ConcatShape.of(1, 2, 2, 3, 1);
        var missing = assertThrows(IllegalArgumentException.class, () -> k.concatForward(new float[16], new float[][] {new float[12]}, s));
        assertEquals("parts has 1 arrays; expected 2, one per part of n1_c3+1_h2_w2", missing.getMessage());
        var shortPart = assertThrows(IllegalArgumentException.class, () -> k.concatForward(new float[16], new float[][] {new float[12], new float[3]}, s));
        assertEquals("parts[1] has length 3; expected 4 for n1_c3+1_h2_w2 (part 1)", shortPart.getMessage());
    }

    @Test
    void addSumsElementwiseAndMayOverwriteAnOperand() {
        float[] a = {1, -2, 3.5f}, b = {0.5f, 2, -1};
        float[] out = nans(3);
        k.addForward(out, a, b);
        assertArrayEquals(new float[] {1.5f, 0, 2.5f}, out);
        k.addForward(a, a, b);
        assertArrayEquals(out, a);
    }

    // ---------------------------------------------------------------- recurrent cells: examples

    /** One RNN unit, two steps, worked by hand: z_0 = 0.5 * 2 + 0.25 * 0 + 0.1, z_1 = 0.5 * -1 + 0.25 * h_0 + 0.1. */
    @Test
    void rnnFollowsItsDefinitionStepByStep() {
        RecurrentShape s = RecurrentShape.rnn(2, 1, 1, 1);
        float[] w = {0.5f, 0.25f, 0.1f}, x = {2, -1}, h0 = {0};
        float[] h = nans(2);
        k.rnnForward(h, x, h0, w, s);
        double b = 0.1f, h1 = Math.tanh(b + 0.5 * 2);
        assertEquals((float) h1, h[0]);
        assertEquals((float) Math.tanh(b + 0.5 * -1 + 0.25 * (float) h1), h[1]);
    }

    /**
     * One LSTM unit with every weight 0: each gate is its bias. With biases i = f = o = 0 the
     * three sigmoid gates are 1/2, and with the candidate's bias atanh(1/2) the candidate is 1/2,
     * so {@code c_1 = c0/2 + 1/4} and {@code h_1 = tanh(c_1)/2}.
     */
    @Test
    void lstmFollowsItsDefinitionWithGatesFromTheBiases() {
        RecurrentShape s = RecurrentShape.lstm(2, 1, 1, 1);
        float g = (float) (0.5 * Math.log(3));  // atanh(1/2)
        float[] w = new float[s.weightSize()];
        w[s.biasOffset() + 2] = g;
        float[] x = {0.7f, -0.3f}, h0 = {0.9f}, c0 = {1};
        float[] h = nans(2), c = nans(2), gates = nans(8);
        k.lstmForward(h, c, gates, x, h0, c0, w, s);
        double gate = Math.tanh(g);
        assertArrayEquals(new float[] {0.5f, 0.5f, (float) gate, 0.5f, 0.5f, 0.5f, (float) gate, 0.5f}, gates);
        double c1 = 0.5 * 1 + 0.5 * gate, c2 = 0.5 * (float) c1 + 0.5 * gate;
        assertArrayEquals(new float[] {(float) c1, (float) c2}, c);
        assertArrayEquals(new float[] {(float) (0.5 * Math.tanh(c1)), (float) (0.5 * Math.tanh(c2))}, h);
    }

    /** A forget gate held open and an input gate held shut keep the cell state: the LSTM's memory. */
    @Test
    void anOpenForgetGateAndAShutInputGateKeepTheCellState() {
        Property.check("f = 1, i = 0: c_t = c0 for every t", TRIES, ShapeGen.recurrent(RecurrentShape.Cell.LSTM), cs -> {
            RecurrentShape s = cs.shape();
            Random random = cs.random();
            float[] w = uniform(random, s.weightSize(), -0.1f, 0.1f);
            for (int j = 0; j < s.hidden(); j++) {
                w[s.biasOffset() + j] = -200;               // input gate: sigmoid(-200) = 0 in double
                w[s.biasOffset() + s.hidden() + j] = 200;   // forget gate: 1 - sigmoid(200) < 2^-200
            }
            float[] x = uniform(random, s.inputSize(), -1, 1), h0 = uniform(random, s.stateSize(), -1, 1), c0 = uniform(random, s.stateSize(), -1, 1);
            float[] h = nans(s.sequenceSize()), c = nans(s.sequenceSize()), gates = nans(s.gatesSize());
            k.lstmForward(h, c, gates, x, h0, c0, w, s);
            for (int t = 0; t < s.steps(); t++) {
                assertArrayEquals(c0, Arrays.copyOfRange(c, t * s.stateSize(), (t + 1) * s.stateSize()), s + " step " + t);
            }
        });
    }

    /** Running T steps at once equals T runs of one step, each starting from the last one's state. */
    @Test
    void aSequenceIsItsStepsOneAfterAnother() {
        for (RecurrentShape.Cell cell : RecurrentShape.Cell.values()) {
            Property.check(cell + ": steps at once = one step at a time", TRIES, ShapeGen.recurrent(cell), cs -> {
                RecurrentShape s = cs.shape(), one = s.withSteps(1);
                Random random = cs.random();
                float[] w = uniform(random, s.weightSize(), -1, 1), x = uniform(random, s.inputSize(), -1, 1);
                float[] h0 = uniform(random, s.stateSize(), -1, 1), c0 = uniform(random, s.stateSize(), -1, 1);
                float[] h = nans(s.sequenceSize()), c = nans(s.sequenceSize()), gates = nans(s.gatesSize());
                forward(s, h, c, gates, x, h0, c0, w);
                float[] hPrev = h0, cPrev = c0;
                for (int t = 0; t < s.steps(); t++) {
                    float[] xt = Arrays.copyOfRange(x, t * s.n() * s.in(), (t + 1) * s.n() * s.in());
                    float[] ht = nans(s.stateSize()), ct = nans(s.stateSize()), gt = nans(one.gatesSize());
                    forward(one, ht, ct, gt, xt, hPrev, cPrev, w);
                    assertArrayEquals(Arrays.copyOfRange(h, t * s.stateSize(), (t + 1) * s.stateSize()), ht, s + " h at step " + t);
                    hPrev = ht;
                    cPrev = ct;
                }
            });
        }
    }

    @Test
    void recurrentOperationsRefuseTheOtherCellsShape() {
        RecurrentShape lstm = RecurrentShape.lstm(1, 1, 1, 1);
        var e = assertThrows(IllegalArgumentException.class, () -> k.rnnForward(new float[1], new float[1], new float[1], new float[lstm.weightSize()], lstm));
        assertTrue(e.getMessage().contains("is a LSTM shape"), e.getMessage());
        var length = assertThrows(IllegalArgumentException.class, () -> k.rnnForward(new float[2], new float[1], new float[1], new float[3], RecurrentShape.rnn(1, 1, 1, 1)));
        assertEquals("h has length 2; expected 1 for rnn_t1_n1_in1_h1", length.getMessage());
    }

    // ---------------------------------------------------------------- recurrent cells: gradients

    /**
     * Weights are drawn from [-1/2, 1/2) so the recursion contracts; each step's states are rounded
     * to float and feed the next, so the loss (computed in double from the float outputs) may be
     * off by about one ulp per output per step, which the check allows.
     */
    @Test
    void rnnBackwardMatchesFiniteDifferences() {
        Property.check("rnn backward = d rnn", TRIES, ShapeGen.recurrent(RecurrentShape.Cell.RNN), cs -> {
            RecurrentShape s = cs.shape();
            Random random = cs.random();
            float[] w = uniform(random, s.weightSize(), -0.5f, 0.5f), x = uniform(random, s.inputSize(), -1, 1);
            float[] h0 = uniform(random, s.stateSize(), -1, 1), r = uniform(random, s.sequenceSize(), -1, 1);
            float[] h = new float[s.sequenceSize()];
            k.rnnForward(h, x, h0, w, s);
            float[] dX = nans(s.inputSize()), dH0 = nans(s.stateSize()), dW = new float[s.weightSize()];
            k.rnnBackward(dX, dH0, dW, r, x, h0, h, w, s);
            java.util.function.DoubleSupplier loss = () -> {
                float[] out = new float[s.sequenceSize()];
                k.rnnForward(out, x, h0, w, s);
                return weighted(r, out);
            };
            double rounding = s.steps() * weightedUlps(r, h);
            FiniteDifference.checkScalar("rnn " + s + " d/d x", x, loss, rounding, FiniteDifference.STEP, dX, SAMPLES, random);
            FiniteDifference.checkScalar("rnn " + s + " d/d h0", h0, loss, rounding, FiniteDifference.STEP, dH0, SAMPLES, random);
            FiniteDifference.checkScalar("rnn " + s + " d/d w", w, loss, rounding, FiniteDifference.STEP, dW, SAMPLES, random);
        });
    }

    @Test
    void lstmBackwardMatchesFiniteDifferences() {
        Property.check("lstm backward = d lstm", TRIES, ShapeGen.recurrent(RecurrentShape.Cell.LSTM), cs -> {
            RecurrentShape s = cs.shape();
            Random random = cs.random();
            float[] w = uniform(random, s.weightSize(), -0.5f, 0.5f), x = uniform(random, s.inputSize(), -1, 1);
            float[] h0 = uniform(random, s.stateSize(), -1, 1), c0 = uniform(random, s.stateSize(), -1, 1);
            float[] r = uniform(random, s.sequenceSize(), -1, 1);
            float[] h = new float[s.sequenceSize()], c = new float[s.sequenceSize()], gates = new float[s.gatesSize()];
            k.lstmForward(h, c, gates, x, h0, c0, w, s);
            float[] dX = nans(s.inputSize()), dH0 = nans(s.stateSize()), dC0 = nans(s.stateSize()), dW = new float[s.weightSize()];
            k.lstmBackward(dX, dH0, dC0, dW, r, x, h0, c0, h, c, gates, w, s);
            java.util.function.DoubleSupplier loss = () -> {
                float[] out = new float[s.sequenceSize()], cells = new float[s.sequenceSize()], g = new float[s.gatesSize()];
                k.lstmForward(out, cells, g, x, h0, c0, w, s);
                return weighted(r, out);
            };
            // h and c are both rounded at every step
            double rounding = 2 * s.steps() * weightedUlps(r, h);
            FiniteDifference.checkScalar("lstm " + s + " d/d x", x, loss, rounding, FiniteDifference.STEP, dX, SAMPLES, random);
            FiniteDifference.checkScalar("lstm " + s + " d/d h0", h0, loss, rounding, FiniteDifference.STEP, dH0, SAMPLES, random);
            FiniteDifference.checkScalar("lstm " + s + " d/d c0", c0, loss, rounding, FiniteDifference.STEP, dC0, SAMPLES, random);
            FiniteDifference.checkScalar("lstm " + s + " d/d w", w, loss, rounding, FiniteDifference.STEP, dW, SAMPLES, random);
        });
    }

    @Test
    void recurrentWeightGradientsAccumulate() {
        RecurrentShape s = RecurrentShape.lstm(3, 2, 3, 2);
        Random random = new Random(5);
        float[] w = uniform(random, s.weightSize(), -0.5f, 0.5f), x = uniform(random, s.inputSize(), -1, 1);
        float[] h0 = uniform(random, s.stateSize(), -1, 1), c0 = uniform(random, s.stateSize(), -1, 1), dH = uniform(random, s.sequenceSize(), -1, 1);
        float[] h = new float[s.sequenceSize()], c = new float[s.sequenceSize()], gates = new float[s.gatesSize()];
        k.lstmForward(h, c, gates, x, h0, c0, w, s);
        float[] once = new float[s.weightSize()], prior = uniform(random, s.weightSize(), -1, 1), twice = prior.clone();
        float[] dX = new float[s.inputSize()], dH0 = new float[s.stateSize()], dC0 = new float[s.stateSize()];
        k.lstmBackward(dX, dH0, dC0, once, dH, x, h0, c0, h, c, gates, w, s);
        k.lstmBackward(dX, dH0, dC0, twice, dH, x, h0, c0, h, c, gates, w, s);
        for (int e = 0; e < once.length; e++) assertEquals(prior[e] + once[e], twice[e], 1e-6, "dW[" + e + "]");
    }

    private void forward(RecurrentShape s, float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w) {
        if (s.cell() == RecurrentShape.Cell.RNN) {
            k.rnnForward(h, x, h0, w, s);
        } else {
            k.lstmForward(h, c, gates, x, h0, c0, w, s);
        }
    }

    private static double weighted(float[] r, float[] out) {
        double sum = 0;
        for (int e = 0; e < r.length; e++) sum += (double) r[e] * out[e];
        return sum;
    }

    private static double weightedUlps(float[] r, float[] out) {
        double sum = 0;
        for (int e = 0; e < r.length; e++) sum += Math.abs(r[e]) * (double) Math.ulp(Math.max(Math.abs(out[e]), 1f));
        return sum;
    }
}
