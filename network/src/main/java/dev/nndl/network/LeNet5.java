package dev.nndl.network;

import dev.nndl.network.layer.Activation;
import dev.nndl.network.layer.PoolLayer;
import dev.nndl.network.layer.ConvLayer;
import dev.nndl.network.layer.DenseLayer;
import dev.nndl.network.layer.Layer;
import dev.nndl.shape.Architecture;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import dev.nndl.shape.PoolShape;
import dev.nndl.spi.KernelSet;
import java.util.List;
import java.util.Random;

/**
 * LeNet-5 (LeCun, Bottou, Bengio and Haffner, 1998) as the seed's table gives it: a 32x32 input,
 * C1 6@5x5, S2 2x2 stride-2 subsampling, C3 16@5x5, S4, C5 120@5x5, F6 84, and 10 outputs; tanh
 * throughout. Parameters 156, 0, 2,416, 0, 48,120, 10,164 and 850 (61,706).
 *
 * <p>As the seed does, MNIST's 28x28 digits are zero-padded to 32x32; here C1 pads by 2 instead,
 * which computes exactly the same thing without copying the images. Where the paper differs from
 * the table, the table wins: C3 connects to all six S2 maps (the paper's sparse connection table
 * has 1,516 weights), S2 and S4 are parameter-free averages (the paper's have a trainable
 * coefficient and bias), and the output is a softmax with log-likelihood (the paper's is RBF
 * units). The recipe is plain SGD on mini-batches of 10, eta 0.05, 20 epochs (the paper's 20
 * passes, with its diagonal Levenberg-Marquardt steps replaced by SGD). LeCun et al. report 0.95 %
 * test error.
 */
public final class LeNet5 implements Model {

    public static final LeNet5 MODEL = new LeNet5();

    private LeNet5() {}

    @Override public String id() { return "lenet5"; }
    @Override public String change() { return "LeNet-5 (LeCun et al. 1998): C1 6@5x5, S2, C3 16@5x5, S4, C5 120@5x5, F6 84, output 10; tanh"; }
    @Override public float eta() { return 0.05f; }
    @Override public float lambda() { return 0; }
    @Override public int epochs() { return 20; }
    @Override public boolean expanded() { return false; }
    @Override public double publishedAccuracy() { return 99.05; }
    @Override public String publishedBy() { return "LeCun et al."; }

    /** The seed's table, over the 32x32 input that C1's padding of 2 makes of a 28x28 digit. */
    @Override
    public Architecture architecture() {
        return Architecture.leNet5();
    }

    @Override
    public Network build(KernelSet k, int batch, long seed) {
        Random random = new Random(seed);
        ConvShape c1 = ConvShape.of(batch, 1, 28, 28, 6, 5, 1, 2), c3 = ConvShape.of(batch, 6, 14, 14, 16, 5), c5 = ConvShape.of(batch, 16, 5, 5, 120, 5);
        List<Layer> layers = List.of(
                new ConvLayer(k, c1, Activation.TANH, random),
                new PoolLayer(k, PoolShape.of(batch, 6, 28, 28, 2), PoolLayer.Kind.AVERAGE),
                new ConvLayer(k, c3, Activation.TANH, random),
                new PoolLayer(k, PoolShape.of(batch, 16, 10, 10, 2), PoolLayer.Kind.AVERAGE),
                new ConvLayer(k, c5, Activation.TANH, random),
                new DenseLayer(k, new FcShape(batch, 120, 84), Activation.TANH, 0, random),
                new DenseLayer(k, new FcShape(batch, 84, 10), null, 0, random));
        return new Network(k, layers, batch, 10);
    }

    @Override
    public String toString() {
        return id();
    }
}
