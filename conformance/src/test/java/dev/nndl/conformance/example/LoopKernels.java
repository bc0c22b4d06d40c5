package dev.nndl.conformance.example;

import dev.nndl.conformance.ForwardingKernelSet;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.spi.Check;

/**
 * An example backend, started the way a kernel author would start one: everything comes from the
 * reference, and operations are replaced one at a time, each kept honest by the contract
 * ({@link LoopKernelsConformanceTest}). These two accumulate in float, in another order than the
 * reference; the contract's tolerance, derived from the number of terms, accepts that.
 */
public final class LoopKernels extends ForwardingKernelSet {

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
    public void conv2dForward(float[] out, float[] in, float[] w, ConvShape s) {
        Check.conv2dForward(out, in, w, s);
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
    public void fullyConnectedForward(float[] out, float[] in, float[] w, FcShape s) {
        Check.fullyConnected("out", out, "in", in, "w", w, s);
        for (int n = 0; n < s.n(); n++) {
            for (int o = 0; o < s.out(); o++) {
                float sum = 0;
                for (int i = 0; i < s.in(); i++) sum = Math.fma(w[o * s.in() + i], in[n * s.in() + i], sum);
                out[n * s.out() + o] = sum;
            }
        }
    }
}
