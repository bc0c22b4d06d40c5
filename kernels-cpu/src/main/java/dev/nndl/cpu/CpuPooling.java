package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.L;
import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.PoolShape;
import dev.nndl.spi.Pooling;
import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pooling on the CPU: the reference's window loops in float, one task per group of planes. A
 * plane's backward pass only writes that plane, so planes never race.
 */
final class CpuPooling implements Pooling {

    private final Parallel parallel;

    CpuPooling(Parallel parallel) {
        this.parallel = parallel;
    }

    /** Runs {@code body(plane)} for each of the {@code n * c} planes, spread over the threads. */
    private static void planes(PoolShape s, Parallel parallel, java.util.function.IntConsumer body) {
        int planes = s.n() * s.c(), perTask = Math.max(1, (1 << 14) / Math.max(1, s.h() * s.w()));
        int tasks = (planes + perTask - 1) / perTask;
        parallel.forEach(tasks, t -> {
            for (int q = t * perTask; q < Math.min(planes, (t + 1) * perTask); q++) body.accept(q);
        });
    }

    /**
     * Whether this is the ladder's pooling, non-overlapping 2x2 windows with stride 2 and no
     * padding: then each window is four known elements and needs no loops or border checks (the
     * generic loops took a third of a v3 training step, measured with JFR). Forward and average
     * pooling's backward take a row's windows half a vector at a time, of the widest vectors where
     * the row fills half of one, and the last vector ends where the row does, covering some of the
     * windows before it again with the same values: no masked loads, which cost more than the
     * arithmetic (LeNet-5's S2 forward at mini-batch 5 on one thread of a Zen 5: 1.1-1.2 us
     * against 4.4-4.5 with the last vector masked, 5.5-7.0 at 256 bits with a scalar tail).
     */
    static boolean twoByTwo(PoolShape s) {
        return s.kh() == 2 && s.kw() == 2 && s.sh() == 2 && s.sw() == 2 && s.ph() == 0 && s.pw() == 0;
    }

