package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.Bars;
import dev.nndl.network.Network;
import dev.nndl.network.Rung;
import dev.nndl.network.data.Mnist;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training runs on generated data: their files, resuming to the same weights, and refusing damaged or mismatched checkpoints. */
class TrainerTest {

    static final Mnist.Splits DATA = Bars.splits(300, 100, 100, 11);
    static KernelSet kernels;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        kernels = new CpuKernels();
    }

    @AfterAll
    static void stop() {
        kernels.close();
    }

    /** Stops a run after {@code epochs} epochs, as a kill right after that epoch's checkpoint would. */
    static final class Interrupt extends RuntimeException {}

    static Trainer.Listener stopAfter(int epochs) {
        return new Trainer.Listener() {
            @Override
            public void epoch(Plan plan, Epoch epoch, boolean best) {
                if (epoch.epoch() == epochs) throw new Interrupt();
            }
        };
    }

    static Trainer.Result train(Plan plan, Path dir, boolean resume) throws IOException {
        return new Trainer(kernels, new Trainer.Listener() {}).train(plan, DATA, dir, resume);
    }

    /**
     * v0 has no dropout and walks its data in order, so a second epoch is a first epoch from the
     * first one's weights: a run of one epoch started from an export of another (and another
     * seed) ends where a run of two does, bit for bit.
     */
    @Test
    void aRunStartedFromExportedWeightsTrainsOnFromThem(@TempDir Path one, @TempDir Path more) throws IOException {
        Plan plan = new Plan(Rung.V0, 2, 10, 0.1f, 0, 3);
        train(plan, dir, false);
        train(plan.withEpochs(1), one, false);
        Path exported = one.resolve("v0.safetensors"), from = one.resolve(Trainer.CHECKPOINT);
        Checkpoint first = Checkpoint.read(from);
        SafeTensors.write(exported, first, from, SafeTensors.metadata(first));
        new Trainer(kernels, new Trainer.Listener() {}).startingFrom(SafeTensors.read(exported, Rung.V0).parameters())
                .train(new Plan(Rung.V0, 1, 10, 0.1f, 0, 99), DATA, more, false);
        Checkpoint twoEpochs = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)), started = Checkpoint.read(more.resolve(Trainer.CHECKPOINT));
        for (int i = 0; i < twoEpochs.parameters().size(); i++) {
            assertArrayEquals(twoEpochs.parameters().get(i), started.parameters().get(i), "parameter array " + i + " differs bit for bit");
        }
    }

    @Test
    void aRunLearnsAndLeavesItsFiles() throws IOException {
        Plan plan = new Plan(Rung.V3, 4, 10, 0.03f, 0.1f, 5);
        Trainer.Result result = train(plan, dir, false);
        assertEquals(4, result.history().size());
        assertTrue(result.best().testAccuracy() > 80, "v3 reached only " + result.best().testAccuracy() + " % on the bars");
        for (String file : List.of(Trainer.CHECKPOINT, Trainer.BEST, RunFiles.EPOCHS_CSV, RunFiles.CURVE, RunFiles.FILTERS)) {
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        }
        List<String> csv = Files.readAllLines(dir.resolve(RunFiles.EPOCHS_CSV));
        assertEquals(5, csv.size(), "a header and a row per epoch");
        assertTrue(csv.get(1).startsWith("v3,1,") && csv.get(1).contains(",cpu,"), csv.get(1));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")), "no temporary file is left behind");
        }
        Checkpoint best = Checkpoint.read(dir.resolve(Trainer.BEST));
        assertEquals(result.best().epoch(), best.epochs(), "best.nndl holds the best validation epoch");
    }

    /**
     * A network made confidently wrong (softmax biases of 250 for class 0 and -250 for the others,
     * so every other label's logit is 500 below the maximum) trains on: its cost, from the logits,
     * is about 500 a sample, where -ln of the float softmax output was infinite and ended the run as
     * "diverged".
     */
    @Test
    void aConfidentlyWrongNetworkTrainsOn() throws IOException {
        Plan plan = new Plan(Rung.V1, 2, 10, 0.03f, 0, 3);
        Network network = plan.model().build(kernels, plan.batch(), plan.seed());
        float[] biases = network.parameters().getLast().value();
        for (int c = 0; c < biases.length; c++) biases[c] = c == 0 ? 250 : -250;
        Checkpoint.of(plan, kernels.name(), network, List.of(new Epoch(1, 0.1, 10, 10, 1, 1, 1))).write(dir.resolve(Trainer.CHECKPOINT));

        Epoch second = train(plan, dir, true).history().getLast();
        assertEquals(2, second.epoch());
        assertTrue(second.trainCost() > 100 && second.trainCost() < 501, "the confidently wrong cost: " + second.trainCost());
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne(@TempDir Path other) throws IOException {
        Plan plan = new Plan(Rung.V6, 3, 10, 0.03f, 0, 9);
        train(plan, dir, false);
        assertThrows(Interrupt.class, () -> new Trainer(kernels, stopAfter(1)).train(plan, DATA, other, false));
        assertEquals(1, Checkpoint.read(other.resolve(Trainer.CHECKPOINT)).epochs());
        train(plan, other, true);
        assertSameRun(Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)), Checkpoint.read(other.resolve(Trainer.CHECKPOINT)));
        assertSameRun(Checkpoint.read(dir.resolve(Trainer.BEST)), Checkpoint.read(other.resolve(Trainer.BEST)));
    }

    /** A sequence model resumes like the others: its layer transposes through kernels, and its gradient is clipped in every step. */
    @Test
    void aResumedRecurrentRunEndsWithTheSameWeights(@TempDir Path other) throws IOException {
        var model = new dev.nndl.network.recurrent.RecurrentModel(dev.nndl.shape.RecurrentShape.Cell.LSTM, 6, 5, 3);
        var task = model.task();
        var training = task.sequences(640, 1);
        var validation = task.sequences(96, 2);
        var test = task.sequences(96, 3);
        Plan plan = Plan.of(model, 4).withEpochs(3);
        new Trainer(kernels, new Trainer.Listener() {}).train(plan, training, validation, test, dir, false);
        assertThrows(Interrupt.class, () -> new Trainer(kernels, stopAfter(1)).train(plan, training, validation, test, other, false));
        new Trainer(kernels, new Trainer.Listener() {}).train(plan, training, validation, test, other, true);
        Checkpoint expected = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)), actual = Checkpoint.read(other.resolve(Trainer.CHECKPOINT));
        assertEquals(model, actual.plan().model());
        assertSameRun(expected, actual);
        for (int i = 0; i < expected.velocities().size(); i++) {
            assertArrayEquals(expected.velocities().get(i), actual.velocities().get(i), "velocity array " + i);
        }
        assertTrue(Files.size(other.resolve(RunFiles.FILTERS)) > 0, "filters.png draws the recurrent layer's input weights");
    }

    /** Momentum makes the velocities state: the checkpoint carries them, and the schedule reads the epochs it holds. */
    @Test
    void aResumedRunWithMomentumAndAScheduleEndsWithTheSameWeights(@TempDir Path other) throws IOException {
        Plan plan = new Plan(Rung.V3, 3, 10, 0.01f, 0.1f, 4, 0.9f, Schedule.parse("plateau:2:1"));
        Trainer.Result whole = train(plan, dir, false);
        assertThrows(Interrupt.class, () -> new Trainer(kernels, stopAfter(1)).train(plan, DATA, other, false));
        Checkpoint first = Checkpoint.read(other.resolve(Trainer.CHECKPOINT));
        assertEquals(plan, first.plan());
        assertEquals(first.parameters().size(), first.velocities().size(), "a velocity per parameter array");
        train(plan, other, true);
        Checkpoint expected = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)), actual = Checkpoint.read(other.resolve(Trainer.CHECKPOINT));
        assertSameRun(expected, actual);
        for (int i = 0; i < expected.velocities().size(); i++) {
            assertArrayEquals(expected.velocities().get(i), actual.velocities().get(i), "velocity array " + i);
        }
        List<String> rows = Files.readAllLines(dir.resolve(RunFiles.EPOCHS_CSV));
        for (int e = 1; e <= 3; e++) {
            float eta = plan.schedule().eta(plan.eta(), whole.history().subList(0, e - 1));
            assertTrue(rows.get(e).contains("," + eta + ",0.9,0.1,4,cpu,"), "epoch " + e + " row has its rate " + eta + " and the momentum: " + rows.get(e));
        }
        assertThrows(IllegalStateException.class, () -> train(new Plan(Rung.V3, 4, 10, 0.01f, 0.1f, 4), other, true),
                "resuming without the momentum is another plan");
    }

    @Test
    void aCheckpointWithoutMomentumHoldsNoVelocities() throws IOException {
        train(new Plan(Rung.V0, 1, 10, 0.1f, 0, 3), dir, false);
        Checkpoint c = Checkpoint.read(dir.resolve(Trainer.CHECKPOINT));
        assertTrue(c.velocities().isEmpty());
        assertEquals(0f, c.plan().momentum());
        assertEquals(new Schedule.Constant(), c.plan().schedule());
    }

    /** A checkpoint from before momentum (format version 1: no momentum, schedule or velocities) still reads, as plain SGD. */
    @Test
    void aVersion1CheckpointStillReads() throws Exception {
        var network = Rung.V0.build(kernels, 10, 3);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.DataOutputStream(bytes)) {
            out.write("NNDLCKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeInt(1);
            out.writeUTF("v0");
            out.writeInt(2);
            out.writeInt(10);
            out.writeFloat(0.1f);
            out.writeFloat(0);
            out.writeLong(3);
            out.writeUTF("cpu");
            out.writeLong(5000);
            out.writeInt(0);
            out.writeInt(network.parameters().size());
            for (var p : network.parameters()) {
                out.writeInt(p.value().length);
                for (float v : p.value()) out.writeFloat(v);
            }
        }
        byte[] body = bytes.toByteArray();
        byte[] file = java.util.Arrays.copyOf(body, body.length + 32);
        System.arraycopy(java.security.MessageDigest.getInstance("SHA-256").digest(body), 0, file, body.length, 32);
        Files.write(dir.resolve("v1.nndl"), file);
        Checkpoint c = Checkpoint.read(dir.resolve("v1.nndl"));
        assertEquals(new Plan(Rung.V0, 2, 10, 0.1f, 0, 3), c.plan());
        assertEquals(5000, c.steps());
        assertTrue(c.velocities().isEmpty());
        assertArrayEquals(network.parameters().getFirst().value(), c.parameters().getFirst());
    }

    static void assertSameRun(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.steps(), actual.steps(), "steps");
        assertEquals(expected.parameters().size(), actual.parameters().size());
        for (int i = 0; i < expected.parameters().size(); i++) {
            assertArrayEquals(expected.parameters().get(i), actual.parameters().get(i), "parameter array " + i + " differs bit for bit");
        }
        for (int e = 0; e < expected.epochs(); e++) {
            assertEquals(expected.history().get(e).validationAccuracy(), actual.history().get(e).validationAccuracy(), "epoch " + (e + 1));
            assertEquals(expected.history().get(e).trainCost(), actual.history().get(e).trainCost(), "epoch " + (e + 1));
        }
    }

    @Test
    void aDamagedCheckpointIsRefusedAndKept() throws IOException {
        Plan plan = new Plan(Rung.V0, 2, 10, 0.1f, 0, 3);
        train(plan.withEpochs(1), dir, false);
        Path file = dir.resolve(Trainer.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        Files.write(file, bytes);
        byte[] best = Files.readAllBytes(dir.resolve(Trainer.BEST));
        IOException e = assertThrows(Checkpoint.CorruptCheckpointException.class, () -> train(plan, dir, true));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("SHA-256") && e.getMessage().contains("delete it"), e.getMessage());
        assertArrayEquals(bytes, Files.readAllBytes(file), "the damaged checkpoint is left for the user");
        assertArrayEquals(best, Files.readAllBytes(dir.resolve(Trainer.BEST)));

        Files.write(file, java.util.Arrays.copyOf(bytes, 100));
        assertThrows(Checkpoint.CorruptCheckpointException.class, () -> train(plan, dir, true), "a truncated checkpoint");
        Files.writeString(file, "not a checkpoint at all");
        e = assertThrows(Checkpoint.CorruptCheckpointException.class, () -> train(plan, dir, true));
        assertTrue(e.getMessage().contains("not an nndl checkpoint"), e.getMessage());
    }

    @Test
    void aWriteCutShortLeavesThePreviousCheckpoint(@TempDir Path other) throws IOException {
        Plan plan = new Plan(Rung.V0, 2, 10, 0.1f, 0, 3);
        train(plan, dir, false);
        train(plan.withEpochs(1), other, false);
        // a crash while writing epoch 2's checkpoint leaves half a temporary file beside epoch 1's
        byte[] whole = Files.readAllBytes(dir.resolve(Trainer.CHECKPOINT));
        Files.write(other.resolve(Trainer.CHECKPOINT + ".tmp"), java.util.Arrays.copyOf(whole, whole.length / 3));
        assertEquals(1, Checkpoint.read(other.resolve(Trainer.CHECKPOINT)).epochs());
        train(plan, other, true);
        assertSameRun(Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)), Checkpoint.read(other.resolve(Trainer.CHECKPOINT)));
    }

    @Test
    void anExistingRunIsNeitherOverwrittenNorResumedWithAnotherPlan() throws IOException {
        Plan plan = new Plan(Rung.V0, 1, 10, 0.1f, 0, 3);
        train(plan, dir, false);
        byte[] before = Files.readAllBytes(dir.resolve(Trainer.CHECKPOINT));
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> train(plan, dir, false));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
        IllegalStateException other = assertThrows(IllegalStateException.class, () -> train(new Plan(Rung.V0, 2, 10, 0.5f, 0, 3), dir, true));
        assertTrue(other.getMessage().contains("eta 0.1 vs 0.5"), other.getMessage());
        assertArrayEquals(before, Files.readAllBytes(dir.resolve(Trainer.CHECKPOINT)));
    }

    /** Files.exists follows links: a dangling checkpoint link used to look like no run, which then started over and replaced best.nndl. */
    @Test
    void aDanglingCheckpointLinkIsAnErrorNotAFreshStart() throws IOException {
        Plan plan = new Plan(Rung.V0, 1, 10, 0.1f, 0, 3);
        Files.createSymbolicLink(dir.resolve(Trainer.CHECKPOINT), dir.resolve("gone.nndl"));
        Files.writeString(dir.resolve(Trainer.BEST), "the best weights of an earlier run");
        for (boolean resume : new boolean[] {false, true}) {
            Checkpoint.CorruptCheckpointException e = assertThrows(Checkpoint.CorruptCheckpointException.class, () -> train(plan, dir, resume));
            assertTrue(e.getMessage().contains("is a link to " + dir.resolve("gone.nndl") + ", which does not exist"), e.getMessage());
        }
        assertEquals("the best weights of an earlier run", Files.readString(dir.resolve(Trainer.BEST)));
    }

    @Test
    void replacingAnExistingRunStartsOverWithoutReadingIt() throws IOException {
        Plan plan = new Plan(Rung.V0, 1, 10, 0.1f, 0, 3);
        Files.writeString(dir.resolve(Trainer.CHECKPOINT), "not even a checkpoint");
        Trainer.Result result = new Trainer(kernels, new Trainer.Listener() {}).train(plan, DATA.training(), DATA.validation(), DATA.test(), dir,
                Trainer.Existing.REPLACE);
        assertEquals(1, result.history().size());
        assertEquals(1, Checkpoint.read(dir.resolve(Trainer.CHECKPOINT)).epochs());
    }

    @Test
    void aDivergedRunNamesTheRatesThatCouldCauseIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> train(new Plan(Rung.V1, 1, 10, 0.1f, 1e30f, 3, 0.5f,
                new Schedule.Constant()), dir, false));
        assertTrue(e.getMessage().matches("v1 diverged in epoch 1 \\(training cost .*\\) at eta 0.1, lambda 1.0E30, momentum 0.5; "
                + "try a smaller --eta or --lambda or --momentum"), e.getMessage());
        IllegalArgumentException batch = assertThrows(IllegalArgumentException.class, () -> train(new Plan(Rung.V1, 1, 1000, 0.1f, 0, 3), dir, false));
        assertTrue(batch.getMessage().startsWith("300 training images do not fill one mini-batch of 1000"), batch.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> new Plan(Rung.V1, 1, 1_000_000, 0.1f, 0, 3));
        assertEquals("the mini-batch must hold 1 to 65536 images, not 1000000", huge.getMessage());
    }

    @Test
    void aFinishedRunResumesToItsResult() throws IOException {
        Plan plan = new Plan(Rung.V0, 2, 10, 0.1f, 0, 3);
        Trainer.Result first = train(plan, dir, false), again = train(plan, dir, true);
        assertEquals(first.history(), again.history());
    }
}
