package dev.nndl.network.recurrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.Model;
import dev.nndl.network.Network;
import dev.nndl.network.layer.RecurrentLayer;
import dev.nndl.network.train.Checkpoint;
import dev.nndl.network.train.Epoch;
import dev.nndl.network.train.Plan;
import dev.nndl.network.train.Trainer;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.RecurrentShape.Cell;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The recurrent model: its id, its fixed data, its layer's layouts, and that the trainer teaches it the task. */
class RecurrentModelTest {

    @Test
    void idsRoundTripThroughModelOfAndNameOnlyWhatDiffersFromTheDefaults() {
        for (String id : List.of("lstm", "rnn", "lstm-h32", "rnn-t50-s4", "lstm-h2-t3-s5", "rnn-h1024-t1000-s256", "lstm-t1-s2")) {
            assertEquals(id, Model.of(id).id());
        }
        assertEquals("lstm", Model.of("LSTM-s8-h64").id(), "the defaults are left out");
        assertEquals("rnn-h3-t4-s5", Model.of("rnn-s5-t4-h3").id(), "parts in any order, written as h, t, s");
        assertEquals(new RecurrentModel(Cell.LSTM, 3, 4, 5), Model.of("lstm-h3-t4-s5"));
    }

    @Test
    void itReadsSequencesNotPictures() {
        // nndl predict prepares pictures for a model that reads digits, the default: a sequence model must say it reads none
        assertEquals(new Model.Input.Other("sequences of 4 one-hot symbols, 50 steps long"), Model.of("rnn-t50-s4").reads());
    }

    @Test
    void anIdOutOfRangeNamesThePartAndItsRange() {
        assertEquals("model lstm-h0: hidden 0: use 1 to 1024 units", refused("lstm-h0"));
        assertEquals("model rnn-t1001: steps 1001: use 1 to 1000 time steps", refused("rnn-t1001"));
        assertEquals("model lstm-s1: symbols 1: use 2 to 256 symbols", refused("lstm-s1"));
        assertEquals("model lstm-h3-h4 gives -h twice; give each of -hHIDDEN, -tSTEPS, -sSYMBOLS once", refused("lstm-h3-h4"));
        assertTrue(refused("lstm-x3").startsWith("no model 'lstm-x3'; known: v0, "), refused("lstm-x3"));
        assertTrue(refused("lstm-x3").contains("lstm-hHIDDEN-tSTEPS-sSYMBOLS"), refused("lstm-x3"));
    }

    private static String refused(String id) {
        return assertThrows(IllegalArgumentException.class, () -> Model.of(id)).getMessage();
    }

    @Test
    void aCheckpointReadsBackItsModelAndWeights(@TempDir Path dir) throws IOException {
        RecurrentModel model = new RecurrentModel(Cell.RNN, 5, 7, 3);
        try (KernelSet k = new ReferenceKernels()) {
            Network network = model.build(k, 4, 11);
            Plan plan = Plan.of(model, 11);
            Checkpoint.of(plan, k.name(), network, List.of(new Epoch(1, 1.0, 50, 50, 100, 1, 1))).write(dir.resolve("c.nndl"));
            Checkpoint read = Checkpoint.read(dir.resolve("c.nndl"));
            assertEquals(model, read.plan().model());
            assertEquals(plan, read.plan());
            Network restored = read.network(k, dir.resolve("c.nndl"));
            for (int i = 0; i < network.parameters().size(); i++) {
                assertArrayEquals(network.parameters().get(i).value(), restored.parameters().get(i).value(), "parameter array " + i);
            }
        }
    }

    @Test
    void theSetsAreFixedOneHotAndLabelledByTheirFirstSymbol() {
        RecurrentModel model = new RecurrentModel(Cell.LSTM, 4, 6, 5);
        List<FirstSymbol.Sequences> sets = model.sets(), again = model.sets();
        assertEquals(List.of(RecurrentModel.TRAINING, RecurrentModel.VALIDATION, RecurrentModel.TEST), sets.stream().map(FirstSymbol.Sequences::count).toList());
        float[] x = new float[3 * 6 * 5], y = new float[x.length];
        for (int s = 0; s < 3; s++) {
            sets.get(s).copy(10, 3, x, 0);
            again.get(s).copy(10, 3, y, 7);
            assertArrayEquals(x, y, "set " + s + " is the same every time and every step");
            for (int i = 0; i < 3; i++) {
                for (int t = 0; t < 6; t++) {
                    float sum = 0;
                    for (int v = 0; v < 5; v++) sum += x[(i * 6 + t) * 5 + v];
                    assertEquals(1, sum, "one symbol per step");
                    assertEquals(1, x[(i * 6 + t) * 5 + sets.get(s).symbol(10 + i, t)]);
                }
                assertEquals(1, x[i * 6 * 5 + sets.get(s).label(10 + i)], "the label is the first step's symbol");
            }
        }
        assertNotEquals(sets.get(1).labels()[0] + "," + sets.get(1).symbol(0, 1) + "," + sets.get(1).symbol(0, 2),
                sets.get(2).labels()[0] + "," + sets.get(2).symbol(0, 1) + "," + sets.get(2).symbol(0, 2), "validation and test are drawn apart");
        int[] counts = new int[5];
        for (int label : sets.get(0).labels()) counts[label]++;
        for (int c : counts) assertTrue(c > RecurrentModel.TRAINING / 5 * 0.9, "labels about uniform: " + java.util.Arrays.toString(counts));
    }

