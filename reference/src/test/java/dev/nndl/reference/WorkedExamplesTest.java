package dev.nndl.reference;

import static dev.nndl.testing.Tensors.flat;
import static dev.nndl.testing.Tensors.nans;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nndl.shape.ConvArithmetic;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.PoolShape;
import org.junit.jupiter.api.Test;

/**
 * The worked numeric examples of Dumoulin and Visin's guide, as the seed reproduces them, computed
 * by the reference from the definition and compared exactly: the inputs are small integers, so
 * every sum is exact in float.
 */
class WorkedExamplesTest {

    private final ReferenceKernels kernels = new ReferenceKernels();

    /** The guide's 5x5 input (figures 1.1-1.6). */
    private static final float[] INPUT = flat(new double[][] {
            {3, 3, 2, 1, 0},
            {0, 0, 1, 3, 1},
            {3, 1, 2, 2, 3},
            {2, 0, 0, 2, 2},
            {2, 0, 0, 0, 1}});

    /** The guide's 3x3 kernel, shown as the subscripts in its figures. */
    private static final float[] KERNEL = flat(new double[][] {
            {0, 1, 2},
            {2, 2, 0},
            {0, 1, 2}});

    @Test
    void validConvolutionOf5x5By3x3() {
        ConvShape s = ConvShape.of(1, 1, 5, 5, 1, 3);
        float[] out = nans(s.outputSize());
        kernels.conv2dForward(out, INPUT, KERNEL, s);
        assertArrayEquals(flat(new double[][] {{12, 12, 17}, {10, 17, 19}, {9, 6, 14}}), out);
    }

    /**
     * The guide's figure 1.6 (p = 1, s = 2) prints {@code [[6,14,17],[14,12,12],[8,10,17]]}, but
     * that figure convolves a different random input (its padded grid shows rows such as
     * {@code 2 2 2 1 0}). By the definition, the input above gives {@code [[6,17,3],[8,17,13],[6,4,4]]};
     * we test the definition. The top-left value is 6 in both because the figure's first window
     * happens to see the same numbers.
     */
    @Test
    void paddedStridedConvolutionFollowsTheDefinitionNotTheFigure() {
        ConvShape s = ConvShape.of(1, 1, 5, 5, 1, 3).withPadding(1).withStride(2);
        float[] out = nans(s.outputSize());
        kernels.conv2dForward(out, INPUT, KERNEL, s);
        assertArrayEquals(flat(new double[][] {{6, 17, 3}, {8, 17, 13}, {6, 4, 4}}), out);
    }

    @Test
    void maxPool3x3Stride1() {
        PoolShape s = PoolShape.of(1, 1, 5, 5, 3).withStride(1);
        float[] out = nans(s.outputSize());
        kernels.maxPool2dForward(out, INPUT, s);
        assertArrayEquals(flat(new double[][] {{3, 3, 3}, {3, 3, 3}, {3, 2, 3}}), out);
    }

    /** The guide prints these rounded to one decimal (1.7 1.7 1.7 / 1.0 1.2 1.8 / 1.1 0.8 1.3). */
    @Test
    void averagePool3x3Stride1() {
        PoolShape s = PoolShape.of(1, 1, 5, 5, 3).withStride(1);
        float[] out = nans(s.outputSize());
        kernels.avgPool2dForward(out, INPUT, s);
        float[] expected = flat(new double[][] {
                {15.0 / 9, 15.0 / 9, 15.0 / 9},
                {9.0 / 9, 11.0 / 9, 16.0 / 9},
                {10.0 / 9, 7.0 / 9, 12.0 / 9}});
        assertArrayEquals(expected, out);
    }

    /** LeNet-5 as the seed's appendix table gives it. */
    @Test
    void leNet5ParameterCounts() {
        assertEquals(156, ConvArithmetic.convParams(1, 6, 5, 5, 1), "C1: (5x5+1)x6");
        assertEquals(2416, ConvArithmetic.convParams(6, 16, 5, 5, 1), "C3: (6x5x5+1)x16");
        assertEquals(48120, ConvArithmetic.convParams(16, 120, 5, 5, 1), "C5: (16x5x5+1)x120");
        assertEquals(10164, ConvArithmetic.fcParams(120, 84), "F6: 84x(120+1)");
        assertEquals(850, ConvArithmetic.fcParams(84, 10), "output: 10x(84+1)");
    }

    /** AlexNet's first layers as the seed's table gives them: 227 -> 55 -> 27 -> 27 -> 13. */
    @Test
    void alexNetSpatialSizes() {
        int conv1 = ConvArithmetic.convOutput(227, 11, 4, 0);
        int pool1 = ConvArithmetic.poolOutput(conv1, 3, 2);
        int conv2 = ConvArithmetic.convOutput(pool1, 5, 1, 2);
        int pool2 = ConvArithmetic.poolOutput(conv2, 3, 2);
        assertArrayEquals(new int[] {55, 27, 27, 13}, new int[] {conv1, pool1, conv2, pool2});
    }

    /** The slides' comparisons of shared weights against full connection. */
    @Test
    void sharedWeightsAgainstFullConnection() {
        assertEquals(452_160, ConvArithmetic.fcParams(28 * 28, 24 * 24), "fully connected 28x28 -> 24x24: (28x28+1)x(24x24)");
        assertEquals(26, ConvArithmetic.convParams(1, 1, 5, 5, 1), "one 5x5 feature map: 5x5+1");
        assertEquals(520, ConvArithmetic.convParams(1, 20, 5, 5, 1), "20 feature maps: (5x5+1)x20");
        assertEquals(23_550, ConvArithmetic.fcParams(784, 30), "784 inputs to 30 hidden: 784x30+30");
    }
}
