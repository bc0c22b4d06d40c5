package dev.nndl.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nndl.shape.ConvShape;
import dev.nndl.shape.ConvTransposeShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.shape.TensorShape;
import dev.nndl.spi.Availability;
import dev.nndl.spi.KernelSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The conformance contract, for kernel authors: implement this interface in a test class, return
 * your kernel set from {@link #subject()}, and every operation of the {@code KernelSet} is checked
 * against the reference, one JUnit test per operation and direction, plus the named regression
 * examples below.
 *
 * <pre>
 * class MyKernelsConformanceTest implements KernelContract {
 *     public KernelSet subject() { return new MyKernels(); }
 * }
 * </pre>
 *
 * <p>A backend that cannot run on this machine (no OpenCL device, say) overrides
 * {@link #availability()}; its tests are then reported as skipped with the reason, never as
 * passed. The number of random cases per operation is {@code -Dnndl.conformance.tries=N}
 * (default {@value Conformance.Settings#DEFAULT_TRIES}), after every generator's edge cases.
 */
public interface KernelContract {

    /** The kernel set under test. It may be shared between tests; the contract does not close it. */
    KernelSet subject();

    /** Whether the subject can run here; the default says yes. */
    default Availability availability() {
        return Availability.yes();
    }

    /** The number of random cases per check. */
    default Conformance.Settings settings() {
        return Conformance.Settings.fromSystemProperties();
    }

    private KernelSet available() {
        Availability a = availability();
        Assumptions.assumeTrue(a.available(), () -> "skipped: " + a.reason());
        return subject();
    }

    @TestFactory
    default Stream<DynamicTest> everyOperationMatchesTheReference() {
        KernelSet subject = available();
        return Checks.all().stream().map(check -> DynamicTest.dynamicTest(check.name(), () -> {
            verdict(subject, Conformance.run(check, subject, settings()));
        }));
    }

    /** Fails on a failure, with the command that reruns it alone; reports a delegated or unsupported operation as skipped. */
    private static void verdict(KernelSet subject, Conformance.OpResult r) {
        switch (r.verdict()) {
            case PASS -> {}
            case FAIL -> fail(String.format("%s %s on %s: %d of %d cases failed (tolerance: %s)%n%s%n%s", r.op(), r.direction(), subject.name(),
                    r.failed(), r.cases(), r.tolerance(), r.firstFailure(), r.rerunLine("nndl", "--backend " + subject.name())).strip());
            case DELEGATED -> Assumptions.abort("delegated: " + r.firstFailure());
            case SKIPPED -> Assumptions.abort("skipped: " + r.firstFailure());
        }
    }

    // ---------------------------------------------------------------- named regression examples (benchdnn style)

    /** Runs {@code checks} on one shape; fails with every failure, or is skipped when none of them was tested. */
    private void all(List<? extends OpCheck<?>> checks, Object shape) {
        KernelSet subject = available();
        List<String> failures = new ArrayList<>(), untested = new ArrayList<>();
        for (OpCheck<?> check : checks) {
            Conformance.OpResult r = runUnchecked(check, subject, shape);
            switch (r.verdict()) {
                case PASS -> {}
                case FAIL -> failures.add((r.firstFailure() + "\n" + r.rerunLine("nndl", "--backend " + subject.name())).strip());
                case DELEGATED, SKIPPED -> untested.add(check.name() + ": " + r.verdict().label() + " (" + r.firstFailure() + ")");
            }
        }
        if (!failures.isEmpty()) fail(String.join("\n", failures));
        Assumptions.assumeTrue(untested.size() < checks.size(), () -> "not tested: " + String.join("; ", untested));
    }

    @SuppressWarnings("unchecked")
    private static <S> Conformance.OpResult runUnchecked(OpCheck<S> check, KernelSet subject, Object shape) {
        return Conformance.run(check, subject, new dev.nndl.testing.Case<>((S) shape, 1));
    }

    private static List<OpCheck<ConvShape>> convolution() {
        return List.of(Checks.conv2dForward(), Checks.conv2dBackwardInput(), Checks.conv2dBackwardWeights());
    }

    /** A kernel exactly as large as the padded input: one output per map. */
    @Test
    default void conv_n1_c3_h5_w5_oc2_k7x7_p1() {
        all(convolution(), ConvShape.of(1, 3, 5, 5, 2, 7, 1, 1));
    }

    /** Odd batch, 64 channels, widths no vector divides, stride, padding and dilation together. */
    ConvShape STRIDED_DILATED = ConvShape.of(3, 64, 13, 17, 5, 3).withStride(3).withPadding(2).withDilation(2);
    /** Nielsen's first layer at his mini-batch size: 28x28 -> 20 maps of 24x24. */
    ConvShape NIELSEN_CONV1 = ConvShape.of(10, 1, 28, 28, 20, 5);
    /** Nielsen's second layer at his mini-batch size: 20 maps of 12x12 -> 40 maps of 8x8, rows of one 256-bit vector. */
    ConvShape NIELSEN_CONV2 = ConvShape.of(10, 20, 12, 12, 40, 5);
    /** Rows of 16 outputs under a padded filter narrower and shorter than five, in two groups of six input channels. */
    ConvShape ROWS_OF_16_GROUPED = new ConvShape(2, 12, 9, 16, 4, 4, 3, 1, 1, 2, 1, 1, 1, 2);
    /** A 1x1 kernel over a long odd row (209 outputs, no whole number of vectors), padded along the row. */
    ConvShape LONG_ODD_ROW = ConvShape.of(1, 3, 1, 207, 3, 1).withPadding(0, 1);
    /** LeNet-5's C5 at mini-batch 3: 16 maps of 5x5 under 5x5 filters, one output each, a fully connected layer in disguise. */
    ConvShape LENET_C5 = ConvShape.of(3, 16, 5, 5, 120, 5);
    /** LeNet-5's C5 (a 5x5 filter over a 5x5 map) widened: 80 filters in each of two groups, a column stride of 2 and padding. */
    ConvShape MANY_FILTERS_GROUPED = new ConvShape(3, 16, 5, 5, 160, 5, 5, 1, 2, 0, 1, 1, 1, 2);
    /** 32 filters over rows of 8 outputs: four fifths of five 256-bit vectors of channels, but two thirds of three 512-bit ones. */
    ConvShape FILTERS_SHORT_OF_WIDE_LANES = ConvShape.of(4, 6, 12, 12, 32, 5);
    /** LeNet-5's C3 at mini-batch 3: 6 maps of 14x14 -> 16 maps of 10x10, the 16 filters one 512-bit vector of channels. */
    ConvShape LENET_C3 = ConvShape.of(3, 6, 14, 14, 16, 5);
    /** LeNet-5's C1 at mini-batch 3: 28x28, padded by 2, -> 6 maps of 28x28: six filters, rows of 28 outputs, no whole number of vectors. */
    ConvShape LENET_C1 = ConvShape.of(3, 1, 28, 28, 6, 5, 1, 2);
    /** LeNet-5's C3 with 8 input channels: backward-data over gradient rows of 10, no whole number of vectors. */
    ConvShape GRADIENT_ROWS_OF_10 = ConvShape.of(2, 8, 14, 14, 16, 5);
    /** Nielsen's 2x2 windows over a row of 23 windows and an odd last row and column. */
    PoolShape NIELSEN_POOL_ODD = PoolShape.of(2, 3, 7, 47, 2).withStride(2);

    /** Odd batch, 64 channels, widths no vector divides, stride, padding and dilation together. */
    @Test
    default void conv_n3_c64_h13_w17_oc5_k3x3_s3_p2_d2() {
        all(convolution(), STRIDED_DILATED);
    }

    /** A 1x1 kernel over a long odd row, with padding beyond the kernel along the row. */
    @Test
    default void conv_n1_c3_h1_w207_oc3_k1x1_pw1() {
        all(convolution(), LONG_ODD_ROW);
    }

    /** AlexNet's two-GPU split, small. */
    @Test
    default void conv_n2_c4_h9_w9_oc6_k3x3_p1_g2() {
        all(convolution(), ConvShape.of(2, 4, 9, 9, 6, 3).withPadding(1).withGroups(2));
    }

    /** Nielsen's first layer at his mini-batch size: 28x28 -> 20 maps of 24x24. */
    @Test
    default void conv_n10_c1_h28_w28_oc20_k5x5() {
        all(convolution(), NIELSEN_CONV1);
    }

    /** Nielsen's second layer at his mini-batch size: 20 maps of 12x12 -> 40 maps of 8x8, rows of one 256-bit vector. */
    @Test
    default void conv_n10_c20_h12_w12_oc40_k5x5() {
        all(convolution(), NIELSEN_CONV2);
    }

    /**
     * Rows of 16 outputs, which 128-, 256- and 512-bit vectors all divide, under a filter narrower
     * and shorter than five, padded, in two groups of six input channels: a block of four channels
     * and a part block, filter rows that reach past the first and last output row, columns shifted
     * by the padding.
     */
    @Test
    default void conv_n2_c12_h9_w16_oc4_k4x3_p2x1_g2() {
        all(convolution(), ROWS_OF_16_GROUPED);
    }

    /**
     * Outputs one row of two columns, each a sum over a whole 5x5 map of eight channels, with 80
     * filters a group: a filter count that 128-, 256- and 512-bit vectors all divide, and windows
     * that reach past the input's left and right edges.
     */
    @Test
    default void conv_n3_c16_h5_w5_oc160_k5x5_s1x2_p0x1_g2() {
        all(convolution(), MANY_FILTERS_GROUPED);
    }

    /** Rows of 8 with 32 filters, too few to put in three 512-bit vectors of channels, enough for five 256-bit ones. */
    @Test
    default void conv_n4_c6_h12_w12_oc32_k5x5() {
        all(convolution(), FILTERS_SHORT_OF_WIDE_LANES);
    }

    /** LeNet-5's C3: rows of 10 outputs, a vector and a part at 256 bits; 16 filters, one 512-bit vector of channels. */
    @Test
    default void conv_n3_c6_h14_w14_oc16_k5x5() {
        all(convolution(), LENET_C3);
    }

    /** LeNet-5's C1: six filters, padded by 2, rows of 28 outputs. */
    @Test
    default void conv_n3_c1_h28_w28_oc6_k5x5_p2() {
        all(convolution(), LENET_C1);
    }

    /** LeNet-5's C3 with 8 input channels: backward-data over gradient rows of 10. */
    @Test
    default void conv_n2_c8_h14_w14_oc16_k5x5() {
        all(convolution(), GRADIENT_ROWS_OF_10);
    }

    /** LeNet-5's C5: each of 120 filters covers the whole 16 x 5 x 5 input, as a fully connected layer's rows do. */
    @Test
    default void conv_n3_c16_h5_w5_oc120_k5x5() {
        all(convolution(), LENET_C5);
    }

    /** A transposed convolution whose output padding adds a row and a column that receive data. */
    @Test
    default void convTranspose_n2_c3_h4_w5_oc2_k3x3_s2_p1_a1() {
        all(List.of(Checks.convTranspose2dForward(), Checks.convTranspose2dBackwardInput(), Checks.convTranspose2dBackwardWeights()),
                ConvTransposeShape.of(2, 3, 4, 5, 2, 3).withStride(2).withPadding(1).withOutputPadding(1));
    }

    /** Overlapping 3x3 windows of stride 2 (AlexNet's pooling), padded, with ties in integer data. */
    @Test
    default void pool_n2_c3_h13_w13_k3x3_s2_p1() {
        all(List.of(Checks.maxPool2dForward(), Checks.maxPool2dBackward(), Checks.avgPool2dForward(), Checks.avgPool2dBackward(),
                Checks.lpPool2dForward(), Checks.lpPool2dBackward()), PoolShape.of(2, 3, 13, 13, 3).withStride(2).withPadding(1));
    }

    /** The same windows averaged over their elements inside the input ("same" pooling): corners divide by 4, edges by 6. */
    @Test
    default void pool_n2_c3_h13_w13_k3x3_s2_p1_xpad() {
        all(List.of(Checks.avgPool2dForward(), Checks.avgPool2dBackward()), PoolShape.of(2, 3, 13, 13, 3).withStride(2).withPadding(1).excludingPadding());
    }

    /**
     * Nielsen's 2x2 windows of stride 2 over a row of 23 windows, which every vector width splits
     * into whole vectors, a half and single windows, with an odd last row and column left out.
     */
    @Test
    default void pool_n2_c3_h7_w47_k2x2_s2() {
        all(List.of(Checks.maxPool2dForward(), Checks.maxPool2dBackward(), Checks.avgPool2dForward(), Checks.avgPool2dBackward()),
                NIELSEN_POOL_ODD);
    }

    /**
     * A kernel set that splits training steps into parts of the mini-batch
     * ({@link KernelSet#sampleParts}) serves the parts' threads at once: two parts, each taking
     * LeNet-5's C1 and C3 through a forward and a backward pass on samples of its own, over and
     * over, give the bits each gives alone. Skipped where the kernel set keeps steps whole.
     */
    @Test
    default void partsAtOnceComputeAsAlone() {
        KernelSet subject = available();
        Assumptions.assumeTrue(subject.sampleParts(2, 1, 1L << 30) > 1, "the kernel set keeps every training step whole (sampleParts answers 1)");
        java.util.Random random = new java.util.Random(11);
        float[] w1 = random(random, LENET_C1.weightSize()), w3 = random(random, LENET_C3.weightSize());
        float[][] x = {random(random, LENET_C1.inputSize()), random(random, LENET_C1.inputSize())};
        float[][] g = {random(random, LENET_C3.outputSize()), random(random, LENET_C3.outputSize())};
        subject.upload(w1, w3, x[0], x[1], g[0], g[1]);
        float[][][] alone = new float[2][][], atOnce = new float[2][][];
        for (int part = 0; part < 2; part++) alone[part] = pass(subject, x[part], w1, g[part], w3);
        for (int round = 0; round < 20; round++) {
            subject.concurrently(2, part -> atOnce[part] = pass(subject, x[part], w1, g[part], w3));
            for (int part = 0; part < 2; part++) {
                for (int o = 0; o < alone[part].length; o++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(alone[part][o], atOnce[part][o],
                            "part " + part + ", output " + o + " of C1 forward, C1 backward-weights, C3 backward-data, in round " + round);
                }
            }
        }
    }

    /** C1's forward and backward-weights over {@code x}, C3's backward-data from {@code g}: the outputs, downloaded. */
    private static float[][] pass(KernelSet k, float[] x, float[] w1, float[] g, float[] w3) {
        float[] out = new float[LENET_C1.outputSize()], dW = new float[LENET_C1.weightSize()], dIn = new float[LENET_C3.inputSize()];
        k.conv2dForward(out, x, w1, LENET_C1);
        k.setZero(dW);
        k.conv2dBackwardWeights(dW, out, x, LENET_C1);
        k.conv2dBackwardInput(dIn, g, w3, LENET_C3);
        k.download(out, dW, dIn);
        return new float[][] {out, dW, dIn};
    }

    private static float[] random(java.util.Random random, int length) {
        float[] a = new float[length];
        for (int i = 0; i < length; i++) a[i] = random.nextFloat() * 2 - 1;
        return a;
    }

    /** Softmax and its costs on Nielsen's 10 classes at his mini-batch size. */
    @Test
    default void rows_n10_c10() {
        all(List.of(Checks.softmaxForward(), Checks.softmaxBackward(), Checks.logLikelihoodForward(), Checks.softmaxLogLikelihoodForward(),
                Checks.softmaxLogLikelihoodBackward(),
                Checks.quadraticCostForward(), Checks.crossEntropyCostForward(), Checks.crossEntropyCostBackward()), TensorShape.of(10, 10));
    }
}
