package dev.nndl.bench;

import dev.nndl.conformance.Conformance;
import dev.nndl.conformance.OpCheck;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import dev.nndl.testing.Tensors;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * What every single-operation benchmark shares: the backend, resolved by the production loader,
 * and the check its setup makes before anything is timed. A subclass has one {@code @Benchmark}
 * method per direction ({@code forward}, {@code backwardData}, ...), each one kernel call that
 * returns its output array; {@link #verify} runs the conformance contract's check of the operation
 * this fork times on the benchmark's shape: one definition of correct, the contract's. Warm-up,
 * forks and iterations come from the runner ({@code nndl bench}), so quick and full runs share
 * the classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class KernelBenchmark<S> {

    protected KernelSet kernels;

    /** Starts {@code backend} as {@code -Dnndl.backend} would. */
    protected void start(String backend) {
        kernels = Backends.start(backend);
    }

    /** The CSV's name for a benchmark method: {@code backwardData} is {@code backward-data}. */
    public static String direction(String method) {
        return method.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** The benchmark method for a CSV direction: {@code backward-data} is {@code backwardData}. */
    public static String method(String direction) {
        StringBuilder m = new StringBuilder();
        for (String part : direction.split("-")) m.append(m.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        return m.toString();
    }

    /** {@code size} values uniform in [-1, 1), from {@code seed}: a benchmark's inputs. */
    protected static float[] random(int size, long seed) {
        return Tensors.uniform(new Random(seed), size, -1, 1);
    }

    /** The contract's check of the operation that benchmark method {@code method} times. */
    protected abstract OpCheck<S> check(String method);

    /** {@link #verify(String, Object, String)} for the method of {@code params}. */
    protected void verify(BenchmarkParams params, S shape, String shapeName) {
        verify(params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1), shape, shapeName);
    }

    /**
     * Fails unless the backend passes the contract's check of {@code method}'s operation on
     * {@code shape} (one case of float data, the contract's tolerance); the reference needs no check.
     */
    void verify(String method, S shape, String shapeName) {
        if (kernels.name().equals("reference")) return;
        Conformance.verify(check(method), kernels, shape, 1).ifPresent(failure -> {
            throw new IllegalStateException(getClass().getSimpleName() + "." + method + " " + shapeName + " on " + kernels.name() + ": " + failure
                    + "; run nndl conform --backend " + kernels.name() + " to see what is wrong");
        });
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }
}
