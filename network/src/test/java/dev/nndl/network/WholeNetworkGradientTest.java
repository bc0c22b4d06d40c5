package dev.nndl.network;

import dev.nndl.network.data.Mnist;
import dev.nndl.network.layer.Activation;
import dev.nndl.network.layer.ConvLayer;
import dev.nndl.network.layer.DenseLayer;
import dev.nndl.network.layer.InceptionLayer;
import dev.nndl.network.layer.Layer;
import dev.nndl.network.layer.PoolLayer;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.testing.FiniteDifference;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Back-propagation through a whole rung, on the reference kernels, against finite differences of
 * the network's cost computed in double: every parameter array of every layer, conv and pooling
 * and dropout included. The layer-level checks (reference's {@code GradientProperties}) prove each
 * operation; this proves the layers chain them right: the order of operations, which input each
 * backward pass reads, the bias after the pooling, dropout's mask shared by both passes.
 *
 * <p>The cost is {@code -mean_n ln a[n, y_n]}, summed in double from the float softmax output. Its
 * evaluations carry the float rounding of every intermediate on the way; the allowance for it is
 * {@value #ROUNDING_ULPS} units of {@code 2^-24} per layer (see {@link #lossRounding}). Weights are
 * set to random values on a {@code 2^-16} grid (the softmax layer's too, whose zero start would
 * make every earlier gradient zero) so that the steps are exact.
 *
 * <p>ReLU's kink defeats finite differences here: a step in one conv weight moves hundreds of
 * units, and some cross zero (measured: errors of 2 to 20 % at step {@code 2^-6} on v3-v6, with
 * the rounding allowance already 1e-3). So the ReLU rungs are checked with sigmoid in ReLU's
 * place, which keeps everything this test is for; ReLU's own derivative is checked per operation,
 * away from its kink, in {@code GradientProperties}. Max-pooling has kinks too, but a step
 * changes a window's maximum only when two of its values lie within the step of each other, rare
 * enough that the sigmoid rungs pass as they are.
 */
class WholeNetworkGradientTest {

    /** Allowance for the rounding of one evaluation of the cost, per layer, in units of {@code 2^-24}. */
    static final int ROUNDING_ULPS = 16;
    static final float STEP = 0x1.0p-6f;

    @ParameterizedTest
    @EnumSource(Rung.class)
    void backPropagationMatchesFiniteDifferencesOfTheCost(Rung rung) {
        check(rung.id(), rung.build(new ReferenceKernels(), 2, rung.ordinal(), Activation.SIGMOID), rung.ordinal());
    }

    /** LeNet-5 is smooth as it is: tanh and average pooling. */
    @org.junit.jupiter.api.Test
    void backPropagationThroughLeNet5MatchesFiniteDifferences() {
        check("lenet5", LeNet5.MODEL.build(new ReferenceKernels(), 2, 9), 9);
    }

    /**
     * AlexNet's kinds of layer on a digit-sized input: a strided convolution, LRN, overlapping 3x3
     * stride-2 max pooling, a grouped convolution, dropout before the fully connected layers
     * (sigmoid for ReLU, as above).
     */
    @org.junit.jupiter.api.Test
    void backPropagationThroughAnAlexNetShapedNetworkMatchesFiniteDifferences() {
        var architecture = dev.nndl.shape.Architecture.parse("1x28x28", List.of("conv:8:5:s2:sigmoid", "lrn:3", "pool:3:s2",
                "conv:8:3:p1:g2:sigmoid", "lrn:3", "pool:3:s2", "dropout:0.5", "fc:16:sigmoid", "dropout:0.5", "softmax:10"));
        check("alexnet-shaped", Networks.of(architecture, new ReferenceKernels(), 2, 11), 11);
    }

    /**
     * GoogLeNet's inception module as the first layer, its pool branch max pooling as in the
     * paper: with nothing trainable before it, no step moves a window's maximum, so the module's
     * branches, its concatenation and their parameters are checked as they run (sigmoid for ReLU).
     */
    @org.junit.jupiter.api.Test
    void backPropagationThroughAnInceptionModuleMatchesFiniteDifferences() {
        var k = new ReferenceKernels();
        Random random = new Random(13);
        var input = new dev.nndl.shape.TensorShape(2, 1, 28, 28);
        var inception = new dev.nndl.shape.Layer.Inception("3a", 2, 2, 3, 1, 2, 2);
        Network network = new Network(k, List.of(
                new InceptionLayer(k, input, inception, Activation.SIGMOID, PoolLayer.Kind.MAX, random),
                new PoolLayer(k, dev.nndl.shape.PoolShape.of(2, 9, 28, 28, 4), PoolLayer.Kind.AVERAGE),
                new DenseLayer(k, new dev.nndl.shape.FcShape(2, 9 * 7 * 7, 10), null, 0, random)), 2, 10);
        check("inception", network, 13);
    }

    /**
     * A convolution before an inception module: the four branches' input gradients must add up
     * into the convolution's output gradient. Pooling is averaged here, in the module and after it:
     * with trainable layers before them, a step in a weight moves many outputs at once, and in
     * overlapping 3x3 windows of sigmoid outputs some maxima change hands (measured with max
     * pooling: weight gradients off by 3 to 15 %; with average pooling, every array passes).
     */
    @org.junit.jupiter.api.Test
    void theBranchesGradientsAddUpIntoTheLayerBeforeAnInceptionModule() {
        var k = new ReferenceKernels();
        Random random = new Random(17);
        var conv = dev.nndl.shape.ConvShape.of(2, 1, 28, 28, 4, 4, 2, 0);
        var inception = new dev.nndl.shape.Layer.Inception("3a", 2, 2, 3, 1, 2, 2);
        Network network = new Network(k, List.of(
                new ConvLayer(k, conv, Activation.SIGMOID, random),
                new InceptionLayer(k, conv.output(), inception, Activation.SIGMOID, PoolLayer.Kind.AVERAGE, random),
                new PoolLayer(k, dev.nndl.shape.PoolShape.of(2, 9, 13, 13, 3).withStride(2), PoolLayer.Kind.AVERAGE),
                new DenseLayer(k, new dev.nndl.shape.FcShape(2, 9 * 6 * 6, 10), null, 0, random)), 2, 10);
        check("conv before inception", network, 17);
    }

    /**
     * A recurrent layer reading a digit's 28 rows as 28 steps, and one after a fully connected
     * layer (its 20 outputs read as 4 steps of 5), whose input gradient goes back through the
     * layer's transposition from time-major to sample-major.
     */
    @ParameterizedTest
    @EnumSource(dev.nndl.shape.RecurrentShape.Cell.class)
    void backPropagationThroughARecurrentLayerMatchesFiniteDifferences(dev.nndl.shape.RecurrentShape.Cell cell) {
        var k = new ReferenceKernels();
        String spec = cell.name().toLowerCase(java.util.Locale.ROOT) + ":3";
        check(cell + " over the rows", Networks.of(dev.nndl.shape.Architecture.parse("28x28", List.of(spec, "softmax:10")), k, 2, 19), 19);
        Random random = new Random(23);
        Network network = new Network(k, List.of(
                new DenseLayer(k, new dev.nndl.shape.FcShape(2, 784, 4 * 5), Activation.SIGMOID, 0, random),
                new dev.nndl.network.layer.RecurrentLayer(k, new dev.nndl.shape.RecurrentShape(cell, 4, 2, 5, 3), random),
                new DenseLayer(k, new dev.nndl.shape.FcShape(2, 3, 10), null, 0, random)), 2, 10);
        check(cell + " after fc", network, 23);
    }

    private static void check(String name, Network network, long seed) {
        Random random = new Random(seed);
        int batch = network.batch();
        for (Layer.Parameter p : network.parameters()) onGrid(p.value(), random);
        Mnist.Set images = Bars.set(batch, seed);
        float[] x = images.images(), y = Bars.oneHot(images.labels());
        long step = network.steps();
        network.gradients(x, y);
        List<float[]> gradients = network.parameters().stream().map(p -> p.gradient().clone()).toList();
        DoubleSupplier cost = () -> {
            float[] a = network.forward(x, step);
            double sum = 0;
            for (int n = 0; n < batch; n++) sum -= Math.log(a[n * 10 + images.labels()[n]]);
            return sum / batch;
        };
        double rounding = lossRounding(network.layers().size());
        for (int i = 0; i < gradients.size(); i++) {
            Layer.Parameter p = network.parameters().get(i);
            FiniteDifference.checkScalar(name + " " + p.name() + " (parameter array " + i + ")", p.value(), cost, rounding, STEP, gradients.get(i), 6, random);
        }
    }

    /** {@value #ROUNDING_ULPS} units of {@code 2^-24} per layer. */
    static double lossRounding(int layers) {
        return layers * ROUNDING_ULPS * 0x1.0p-24;
    }

    /** Snaps {@code a} to the {@code 2^-16} grid, first filling an all-zero array (the softmax layer's start) with N(0, 0.3^2). */
    private static void onGrid(float[] a, Random random) {
        boolean zero = true;
        for (float v : a) zero &= v == 0;
        for (int e = 0; e < a.length; e++) {
            double v = zero ? 0.3 * random.nextGaussian() : a[e];
            a[e] = (float) (Math.rint(v * 0x1.0p16) * 0x1.0p-16);
        }
    }
}
