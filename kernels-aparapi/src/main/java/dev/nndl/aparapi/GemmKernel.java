package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Convolution and fully connected layers, all six directions, as one tiled matrix multiply
 * {@code C[b][m][q] = sum_k A(b, m, k) * B(b, k, q)} whose operands are read straight from the
 * tensors (implicit im2col): nothing is unfolded into a scratch matrix.
 *
 * <p>A work-group of {@link #GROUP} work-items computes a block of {@code tileRows x tileCols}
 * outputs ({@code tileRows} 16, 4 or 1, whichever fits the matrix: a convolution whose input has
 * one channel has one row in backward-data). For each step of {@link #DEPTH_TILE} along {@code k}
 * its work-items copy one tile of {@code A} and one of {@code B} into local memory, wait at a
 * barrier, and multiply the tiles from there, so each operand element is read from global memory
 * once per work-group instead of once per work-item. Each work-item copies from one fixed column
 * of {@code B} and one fixed row of {@code A}, so it splits its column into image coordinates once;
 * the coordinates along {@code k} come from a small table the host computes per shape
 * ({@link #steps}), so the copies need no integer division, which costs far more than the
 * multiply-adds it feeds on a CPU device. Sums are in float, one per output, in ascending
 * {@code k}: the contract's sum rule bounds them.
 *
 * <p>What {@code m}, {@code q}, {@code k} and {@code b} mean per operation (G groups, Cg and OCg
 * channels per group, the weights' (OC, Cg, KH, KW) layout flattened to (OC, K)), and the table's
 * entries per {@code k}:
 * <pre>
 *   conv forward          b = (n, g)  m = o in g   q = (y, x)     k = (c, i, j)  A = w      B = in   C = out   steps: c*H*W, i*DH, j*DW
 *   conv backward-input   b = (n, g)  m = c in g   q = (ih, iw)   k = (o, i, j)  A = w^T    B = dOut C = dIn   steps: w offset, o*OH*OW, PH - i*DH, PW - j*DW
 *   conv backward-weights b = g       m = o in g   q = (c, i, j)  k = (n, y, x)  A = dOut   B = in   C = dW += steps: dOut offset, in offset, y*SH - PH, x*SW - PW
 *   fc forward            b = 0       m = n        q = o          k = i          A = in     B = w^T  C = out
 *   fc backward-input     b = 0       m = n        q = i          k = o          A = dOut   B = w    C = dIn
 *   fc backward-weights   b = 0       m = o        q = i          k = n          A = dOut^T B = in   C = dW +=
 * </pre>
 * Aparapi translates {@link #run} and the methods it calls to OpenCL C, so they use only
 * primitives, the fields below and {@link Kernel}'s maths; operation codes are {@code int}s
 * because the translator knows no enums.
 */
final class GemmKernel extends Kernel {

    static final int GROUP = 256, DEPTH_TILE = 16, MAX_TILE_ROWS = 16;

    static final int CONV_FORWARD = 0, CONV_BACKWARD_INPUT = 1, CONV_BACKWARD_WEIGHTS = 2;
    static final int FC_FORWARD = 3, FC_BACKWARD_INPUT = 4, FC_BACKWARD_WEIGHTS = 5;

    int op;
    /** The operand read as A, the one read as B, and the result. */
    float[] left = new float[1], right = new float[1], result = new float[1];
    /** Per {@code k}, the offsets and coordinates of the convolution's tap or pixel (see the table above). */
    int[] steps = new int[1];
    /** Rows, columns and the summed dimension of one multiply; rows per work-group. */
    int rows, cols, depth, tileRows;
    /** The convolution's geometry. */
    int c, h, w, oc, oh, ow, kw, sh, sw, ph, pw, dh, dw, groups, cg, ocg, taps;
    /** Fully connected widths. */
    int fcIn, fcOut;

    @Local final float[] leftTile = new float[MAX_TILE_ROWS * DEPTH_TILE];
    @Local final float[] rightTile = new float[DEPTH_TILE * GROUP];

    @Override
    public void run() {
        int tileCols = GROUP / tileRows, item = getLocalId(0), b = getGlobalId(1);
        int blocksPerRow = (cols + tileCols - 1) / tileCols;
        int m0 = getGroupId(0) / blocksPerRow * tileRows, q0 = getGroupId(0) % blocksPerRow * tileCols;
        // this work-item copies A's row m0 + item / DEPTH_TILE and B's column q0 + item % tileCols
        int copyRow = m0 + item / DEPTH_TILE, copyCol = q0 + item % tileCols;
        int base = columnBase(b, copyCol), first = columnFirst(copyCol), second = columnSecond(copyCol);
        float sum = 0f;
        for (int k0 = 0; k0 < depth; k0 += DEPTH_TILE) {
            if (item < tileRows * DEPTH_TILE) {
                int k = k0 + item % DEPTH_TILE;
                leftTile[item] = (copyRow < rows && k < depth) ? a(b, copyRow, k) : 0f;
            }
            for (int kk = item / tileCols; kk < DEPTH_TILE; kk += tileRows) {
                int k = k0 + kk;
                rightTile[kk * tileCols + item % tileCols] = (copyCol < cols && k < depth) ? bee(k, copyCol, base, first, second) : 0f;
            }
            localBarrier();
            int row = item / tileCols, col = item % tileCols;
            for (int kk = 0; kk < DEPTH_TILE; kk++) {
                sum += leftTile[row * DEPTH_TILE + kk] * rightTile[kk * tileCols + col];
            }
            localBarrier();
        }
        int m = m0 + item / tileCols, q = q0 + item % tileCols;
        if (m < rows && q < cols) {
            store(b, m, q, sum);
        }
    }

    /** A(b, m, k). */
    private float a(int b, int m, int k) {
        float v = 0f;
        if (op == CONV_FORWARD) {
            v = left[(b % groups * ocg + m) * depth + k];
        } else if (op == CONV_BACKWARD_INPUT) {
            // w[g*OCg + o, m, i, j]: steps holds the offset of (o, i, j) for channel 0 of the group's first filter
            v = left[b % groups * ocg * cg * taps + steps[k * 4] + m * taps];
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            // dOut[n, g*OCg + m, y, x]
            v = left[steps[k * 4] + (b * ocg + m) * oh * ow];
        } else if (op == FC_FORWARD) {
            v = left[m * fcIn + k];
        } else if (op == FC_BACKWARD_INPUT) {
            v = left[m * fcOut + k];
        } else {
            v = left[k * fcOut + m];
        }
        return v;
    }

    /** The part of B's address that depends on the column alone (and the batch index). */
    private int columnBase(int b, int q) {
        int v = 0;
        if (op == CONV_FORWARD) {
            v = (b / groups * c + b % groups * cg) * h * w;
        } else if (op == CONV_BACKWARD_INPUT) {
            v = (b / groups * oc + b % groups * ocg) * oh * ow;
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            // q = (c, i, j): the input channel's plane
            v = (b * cg + q / taps) * h * w;
        }
        return v;
    }

    /** The column's first image coordinate: the top input row of output row y; input row ih; the tap's row offset i*DH. */
    private int columnFirst(int q) {
        int v = 0;
        if (op == CONV_FORWARD) {
            v = q / ow * sh;
        } else if (op == CONV_BACKWARD_INPUT) {
            v = q / w;
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            v = q % taps / kw * dh;
        }
        return v;
    }

    /** The column's second image coordinate, as {@link #columnFirst} for columns. */
    private int columnSecond(int q) {
        int v = 0;
        if (op == CONV_FORWARD) {
            v = q % ow * sw;
        } else if (op == CONV_BACKWARD_INPUT) {
            v = q % w;
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            v = q % kw * dw;
        }
        return v;
    }

    /** B(k, q), given the column's parts. */
    private float bee(int k, int q, int base, int first, int second) {
        float v = 0f;
        if (op == CONV_FORWARD) {
            // in[n, g*Cg + c, y*SH - PH + i*DH, x*SW - PW + j*DW]
            int ih = first - ph + steps[k * 3 + 1], iw = second - pw + steps[k * 3 + 2];
            if (ih >= 0 && ih < h && iw >= 0 && iw < w) v = right[base + steps[k * 3] + ih * w + iw];
        } else if (op == CONV_BACKWARD_INPUT) {
            // dOut[n, g*OCg + o, (ih + PH - i*DH)/SH, (iw + PW - j*DW)/SW] where the divisions are exact
            int ys = first + steps[k * 4 + 2], xs = second + steps[k * 4 + 3];
            if (ys >= 0 && xs >= 0) {
                int y = ys, x = xs;
                if (sh != 1 || sw != 1) {
                    y = ys % sh == 0 ? ys / sh : oh;
                    x = xs % sw == 0 ? xs / sw : ow;
                }
                if (y < oh && x < ow) v = right[base + steps[k * 4 + 1] + y * ow + x];
            }
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            // in[n, g*Cg + c, y*SH - PH + i*DH, x*SW - PW + j*DW]
            int ih = steps[k * 4 + 2] + first, iw = steps[k * 4 + 3] + second;
            if (ih >= 0 && ih < h && iw >= 0 && iw < w) v = right[steps[k * 4 + 1] + base + ih * w + iw];
        } else if (op == FC_FORWARD) {
            v = right[q * fcIn + k];
        } else {
            // backward-input: w[k = o, q = i]; backward-weights: in[k = n, q = i]
            v = right[k * fcIn + q];
        }
        return v;
    }

    private void store(int b, int m, int q, float sum) {
        if (op == CONV_FORWARD) {
            result[((b / groups * oc) + b % groups * ocg + m) * (oh * ow) + q] = sum;
        } else if (op == CONV_BACKWARD_INPUT) {
            result[((b / groups * c) + b % groups * cg + m) * (h * w) + q] = sum;
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

    /** Rows per work-group for a matrix of {@code rows} rows: 16, 4 or 1. */
    static int tileRows(int rows) {
        return rows >= 16 ? 16 : rows >= 4 ? 4 : 1;
    }
}
