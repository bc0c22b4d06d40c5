package dev.nndl.tornado;

import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.math.TornadoMath;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;
import uk.ac.manchester.tornado.api.types.arrays.IntArray;

/**
 * The TornadoVM kernels: static methods that TornadoVM compiles from their bytecode to OpenCL,
 * each run over a grid of work-items through {@link KernelContext} (global, local and group ids,
 * local memory, barriers). Every kernel has the same parameters, so that {@link ArenaPlan} launches
 * any of them the same way: the context, the integer parameters {@code p} (the operation code
 * first, then the shape), the float parameters {@code f}, and the arena, the one device array that
 * holds every array the backend keeps ({@link Arena}). The operands are up to eight regions of the
 * arena whose offsets {@code p} carries at {@link #X0} .. {@link #X7}; a kernel reads them into
 * {@code x0 .. x7} and indexes {@code arena.get(x0 + i)} where it would read {@code x0[i]}. Each
 * kernel's comment gives the roles of its operands; it ignores those it does not use.
 *
 * <p>Like the Aparapi backend's kernels (same algorithms, written for this compiler): the
 * convolutions and fully connected layers are one tiled matrix multiply with 16 x 16 tiles of
 * both operands in local memory, read straight from the tensors (implicit im2col); backward-data
 * multiplies into per-tap columns that {@link #col2im} gathers; pooling's backward passes gather;
 * every reduction (softmax, the costs, the bias gradient, L2) is a work-group sum in local memory.
 * No work-item writes an element another writes, so there are no atomics. Java's {@code Math}
 * does not translate: functions come from {@link TornadoMath}.
 *
 * <p>Two rules of TornadoVM's compiler shape the code: a method it inlines must stay small (over
 * 600 graph nodes it refuses, so each operation's operands get a helper of their own), and a
 * condition must not be a chain of {@code ||}: the merge of such a chain comes out after the
 * whole if-else, so its then-branch runs for every case. Nor should two branches of an if each
 * compute a value in a loop for one variable after it: the merge keeps the wrong branch's (so
 * each branch stores its own result), and {@code >>>} on a long comes out as an arithmetic shift.
 * Each showed as contract failures.
 */
final class Kernels {

    private Kernels() {}

    /** Positions in {@code p} of the offsets of the eight operands in the arena, after every kernel's shape. */
    static final int X0 = 24, X1 = 25, X2 = 26, X3 = 27, X4 = 28, X5 = 29, X6 = 30, X7 = 31;
    /** Integer parameters of every launch: the shape (at most {@link #SIZE} + 1) and the operands' offsets. */
    static final int INTS = 32;
    /** Float parameters of every launch. */
    static final int FLOATS = 4;

    /** Work-items per side of a multiply's tile. */
    static final int TILE = 16;
    /** Work-items per group of the row and sum reductions. */
    static final int WIDTH = 64;
    /** Work-groups of the first stage of {@link #sum}. */
    static final int SUM_GROUPS = 64;

    // ---------------------------------------------------------------- the matrix multiply

    static final int CONV_FORWARD = 0, CONV_BACKWARD_INPUT = 1, CONV_BACKWARD_WEIGHTS = 2;
    static final int FC_FORWARD = 3, FC_BACKWARD_INPUT = 4, FC_BACKWARD_WEIGHTS = 5;

    /** Positions of the shape in {@code p} for {@link #gemm} and {@link #col2im}. */
    static final int OP = 0, ROWS = 1, COLS = 2, DEPTH = 3, C = 4, H = 5, W = 6, OC = 7, OH = 8, OW = 9, KH = 10, KW = 11,
            SH = 12, SW = 13, PH = 14, PW = 15, DH = 16, DW = 17, GROUPS = 18, CG = 19, OCG = 20, IN = 21, OUT = 22, SIZE = 23;

    /**
     * {@code C[b][m][q] (+)= sum_k A(b, m, k) B(b, k, q)}: one output per work-item, work-groups of
     * 16 x 16 over (q, m), the batch index {@code b} in blocks of rows along the second dimension.
     * Arrays: {@code x0} is read as A, {@code x1} as B, {@code x7} is C. What the indices mean per
     * operation:
     * <pre>
     *   conv forward          b = (n, g)  m = o in g      q = (y, x)     k = (c, i, j)  A = w      B = in    C = out
     *   conv backward-input   b = (n, g)  m = (c, i, j)   q = (y, x)     k = o in g     A = w^T    B = dOut  C = columns
     *   conv backward-weights b = g       m = o in g      q = (c, i, j)  k = (n, y, x)  A = dOut   B = in    C = dW +=
     *   fc forward                        m = n           q = o          k = i          A = in     B = w^T   C = out
     *   fc backward-input                 m = n           q = i          k = o          A = dOut   B = w     C = dIn
     *   fc backward-weights               m = o           q = i          k = n          A = dOut^T B = in    C = dW +=
     * </pre>
     */
    static void gemm(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x7 = p.get(X7);
        int op = p.get(OP), rows = p.get(ROWS), cols = p.get(COLS), depth = p.get(DEPTH);
        int tx = kc.localIdx, ty = kc.localIdy;
        int rowBlocks = (rows + TILE - 1) / TILE;
        int q = kc.groupIdx * TILE + tx, b = kc.groupIdy / rowBlocks, m = (kc.groupIdy % rowBlocks) * TILE + ty;
        float[] aTile = kc.allocateFloatLocalArray(TILE * TILE);
        float[] bTile = kc.allocateFloatLocalArray(TILE * TILE);
        float sum = 0f;
        for (int k0 = 0; k0 < depth; k0 += TILE) {
            int ka = k0 + tx, kb = k0 + ty;
            float a = 0f, bee = 0f;
            // each operation's operands in a method of its own: TornadoVM refuses to inline large methods
            if (m < rows && ka < depth) {
                if (op == CONV_FORWARD) a = convWeights(p, arena, x0, b, m, ka);
                else if (op == CONV_BACKWARD_INPUT) a = convWeightsTransposed(p, arena, x0, b, m, ka);
                else if (op == CONV_BACKWARD_WEIGHTS) a = convGradient(p, arena, x0, b, m, ka);
                else if (op == FC_FORWARD) a = arena.get(x0 + m * p.get(IN) + ka);
                else if (op == FC_BACKWARD_INPUT) a = arena.get(x0 + m * p.get(OUT) + ka);
                else a = arena.get(x0 + ka * p.get(OUT) + m);
            }
            if (q < cols && kb < depth) {
                if (op == CONV_FORWARD) bee = convInput(p, arena, x1, b, kb, q);
                else if (op == CONV_BACKWARD_INPUT) bee = convOutputGradient(p, arena, x1, b, kb, q);
                else if (op == CONV_BACKWARD_WEIGHTS) bee = convInputByPixel(p, arena, x1, b, kb, q);
                else if (op == FC_FORWARD) bee = arena.get(x1 + q * p.get(IN) + kb);
                else bee = arena.get(x1 + kb * p.get(IN) + q);
            }
            aTile[ty * TILE + tx] = a;
            bTile[ty * TILE + tx] = bee;
            kc.localBarrier();
            for (int kk = 0; kk < TILE; kk++) sum += aTile[ty * TILE + kk] * bTile[kk * TILE + tx];
            kc.localBarrier();
        }
        if (m < rows && q < cols) {
            if (op == CONV_FORWARD) {
                int g = b % p.get(GROUPS), n = b / p.get(GROUPS);
                arena.set(x7 + (n * p.get(OC) + g * p.get(OCG) + m) * cols + q, sum);
            } else if (op == CONV_BACKWARD_INPUT) {
                arena.set(x7 + (b * rows + m) * cols + q, sum);
            } else if (op == CONV_BACKWARD_WEIGHTS) {
                int e = (b * p.get(OCG) + m) * cols + q;
                arena.set(x7 + e, arena.get(x7 + e) + sum);
            } else if (op == FC_BACKWARD_WEIGHTS) {
                arena.set(x7 + m * cols + q, arena.get(x7 + m * cols + q) + sum);
            } else {
                arena.set(x7 + m * cols + q, sum);
            }
        }
    }

