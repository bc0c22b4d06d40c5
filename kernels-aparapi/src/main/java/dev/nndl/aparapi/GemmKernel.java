package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Convolution and fully connected layers, all six directions, as one tiled matrix multiply
 * {@code C[b][m][q] = sum_k A(b, m, k) * B(b, k, q)} whose operands are read straight from the
 * tensors (implicit im2col): nothing is unfolded into a scratch matrix. A work-group computes a
 * {@link #TILE} x {@link #TILE} block of {@code C}; for each step of {@code k} its work-items load
 * one tile of {@code A} and one of {@code B} into local memory (one element each), wait at a
 * barrier, and multiply the tiles from there, so each operand element is read from global memory
 * once per work-group instead of once per work-item. Sums are in float, one per output, in
 * ascending {@code k}: the contract's sum rule bounds them.
 *
 * <p>What {@code m}, {@code q}, {@code k} and {@code b} mean per operation (G groups, Cg and OCg
 * channels per group, the weights' (OC, Cg, KH, KW) layout flattened to (OC, K)):
 * <pre>
 *   conv forward          b = (n, g)  m = o in g     q = (y, x)      k = (c, i, j)  A = w        B = in (im2col)   C = out
 *   conv backward-input   b = (n, g)  m = c in g     q = (ih, iw)    k = (o, i, j)  A = w^T      B = dOut (col2im gather)  C = dIn
 *   conv backward-weights b = g       m = o in g     q = (c, i, j)   k = (n, y, x)  A = dOut     B = in (im2col)   C = dW (+=)
 *   fc forward            b = 0       m = n          q = o           k = i          A = in       B = w^T           C = out
 *   fc backward-input     b = 0       m = n          q = i           k = o          A = dOut     B = w             C = dIn
 *   fc backward-weights   b = 0       m = o          q = i           k = n          A = dOut^T   B = in            C = dW (+=)
 * </pre>
 * Aparapi translates {@link #run} and the methods it calls to OpenCL C, so they use only
 * primitives, the fields below and {@link Kernel}'s maths; operation codes are {@code int}s
 * because the translator knows no enums.
 */
final class GemmKernel extends Kernel {

    static final int TILE = 16;

    static final int CONV_FORWARD = 0, CONV_BACKWARD_INPUT = 1, CONV_BACKWARD_WEIGHTS = 2;
    static final int FC_FORWARD = 3, FC_BACKWARD_INPUT = 4, FC_BACKWARD_WEIGHTS = 5;

    int op;
    /** The operand read as A, the one read as B, and the result. */
    float[] left = new float[1], right = new float[1], result = new float[1];
    /** Rows, columns and the summed dimension of one multiply; the number of multiplies. */
    int rows, cols, depth;
    /** The convolution's geometry (unused by fully connected layers, whose width is {@code in}). */
    int n, c, h, w, oc, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, cg, ocg;
    /** Fully connected widths. */
    int fcIn, fcOut;

    @Local final float[] leftTile = new float[TILE * TILE];
    @Local final float[] rightTile = new float[TILE * TILE];

    @Override
    public void run() {
        int q = getGlobalId(0), m = getGlobalId(1), b = getGlobalId(2);
        int lq = getLocalId(0), lm = getLocalId(1);
        float sum = 0f;
        for (int k0 = 0; k0 < depth; k0 += TILE) {
            int ka = k0 + lq, kb = k0 + lm;
            leftTile[lm * TILE + lq] = (m < rows && ka < depth) ? a(b, m, ka) : 0f;
            rightTile[lm * TILE + lq] = (kb < depth && q < cols) ? bee(b, kb, q) : 0f;
            localBarrier();
            for (int kk = 0; kk < TILE; kk++) {
                sum += leftTile[lm * TILE + kk] * rightTile[kk * TILE + lq];
            }
            localBarrier();
        }
        if (m < rows && q < cols) {
            store(b, m, q, sum);
        }
    }

    /** A(b, m, k). */
    private float a(int b, int m, int k) {
        float v = 0f;
        int taps = kh * kw;
        if (op == CONV_FORWARD) {
            // w[g*OCg + m, k]
            v = left[(b % groups * ocg + m) * (cg * taps) + k];
        } else if (op == CONV_BACKWARD_INPUT) {
            // w[g*OCg + o, m, i, j] with k = (o, i, j)
            int o = k / taps, ij = k % taps;
            v = left[((b % groups * ocg + o) * cg + m) * taps + ij];
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            // dOut[n, g*OCg + m, y, x] with k = (n, y, x)
            int plane = oh * ow, sample = k / plane, yx = k % plane;
            v = left[(sample * oc + b * ocg + m) * plane + yx];
        } else if (op == FC_FORWARD) {
            v = left[m * fcIn + k];
        } else if (op == FC_BACKWARD_INPUT) {
            v = left[m * fcOut + k];
        } else {
            v = left[k * fcOut + m];
        }
        return v;
    }

    /** B(b, k, q). */
    private float bee(int b, int k, int q) {
        float v = 0f;
        int taps = kh * kw;
        if (op == CONV_FORWARD) {
            // in[n, g*Cg + c, y*SH - PH + i*DH, x*SW - PW + j*DW] with b = (n, g), k = (c, i, j), q = (y, x)
            int sample = b / groups, g = b % groups;
            v = image(sample, g * cg + k / taps, q / ow, q % ow, k % taps / kw, k % kw);
        } else if (op == CONV_BACKWARD_INPUT) {
            // dOut[n, g*OCg + o, (ih + PH - i*DH)/SH, (iw + PW - j*DW)/SW] where the divisions are exact
            int sample = b / groups, g = b % groups, o = k / taps, i = k % taps / kw, j = k % kw;
            int ys = q / w + ph - i * dh, xs = q % w + pw - j * dw;
            if (ys >= 0 && xs >= 0 && ys % sh == 0 && xs % sw == 0 && ys / sh < oh && xs / sw < ow) {
                v = right[((sample * oc + g * ocg + o) * oh + ys / sh) * ow + xs / sw];
            }
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            // in[n, g*Cg + c, y*SH - PH + i*DH, x*SW - PW + j*DW] with k = (n, y, x), q = (c, i, j)
            int plane = oh * ow, yx = k % plane;
            v = image(k / plane, b * cg + q / taps, yx / ow, yx % ow, q % taps / kw, q % kw);
        } else if (op == FC_FORWARD) {
            v = right[q * fcIn + k];
        } else {
            // backward-input: w[k = o, q = i]; backward-weights: in[k = n, q = i]
            v = right[k * fcIn + q];
        }
        return v;
    }

    /** The input pixel that output (y, x) sees through filter tap (i, j), or 0 in the padding. */
    private float image(int sample, int channel, int y, int x, int i, int j) {
        float v = 0f;
        int ih = y * sh - ph + i * dh, iw = x * sw - pw + j * dw;
        if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
            v = right[((sample * c + channel) * h + ih) * w + iw];
        }
        return v;
    }

    private void store(int b, int m, int q, float sum) {
        if (op == CONV_FORWARD) {
            int sample = b / groups, g = b % groups;
            result[(sample * oc + g * ocg + m) * (oh * ow) + q] = sum;
        } else if (op == CONV_BACKWARD_INPUT) {
            int sample = b / groups, g = b % groups;
            result[(sample * c + g * cg + m) * (h * w) + q] = sum;
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            int e = (b * ocg + m) * cols + q;
            result[e] = result[e] + sum;
        } else if (op == FC_BACKWARD_WEIGHTS) {
            int e = m * cols + q;
            result[e] = result[e] + sum;
        } else {
            result[m * cols + q] = sum;
        }
    }
}
