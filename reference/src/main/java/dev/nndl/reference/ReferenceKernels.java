package dev.nndl.reference;

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
import dev.nndl.spi.DropoutRng;
import dev.nndl.spi.Families;
import dev.nndl.spi.KernelSet;
import dev.nndl.spi.Normalisation;
import dev.nndl.spi.Pooling;
import dev.nndl.spi.Recurrent;
import dev.nndl.spi.Regularisation;
import dev.nndl.spi.Update;

/**
 * The oracle: every {@link KernelSet} operation written as its formula. One thread, no SIMD,
 * every sum accumulated in {@code double} and rounded to {@code float} once, so each output is
 * within a few units in the last place of the exact result. Index arithmetic is taken straight
 * from the formula in the method's opening comment; backward passes quote the forward line they
 * differentiate. The Javadoc of each operation (formula, overwrite or accumulate, reads and
 * writes, FLOPs) is on its family's interface ({@link Convolution}, {@link Pooling}, ...), one
 * nested class here each; {@link KernelSet} has checked the arguments.
 *
 * <p>Scatter-shaped backward passes (pooling) add into a {@code double[]} scratch array first, so
 * that overlapping windows are also summed in double.
 */
public final class ReferenceKernels implements KernelSet {

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public String device() {
        return "Java " + Runtime.version().feature() + " (" + System.getProperty("os.arch") + "), 1 thread, double accumulation";
    }

    private static final Families FAMILIES = new Families(new ConvolutionKernels(), new PoolingKernels(), new DenseKernels(),
            new ActivationKernels(), new CostKernels(), new RegularisationKernels(), new NormalisationKernels(), new CompositionKernels(),
            new RecurrentKernels(), new UpdateKernels());

    @Override
    public Families families() {
        return FAMILIES;
    }

    /** Rounds a double accumulator into the float output, overwriting it. */
    private static void round(double[] acc, float[] out) {
        for (int e = 0; e < out.length; e++) {
            out[e] = (float) acc[e];
        }
    }

    static final class ConvolutionKernels implements Convolution {

