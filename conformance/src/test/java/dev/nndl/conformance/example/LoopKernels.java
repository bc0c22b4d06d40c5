package dev.nndl.conformance.example;

import dev.nndl.conformance.ForwardingKernelSet;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.Convolution;
import dev.nndl.spi.Dense;
import dev.nndl.spi.Families;

/**
 * An example backend, started the way a kernel author would start one: every family comes from
 * the reference, and families are replaced one at a time, each kept honest by the contract
 * ({@link LoopKernelsConformanceTest}). Two operations so far, each in its family with the rest of
 * that family still the reference's: they accumulate in float, in another order than the
 * reference; the contract's tolerance, derived from the number of terms, accepts that.
 */
public final class LoopKernels extends ForwardingKernelSet {

    private final Families families = delegate.families()
            .with(new LoopConvolution(delegate.families().convolution()))
            .with(new LoopDense(delegate.families().dense()));

    public LoopKernels() {
        super(new ReferenceKernels());
    }

    @Override
    public String name() {
        return "loops";
    }

    @Override
    public String device() {
        return "Java, 1 thread, float accumulation (an example backend)";
    }

    @Override
    public Families families() {
        return families;
    }

    /** The forward convolution as loops; its gradients still the reference's. */
    private record LoopConvolution(Convolution reference) implements Convolution {

        @Override
        public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
            java.util.Arrays.fill(out, 0);
            int oh = s.oh(), ow = s.ow(), cg = s.cPerGroup(), og = s.ocPerGroup();
            // channel and tap outermost, output pixels innermost: each tap adds a shifted input plane
            for (int n = 0; n < s.n(); n++) {
                for (int o = 0; o < s.oc(); o++) {
                    int g = o / og;
                    for (int c = 0; c < cg; c++) {
                        for (int i = 0; i < s.kh(); i++) {
                            for (int j = 0; j < s.kw(); j++) {
                                float weight = w[((o * cg + c) * s.kh() + i) * s.kw() + j];
                                for (int y = 0; y < oh; y++) {
                                    int ih = y * s.sh() - s.ph() + i * s.dh();
                                    if (ih < 0 || ih >= s.h()) continue;
                                    for (int x = 0; x < ow; x++) {
                                        int iw = x * s.sw() - s.pw() + j * s.dw();
                                        if (iw < 0 || iw >= s.w()) continue;
                                        out[((n * s.oc() + o) * oh + y) * ow + x] += weight * in[((n * s.c() + g * cg + c) * s.h() + ih) * s.w() + iw];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        @Override
        public void conv2dBackwardInput(float[] dIn, float[] dOut, float[] w, ConvShape s) {
            reference.conv2dBackwardInput(dIn, dOut, w, s);
        }

        @Override
        public void conv2dBackwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s) {
            reference.conv2dBackwardWeights(dW, dOut, in, s);
        }
    }

    /** The fully connected forward pass as fused multiply-adds; the rest of the family still the reference's. */
    private record LoopDense(Dense reference) implements Dense {

        @Override
        public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
            for (int n = 0; n < s.n(); n++) {
                for (int o = 0; o < s.out(); o++) {
                    float sum = 0;
                    for (int i = 0; i < s.in(); i++) sum = Math.fma(w[o * s.in() + i], in[n * s.in() + i], sum);
                    out[n * s.out() + o] = sum;
                }
            }
        }

        @Override
        public void fullyConnectedBackwardInput(float[] dIn, float[] dOut, float[] w, FcShape s) {
            reference.fullyConnectedBackwardInput(dIn, dOut, w, s);
        }

        @Override
        public void fullyConnectedBackwardWeights(float[] dW, float[] dOut, float[] in, FcShape s) {
            reference.fullyConnectedBackwardWeights(dW, dOut, in, s);
        }

        @Override
        public void biasForward(float[] out, float[] b, TensorShape s) {
            reference.biasForward(out, b, s);
        }

        @Override
        public void biasBackward(float[] dB, float[] dOut, TensorShape s) {
            reference.biasBackward(dB, dOut, s);
        }
    }
}
