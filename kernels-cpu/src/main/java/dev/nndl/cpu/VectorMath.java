package dev.nndl.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code exp}, the sigmoid and {@code tanh} in float, on vectors and on single values, with the
 * same operations in the same order in both: Cephes' {@code expf} and {@code tanhf}
 * (Moshier 1992), about 1 and 2 units in the last place from the exact result.
 *
 * <p>Why not the Vector API's {@code EXP} and {@code TANH} lanes: they are SVML once C2 compiles
 * them and a Java loop over {@code Math} before, so one input could round two ways in one run and
 * the same seed would not give the same weights (see {@link Gemm#sum}). Why not
 * {@code StrictMath}, which this backend used before: it is a double-precision software routine,
 * one value at a time; the LSTM's gates spent about 20 ns each in it, more than their matrix
 * products took at the test task's size. These use only multiplies, fused multiply-adds,
 * divisions and bit operations, which IEEE 754 defines exactly, so lanes, tails, the interpreter
 * and C2 all give the same bits.
 *
 * <p>The vectors are {@link #SPECIES}, the widest ({@link Species#WIDE}), whichever kernel calls:
 * every lane computes alone, so the width changes no bits, and one species a JVM keeps every call
 * site's vector class the same. Taking the species from the argument instead, with the
 * activations at 512 bits and the softmax at 256, made LeNet-5's training step 2.6 times slower:
 * C2 no longer turns the shared code into vector instructions.
 */
final class VectorMath {

    /** The vectors every function here takes and returns. */
    static final VectorSpecies<Float> SPECIES = Species.WIDE;

    private VectorMath() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 split in two, the first with few enough bits that {@code n * LN2_HI} is exact. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** Round-to-nearest by addition: 1.5 * 2^23. */
    private static final float ROUND = 12582912f;
    /** Below this exp rounds to 0, above the other to infinity; inputs are clamped to the range around them first. */
    private static final float EXP_UNDERFLOW = -103.972084f, EXP_OVERFLOW = 88.7228391f, CLAMP_LOW = -104f, CLAMP_HIGH = 89f;
    private static final float[] EXP_POLY = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};
    private static final float[] TANH_POLY = {-5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f, 1.33314422036e-1f, -3.33332819422e-1f};
    /** Below this |x|, tanh is its odd polynomial; above, {@code 1 - 2 / (exp(2|x|) + 1)}. */
    private static final float TANH_SMALL = 0.625f;
    /**
     * Where tanh clamps {@code 2|x|}: tanh is 1 in float long before ({@code 1 - 2 / (e^88 + 1)}
     * rounds to 1, as does every larger argument), and up to here {@code exp}'s {@code 2^n} is one
     * normal float ({@code n <= 127}), so tanh needs none of exp's range checks nor its scaling in
     * two halves. The bits are exp's: multiplying by a power of two that stays normal is exact.
     */
    private static final float TANH_CLAMP = 88f;

    // ---------------------------------------------------------------- one value

    /**
     * {@code x = n ln 2 + r} with {@code |r| <= ln 2 / 2}, {@code exp(r)} by its polynomial, then
     * times {@code 2^n} in two halves, {@code 2^(n >> 1) 2^(n - (n >> 1))}: each is a normal float
     * for every {@code n} from -150 to 128, so results near overflow and down among the subnormals
     * come out right, rounded once.
     */
    static float exp(float x) {
        if (Float.isNaN(x)) return x;
        if (x > EXP_OVERFLOW) return Float.POSITIVE_INFINITY;
        if (x < EXP_UNDERFLOW) return 0f;
        float c = Math.min(Math.max(x, CLAMP_LOW), CLAMP_HIGH);
        float n = Math.fma(c, LOG2E, ROUND) - ROUND;
        int k = (int) n, half = k >> 1;
        return reduced(c, n) * Float.intBitsToFloat((half + 127) << 23) * Float.intBitsToFloat((k - half + 127) << 23);
    }

    /** {@code exp(c - n ln 2)}, by the polynomial: {@code exp(c) / 2^n}. */
    private static float reduced(float c, float n) {
        float r = Math.fma(n, -LN2_LO, Math.fma(n, -LN2_HI, c));
        float p = EXP_POLY[0];
        for (int i = 1; i < EXP_POLY.length; i++) p = Math.fma(p, r, EXP_POLY[i]);
        return Math.fma(p, r * r, r) + 1f;
    }

    /** {@code exp(c)} for {@code 0 <= c <= TANH_CLAMP}, or NaN. */
    private static float expForTanh(float c) {
        float n = Math.fma(c, LOG2E, ROUND) - ROUND;
        return reduced(c, n) * Float.intBitsToFloat(((int) n + 127) << 23);
    }

    /** {@code 1 / (1 + e)} for {@code x >= 0} and {@code e / (1 + e)} below, {@code e = exp(-|x|)}: no overflow, and small results keep their precision. */
    static float sigmoid(float x) {
        float e = exp(-Math.abs(x)), d = 1f + e;
        return x < 0 ? e / d : 1f / d;
    }

    static float tanh(float x) {
        float a = Math.abs(x);
        if (x == 0) return x;  // keeps the sign of -0, which the polynomial would lose
        if (a < TANH_SMALL) {
            float z = x * x, p = TANH_POLY[0];
            for (int i = 1; i < TANH_POLY.length; i++) p = Math.fma(p, z, TANH_POLY[i]);
            return Math.fma(p * z, x, x);
        }
        return Math.copySign(1f - 2f / (expForTanh(Math.min(2f * a, TANH_CLAMP)) + 1f), x);
    }

    // ---------------------------------------------------------------- a vector of values

    static FloatVector exp(FloatVector x) {
        VectorMask<Float> overflow = x.compare(VectorOperators.GT, EXP_OVERFLOW), underflow = x.compare(VectorOperators.LT, EXP_UNDERFLOW);
        VectorMask<Float> nan = x.test(VectorOperators.IS_NAN);
        FloatVector c = x.max(CLAMP_LOW).min(CLAMP_HIGH);
        FloatVector n = c.fma(LOG2E, ROUND).sub(ROUND);
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0), half = k.lanewise(VectorOperators.ASHR, 1);
        FloatVector first = half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector second = k.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector result = reduced(c, n).mul(first).mul(second);
        return result.blend(0f, underflow).blend(Float.POSITIVE_INFINITY, overflow).blend(x, nan);
    }

    private static FloatVector reduced(FloatVector c, FloatVector n) {
        FloatVector r = n.fma(FloatVector.broadcast(SPECIES, -LN2_LO), n.fma(FloatVector.broadcast(SPECIES, -LN2_HI), c));
        FloatVector p = FloatVector.broadcast(SPECIES, EXP_POLY[0]);
        for (int i = 1; i < EXP_POLY.length; i++) p = p.fma(r, FloatVector.broadcast(SPECIES, EXP_POLY[i]));
        return p.fma(r.mul(r), r).add(1f);
    }

    /**
     * Without exp's range checks and with one scaling, tanh took 0.42-0.44 ns an element at 512
     * bits on a Zen 5 instead of 0.75-0.77, LeNet-5's C1 the most of it.
     */
    private static FloatVector expForTanh(FloatVector c) {
        FloatVector n = c.fma(LOG2E, ROUND).sub(ROUND);
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        return reduced(c, n).mul(k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
    }

    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg()), d = e.add(1f);
        return FloatVector.broadcast(SPECIES, 1f).blend(e, x.compare(VectorOperators.LT, 0f)).div(d);
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs(), z = x.mul(x), p = FloatVector.broadcast(SPECIES, TANH_POLY[0]);
        for (int i = 1; i < TANH_POLY.length; i++) p = p.fma(z, FloatVector.broadcast(SPECIES, TANH_POLY[i]));
        FloatVector small = p.mul(z).fma(x, x);
        FloatVector large = FloatVector.broadcast(SPECIES, 1f).sub(FloatVector.broadcast(SPECIES, 2f).div(expForTanh(a.mul(2f).min(TANH_CLAMP)).add(1f)));
        large = large.blend(large.neg(), x.compare(VectorOperators.LT, 0f));
        return large.blend(small, a.compare(VectorOperators.LT, TANH_SMALL)).blend(x, x.compare(VectorOperators.EQ, 0f));
    }
}
