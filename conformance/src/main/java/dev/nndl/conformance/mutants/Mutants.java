package dev.nndl.conformance.mutants;

import dev.nndl.shape.ConcatShape;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.LrnShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.RecurrentShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.Arguments;
import dev.nndl.conformance.SimulatedDevice;
import dev.nndl.reference.ReferenceKernels;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** The mutants the contract must kill: each the reference with one bug that real kernels have had. */
public final class Mutants {

    private Mutants() {}

    /** A fresh instance of every mutant. */
    public static List<Mutant> all() {
        return List.of(new PaddingOffByOne(), new ArgumentChecksSkipped(), new KernelNotFlipped(), new StrideIgnoredInBackwardWeights(), new DilationAppliedToStride(),
                new AveragePoolOverClippedWindow(), new ExcludedPaddingCounted(), new MaxPoolGradientToEveryTie(), new LrnAlphaDividedBySize(), new SoftmaxWithoutMax(), new LossFromTheSoftmaxOutput(),
                new DropoutWithItsOwnRng(), new BackwardWeightsOverwrites(), new RacyBackwardWeights(), new TransposedIgnoresOutputPadding(),
                new FullyConnectedBackwardUntransposed(), new BiasGradientOfFirstSampleOnly(), new WeightDecayAfterTheStep(),
                new ConcatOffsetsOfEqualParts(), new RnnIgnoresInitialState(), new LstmGatesInKerasOrder(), new LstmCellStateOneStepEarly(),
                new ForgetsToDownloadAnOutput(), new StaleDeviceCopy(), new NoDownloadAfterSgdUpdate());
    }

