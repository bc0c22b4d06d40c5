package dev.nndl.reference;

import static dev.nndl.testing.Tensors.integers;
import static dev.nndl.testing.Tensors.nans;
import static dev.nndl.testing.Tensors.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.testing.Property;
import dev.nndl.testing.ShapeGen;
import dev.nndl.testing.Tensors;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The linear operations and their transposes: {@code <A x, y> = <x, A^T y>}. With small integer
 * data every product and sum is exact in float and in double, so the two sides are equal exactly.
 * Also: averaging a constant gives it back, and the output sizes the arithmetic promises are the
 * ones the kernels fill.
 */
class AdjointProperties {

    private static final int TRIES = 200;

    private final ReferenceKernels k = new ReferenceKernels();

    @Test
    void transposedConvolutionIsTheAdjointOfConvolution() {
        Property.check("<conv(x), y> = <x, convT(y)>", TRIES, ShapeGen.conv(), c -> {
            ConvShape s = c.shape();
            ConvTransposeShape t = s.transposed();
            Random random = c.random();
            float[] x = integers(random, s.inputSize(), -3, 3), w = integers(random, s.weightSize(), -3, 3);
            float[] y = integers(random, s.outputSize(), -3, 3);
            float[] convX = new float[s.outputSize()], convTY = new float[t.outputSize()];
            k.conv2dForward(convX, x, w, s);
            k.convTranspose2dForward(convTY, y, w, t);
            assertEquals(Tensors.dot(convX, y), Tensors.dot(x, convTY), s.toString());
        });
    }

    @Test
    void convolutionWeightGradientIsTheAdjointInTheWeights() {
        Property.check("<conv(x; w), y> = <w, dW(y, x)>", TRIES, ShapeGen.conv(), c -> {
            ConvShape s = c.shape();
            Random random = c.random();
            float[] x = integers(random, s.inputSize(), -3, 3), w = integers(random, s.weightSize(), -3, 3);
            float[] y = integers(random, s.outputSize(), -3, 3);
            float[] convX = new float[s.outputSize()], dW = new float[s.weightSize()];
            k.conv2dForward(convX, x, w, s);
            k.conv2dBackwardWeights(dW, y, x, s);
            assertEquals(Tensors.dot(convX, y), Tensors.dot(w, dW), s.toString());
        });
    }

    @Test
    void fullyConnectedBackwardIsTheAdjoint() {
        Property.check("<W x, y> = <x, W^T y> = <W, y x^T>", TRIES, ShapeGen.fc(), c -> {
            FcShape s = c.shape();
            Random random = c.random();
            float[] x = integers(random, s.inputSize(), -3, 3), w = integers(random, s.weightSize(), -3, 3);
            float[] y = integers(random, s.outputSize(), -3, 3);
            float[] wx = new float[s.outputSize()], wty = new float[s.inputSize()], dW = new float[s.weightSize()];
            k.fullyConnectedForward(wx, x, w, s);
            k.fullyConnectedBackwardInput(wty, y, w, s);
            k.fullyConnectedBackwardWeights(dW, y, x, s);
            assertEquals(Tensors.dot(wx, y), Tensors.dot(x, wty), s.toString());
            assertEquals(Tensors.dot(wx, y), Tensors.dot(w, dW), s.toString());
        });
    }

    @Test
    void averagePoolingBackwardIsTheAdjoint() {
        Property.check("<avg(x), y> = <x, avg^T(y)>", TRIES, ShapeGen.pool(), c -> {
            PoolShape s = c.shape();
            Random random = c.random();
            float[] x = uniform(random, s.inputSize(), -1, 1), y = uniform(random, s.outputSize(), -1, 1);
            float[] avgX = new float[s.outputSize()], avgTY = new float[s.inputSize()];
            k.avgPool2dForward(avgX, x, s);
            k.avgPool2dBackward(avgTY, y, s);
            // each side rounds every output once: |error| <= sum |term| * 2^-24 on each side
            double tolerance = (Tensors.absDot(avgX, y) + Tensors.absDot(x, avgTY)) * 0x1.0p-23;
            assertEquals(Tensors.dot(avgX, y), Tensors.dot(x, avgTY), tolerance, s.toString());
        });
    }

    @Test
    void averagePoolingOfAConstantIsThatConstantWhereTheWindowHasNoPadding() {
        Property.check("avg(constant) = constant", TRIES, ShapeGen.pool(), c -> {
            PoolShape s = c.shape();
            float value = 0.5f + c.random().nextInt(64) / 8f;
            float[] in = new float[s.inputSize()], out = nans(s.outputSize());
            java.util.Arrays.fill(in, value);
            k.avgPool2dForward(out, in, s);
            for (int y = 0; y < s.oh(); y++) {
                for (int x = 0; x < s.ow(); x++) {
                    boolean inside = y * s.sh() - s.ph() >= 0 && y * s.sh() - s.ph() + s.kh() <= s.h()
                            && x * s.sw() - s.pw() >= 0 && x * s.sw() - s.pw() + s.kw() <= s.w();
                    float got = out[s.output().index(0, 0, y, x)];
                    // padding counts as zeros (count_include_pad), so a window over it averages less
                    if (inside) assertEquals(value, got, Math.ulp(value), s + " at (" + y + ", " + x + ")");
                    else assertTrue(got <= value && got > 0, s + " at (" + y + ", " + x + "): " + got);
                }
            }
        });
    }

    @Test
    void kernelsFillExactlyTheOutputTheArithmeticPromises() {
        Property.check("conv, convT and pooling write every element of outputs sized by ConvArithmetic", TRIES, ShapeGen.conv(), c -> {
            ConvShape s = c.shape();
            Random random = c.random();
            float[] in = uniform(random, s.inputSize(), -1, 1), w = uniform(random, s.weightSize(), -1, 1);
            float[] out = nans(s.outputSize());
            k.conv2dForward(out, in, w, s);
            assertAllFinite(out, "conv2d " + s);
            float[] back = nans(s.inputSize());
            k.convTranspose2dForward(back, out, w, s.transposed());
            assertAllFinite(back, "conv-transpose2d " + s.transposed());
            PoolShape p = new PoolShape(s.n(), s.c(), s.h(), s.w(), Math.min(s.kh(), s.h() + s.ph()), Math.min(s.kw(), s.w() + s.pw()),
                    s.sh(), s.sw(), Math.min(s.ph(), Math.min(s.kh(), s.h() + s.ph()) - 1), Math.min(s.pw(), Math.min(s.kw(), s.w() + s.pw()) - 1));
            float[] pooled = nans(p.outputSize());
            k.maxPool2dForward(pooled, in, p);
            assertAllFinite(pooled, "max-pool2d " + p);
        });
    }

    private static void assertAllFinite(float[] a, String what) {
        for (int e = 0; e < a.length; e++) {
            if (!Float.isFinite(a[e])) throw new AssertionError(what + ": element " + e + " of " + a.length + " was not written (" + a[e] + ")");
        }
    }
}
