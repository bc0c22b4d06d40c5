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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import uk.ac.manchester.tornado.api.common.TornadoDevice;

/**
 * The TornadoVM backend: every operation as a kernel of {@link Kernels} that TornadoVM compiles
 * to OpenCL for one device, {@code -Dnndl.tornado.device=DRIVER:DEVICE} (default {@code 0:0},
 * TornadoVM's first), each launch site a {@link Program} whose task graph and plan are built once.
 *
 * <p>Ten kernels cover the operations, with the Aparapi backend's algorithms: a tiled matrix
 * multiply with local-memory tiles for the convolutions and fully connected layers, col2im,
 * pooling, element-wise, per-row work-group reductions, L2's two-stage reduction, LRN, and the
 * recurrent cells a launch per time step. Each call copies its inputs into the plan's staging
 * arrays and its outputs back ({@link Program} says why), so {@link #upload} and {@link #download}
 * have nothing to do; {@code -Dnndl.profile=true} measures what the transfers cost. A plan
 * and its staging arrays serve one call at a time, so the kernel set serves one thread at a time,
 * as {@link KernelSet} says.
 */
public final class TornadoKernels implements KernelSet {

    /** The system property that picks the device, {@code DRIVER:DEVICE} as {@code tornado --devices} numbers them. */
    public static final String DEVICE = "nndl.tornado.device";

    private static final int GROUP = 64;

    static {
        // TornadoVM's habit, when a kernel does not compile for the device, is to print a line and run
        // the Java code instead ("bailout"); here that must be an error, as Aparapi's fallback is
        if (System.getProperty("tornado.recover.bailout") == null) System.setProperty("tornado.recover.bailout", "False");
    }

    private final TornadoDevice device;
    private final String deviceIndex;
    private final DeviceClock clock = new DeviceClock();
    private final Map<String, Program> programs = new LinkedHashMap<>();
    private float[] columns = new float[0];

    public TornadoKernels() {
        this(System.getProperty(DEVICE, "0:0"));
    }