    static final class PaddingOffByOne extends Mutant {
        @Override public String target() { return "conv2d forward"; }
        @Override public String id() { return "padding-off-by-one"; }
        @Override public String bug() { return "conv2d forward puts the window's origin at y*s - (p - 1) when padded"; }
        @Override public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            Arguments.conv2dForward(out, in, w, s);
            NaiveConv.forward(out, in, w, s, (y, i) -> y * s.sh() - Math.max(0, s.ph() - 1) + i * s.dh(),
                    (x, j) -> x * s.sw() - Math.max(0, s.pw() - 1) + j * s.dw());
        }
    }

    static final class ArgumentChecksSkipped extends Mutant {
        @Override public String target() { return "conv2d forward"; }
        @Override public String id() { return "argument-checks-skipped"; }
        @Override public String bug() { return "conv2d forward computes without checking its arrays' lengths, so a wrong call runs on silently"; }
        @Override public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            NaiveConv.forward(out, in, w, s, (y, i) -> y * s.sh() - s.ph() + i * s.dh(), (x, j) -> x * s.sw() - s.pw() + j * s.dw());
        }
    }

    static final class KernelNotFlipped extends Mutant {
        @Override public String target() { return "conv2d backward-input"; }
        @Override public String id() { return "kernel-not-flipped"; }
        @Override public String bug() { return "conv2d backward-data correlates dOut with the kernel as stored instead of flipped"; }
        @Override public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
            Arguments.conv2dBackwardInput(dIn, dOut, w, s);
            float[] flipped = new float[w.length];
            int taps = s.kh() * s.kw();
            for (int f = 0; f < w.length / taps; f++) {
                for (int t = 0; t < taps; t++) flipped[f * taps + t] = w[f * taps + taps - 1 - t];
            }
            delegate.conv2dBackwardInput(dIn, dOut, flipped, s);
        }
    }

    static final class StrideIgnoredInBackwardWeights extends Mutant {
        @Override public String target() { return "conv2d backward-weights"; }
        @Override public String id() { return "stride-ignored-in-backward-weights"; }
        @Override public String bug() { return "conv2d backward-weights reads the input as if the stride were 1"; }
        @Override public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            Arguments.conv2dBackwardWeights(dW, dOut, in, s);
            NaiveConv.backwardWeights(dW, dOut, in, s, (y, i) -> y - s.ph() + i * s.dh(), (x, j) -> x - s.pw() + j * s.dw());
        }
    }

    static final class DilationAppliedToStride extends Mutant {
        @Override public String target() { return "conv2d forward"; }
        @Override public String id() { return "dilation-applied-to-stride"; }
        @Override public String bug() { return "conv2d forward multiplies the stride by the dilation and keeps the taps dense"; }
        @Override public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            Arguments.conv2dForward(out, in, w, s);
            NaiveConv.forward(out, in, w, s, (y, i) -> y * s.sh() * s.dh() - s.ph() + i, (x, j) -> x * s.sw() * s.dw() - s.pw() + j);
        }
    }

    static final class AveragePoolOverClippedWindow extends Mutant {
        @Override public String target() { return "avg-pool2d forward"; }
        @Override public String id() { return "average-pool-over-clipped-window"; }
        @Override public String bug() { return "average pooling divides by the window's elements inside the input, not by KH*KW"; }
        @Override public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
            delegate.avgPool2dForward(out, in, s);
            for (int e = 0; e < out.length; e++) {
                int x = e % s.ow(), y = e / s.ow() % s.oh();
                int rows = Math.min(s.h(), y * s.sh() - s.ph() + s.kh()) - Math.max(0, y * s.sh() - s.ph());
                int cols = Math.min(s.w(), x * s.sw() - s.pw() + s.kw()) - Math.max(0, x * s.sw() - s.pw());
                out[e] = out[e] * (s.kh() * s.kw()) / (rows * cols);
            }
        }
    }

    static final class ExcludedPaddingCounted extends Mutant {
        @Override public String target() { return "avg-pool2d backward"; }
        @Override public String id() { return "excluded-padding-counted"; }
        @Override public String bug() { return "average pooling's backward divides by KH*KW even where the shape excludes the padding"; }
        @Override public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
            delegate.avgPool2dBackward(dIn, dOut, new PoolShape(s.n(), s.c(), s.h(), s.w(), s.kh(), s.kw(), s.sh(), s.sw(), s.ph(), s.pw()));
        }
    }

    static final class MaxPoolGradientToEveryTie extends Mutant {
        @Override public String target() { return "max-pool2d backward"; }
        @Override public String id() { return "max-pool-gradient-to-every-tie"; }
        @Override public String bug() { return "max-pool backward sends the gradient to every element equal to the maximum"; }
        @Override public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
            Arguments.pool2dBackward(dIn, dOut, s);
            float[] max = new float[s.outputSize()];
            delegate.maxPool2dForward(max, in, s);
            Arrays.fill(dIn, 0);
            TensorShape inS = s.input(), outS = s.output();
            for (int n = 0; n < s.n(); n++) for (int c = 0; c < s.c(); c++) for (int y = 0; y < s.oh(); y++) for (int x = 0; x < s.ow(); x++) {
                for (int i = 0; i < s.kh(); i++) for (int j = 0; j < s.kw(); j++) {
                    int ih = y * s.sh() - s.ph() + i, iw = x * s.sw() - s.pw() + j;
                    if (ih < 0 || ih >= s.h() || iw < 0 || iw >= s.w()) continue;
                    if (in[inS.index(n, c, ih, iw)] == max[outS.index(n, c, y, x)]) dIn[inS.index(n, c, ih, iw)] += dOut[outS.index(n, c, y, x)];
                }
            }
        }
    }

    static final class LrnAlphaDividedBySize extends Mutant {
        @Override public String target() { return "lrn forward"; }
        @Override public String id() { return "lrn-alpha-divided-by-size"; }
        @Override public String bug() { return "LRN divides alpha by the window size, as PyTorch does, instead of AlexNet's undivided alpha"; }
        private static LrnShape pytorch(LrnShape s) {
            return new LrnShape(s.n(), s.c(), s.h(), s.w(), s.size(), s.alpha() / s.size(), s.beta(), s.k());
        }
        @Override public void lrnForward(float[] out, float[] in, LrnShape s) { delegate.lrnForward(out, in, pytorch(s)); }
        @Override public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) { delegate.lrnBackward(dIn, dOut, in, pytorch(s)); }
    }

    static final class SoftmaxWithoutMax extends Mutant {
        @Override public String target() { return "softmax forward"; }
        @Override public String id() { return "softmax-without-max"; }
        @Override public String bug() { return "softmax exponentiates the logits without subtracting the maximum, so large logits overflow"; }
        @Override public void softmaxForward(float[] out, float[] in, TensorShape s) {
            Arguments.tensors(s, "out", out, "in", in);
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float sum = 0;
                for (int j = 0; j < f; j++) sum += (float) Math.exp(in[n * f + j]);
                for (int j = 0; j < f; j++) out[n * f + j] = (float) Math.exp(in[n * f + j]) / sum;
            }
        }
    }

    static final class LossFromTheSoftmaxOutput extends Mutant {
        @Override public String target() { return "softmax-log-likelihood forward"; }
        @Override public String id() { return "loss-from-the-softmax-output"; }
        @Override public String bug() { return "the log-likelihood takes the log of the float softmax output, infinite where it underflows to 0"; }
        @Override public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
            float[] a = new float[z.length];
            delegate.softmaxForward(a, z, s);
            delegate.logLikelihoodForward(loss, a, y, s);
        }
    }

    static final class DropoutWithItsOwnRng extends Mutant {
        @Override public String target() { return "dropout forward"; }
        @Override public String id() { return "dropout-with-its-own-rng"; }
        @Override public String bug() { return "dropout draws its mask from java.util.Random(seed) instead of the shared counter-based DropoutRng"; }
        @Override public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
            Arguments.sameLength("out", out, "in", in);
            Arguments.sameLength("mask", mask, "in", in);
            Random random = new Random(seed);
            for (int e = 0; e < in.length; e++) {
                mask[e] = random.nextFloat() >= p ? 1 : 0;
                out[e] = in[e] * mask[e];
            }
        }
    }

    static final class BackwardWeightsOverwrites extends Mutant {
        @Override public String target() { return "conv2d backward-weights"; }
        @Override public String id() { return "backward-weights-overwrites"; }
        @Override public String bug() { return "conv2d backward-weights overwrites dW instead of accumulating into it"; }
        @Override public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            Arguments.conv2dBackwardWeights(dW, dOut, in, s);
            Arrays.fill(dW, 0);
            delegate.conv2dBackwardWeights(dW, dOut, in, s);
        }
    }

    /**
     * Splits the batch between two threads, each computing its samples' gradient and then adding
     * it into the shared dW with an unsynchronised read-modify-write. The yield between the read
     * and the write stands for the rest of a long kernel: it makes the lost updates that such a
     * race causes show up on any machine, not only on a busy one.
     */
    static final class RacyBackwardWeights extends Mutant {
        @Override public String target() { return "conv2d backward-weights"; }
        @Override public String id() { return "racy-backward-weights"; }
        @Override public String bug() { return "two threads add their samples' conv2d weight gradients into dW without synchronising, dropping updates"; }
        @Override public int threads() { return 2; }
        @Override public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            Arguments.conv2dBackwardWeights(dW, dOut, in, s);
            if (s.n() < 2) {
                delegate.conv2dBackwardWeights(dW, dOut, in, s);
                return;
            }
            int half = s.n() / 2;
            CountDownLatch start = new CountDownLatch(2);
            Thread[] threads = new Thread[2];
            RuntimeException[] failure = new RuntimeException[1];
            for (int t = 0; t < 2; t++) {
                int from = t == 0 ? 0 : half, to = t == 0 ? half : s.n();
                threads[t] = Thread.ofPlatform().start(() -> {
                    try {
                        ConvShape part = s.withBatch(to - from);
                        float[] partial = new float[dW.length];
                        delegate.conv2dBackwardWeights(partial,
                                Arrays.copyOfRange(dOut, from * s.oc() * s.oh() * s.ow(), to * s.oc() * s.oh() * s.ow()),
                                Arrays.copyOfRange(in, from * s.c() * s.h() * s.w(), to * s.c() * s.h() * s.w()), part);
                        start.countDown();
                        start.await();
                        for (int e = 0; e < dW.length; e++) {
                            float old = dW[e];
                            Thread.yield();
                            dW[e] = old + partial[e];
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        failure[0] = e;
                    }
                });
            }
            for (Thread thread : threads) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure[0] != null) throw failure[0];
        }
    }

    static final class TransposedIgnoresOutputPadding extends Mutant {
        @Override public String target() { return "conv-transpose2d forward"; }
        @Override public String id() { return "transposed-ignores-output-padding"; }
        @Override public String bug() { return "conv-transpose2d forward computes the output without output padding and leaves the extra rows and columns zero"; }
        @Override public void convTranspose2dForward(float[] out, float[] in, float[] w, ConvTransposeShape s) {
            Arguments.convTranspose2d("out", out, "in", in, "w", w, s);
            ConvTransposeShape unpadded = s.withOutputPadding(0);
            float[] small = new float[unpadded.outputSize()];
            delegate.convTranspose2dForward(small, in, w, unpadded);
            Arrays.fill(out, 0);
            for (int n = 0; n < s.n(); n++) for (int c = 0; c < s.oc(); c++) for (int y = 0; y < unpadded.oh(); y++) {
                System.arraycopy(small, unpadded.output().index(n, c, y, 0), out, s.output().index(n, c, y, 0), unpadded.ow());
            }
        }
    }

    static final class FullyConnectedBackwardUntransposed extends Mutant {
        @Override public String target() { return "fully-connected backward-input"; }
        @Override public String id() { return "fully-connected-backward-untransposed"; }
        @Override public String bug() { return "fully-connected backward-input reads w as if it were stored [in][out]"; }
        @Override public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            Arguments.fullyConnected("dOut", dOut, "dIn", dIn, "w", w, s);
            for (int n = 0; n < s.n(); n++) for (int i = 0; i < s.in(); i++) {
                float sum = 0;
                for (int o = 0; o < s.out(); o++) sum += dOut[n * s.out() + o] * w[i * s.out() + o];
                dIn[n * s.in() + i] = sum;
            }
        }
    }

    static final class BiasGradientOfFirstSampleOnly extends Mutant {
        @Override public String target() { return "bias backward"; }
        @Override public String id() { return "bias-gradient-of-first-sample-only"; }
        @Override public String bug() { return "bias backward sums the first sample of the batch only"; }
        @Override public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            Arguments.bias("dOut", dOut, "dB", dB, s);
            delegate.biasBackward(dB, Arrays.copyOf(dOut, s.features()), new TensorShape(1, s.c(), s.h(), s.w()));
        }
    }

    static final class WeightDecayAfterTheStep extends Mutant {
        @Override public String target() { return "sgd update"; }
        @Override public String id() { return "weight-decay-after-the-step"; }
        @Override public String bug() { return "SGD decays the weights after the momentum step instead of adding the decay to the gradient"; }
        @Override public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
            delegate.sgdUpdate(w, v, dW, eta, momentum, 0);
            for (int e = 0; e < w.length; e++) w[e] *= 1 - eta * weightDecay;
        }
    }

    static final class ConcatOffsetsOfEqualParts extends Mutant {
        @Override public String target() { return "concat forward"; }
        @Override public String id() { return "concat-offsets-of-equal-parts"; }
        @Override public String bug() { return "concatenation puts part p at channel p * C_0, as if every part had the first one's channels"; }
        @Override public void concatForward(float[] out, float[][] parts, ConcatShape s) {
            Arguments.concat("out", out, "parts", parts, s);
            Arrays.fill(out, 0);
            int plane = s.h() * s.w();
            for (int n = 0; n < s.n(); n++) {
                for (int p = 0; p < s.parts(); p++) {
                    int run = Math.min(s.channels(p), s.c() - Math.min(s.c(), p * s.channels(0))) * plane;
                    System.arraycopy(parts[p], n * s.channels(p) * plane, out, (n * s.c() + Math.min(s.c(), p * s.channels(0))) * plane, run);
                }
            }
        }
    }

    static final class RnnIgnoresInitialState extends Mutant {
        @Override public String target() { return "rnn forward"; }
        @Override public String id() { return "rnn-ignores-initial-state"; }
        @Override public String bug() { return "the RNN starts every sequence from h = 0 instead of h0"; }
        @Override public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
            Arguments.rnnForward(h, x, h0, w, s);
            delegate.rnnForward(h, x, new float[h0.length], w, s);
        }
    }

    static final class LstmGatesInKerasOrder extends Mutant {
        @Override public String target() { return "lstm forward"; }
        @Override public String id() { return "lstm-gates-in-keras-order"; }
        @Override public String bug() { return "the LSTM reads its weight blocks as i, f, o, g (Keras) instead of i, f, g, o (PyTorch, cuDNN)"; }
        @Override public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
            Arguments.lstmForward(h, c, gates, x, h0, c0, w, s);
            delegate.lstmForward(h, c, gates, x, h0, c0, swapLastTwoBlocks(w, s), s);
        }

        /** {@code w} with the rows of gate blocks 2 and 3 exchanged in Wx, Wh and b. */
        private static float[] swapLastTwoBlocks(float[] w, RecurrentShape s) {
            float[] swapped = w.clone();
            int hidden = s.hidden();
            int[][] matrices = {{0, s.in()}, {s.recurrentOffset(), hidden}, {s.biasOffset(), 1}};
            for (int[] m : matrices) {
                int block = hidden * m[1];
                System.arraycopy(w, m[0] + 2 * block, swapped, m[0] + 3 * block, block);
                System.arraycopy(w, m[0] + 3 * block, swapped, m[0] + 2 * block, block);
            }
            return swapped;
        }
    }

    static final class LstmCellStateOneStepEarly extends Mutant {
        @Override public String target() { return "lstm backward"; }
        @Override public String id() { return "lstm-cell-state-one-step-early"; }
        @Override public String bug() { return "LSTM back-propagation reads step t's cell state where step t - 1's is (an off-by-one in time)"; }
        @Override public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                                           float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
            Arguments.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
            // c shifted back by a step: c0, c_0, ..., c_{T-2}
            float[] early = new float[c.length];
            System.arraycopy(c0, 0, early, 0, s.stateSize());
            System.arraycopy(c, 0, early, s.stateSize(), c.length - s.stateSize());
            delegate.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, early, gates, w, s);
        }
    }

    // ---------------------------------------------------------------- residency: the reference on a simulated device, with one bug in how arrays move

    /** An identity set of arrays: arrays keep {@code Object}'s {@code equals}. */
    private static Set<float[]> arrays() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    static final class ForgetsToDownloadAnOutput extends Mutant {
        ForgetsToDownloadAnOutput() { super(new SimulatedDevice(new ReferenceKernels())); }
        @Override public String target() { return "conv2d forward"; }
        @Override public String id() { return "forgets-to-download-an-output"; }
        @Override public String bug() { return "a device backend whose download leaves out the last array it is given, so an output stays on the device"; }
        @Override public void download(float[]... arrays) { delegate.download(Arrays.copyOf(arrays, Math.max(0, arrays.length - 1))); }
    }

    static final class StaleDeviceCopy extends Mutant {
        private final Set<float[]> uploaded = arrays();
        StaleDeviceCopy() { super(new SimulatedDevice(new ReferenceKernels())); }
        @Override public String target() { return "fully-connected forward"; }
        @Override public String id() { return "stale-device-copy"; }
        @Override public String bug() { return "a device backend that uploads an array only the first time, so after the host rewrites it operations read the old device copy"; }
        @Override public void upload(float[]... arrays) { delegate.upload(Arrays.stream(arrays).filter(uploaded::add).toArray(float[][]::new)); }
    }

    static final class NoDownloadAfterSgdUpdate extends Mutant {
        private final Set<float[]> updated = arrays();
        NoDownloadAfterSgdUpdate() { super(new SimulatedDevice(new ReferenceKernels())); }
        @Override public String target() { return "sgd update"; }
        @Override public String id() { return "no-download-after-sgd-update"; }
        @Override public String bug() { return "a device backend whose sgdUpdate does not mark w and v as changed, so downloading them brings nothing back"; }
        @Override public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
            delegate.sgdUpdate(w, v, dW, eta, momentum, weightDecay);
            updated.add(w);
            updated.add(v);
        }
        @Override public void download(float[]... arrays) { delegate.download(Arrays.stream(arrays).filter(a -> !updated.contains(a)).toArray(float[][]::new)); }
    }
}
