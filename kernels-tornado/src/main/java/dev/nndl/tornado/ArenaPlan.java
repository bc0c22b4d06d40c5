package dev.nndl.tornado;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import uk.ac.manchester.tornado.api.GridScheduler;
import uk.ac.manchester.tornado.api.ImmutableTaskGraph;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.TornadoExecutionResult;
import uk.ac.manchester.tornado.api.WorkerGrid;
import uk.ac.manchester.tornado.api.WorkerGrid1D;
import uk.ac.manchester.tornado.api.WorkerGrid2D;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.common.TornadoFunctions.Task4;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;
import uk.ac.manchester.tornado.api.enums.ProfilerMode;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;
import uk.ac.manchester.tornado.api.types.arrays.TornadoNativeArray;

/**
 * The device side of the {@link Arena}: one device {@link FloatArray} that holds every array the
 * backend keeps, and one TornadoVM execution plan whose task graphs all share its device buffer.
 * TornadoVM shares a buffer between task graphs only within one plan, from a graph that
 * {@code persistOnDevice}s it to graphs that {@code consumeFromDevice} it, so the plan holds:
 * <ul>
 *   <li>the owner graph, run once when the plan is built: it puts the arena on the device, whole,
 *       and persists it;</li>
 *   <li>a graph per kernel of {@link Kernels}, which consumes the arena and gets only its integer
 *       and float parameters (the shape and the operands' offsets) with each launch;</li>
 *   <li>transfer graphs in sizes of powers of two, {@link #SMALLEST} to {@link #LARGEST} floats:
 *       one to the device, whose staging array goes to the device and a kernel copies it into the
 *       arena ({@link Kernels#toArena}), and one to the host, whose kernel copies a region into its
 *       staging array and that comes back ({@link Kernels#fromArena}). An array goes in the
 *       smallest that holds it, a larger one in pieces of the largest, so a transfer moves at
 *       most twice its bytes.</li>
 * </ul>
 * Each graph's grid is set per launch through one {@link GridScheduler}. TornadoVM compiles a
 * graph's kernel the first time it runs, so transfer sizes never used cost nothing.
 *
 * <p>{@link #resize} makes a bigger arena: the old one's contents come to the host, a new plan is
 * built around the new arena, and its owner puts it on the device (and the kernels are compiled
 * again). The bytes counted ({@link DeviceClock}) are those of the whole TornadoVM arrays each
 * launch moves, with their headers.
 */
final class ArenaPlan implements AutoCloseable {

    /** The shape of every kernel in {@link Kernels}: the context, {@code p}, {@code f} (or a staging array) and the arena. */
    interface Body extends Task4<KernelContext, IntArray, FloatArray, FloatArray> {}

    /** A kernel of {@link Kernels} and the grid it runs over. */
    record Kernel(String name, Body body, boolean twoDimensional) {}

    /** The smallest and largest staging arrays, in floats. */
    static final int SMALLEST = 16, LARGEST = 1 << 20;
    /** Work-items per group of the transfer kernels. */
    private static final int GROUP = 64;
    private static final AtomicInteger PLANS = new AtomicInteger();

    /** One task graph of the plan: its index, its parameters and its grid. */
    private static final class Graph {
        final int index;
        final IntArray ints;
        final FloatArray floats;
        final WorkerGrid grid;

        Graph(int index, IntArray ints, FloatArray floats, WorkerGrid grid) {
            this.index = index;
            this.ints = ints;
            this.floats = floats;
            this.grid = grid;
        }
    }

    private final List<Kernel> kernels;
    private final TornadoDevice device;
    private final DeviceClock clock;
    private final Map<Kernel, Graph> launches = new IdentityHashMap<>();
    private final List<Graph> toDevice = new ArrayList<>(), toHost = new ArrayList<>();
    private final KernelContext context = new KernelContext();
    private FloatArray arena;
    private TornadoExecutionPlan plan;