    TornadoKernels(String device) {
        this.deviceIndex = device;
        this.device = Devices.choose(device);
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

    /** Every launch moves all eight staging slots to the device and its output slots back ({@link Program}), so this counts them all. */
    @Override
    public Optional<dev.nndl.spi.Transfers> transfers() {
        return Optional.of(clock.transfers());
    }

    @Override
    public void close() {
        for (Program p : programs.values()) p.close();
        programs.clear();
    }

    private final Families families = new Families(new ConvolutionKernels(), new PoolingKernels(), new DenseKernels(), new ActivationKernels(),
            new CostKernels(), new RegularisationKernels(), new NormalisationKernels(), new CompositionKernels(), new RecurrentKernels(),
            new UpdateKernels());

    @Override
    public Families families() {
        return families;
    }

    // ---------------------------------------------------------------- launching

    private Program program(String site, Program.Body body, boolean twoDimensional, int... outputs) {
        return programs.computeIfAbsent(site, s -> new Program(s, body, twoDimensional, outputs, device, clock));
    }

    /** The eight array slots of a launch, null where unused. */
    private static float[][] slots(float[]... given) {
        float[][] slots = new float[Program.SLOTS][];
        System.arraycopy(given, 0, slots, 0, given.length);
        return slots;
    }

    private static long[] one(long size, long group) {
        return new long[] {Math.max(group, (size + group - 1) / group * group)};
    }

    private void line(String site, Program.Body body, int size, int[] p, float[] f, float[][] arrays, int... outputs) {
        program(site, body, false, outputs).run(p, f, arrays, one(size, GROUP), new long[] {GROUP});
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
    private void multiply(String site, int[] p, int count, float[] a, float[] b, float[] c) {
        int rows = p[Kernels.ROWS], cols = p[Kernels.COLS], t = Kernels.TILE;
        long[] global = {(long) (cols + t - 1) / t * t, (long) (rows + t - 1) / t * t * count};
        program(site, Kernels::gemm, true, 7).run(p, NO_FLOATS, slots(a, b, null, null, null, null, null, c), global, new long[] {t, t});
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
        line("pool-forward", Kernels::pool, out.length, pool(op, s, out.length), new float[] {power}, slots(in, null, null, null, null, null, null, out), 7);
    }

    private void poolBackward(int op, float[] dIn, float[] dOut, float[] in, float[] norm, float power, PoolShape s) {
        line("pool-backward", Kernels::pool, dIn.length, pool(op, s, dIn.length), new float[] {power},
                slots(in, dOut, norm, null, null, null, null, dIn), 7);
    }

    // ---------------------------------------------------------------- element by element

    /** {@code out = f(a, b)}: {@code x0 = a}, {@code x1 = b}, {@code x7 = out}. */
    private void elementwise(String site, int op, float[] out, float[] a, float[] b, int samples) {
        int[] p = new int[Kernels.E_SEED_LOW + 1];
        p[Kernels.OP] = op;
        p[Kernels.E_SIZE] = out.length;
        p[Kernels.E_SAMPLES] = samples;
        line(site, Kernels::elementwise, out.length, p, NO_FLOATS, slots(a, b, null, null, null, null, null, out), 7);
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
    private void rows(String site, int op, int rows, int features, int samples, int plane, float[] out, float[] a, float[] b) {
        int[] p = {op, rows, features, samples, plane};
        program(site, Kernels::rows, false, 7).run(p, NO_FLOATS, slots(a, b, null, null, null, null, null, out),
                new long[] {(long) rows * Kernels.WIDTH}, new long[] {Kernels.WIDTH});
    }

    // ---------------------------------------------------------------- L2 and LRN

    private void lrn(int op, float[] out, float[] in, float[] dOut, LrnShape s) {
        int size = s.tensor().size();
        line(op == 0 ? "lrn-forward" : "lrn-backward", Kernels::lrn, size, new int[] {op, s.c(), s.h() * s.w(), s.size(), size},
                new float[] {s.k(), s.alpha(), s.beta()}, slots(in, dOut, null, null, null, null, null, out), 7);
    }

    // ---------------------------------------------------------------- recurrent cells: a launch per step

    private static int[] recurrent(int op, int step, int size, RecurrentShape s) {
        return new int[] {op, step, s.steps(), s.n(), s.in(), s.hidden(), s.gateRows(), s.recurrentOffset(), s.biasOffset(), size};
    }

    private void forwardSteps(int op, float[] x, float[] h0, float[] c0, float[] w, float[] h, float[] c, float[] gates, RecurrentShape s) {
        for (int t = 0; t < s.steps(); t++) {
            line(op == Kernels.RNN_STEP ? "rnn-step" : "lstm-step", Kernels::recurrentStep, s.stateSize(), recurrent(op, t, s.stateSize(), s), NO_FLOATS,
                    slots(x, h0, c0, w, h, c, gates, null), op == Kernels.RNN_STEP ? new int[] {4} : new int[] {4, 5, 6});
        }
    }

    /** Back through time ({@code dc} is the LSTM's carried cell gradient), then {@code dX}, {@code dH0} and {@code dW} from every step's {@code dz}. */
    private void backwardSteps(int op, float[] dX, float[] dH0, float[] dc, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                               float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
        float[] dz = new float[s.gatesSize()];
        for (int t = s.steps() - 1; t >= 0; t--) {
            line(op == Kernels.RNN_STEP_BACK ? "rnn-step-back" : "lstm-step-back", Kernels::recurrentStepBack, s.stateSize(),
                    recurrent(op, t, s.stateSize(), s), NO_FLOATS, slots(dH, dc, c0, w, h, c, gates, dz), op == Kernels.RNN_STEP_BACK ? new int[] {7} : new int[] {1, 7});
        }
        line("recurrent-dx", Kernels::recurrentGradient, dX.length, recurrent(Kernels.INPUT_GRADIENT, 0, dX.length, s), NO_FLOATS,
                slots(null, null, null, w, null, null, dX, dz), 6);
        line("recurrent-dh0", Kernels::recurrentGradient, dH0.length, recurrent(Kernels.STATE_GRADIENT, 0, dH0.length, s), NO_FLOATS,
                slots(null, null, null, w, null, null, dH0, dz), 6);
        line("recurrent-dw", Kernels::recurrentGradient, dW.length, recurrent(Kernels.WEIGHT_GRADIENT, 0, dW.length, s), NO_FLOATS,
                slots(x, h0, null, null, h, null, dW, dz), 6);
    }

    final class ConvolutionKernels implements Convolution {

        @Override
        public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            int[] p = conv(Kernels.CONV_FORWARD, s.ocPerGroup(), s.oh() * s.ow(), s.cPerGroup() * s.kh() * s.kw(), s);
            multiply("conv-forward", p, s.n() * s.groups(), w, in, out);
        }

        /** A multiply into per-tap columns, then {@link Kernels#col2im}'s gather into {@code dIn}. */
        @Override
        public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
            int rows = s.cPerGroup() * s.kh() * s.kw(), cols = s.oh() * s.ow();
            int size = s.n() * s.groups() * rows * cols;
            if (columns.length != size) columns = new float[size];
            multiply("conv-backward-input", conv(Kernels.CONV_BACKWARD_INPUT, rows, cols, s.ocPerGroup(), s), s.n() * s.groups(), w, dOut, columns);
            int[] p = conv(0, rows, cols, 0, s);
            p[Kernels.SIZE] = dIn.length;
            line("col2im", Kernels::col2im, dIn.length, p, NO_FLOATS, slots(columns, null, null, null, null, null, null, dIn), 7);
        }

        @Override
        public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            int[] p = conv(Kernels.CONV_BACKWARD_WEIGHTS, s.ocPerGroup(), s.cPerGroup() * s.kh() * s.kw(), s.n() * s.oh() * s.ow(), s);
            multiply("conv-backward-weights", p, s.groups(), dOut, in, dW);
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
            multiply("fc-forward", fc(Kernels.FC_FORWARD, s.n(), s.out(), s.in(), s), 1, in, w, out);
        }

        @Override
        public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            multiply("fc-backward-input", fc(Kernels.FC_BACKWARD_INPUT, s.n(), s.in(), s.out(), s), 1, dOut, w, dIn);
        }

