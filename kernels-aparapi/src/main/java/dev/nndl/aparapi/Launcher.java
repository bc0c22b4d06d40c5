package dev.nndl.aparapi;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import com.aparapi.internal.kernel.KernelManager;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Runs Aparapi kernels on one OpenCL device and nowhere else. Aparapi's habit, when a kernel does
 * not translate to OpenCL or the device refuses it, is to log a warning and run the kernel's Java
 * body on a thread pool instead; here that is an error. Every kernel is compiled for the device
 * up front ({@link Kernel#compile}, which cannot fall back and throws instead), its only preferred
 * device is this one, and after every launch the launcher checks that the kernel is still bound to
 * it.
 *
 * <p>Kernels run in Aparapi's explicit mode: the inputs of a call are put on the device, the
 * kernel runs, and only its outputs come back. Device copies are not trusted across calls:
 * Aparapi keeps one device buffer per kernel field and re-creates it from the host array whenever
 * the field points to another array, or the garbage collector has moved the array, so a result
 * left only on the device could be overwritten by a stale host copy.
 */
final class Launcher {

    private final OpenCLDevice device;

    Launcher(OpenCLDevice device) {
        this.device = device;
    }

    OpenCLDevice device() {
        return device;
    }

    /** Binds {@code kernel} to the device and compiles it there; throws {@link IllegalStateException} with the reason if it does not translate. */
    <K extends Kernel> K prepare(K kernel) {
        kernel.setExplicit(true);
        KernelManager.instance().setPreferredDevices(kernel, new LinkedHashSet<>(List.of(device)));
        try {
            kernel.compile(device);
        } catch (CompileFailedException | RuntimeException | AssertionError e) {
            // AssertionError: with -ea, Aparapi's translator asserts on some constructs (an AtomicInteger) instead of throwing.
            // Not disposed: Aparapi's dispose crashes on a kernel whose OpenCL was never set up.
            throw new IllegalStateException(kernel.getClass().getSimpleName() + " does not run as OpenCL on " + OpenClDevices.describe(device)
                    + ": " + rootMessage(e), e);
        }
        // One launch of a single work-item with the kernel's initial fields, which ask for no work:
        // Aparapi's dispose crashes (SIGSEGV in JNIContext::dispose) on a kernel compiled but never run.
        launch(kernel, device.createRange(1, 1), new float[0][]);
        return kernel;
    }

    /** A one-dimensional launch over {@code size} items in groups of {@code group}. */
    Range range(int size, int group) {
        return device.createRange(roundUp(size, group), group);
    }

    /** {@code blocks} work-groups of {@code group} items along the first dimension, for each of {@code count} along the second. */
    Range groups(int blocks, int group, int count) {
        return device.createRange2D(blocks * group, count, group, 1);
    }

    /** Puts {@code inputs} on the device, runs {@code kernel} over {@code range} and gets {@code outputs} back. */
    void launch(Kernel kernel, Range range, float[][] inputs, float[]... outputs) {
        long start = System.nanoTime();
        for (float[] in : inputs) {
            kernel.put(in);
            toDevice.add(Float.BYTES * (long) in.length);
        }
        kernel.execute(range);
        if (!kernel.isRunningCL() || kernel.getTargetDevice() != device) {
            throw new IllegalStateException(kernel.getClass().getSimpleName() + " left " + OpenClDevices.describe(device)
                    + " and ran on " + kernel.getTargetDevice() + ": Aparapi fell back, which this backend treats as an error");
        }
        for (float[] out : outputs) {
            kernel.get(out);
            toHost.add(Float.BYTES * (long) out.length);
        }
        if (DeviceClock.ON) clock.add(kernel.getProfileInfo(), System.nanoTime() - start);
    }

    private final DeviceClock clock = new DeviceClock();
    private final LongAdder toDevice = new LongAdder(), toHost = new LongAdder();

    /** Bytes put on the device and got back by every launch so far, from every calling thread. */
    dev.nndl.spi.Transfers transfers() {
        return new dev.nndl.spi.Transfers(toDevice.sum(), toHost.sum());
    }

    /** The launches so far, timed by OpenCL events when {@link DeviceClock#ON}. */
    DeviceClock clock() {
        return clock;
    }

    static float[][] in(float[]... arrays) {
        return arrays;
    }

    private static int roundUp(int n, int multiple) {
        return Math.max(multiple, (n + multiple - 1) / multiple * multiple);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage();
        return m == null ? t.toString() : m.strip();
    }
}