    @Override
    public void maxPool2dForward(float[] out, float[] in, PoolShape s) {
        // the shape's sizes as locals: ow() and oh() divide, and a loop cannot hoist a division that may throw
        int h = s.h(), w = s.w(), oh = s.oh(), ow = s.ow(), hw = h * w, ohw = oh * ow;
        if (twoByTwo(s)) {
            planes(s, parallel, q -> {
                for (int y = 0; y < oh; y++) {
                    int top = q * hw + 2 * y * w, bottom = top + w, at = q * ohw + y * ow;
                    if (ow >= WL / 2) {
                        for (int x0 = 0; x0 < ow; x0 += WL / 2) {
                            int x = Math.min(x0, ow - WL / 2);
                            FloatVector max = FloatVector.fromArray(W, in, top + 2 * x).max(FloatVector.fromArray(W, in, bottom + 2 * x));
                            max.max(max.rearrange(SWAP_PAIRS_W)).rearrange(EVEN_LANES_LOW_W).intoArray(out, at + x, LOW_HALF_W);
                        }
                    } else if (ow >= L / 2) {
                        for (int x0 = 0; x0 < ow; x0 += L / 2) {
                            int x = Math.min(x0, ow - L / 2);
                            FloatVector max = FloatVector.fromArray(S, in, top + 2 * x).max(FloatVector.fromArray(S, in, bottom + 2 * x));
                            max.max(max.rearrange(SWAP_PAIRS)).rearrange(EVEN_LANES_LOW).intoArray(out, at + x, LOW_HALF);
                        }
                    } else {
                        for (int x = 0; x < ow; x++) {
                            out[at + x] = Math.max(Math.max(in[top + 2 * x], in[top + 2 * x + 1]), Math.max(in[bottom + 2 * x], in[bottom + 2 * x + 1]));
                        }
                    }
                }
            });
            return;
        }
        planes(s, parallel, q -> {
            for (int y = 0; y < oh; y++) {
                int y0 = Math.max(0, y * s.sh() - s.ph()), y1 = Math.min(h, y * s.sh() - s.ph() + s.kh());
                for (int x = 0; x < ow; x++) {
                    int x0 = Math.max(0, x * s.sw() - s.pw()), x1 = Math.min(w, x * s.sw() - s.pw() + s.kw());
                    float max = Float.NEGATIVE_INFINITY;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) max = Math.max(max, in[q * hw + iy * w + ix]);
                    }
                    out[q * ohw + y * ow + x] = max;
                }
            }
        });
    }

    @Override
    public void maxPool2dBackward(float[] dIn, float[] dOut, float[] in, PoolShape s) {
        // the shape's sizes as locals: ow() and oh() divide, and a loop cannot hoist a division that may throw
        int h = s.h(), w = s.w(), oh = s.oh(), ow = s.ow(), hw = h * w, ohw = oh * ow;
        if (twoByTwo(s)) {
            planes(s, parallel, q -> {
                if (h % 2 != 0 || w % 2 != 0) Arrays.fill(dIn, q * hw, (q + 1) * hw, 0f);
                for (int y = 0; y < oh; y++) {
                    int top = q * hw + 2 * y * w, at = q * ohw + y * ow, x = 0;
                    for (; x + L <= ow; x += L) {
                        FloatVector g = FloatVector.fromArray(S, dOut, at + x);
                        twoByTwoBackward(in, dIn, top + 2 * x, w, g.rearrange(LOW_PAIRS));
                        twoByTwoBackward(in, dIn, top + 2 * x + L, w, g.rearrange(HIGH_PAIRS));
                    }
                    if (x + L / 2 <= ow) {
                        FloatVector g = (FloatVector) FloatVector.fromArray(HALF_S, dOut, at + x).reinterpretShape(S, 0);
                        twoByTwoBackward(in, dIn, top + 2 * x, w, g.rearrange(LOW_PAIRS));
                        x += L / 2;
                    }
                    for (; x < ow; x++) twoByTwoBackward(in, dIn, top + 2 * x, w, dOut[at + x]);
                }
            });
            return;
        }
        planes(s, parallel, q -> {
            Arrays.fill(dIn, q * hw, (q + 1) * hw, 0f);
            for (int y = 0; y < oh; y++) {
                int y0 = Math.max(0, y * s.sh() - s.ph()), y1 = Math.min(h, y * s.sh() - s.ph() + s.kh());
                for (int x = 0; x < ow; x++) {
                    int x0 = Math.max(0, x * s.sw() - s.pw()), x1 = Math.min(w, x * s.sw() - s.pw() + s.kw());
                    int argmax = -1;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int e = q * hw + iy * w + ix;
                            if (argmax < 0 || in[e] > in[argmax]) argmax = e;
                        }
                    }
                    dIn[argmax] += dOut[q * ohw + y * ow + x];
                }
            }
        });
    }

    private static final VectorShuffle<Float> SWAP_PAIRS = VectorShuffle.fromOp(S, i -> i ^ 1);
    private static final VectorShuffle<Float> LOW_PAIRS = VectorShuffle.fromOp(S, i -> i / 2);
    private static final VectorShuffle<Float> HIGH_PAIRS = VectorShuffle.fromOp(S, i -> i / 2 + L / 2);
    private static final VectorShuffle<Float> EVEN_LANES_LOW = VectorShuffle.fromOp(S, i -> 2 * i % L);
    private static final VectorMask<Float> LEFT = VectorMask.fromLong(S, 0x5555_5555_5555_5555L);
    private static final VectorMask<Float> LOW_HALF = VectorMask.fromLong(S, (1L << L / 2) - 1);
    private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
    private static final VectorSpecies<Float> W = Species.WIDE;
    private static final int WL = W.length();
    private static final VectorShuffle<Float> SWAP_PAIRS_W = VectorShuffle.fromOp(W, i -> i ^ 1);
    private static final VectorShuffle<Float> LOW_PAIRS_W = VectorShuffle.fromOp(W, i -> i / 2);
    private static final VectorShuffle<Float> EVEN_LANES_LOW_W = VectorShuffle.fromOp(W, i -> 2 * i % WL);
    private static final VectorMask<Float> LOW_HALF_W = VectorMask.fromLong(W, (1L << WL / 2) - 1);
    /** Half vectors: a row's gradients for half a vector of windows, read without a mask (masked loads cost more than the rest). */
    private static final VectorSpecies<Float> HALF_W = VectorSpecies.of(float.class, VectorShape.forBitSize(W.vectorBitSize() / 2));
    private static final VectorSpecies<Float> HALF_S = VectorSpecies.of(float.class, VectorShape.forBitSize(S.vectorBitSize() / 2));

    /**
     * Backward of {@code L/2} neighbouring 2x2 windows whose top-left corner is {@code e} (rows
     * {@code w} apart), each window's gradient repeated in its two lanes of {@code g}. Swapping
     * neighbouring lanes puts each window's other column beside it, so each lane sees its window's
     * maximum; masks then pick the first maximum in row-major order (top-left, top-right,
     * bottom-left, bottom-right), as the reference does, and blends write the gradient there and
     * zeros elsewhere. No branches: on random data the scalar version mispredicted so often that
     * backward took six times as long as forward.
     */
    private static void twoByTwoBackward(float[] in, float[] dIn, int e, int w, FloatVector g) {
        FloatVector top = FloatVector.fromArray(S, in, e), bottom = FloatVector.fromArray(S, in, e + w);
        FloatVector max = top.max(top.rearrange(SWAP_PAIRS)).max(bottom.max(bottom.rearrange(SWAP_PAIRS)));
        VectorMask<Float> topIsMax = top.compare(VectorOperators.EQ, max), bottomIsMax = bottom.compare(VectorOperators.EQ, max);
        FloatVector topFlag = FloatVector.zero(S).blend(ONE, topIsMax), bottomFlag = FloatVector.zero(S).blend(ONE, bottomIsMax);
        VectorMask<Float> neighbourTopIsMax = topFlag.rearrange(SWAP_PAIRS).compare(VectorOperators.GT, 0f);
        VectorMask<Float> neighbourBottomIsMax = bottomFlag.rearrange(SWAP_PAIRS).compare(VectorOperators.GT, 0f);
        VectorMask<Float> topWins = topIsMax.and(LEFT.or(neighbourTopIsMax.not()));
        VectorMask<Float> anyTop = topIsMax.or(neighbourTopIsMax);
        VectorMask<Float> bottomWins = bottomIsMax.and(anyTop.not()).and(LEFT.or(neighbourBottomIsMax.not()));
        FloatVector.zero(S).blend(g, topWins).intoArray(dIn, e);
        FloatVector.zero(S).blend(g, bottomWins).intoArray(dIn, e + w);
    }

    /**
     * The same for one window, with the reference's comparisons, as selects rather than branches
     * (the branches mispredicted on random data; the vector path leaves at most {@code L/2 - 1}
     * windows a row to this).
     */
    private static void twoByTwoBackward(float[] in, float[] dIn, int e, int w, float g) {
        float a = in[e], b = in[e + 1], c = in[e + w], d = in[e + w + 1];
        boolean bWins = b > a;
        float ab = bWins ? b : a;
        boolean cWins = c > ab;
        boolean dWins = d > (cWins ? c : ab);
        boolean lowerWins = cWins | dWins;
        dIn[e] = bWins | lowerWins ? 0f : g;
        dIn[e + 1] = bWins & !lowerWins ? g : 0f;
        dIn[e + w] = cWins & !dWins ? g : 0f;
        dIn[e + w + 1] = dWins ? g : 0f;
    }

    @Override
    public void avgPool2dForward(float[] out, float[] in, PoolShape s) {
        // the shape's sizes as locals: ow() and oh() divide, and a loop cannot hoist a division that may throw
        int h = s.h(), w = s.w(), oh = s.oh(), ow = s.ow(), hw = h * w, ohw = oh * ow;
        float whole = 1f / (s.kh() * s.kw());
        if (twoByTwo(s)) {
            // LeNet-5's subsampling: as max-pooling's 2x2 path, with sums (each window's columns, then its rows)
            planes(s, parallel, q -> {
                for (int y = 0; y < oh; y++) {
                    int top = q * hw + 2 * y * w, bottom = top + w, at = q * ohw + y * ow;
                    if (ow >= WL / 2) {
                        for (int x0 = 0; x0 < ow; x0 += WL / 2) {
                            int x = Math.min(x0, ow - WL / 2);
                            FloatVector rows = FloatVector.fromArray(W, in, top + 2 * x).add(FloatVector.fromArray(W, in, bottom + 2 * x));
                            rows.add(rows.rearrange(SWAP_PAIRS_W)).mul(whole).rearrange(EVEN_LANES_LOW_W).intoArray(out, at + x, LOW_HALF_W);
                        }
                    } else if (ow >= L / 2) {
                        for (int x0 = 0; x0 < ow; x0 += L / 2) {
                            int x = Math.min(x0, ow - L / 2);
                            FloatVector rows = FloatVector.fromArray(S, in, top + 2 * x).add(FloatVector.fromArray(S, in, bottom + 2 * x));
                            rows.add(rows.rearrange(SWAP_PAIRS)).mul(whole).rearrange(EVEN_LANES_LOW).intoArray(out, at + x, LOW_HALF);
                        }
                    } else {
                        for (int x = 0; x < ow; x++) {
                            out[at + x] = ((in[top + 2 * x] + in[bottom + 2 * x]) + (in[top + 2 * x + 1] + in[bottom + 2 * x + 1])) * whole;
                        }
                    }
                }
            });
            return;
        }
        planes(s, parallel, q -> {
            for (int y = 0; y < oh; y++) {
                int y0 = Math.max(0, y * s.sh() - s.ph()), y1 = Math.min(h, y * s.sh() - s.ph() + s.kh());
                for (int x = 0; x < ow; x++) {
                    int x0 = Math.max(0, x * s.sw() - s.pw()), x1 = Math.min(w, x * s.sw() - s.pw() + s.kw());
                    float sum = 0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) sum += in[q * hw + iy * w + ix];
                    }
                    out[q * ohw + y * ow + x] = sum * (s.excludePadding() ? 1f / ((y1 - y0) * (x1 - x0)) : whole);
                }
            }
        });
    }

    @Override
    public void avgPool2dBackward(float[] dIn, float[] dOut, PoolShape s) {
        // the shape's sizes as locals: ow() and oh() divide, and a loop cannot hoist a division that may throw
        int h = s.h(), w = s.w(), oh = s.oh(), ow = s.ow(), hw = h * w, ohw = oh * ow;
        float whole = 1f / (s.kh() * s.kw());
        if (twoByTwo(s)) {
            // each window's share, repeated in its two lanes, written to both its rows
            planes(s, parallel, q -> {
                if (h % 2 != 0 || w % 2 != 0) Arrays.fill(dIn, q * hw, (q + 1) * hw, 0f);
                for (int y = 0; y < oh; y++) {
                    int top = q * hw + 2 * y * w, bottom = top + w, at = q * ohw + y * ow;
                    if (ow >= WL / 2) {
                        for (int x0 = 0; x0 < ow; x0 += WL / 2) {
                            int x = Math.min(x0, ow - WL / 2);
                            FloatVector share = ((FloatVector) FloatVector.fromArray(HALF_W, dOut, at + x).reinterpretShape(W, 0)).mul(whole).rearrange(LOW_PAIRS_W);
                            share.intoArray(dIn, top + 2 * x);
                            share.intoArray(dIn, bottom + 2 * x);
                        }
                    } else if (ow >= L / 2) {
                        for (int x0 = 0; x0 < ow; x0 += L / 2) {
                            int x = Math.min(x0, ow - L / 2);
                            FloatVector share = ((FloatVector) FloatVector.fromArray(HALF_S, dOut, at + x).reinterpretShape(S, 0)).mul(whole).rearrange(LOW_PAIRS);
                            share.intoArray(dIn, top + 2 * x);
                            share.intoArray(dIn, bottom + 2 * x);
                        }
                    } else {
                        for (int x = 0; x < ow; x++) {
                            float share = dOut[at + x] * whole;
                            dIn[top + 2 * x] = dIn[top + 2 * x + 1] = dIn[bottom + 2 * x] = dIn[bottom + 2 * x + 1] = share;
                        }
                    }
                }
            });
            return;
        }
        planes(s, parallel, q -> {
            Arrays.fill(dIn, q * hw, (q + 1) * hw, 0f);
            for (int y = 0; y < oh; y++) {
                int y0 = Math.max(0, y * s.sh() - s.ph()), y1 = Math.min(h, y * s.sh() - s.ph() + s.kh());
                for (int x = 0; x < ow; x++) {
                    int x0 = Math.max(0, x * s.sw() - s.pw()), x1 = Math.min(w, x * s.sw() - s.pw() + s.kw());
                    float share = dOut[q * ohw + y * ow + x] * (s.excludePadding() ? 1f / ((y1 - y0) * (x1 - x0)) : whole);
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) dIn[q * hw + iy * w + ix] += share;
                    }
                }
            }
        });
    }

    @Override
    public void lpPool2dForward(float[] out, float[] in, float p, PoolShape s) {
        int hw = s.h() * s.w(), ohw = s.oh() * s.ow();
        planes(s, parallel, q -> {
            for (int y = 0; y < s.oh(); y++) {
                int y0 = Math.max(0, y * s.sh() - s.ph()), y1 = Math.min(s.h(), y * s.sh() - s.ph() + s.kh());
                for (int x = 0; x < s.ow(); x++) {
                    int x0 = Math.max(0, x * s.sw() - s.pw()), x1 = Math.min(s.w(), x * s.sw() - s.pw() + s.kw());
                    float sum = 0;
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) sum += (float) StrictMath.pow(Math.abs(in[q * hw + iy * s.w() + ix]), p);
                    }
                    out[q * ohw + y * s.ow() + x] = (float) StrictMath.pow(sum, 1.0 / p);
                }
            }
        });
    }

    @Override
    public void lpPool2dBackward(float[] dIn, float[] dOut, float[] in, float[] out, float p, PoolShape s) {
        int hw = s.h() * s.w(), ohw = s.oh() * s.ow();
        planes(s, parallel, q -> {
            Arrays.fill(dIn, q * hw, (q + 1) * hw, 0f);
            for (int y = 0; y < s.oh(); y++) {
                int y0 = Math.max(0, y * s.sh() - s.ph()), y1 = Math.min(s.h(), y * s.sh() - s.ph() + s.kh());
                for (int x = 0; x < s.ow(); x++) {
                    float norm = out[q * ohw + y * s.ow() + x];
                    if (norm == 0) continue;
                    float g = dOut[q * ohw + y * s.ow() + x];
                    int x0 = Math.max(0, x * s.sw() - s.pw()), x1 = Math.min(s.w(), x * s.sw() - s.pw() + s.kw());
                    for (int iy = y0; iy < y1; iy++) {
                        for (int ix = x0; ix < x1; ix++) {
                            int e = q * hw + iy * s.w() + ix;
                            dIn[e] += g * (float) StrictMath.pow(Math.abs(in[e]) / norm, p - 1) * Math.signum(in[e]);
                        }
                    }
                }
            }
        });
    }
}
