package dev.nndl.bench;

import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A full training step (forward, backward, update) of a rung of Nielsen's ladder or of LeNet-5 on one mini-batch
 * ({@link LadderStep}, built from the network module's layers). Images per second is {@code batch / time}; FLOPs per call are
 * {@code batch * LadderStep.flopsPerImage(rung)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TrainingStepBenchmark {

    /** {@code model-mbN}: v0-mb10 .. v6-mb10, v3-mb64, lenet5-mb10. */
    @Param({"v3-mb10"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    private KernelSet kernels;
    private LadderStep step;

    public static String rung(String shape) {
        return shape.substring(0, shape.indexOf('-'));
    }

    public static int batch(String shape) {
        return Integer.parseInt(shape.substring(shape.indexOf("-mb") + 3));
    }

    public static double flops(String shape) {
        return batch(shape) * LadderStep.flopsPerImage(rung(shape));
    }

    @Setup
    public void setUp() {
        kernels = Backends.start(backend);
        step = new LadderStep(kernels, rung(shape), batch(shape));
        float[] got = step.step();
        if (!backend.equals("reference")) {
            float[] want = new LadderStep(new dev.nndl.reference.ReferenceKernels(), rung(shape), batch(shape)).step();
            for (int e = 0; e < got.length; e++) {
                if (!(Math.abs(got[e] - want[e]) <= 1e-3)) {
                    throw new IllegalStateException("the " + shape + " step on " + backend + " gives softmax output " + got[e] + " at " + e
                            + ", the reference " + want[e] + "; run nndl conform --backend " + backend);
                }
            }
        }
    }

    @Benchmark
    public float[] step() {
        return step.step();
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }
}