    /** Conv forward's A: {@code w[g*OCg + m, k]}. */
    private static float convWeights(IntArray p, FloatArray arena, int w, int b, int m, int k) {
        return arena.get(w + ((b % p.get(GROUPS)) * p.get(OCG) + m) * p.get(DEPTH) + k);
    }

    /** Backward-input's A: the weights transposed, {@code w[g*OCg + k, m]}. */
    private static float convWeightsTransposed(IntArray p, FloatArray arena, int w, int b, int m, int k) {
        return arena.get(w + ((b % p.get(GROUPS)) * p.get(OCG) + k) * p.get(ROWS) + m);
    }

    /** Backward-weights' A: {@code dOut[n, g*OCg + m, y, x]} with {@code k = (n, y, x)}. */
    private static float convGradient(IntArray p, FloatArray arena, int dOut, int b, int m, int k) {
        int plane = p.get(OH) * p.get(OW);
        return arena.get(dOut + (k / plane * p.get(OC) + b * p.get(OCG) + m) * plane + k % plane);
    }

    /** Conv forward's B: the input under tap {@code k = (c, i, j)} of output pixel {@code q = (y, x)}. */
    private static float convInput(IntArray p, FloatArray arena, int in, int b, int k, int q) {
        int taps = p.get(KH) * p.get(KW);
        return image(p, arena, in, b / p.get(GROUPS), (b % p.get(GROUPS)) * p.get(CG) + k / taps, k % taps, q / p.get(OW), q % p.get(OW));
    }

    /** Backward-input's B: {@code dOut[n, g*OCg + k, y, x]}. */
    private static float convOutputGradient(IntArray p, FloatArray arena, int dOut, int b, int k, int q) {
        int plane = p.get(OH) * p.get(OW);
        return arena.get(dOut + (b / p.get(GROUPS) * p.get(OC) + (b % p.get(GROUPS)) * p.get(OCG) + k) * plane + q);
    }

    /** Backward-weights' B: the input under tap {@code q = (c, i, j)} of pixel {@code k = (n, y, x)}. */
    private static float convInputByPixel(IntArray p, FloatArray arena, int in, int b, int k, int q) {
        int plane = p.get(OH) * p.get(OW), taps = p.get(KH) * p.get(KW), pos = k % plane;
        return image(p, arena, in, k / plane, b * p.get(CG) + q / taps, q % taps, pos / p.get(OW), pos % p.get(OW));
    }

    /** The input under tap {@code t} = (i, j) of output pixel (y, x), channel {@code c} of sample {@code n}; 0 in the padding. */
    private static float image(IntArray p, FloatArray arena, int in, int n, int c, int t, int y, int x) {
        int h = p.get(H), w = p.get(W);
        int ih = y * p.get(SH) - p.get(PH) + t / p.get(KW) * p.get(DH), iw = x * p.get(SW) - p.get(PW) + t % p.get(KW) * p.get(DW);
        float v = 0f;
        if (ih >= 0 && ih < h && iw >= 0 && iw < w) v = arena.get(in + ((n * p.get(C) + c) * h + ih) * w + iw);
        return v;
    }