        @Override
        public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
            multiply("fc-backward-weights", fc(Kernels.FC_BACKWARD_WEIGHTS, s.out(), s.in(), s.n(), s), 1, dOut, in, dW);
        }

        @Override
        public void biasForward(float[] out, float[] b, TensorShape s) {
            int[] p = new int[Kernels.E_SEED_LOW + 1];
            p[Kernels.OP] = Kernels.BIAS_FORWARD;
            p[Kernels.E_SIZE] = out.length;
            p[Kernels.E_CHANNELS] = s.c();
            p[Kernels.E_PLANE] = s.plane();
            line("bias-forward", Kernels::elementwise, out.length, p, NO_FLOATS, slots(null, b, null, null, null, null, null, out), 7);
        }

        @Override
        public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            rows("bias-backward", Kernels.BIAS_BACKWARD, s.c(), 0, s.n(), s.plane(), dB, dOut, null);
        }
    }

    final class ActivationKernels implements Activations {

        @Override
        public void sigmoidForward(float[] out, float[] in) {
            elementwise("activation", Kernels.SIGMOID_FORWARD, out, in, null, 0);
        }

        @Override
        public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise("activation-backward", Kernels.SIGMOID_BACKWARD, dIn, dOut, out, 0);
        }

        @Override
        public void tanhForward(float[] out, float[] in) {
            elementwise("activation", Kernels.TANH_FORWARD, out, in, null, 0);
        }

        @Override
        public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise("activation-backward", Kernels.TANH_BACKWARD, dIn, dOut, out, 0);
        }

        @Override
        public void reluForward(float[] out, float[] in) {
            elementwise("activation", Kernels.RELU_FORWARD, out, in, null, 0);
        }

        @Override
        public void reluBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise("activation-backward", Kernels.RELU_BACKWARD, dIn, dOut, out, 0);
        }
    }

    final class CostKernels implements Costs {

        @Override
        public void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
            elementwise("cost-backward", Kernels.DIFFERENCE_PER_SAMPLE, dIn, a, y, s.n());
        }

        @Override
        public void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            elementwise("cost-backward", Kernels.DIFFERENCE_PER_SAMPLE, dA, a, y, s.n());
        }

        @Override
        public void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            elementwise("cost-backward", Kernels.CROSS_ENTROPY_BACKWARD, dA, a, y, s.n());
        }

        @Override
        public void softmaxForward(float[] out, float[] in, TensorShape s) {
            rows("softmax", Kernels.SOFTMAX_FORWARD, s.n(), s.features(), 0, 0, out, in, null);
        }

        @Override
        public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
            rows("softmax-backward", Kernels.SOFTMAX_BACKWARD, s.n(), s.features(), 0, 0, dIn, dOut, out);
        }

        @Override
        public void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows("cost", Kernels.LOG_LIKELIHOOD, s.n(), s.features(), 0, 0, loss, a, y);
        }

        @Override
        public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
            line("log-softmax-cost", Kernels::logSoftmaxLikelihood, s.n(), new int[] {0, s.n(), s.features()}, NO_FLOATS,
                    slots(z, y, null, null, null, null, null, loss), 7);
        }

        @Override
        public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows("cost", Kernels.QUADRATIC, s.n(), s.features(), 0, 0, loss, a, y);
        }

        @Override
        public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows("cost", Kernels.CROSS_ENTROPY, s.n(), s.features(), 0, 0, loss, a, y);
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
            line("dropout-forward", Kernels::elementwise, in.length, ints, new float[] {p}, slots(in, null, null, null, null, null, mask, out), 6, 7);
        }

        @Override
        public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
            elementwise("dropout-backward", Kernels.DROPOUT_BACKWARD, dIn, dOut, mask, 0);
        }

        @Override
        public void l2Backward(float[] dW, float[] w, float lambda) {
            int[] p = new int[Kernels.E_SEED_LOW + 1];
            p[Kernels.OP] = Kernels.L2_BACKWARD;
            p[Kernels.E_SIZE] = w.length;
            line("l2-backward", Kernels::elementwise, w.length, p, new float[] {lambda}, slots(w, null, null, null, null, null, null, dW), 7);
        }

        @Override
        public void l2Forward(float[] sum, float[] w) {
            if (w == null) throw new IllegalArgumentException("w is null");
            float[] partial = new float[Kernels.SUM_GROUPS];
            program("l2-squares", Kernels::sum, false, 6).run(new int[] {0, 0, w.length}, NO_FLOATS, slots(w, null, null, null, null, null, partial, null),
                    new long[] {(long) Kernels.WIDTH * Kernels.SUM_GROUPS}, new long[] {Kernels.WIDTH});
            program("l2-total", Kernels::sum, false, 7).run(new int[] {0, 1, 0}, NO_FLOATS, slots(null, null, null, null, null, null, partial, sum),
                    new long[] {Kernels.WIDTH}, new long[] {Kernels.WIDTH});
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
            elementwise("add", Kernels.ADD, out, a, b, 0);
        }

        /** One copy per part; {@code out} goes to the device with each, so the channels earlier parts wrote come back with it. */
        @Override
        public void concatForward(float[] out, float[][] parts, ConcatShape s) {
            for (int q = 0; q < s.parts(); q++) {
                line("concat-forward", Kernels::elementwise, parts[q].length, channels(Kernels.INTO_CHANNELS, s, q), NO_FLOATS,
                        slots(parts[q], null, null, null, null, null, null, out), 7);
            }
        }

        @Override
        public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
            for (int q = 0; q < s.parts(); q++) {
                line("concat-backward", Kernels::elementwise, dParts[q].length, channels(Kernels.FROM_CHANNELS, s, q), NO_FLOATS,
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
                line("sgd", Kernels::elementwise, w.length, p, f, slots(dW, null, null, null, null, null, null, w), 7);
            } else {
                line("sgd-momentum", Kernels::elementwise, w.length, p, f, slots(dW, null, null, null, null, null, v, w), 6, 7);
            }
        }
    }
}
