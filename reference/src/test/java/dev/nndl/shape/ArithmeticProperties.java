package dev.nndl.shape;

import static dev.nndl.testing.Gen.between;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.testing.Gen;
import dev.nndl.testing.Property;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Properties of the convolution arithmetic over random kernel, stride, padding, dilation and output padding. */
class ArithmeticProperties {

    private static final int TRIES = 2000;

    /**
     * (i, k, s, p, d, a) with a < s, such that the convolution exists and so does the transposed
     * one with output padding a (with padding beyond the kernel's span, small a can give o' < 1);
     * other combinations are redrawn.
     */
    record Axis1(int i, int k, int s, int p, int d, int a) {
        Axis1 {
            int iPrime = ConvArithmetic.convOutput(i, k, s, p, d);
            ConvArithmetic.transposedOutput(Axis.GUIDE, iPrime, k, s, p, d, a);
        }
    }

    private static Gen<Axis1> axes() {
        return Gen.vector(v -> new Axis1(v[0], v[1], v[2], v[3], v[4], v[5]),
                between(1, 40, 2, 13, 17), between(1, 9, 2, 3), between(1, 5, 2), between(0, 9, 1, 2), between(1, 3, 2), between(0, 4, 1));
    }

    @Test
    void everyRelationshipAgreesWithTheGeneralFormulaWhereItApplies() {
        Property.check("relationship r holds => r's formula = ConvArithmetic", TRIES, axes(), x -> {
            for (Relationship r : Relationship.values()) {
                if (!r.appliesTo(x.k(), x.s(), x.p(), x.d(), x.a())) continue;
                if (r.kind() == Relationship.Kind.TRANSPOSED) {
                    int iPrime = ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d());
                    int expected = ConvArithmetic.transposedOutput(Axis.GUIDE, iPrime, x.k(), x.s(), x.p(), x.d(), x.a());
                    assertEquals(expected, r.output(iPrime, x.k(), x.s(), x.p(), x.d(), x.a()), r + " at i'=" + iPrime);
                } else {
                    assertEquals(ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d()), r.output(x.i(), x.k(), x.s(), x.p(), x.d(), x.a()), r.toString());
                }
            }
        });
    }

    @Test
    void outputSizeCountsTheKernelPlacementsThatFitInThePaddedInput() {
        Property.check("o = number of stride positions where the dilated kernel fits", TRIES, axes(), x -> {
            int placements = 0;
            for (int start = 0; start + (x.k() - 1) * x.d() < x.i() + 2 * x.p(); start += x.s()) placements++;
            assertEquals(placements, ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d()));
        });
    }

    @Test
    void transposedOutputIsAnInputTheConvolutionMapsBack() {
        Property.check("conv(transposed(i', a)) = i' for every a < s", TRIES, axes(), x -> {
            int iPrime = ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d());
            int oPrime = ConvArithmetic.transposedOutput(Axis.GUIDE, iPrime, x.k(), x.s(), x.p(), x.d(), x.a());
            assertEquals(iPrime, ConvArithmetic.convOutput(oPrime, x.k(), x.s(), x.p(), x.d()));
        });
    }

    @Test
    void outputPaddingPicksTheOriginalInputSize() {
        Property.check("transposed(conv(i), outputPadding(i)) = i", TRIES, axes(), x -> {
            int o = ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d());
            int a = ConvArithmetic.outputPadding(x.i(), x.k(), x.s(), x.p(), x.d());
            assertEquals(x.i(), ConvArithmetic.transposedOutput(Axis.GUIDE, o, x.k(), x.s(), x.p(), x.d(), a));
        });
    }

    @Test
    void theEquivalentDirectConvolutionHasTheTransposedOutputSize() {
        Property.check("stretched, padded, unit-stride conv gives o'", TRIES, axes(), x -> {
            int iPrime = ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d());
            ConvArithmetic.TransposedEquivalent eq = ConvArithmetic.transposedEquivalent(iPrime, x.k(), x.s(), x.p(), x.d(), x.a());
            assertEquals(ConvArithmetic.transposedOutput(Axis.GUIDE, iPrime, x.k(), x.s(), x.p(), x.d(), x.a()), eq.output());
        });
    }

    @Test
    void everyValidDirectShapeHasAMostSpecificRelationship() {
        Property.check("some relationship names every shape", TRIES, axes(), x -> {
            Optional<Relationship> r = Relationship.mostSpecific(Relationship.Kind.CONV, x.k(), x.s(), x.p(), x.d(), 0);
            assertTrue(r.isPresent());
            assertEquals(ConvArithmetic.convOutput(x.i(), x.k(), x.s(), x.p(), x.d()), r.get().output(x.i(), x.k(), x.s(), x.p(), x.d(), 0));
        });
    }

    /** The records compute their output sizes with the bare formula (cheap in kernel loops); it must agree with ConvArithmetic. */
    @Test
    void shapeRecordsAgreeWithConvArithmetic() {
        Property.check("ConvShape, PoolShape and ConvTransposeShape sizes = ConvArithmetic", 300, dev.nndl.testing.ShapeGen.conv(), c -> {
            ConvShape s = c.shape();
            assertEquals(ConvArithmetic.convOutput(Axis.ROWS, s.h(), s.kh(), s.sh(), s.ph(), s.dh()), s.oh());
            assertEquals(ConvArithmetic.convOutput(Axis.COLS, s.w(), s.kw(), s.sw(), s.pw(), s.dw()), s.ow());
            ConvTransposeShape t = s.transposed();
            assertEquals(ConvArithmetic.transposedOutput(Axis.ROWS, t.h(), t.kh(), t.sh(), t.ph(), t.dh(), t.oph()), t.oh());
            assertEquals(ConvArithmetic.transposedOutput(Axis.COLS, t.w(), t.kw(), t.sw(), t.pw(), t.dw(), t.opw()), t.ow());
            assertEquals(s.h(), t.oh());
        });
        Property.check("PoolShape sizes = ConvArithmetic", 300, dev.nndl.testing.ShapeGen.pool(), c -> {
            PoolShape p = c.shape();
            assertEquals(ConvArithmetic.convOutput(Axis.ROWS, p.h(), p.kh(), p.sh(), p.ph(), 1), p.oh());
            assertEquals(ConvArithmetic.convOutput(Axis.COLS, p.w(), p.kw(), p.sw(), p.pw(), 1), p.ow());
        });
    }
}