    /**
     * The second half of backward-data: {@code x0} holds {@code columns[n, g, (c, i, j), (y, x)]}
     * from {@link #gemm}; each work-item gathers one input gradient into {@code x7}:
     * {@code dIn[n, g*Cg + c, ih, iw] = sum_{i,j} columns[..., (c, i, j), ((ih + PH - i*DH)/SH, (iw + PW - j*DW)/SW)]}
     * over the taps whose divisions are exact and land inside the output.
     */
    static void col2im(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x7 = p.get(X7);
        int e = kc.globalIdx;
        if (e < p.get(SIZE)) {
            int c = p.get(C), h = p.get(H), w = p.get(W), oh = p.get(OH), ow = p.get(OW), kh = p.get(KH), kw = p.get(KW);
            int sh = p.get(SH), sw = p.get(SW), cg = p.get(CG);
            int iw = e % w, ih = e / w % h, channel = e / (h * w) % c, n = e / (c * h * w);
            int g = channel / cg, taps = kh * kw, plane = oh * ow;
            int first = ((n * p.get(GROUPS) + g) * cg + channel % cg) * taps * plane;
            float sum = 0f;
            for (int i = 0; i < kh; i++) {
                int ys = ih + p.get(PH) - i * p.get(DH);
                if (ys >= 0 && ys % sh == 0 && ys / sh < oh) {
                    for (int j = 0; j < kw; j++) {
                        int xs = iw + p.get(PW) - j * p.get(DW);
                        if (xs >= 0 && xs % sw == 0 && xs / sw < ow) sum += arena.get(x0 + first + (i * kw + j) * plane + ys / sh * ow + xs / sw);
                    }
                }
            }
            arena.set(x7 + e, sum);
        }
    }

    // ---------------------------------------------------------------- pooling

    static final int MAX_FORWARD = 0, MAX_BACKWARD = 1, AVG_FORWARD = 2, AVG_BACKWARD = 3, LP_FORWARD = 4, LP_BACKWARD = 5;
    /** Positions in {@code p} for {@link #pool}: the operation, then the shape; {@code f[0]} is Lp's {@code p}. */
    static final int P_C = 1, P_H = 2, P_W = 3, P_OH = 4, P_OW = 5, P_KH = 6, P_KW = 7, P_SH = 8, P_SW = 9, P_PH = 10, P_PW = 11, P_SIZE = 12,
            P_EXCLUDE_PADDING = 13;

    /**
     * Pooling, one work-item per output (forward) or per input (backward, gathering from every
     * window that holds it, so no two work-items write one element). Arrays: forward {@code x0} =
     * in, {@code x7} = out; backward {@code x0} = in, {@code x1} = dOut, {@code x2} = Lp's forward
     * output, {@code x7} = dIn.
     */
    static void pool(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x2 = p.get(X2), x7 = p.get(X7);
        int e = kc.globalIdx, op = p.get(OP);
        if (e < p.get(P_SIZE)) {
            // the forward operations are the even ones: TornadoVM emits the merge of a chain of || conditions
            // after the whole if-else, so that its then-branch ran for every operation (measured: max-pool
            // backward returned the forward maxima)
            if (op % 2 == 0) {
                arena.set(x7 + e, poolForward(p, arena, f.get(0), x0, e));
            } else if (op == AVG_BACKWARD) {
                arena.set(x7 + e, avgBackward(p, arena, x1, e));
            } else {
                arena.set(x7 + e, poolBackward(p, arena, f.get(0), x0, x1, x2, e));
            }
        }
    }

