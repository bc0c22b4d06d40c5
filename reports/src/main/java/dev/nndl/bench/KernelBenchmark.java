package dev.nndl.bench;

import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every single-operation benchmark shares: the backend, resolved by the production loader,
 * the one call being timed, and its output. A subclass's setup picks the call with
 * {@link #measure}, which first checks it against the reference. Warm-up, forks and iterations
 * come from the runner ({@code nndl bench}), so quick and full runs share the classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class KernelBenchmark {

    protected KernelSet kernels;
    private Runnable op;
    private float[] result;

    /** Starts {@code backend} as {@code -Dnndl.backend} would. */
    protected void start(String backend) {
        kernels = Backends.start(backend);
    }

    /** Times {@code call} writing into {@code out}, after checking that it agrees with the reference. */
    protected void measure(String what, float[] out, BiConsumer<KernelSet, float[]> call) {
        Verify.againstReference(what, kernels, out.length, call);
        op = () -> call.accept(kernels, out);
        result = out;
    }

    @Benchmark
    public float[] run() {
        op.run();
        return result;
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }
}