        @Override
        public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            // in (N, C, H, W), w (OC, C/G, KH, KW), out (N, OC, OH, OW); filter o belongs to group g = o / (OC/G)
            // out[n,o,y,x] = sum_{c < C/G, i, j} in[n, g*C/G + c, y*SH - PH + i*DH, x*SW - PW + j*DW] * w[o,c,i,j]
            TensorShape inS = s.input(), outS = s.output(), wS = new TensorShape(s.oc(), s.cPerGroup(), s.kh(), s.kw());
            for (int n = 0; n < s.n(); n++) {
                for (int o = 0; o < s.oc(); o++) {
                    int g = o / s.ocPerGroup();
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            double sum = 0;
                            for (int c = 0; c < s.cPerGroup(); c++) {
                                for (int i = 0; i < s.kh(); i++) {
                                    int ih = y * s.sh() - s.ph() + i * s.dh();
                                    if (ih < 0 || ih >= s.h()) continue;
                                    for (int j = 0; j < s.kw(); j++) {
                                        int iw = x * s.sw() - s.pw() + j * s.dw();
                                        if (iw < 0 || iw >= s.w()) continue;
                                        sum += (double) in[inS.index(n, g * s.cPerGroup() + c, ih, iw)] * w[wS.index(o, c, i, j)];
                                    }
                                }
                            }
                            out[outS.index(n, o, y, x)] = (float) sum;
                        }
                    }
                }
            }
        }

        @Override
        public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
            // forward: out[n,o,y,x] += in[n, c, y*SH - PH + i*DH, x*SW - PW + j*DW] * w[o,c',i,j]
            // so input row ih receives from output row y = (ih + PH - i*DH) / SH whenever that division is exact:
            // dIn[n,c,ih,iw] = sum_{o in group(c), i, j} dOut[n, o, (ih + PH - i*DH)/SH, (iw + PW - j*DW)/SW] * w[o,c',i,j]
            // (for unit stride this is the seed's full correlation of dOut with the flipped kernel)
            TensorShape inS = s.input(), outS = s.output(), wS = new TensorShape(s.oc(), s.cPerGroup(), s.kh(), s.kw());
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    int g = c / s.cPerGroup(), cInGroup = c % s.cPerGroup();
                    for (int ih = 0; ih < s.h(); ih++) {
                        for (int iw = 0; iw < s.w(); iw++) {
                            double sum = 0;
                            for (int o = g * s.ocPerGroup(); o < (g + 1) * s.ocPerGroup(); o++) {
                                for (int i = 0; i < s.kh(); i++) {
                                    int yStrided = ih + s.ph() - i * s.dh();
                                    if (yStrided < 0 || yStrided % s.sh() != 0) continue;
                                    int y = yStrided / s.sh();
                                    if (y >= outS.h()) continue;
                                    for (int j = 0; j < s.kw(); j++) {
                                        int xStrided = iw + s.pw() - j * s.dw();
                                        if (xStrided < 0 || xStrided % s.sw() != 0) continue;
                                        int x = xStrided / s.sw();
                                        if (x >= outS.w()) continue;
                                        sum += (double) dOut[outS.index(n, o, y, x)] * w[wS.index(o, cInGroup, i, j)];
                                    }
                                }
                            }
                            dIn[inS.index(n, c, ih, iw)] = (float) sum;
                        }
                    }
                }
            }
        }

        @Override
        public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            // forward: out[n,o,y,x] += in[n, g*C/G + c, y*SH - PH + i*DH, x*SW - PW + j*DW] * w[o,c,i,j]
            // dW[o,c,i,j] += sum_{n,y,x} dOut[n,o,y,x] * in[n, g*C/G + c, y*SH - PH + i*DH, x*SW - PW + j*DW]
            TensorShape inS = s.input(), outS = s.output(), wS = new TensorShape(s.oc(), s.cPerGroup(), s.kh(), s.kw());
            for (int o = 0; o < s.oc(); o++) {
                int g = o / s.ocPerGroup();
                for (int c = 0; c < s.cPerGroup(); c++) {
                    for (int i = 0; i < s.kh(); i++) {
                        for (int j = 0; j < s.kw(); j++) {
                            double sum = 0;
                            for (int n = 0; n < s.n(); n++) {
                                for (int y = 0; y < outS.h(); y++) {
                                    int ih = y * s.sh() - s.ph() + i * s.dh();
                                    if (ih < 0 || ih >= s.h()) continue;
                                    for (int x = 0; x < outS.w(); x++) {
                                        int iw = x * s.sw() - s.pw() + j * s.dw();
                                        if (iw < 0 || iw >= s.w()) continue;
                                        sum += (double) dOut[outS.index(n, o, y, x)] * in[inS.index(n, g * s.cPerGroup() + c, ih, iw)];
                                    }
                                }
                            }
                            int e = wS.index(o, c, i, j);
                            dW[e] = (float) (dW[e] + sum);
                        }
                    }
                }
            }
        }
    }

    static final class PoolingKernels implements Pooling {

        @Override
        public void maxPool2dForward(float[] out, float[] in, PoolShape s) {
            // out[n,c,y,x] = max_{i,j} in[n, c, y*SH - PH + i, x*SW - PW + j], padding excluded
            TensorShape inS = s.input(), outS = s.output();
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            float max = Float.NEGATIVE_INFINITY;
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = y * s.sh() - s.ph() + i;
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = x * s.sw() - s.pw() + j;
                                    if (iw < 0 || iw >= s.w()) continue;
                                    max = Math.max(max, in[inS.index(n, c, ih, iw)]);
                                }
                            }
                            out[outS.index(n, c, y, x)] = max;
                        }
                    }
                }
            }
        }

        @Override
        public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
            // forward: out[n,c,y,x] = max over the window; d max / d in[e] = 1 for the window's first maximum e, else 0
            // dIn[e] = sum over windows whose first maximum is e of dOut[n,c,y,x]
            TensorShape inS = s.input(), outS = s.output();
            double[] acc = new double[dIn.length];
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            int argmax = -1;
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = y * s.sh() - s.ph() + i;
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = x * s.sw() - s.pw() + j;
                                    if (iw < 0 || iw >= s.w()) continue;
                                    int e = inS.index(n, c, ih, iw);
                                    if (argmax < 0 || in[e] > in[argmax]) argmax = e;
                                }
                            }
                            acc[argmax] += dOut[outS.index(n, c, y, x)];
                        }
                    }
                }
            }
            round(acc, dIn);
        }

        @Override
        public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
            // out[n,c,y,x] = (1 / count) * sum_{i,j} in[n, c, y*SH - PH + i, x*SW - PW + j], count = KH*KW with the padding
            // counted as zeros, or the window's elements inside the input when the shape excludes padding
            TensorShape inS = s.input(), outS = s.output();
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            double window = s.averagedElements(y, x), sum = 0;
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = y * s.sh() - s.ph() + i;
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = x * s.sw() - s.pw() + j;
                                    if (iw < 0 || iw >= s.w()) continue;
                                    sum += in[inS.index(n, c, ih, iw)];
                                }
                            }
                            out[outS.index(n, c, y, x)] = (float) (sum / window);
                        }
                    }
                }
            }
        }

        @Override
        public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
            // forward: out[n,c,y,x] = (1 / count) * sum over the window of in[...]
            // dIn[e] = sum over windows containing e of dOut[n,c,y,x] / count
            TensorShape inS = s.input(), outS = s.output();
            double[] acc = new double[dIn.length];
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            double share = dOut[outS.index(n, c, y, x)] / s.averagedElements(y, x);
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = y * s.sh() - s.ph() + i;
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = x * s.sw() - s.pw() + j;
                                    if (iw < 0 || iw >= s.w()) continue;
                                    acc[inS.index(n, c, ih, iw)] += share;
                                }
                            }
                        }
                    }
                }
            }
            round(acc, dIn);
        }

        @Override
        public void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
            // out[n,c,y,x] = (sum_{i,j} |in[n, c, y*SH - PH + i, x*SW - PW + j]|^p)^(1/p)
            TensorShape inS = s.input(), outS = s.output();
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            double sum = 0;
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = y * s.sh() - s.ph() + i;
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = x * s.sw() - s.pw() + j;
                                    if (iw < 0 || iw >= s.w()) continue;
                                    sum += Math.pow(Math.abs(in[inS.index(n, c, ih, iw)]), p);
                                }
                            }
                            out[outS.index(n, c, y, x)] = (float) Math.pow(sum, 1.0 / p);
                        }
                    }
                }
            }
        }

        @Override
        public void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
            // forward: out = (sum |x_e|^p)^(1/p) over the window
            // d out / d x_e = (sum |x|^p)^(1/p - 1) * |x_e|^(p-1) * sign(x_e) = (|x_e| / out)^(p-1) * sign(x_e)
            // dIn[e] = sum over windows containing e of dOut * (|x_e| / out)^(p-1) * sign(x_e); 0 where out = 0
            TensorShape inS = s.input(), outS = s.output();
            double[] acc = new double[dIn.length];
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int y = 0; y < outS.h(); y++) {
                        for (int x = 0; x < outS.w(); x++) {
                            double norm = out[outS.index(n, c, y, x)];
                            if (norm == 0) continue;
                            double g = dOut[outS.index(n, c, y, x)];
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = y * s.sh() - s.ph() + i;
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = x * s.sw() - s.pw() + j;
                                    if (iw < 0 || iw >= s.w()) continue;
                                    int e = inS.index(n, c, ih, iw);
                                    acc[e] += g * Math.pow(Math.abs(in[e]) / norm, p - 1) * Math.signum(in[e]);
                                }
                            }
                        }
                    }
                }
            }
            round(acc, dIn);
        }
    }

    static final class DenseKernels implements Dense {

        @Override
        public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
            // in (N, IN), w (OUT, IN), out (N, OUT)
            // out[n,o] = sum_i w[o,i] * in[n,i]
            for (int n = 0; n < s.n(); n++) {
                for (int o = 0; o < s.out(); o++) {
                    double sum = 0;
                    for (int i = 0; i < s.in(); i++) {
                        sum += (double) w[o * s.in() + i] * in[n * s.in() + i];
                    }
                    out[n * s.out() + o] = (float) sum;
                }
            }
        }

        @Override
        public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            // forward: out[n,o] = sum_i w[o,i] * in[n,i]
            // dIn[n,i] = sum_o dOut[n,o] * w[o,i]
            for (int n = 0; n < s.n(); n++) {
                for (int i = 0; i < s.in(); i++) {
                    double sum = 0;
                    for (int o = 0; o < s.out(); o++) {
                        sum += (double) dOut[n * s.out() + o] * w[o * s.in() + i];
                    }
                    dIn[n * s.in() + i] = (float) sum;
                }
            }
        }

        @Override
        public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
            // forward: out[n,o] = sum_i w[o,i] * in[n,i]
            // dW[o,i] += sum_n dOut[n,o] * in[n,i]
            for (int o = 0; o < s.out(); o++) {
                for (int i = 0; i < s.in(); i++) {
                    double sum = 0;
                    for (int n = 0; n < s.n(); n++) {
                        sum += (double) dOut[n * s.out() + o] * in[n * s.in() + i];
                    }
                    dW[o * s.in() + i] = (float) (dW[o * s.in() + i] + sum);
                }
            }
        }

        @Override
        public void biasForward(float[] out, float[] b, TensorShape s) {
            // out[n,c,y,x] += b[c]
            for (int n = 0; n < s.n(); n++) {
                for (int c = 0; c < s.c(); c++) {
                    for (int e = s.index(n, c, 0, 0); e < s.index(n, c, 0, 0) + s.plane(); e++) {
                        out[e] += b[c];
                    }
                }
            }
        }

        @Override
        public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            // forward: out[n,c,y,x] += b[c]
            // dB[c] += sum_{n,y,x} dOut[n,c,y,x]
            for (int c = 0; c < s.c(); c++) {
                double sum = 0;
                for (int n = 0; n < s.n(); n++) {
                    for (int e = s.index(n, c, 0, 0); e < s.index(n, c, 0, 0) + s.plane(); e++) {
                        sum += dOut[e];
                    }
                }
                dB[c] = (float) (dB[c] + sum);
            }
        }
    }

    static final class ActivationKernels implements Activations {

        @Override
        public void sigmoidForward(float[] out, float[] in) {
            // out = 1 / (1 + exp(-in))
            for (int e = 0; e < in.length; e++) {
                out[e] = (float) (1 / (1 + Math.exp(-in[e])));
            }
        }

        @Override
        public void sigmoidBackward(float[] dIn, float[] dOut, float[] out) {
            // forward: out = sigma(in); sigma' = sigma (1 - sigma)
            // dIn = dOut * out * (1 - out)
            for (int e = 0; e < out.length; e++) {
                dIn[e] = (float) ((double) dOut[e] * out[e] * (1 - (double) out[e]));
            }
        }

        @Override
        public void tanhForward(float[] out, float[] in) {
            // out = tanh(in)
            for (int e = 0; e < in.length; e++) {
                out[e] = (float) Math.tanh(in[e]);
            }
        }

        @Override
        public void tanhBackward(float[] dIn, float[] dOut, float[] out) {
            // forward: out = tanh(in); tanh' = 1 - tanh^2
            // dIn = dOut * (1 - out^2)
            for (int e = 0; e < out.length; e++) {
                dIn[e] = (float) (dOut[e] * (1 - (double) out[e] * out[e]));
            }
        }

        @Override
        public void reluForward(float[] out, float[] in) {
            // out = max(0, in)
            for (int e = 0; e < in.length; e++) {
                out[e] = Math.max(0f, in[e]);
            }
        }

        @Override
        public void reluBackward(float[] dIn, float[] dOut, float[] out) {
            // forward: out = max(0, in), which is positive exactly where in is
            // dIn = out > 0 ? dOut : 0
            for (int e = 0; e < out.length; e++) {
                dIn[e] = out[e] > 0 ? dOut[e] : 0f;
            }
        }
    }

    static final class CostKernels implements Costs {

        @Override
        public void softmaxForward(float[] out, float[] in, TensorShape s) {
            // out[n,j] = exp(in[n,j] - m) / sum_k exp(in[n,k] - m), m = max_k in[n,k]
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                float m = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < f; j++) m = Math.max(m, in[n * f + j]);
                double sum = 0;
                for (int j = 0; j < f; j++) sum += Math.exp((double) in[n * f + j] - m);
                for (int j = 0; j < f; j++) out[n * f + j] = (float) (Math.exp((double) in[n * f + j] - m) / sum);
            }
        }

        @Override
        public void softmaxBackward(float[] dIn, float[] dOut, float[] out, TensorShape s) {
            // forward: out_j = exp(in_j) / sum_k exp(in_k); d out_k / d in_j = out_k (delta_kj - out_j)
            // dIn[n,j] = out[n,j] * (dOut[n,j] - sum_k dOut[n,k] * out[n,k])
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                double dot = 0;
                for (int k = 0; k < f; k++) dot += (double) dOut[n * f + k] * out[n * f + k];
                for (int j = 0; j < f; j++) dIn[n * f + j] = (float) (out[n * f + j] * (dOut[n * f + j] - dot));
            }
        }

        @Override
        public void logLikelihoodForward(float[] loss, float[] a, float[] y, TensorShape s) {
            // loss[n] = -sum_j y[n,j] ln a[n,j], terms with y = 0 left out; for one-hot y it is -ln a[n, label]
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                double sum = 0;
                for (int j = 0; j < f; j++) {
                    if (y[n * f + j] != 0) sum -= y[n * f + j] * Math.log(a[n * f + j]);
                }
                loss[n] = (float) sum;
            }
        }

        @Override
        public void softmaxLogLikelihoodForward(float[] loss, float[] z, float[] y, TensorShape s) {
            // ln softmax(z)_j = z_j - m - ln sum_k exp(z_k - m), m = max_k z_k: every exponent is <= 0, the sum is >= 1
            // loss[n] = sum_j y[n,j] * ((m - z[n,j]) + ln sum_k exp(z[n,k] - m))
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                double m = Double.NEGATIVE_INFINITY, sum = 0, cost = 0;
                for (int j = 0; j < f; j++) m = Math.max(m, z[n * f + j]);
                for (int k = 0; k < f; k++) sum += Math.exp(z[n * f + k] - m);
                double logSum = Math.log(sum);
                for (int j = 0; j < f; j++) {
                    if (y[n * f + j] != 0) cost += y[n * f + j] * ((m - z[n * f + j]) + logSum);
                }
                loss[n] = (float) cost;
            }
        }

        @Override
        public void softmaxLogLikelihoodBackward(float[] dIn, float[] a, float[] y, TensorShape s) {
            // forward: C = (1/N) sum_n -sum_j y[n,j] ln softmax(in)[n,j]; with sum_j y[n,j] = 1, dC/d in[n,j] = (a - y) / N
            // dIn[n,j] = (a[n,j] - y[n,j]) / N
            for (int e = 0; e < dIn.length; e++) {
                dIn[e] = (float) (((double) a[e] - y[e]) / s.n());
            }
        }

        @Override
        public void quadraticCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            // loss[n] = 0.5 * sum_j (a[n,j] - y[n,j])^2
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                double sum = 0;
                for (int j = 0; j < f; j++) {
                    double d = (double) a[n * f + j] - y[n * f + j];
                    sum += d * d;
                }
                loss[n] = (float) (0.5 * sum);
            }
        }

        @Override
        public void quadraticCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            // forward: C = (1/N) sum_n 0.5 * sum_j (a - y)^2
            // dA = (a - y) / N
            for (int e = 0; e < dA.length; e++) {
                dA[e] = (float) (((double) a[e] - y[e]) / s.n());
            }
        }

        @Override
        public void crossEntropyCostForward(float[] loss, float[] a, float[] y, TensorShape s) {
            // loss[n] = -sum_j [y ln a + (1 - y) ln(1 - a)], a term with weight 0 left out
            int f = s.features();
            for (int n = 0; n < s.n(); n++) {
                double sum = 0;
                for (int j = 0; j < f; j++) {
                    double yj = y[n * f + j], aj = a[n * f + j];
                    if (yj != 0) sum -= yj * Math.log(aj);
                    if (yj != 1) sum -= (1 - yj) * Math.log(1 - aj);
                }
                loss[n] = (float) sum;
            }
        }

        @Override
        public void crossEntropyCostBackward(float[] dA, float[] a, float[] y, TensorShape s) {
            // forward: C = (1/N) sum_n -sum_j [y ln a + (1 - y) ln(1 - a)]
            // dA = (-y/a + (1 - y)/(1 - a)) / N = (a - y) / (a (1 - a)) / N
            for (int e = 0; e < dA.length; e++) {
                double ae = a[e];
                dA[e] = (float) ((ae - y[e]) / (ae * (1 - ae)) / s.n());
            }
        }
    }

    static final class RegularisationKernels implements Regularisation {

        @Override
        public void dropoutForward(float[] out, float[] mask, float[] in, float p, long seed) {
            // mask[e] = uniform(seed, e) >= p ? 1 : 0;  out[e] = in[e] * mask[e]
            for (int e = 0; e < in.length; e++) {
                mask[e] = DropoutRng.keep(seed, e, p) ? 1f : 0f;
                out[e] = in[e] * mask[e];
            }
        }

        @Override
        public void dropoutBackward(float[] dIn, float[] dOut, float[] mask) {
            // forward: out = in * mask
            // dIn = dOut * mask
            for (int e = 0; e < mask.length; e++) {
                dIn[e] = dOut[e] * mask[e];
            }
        }

        @Override
        public void l2Forward(float[] sum, float[] w) {
            if (w == null) throw new IllegalArgumentException("w is null");
            // sum[0] = sum_e w[e]^2
            double total = 0;
            for (float we : w) total += (double) we * we;
            sum[0] = (float) total;
        }

        @Override
        public void l2Backward(float[] dW, float[] w, float lambda) {
            // forward: 0.5 * lambda * sum_e w[e]^2
            // dW[e] += lambda * w[e]
            for (int e = 0; e < w.length; e++) {
                dW[e] = (float) (dW[e] + (double) lambda * w[e]);
            }
        }
    }

    static final class NormalisationKernels implements Normalisation {

        @Override
        public void lrnForward(float[] out, float[] in, LrnShape s) {
            // q[n,c,y,x] = k + alpha * sum_{j = max(0, c - size/2)}^{min(C-1, c + size/2)} in[n,j,y,x]^2
            // out[n,c,y,x] = in[n,c,y,x] / q^beta
            TensorShape t = s.tensor();
            for (int n = 0; n < s.n(); n++) {
                for (int y = 0; y < s.h(); y++) {
                    for (int x = 0; x < s.w(); x++) {
                        double[] q = lrnScale(in, s, n, y, x);
                        for (int c = 0; c < s.c(); c++) {
                            out[t.index(n, c, y, x)] = (float) (in[t.index(n, c, y, x)] / Math.pow(q[c], s.beta()));
                        }
                    }
                }
            }
        }

        @Override
        public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
            // forward: out[j] = in[j] * q[j]^-beta, q[j] = k + alpha * sum_{c in W(j)} in[c]^2
            // d out[j] / d in[c] = [j == c] q[j]^-beta - 2 alpha beta in[j] in[c] q[j]^(-beta-1) [c in W(j)]
            // dIn[c] = dOut[c] q[c]^-beta - 2 alpha beta in[c] sum_{j in W(c)} dOut[j] in[j] q[j]^(-beta-1)
            TensorShape t = s.tensor();
            int half = s.size() / 2;
            for (int n = 0; n < s.n(); n++) {
                for (int y = 0; y < s.h(); y++) {
                    for (int x = 0; x < s.w(); x++) {
                        double[] q = lrnScale(in, s, n, y, x);
                        for (int c = 0; c < s.c(); c++) {
                            double sum = 0;
                            for (int j = Math.max(0, c - half); j <= Math.min(s.c() - 1, c + half); j++) {
                                sum += dOut[t.index(n, j, y, x)] * (double) in[t.index(n, j, y, x)] * Math.pow(q[j], -s.beta() - 1);
                            }
                            double a = in[t.index(n, c, y, x)];
                            dIn[t.index(n, c, y, x)] = (float) (dOut[t.index(n, c, y, x)] * Math.pow(q[c], -s.beta())
                                    - 2 * (double) s.alpha() * s.beta() * a * sum);
                        }
                    }
                }
            }
        }

        /** {@code q[c] = k + alpha * sum_{j in W(c)} in[n,j,y,x]^2} for every channel c at (n, y, x). */
        private static double[] lrnScale(float[] in, LrnShape s, int n, int y, int x) {
            TensorShape t = s.tensor();
            int half = s.size() / 2;
            double[] q = new double[s.c()];
            for (int c = 0; c < s.c(); c++) {
                double sum = 0;
                for (int j = Math.max(0, c - half); j <= Math.min(s.c() - 1, c + half); j++) {
                    double a = in[t.index(n, j, y, x)];
                    sum += a * a;
                }
                q[c] = s.k() + (double) s.alpha() * sum;
            }
            return q;
        }
    }

    static final class CompositionKernels implements Composition {

        @Override
        public void concatForward(float[] out, float[][] parts, ConcatShape s) {
            // out[n, offset(p) + c, y, x] = parts[p][n, c, y, x]
            TensorShape outS = s.output();
            for (int p = 0; p < s.parts(); p++) {
                TensorShape partS = s.part(p);
                for (int n = 0; n < s.n(); n++) {
                    for (int c = 0; c < s.channels(p); c++) {
                        for (int y = 0; y < s.h(); y++) {
                            for (int x = 0; x < s.w(); x++) {
                                out[outS.index(n, s.offset(p) + c, y, x)] = parts[p][partS.index(n, c, y, x)];
                            }
                        }
                    }
                }
            }
        }

        @Override
        public void concatBackward(float[][] dParts, float[] dOut, ConcatShape s) {
            // forward: out[n, offset(p) + c, y, x] = parts[p][n, c, y, x]
            // dParts[p][n, c, y, x] = dOut[n, offset(p) + c, y, x]
            TensorShape outS = s.output();
            for (int p = 0; p < s.parts(); p++) {
                TensorShape partS = s.part(p);
                for (int n = 0; n < s.n(); n++) {
                    for (int c = 0; c < s.channels(p); c++) {
                        for (int y = 0; y < s.h(); y++) {
                            for (int x = 0; x < s.w(); x++) {
                                dParts[p][partS.index(n, c, y, x)] = dOut[outS.index(n, s.offset(p) + c, y, x)];
                            }
                        }
                    }
                }
            }
        }

        @Override
        public void addForward(float[] out, float[] a, float[] b) {
            // out = a + b
            for (int e = 0; e < out.length; e++) {
                out[e] = a[e] + b[e];
            }
        }
    }

    static final class RecurrentKernels implements Recurrent {

        //
        // Within a step everything is in double and rounded once into the outputs; the states that
        // cross steps (h, c) are the stored floats, as every backend keeps them. Backward passes carry
        // the gradients that flow from step to step in double.

        @Override
        public void rnnForward(float[] h, float[] x, float[] h0, float[] w, RecurrentShape s) {
            // h_t = tanh(Wx x_t + Wh h_{t-1} + b),  h_{-1} = h0
            int hidden = s.hidden();
            for (int t = 0; t < s.steps(); t++) {
                for (int n = 0; n < s.n(); n++) {
                    double[] z = preActivation(x, t == 0 ? h0 : h, t == 0 ? n : (t - 1) * s.n() + n, w, s, t * s.n() + n);
                    for (int j = 0; j < hidden; j++) h[(t * s.n() + n) * hidden + j] = (float) Math.tanh(z[j]);
                }
            }
        }

        @Override
        public void rnnBackward(float[] dX, float[] dH0, float[] dW, float[] dH, float[] x, float[] h0, float[] h, float[] w, RecurrentShape s) {
            // forward: h_t = tanh(z_t), z_t = Wx x_t + Wh h_{t-1} + b
            // g_t = dH_t + Wh^T dz_{t+1};  dz_t = g_t * (1 - h_t^2)
            // dX_t = Wx^T dz_t;  dH0 = Wh^T dz_0;  dW += sum_t dz_t [x_t, h_{t-1}, 1]^T
            int hidden = s.hidden(), batch = s.n();
            double[] acc = new double[s.weightSize()];
            double[][] dzNext = new double[batch][hidden];
            for (int t = s.steps() - 1; t >= 0; t--) {
                double[][] dz = new double[batch][hidden];
                for (int n = 0; n < batch; n++) {
                    int row = t * batch + n;
                    double[] fromLater = transposedTimes(w, s.recurrentOffset(), hidden, hidden, dzNext[n]);
                    for (int j = 0; j < hidden; j++) {
                        double hj = h[row * hidden + j];
                        dz[n][j] = (dH[row * hidden + j] + fromLater[j]) * (1 - hj * hj);
                    }
                    backwardStep(dX, acc, dz[n], x, t == 0 ? h0 : h, t == 0 ? n : (t - 1) * batch + n, w, s, row);
                }
                dzNext = dz;
            }
            for (int n = 0; n < batch; n++) {
                double[] d = transposedTimes(w, s.recurrentOffset(), hidden, hidden, dzNext[n]);
                for (int j = 0; j < hidden; j++) dH0[n * hidden + j] = (float) d[j];
            }
            for (int e = 0; e < dW.length; e++) dW[e] = (float) (dW[e] + acc[e]);
        }

        @Override
        public void lstmForward(float[] h, float[] c, float[] gates, float[] x, float[] h0, float[] c0, float[] w, RecurrentShape s) {
            // z_t = Wx x_t + Wh h_{t-1} + b;  i, f, o = sigmoid(z_i, z_f, z_o);  g = tanh(z_g)
            // c_t = f c_{t-1} + i g;  h_t = o tanh(c_t)
            int hidden = s.hidden(), rows = s.gateRows();
            for (int t = 0; t < s.steps(); t++) {
                for (int n = 0; n < s.n(); n++) {
                    int row = t * s.n() + n, prev = t == 0 ? n : (t - 1) * s.n() + n;
                    float[] cPrev = t == 0 ? c0 : c;
                    double[] z = preActivation(x, t == 0 ? h0 : h, prev, w, s, row);
                    for (int j = 0; j < hidden; j++) {
                        double i = sigmoid(z[j]), f = sigmoid(z[hidden + j]), g = Math.tanh(z[2 * hidden + j]), o = sigmoid(z[3 * hidden + j]);
                        double ct = f * cPrev[prev * hidden + j] + i * g;
                        c[row * hidden + j] = (float) ct;
                        h[row * hidden + j] = (float) (o * Math.tanh(ct));
                        gates[row * rows + j] = (float) i;
                        gates[row * rows + hidden + j] = (float) f;
                        gates[row * rows + 2 * hidden + j] = (float) g;
                        gates[row * rows + 3 * hidden + j] = (float) o;
                    }
                }
            }
        }

        @Override
        public void lstmBackward(float[] dX, float[] dH0, float[] dC0, float[] dW, float[] dH, float[] x, float[] h0, float[] c0,
                                 float[] h, float[] c, float[] gates, float[] w, RecurrentShape s) {
            // forward: c_t = f c_{t-1} + i g;  h_t = o tanh(c_t);  i, f, g, o of z_t = Wx x_t + Wh h_{t-1} + b
            // gh = dH_t + dh;  gc = dc + gh o (1 - tanh(c_t)^2)
            // dz_i = gc g i(1-i);  dz_f = gc c_{t-1} f(1-f);  dz_g = gc i (1-g^2);  dz_o = gh tanh(c_t) o(1-o)
            // dX_t = Wx^T dz;  dh = Wh^T dz;  dc = gc f;  dW += sum_t dz_t [x_t, h_{t-1}, 1]^T
            int hidden = s.hidden(), rows = s.gateRows(), batch = s.n();
            double[] acc = new double[s.weightSize()];
            double[][] dh = new double[batch][hidden], dc = new double[batch][hidden];
            for (int t = s.steps() - 1; t >= 0; t--) {
                for (int n = 0; n < batch; n++) {
                    int row = t * batch + n, prev = t == 0 ? n : (t - 1) * batch + n;
                    float[] cPrev = t == 0 ? c0 : c;
                    double[] dz = new double[rows];
                    for (int j = 0; j < hidden; j++) {
                        double i = gates[row * rows + j], f = gates[row * rows + hidden + j];
                        double g = gates[row * rows + 2 * hidden + j], o = gates[row * rows + 3 * hidden + j];
                        double tc = Math.tanh(c[row * hidden + j]);
                        double gh = dH[row * hidden + j] + dh[n][j];
                        double gc = dc[n][j] + gh * o * (1 - tc * tc);
                        dz[j] = gc * g * i * (1 - i);
                        dz[hidden + j] = gc * cPrev[prev * hidden + j] * f * (1 - f);
                        dz[2 * hidden + j] = gc * i * (1 - g * g);
                        dz[3 * hidden + j] = gh * tc * o * (1 - o);
                        dc[n][j] = gc * f;
                    }
                    dh[n] = transposedTimes(w, s.recurrentOffset(), rows, hidden, dz);
                    backwardStep(dX, acc, dz, x, t == 0 ? h0 : h, prev, w, s, row);
                }
            }
            for (int n = 0; n < batch; n++) {
                for (int j = 0; j < hidden; j++) {
                    dH0[n * hidden + j] = (float) dh[n][j];
                    dC0[n * hidden + j] = (float) dc[n][j];
                }
            }
            for (int e = 0; e < dW.length; e++) dW[e] = (float) (dW[e] + acc[e]);
        }

        /**
         * {@code z = Wx x_t + Wh h_{t-1} + b} for one sample: {@code x} row {@code row} and state row
         * {@code prevRow} of {@code hPrev} ({@code h0}, or the sequence {@code h} one step back).
         */
        private static double[] preActivation(float[] x, float[] hPrev, int prevRow, float[] w, RecurrentShape s, int row) {
            int in = s.in(), hidden = s.hidden();
            double[] z = new double[s.gateRows()];
            for (int r = 0; r < z.length; r++) {
                double sum = w[s.biasOffset() + r];
                for (int i = 0; i < in; i++) sum += (double) w[r * in + i] * x[row * in + i];
                for (int k = 0; k < hidden; k++) sum += (double) w[s.recurrentOffset() + r * hidden + k] * hPrev[prevRow * hidden + k];
                z[r] = sum;
            }
            return z;
        }

        /** {@code M^T v} for the {@code rows x cols} matrix {@code M} at {@code offset} of {@code w}. */
        private static double[] transposedTimes(float[] w, int offset, int rows, int cols, double[] v) {
            double[] out = new double[cols];
            for (int r = 0; r < rows; r++) {
                for (int k = 0; k < cols; k++) out[k] += w[offset + r * cols + k] * v[r];
            }
            return out;
        }

        /** One sample's step of a recurrent backward pass: {@code dX_t = Wx^T dz} and {@code dW += dz [x_t, h_{t-1}, 1]^T}. */
        private static void backwardStep(float[] dX, double[] dW, double[] dz, float[] x, float[] hPrev, int prevRow, float[] w,
                                         RecurrentShape s, int row) {
            int in = s.in(), hidden = s.hidden();
            double[] dx = transposedTimes(w, 0, s.gateRows(), in, dz);
            for (int i = 0; i < in; i++) dX[row * in + i] = (float) dx[i];
            for (int r = 0; r < dz.length; r++) {
                for (int i = 0; i < in; i++) dW[r * in + i] += dz[r] * x[row * in + i];
                for (int k = 0; k < hidden; k++) dW[s.recurrentOffset() + r * hidden + k] += dz[r] * hPrev[prevRow * hidden + k];
                dW[s.biasOffset() + r] += dz[r];
            }
        }

        private static double sigmoid(double z) {
            return 1 / (1 + Math.exp(-z));
        }
    }

    static final class UpdateKernels implements Update {

        @Override
        public void sgdUpdate(float[] w, float[] v, float[] dW, float eta, float momentum, float weightDecay) {
            // v = momentum * v - eta * (dW + weightDecay * w);  w = w + v  (v untouched when momentum = 0)
            for (int e = 0; e < w.length; e++) {
                double previous = momentum == 0 ? 0 : v[e];
                float step = (float) ((double) momentum * previous - (double) eta * (dW[e] + (double) weightDecay * w[e]));
                if (momentum != 0) v[e] = step;
                w[e] = w[e] + step;
            }
        }
    }
}
