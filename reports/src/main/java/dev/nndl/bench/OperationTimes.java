package dev.nndl.bench;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Any kernel set with a stopwatch on every operation: the wall time each operation of each shape
 * took, as its caller saw it (a multi-threaded backend's operation ends when its last thread
 * does). {@link #times} lists them, slowest first. Everything else is the wrapped kernel set's.
 */
public final class OperationTimes implements KernelSet {

    /** One operation on one shape: how often it ran, for how long, and its FLOPs where they are counted (else 0). */
    public record Time(String operation, String shape, long calls, long nanos, double flops) {

        /** GFLOP/s over the time measured; NaN for operations whose FLOPs are not counted. */
        public double gflops() {
            return flops == 0 ? Double.NaN : flops / nanos;
        }
    }

    private final KernelSet kernels;
    private final Families families;
    /** What has been counted of one operation on one shape; the threads of a split step add to it without a lock. */
    private static final class Tally {
        final LongAdder calls = new LongAdder(), nanos = new LongAdder();
        final DoubleAdder flops = new DoubleAdder();
    }

    private record Key(String operation, String shape) {}

    /** Written by every thread of a split step. */
    private final Map<Key, Tally> tallies = new ConcurrentHashMap<>();
    /** How many parts the last split step ran in at once; 1 while steps stay whole. */
    private volatile int parts = 1;

    public OperationTimes(KernelSet kernels) {
        this.kernels = kernels;
        this.families = kernels.families().intercepted(this::call);
    }

    /** Every operation and shape met since the start or the last {@link #reset}, the slowest in total first. */
    public List<Time> times() {
        List<Time> times = new ArrayList<>();
        tallies.forEach((key, t) -> times.add(new Time(key.operation(), key.shape(), t.calls.sum(), t.nanos.sum(), t.flops.sum())));
        times.sort(Comparator.comparingLong(Time::nanos).reversed());
        return times;
    }

    public void reset() {
        tallies.clear();
        parts = 1;
    }

    /** How many parts of the mini-batch the steps since {@link #reset} ran in at once, each on a thread of its own; 1 for whole steps. */
    public int parts() {
        return parts;
    }

    /** Steps split as the timed kernel set splits them, the parts at once, each thread's operations timed as it sees them. */
    @Override
    public int sampleParts(int batch, long parameters, long macs) {
        return kernels.sampleParts(batch, parameters, macs);
    }

    @Override
    public void concurrently(int count, java.util.function.IntConsumer part) {
        parts = count;
        kernels.concurrently(count, part);
    }

    @Override
    public String name() {
        return kernels.name();
    }

    @Override
    public String device() {
        return kernels.device();
    }

    @Override
    public int threads() {
        return kernels.threads();
    }

    @Override
    public Families families() {
        return families;
    }

    @Override
    public void upload(float[]... arrays) {
        kernels.upload(arrays);
    }

    @Override
    public void download(float[]... arrays) {
        kernels.download(arrays);
    }

    @Override
    public java.util.Optional<dev.nndl.spi.Transfers> transfers() {
        return kernels.transfers();
    }

    @Override
    public java.util.Optional<dev.nndl.spi.DeviceTime> deviceTime() {
        return kernels.deviceTime();
    }

    @Override
    public void close() {
        kernels.close();
    }

    private Object call(Object family, Method method, Object[] args) {
        long start = System.nanoTime();
        Object result = Families.invoke(method, family, args);
        long took = System.nanoTime() - start;
        // a fused step the backend does not offer: the operations it is composed of time themselves
        if (Boolean.FALSE.equals(result)) return result;
        Tally t = tallies.computeIfAbsent(new Key(method.getName(), shape(args)), k -> new Tally());
        t.calls.increment();
        t.nanos.add(took);
        t.flops.add(flops(method.getName(), args));
        return result;
    }

    /** The shape record an operation takes last, else the length of its first array. */
    private static String shape(Object[] args) {
        if (args == null) return "";
        if (args[args.length - 1] instanceof Record shape) return shape.toString();
        for (Object a : args) if (a instanceof float[] array) return array.length + " floats";
        return "";
    }

    /**
     * Multiply-adds counted twice, for the convolutions' and fully connected layers' passes: the
     * operations that are GEMMs or direct convolutions. A fused fully connected step that returned
     * false (the backend composes it instead) counts nothing: its parts count themselves.
     */
    static double flops(String operation, Object[] args) {
        Object shape = args[args.length - 1];
        if (shape instanceof ConvShape s && operation.startsWith("conv2d")) return 2.0 * s.macs();
        if (shape instanceof FcShape s) {
            double pass = 2.0 * s.n() * s.in() * s.out();
            if (operation.equals("fullyConnectedSgdStep")) return args[0] == null ? pass : 2 * pass;
            if (operation.startsWith("fullyConnected")) return pass;
        }
        return 0;
    }
}
