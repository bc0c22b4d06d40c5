package dev.nndl.aparapi;

import com.aparapi.Kernel;

/**
 * Convolution and fully connected layers, all six directions, as one tiled matrix multiply
 * {@code C[b][m][q] = sum_k A(b, m, k) * B(b, k, q)} whose operands are read straight from the
 * tensors (implicit im2col): nothing is unfolded into a scratch matrix.
 *
 * <p>A work-group of {@link #GROUP} work-items computes a block of {@link #BLOCK_ROWS} x
 * {@link #BLOCK_COLS} outputs, each work-item one row and {@link #PER_ITEM} columns 16 apart, its
 * sums in private memory. For each step of {@link #DEPTH_TILE} along {@code k} the work-items
 * copy one tile of {@code A} and one of {@code B} into local memory, wait at a barrier, and
 * multiply the tiles from there: each operand element is read from global memory once per
 * work-group, and each value of {@code A} read from local memory feeds four multiply-adds. Each
 * work-item copies from one fixed row of {@code A} and one fixed column of {@code B}, so it splits
 * its column into image coordinates once; the coordinates along {@code k} come from a small table
 * the host computes per shape ({@link #steps}), so the copies need no integer division, which
 * costs far more than the multiply-adds it feeds on a CPU device. This layout ran a 64 x 1000 x
 * 1000 multiply on PoCL's CPU device twice as fast as one output per work-item in 16 x 16 tiles
 * (measured at fe70321); 4 x 4 outputs per work-item in 64 x 64 blocks were faster still, but the
 * ladder's matrices have 10 to 40 rows, and a 64-row block would mostly compute padding. Shapes
 * are constants: with the grid read from fields instead, the same kernel ran much slower.
 *
 * <p>A multiply with few outputs and a long {@code k} (a convolution's weight gradient: 20 x 25
 * outputs summed over 36,864 pixels for the ladder's first layer at mini-batch 64) would occupy
 * one work-group; it is split along {@code k} into {@link #splits} parts, each work-group writing
 * its partial sums to a scratch array that a second launch adds up.
 *
 * <p>What {@code m}, {@code q}, {@code k} and {@code b} mean per operation (G groups, Cg and OCg
 * channels per group, the weights' (OC, Cg, KH, KW) layout flattened to (OC, K)), and the table's
 * entries per {@code k}:
 * <pre>
 *   conv forward          b = (n, g)  m = o in g   q = (y, x)     k = (c, i, j)  A = w      B = in   C = out   steps: c*H*W, i*DH, j*DW
 *   conv backward-input   b = (n, g)  m = (c, i, j)  q = (y, x)   k = o in g     A = w^T    B = dOut C = columns, which {@link Col2imKernel} gathers into dIn
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

    static final int GROUP = 256, DEPTH_TILE = 16, BLOCK_ROWS = 16, PER_ITEM = 4, BLOCK_COLS = 16 * PER_ITEM;

    static final int CONV_FORWARD = 0, CONV_BACKWARD_INPUT = 1, CONV_BACKWARD_WEIGHTS = 2;
    static final int FC_FORWARD = 3, FC_BACKWARD_INPUT = 4, FC_BACKWARD_WEIGHTS = 5;

    int op;
    /** The operand read as A, the one read as B, and the result. */
    float[] left = new float[1], right = new float[1], result = new float[1];
    /** Per {@code k}, the offsets and coordinates of the convolution's tap or pixel (see the table above). */
    int[] steps = new int[1];
    /** Rows, columns and the summed dimension of one multiply. */
    int rows, cols, depth;
    /** Parts {@code k} is split into (weight gradients only), and the length of each. */
    int splits = 1, chunk;
    /** The convolution's geometry. */
    int c, h, w, oc, oh, ow, kw, sh, sw, ph, pw, dh, dw, groups, cg, ocg, taps;
    /** Fully connected widths. */
    int fcIn, fcOut;

    /** Tiles of A and B, k-major. */
    @Local final float[] leftTile = new float[DEPTH_TILE * BLOCK_ROWS];
    @Local final float[] rightTile = new float[DEPTH_TILE * BLOCK_COLS];
    /** This work-item's sums. */
    @PrivateMemorySpace(PER_ITEM) final float[] sums = new float[PER_ITEM];

    @Override
    public void run() {
        int item = getLocalId(0), b = getGlobalId(1) / splits, split = getGlobalId(1) % splits;
        int blocksPerRow = (cols + BLOCK_COLS - 1) / BLOCK_COLS;
        int m0 = getGroupId(0) / blocksPerRow * BLOCK_ROWS, q0 = getGroupId(0) % blocksPerRow * BLOCK_COLS;
        // this work-item copies A's row m0 + item / 16 and B's column q0 + item % 64
        int copyRow = m0 + item / DEPTH_TILE, copyCol = q0 + item % BLOCK_COLS;
        int base = columnBase(b, copyCol), first = columnFirst(copyCol), second = columnSecond(copyCol);
        int kEnd = min(depth, (split + 1) * chunk);
        for (int e = 0; e < PER_ITEM; e++) sums[e] = 0f;
        for (int k0 = split * chunk; k0 < kEnd; k0 += DEPTH_TILE) {
            int k = k0 + item % DEPTH_TILE;
            leftTile[item % DEPTH_TILE * BLOCK_ROWS + item / DEPTH_TILE] = (copyRow < rows && k < kEnd) ? a(b, copyRow, k) : 0f;
            for (int kk = item / BLOCK_COLS; kk < DEPTH_TILE; kk += GROUP / BLOCK_COLS) {
                k = k0 + kk;
                rightTile[kk * BLOCK_COLS + item % BLOCK_COLS] = (copyCol < cols && k < kEnd) ? bee(k, copyCol, base, first, second) : 0f;
            }
            localBarrier();
            int row = item / 16, col = item % 16;
            for (int kk = 0; kk < DEPTH_TILE; kk++) {
                float x = leftTile[kk * BLOCK_ROWS + row];
                for (int j = 0; j < PER_ITEM; j++) sums[j] += x * rightTile[kk * BLOCK_COLS + col + 16 * j];
            }
            localBarrier();
        }
        for (int j = 0; j < PER_ITEM; j++) {
            int m = m0 + item / 16, q = q0 + item % 16 + 16 * j;
            if (m < rows && q < cols) store(b, split, m, q, sums[j]);
        }
    }

    /** A(b, m, k). */
    private float a(int b, int m, int k) {
        float v = 0f;
        if (op == CONV_FORWARD) {
            v = left[(b % groups * ocg + m) * depth + k];
        } else if (op == CONV_BACKWARD_INPUT) {
            // w[g*OCg + k, m] with m = (c, i, j)
            v = left[(b % groups * ocg + k) * rows + m];
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
            // dOut[n, g*OCg, y, x]: k adds whole planes
            v = (b / groups * oc + b % groups * ocg) * oh * ow + q;
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            // q = (c, i, j): the input channel's plane
            v = (b * cg + q / taps) * h * w;
        }
        return v;
    }

    /** The column's first image coordinate: the top input row of output row y; the tap's row offset i*DH. */
    private int columnFirst(int q) {
        int v = 0;
        if (op == CONV_FORWARD) {
            v = q / ow * sh;
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
            v = right[base + k * oh * ow];
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

    /** Writes (or adds) one output; a part of a split weight gradient goes to its own slice of the scratch array. */
    private void store(int b, int split, int m, int q, float sum) {
        if (op == CONV_FORWARD) {
            result[((b / groups * oc) + b % groups * ocg + m) * (oh * ow) + q] = sum;
        } else if (op == CONV_BACKWARD_INPUT) {
            result[(b * rows + m) * cols + q] = sum;
        } else if (op == CONV_BACKWARD_WEIGHTS) {
            int e = (b * ocg + m) * cols + q;
            if (splits == 1) {
                result[e] = result[e] + sum;
            } else {
                result[split * oc * cols + e] = sum;
            }
        } else if (op == FC_BACKWARD_WEIGHTS) {
            int e = m * cols + q;
            result[e] = result[e] + sum;
        } else {
            result[m * cols + q] = sum;
        }
    }

    /** Work-groups for one multiply (of one part along {@code k}). */
    static int blocks(int rows, int cols) {
        return ((rows + BLOCK_ROWS - 1) / BLOCK_ROWS) * ((cols + BLOCK_COLS - 1) / BLOCK_COLS);
    }
}
