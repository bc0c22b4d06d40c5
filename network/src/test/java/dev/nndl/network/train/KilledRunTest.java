package dev.nndl.network.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.network.Rung;
import dev.nndl.spi.KernelSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL in a separate JVM, then resumed here, ends with the same weights as a
 * run that was never interrupted. v6 is the rung with dropout, whose masks must continue where
 * the killed run stopped.
 */
class KilledRunTest {

    static final Plan PLAN = new Plan(Rung.V6, 12, 10, 0.03f, 0, 21);

    /** The run the test kills: trains {@link #PLAN} on {@link TrainerTest#DATA} into {@code args[0]}. */
    public static void main(String[] args) throws IOException {
        try (KernelSet kernels = new CpuKernels()) {
            new Trainer(kernels, new Trainer.Listener() {}).train(PLAN, TrainerTest.DATA, Path.of(args[0]), false);
        }
    }

    @Test
    void aKilledRunResumesToTheSameWeights(@TempDir Path killed, @TempDir Path whole) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                KilledRunTest.class.getName(), killed.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path checkpoint = killed.resolve(Trainer.CHECKPOINT);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (child.isAlive() && System.nanoTime() < deadline && (!Files.exists(checkpoint) || Checkpoint.read(checkpoint).epochs() < 2)) {
            Thread.sleep(5);
        }
        child.destroyForcibly().waitFor();
        int reached = Checkpoint.read(checkpoint).epochs();
        assertTrue(reached >= 2 && reached < PLAN.epochs(), "the child was to be killed mid-run, but its checkpoint holds " + reached + " epochs");

        try (KernelSet kernels = new CpuKernels()) {
            new Trainer(kernels, new Trainer.Listener() {}).train(PLAN, TrainerTest.DATA, killed, true);
            new Trainer(kernels, new Trainer.Listener() {}).train(PLAN, TrainerTest.DATA, whole, false);
        }
        TrainerTest.assertSameRun(Checkpoint.read(whole.resolve(Trainer.CHECKPOINT)), Checkpoint.read(killed.resolve(Trainer.CHECKPOINT)));
    }
}
