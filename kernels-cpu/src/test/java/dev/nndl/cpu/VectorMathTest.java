package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * The float exp, sigmoid and tanh against {@code Math}'s in double: within a stated number of
 * units in the last place over their whole useful range, the special values right, and every
 * vector lane the same bits as the scalar version.
 */
class VectorMathTest {

    interface Both {
        float scalar(float x);
        FloatVector vector(FloatVector x);
    }

    private static final Both EXP = new Both() {
        public float scalar(float x) { return VectorMath.exp(x); }
        public FloatVector vector(FloatVector x) { return VectorMath.exp(x); }
    };
    private static final Both SIGMOID = new Both() {
        public float scalar(float x) { return VectorMath.sigmoid(x); }
        public FloatVector vector(FloatVector x) { return VectorMath.sigmoid(x); }
    };
    private static final Both TANH = new Both() {
        public float scalar(float x) { return VectorMath.tanh(x); }
        public FloatVector vector(FloatVector x) { return VectorMath.tanh(x); }
    };

    /** The largest error in ulps of the exact result over {@code count} random inputs in [lo, hi] plus a sweep of the range. */
    private static double worstUlps(Both f, DoubleUnaryOperator exact, float lo, float hi, int count) {
        Random random = new Random(1);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            float x = i < count / 2 ? lo + (hi - lo) * i / (count / 2f) : lo + (hi - lo) * random.nextFloat();
            double want = exact.applyAsDouble(x);
            float got = f.scalar(x);
            double ulp = Math.ulp((float) want);
            if (want == 0 || Math.abs(want) < Float.MIN_NORMAL) ulp = Float.MIN_VALUE;
            worst = Math.max(worst, Math.abs(got - want) / ulp);
        }
        System.out.printf("worst error over [%s, %s]: %.2f ulps%n", lo, hi, worst);
        return worst;
    }

    @Test
    void expIsWithinOneAndAHalfUlpsFromItsSubnormalsToItsOverflow() {
        assertTrue(worstUlps(EXP, Math::exp, -103.9f, 88.72f, 400_000) <= 1.5, "exp");
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(88.73f));
        assertEquals(0f, VectorMath.exp(-104f));
        assertEquals(1f, VectorMath.exp(0f));
        assertTrue(Float.isNaN(VectorMath.exp(Float.NaN)));
        assertEquals(Float.POSITIVE_INFINITY, VectorMath.exp(Float.POSITIVE_INFINITY));
        assertEquals(0f, VectorMath.exp(Float.NEGATIVE_INFINITY));
        assertTrue(VectorMath.exp(-100f) > 0, "subnormal results are kept");
    }

    @Test
    void sigmoidIsWithinTwoAndAHalfUlpsAndTanhWithinOneAndAHalf() {
        assertTrue(worstUlps(SIGMOID, x -> 1 / (1 + Math.exp(-x)), -100f, 30f, 400_000) <= 2.5, "sigmoid");
        assertTrue(worstUlps(TANH, Math::tanh, -12f, 12f, 400_000) <= 1.5, "tanh");
        assertTrue(worstUlps(TANH, Math::tanh, -1e-3f, 1e-3f, 100_000) <= 3, "tanh near 0, where 1 - 2/(e^2x + 1) would cancel");
        assertEquals(1f, VectorMath.tanh(50f));
        for (float x = 10f; x < 46f; x += 0.25f) assertEquals(1f, VectorMath.tanh(x), "tanh(" + x + "), about where tanh clamps 2|x| to 88");
        assertEquals(-1f, VectorMath.tanh(-50f));
        assertEquals(-0f, VectorMath.tanh(-0f));
        assertEquals(0f, VectorMath.sigmoid(-200f));
        assertEquals(1f, VectorMath.sigmoid(200f));
    }

    @Test
    void everyLaneIsTheScalarVersionBitForBit() {
        everyLaneIsTheScalarVersion(VectorMath.SPECIES);
    }

    /**
     * One width a JVM: a vector of another is refused, not computed. Functions that took their
     * width from the argument, called at 512 bits by the activations and at 256 by the softmax,
     * made LeNet-5's training step 2.6 times slower.
     */
    @Test
    void aVectorOfAnotherWidthIsRefused() {
        VectorSpecies<Float> other = VectorMath.SPECIES == FloatVector.SPECIES_128 ? FloatVector.SPECIES_64 : FloatVector.SPECIES_128;
        for (Both f : new Both[] {EXP, SIGMOID, TANH}) {
            assertThrows(RuntimeException.class, () -> f.vector(FloatVector.broadcast(other, 0.5f)));
        }
    }

    private static void everyLaneIsTheScalarVersion(VectorSpecies<Float> species) {
        Random random = new Random(2);
        int lanes = species.length();
        float[] x = new float[lanes], out = new float[lanes];
        for (Both f : new Both[] {EXP, SIGMOID, TANH}) {
            for (int trial = 0; trial < 10_000; trial++) {
                for (int i = 0; i < lanes; i++) {
                    x[i] = switch (random.nextInt(4)) {
                        case 0 -> (random.nextFloat() - 0.5f) * 2;
                        case 1 -> (random.nextFloat() - 0.5f) * 220;
                        case 2 -> new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0.625f, -0.625f, 88.7228f, -103.97f,
                                43.99f, 44f, -44.01f, 44.5f}[random.nextInt(12)];
                        default -> (random.nextFloat() - 0.5f) * 20;
                    };
                }
                f.vector(FloatVector.fromArray(species, x, 0)).intoArray(out, 0);
                for (int i = 0; i < lanes; i++) {
                    assertEquals(Float.floatToRawIntBits(f.scalar(x[i])), Float.floatToRawIntBits(out[i]), species + ", lane " + i + " of x = " + x[i]);
                }
            }
        }
    }
}
