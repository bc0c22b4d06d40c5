package dev.nndl.tornado;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task11;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * One kernel of {@link Kernels} at one launch site, as a TornadoVM task graph and execution plan
 * that are built once and run again and again. A task graph is bound to the arrays it was built
 * with, and the {@code KernelSet}'s arrays are the caller's {@code float[]}s, a new set every call:
 * so each of the kernel's eight array slots is a staging {@link FloatArray} the plan keeps, the
 * call's arrays are copied into it (host to host) and the plan moves it to the device and back.
 * The shape travels in an {@link IntArray} and a {@link FloatArray} of parameters, transferred with
 * every launch, so one compiled kernel serves every shape; the grid is set per launch.
 *
 * <p>A slot grows when a call needs more room than it has (to at least half again its size, so a
 * run of growing shapes rebuilds the plan a few times, not every call); rebuilding makes
 * TornadoVM compile the kernel again. Only the slots a launch site names as outputs come back
 * from the device.
 */
final class Program implements AutoCloseable {

    /** The shape of every kernel in {@link Kernels}. */
    interface Body extends Task11<KernelContext, IntArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray, FloatArray,
            FloatArray, FloatArray, FloatArray> {}

    static final int SLOTS = 8, INTS = 32, FLOATS = 8;
    private static final AtomicInteger GRAPHS = new AtomicInteger();

    private final String name;
    private final Body body;
    private final boolean twoDimensional;
    private final int[] outputs;
    private final TornadoDevice device;
    private final IntArray ints = new IntArray(INTS);
    private final FloatArray floats = new FloatArray(FLOATS);
    private final FloatArray[] slots = new FloatArray[SLOTS];
    private final KernelContext context = new KernelContext();
    private final WorkerGrid grid;
    private final GridScheduler scheduler = new GridScheduler();
    private final DeviceClock clock;
    private TornadoExecutionPlan plan;
    private String taskName;

    Program(String name, Body body, boolean twoDimensional, int[] outputs, TornadoDevice device, DeviceClock clock) {
        this.name = name;
        this.body = body;
        this.twoDimensional = twoDimensional;
        this.outputs = outputs.clone();
        this.device = device;
        this.clock = clock;
        this.grid = twoDimensional ? new WorkerGrid2D(1, 1) : new WorkerGrid1D(1);
        for (int i = 0; i < SLOTS; i++) slots[i] = new FloatArray(1);
    }

    /**
     * Runs the kernel: {@code p} and {@code f} as its parameters, {@code arrays[i]} (or nothing,
     * where null) copied into slot {@code i}, over a grid of {@code global} work-items in groups of
     * {@code local} (one or two dimensions); then copies the output slots back into their arrays.
     */
    void run(int[] p, float[] f, float[][] arrays, long[] global, long[] local) {
        boolean rebuild = plan == null;
        for (int i = 0; i < SLOTS; i++) {
            if (arrays[i] != null && arrays[i].length > slots[i].getSize()) {
                slots[i] = new FloatArray(Math.max(arrays[i].length, slots[i].getSize() + slots[i].getSize() / 2));
                rebuild = true;
            }
        }
        if (rebuild) build();
        for (int i = 0; i < p.length; i++) ints.set(i, p[i]);
        for (int i = 0; i < f.length; i++) floats.set(i, f[i]);
        for (int i = 0; i < SLOTS; i++) {
            if (arrays[i] != null) MemorySegment.copy(arrays[i], 0, slots[i].getSegment(), ValueLayout.JAVA_FLOAT, 0, arrays[i].length);
        }
        if (twoDimensional) {
            grid.setGlobalWork(global[0], global[1], 1);
            grid.setLocalWork(local[0], local[1], 1);
        } else {
            grid.setGlobalWork(global[0], 1, 1);
            grid.setLocalWork(local[0], 1, 1);
        }
        long start = System.nanoTime();
        var result = plan.execute();
        // every slot goes to the device whole, used or not, and the output slots come back whole
        long toDevice = Float.BYTES * (long) (INTS + FLOATS), toHost = 0;
        for (FloatArray slot : slots) toDevice += Float.BYTES * (long) slot.getSize();
        for (int i : outputs) toHost += Float.BYTES * (long) slots[i].getSize();
        clock.add(result, System.nanoTime() - start, toDevice, toHost);
        for (int i : outputs) {
            if (arrays[i] != null) MemorySegment.copy(slots[i].getSegment(), ValueLayout.JAVA_FLOAT, 0, arrays[i], 0, arrays[i].length);
        }
    }

    /** A task graph over the current slots and a plan for it on the device; TornadoVM compiles the kernel on the first run. */
    private void build() {
        close();
        String graph = name + GRAPHS.incrementAndGet();
        taskName = graph + ".t";
        FloatArray[] out = new FloatArray[outputs.length];
        for (int i = 0; i < outputs.length; i++) out[i] = slots[outputs[i]];
        TaskGraph g = new TaskGraph(graph)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, ints, floats, slots[0], slots[1], slots[2], slots[3], slots[4], slots[5], slots[6], slots[7])
                .task("t", body, context, ints, floats, slots[0], slots[1], slots[2], slots[3], slots[4], slots[5], slots[6], slots[7])
                .transferToHost(DataTransferMode.EVERY_EXECUTION, (Object[]) out);
        scheduler.addWorkerGrid(taskName, grid);
        plan = new TornadoExecutionPlan(g.snapshot()).withDevice(device).withGridScheduler(scheduler);
        if (DeviceClock.ON) plan.withProfiler(uk.ac.manchester.tornado.api.enums.ProfilerMode.SILENT);
    }

    @Override
    public void close() {
        if (plan != null) {
            try {
                plan.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not release TornadoVM plan " + taskName + ": " + e.getMessage(), e);
            }
            plan = null;
        }
    }
}
