package dev.nndl.shape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One example per relationship of Dumoulin and Visin's guide, from its figures (the seed shows
 * them with their i, k, s, p), computed both by the relationship's own formula and by the
 * general {@link ConvArithmetic}; and the messages that reject impossible shapes.
 */
class ConvArithmeticTest {

    @ParameterizedTest(name = "relationship {0} ({6}): i={1} k={2} s={3} p={4} -> o={5}")
    @CsvSource({
            // relationship, i, k, s, p, o, figure
            "1, 4, 3, 1, 0, 2, figure 2.1",
            "2, 5, 4, 1, 2, 6, figure 2.2",
            "3, 5, 3, 1, 1, 5, figure 2.3",
            "4, 5, 3, 1, 2, 7, figure 2.4",
            "5, 5, 3, 2, 0, 2, figure 2.5",
            "6, 5, 3, 2, 1, 3, figure 2.6",
            "6, 6, 3, 2, 1, 3, figure 2.7",
            "7, 5, 3, 1, 0, 3, the pooling figures",
    })
    void directRelationshipsMatchTheGuidesFigures(int number, int i, int k, int s, int p, int o, String figure) {
        assertEquals(o, Relationship.number(number).output(i, k, s, p, 1, 0), figure);
        assertEquals(o, ConvArithmetic.convOutput(i, k, s, p), figure + " by the general formula");
    }

    /** The guide's figure 5.1: a 3x3 kernel dilated by 2 over a 7x7 input gives 3x3. */
    @Test
    void dilatedRelationshipMatchesFigure51() {
        assertEquals(3, Relationship.DILATED.output(7, 3, 1, 0, 2, 0));
        assertEquals(3, ConvArithmetic.convOutput(7, 3, 1, 0, 2));
        assertEquals(5, ConvArithmetic.effectiveKernel(3, 2));
    }

    /** For the transposed relationships i is the transposed input i' (the direct conv's output) and o is o'. */
    @ParameterizedTest(name = "relationship {0} ({7}): i'={1} k={2} s={3} p={4} a={5} -> o'={6}")
    @CsvSource({
            // relationship, i', k, s, p, a, o', figure
            "8,  2, 3, 1, 0, 0, 4, figure 4.1",
            "9,  6, 4, 1, 2, 0, 5, figure 4.2",
            "10, 5, 3, 1, 1, 0, 5, figure 4.3",
            "11, 7, 3, 1, 2, 0, 5, figure 4.4",
            "12, 2, 3, 2, 0, 0, 5, figure 4.5",
            "13, 3, 3, 2, 1, 0, 5, figure 4.6",
            "14, 3, 3, 2, 1, 1, 6, figure 4.7",
    })
    void transposedRelationshipsMatchTheGuidesFigures(int number, int iPrime, int k, int s, int p, int a, int oPrime, String figure) {
        assertEquals(oPrime, Relationship.number(number).output(iPrime, k, s, p, 1, a), figure);
        assertEquals(oPrime, ConvArithmetic.transposedOutput(iPrime, k, s, p, a), figure + " by the general formula");
        // and the direct convolution maps o' back to i'
        assertEquals(iPrime, ConvArithmetic.convOutput(oPrime, k, s, p), figure + " round trip");
    }

    /** Figure 4.7's i = 6 is the input that needs output padding a = (6 + 2 - 3) mod 2 = 1. */
    @Test
    void outputPaddingRecoversTheInputSize() {
        assertEquals(1, ConvArithmetic.outputPadding(6, 3, 2, 1, 1));
        assertEquals(0, ConvArithmetic.outputPadding(5, 3, 2, 1, 1));
    }