    private static float poolForward(IntArray p, FloatArray arena, float power, int in, int e) {
        int op = p.get(OP), h = p.get(P_H), w = p.get(P_W), oh = p.get(P_OH), ow = p.get(P_OW), kh = p.get(P_KH), kw = p.get(P_KW);
        int x = e % ow, y = e / ow % oh, plane = e / (oh * ow);
        float largest = Float.NEGATIVE_INFINITY, sum = 0f;
        for (int i = 0; i < kh; i++) {
            int ih = y * p.get(P_SH) - p.get(P_PH) + i;
            for (int j = 0; j < kw; j++) {
                int iw = x * p.get(P_SW) - p.get(P_PW) + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    float v = arena.get(in + (plane * h + ih) * w + iw);
                    largest = TornadoMath.max(largest, v);
                    if (op == LP_FORWARD) {
                        sum += TornadoMath.pow(TornadoMath.abs(v), power);
                    } else {
                        sum += v;
                    }
                }
            }
        }
        float result = largest;
        if (op == AVG_FORWARD) {
            result = sum / averaged(p, y, x);
        } else if (op == LP_FORWARD) {
            result = TornadoMath.pow(sum, 1f / power);
        }
        return result;
    }

    private static float poolBackward(IntArray p, FloatArray arena, float power, int in, int dOut, int norm, int e) {
        int op = p.get(OP), h = p.get(P_H), w = p.get(P_W), oh = p.get(P_OH), ow = p.get(P_OW);
        int iw = e % w, ih = e / w % h, plane = e / (h * w);
        float sum = 0f;
        for (int y = firstWindow(p, ih, P_PH, P_KH, P_SH); y <= lastWindow(p, ih, P_PH, P_SH, oh); y++) {
            for (int x = firstWindow(p, iw, P_PW, P_KW, P_SW); x <= lastWindow(p, iw, P_PW, P_SW, ow); x++) {
                int o = (plane * oh + y) * ow + x;
                if (op == MAX_BACKWARD) {
                    if (firstMaximum(p, arena, in, plane, y, x) == e) sum += arena.get(dOut + o);
                } else if (arena.get(norm + o) != 0f) {
                    // d out / d x = (|x| / out)^(p-1) sign(x)
                    float v = arena.get(in + e);
                    float sign = v > 0f ? 1f : (v < 0f ? -1f : 0f);
                    sum += arena.get(dOut + o) * TornadoMath.pow(TornadoMath.abs(v) / arena.get(norm + o), power - 1f) * sign;
                }
            }
        }
        return sum;
    }

    /** Average pooling's backward, apart from the others': with them TornadoVM's inliner counted more than its 600 nodes. */
    private static float avgBackward(IntArray p, FloatArray arena, int dOut, int e) {
        int h = p.get(P_H), w = p.get(P_W), oh = p.get(P_OH), ow = p.get(P_OW);
        int ih = e / w % h, iw = e % w, planeStart = e / (h * w) * oh * ow;
        float sum = 0f;
        for (int y = firstWindow(p, ih, P_PH, P_KH, P_SH); y <= lastWindow(p, ih, P_PH, P_SH, oh); y++) {
            for (int x = firstWindow(p, iw, P_PW, P_KW, P_SW); x <= lastWindow(p, iw, P_PW, P_SW, ow); x++) sum += arena.get(dOut + planeStart + y * ow + x) / averaged(p, y, x);
        }
        return sum;
    }

    /** The first output row (or column) whose window holds input row {@code i}: {@code ceil((i + pad - k + 1) / s)}, from 0. */
    private static int firstWindow(IntArray p, int i, int pad, int k, int s) {
        return Math.max(0, (i + p.get(pad) - p.get(k) + p.get(s)) / p.get(s));
    }

    /** The last output row (or column) whose window holds input row {@code i}: {@code floor((i + pad) / s)}, below {@code n}. */
    private static int lastWindow(IntArray p, int i, int pad, int s, int n) {
        return Math.min(n - 1, (i + p.get(pad)) / p.get(s));
    }

    /** Average pooling's divisor for window (y, x): KH*KW, or with the padding excluded its elements inside the input. */
    private static int averaged(IntArray p, int y, int x) {
        int kh = p.get(P_KH), kw = p.get(P_KW), top = y * p.get(P_SH) - p.get(P_PH), left = x * p.get(P_SW) - p.get(P_PW);
        int inside = (Math.min(p.get(P_H), top + kh) - Math.max(0, top)) * (Math.min(p.get(P_W), left + kw) - Math.max(0, left));
        return p.get(P_EXCLUDE_PADDING) == 1 ? inside : kh * kw;
    }

    /** The index of the first largest input of window (y, x), rows then columns. */
    private static int firstMaximum(IntArray p, FloatArray arena, int in, int plane, int y, int x) {
        int h = p.get(P_H), w = p.get(P_W);
        int argmax = -1;
        float largest = 0f;
        for (int i = 0; i < p.get(P_KH); i++) {
            int ih = y * p.get(P_SH) - p.get(P_PH) + i;
            for (int j = 0; j < p.get(P_KW); j++) {
                int iw = x * p.get(P_SW) - p.get(P_PW) + j;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    int at = (plane * h + ih) * w + iw;
                    boolean better = argmax < 0 | arena.get(in + at) > largest;  // not ||: see pool
                    if (better) {
                        argmax = at;
                        largest = arena.get(in + at);
                    }
                }
            }
        }
        return argmax;
    }

    // ---------------------------------------------------------------- element by element

    static final int SIGMOID_FORWARD = 0, SIGMOID_BACKWARD = 1, TANH_FORWARD = 2, TANH_BACKWARD = 3, RELU_FORWARD = 4, RELU_BACKWARD = 5;
    static final int DROPOUT_FORWARD = 6, DROPOUT_BACKWARD = 7, DIFFERENCE_PER_SAMPLE = 8, CROSS_ENTROPY_BACKWARD = 9;
    static final int BIAS_FORWARD = 10, L2_BACKWARD = 11, SGD_UPDATE = 12, ADD = 13, INTO_CHANNELS = 14, FROM_CHANNELS = 15;
    static final int ZERO = 16;
    /** Positions in {@code p} for {@link #elementwise}: the operation, the size, then per operation. */
    static final int E_SIZE = 1, E_SAMPLES = 2, E_CHANNELS = 3, E_PLANE = 4, E_WHOLE = 5, E_OFFSET = 6, E_SEED_HIGH = 7, E_SEED_LOW = 8;

    /**
     * Every operation whose output element depends on the same element of its inputs (and the
     * concatenation's copies, which move element {@code e} of a part to its place among the
     * whole's channels, and zeroing); one work-item per element. Arrays: {@code x0 = a}, {@code x1 = b},
     * {@code x6 = out2} (dropout's mask, SGD's velocity), {@code x7 = out}; {@code f} holds dropout's
     * {@code p}, L2's lambda, or SGD's eta, momentum and decay.
     */
    static void elementwise(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x6 = p.get(X6), x7 = p.get(X7);
        int e = kc.globalIdx, op = p.get(OP);
        if (e < p.get(E_SIZE)) {
            if (op == SIGMOID_FORWARD) {
                arena.set(x7 + e, 1f / (1f + TornadoMath.exp(-arena.get(x0 + e))));
            } else if (op == SIGMOID_BACKWARD) {
                arena.set(x7 + e, arena.get(x0 + e) * arena.get(x1 + e) * (1f - arena.get(x1 + e)));
            } else if (op == TANH_FORWARD) {
                arena.set(x7 + e, TornadoMath.tanh(arena.get(x0 + e)));
            } else if (op == TANH_BACKWARD) {
                arena.set(x7 + e, arena.get(x0 + e) * (1f - arena.get(x1 + e) * arena.get(x1 + e)));
            } else if (op == RELU_FORWARD) {
                arena.set(x7 + e, arena.get(x0 + e) <= 0f ? 0f : arena.get(x0 + e));
            } else if (op == RELU_BACKWARD) {
                arena.set(x7 + e, arena.get(x1 + e) > 0f ? arena.get(x0 + e) : 0f);
            } else if (op == DROPOUT_FORWARD) {
                long seed = ((long) p.get(E_SEED_HIGH) << 32) | (p.get(E_SEED_LOW) & 0xffffffffL);
                float keep = uniform(seed, e) >= f.get(0) ? 1f : 0f;
                arena.set(x6 + e, keep);
                arena.set(x7 + e, arena.get(x0 + e) * keep);
            } else if (op == DROPOUT_BACKWARD) {
                arena.set(x7 + e, arena.get(x0 + e) * arena.get(x1 + e));
            } else if (op == DIFFERENCE_PER_SAMPLE) {
                arena.set(x7 + e, (arena.get(x0 + e) - arena.get(x1 + e)) / p.get(E_SAMPLES));
            } else if (op == CROSS_ENTROPY_BACKWARD) {
                float a = arena.get(x0 + e);
                arena.set(x7 + e, (a - arena.get(x1 + e)) / (a * (1f - a)) / p.get(E_SAMPLES));
            } else if (op == BIAS_FORWARD) {
                arena.set(x7 + e, arena.get(x7 + e) + arena.get(x1 + e / p.get(E_PLANE) % p.get(E_CHANNELS)));
            } else if (op == L2_BACKWARD) {
                arena.set(x7 + e, arena.get(x7 + e) + f.get(0) * arena.get(x0 + e));
            } else if (op == SGD_UPDATE) {
                // x7 = w, x6 = v, x0 = dW: v = momentum v - eta (dW + decay w); w = w + v; v untouched at momentum 0
                float eta = f.get(0), momentum = f.get(1), decay = f.get(2);
                float v = -eta * (arena.get(x0 + e) + decay * arena.get(x7 + e));
                if (momentum != 0f) {
                    v = momentum * arena.get(x6 + e) + v;
                    arena.set(x6 + e, v);
                }
                arena.set(x7 + e, arena.get(x7 + e) + v);
            } else if (op == ADD) {
                arena.set(x7 + e, arena.get(x0 + e) + arena.get(x1 + e));
            } else if (op == ZERO) {
                arena.set(x7 + e, 0f);
            } else if (op == INTO_CHANNELS) {
                arena.set(x7 + whole(p, e), arena.get(x0 + e));
            } else {
                arena.set(x7 + e, arena.get(x0 + whole(p, e)));
            }
        }
    }

    /** Where element {@code e} of a concatenation's part lies in the whole. */
    private static int whole(IntArray p, int e) {
        int perSample = p.get(E_CHANNELS) * p.get(E_PLANE);
        return (e / perSample * p.get(E_WHOLE) + p.get(E_OFFSET)) * p.get(E_PLANE) + e % perSample;
    }

    /**
     * {@code DropoutRng.uniform(seed, e)}: SplitMix64 at counter {@code e}, its top 24 bits times
     * 2^-24. Each {@code >>>} is written as {@code >>} and a mask of the bits it keeps: TornadoVM
     * compiles {@code >>>} on a long to OpenCL's arithmetic shift (measured: every mask wrong).
     */
    private static float uniform(long seed, int e) {
        long z = seed + (e + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ ((z >> 30) & 0x3FFFFFFFFL)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ ((z >> 27) & 0x1FFFFFFFFFL)) * 0x94D049BB133111EBL;
        z = z ^ ((z >> 31) & 0x1FFFFFFFFL);
        return ((z >> 40) & 0xFFFFFFL) * 0x1.0p-24f;
    }

    // ---------------------------------------------------------------- rows: work-group sums in local memory

    static final int SOFTMAX_FORWARD = 0, SOFTMAX_BACKWARD = 1, LOG_LIKELIHOOD = 2, QUADRATIC = 3, CROSS_ENTROPY = 4, BIAS_BACKWARD = 5;
    /** Positions in {@code p} for {@link #rows}: the operation, rows, features (or for the bias: samples, plane). */
    static final int R_ROWS = 1, R_FEATURES = 2, R_SAMPLES = 3, R_PLANE = 4;

    /**
     * Operations that reduce along a row: softmax and its gradient and the three costs (a row per
     * sample), and the bias gradient (a row per channel, over samples and pixels). One work-group
     * of {@link #WIDTH} work-items per row: each work-item sums a strided share of the row, the
     * group adds the shares in local memory, halving the active work-items each round, and the
     * shares it needs again (softmax's maximum and sum) it reads back from there. Arrays:
     * {@code x0 = a}, {@code x1 = b}, {@code x7 = out}.
     */
    static void rows(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x7 = p.get(X7);
        int op = p.get(OP), r = kc.groupIdx, l = kc.localIdx;
        int features = p.get(R_FEATURES), base = r * features;
        float[] lanes = kc.allocateFloatLocalArray(WIDTH);
        // each branch stores its own share: TornadoVM mis-merges a value computed by loops in several branches
        if (op == SOFTMAX_FORWARD) {
            float value = Float.NEGATIVE_INFINITY;
            for (int j = l; j < features; j += WIDTH) value = TornadoMath.max(value, arena.get(x0 + base + j));
            lanes[l] = value;
        } else if (op == SOFTMAX_BACKWARD) {
            // a = dOut, b = out: dIn = out (dOut - sum_k dOut_k out_k)
            float value = 0f;
            for (int j = l; j < features; j += WIDTH) value += arena.get(x0 + base + j) * arena.get(x1 + base + j);
            lanes[l] = value;
        } else if (op == LOG_LIKELIHOOD) {
            float value = 0f;
            for (int j = l; j < features; j += WIDTH) {
                float y = arena.get(x1 + base + j);
                value -= y == 0f ? 0f : y * TornadoMath.log(arena.get(x0 + base + j));
            }
            lanes[l] = value;
        } else if (op == QUADRATIC) {
            float value = 0f;
            for (int j = l; j < features; j += WIDTH) {
                float d = arena.get(x0 + base + j) - arena.get(x1 + base + j);
                value += d * d;
            }
            lanes[l] = value;
        } else if (op == CROSS_ENTROPY) {
            float value = 0f;
            for (int j = l; j < features; j += WIDTH) {
                float y = arena.get(x1 + base + j), a = arena.get(x0 + base + j);
                value -= (y == 0f ? 0f : y * TornadoMath.log(a)) + (y == 1f ? 0f : (1f - y) * TornadoMath.log(1f - a));
            }
            lanes[l] = value;
        } else {
            // dB[c] += sum over samples and pixels of dOut[n, c, .]; r is the channel
            int plane = p.get(R_PLANE), channels = p.get(R_ROWS);
            float value = 0f;
            for (int i = l; i < p.get(R_SAMPLES) * plane; i += WIDTH) value += arena.get(x0 + (i / plane * channels + r) * plane + i % plane);
            lanes[l] = value;
        }
        kc.localBarrier();
        for (int reach = WIDTH / 2; reach > 0; reach /= 2) {
            if (l < reach) {
                if (op == SOFTMAX_FORWARD) {
                    lanes[l] = TornadoMath.max(lanes[l], lanes[l + reach]);
                } else {
                    lanes[l] = lanes[l] + lanes[l + reach];
                }
            }
            kc.localBarrier();
        }
        float total = lanes[0];
        kc.localBarrier();
        if (op == SOFTMAX_FORWARD) {
            // a second round: the sum of exp(x - max)
            float sum = 0f;
            for (int j = l; j < features; j += WIDTH) sum += TornadoMath.exp(arena.get(x0 + base + j) - total);
            lanes[l] = sum;
            kc.localBarrier();
            for (int reach = WIDTH / 2; reach > 0; reach /= 2) {
                if (l < reach) lanes[l] = lanes[l] + lanes[l + reach];
                kc.localBarrier();
            }
            float denominator = lanes[0];
            for (int j = l; j < features; j += WIDTH) arena.set(x7 + base + j, TornadoMath.exp(arena.get(x0 + base + j) - total) / denominator);
        } else if (op == SOFTMAX_BACKWARD) {
            for (int j = l; j < features; j += WIDTH) arena.set(x7 + base + j, arena.get(x1 + base + j) * (arena.get(x0 + base + j) - total));
        } else if (l == 0) {
            if (op == QUADRATIC) {
                arena.set(x7 + r, 0.5f * total);
            } else if (op == BIAS_BACKWARD) {
                arena.set(x7 + r, arena.get(x7 + r) + total);
            } else {
                arena.set(x7 + r, total);
            }
        }
    }

    /**
     * The log-likelihood from logits, a work-item per sample ({@code p[1]} samples of {@code p[2]}
     * features), with plain loops: a row is a few logits. {@code x0 = z}, {@code x1 = y},
     * {@code x7 = loss}: {@code loss = sum_j y_j ((max - z_j) + ln sum_k exp(z_k - max))}.
     */
    static void logSoftmaxLikelihood(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x7 = p.get(X7);
        int n = kc.globalIdx, features = p.get(2);
        if (n < p.get(1)) {
            int base = n * features;
            float top = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < features; j++) top = TornadoMath.max(top, arena.get(x0 + base + j));
            float sum = 0f;
            for (int j = 0; j < features; j++) sum += TornadoMath.exp(arena.get(x0 + base + j) - top);
            float logSum = TornadoMath.log(sum), cost = 0f;
            for (int j = 0; j < features; j++) {
                float y = arena.get(x1 + base + j);
                cost += y == 0f ? 0f : y * ((top - arena.get(x0 + base + j)) + logSum);
            }
            arena.set(x7 + n, cost);
        }
    }

    /**
     * L2's sum of squares in two launches, no atomics: {@code p[1] = 0}, {@link #SUM_GROUPS} groups
     * of {@link #WIDTH} stride over {@code x0} and write one partial sum each into {@code x6};
     * {@code p[1] = 1}, one group adds the partial sums into {@code x7[0]}. {@code p[2]} is the size.
     */
    static void sum(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x6 = p.get(X6), x7 = p.get(X7);
        int l = kc.localIdx, g = kc.groupIdx, stage = p.get(1), size = p.get(2);
        float[] lanes = kc.allocateFloatLocalArray(WIDTH);
        // each branch stores its own sum: TornadoVM mis-merges a value computed by loops in both branches of an if
        if (stage == 0) {
            float value = 0f;
            for (int e = kc.globalIdx; e < size; e += WIDTH * SUM_GROUPS) value += arena.get(x0 + e) * arena.get(x0 + e);
            lanes[l] = value;
        } else {
            float value = 0f;
            for (int e = l; e < SUM_GROUPS; e += WIDTH) value += arena.get(x6 + e);
            lanes[l] = value;
        }
        kc.localBarrier();
        for (int reach = WIDTH / 2; reach > 0; reach /= 2) {
            if (l < reach) lanes[l] = lanes[l] + lanes[l + reach];
            kc.localBarrier();
        }
        if (l == 0) {
            if (stage == 0) {
                arena.set(x6 + g, lanes[0]);
            } else {
                arena.set(x7, lanes[0]);
            }
        }
    }

    // ---------------------------------------------------------------- local response normalisation

    /** Positions in {@code p} for {@link #lrn}: forward (0) or backward (1), channels, plane, window, size; {@code f}: k, alpha, beta. */
    static final int L_C = 1, L_PLANE = 2, L_WINDOW = 3, L_SIZE = 4;

    /**
     * LRN across channels, one work-item per element: {@code out = in q^-beta} forward; backward
     * {@code dIn[c] = dOut[c] q[c]^-beta - 2 alpha beta in[c] sum_{j in W(c)} dOut[j] in[j] q[j]^(-beta-1)},
     * the {@code q[j]} recomputed. Arrays: {@code x0 = in}, {@code x1 = dOut}, {@code x7 = out} or {@code dIn}.
     */
    static void lrn(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x7 = p.get(X7);
        int e = kc.globalIdx;
        if (e < p.get(L_SIZE)) {
            int plane = p.get(L_PLANE), channels = p.get(L_C), ch = e / plane % channels, reach = p.get(L_WINDOW) / 2;
            float beta = f.get(2);
            if (p.get(OP) == 0) {
                arena.set(x7 + e, arena.get(x0 + e) * TornadoMath.pow(scale(p, arena, f, x0, e, ch), -beta));
            } else {
                float sum = 0f;
                for (int j = Math.max(0, ch - reach); j <= Math.min(channels - 1, ch + reach); j++) {
                    int at = e + (j - ch) * plane;
                    sum += arena.get(x1 + at) * arena.get(x0 + at) * TornadoMath.pow(scale(p, arena, f, x0, at, j), -beta - 1f);
                }
                arena.set(x7 + e, arena.get(x1 + e) * TornadoMath.pow(scale(p, arena, f, x0, e, ch), -beta) - 2f * f.get(1) * beta * arena.get(x0 + e) * sum);
            }
        }
    }

    /** {@code q = k + alpha * sum_{j in W(ch)} in[j]^2} at element {@code e} of channel {@code ch}. */
    private static float scale(IntArray p, FloatArray arena, FloatArray f, int in, int e, int ch) {
        int plane = p.get(L_PLANE), channels = p.get(L_C), reach = p.get(L_WINDOW) / 2;
        float sum = 0f;
        for (int j = Math.max(0, ch - reach); j <= Math.min(channels - 1, ch + reach); j++) {
            float v = arena.get(in + e + (j - ch) * plane);
            sum += v * v;
        }
        return f.get(0) + f.get(1) * sum;
    }

    // ---------------------------------------------------------------- recurrent cells

    static final int RNN_STEP = 0, LSTM_STEP = 1, RNN_STEP_BACK = 2, LSTM_STEP_BACK = 3, INPUT_GRADIENT = 4, STATE_GRADIENT = 5, WEIGHT_GRADIENT = 6;
    /** Positions in {@code p} for the recurrent kernels: the operation, the step, steps, batch, in, hidden, gate rows, Wh's and b's offsets, size. */
    static final int T_STEP = 1, T_STEPS = 2, T_BATCH = 3, T_IN = 4, T_HIDDEN = 5, T_ROWS = 6, T_RECURRENT = 7, T_BIAS = 8, T_SIZE = 9;

    /**
     * One time step of the RNN or LSTM forward, a work-item per hidden unit and sample, reading the
     * states the previous launch wrote (as the Aparapi backend's {@code RecurrentKernel}). Arrays:
     * {@code x0 = x}, {@code x1 = h0}, {@code x2 = c0}, {@code x3 = w}, {@code x4 = h}, {@code x5 = c},
     * {@code x6 = gates}.
     */
    static void recurrentStep(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x2 = p.get(X2), x3 = p.get(X3), x4 = p.get(X4), x5 = p.get(X5), x6 = p.get(X6);
        int id = kc.globalIdx, hidden = p.get(T_HIDDEN);
        if (id < p.get(T_SIZE)) {
            int n = id / hidden, j = id % hidden;
            if (p.get(OP) == RNN_STEP) {
                arena.set(x4 + (p.get(T_STEP) * p.get(T_BATCH) + n) * hidden + j, TornadoMath.tanh(preActivation(p, arena, x0, x1, x3, x4, n, j)));
            } else {
                // the four gates' sums here, not in a helper: TornadoVM would not inline one that large
                float zi = preActivation(p, arena, x0, x1, x3, x4, n, j), zf = preActivation(p, arena, x0, x1, x3, x4, n, hidden + j);
                float zg = preActivation(p, arena, x0, x1, x3, x4, n, 2 * hidden + j), zo = preActivation(p, arena, x0, x1, x3, x4, n, 3 * hidden + j);
                lstmCell(p, arena, x2, x4, x5, x6, n, j, zi, zf, zg, zo);
            }
        }
    }

    /**
     * One time step of back-propagation through time, last step first: each work-item's
     * {@code dz} from what reaches its unit ({@code dH} and the next step's {@code Wh^T dz}), and
     * for the LSTM its carried cell gradient, which only it reads and writes. Arrays:
     * {@code x0 = dH}, {@code x1 = dc} (the LSTM's carried cell gradient, {@code dC0} in the end),
     * {@code x2 = c0}, {@code x3 = w}, {@code x4 = h}, {@code x5 = c}, {@code x6 = gates}, {@code x7 = dz}.
     */
    static void recurrentStepBack(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x2 = p.get(X2), x3 = p.get(X3), x4 = p.get(X4), x5 = p.get(X5), x6 = p.get(X6), x7 = p.get(X7);
        int id = kc.globalIdx, hidden = p.get(T_HIDDEN), rows = p.get(T_ROWS), batch = p.get(T_BATCH), step = p.get(T_STEP);
        if (id < p.get(T_SIZE)) {
            int n = id / hidden, j = id % hidden, e = (step * batch + n) * hidden + j, g0 = (step * batch + n) * rows + j;
            float gh = arena.get(x0 + e) + later(p, arena, x3, x7, n, j);
            if (p.get(OP) == RNN_STEP_BACK) {
                arena.set(x7 + g0, gh * (1f - arena.get(x4 + e) * arena.get(x4 + e)));
            } else {
                float i = arena.get(x6 + g0), fg = arena.get(x6 + g0 + hidden), g = arena.get(x6 + g0 + 2 * hidden), o = arena.get(x6 + g0 + 3 * hidden);
                float tc = TornadoMath.tanh(arena.get(x5 + e));
                float carried = step < p.get(T_STEPS) - 1 ? arena.get(x1 + n * hidden + j) : 0f;
                float gc = carried + gh * o * (1f - tc * tc);
                float previous = step == 0 ? arena.get(x2 + n * hidden + j) : arena.get(x5 + ((step - 1) * batch + n) * hidden + j);
                arena.set(x7 + g0, gc * g * i * (1f - i));
                arena.set(x7 + g0 + hidden, gc * previous * fg * (1f - fg));
                arena.set(x7 + g0 + 2 * hidden, gc * i * (1f - g * g));
                arena.set(x7 + g0 + 3 * hidden, gh * tc * o * (1f - o));
                arena.set(x1 + n * hidden + j, gc * fg);
            }
        }
    }

    /**
     * The gradients over all steps once every {@code dz} is known, each work-item one output:
     * {@code dX[q, i] = sum_r Wx[r, i] dz[q, r]}, {@code dH0[n, k] = sum_r Wh[r, k] dz_0[n, r]}, and
     * {@code dW += sum_q dz[q, r] [x_q, h_{q-1}, 1]}. Arrays: {@code x0 = x}, {@code x1 = h0},
     * {@code x3 = w}, {@code x4 = h}, {@code x6} the gradient written, {@code x7 = dz}.
     */
    static void recurrentGradient(KernelContext kc, IntArray p, FloatArray f, FloatArray arena) {
        int x0 = p.get(X0), x1 = p.get(X1), x3 = p.get(X3), x4 = p.get(X4), x6 = p.get(X6), x7 = p.get(X7);
        int id = kc.globalIdx, op = p.get(OP), rows = p.get(T_ROWS), hidden = p.get(T_HIDDEN), in = p.get(T_IN), batch = p.get(T_BATCH);
        if (id < p.get(T_SIZE)) {
            float sum = 0f;
            if (op == INPUT_GRADIENT) {
                int q = id / in, i = id % in;
                for (int r = 0; r < rows; r++) sum += arena.get(x3 + r * in + i) * arena.get(x7 + q * rows + r);
                arena.set(x6 + id, sum);
            } else if (op == STATE_GRADIENT) {
                int n = id / hidden, k = id % hidden;
                for (int r = 0; r < rows; r++) sum += arena.get(x3 + p.get(T_RECURRENT) + r * hidden + k) * arena.get(x7 + n * rows + r);
                arena.set(x6 + id, sum);
            } else {
                int all = p.get(T_STEPS) * batch, recurrent = p.get(T_RECURRENT), bias = p.get(T_BIAS);
                // each branch adds its own sum (see rows)
                if (id < recurrent) {
                    int r = id / in, i = id % in;
                    for (int q = 0; q < all; q++) sum += arena.get(x7 + q * rows + r) * arena.get(x0 + q * in + i);
                    arena.set(x6 + id, arena.get(x6 + id) + sum);
                } else if (id < bias) {
                    int r = (id - recurrent) / hidden, k = (id - recurrent) % hidden;
                    for (int q = 0; q < batch; q++) sum += arena.get(x7 + q * rows + r) * arena.get(x1 + q * hidden + k);
                    for (int q = batch; q < all; q++) sum += arena.get(x7 + q * rows + r) * arena.get(x4 + (q - batch) * hidden + k);
                    arena.set(x6 + id, arena.get(x6 + id) + sum);
                } else {
                    for (int q = 0; q < all; q++) sum += arena.get(x7 + q * rows + id - bias);
                    arena.set(x6 + id, arena.get(x6 + id) + sum);
                }
            }
        }
    }

    /** {@code z[r] = b[r] + Wx[r, :] x_t + Wh[r, :] h_{t-1}} for sample {@code n}. */
    private static float preActivation(IntArray p, FloatArray arena, int x, int h0, int w, int h, int n, int r) {
        int in = p.get(T_IN), hidden = p.get(T_HIDDEN), step = p.get(T_STEP), batch = p.get(T_BATCH), row = step * batch + n;
        float sum = arena.get(w + p.get(T_BIAS) + r);
        for (int i = 0; i < in; i++) sum += arena.get(w + r * in + i) * arena.get(x + row * in + i);
        for (int k = 0; k < hidden; k++) {
            float previous = step == 0 ? arena.get(h0 + n * hidden + k) : arena.get(h + ((step - 1) * batch + n) * hidden + k);
            sum += arena.get(w + p.get(T_RECURRENT) + r * hidden + k) * previous;
        }
        return sum;
    }

    private static float sigmoid(float z) {
        return 1f / (1f + TornadoMath.exp(-z));
    }

    /** The LSTM cell of unit {@code j}, sample {@code n}, from its four gates' pre-activations. */
    private static void lstmCell(IntArray p, FloatArray arena, int c0, int h, int c, int gates, int n, int j,
                                 float zi, float zf, float zg, float zo) {
        int hidden = p.get(T_HIDDEN), rows = p.get(T_ROWS), step = p.get(T_STEP), batch = p.get(T_BATCH);
        int row = step * batch + n, e = row * hidden + j, g0 = row * rows + j;
        float i = sigmoid(zi), f = sigmoid(zf), g = TornadoMath.tanh(zg), o = sigmoid(zo);
        float previous = step == 0 ? arena.get(c0 + n * hidden + j) : arena.get(c + ((step - 1) * batch + n) * hidden + j);
        float ct = f * previous + i * g;
        arena.set(c + e, ct);
        arena.set(h + e, o * TornadoMath.tanh(ct));
        arena.set(gates + g0, i);
        arena.set(gates + g0 + hidden, f);
        arena.set(gates + g0 + 2 * hidden, g);
        arena.set(gates + g0 + 3 * hidden, o);
    }

    /** What step {@code t+1} sends back to {@code h_t[n, j]}: {@code sum_r Wh[r, j] dz_{t+1}[n, r]}; nothing after the last step. */
    private static float later(IntArray p, FloatArray arena, int w, int dz, int n, int j) {
        int rows = p.get(T_ROWS), hidden = p.get(T_HIDDEN), step = p.get(T_STEP);
        // no terms after the last step; a loop that may run zero times, not an if around one (see gemm's class comment)
        int terms = step < p.get(T_STEPS) - 1 ? rows : 0, next = ((step + 1) * p.get(T_BATCH) + n) * rows;
        float sum = 0f;
        for (int r = 0; r < terms; r++) sum += arena.get(w + p.get(T_RECURRENT) + r * hidden + j) * arena.get(dz + next + r);
        return sum;
    }

    // ---------------------------------------------------------------- moving data in and out of the arena

    /** Positions in {@code p} for {@link #toArena} and {@link #fromArena}: how many floats, and where in the arena. */
    static final int MOVE_COUNT = 0, MOVE_OFFSET = 1;

    /** Copies the first {@code p[MOVE_COUNT]} floats of {@code staging}, just put on the device, into the arena at {@code p[MOVE_OFFSET]}. */
    static void toArena(KernelContext kc, IntArray p, FloatArray staging, FloatArray arena) {
        int e = kc.globalIdx;
        if (e < p.get(MOVE_COUNT)) arena.set(p.get(MOVE_OFFSET) + e, staging.get(e));
    }

    /** Copies {@code p[MOVE_COUNT]} floats of the arena from {@code p[MOVE_OFFSET]} into {@code staging}, to go to the host. */
    static void fromArena(KernelContext kc, IntArray p, FloatArray staging, FloatArray arena) {
        int e = kc.globalIdx;
        if (e < p.get(MOVE_COUNT)) staging.set(e, arena.get(p.get(MOVE_OFFSET) + e));
    }
}
