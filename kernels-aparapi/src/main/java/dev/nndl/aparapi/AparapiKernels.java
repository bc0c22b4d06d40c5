package dev.nndl.aparapi;

import static dev.nndl.aparapi.Launcher.in;

import com.aparapi.Kernel;
import com.aparapi.device.OpenCLDevice;
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
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Normalisation;
import dev.nndl.spi.Pooling;
import dev.nndl.spi.Recurrent;
import dev.nndl.spi.Regularisation;
import dev.nndl.spi.Update;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The OpenCL backend: every operation as an Aparapi kernel on one OpenCL device (a GPU, or PoCL's
 * CPU device), chosen by {@code -Dnndl.aparapi.device}.
 *
 * <p>Eight kernels cover the operations and directions: {@link GemmKernel} (convolution and fully connected
 * layers as tiled matrix multiplies with local-memory tiles; backward-data as a multiply into
 * columns that {@link Col2imKernel} gathers), {@link PoolKernel},
 * {@link ElementwiseKernel} (with the concatenation's copies), {@link RowKernel} (softmax, costs,
 * bias gradient), {@link LrnKernel}, {@link SumKernel} (L2, a two-stage work-group reduction) and
 * {@link RecurrentKernel} (the RNN and LSTM, a launch per time step). Backward passes gather rather than
 * scatter, so no two work-items write one element and no float atomics are needed.
 *
 * <p>An Aparapi kernel object is not safe to share between threads: each calling thread gets its
 * own set, compiled for the device on first use, and {@link #close} disposes them all. Each call
 * puts its inputs on the device and gets its outputs back ({@link Launcher} says why device copies
 * are not kept between calls), so {@link #upload} and {@link #download} have nothing to do.
 */
public final class AparapiKernels implements KernelSet {

    private static final int GROUP = 64;

    private final Launcher launcher;
    private final List<Kernels> all = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Kernels> mine = ThreadLocal.withInitial(this::newKernels);
    private volatile boolean closed;

    /** The backend on the device {@code -Dnndl.aparapi.device} names; throws {@link IllegalStateException} when there is none. */
    public AparapiKernels() {
        this(OpenClDevices.choose(System.getProperty(OpenClDevices.PROPERTY)));
    }

    AparapiKernels(OpenCLDevice device) {
        this.launcher = new Launcher(device);
        mine.get();
    }

    /** One thread's kernels, each compiled for the device, and its scratch array. */
    private static final class Kernels {
        final GemmKernel gemm;
        final PoolKernel pool;
        final ElementwiseKernel elementwise;
        final RowKernel row;
        final LrnKernel lrn;
        final SumKernel sum;
        final Col2imKernel col2im;
        final RecurrentKernel recurrent;
        private float[] scratch = new float[0];

        Kernels(Launcher launcher) {
            gemm = launcher.prepare(new GemmKernel());
            pool = launcher.prepare(new PoolKernel());
            elementwise = launcher.prepare(new ElementwiseKernel());
            row = launcher.prepare(new RowKernel());
            lrn = launcher.prepare(new LrnKernel());
            sum = launcher.prepare(new SumKernel());
            col2im = launcher.prepare(new Col2imKernel());
            recurrent = launcher.prepare(new RecurrentKernel());
        }

        List<Kernel> list() {
            return List.of(gemm, pool, elementwise, row, lrn, sum, col2im, recurrent);
        }

        /** A scratch array of exactly {@code size} floats, the same one while the size stays. */
        float[] scratch(int size) {
            if (scratch.length != size) scratch = new float[size];
            return scratch;
        }
    }

    private Kernels newKernels() {
        if (closed) throw new IllegalStateException("this AparapiKernels is closed");
        Kernels k = new Kernels(launcher);
        all.add(k);
        return k;
    }

    private Kernels kernels() {
        if (closed) throw new IllegalStateException("this AparapiKernels is closed");
        return mine.get();
    }

    @Override
    public String name() {
        return "aparapi";
    }

    @Override
    public String device() {
        return OpenClDevices.describe(launcher.device());
    }

    /** Transfers and kernels timed by OpenCL events, with {@code -Dnndl.profile=true}. */
    @Override
    public java.util.Optional<dev.nndl.spi.DeviceTime> deviceTime() {
        return DeviceClock.ON ? java.util.Optional.of(launcher.clock().read()) : java.util.Optional.empty();
    }

    /** Every launch puts its inputs and gets its outputs ({@link Launcher}), so this counts them all. */
    @Override
    public java.util.Optional<dev.nndl.spi.Transfers> transfers() {
        return java.util.Optional.of(launcher.transfers());
    }

    @Override
    public void close() {
        closed = true;
        for (Kernels k : all) k.list().forEach(Kernel::dispose);
        all.clear();
    }

    private final Families families = new Families(new ConvolutionKernels(), new PoolingKernels(), new DenseKernels(), new ActivationKernels(),
            new CostKernels(), new RegularisationKernels(), new NormalisationKernels(), new CompositionKernels(), new RecurrentKernels(),
            new UpdateKernels());

    @Override
    public Families families() {
        return families;
    }

    // ---------------------------------------------------------------- convolution and fully connected: tiled multiplies

    private GemmKernel conv(int op, float[] left, float[] right, float[] result, ConvShape s) {
        GemmKernel k = kernels().gemm;
        k.op = op;
        k.left = left;
        k.right = right;
        k.result = result;
        k.steps = ConvSteps.of(op, s);
        k.put(k.steps);
        k.c = s.c(); k.h = s.h(); k.w = s.w(); k.oc = s.oc(); k.oh = s.oh(); k.ow = s.ow(); k.kw = s.kw();
        k.sh = s.sh(); k.sw = s.sw(); k.ph = s.ph(); k.pw = s.pw(); k.dh = s.dh(); k.dw = s.dw();
        k.groups = s.groups(); k.cg = s.cPerGroup(); k.ocg = s.ocPerGroup(); k.taps = s.kh() * s.kw();
        return k;
    }

    /** Runs {@code count} multiplies of {@code rows x depth} by {@code depth x cols}, each in {@code k.splits} parts along {@code k}. */
    private void multiply(GemmKernel k, int rows, int cols, int depth, int count, float[][] inputs, float[] output) {
        k.rows = rows;
        k.cols = cols;
        k.depth = depth;
        k.chunk = (depth + k.splits - 1) / k.splits;
        launcher.launch(k, launcher.groups(GemmKernel.blocks(rows, cols), GemmKernel.GROUP, count * k.splits), inputs, output);
        k.splits = 1;
    }

    /** Work-groups per compute unit below which a weight gradient is split along its sum. */
    private static final int GROUPS_PER_UNIT = 8;
    /** The shortest part of a split sum. */
    private static final int MIN_PART = 512;

    private GemmKernel fc(int op, float[] left, float[] right, float[] result, FcShape s) {
        GemmKernel k = kernels().gemm;
        k.op = op;
        k.left = left;
        k.right = right;
        k.result = result;
        k.fcIn = s.in();
        k.fcOut = s.out();
        return k;
    }

    // ---------------------------------------------------------------- pooling

    private PoolKernel pool(int op, PoolShape s, int size) {
        PoolKernel k = kernels().pool;
        k.op = op;
        k.c = s.c(); k.h = s.h(); k.w = s.w(); k.oh = s.output().h(); k.ow = s.output().w();
        k.kh = s.kh(); k.kw = s.kw(); k.sh = s.sh(); k.sw = s.sw(); k.ph = s.ph(); k.pw = s.pw();
        k.size = size;
        k.excludePadding = s.excludePadding() ? 1 : 0;
        return k;
    }

    private void poolForward(int op, float[] out, float[] in, float p, PoolShape s) {
        PoolKernel k = pool(op, s, s.outputSize());
        k.in = in;
        k.out = out;
        k.p = p;
        launcher.launch(k, launcher.range(k.size, GROUP), in(in), out);
    }

    private void poolBackward(int op, float[] dIn, float[] dOut, float[] in, float[] norm, float p, PoolShape s) {
        PoolKernel k = pool(op, s, s.inputSize());
        k.dIn = dIn;
        k.dOut = dOut;
        k.in = in;
        k.norm = norm;
        k.p = p;
        launcher.launch(k, launcher.range(k.size, GROUP), in(dOut, in, norm), dIn);
    }

    // ---------------------------------------------------------------- element-wise

    private ElementwiseKernel elementwise(int op, int size) {
        ElementwiseKernel k = kernels().elementwise;
        k.op = op;
        k.size = size;
        return k;
    }

    /** {@code out = f(a, b)} element by element. */
    private void elementwise(int op, float[] out, float[] a, float[] b) {
        ElementwiseKernel k = elementwise(op, out.length);
        k.out = out;
        k.a = a;
        k.b = b;
        launcher.launch(k, launcher.range(out.length, GROUP), in(a, b), out);
    }

    private void elementwise(int op, int samples, float[] out, float[] a, float[] b) {
        kernels().elementwise.samples = samples;
        elementwise(op, out, a, b);
    }

    // ---------------------------------------------------------------- rows: softmax, costs, bias gradient

    private void rows(int op, float[] out, float[] a, float[] b, TensorShape s, float[][] inputs) {
        RowKernel k = kernels().row;
        k.op = op;
        k.out = out;
        k.a = a;
        k.b = b;
        k.rows = s.n();
        k.features = s.features();
        launcher.launch(k, launcher.range(s.n(), GROUP), inputs, out);
    }

    // ---------------------------------------------------------------- concatenation and sums

    private ElementwiseKernel channels(int op, ConcatShape s, int part) {
        ElementwiseKernel k = elementwise(op, s.part(part).size());
        k.channels = s.channels(part);
        k.wholeChannels = s.c();
        k.offset = s.offset(part);
        k.plane = s.h() * s.w();
        return k;
    }

    // ---------------------------------------------------------------- recurrent cells: a launch per step

    private RecurrentKernel recurrent(RecurrentShape s, float[] x, float[] h0, float[] w, float[] h) {
        RecurrentKernel k = kernels().recurrent;
        k.x = x;
        k.h0 = h0;
        k.w = w;
        k.h = h;
        k.steps = s.steps();
        k.batch = s.n();
        k.in = s.in();
        k.hidden = s.hidden();
        k.rows = s.gateRows();
        k.recurrentOffset = s.recurrentOffset();
        k.biasOffset = s.biasOffset();
        return k;
    }

    /** Launches {@code op} for every step, first to last or last to first, over one work-item per hidden unit and sample. */
    private void steps(RecurrentKernel k, int op, RecurrentShape s, boolean backward, float[][] inputs, float[]... outputs) {
        k.op = op;
        k.size = s.stateSize();
        for (int i = 0; i < s.steps(); i++) {
            k.step = backward ? s.steps() - 1 - i : i;
            launcher.launch(k, launcher.range(k.size, GROUP), inputs, outputs);
        }
    }

    /** {@code dX}, {@code dH0} and {@code dW} from every step's {@code dz}: three gathers. */
    private void gradients(RecurrentKernel k, float[] dX, float[] dH0, float[] dW, float[] dz, RecurrentShape s) {
        k.dz = dz;
        k.out = dX;
        k.op = RecurrentKernel.INPUT_GRADIENT;
        k.size = dX.length;
        launcher.launch(k, launcher.range(k.size, GROUP), in(k.w, dz), dX);
        k.out = dH0;
        k.op = RecurrentKernel.STATE_GRADIENT;
        k.size = dH0.length;
        launcher.launch(k, launcher.range(k.size, GROUP), in(k.w, dz), dH0);
        k.out = dW;
        k.op = RecurrentKernel.WEIGHT_GRADIENT;
        k.size = dW.length;
        launcher.launch(k, launcher.range(k.size, GROUP), in(dz, k.x, k.h0, k.h, dW), dW);
    }

    // ---------------------------------------------------------------- L2 and LRN

    private void lrn(int op, float[] out, float[] in, float[] dOut, LrnShape s, float[][] inputs) {
        LrnKernel k = kernels().lrn;
        k.op = op;
        k.out = out;
        k.in = in;
        k.dOut = dOut;
        k.c = s.c();
        k.plane = s.h() * s.w();
        k.window = s.size();
        k.total = s.tensor().size();
        k.k = s.k();
        k.alpha = s.alpha();
        k.beta = s.beta();
        launcher.launch(k, launcher.range(k.total, GROUP), inputs, out);
    }

    final class ConvolutionKernels implements Convolution {

        @Override
        public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            GemmKernel k = conv(GemmKernel.CONV_FORWARD, w, in, out, s);
            multiply(k, s.ocPerGroup(), s.oh() * s.ow(), s.cPerGroup() * s.kh() * s.kw(), s.n() * s.groups(), in(w, in), out);
        }

        /** A multiply into columns of per-tap gradients, then {@link Col2imKernel}'s gather into {@code dIn}. */
        @Override
        public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
            int rows = s.cPerGroup() * s.kh() * s.kw(), cols = s.oh() * s.ow();
            float[] columns = kernels().scratch(s.n() * s.groups() * rows * cols);
            GemmKernel k = conv(GemmKernel.CONV_BACKWARD_INPUT, w, dOut, columns, s);
            multiply(k, rows, cols, s.ocPerGroup(), s.n() * s.groups(), in(w, dOut), columns);
            Col2imKernel gather = kernels().col2im;
            gather.columns = columns;
            gather.dIn = dIn;
            gather.size = dIn.length;
            gather.c = s.c(); gather.h = s.h(); gather.w = s.w(); gather.oh = s.oh(); gather.ow = s.ow(); gather.kh = s.kh(); gather.kw = s.kw();
            gather.sh = s.sh(); gather.sw = s.sw(); gather.ph = s.ph(); gather.pw = s.pw(); gather.dh = s.dh(); gather.dw = s.dw();
            gather.groups = s.groups(); gather.cg = s.cPerGroup();
            launcher.launch(gather, launcher.range(dIn.length, GROUP), in(columns), dIn);
        }

        /**
         * Splits the sum over {@code N*OH*OW} pixels when the weights alone would not give every
         * compute unit {@link #GROUPS_PER_UNIT} work-groups, keeping each part at least
         * {@link #MIN_PART} long; the parts' sums go to a scratch array and one more launch adds them
         * into {@code dW}.
         */
        @Override
        public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            int rows = s.ocPerGroup(), cols = s.cPerGroup() * s.kh() * s.kw(), depth = s.n() * s.oh() * s.ow();
            int wanted = GROUPS_PER_UNIT * launcher.device().getMaxComputeUnits(), have = GemmKernel.blocks(rows, cols) * s.groups();
            int splits = Math.max(1, Math.min((wanted + have - 1) / have, depth / MIN_PART));
            if (splits == 1) {
                multiply(conv(GemmKernel.CONV_BACKWARD_WEIGHTS, dOut, in, dW, s), rows, cols, depth, s.groups(), in(dOut, in, dW), dW);
                return;
            }
            float[] parts = kernels().scratch(splits * dW.length);
            GemmKernel k = conv(GemmKernel.CONV_BACKWARD_WEIGHTS, dOut, in, parts, s);
            k.splits = splits;
            multiply(k, rows, cols, depth, s.groups(), in(dOut, in), parts);
            ElementwiseKernel add = elementwise(ElementwiseKernel.ADD_PARTS, dW.length);
            add.out = dW;
            add.a = parts;
            add.samples = splits;
            launcher.launch(add, launcher.range(dW.length, GROUP), in(dW, parts), dW);
        }
    }

    final class PoolingKernels implements Pooling {

        @Override
        public void maxPool2dForward(float[] out, float[] in, PoolShape s) {
            poolForward(PoolKernel.MAX_FORWARD, out, in, 1, s);
        }

        @Override
        public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
            poolBackward(PoolKernel.MAX_BACKWARD, dIn, dOut, in, dOut, 1, s);
        }

        @Override
        public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
            poolForward(PoolKernel.AVG_FORWARD, out, in, 1, s);
        }

        @Override
        public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
            poolBackward(PoolKernel.AVG_BACKWARD, dIn, dOut, dOut, dOut, 1, s);
        }

        @Override
        public void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
            poolForward(PoolKernel.LP_FORWARD, out, in, p, s);
        }

        @Override
        public void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
            poolBackward(PoolKernel.LP_BACKWARD, dIn, dOut, in, out, p, s);
        }
    }

    final class DenseKernels implements Dense {

        @Override
        public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
            multiply(fc(GemmKernel.FC_FORWARD, in, w, out, s), s.n(), s.out(), s.in(), 1, in(in, w), out);
        }

        @Override
        public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            multiply(fc(GemmKernel.FC_BACKWARD_INPUT, dOut, w, dIn, s), s.n(), s.in(), s.out(), 1, in(dOut, w), dIn);
        }

        @Override
        public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
            multiply(fc(GemmKernel.FC_BACKWARD_WEIGHTS, dOut, in, dW, s), s.out(), s.in(), s.n(), 1, in(dOut, in, dW), dW);
        }

        @Override
        public void biasForward(float[] out, float[] b, TensorShape s) {
            ElementwiseKernel k = elementwise(ElementwiseKernel.BIAS_FORWARD, out.length);
            k.out = out;
            k.b = b;
            k.channels = s.c();
            k.plane = s.plane();
            launcher.launch(k, launcher.range(out.length, GROUP), in(out, b), out);
        }

        @Override
        public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            RowKernel k = kernels().row;
            k.op = RowKernel.BIAS_BACKWARD;
            k.out = dB;
            k.a = dOut;
            k.rows = s.c();
            k.samples = s.n();
            k.plane = s.plane();
            launcher.launch(k, launcher.range(s.c(), GROUP), in(dB, dOut), dB);
        }
    }

    final class ActivationKernels implements Activations {

        @Override
        public void sigmoidForward(float[] out, float[] in) {
            elementwise(ElementwiseKernel.SIGMOID_FORWARD, out, in, in);
        }

        @Override
        public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise(ElementwiseKernel.SIGMOID_BACKWARD, dIn, dOut, out);
        }

        @Override
        public void tanhForward(float[] out, float[] in) {
            elementwise(ElementwiseKernel.TANH_FORWARD, out, in, in);
        }

        @Override
        public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise(ElementwiseKernel.TANH_BACKWARD, dIn, dOut, out);
        }

        @Override
        public void reluForward(float[] out, float[] in) {
            elementwise(ElementwiseKernel.RELU_FORWARD, out, in, in);
        }

        @Override
        public void reluBackward(float[] dIn, float[] dOut, float[] out) {
            elementwise(ElementwiseKernel.RELU_BACKWARD, dIn, dOut, out);
        }
    }

    final class CostKernels implements Costs {

        @Override
        public void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
            elementwise(ElementwiseKernel.DIFFERENCE_PER_SAMPLE, s.n(), dIn, a, y);
        }

        @Override
        public void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            elementwise(ElementwiseKernel.DIFFERENCE_PER_SAMPLE, s.n(), dA, a, y);
        }

        @Override
        public void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            elementwise(ElementwiseKernel.CROSS_ENTROPY_BACKWARD, s.n(), dA, a, y);
        }

        @Override
        public void softmaxForward(float[] out, float[] in, TensorShape s) {
            rows(RowKernel.SOFTMAX_FORWARD, out, in, in, s, in(in));
        }

        @Override
        public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
            rows(RowKernel.SOFTMAX_BACKWARD, dIn, dOut, out, s, in(dOut, out));
        }

        @Override
        public void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows(RowKernel.LOG_LIKELIHOOD, loss, a, y, s, in(a, y));
        }

        @Override
        public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
            rows(RowKernel.LOG_SOFTMAX_LIKELIHOOD, loss, z, y, s, in(z, y));
        }

        @Override
        public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows(RowKernel.QUADRATIC, loss, a, y, s, in(a, y));
        }

        @Override
        public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            rows(RowKernel.CROSS_ENTROPY, loss, a, y, s, in(a, y));
        }
    }

    final class RegularisationKernels implements Regularisation {

        @Override
        public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
            ElementwiseKernel k = elementwise(ElementwiseKernel.DROPOUT_FORWARD, in.length);
            k.out = out;
            k.out2 = mask;
            k.a = in;
            k.x1 = p;
            k.seed = seed;
            launcher.launch(k, launcher.range(in.length, GROUP), in(in), out, mask);
        }

        @Override
        public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
            elementwise(ElementwiseKernel.DROPOUT_BACKWARD, dIn, dOut, mask);
        }

        @Override
        public void l2Backward(float[] dW, float[] w, float lambda) {
            ElementwiseKernel k = elementwise(ElementwiseKernel.L2_BACKWARD, w.length);
            k.out = dW;
            k.a = w;
            k.x1 = lambda;
            launcher.launch(k, launcher.range(w.length, GROUP), in(dW, w), dW);
        }

        @Override
        public void l2Forward(float[] sum, float[] w) {
            if (w == null) throw new IllegalArgumentException("w is null");
            SumKernel k = kernels().sum;
            k.in = w;
            k.out = sum;
            k.size = w.length;
            k.op = SumKernel.SQUARES;
            launcher.launch(k, launcher.range(SumKernel.WIDTH * SumKernel.GROUPS, SumKernel.WIDTH), in(w), k.partial);
            k.op = SumKernel.TOTAL;
            launcher.launch(k, launcher.range(SumKernel.WIDTH, SumKernel.WIDTH), in(k.partial), sum);
        }
    }

    final class NormalisationKernels implements Normalisation {

        @Override
        public void lrnForward(float[] out, float[] in, LrnShape s) {
            lrn(LrnKernel.FORWARD, out, in, in, s, in(in));
        }

        @Override
        public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
            lrn(LrnKernel.BACKWARD, dIn, in, dOut, s, in(dOut, in));
        }
    }

    final class CompositionKernels implements Composition {

        /** One copy per part; {@code out} goes to the device with each, so the channels earlier parts wrote come back with it. */
        @Override
        public void concatForward(float[] out, float[][] parts, ConcatShape s) {
            for (int p = 0; p < s.parts(); p++) {
                ElementwiseKernel k = channels(ElementwiseKernel.INTO_CHANNELS, s, p);
                k.out = out;
                k.a = parts[p];
                launcher.launch(k, launcher.range(k.size, GROUP), in(parts[p], out), out);
            }
        }

        @Override
        public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
            for (int p = 0; p < s.parts(); p++) {
                ElementwiseKernel k = channels(ElementwiseKernel.FROM_CHANNELS, s, p);
                k.out = dParts[p];
                k.a = dOut;
                launcher.launch(k, launcher.range(k.size, GROUP), in(dOut), dParts[p]);
            }
        }

        @Override
        public void addForward(float[] out, float[] a, float[] b) {
            elementwise(ElementwiseKernel.ADD, out, a, b);
        }
    }

    final class RecurrentKernels implements Recurrent {

        @Override
        public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
            RecurrentKernel k = recurrent(s, x, h0, w, h);
            steps(k, RecurrentKernel.RNN_STEP, s, false, in(x, h0, w, h), h);
        }

        @Override
        public void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
            RecurrentKernel k = recurrent(s, x, h0, w, h);
            float[] dz = kernels().scratch(s.gatesSize());
            k.dH = dH;
            k.dz = dz;
            steps(k, RecurrentKernel.RNN_STEP_BACK, s, true, in(dH, h, w, dz), dz);
            gradients(k, dX, dH0, dW, dz, s);
        }

        @Override
        public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
            RecurrentKernel k = recurrent(s, x, h0, w, h);
            k.c0 = c0;
            k.c = c;
            k.gates = gates;
            steps(k, RecurrentKernel.LSTM_STEP, s, false, in(x, h0, c0, w, h, c, gates), h, c, gates);
        }

        /** The cell-state gradient carried from step to step is {@code dC0} itself, which the first step leaves holding its final value. */
        @Override
        public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                                 float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
            RecurrentKernel k = recurrent(s, x, h0, w, h);
            float[] dz = kernels().scratch(s.gatesSize());
            k.c0 = c0;
            k.c = c;
            k.gates = gates;
            k.dH = dH;
            k.dz = dz;
            k.dc = dC0;
            steps(k, RecurrentKernel.LSTM_STEP_BACK, s, true, in(dH, c0, c, gates, w, dz, dC0), dz, dC0);
            gradients(k, dX, dH0, dW, dz, s);
        }
    }

    final class UpdateKernels implements Update {

        @Override
        public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
            ElementwiseKernel k = elementwise(ElementwiseKernel.SGD_UPDATE, w.length);
            k.out = w;
            k.out2 = v;
            k.a = dW;
            k.x1 = eta;
            k.x2 = momentum;
            k.x3 = weightDecay;
            if (momentum == 0) {
                launcher.launch(k, launcher.range(w.length, GROUP), in(w, dW), w);
            } else {
                launcher.launch(k, launcher.range(w.length, GROUP), in(w, v, dW), w, v);
            }
        }
    }
}
