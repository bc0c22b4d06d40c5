package dev.nndl.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong calls fail with an IllegalArgumentException naming the argument, the expected and the actual size. */
class BadInputTest {

    private final ReferenceKernels k = new ReferenceKernels();
    private final ConvShape conv = ConvShape.of(1, 1, 5, 5, 1, 3);

    private static void fails(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void wrongLengthNamesTheArgumentAndBothSizes() {
        fails("out has length 8; expected 9 for n1_c1_h5_w5_oc1_k3x3", () -> k.conv2dForward(new float[8], new float[25], new float[9], conv));
        fails("w has length 10; expected 9 for n1_c1_h5_w5_oc1_k3x3", () -> k.conv2dForward(new float[9], new float[25], new float[10], conv));
        fails("dIn has length 24; expected 25 for n1_c1_h5_w5_oc1_k3x3", () -> k.conv2dBackwardInput(new float[24], new float[9], new float[9], conv));
        fails("dW has length 1; expected 9 for n1_c1_h5_w5_oc1_k3x3", () -> k.conv2dBackwardWeights(new float[1], new float[9], new float[25], conv));
        fails("in has length 6; expected 5 for n1_in5_out2", () -> k.fullyConnectedForward(new float[2], new float[6], new float[10], new FcShape(1, 5, 2)));
        fails("b has length 3; expected 2 for 1x2x2x2 (one bias per channel)", () -> k.biasForward(new float[8], new float[3], new TensorShape(1, 2, 2, 2)));
        fails("loss has length 2; expected 1 for 1x3 (one value per sample)", () -> k.logLikelihoodForward(new float[2], new float[3], new float[3], TensorShape.of(1, 3)));
    }

    @Test
    void transposedConvolutionChecksAgainstItsOwnShape() {
        ConvTransposeShape t = ConvTransposeShape.of(1, 1, 3, 3, 1, 3);
        fails("out has length 24; expected 25 for T_n1_c1_h3_w3_oc1_k3x3", () -> k.convTranspose2dForward(new float[24], new float[9], new float[9], t));
        fails("in has length 25; expected 9 for T_n1_c1_h3_w3_oc1_k3x3", () -> k.convTranspose2dBackwardWeights(new float[9], new float[25], new float[25], t));
        fails("s is null; pass the shape record that describes the arrays", () -> k.convTranspose2dForward(new float[25], new float[9], new float[9], null));
    }

    @Test
    void nullArraysAndShapesAreNamed() {
        fails("in is null; expected a float[25] for n1_c1_h5_w5_oc1_k3x3", () -> k.conv2dForward(new float[9], null, new float[9], conv));
        fails("s is null; pass the shape record that describes the arrays", () -> k.maxPool2dForward(new float[1], new float[4], null));
        fails("in is null", () -> k.reluForward(new float[3], null));
        fails("out is null; expected a float[3] like in", () -> k.reluForward(null, new float[3]));
    }

    @Test
    void elementwiseOperandsMustMatch() {
        fails("out has length 2; expected 3, the length of in", () -> k.sigmoidForward(new float[2], new float[3]));
        fails("dOut has length 4; expected 3, the length of out", () -> k.tanhBackward(new float[3], new float[4], new float[3]));
        fails("mask has length 1; expected 2, the length of in", () -> k.dropoutForward(new float[2], new float[1], new float[2], 0.5f, 1));
    }

    @Test
    void scalarsOutOfRangeAreNamed() {
        fails("p=1.0 must be in [0.0, 1.0)", () -> k.dropoutForward(new float[2], new float[2], new float[2], 1, 1));
        fails("p=0.5 must be finite and at least 1 for L^p pooling", () -> k.lpPool2dForward(new float[1], new float[4], 0.5f, PoolShape.of(1, 1, 2, 2, 2)));
        fails("eta=NaN must be finite", () -> k.sgdUpdate(new float[1], new float[1], new float[1], Float.NaN, 0, 0));
        fails("lambda=Infinity must be finite", () -> k.l2Backward(new float[1], new float[1], Float.POSITIVE_INFINITY));
    }

    @Test
    void impossibleShapesAreRejectedWhenBuilt() {
        fails("n=0: must be at least 1", () -> new TensorShape(0, 1, 1, 1));
        fails("in=-3: must be at least 1", () -> new FcShape(1, -3, 2));
        fails("sh=0: must be at least 1", () -> PoolShape.of(1, 1, 4, 4, 2).withStride(0));
    }
}