    /** The guide's equivalent direct convolutions: figure 4.5 stretches a 2x2 input to 3x3 and pads it by 2. */
    /**
     * Padding wider than the kernel: i = 1, k = 1, s = 3, p = 1 gives o = 1, and only a = 2
     * leads back to a real size; a = 0 would ask for o' = -1. Found by ArithmeticProperties.
     */
    @Test
    void outputPaddingWithPaddingWiderThanTheKernel() {
        assertEquals(1, ConvArithmetic.convOutput(1, 1, 3, 1));
        assertEquals(2, ConvArithmetic.outputPadding(1, 1, 3, 1, 1));
        assertEquals(1, ConvArithmetic.transposedOutput(1, 1, 3, 1, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvArithmetic.transposedOutput(1, 1, 3, 1, 0));
        assertTrue(e.getMessage().startsWith("p=1 is too much padding for a transposed convolution of i'=1"), e.getMessage());
    }

    @Test
    void transposedEquivalentOfFigure45() {
        ConvArithmetic.TransposedEquivalent eq = ConvArithmetic.transposedEquivalent(2, 3, 2, 0, 1, 0);
        assertEquals(3, eq.stretchedInput());
        assertEquals(2, eq.p());
        assertEquals(1, eq.s());
        assertEquals(5, eq.output());
    }

    @Test
    void everyRelationshipIsNumberedOnceFrom1To15() {
        for (int n = 1; n <= 15; n++) assertEquals(n, Relationship.number(n).number());
        assertEquals(15, Relationship.values().length);
        assertThrows(IllegalArgumentException.class, () -> Relationship.number(16));
    }

    @Test
    void aRelationshipRefusesShapesOutsideItsConditions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Relationship.HALF_PADDING_UNIT_STRIDES.output(5, 4, 1, 2, 1, 0));
        assertTrue(e.getMessage().contains("relationship 3"), e.getMessage());
    }

    @Test
    void kernelLargerThanThePaddedInputIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 1, 5, 5, 1, 7));
        assertTrue(e.getMessage().startsWith("kh=7 is larger than the padded input h + 2*ph = 5 + 2*0 = 5"), e.getMessage());
    }

    @Test
    void dilatedKernelThatDoesNotFitIsRejectedWithItsSpan() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvShape.of(1, 1, 5, 5, 1, 3).withDilation(3));
        assertTrue(e.getMessage().contains("kh=3 (dilated by dh=3 to 7)"), e.getMessage());
    }

    @Test
    void zeroStrideIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 1, 5, 5, 1, 3).withStride(1, 0));
        assertEquals("sw=0: must be at least 1", e.getMessage());
    }

    @Test
    void negativePaddingIsRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 1, 5, 5, 1, 3).withPadding(-1, 0));
        assertEquals("ph=-1: must not be negative", e.getMessage());
    }

    @Test
    void groupsThatDoNotDivideTheChannelsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvShape.of(1, 3, 5, 5, 4, 3).withGroups(2));
        assertTrue(e.getMessage().startsWith("groups=2 must divide both c=3 and oc=4"), e.getMessage());
    }

    @Test
    void outputPaddingMustBeSmallerThanTheStride() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvTransposeShape.of(1, 1, 3, 3, 1, 3).withStride(2).withOutputPadding(2));
        assertTrue(e.getMessage().startsWith("oph=2 must be smaller than the stride sh=2"), e.getMessage());
    }

    @Test
    void poolingPaddingMustBeSmallerThanTheWindow() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoolShape.of(1, 1, 5, 5, 2).withPadding(2));
        assertTrue(e.getMessage().startsWith("ph=2 must be smaller than the window (kh=2)"), e.getMessage());
    }

    @Test
    void lrnSizeMustBeOdd() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LrnShape(1, 8, 1, 1, 4, 1e-4f, 0.75f, 2));
        assertTrue(e.getMessage().startsWith("size=4 must be odd"), e.getMessage());
    }

    @Test
    void shapesTooLargeForAnArrayAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TensorShape(1 << 16, 1 << 16, 1, 1));
        assertTrue(e.getMessage().contains("more elements than a Java array can hold"), e.getMessage());
    }
}