    ArenaPlan(List<Kernel> kernels, int capacity, TornadoDevice device, DeviceClock clock) {
        this.kernels = List.copyOf(kernels);
        this.device = device;
        this.clock = clock;
        build(new FloatArray(capacity));
    }

    /** Floats the arena holds. */
    int capacity() {
        return arena.getSize();
    }

    /**
     * Runs {@code kernel} with {@code p} (its shape, and the operands' offsets at
     * {@link Kernels#X0} ..) and {@code f}, over {@code global} work-items in groups of {@code local}.
     */
    void launch(Kernel kernel, int[] p, float[] f, long[] global, long[] local) {
        Graph g = launches.get(kernel);
        if (g == null) throw new IllegalArgumentException("kernel " + kernel.name() + " is not in this plan");
        for (int i = 0; i < p.length; i++) g.ints.set(i, p[i]);
        for (int i = 0; i < f.length; i++) g.floats.set(i, f[i]);
        if (kernel.twoDimensional()) {
            g.grid.setGlobalWork(global[0], global[1], 1);
            g.grid.setLocalWork(local[0], local[1], 1);
        } else {
            g.grid.setGlobalWork(global[0], 1, 1);
            g.grid.setLocalWork(local[0], 1, 1);
        }
        run(g, bytes(g.ints) + bytes(g.floats), 0);
    }

    /** Copies {@code a} into the arena at {@code offset}. */
    void toDevice(float[] a, int offset) {
        for (int from = 0; from < a.length; from += LARGEST) {
            int count = Math.min(LARGEST, a.length - from);
            Graph g = transfer(toDevice, count, offset + from);
            MemorySegment.copy(a, from, g.floats.getSegment(), ValueLayout.JAVA_FLOAT, 0, count);
            run(g, bytes(g.ints) + bytes(g.floats), 0);
        }
    }

    /** Copies {@code a.length} floats of the arena at {@code offset} into {@code a}. */
    void toHost(float[] a, int offset) {
        toHost(a.length, offset, (g, from, count) -> MemorySegment.copy(g.floats.getSegment(), ValueLayout.JAVA_FLOAT, 0, a, from, count));
    }

    /**
     * Makes the arena {@code capacity} floats long, keeping its first {@code used} floats: they
     * come to the host, and a new plan puts the new arena on the device.
     */
    void resize(int capacity, int used) {
        FloatArray bigger = new FloatArray(capacity);
        MemorySegment target = bigger.getSegment();
        toHost(used, 0, (g, from, count) -> MemorySegment.copy(g.floats.getSegment(), 0, target, (long) from * Float.BYTES, (long) count * Float.BYTES));
        close();
        build(bigger);
    }

    private interface Sink {
        void take(Graph g, int from, int count);
    }

    private void toHost(int length, int offset, Sink sink) {
        for (int from = 0; from < length; from += LARGEST) {
            int count = Math.min(LARGEST, length - from);
            Graph g = transfer(toHost, count, offset + from);
            run(g, bytes(g.ints), bytes(g.floats));
            sink.take(g, from, count);
        }
    }

    /** The transfer graph of {@code graphs} that holds {@code count} floats, set to move them to or from {@code offset}. */
    private static Graph transfer(List<Graph> graphs, int count, int offset) {
        int k = 0;
        while (SMALLEST << k < count) k++;
        Graph g = graphs.get(k);
        g.ints.set(Kernels.MOVE_COUNT, count);
        g.ints.set(Kernels.MOVE_OFFSET, offset);
        g.grid.setGlobalWork((count + GROUP - 1) / GROUP * GROUP, 1, 1);
        g.grid.setLocalWork(GROUP, 1, 1);
        return g;
    }

    private void run(Graph g, long bytesToDevice, long bytesToHost) {
        long start = System.nanoTime();
        TornadoExecutionResult result = plan.withGraph(g.index).execute();
        clock.add(result, System.nanoTime() - start, bytesToDevice, bytesToHost);
    }

