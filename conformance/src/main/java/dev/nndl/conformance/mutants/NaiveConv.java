package dev.nndl.conformance.mutants;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.TensorShape;

/**
 * A plain convolution whose map from output position and kernel tap to input position is a
 * parameter, so a mutant can plant a bug in the index arithmetic and nowhere else.
 */
final class NaiveConv {

    /** The input row (or column) that output position {@code y} reads at tap {@code i}. */
    @FunctionalInterface
    interface Tap {
        int at(int y, int i);
    }

    private NaiveConv() {}

    static void forward(float[] out, float[] in, float[] w, ConvShape s, Tap rows, Tap cols) {
        TensorShape inS = s.input(), outS = s.output(), wS = new TensorShape(s.oc(), s.cPerGroup(), s.kh(), s.kw());
        for (int n = 0; n < s.n(); n++) {
            for (int o = 0; o < s.oc(); o++) {
                int g = o / s.ocPerGroup();
                for (int y = 0; y < outS.h(); y++) {
                    for (int x = 0; x < outS.w(); x++) {
                        float sum = 0;
                        for (int c = 0; c < s.cPerGroup(); c++) {
                            for (int i = 0; i < s.kh(); i++) {
                                int ih = rows.at(y, i);
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int j = 0; j < s.kw(); j++) {
                                    int iw = cols.at(x, j);
                                    if (iw < 0 || iw >= s.w()) continue;
                                    sum += in[inS.index(n, g * s.cPerGroup() + c, ih, iw)] * w[wS.index(o, c, i, j)];
                                }
                            }
                        }
                        out[outS.index(n, o, y, x)] = sum;
                    }
                }
            }
        }
    }

    static void backwardWeights(float[] dW, float[] dOut, float[] in, ConvShape s, Tap rows, Tap cols) {
        TensorShape inS = s.input(), outS = s.output(), wS = new TensorShape(s.oc(), s.cPerGroup(), s.kh(), s.kw());
        for (int o = 0; o < s.oc(); o++) {
            int g = o / s.ocPerGroup();
            for (int c = 0; c < s.cPerGroup(); c++) {
                for (int i = 0; i < s.kh(); i++) {
                    for (int j = 0; j < s.kw(); j++) {
                        float sum = 0;
                        for (int n = 0; n < s.n(); n++) {
                            for (int y = 0; y < outS.h(); y++) {
                                int ih = rows.at(y, i);
                                if (ih < 0 || ih >= s.h()) continue;
                                for (int x = 0; x < outS.w(); x++) {
                                    int iw = cols.at(x, j);
                                    if (iw < 0 || iw >= s.w()) continue;
                                    sum += dOut[outS.index(n, o, y, x)] * in[inS.index(n, g * s.cPerGroup() + c, ih, iw)];
                                }
                            }
                        }
                        dW[wS.index(o, c, i, j)] += sum;
                    }
                }
            }
        }
    }
}
