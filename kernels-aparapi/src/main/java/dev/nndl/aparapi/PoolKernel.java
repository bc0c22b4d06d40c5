package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Max, average and Lp pooling, forward and backward. A forward work-item computes one output from
 * its window. A backward work-item computes one input gradient by gathering from every window that
 * contains its element (output rows {@code ceil((ih + PH - KH + 1) / SH)} to
 * {@code floor((ih + PH) / SH)}), so no two work-items write the same element and no atomics are
 * needed where windows overlap. Max pooling's backward recomputes each window's first maximum (the
 * reference's tie rule) and takes the gradient only where that is its own element.
 */
final class PoolKernel extends Kernel {

    static final int MAX_FORWARD = 0, MAX_BACKWARD = 1, AVG_FORWARD = 2, AVG_BACKWARD = 3, LP_FORWARD = 4, LP_BACKWARD = 5;

    int op;
    /** Forward: {@code in}, {@code out}. Backward: {@code in} (max, Lp), {@code norm} (Lp's forward output), {@code dOut}, {@code dIn}. */
    float[] in = new float[1], out = new float[1], norm = new float[1], dOut = new float[1], dIn = new float[1];
    /** {@code excludePadding}: 1 when average pooling divides by the window's elements inside the input, else 0. */
    int c, h, w, oh, ow, kh, kw, sh, sw, ph, pw, size, excludePadding;
    float p;

    @Override
    public void run() {
        int e = getGlobalId(0);
        if (e < size) {
            if (op == MAX_FORWARD || op == AVG_FORWARD || op == LP_FORWARD) {
                forward(e);
            } else {
                backward(e);
            }
        }
    }

    private void forward(int e) {
        // e = ((n*C + c)*OH + y)*OW + x; its window starts at input row y*SH - PH, column x*SW - PW
        int x = e % ow, y = e / ow % oh, plane = e / (oh * ow);
        float largest = Float.NEGATIVE_INFINITY, sum = 0f;
        for (int i = 0; i < kh; i++) {
            int ih = y * sh - ph + i;
            for (int j = 0; j < kw; j++) {
                int iw = x * sw - pw + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    float v = in[(plane * h + ih) * w + iw];
                    largest = max(largest, v);
                    if (op == LP_FORWARD) {
                        sum += pow(abs(v), p);
                    } else {
                        sum += v;
                    }
                }
            }
        }
        if (op == MAX_FORWARD) {
            out[e] = largest;
        } else if (op == AVG_FORWARD) {
            out[e] = sum / averaged(y, x);
        } else {
            out[e] = pow(sum, 1f / p);
        }
    }

    private void backward(int e) {
        // e = ((n*C + c)*H + ih)*W + iw; windows (y, x) with y*SH - PH <= ih < y*SH - PH + KH contain it
        int iw = e % w, ih = e / w % h, plane = e / (h * w);
        float sum = 0f;
        for (int y = max(0, (ih + ph - kh + sh) / sh); y <= min(oh - 1, (ih + ph) / sh); y++) {
            for (int x = max(0, (iw + pw - kw + sw) / sw); x <= min(ow - 1, (iw + pw) / sw); x++) {
                int o = (plane * oh + y) * ow + x;
                if (op == MAX_BACKWARD) {
                    if (firstMaximum(plane, y, x) == e) {
                        sum += dOut[o];
                    }
                } else if (op == AVG_BACKWARD) {
                    sum += dOut[o] / averaged(y, x);
                } else if (norm[o] != 0f) {
                    // d out / d x = (|x| / out)^(p-1) * sign(x)
                    float v = in[e];
                    float signum = v > 0f ? 1f : (v < 0f ? -1f : 0f);
                    sum += dOut[o] * pow(abs(v) / norm[o], p - 1f) * signum;
                }
            }
        }
        dIn[e] = sum;
    }

    /** Average pooling's divisor for window (y, x): KH*KW, or with the padding excluded its elements inside the input. */
    private int averaged(int y, int x) {
        int top = y * sh - ph, left = x * sw - pw;
        int count = kh * kw;
        if (excludePadding == 1) {
            count = (min(h, top + kh) - max(0, top)) * (min(w, left + kw) - max(0, left));
        }
        return count;
    }

    /** The index of the first largest input of window (y, x), scanning rows then columns. */
    private int firstMaximum(int plane, int y, int x) {
        int argmax = -1;
        float largestSoFar = 0f;
        for (int i = 0; i < kh; i++) {
            int ih = y * sh - ph + i;
            for (int j = 0; j < kw; j++) {
                int iw = x * sw - pw + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    int at = (plane * h + ih) * w + iw;
                    if (argmax < 0 || in[at] > largestSoFar) {
                        argmax = at;
                        largestSoFar = in[at];
                    }
                }
            }
        }
        return argmax;
    }
}