    /**
     * The layer takes a sample-major batch and the kernels a time-major one: its output must be the
     * kernel's last hidden state on the batch transposed by hand, and its input gradient the
     * kernel's transposed back; one step (no slicing) and three.
     */
    @ParameterizedTest
    @EnumSource(Cell.class)
    void theLayerComputesWhatTheKernelComputesOnTheTransposedBatch(Cell cell) {
        for (int steps : new int[] {1, 3}) {
            int n = 2, in = 3, hidden = 4;
            RecurrentShape s = new RecurrentShape(cell, steps, n, in, hidden);
            KernelSet k = new ReferenceKernels();
            RecurrentLayer layer = new RecurrentLayer(k, s, new Random(5));
            float[] w = layer.parameters().getFirst().value();
            Random random = new Random(steps);
            float[] sampleMajor = new float[s.inputSize()], timeMajor = new float[s.inputSize()], dLast = new float[s.stateSize()];
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < in; j++) {
                        float v = (float) random.nextGaussian();
                        sampleMajor[(i * steps + t) * in + j] = v;
                        timeMajor[(t * n + i) * in + j] = v;
                    }
                }
            }
            for (int e = 0; e < dLast.length; e++) dLast[e] = (float) random.nextGaussian();

            float[] last = layer.forward(sampleMajor, 0).clone();
            float[] dIn = layer.backward(dLast, true).clone();

            float[] h = new float[s.sequenceSize()], c = new float[s.sequenceSize()], gates = new float[s.gatesSize()], zero = new float[s.stateSize()];
            float[] dH = new float[s.sequenceSize()], dX = new float[s.inputSize()], dW = new float[s.weightSize()];
            System.arraycopy(dLast, 0, dH, (steps - 1) * s.stateSize(), dLast.length);
            if (cell == Cell.RNN) {
                k.rnnForward(h, timeMajor, zero, w, s);
                k.rnnBackward(dX, new float[s.stateSize()], dW, dH, timeMajor, zero, h, w, s);
            } else {
                k.lstmForward(h, c, gates, timeMajor, zero, zero, w, s);
                k.lstmBackward(dX, new float[s.stateSize()], new float[s.stateSize()], dW, dH, timeMajor, zero, zero, h, c, gates, w, s);
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(h, (steps - 1) * s.stateSize(), h.length), last, cell + " " + steps + " steps: the last state");
            assertArrayEquals(dW, layer.parameters().getFirst().gradient(), cell + " " + steps + " steps: dW");
            for (int i = 0; i < n; i++) {
                for (int t = 0; t < steps; t++) {
                    for (int j = 0; j < in; j++) {
                        assertEquals(dX[(t * n + i) * in + j], dIn[(i * steps + t) * in + j], cell + " " + steps + " steps: dIn of sample " + i + " step " + t);
                    }
                }
            }
        }
    }

    /** The default recipe on a short sequence: one epoch of the model's own data takes the LSTM from chance (25 %) to nearly every test sequence. */
    @Test
    void oneEpochTeachesAnLstmTheFirstSymbolOfAShortSequence(@TempDir Path dir) throws IOException {
        RecurrentModel model = new RecurrentModel(Cell.LSTM, 8, 5, 4);
        List<FirstSymbol.Sequences> sets = model.sets();
        try (KernelSet k = new CpuKernels()) {
            long start = System.nanoTime();
            Trainer.Result result = new Trainer(k, new Trainer.Listener() {}).train(Plan.of(model, 1).withEpochs(1), sets.get(0), sets.get(1), sets.get(2), dir, false);
            double seconds = (System.nanoTime() - start) * 1e-9;
            System.out.printf("%s, 1 epoch: test %.2f %% in %.1f s%n", model.id(), result.best().testAccuracy(), seconds);
            assertTrue(result.best().testAccuracy() > 90, "test accuracy " + result.best().testAccuracy() + " % after one epoch (chance 25 %)");
        }
    }
}