    /** What TornadoVM moves for a whole array: its header and its elements. */
    private static long bytes(TornadoNativeArray a) {
        return a.getNumBytesOfSegmentWithHeader();
    }

    /** The plan around {@code arena}: the owner, a graph per kernel, the transfer graphs; then runs the owner. */
    private void build(FloatArray arena) {
        this.arena = arena;
        launches.clear();
        toDevice.clear();
        toHost.clear();
        String prefix = "arena" + PLANS.incrementAndGet() + "-";
        String owner = prefix + "owner";
        List<ImmutableTaskGraph> graphs = new ArrayList<>();
        GridScheduler scheduler = new GridScheduler();

        IntArray ownerInts = new IntArray(2);
        FloatArray nothing = new FloatArray(1);
        Graph ownerGraph = new Graph(0, ownerInts, nothing, new WorkerGrid1D(GROUP));
        ownerGraph.grid.setLocalWork(GROUP, 1, 1);
        graphs.add(new TaskGraph(owner)
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, ownerInts, nothing, arena)
                .task("t", Kernels::toArena, context, ownerInts, nothing, arena)
                .persistOnDevice(arena)
                .snapshot());
        scheduler.addWorkerGrid(owner + ".t", ownerGraph.grid);

        for (Kernel k : kernels) {
            Graph g = new Graph(graphs.size(), new IntArray(Kernels.INTS), new FloatArray(Kernels.FLOATS),
                    k.twoDimensional() ? new WorkerGrid2D(1, 1) : new WorkerGrid1D(1));
            String name = prefix + k.name();
            graphs.add(new TaskGraph(name)
                    .consumeFromDevice(owner, arena)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, g.ints, g.floats)
                    .task("t", k.body(), context, g.ints, g.floats, arena)
                    .snapshot());
            scheduler.addWorkerGrid(name + ".t", g.grid);
            launches.put(k, g);
        }
        for (int size = SMALLEST; size <= LARGEST; size *= 2) {
            Graph in = new Graph(graphs.size(), new IntArray(2), new FloatArray(size), new WorkerGrid1D(GROUP));
            String name = prefix + "to-device-" + size;
            graphs.add(new TaskGraph(name)
                    .consumeFromDevice(owner, arena)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, in.ints, in.floats)
                    .task("t", Kernels::toArena, context, in.ints, in.floats, arena)
                    .snapshot());
            scheduler.addWorkerGrid(name + ".t", in.grid);
            toDevice.add(in);

            Graph out = new Graph(graphs.size(), new IntArray(2), new FloatArray(size), new WorkerGrid1D(GROUP));
            name = prefix + "to-host-" + size;
            graphs.add(new TaskGraph(name)
                    .consumeFromDevice(owner, arena)
                    .transferToDevice(DataTransferMode.EVERY_EXECUTION, out.ints)
                    .task("t", Kernels::fromArena, context, out.ints, out.floats, arena)
                    .transferToHost(DataTransferMode.EVERY_EXECUTION, out.floats)
                    .snapshot());
            scheduler.addWorkerGrid(name + ".t", out.grid);
            toHost.add(out);
        }

        plan = new TornadoExecutionPlan(graphs.toArray(ImmutableTaskGraph[]::new));
        plan.withDevice(device).withGridScheduler(scheduler);
        if (DeviceClock.ON) plan.withProfiler(ProfilerMode.SILENT);
        // the owner copies nothing (a count of 0); what matters is that it puts the arena on the device
        run(ownerGraph, bytes(ownerInts) + bytes(nothing) + bytes(arena), 0);
    }

    @Override
    public void close() {
        if (plan != null) {
            try {
                plan.close();
            } catch (Exception e) {
                throw new IllegalStateException("could not release the TornadoVM plan of the arena: " + e.getMessage(), e);
            }
            plan = null;
        }
    }
}
