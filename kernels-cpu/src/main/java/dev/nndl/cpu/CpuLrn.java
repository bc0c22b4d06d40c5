package dev.nndl.cpu;

import static dev.nndl.cpu.Gemm.S;

import dev.nndl.shape.LrnShape;
import dev.nndl.spi.Normalisation;
import jdk.incubator.vector.FloatVector;

/**
 * Local response normalisation on the CPU, vectorised across pixels: NCHW puts a pixel's channels
 * a plane apart, but neighbouring pixels of one channel side by side, so each vector holds one
 * channel at several pixels and the window over channels is a handful of vector FMAs. Window sums
 * are taken directly, not as a running sum over all channels, whose rounding would grow with the
 * channel count.
 */
final class CpuLrn implements Normalisation {

    /** Pixels per task. */
    private static final int BLOCK = 512;

    private final Parallel parallel;

    CpuLrn(Parallel parallel) {
        this.parallel = parallel;
    }

    private interface Block {
        void run(int n, int p0, int p1);
    }

    private static void blocks(LrnShape s, Parallel parallel, Block body) {
        int plane = s.h() * s.w(), perSample = (plane + BLOCK - 1) / BLOCK;
        parallel.forEach(s.n() * perSample, t -> {
            int n = t / perSample, p0 = (t % perSample) * BLOCK;
            body.run(n, p0, Math.min(plane, p0 + BLOCK));
        });
    }

    /** {@code q = k + alpha * sum_{j in W(c)} in[j]^2} for channel {@code c} at pixels {@code e .. e+L-1} of sample base {@code base}. */
    private static FloatVector scaleVector(float[] in, LrnShape s, int base, int plane, int c, int e) {
        int half = s.size() / 2;
        FloatVector sum = FloatVector.zero(S);
        for (int j = Math.max(0, c - half); j <= Math.min(s.c() - 1, c + half); j++) {
            FloatVector x = FloatVector.fromArray(S, in, base + j * plane + e);
            sum = x.fma(x, sum);
        }
        return sum.mul(s.alpha()).add(s.k());
    }

    private static float scale(float[] in, LrnShape s, int base, int plane, int c, int e) {
        int half = s.size() / 2;
        float sum = 0;
        for (int j = Math.max(0, c - half); j <= Math.min(s.c() - 1, c + half); j++) {
            float x = in[base + j * plane + e];
            sum += x * x;
        }
        return s.k() + s.alpha() * sum;
    }

    @Override
    public void lrnForward(float[] out, float[] in, LrnShape s) {
        int plane = s.h() * s.w();
        blocks(s, parallel, (n, p0, p1) -> {
            int base = n * s.c() * plane;
            for (int c = 0; c < s.c(); c++) {
                // window sums vectorised; the power through StrictMath so that results do not depend on the JIT (see Gemm.sum)
                float[] q = new float[p1 - p0];
                int e = p0;
                for (; e < p0 + S.loopBound(p1 - p0); e += S.length()) scaleVector(in, s, base, plane, c, e).intoArray(q, e - p0);
                for (; e < p1; e++) q[e - p0] = scale(in, s, base, plane, c, e);
                for (e = p0; e < p1; e++) out[base + c * plane + e] = in[base + c * plane + e] * (float) StrictMath.pow(q[e - p0], -s.beta());
            }
        });
    }

    @Override
    public void lrnBackward(float[] dIn, float[] dOut, float[] in, LrnShape s) {
        int plane = s.h() * s.w(), half = s.size() / 2;
        float twoAlphaBeta = 2 * s.alpha() * s.beta();
        blocks(s, parallel, (n, p0, p1) -> {
            int base = n * s.c() * plane, width = p1 - p0;
            // per channel, for this block's pixels: q^-beta and t = dOut * in * q^(-beta-1)
            float[] power = new float[s.c() * width], t = new float[s.c() * width];
            for (int c = 0; c < s.c(); c++) {
                for (int e = p0; e < p1; e++) {
                    float q = scale(in, s, base, plane, c, e), qb = (float) StrictMath.pow(q, -s.beta());
                    power[c * width + e - p0] = qb;
                    t[c * width + e - p0] = dOut[base + c * plane + e] * in[base + c * plane + e] * qb / q;
                }
            }
            for (int c = 0; c < s.c(); c++) {
                int lo = Math.max(0, c - half), hi = Math.min(s.c() - 1, c + half), e = 0;
                for (; e < S.loopBound(width); e += S.length()) {
                    FloatVector sum = FloatVector.zero(S);
                    for (int j = lo; j <= hi; j++) sum = sum.add(FloatVector.fromArray(S, t, j * width + e));
                    int at = base + c * plane + p0 + e;
                    FloatVector first = FloatVector.fromArray(S, dOut, at).mul(FloatVector.fromArray(S, power, c * width + e));
                    first.sub(FloatVector.fromArray(S, in, at).mul(sum).mul(twoAlphaBeta)).intoArray(dIn, at);
                }
                for (; e < width; e++) {
                    float sum = 0;
                    for (int j = lo; j <= hi; j++) sum += t[j * width + e];
                    int at = base + c * plane + p0 + e;
                    dIn[at] = dOut[at] * power[c * width + e] - twoAlphaBeta * in[at] * sum;
                }
            }
        });
    }
}
