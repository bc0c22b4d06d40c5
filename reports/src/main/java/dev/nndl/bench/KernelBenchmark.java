package dev.nndl.bench;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Locale;
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
 * returns its output array; {@link #verify} runs the method this fork times once on the backend
 * and once on the reference, and compares. Warm-up, forks and iterations come from the runner
 * ({@code nndl bench}), so quick and full runs share the classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public abstract class KernelBenchmark {

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

    /**
     * Runs the benchmark method of {@code params} on the backend and on the reference, each from
     * a zeroed output (gradients accumulate), and fails unless they agree ({@link Verify#same}).
     * Leaves the output zeroed.
     */
    protected void verify(BenchmarkParams params, String shape) {
        String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
        if (kernels.name().equals("reference")) return;
        try {
            Method method = getClass().getMethod(name);
            float[] out = (float[]) method.invoke(this);
            kernels.download(out);
            float[] got = out.clone();
            Arrays.fill(out, 0);
            KernelSet backend = kernels;
            kernels = new ReferenceKernels();
            float[] want;
            try {
                want = ((float[]) method.invoke(this)).clone();
            } finally {
                kernels = backend;
            }
            Arrays.fill(out, 0);
            kernels.upload(out);
            Verify.same(getClass().getSimpleName() + "." + name + " " + shape, backend, got, want);
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalStateException("benchmark method " + name + " must be public and take no arguments", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + " failed: " + e.getCause(), e.getCause());
        }
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }
}
