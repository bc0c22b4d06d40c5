package dev.nndl.tornado;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.Activations;
import dev.nndl.spi.Composition;
import dev.nndl.spi.Convolution;
import dev.nndl.spi.Costs;
import dev.nndl.spi.Dense;
import dev.nndl.spi.DeviceTime;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Normalisation;
import dev.nndl.spi.Pooling;
import dev.nndl.spi.Recurrent;
import dev.nndl.spi.Regularisation;
import dev.nndl.spi.Update;
import dev.nndl.tornado.Arena.Region;
import dev.nndl.tornado.ArenaPlan.Kernel;
import java.util.List;
import java.util.Optional;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * The TornadoVM backend: every operation as a kernel of {@link Kernels} that TornadoVM compiles
 * to OpenCL for one device, {@code -Dnndl.tornado.device=DRIVER:DEVICE} (default {@code 0:0},
 * TornadoVM's first).
 *
 * <p>Ten kernels cover the operations, with the Aparapi backend's algorithms: a tiled matrix
 * multiply with local-memory tiles for the convolutions and fully connected layers, col2im,
 * pooling, element-wise, per-row work-group reductions, L2's two-stage reduction, LRN, and the
 * recurrent cells a launch per time step.
 *
 * <p><b>Arrays stay on the device</b>, as {@code KernelSet}'s residency rules say: every array
 * the backend meets gets a region of one device array, the arena ({@link Arena}, {@link ArenaPlan}),
 * and the kernels compute on the regions. An array met for the first time is put on the device;
 * after that only {@link #upload} moves it there and only {@link #download} brings it back, and
 * only if an operation wrote it since. A launch moves its parameters alone (the shape and the
 * operands' offsets, 192 bytes). {@link #setZero} zeroes on the device. The col2im columns, the
 * recurrent {@code dz} and L2's partial sums live only on the device. {@link #transfers} counts
 * every byte TornadoVM moves, and {@code -Dnndl.profile=true} measures what the transfers cost.
 * The arena and its plan serve one call at a time, so the kernel set serves one thread at a time,
 * as {@link KernelSet} says.
 */
public final class TornadoKernels implements KernelSet {

    /** The system property that picks the device, {@code DRIVER:DEVICE} as {@code tornado --devices} numbers them. */
    public static final String DEVICE = "nndl.tornado.device";

    /** The arena's first size in floats (16 MiB); it doubles when it must. */
    static final int CAPACITY = 1 << 22;

    private static final int GROUP = 64;

    private static final Kernel GEMM = new Kernel("gemm", Kernels::gemm, true), COL2IM = new Kernel("col2im", Kernels::col2im, false),
            POOL = new Kernel("pool", Kernels::pool, false), ELEMENTWISE = new Kernel("elementwise", Kernels::elementwise, false),
            ROWS = new Kernel("rows", Kernels::rows, false), LOG_SOFTMAX = new Kernel("log-softmax-likelihood", Kernels::logSoftmaxLikelihood, false),
            SUM = new Kernel("sum", Kernels::sum, false), LRN = new Kernel("lrn", Kernels::lrn, false),
            STEP = new Kernel("recurrent-step", Kernels::recurrentStep, false), STEP_BACK = new Kernel("recurrent-step-back", Kernels::recurrentStepBack, false),
            GRADIENT = new Kernel("recurrent-gradient", Kernels::recurrentGradient, false);
    private static final List<Kernel> KERNELS = List.of(GEMM, COL2IM, POOL, ELEMENTWISE, ROWS, LOG_SOFTMAX, SUM, LRN, STEP, STEP_BACK, GRADIENT);

    static {
        // TornadoVM's habit, when a kernel does not compile for the device, is to print a line and run
        // the Java code instead ("bailout"); here that must be an error, as Aparapi's fallback is
        if (System.getProperty("tornado.recover.bailout") == null) System.setProperty("tornado.recover.bailout", "False");
    }

    private final TornadoDevice device;
    private final String deviceIndex;
    private final DeviceClock clock = new DeviceClock();
    private final Arena arena;
    private final ArenaPlan plan;
    /** Work space that lives on the device only: col2im's columns, the recurrent dz, L2's partial sums; grown, never shrunk. */
    private float[] columns = new float[0], dz = new float[0];
    private final float[] partial = new float[Kernels.SUM_GROUPS];

    public TornadoKernels() {
        this(System.getProperty(DEVICE, "0:0"));
    }

    TornadoKernels(String device) {
        this(device, CAPACITY);
    }

    TornadoKernels(String device, int capacity) {
        this.deviceIndex = device;
        this.device = Devices.choose(device);
        this.arena = new Arena(capacity);
        this.plan = new ArenaPlan(KERNELS, capacity, this.device, clock);
    }

    @Override
    public String name() {
        return "tornado";
    }

    @Override
    public String device() {
        return Devices.describe(device) + " (TornadoVM device " + deviceIndex + ")";
    }

    @Override
    public Optional<DeviceTime> deviceTime() {
        return DeviceClock.ON ? Optional.of(clock.read()) : Optional.empty();
    }

    /** Every byte TornadoVM moved: the arena once (and again when it grows), launches' parameters, uploads and downloads. */
    @Override
    public Optional<dev.nndl.spi.Transfers> transfers() {
        return Optional.of(clock.transfers());
    }

    @Override
    public void upload(float[]... arrays) {
        for (float[] a : arrays) {
            Region r = arena.get(a);
            if (r == null) r = place(a);
            plan.toDevice(a, r.offset);
            r.newer = false;
        }
    }

    @Override
    public void download(float[]... arrays) {
        for (float[] a : arrays) {
            Region r = arena.get(a);
            if (r == null || !r.newer) continue;
            plan.toHost(a, r.offset);
            r.newer = false;
        }
    }

    @Override
    public void close() {
        plan.close();
    }

    /** The arena's capacity now, in floats, for tests. */
    int capacity() {
        return plan.capacity();
    }

    private final Families families = new Families(new ConvolutionKernels(), new PoolingKernels(), new DenseKernels(), new ActivationKernels(),
            new CostKernels(), new RegularisationKernels(), new NormalisationKernels(), new CompositionKernels(), new RecurrentKernels(),
            new UpdateKernels());

    @Override
    public Families families() {
        return families;
    }

    // ---------------------------------------------------------------- residency and launching

    /** A region for {@code a}, which has none, growing the arena (to twice its size, or more) when no free block fits. */
    private Region place(float[] a) {
        Region r = arena.place(a);
        if (r == null) {
            int capacity = arena.capacity(), end = arena.end();
            long needed = (long) end + Arena.size(a.length);
            long grown = capacity;
            while (grown < needed) grown *= 2;
            grown = Math.max(grown, 2L * capacity);
            if (grown > Integer.MAX_VALUE - Arena.ALIGN) throw new IllegalStateException("the arena cannot grow to " + grown + " floats");
            plan.resize((int) grown, end);
            arena.grow((int) grown);
            r = arena.place(a);
        }
        return r;
    }

    /** The offset of {@code a} in the arena; an array met for the first time is taken from the host. */
    private int offset(float[] a) {
        Region r = arena.get(a);
        if (r == null) {
            r = place(a);
            plan.toDevice(a, r.offset);
        }
        return r.offset;
    }

    /** Work space {@code a} on the device, placed without taking anything from the host: whoever reads it writes it first. */
    private float[] deviceOnly(float[] a) {
        if (arena.get(a) == null) place(a);
        return a;
    }

    /** Runs {@code kernel} on operands {@code x0 .. x7} (null where unused); {@code outputs} are the operands it writes. */
    private void launch(Kernel kernel, int[] p, float[] f, float[][] operands, long[] global, long[] local, int... outputs) {
        if (p.length > Kernels.X0 || f.length > Kernels.FLOATS) throw new IllegalStateException(kernel.name() + ": too many parameters for the launch");
        int[] ints = java.util.Arrays.copyOf(p, Kernels.INTS);
        for (int i = 0; i < operands.length; i++) {
            if (operands[i] != null) ints[Kernels.X0 + i] = offset(operands[i]);
        }
        for (int i : outputs) arena.get(operands[i]).newer = true;
        plan.launch(kernel, ints, f, global, local);
    }

    /** The eight operands of a launch, null where unused. */
    private static float[][] slots(float[]... given) {
        float[][] slots = new float[8][];
        System.arraycopy(given, 0, slots, 0, given.length);
        return slots;
    }

    private static long[] one(long size, long group) {
        return new long[] {Math.max(group, (size + group - 1) / group * group)};
    }

    private void line(Kernel kernel, int size, int[] p, float[] f, float[][] operands, int... outputs) {
        launch(kernel, p, f, operands, one(size, GROUP), new long[] {GROUP}, outputs);
    }

    private static final float[] NO_FLOATS = new float[0];

    // ---------------------------------------------------------------- convolution and fully connected: the tiled multiply

    private static int[] conv(int op, int rows, int cols, int depth, ConvShape s) {
        int[] p = new int[Kernels.SIZE + 1];
        p[Kernels.OP] = op;
        p[Kernels.ROWS] = rows;
        p[Kernels.COLS] = cols;
        p[Kernels.DEPTH] = depth;
        p[Kernels.C] = s.c(); p[Kernels.H] = s.h(); p[Kernels.W] = s.w(); p[Kernels.OC] = s.oc(); p[Kernels.OH] = s.oh(); p[Kernels.OW] = s.ow();
        p[Kernels.KH] = s.kh(); p[Kernels.KW] = s.kw(); p[Kernels.SH] = s.sh(); p[Kernels.SW] = s.sw(); p[Kernels.PH] = s.ph(); p[Kernels.PW] = s.pw();
        p[Kernels.DH] = s.dh(); p[Kernels.DW] = s.dw(); p[Kernels.GROUPS] = s.groups(); p[Kernels.CG] = s.cPerGroup(); p[Kernels.OCG] = s.ocPerGroup();
        return p;
    }

    /** {@code count} multiplies of {@code rows x depth} by {@code depth x cols}; {@code x0 = A}, {@code x1 = B}, {@code x7 = C}. */
    private void multiply(int[] p, int count, float[] a, float[] b, float[] c) {
        int rows = p[Kernels.ROWS], cols = p[Kernels.COLS], t = Kernels.TILE;
        long[] global = {(long) (cols + t - 1) / t * t, (long) (rows + t - 1) / t * t * count};
        launch(GEMM, p, NO_FLOATS, slots(a, b, null, null, null, null, null, c), global, new long[] {t, t}, 7);
    }

    private static int[] fc(int op, int rows, int cols, int depth, FcShape s) {
        int[] p = new int[Kernels.SIZE + 1];
        p[Kernels.OP] = op;
        p[Kernels.ROWS] = rows;
        p[Kernels.COLS] = cols;
        p[Kernels.DEPTH] = depth;
        p[Kernels.IN] = s.in();
        p[Kernels.OUT] = s.out();
        return p;
    }

    // ---------------------------------------------------------------- pooling

    private static int[] pool(int op, PoolShape s, int size) {
        return new int[] {op, s.c(), s.h(), s.w(), s.oh(), s.ow(), s.kh(), s.kw(), s.sh(), s.sw(), s.ph(), s.pw(), size, s.excludePadding() ? 1 : 0};
    }

    private void poolForward(int op, float[] out, float[] in, float power, PoolShape s) {
        line(POOL, out.length, pool(op, s, out.length), new float[] {power}, slots(in, null, null, null, null, null, null, out), 7);
    }

    private void poolBackward(int op, float[] dIn, float[] dOut, float[] in, float[] norm, float power, PoolShape s) {
        line(POOL, dIn.length, pool(op, s, dIn.length), new float[] {power},
                slots(in, dOut, norm, null, null, null, null, dIn), 7);
    }

    // ---------------------------------------------------------------- element by element

    /** {@code out = f(a, b)}: {@code x0 = a}, {@code x1 = b}, {@code x7 = out}. */
    private void elementwise(int op, float[] out, float[] a, float[] b, int samples) {
        int[] p = new int[Kernels.E_SEED_LOW + 1];
        p[Kernels.OP] = op;
        p[Kernels.E_SIZE] = out.length;
        p[Kernels.E_SAMPLES] = samples;
        line(ELEMENTWISE, out.length, p, NO_FLOATS, slots(a, b, null, null, null, null, null, out), 7);
    }

    // ---------------------------------------------------------------- concatenation: a copy per part

    private static int[] channels(int op, ConcatShape s, int part) {
        int[] p = new int[Kernels.E_SEED_LOW + 1];
        p[Kernels.OP] = op;
        p[Kernels.E_SIZE] = s.part(part).size();
        p[Kernels.E_CHANNELS] = s.channels(part);
        p[Kernels.E_PLANE] = s.h() * s.w();
        p[Kernels.E_WHOLE] = s.c();
        p[Kernels.E_OFFSET] = s.offset(part);
        return p;
    }

    // ---------------------------------------------------------------- rows: a work-group per row

    /** {@link Kernels#rows} over {@code rows} rows: {@code x0 = a}, {@code x1 = b}, {@code x7 = out}. */
    private void rows(int op, int rows, int features, int samples, int plane, float[] out, float[] a, float[] b) {
        int[] p = {op, rows, features, samples, plane};
        launch(ROWS, p, NO_FLOATS, slots(a, b, null, null, null, null, null, out), new long[] {(long) rows * Kernels.WIDTH}, new long[] {Kernels.WIDTH}, 7);
    }

    // ---------------------------------------------------------------- L2 and LRN

    private void lrn(int op, float[] out, float[] in, float[] dOut, LrnShape s) {
        int size = s.tensor().size();
        line(LRN, size, new int[] {op, s.c(), s.h() * s.w(), s.size(), size},
                new float[] {s.k(), s.alpha(), s.beta()}, slots(in, dOut, null, null, null, null, null, out), 7);
    }

    // ---------------------------------------------------------------- recurrent cells: a launch per step

    private static int[] recurrent(int op, int step, int size, RecurrentShape s) {
        return new int[] {op, step, s.steps(), s.n(), s.in(), s.hidden(), s.gateRows(), s.recurrentOffset(), s.biasOffset(), size};
    }

    private void forwardSteps(int op, float[] x, float[] h0, float[] c0, float[] w, float[] h, float[] c, float[] gates, RecurrentShape s) {
        for (int t = 0; t < s.steps(); t++) {
            line(STEP, s.stateSize(), recurrent(op, t, s.stateSize(), s), NO_FLOATS,
                    slots(x, h0, c0, w, h, c, gates, null), op == Kernels.RNN_STEP ? new int[] {4} : new int[] {4, 5, 6});
        }
    }

    /** Back through time ({@code dc} is the LSTM's carried cell gradient), then {@code dX}, {@code dH0} and {@code dW} from every step's {@code dz}. */
    private void backwardSteps(int op, float[] dX, float[] dH0, float[] dc, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                               float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        if (this.dz.length < s.gatesSize()) this.dz = new float[s.gatesSize()];
        float[] dz = deviceOnly(this.dz);
        for (int t = s.steps() - 1; t >= 0; t--) {
            line(STEP_BACK, s.stateSize(),
                    recurrent(op, t, s.stateSize(), s), NO_FLOATS, slots(dH, dc, c0, w, h, c, gates, dz), op == Kernels.RNN_STEP_BACK ? new int[] {7} : new int[] {1, 7});
        }
        line(GRADIENT, dX.length, recurrent(Kernels.INPUT_GRADIENT, 0, dX.length, s), NO_FLOATS,
                slots(null, null, null, w, null, null, dX, dz), 6);
        line(GRADIENT, dH0.length, recurrent(Kernels.STATE_GRADIENT, 0, dH0.length, s), NO_FLOATS,
                slots(null, null, null, w, null, null, dH0, dz), 6);
        line(GRADIENT, dW.length, recurrent(Kernels.WEIGHT_GRADIENT, 0, dW.length, s), NO_FLOATS,
                slots(x, h0, null, null, h, null, dW, dz), 6);
    }

    final class ConvolutionKernels implements Convolution {

        @Override
        public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            int[] p = conv(Kernels.CONV_FORWARD, s.ocPerGroup(), s.oh() * s.ow(), s.cPerGroup() * s.kh() * s.kw(), s);
            multiply(p, s.n() * s.groups(), w, in, out);
        }

        /** A multiply into per-tap columns, then {@link Kernels#col2im}'s gather into {@code dIn}. */
        @Override
        public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
            int rows = s.cPerGroup() * s.kh() * s.kw(), cols = s.oh() * s.ow();
            int size = s.n() * s.groups() * rows * cols;
            if (columns.length < size) columns = new float[size];
            deviceOnly(columns);
            multiply(conv(Kernels.CONV_BACKWARD_INPUT, rows, cols, s.ocPerGroup(), s), s.n() * s.groups(), w, dOut, columns);
            int[] p = conv(0, rows, cols, 0, s);
            p[Kernels.SIZE] = dIn.length;
            line(COL2IM, dIn.length, p, NO_FLOATS, slots(columns, null, null, null, null, null, null, dIn), 7);
        }

        @Override
        public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            int[] p = conv(Kernels.CONV_BACKWARD_WEIGHTS, s.ocPerGroup(), s.cPerGroup() * s.kh() * s.kw(), s.n() * s.oh() * s.ow(), s);
            multiply(p, s.groups(), dOut, in, dW);
        }
    }

    final class PoolingKernels implements Pooling {

        @Override
        public void maxPool2dForward(float[] out, float[] in, PoolShape s) {
            poolForward(Kernels.MAX_FORWARD, out, in, 1, s);
        }

        @Override
        public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
            poolBackward(Kernels.MAX_BACKWARD, dIn, dOut, in, null, 1, s);
        }

        @Override
        public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
            poolForward(Kernels.AVG_FORWARD, out, in, 1, s);
        }

        @Override
        public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
            poolBackward(Kernels.AVG_BACKWARD, dIn, dOut, null, null, 1, s);
        }

        @Override
        public void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
            poolForward(Kernels.LP_FORWARD, out, in, p, s);
        }

        @Override
        public void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
            poolBackward(Kernels.LP_BACKWARD, dIn, dOut, in, out, p, s);
        }
    }

    final class DenseKernels implements Dense {

        @Override
        public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
            multiply(fc(Kernels.FC_FORWARD, s.n(), s.out(), s.in(), s), 1, in, w, out);
        }

        @Override
        public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            multiply(fc(Kernels.FC_BACKWARD_INPUT, s.n(), s.in(), s.out(), s), 1, dOut, w, dIn);
        }

        @Override
        public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
            multiply(fc(Kernels.FC_BACKWARD_WEIGHTS, s.out(), s.in(), s.n(), s), 1, dOut, in, dW);
        }

        @Override
        public void biasForward(float[] out, float[] b, TensorShape s) {
            int[] p = new int[Kernels.E_SEED_LOW + 1];
            p[Kernels.OP] = Kernels.BIAS_FORWARD;
            p[Kernels.E_SIZE] = out.length;
            p[Kernels.E_CHANNELS] = s.c();
            p[Kernels.E_PLANE] = s.plane();
            line(ELEMENTWISE, out.length, p, NO_FLOATS, slots(null, b, null, null, null, null, null, out), 7);
        }

        @Override
        public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            rows(Kernels.BIAS_BACKWARD, s.c(), 0, s.n(), s.plane(), dB, dOut, null);
        }
    }

    final class ActivationKernels implements Activations {

        @Override
        public void sigmoidForward(float[] out, float[] in) {
            elementwise(Kernels.SIGMOID_FORWARD, out, in, null, 0);
        }

        @Override
        public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise(Kernels.SIGMOID_BACKWARD, dIn, dOut, out, 0);
        }

        @Override
        public void tanhForward(float[] out, float[] in) {
            elementwise(Kernels.TANH_FORWARD, out, in, null, 0);
        }

        @Override
        public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise(Kernels.TANH_BACKWARD, dIn, dOut, out, 0);
        }

        @Override
        public void reluForward(float[] out, float[] in) {
            elementwise(Kernels.RELU_FORWARD, out, in, null, 0);
        }

        @Override
        public void reluBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise(Kernels.RELU_BACKWARD, dIn, dOut, out, 0);
        }
    }

    final class CostKernels implements Costs {

        @Override
        public void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
            elementwise(Kernels.DIFFERENCE_PER_SAMPLE, dIn, a, y, s.n());
        }

        @Override
        public void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            elementwise(Kernels.DIFFERENCE_PER_SAMPLE, dA, a, y, s.n());
        }

        @Override
        public void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            elementwise(Kernels.CROSS_ENTROPY_BACKWARD, dA, a, y, s.n());
        }

        @Override
        public void softmaxForward(float[] out, float[] in, TensorShape s) {
            rows(Kernels.SOFTMAX_FORWARD, s.n(), s.features(), 0, 0, out, in, null);
        }

        @Override
        public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
            rows(Kernels.SOFTMAX_BACKWARD, s.n(), s.features(), 0, 0, dIn, dOut, out);
        }

        @Override
        public void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows(Kernels.LOG_LIKELIHOOD, s.n(), s.features(), 0, 0, loss, a, y);
        }

        @Override
        public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
            line(LOG_SOFTMAX, s.n(), new int[] {0, s.n(), s.features()}, NO_FLOATS,
                    slots(z, y, null, null, null, null, null, loss), 7);
        }

        @Override
        public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows(Kernels.QUADRATIC, s.n(), s.features(), 0, 0, loss, a, y);
        }

        @Override
        public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows(Kernels.CROSS_ENTROPY, s.n(), s.features(), 0, 0, loss, a, y);
        }
    }

    final class RegularisationKernels implements Regularisation {

        @Override
        public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
            int[] ints = new int[Kernels.E_SEED_LOW + 1];
            ints[Kernels.OP] = Kernels.DROPOUT_FORWARD;
            ints[Kernels.E_SIZE] = in.length;
            ints[Kernels.E_SEED_HIGH] = (int) (seed >>> 32);
            ints[Kernels.E_SEED_LOW] = (int) seed;
            line(ELEMENTWISE, in.length, ints, new float[] {p}, slots(in, null, null, null, null, null, mask, out), 6, 7);
        }

        @Override
        public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
            elementwise(Kernels.DROPOUT_BACKWARD, dIn, dOut, mask, 0);
        }

        @Override
        public void l2Backward(float[] dW, float[] w, float lambda) {
            int[] p = new int[Kernels.E_SEED_LOW + 1];
            p[Kernels.OP] = Kernels.L2_BACKWARD;
            p[Kernels.E_SIZE] = w.length;
            line(ELEMENTWISE, w.length, p, new float[] {lambda}, slots(w, null, null, null, null, null, null, dW), 7);
        }

        @Override
        public void l2Forward(float[] sum, float[] w) {
            if (w == null) throw new IllegalArgumentException("w is null");
            deviceOnly(partial);
            launch(SUM, new int[] {0, 0, w.length}, NO_FLOATS, slots(w, null, null, null, null, null, partial, null),
                    new long[] {(long) Kernels.WIDTH * Kernels.SUM_GROUPS}, new long[] {Kernels.WIDTH}, 6);
            launch(SUM, new int[] {0, 1, 0}, NO_FLOATS, slots(null, null, null, null, null, null, partial, sum),
                    new long[] {Kernels.WIDTH}, new long[] {Kernels.WIDTH}, 7);
        }
    }

    final class NormalisationKernels implements Normalisation {

        @Override
        public void lrnForward(float[] out, float[] in, LrnShape s) {
            lrn(0, out, in, null, s);
        }

        @Override
        public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
            lrn(1, dIn, in, dOut, s);
        }
    }

    final class CompositionKernels implements Composition {

        @Override
        public void addForward(float[] out, float[] a, float[] b) {
            elementwise(Kernels.ADD, out, a, b, 0);
        }

        /** On the device: an array met here for the first time is not taken from the host, since all of it is overwritten. */
        @Override
        public void setZero(float[] out) {
            elementwise(Kernels.ZERO, deviceOnly(out), null, null, 0);
        }

        /** One copy per part into its channels of {@code out}. */
        @Override
        public void concatForward(float[] out, float[][] parts, ConcatShape s) {
            for (int q = 0; q < s.parts(); q++) {
                line(ELEMENTWISE, parts[q].length, channels(Kernels.INTO_CHANNELS, s, q), NO_FLOATS,
                        slots(parts[q], null, null, null, null, null, null, out), 7);
            }
        }

        @Override
        public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
            for (int q = 0; q < s.parts(); q++) {
                line(ELEMENTWISE, dParts[q].length, channels(Kernels.FROM_CHANNELS, s, q), NO_FLOATS,
                        slots(dOut, null, null, null, null, null, null, dParts[q]), 7);
            }
        }
    }

    final class RecurrentKernels implements Recurrent {

        @Override
        public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
            forwardSteps(Kernels.RNN_STEP, x, h0, null, w, h, null, null, s);
        }

        @Override
        public void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
            backwardSteps(Kernels.RNN_STEP_BACK, dX, dH0, null, dW, dH, x, h0, null, h, null, null, w, s);
        }

        @Override
        public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
            forwardSteps(Kernels.LSTM_STEP, x, h0, c0, w, h, c, gates, s);
        }

        @Override
        public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                                              float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
            backwardSteps(Kernels.LSTM_STEP_BACK, dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
        }
    }

    final class UpdateKernels implements Update {

        @Override
        public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
            int[] p = new int[Kernels.E_SEED_LOW + 1];
            p[Kernels.OP] = Kernels.SGD_UPDATE;
            p[Kernels.E_SIZE] = w.length;
            float[] f = {eta, momentum, weightDecay};
            if (momentum == 0) {
                line(ELEMENTWISE, w.length, p, f, slots(dW, null, null, null, null, null, null, w), 7);
            } else {
                line(ELEMENTWISE, w.length, p, f, slots(dW, null, null, null, null, null, v, w), 6, 7);
            }
        }
    }
}
