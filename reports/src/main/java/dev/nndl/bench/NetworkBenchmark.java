package dev.nndl.bench;

import dev.nndl.network.Network;
import dev.nndl.network.Networks;
import dev.nndl.network.layer.Layer;
import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.Architecture;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A whole network from the seed, built by {@link Networks} from its shape table (AlexNet, and
 * GoogLeNet with its nine inception modules): the forward pass
 * (inference) and the forward and backward pass of training (dropout on, every gradient, no
 * update), on random images. The setup first checks the backend's softmax output against the
 * reference's for one image, with the same weights.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class NetworkBenchmark {

    /** The networks and batch sizes benchmarked, by shape name. */
    public static final Map<String, String> SHAPES = new java.util.LinkedHashMap<>();

    static {
        for (int n : new int[] {1, 8, 64}) {
            SHAPES.put("alexnet-b" + n, "alexnet 3x227x227 batch " + n);
            SHAPES.put("googlenet-b" + n, "googlenet 3x224x224 batch " + n);
        }
    }

    @Param({"alexnet-b1"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    private KernelSet kernels;
    private Network network;
    private float[] x, y;

    static Architecture architecture(String shape) {
        return Architecture.builtIn(shape.substring(0, shape.lastIndexOf('-')));
    }

    static int batch(String shape) {
        return Integer.parseInt(shape.substring(shape.lastIndexOf("-b") + 2));
    }

    /** FLOPs of one call: forward, 2 per multiply-add; forward-backward adds the backward passes (data, except into the image, and weights). */
    public static double flops(String shape, String direction) {
        Network network = Networks.of(architecture(shape), new ReferenceKernels(), 1, 0);
        double forward = 0, backward = 0;
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            forward += 2.0 * layer.macs();
            backward += 2.0 * layer.macs() * (i == 0 ? 1 : 2);
        }
        return batch(shape) * (direction.equals("forward") ? forward : forward + backward);
    }

    @Setup
    public void setUp() {
        kernels = Backends.start(backend);
        Architecture a = architecture(shape);
        if (!backend.equals("reference")) {
            float[] image = images(1, new Random(1));
            float[] want = Networks.of(a, new ReferenceKernels(), 1, 42).forward(image);
            float[] got = Networks.of(a, kernels, 1, 42).forward(image);
            for (int j = 0; j < want.length; j++) {
                if (!(Math.abs(got[j] - want[j]) <= 1e-6 + 1e-4 * want[j])) {
                    throw new IllegalStateException("the " + a.name() + " forward pass on " + backend + " gives softmax output " + got[j] + " for class "
                            + j + ", the reference " + want[j] + "; run nndl conform --backend " + backend);
                }
            }
        }
        int n = batch(shape);
        network = Networks.of(a, kernels, n, 42);
        Random random = new Random(42);
        x = images(n, random);
        y = new float[n * network.classes()];
        for (int i = 0; i < n; i++) y[i * network.classes() + random.nextInt(network.classes())] = 1;
        kernels.upload(x, y);
    }

    private float[] images(int n, Random random) {
        Architecture a = architecture(shape);
        float[] images = new float[(int) (n * a.input().size())];
        for (int e = 0; e < images.length; e++) images[e] = random.nextFloat();
        return images;
    }

    @Benchmark
    public float[] forward() {
        return network.forward(x);
    }

    @Benchmark
    public float[] forwardBackward() {
        return network.gradients(x, y);
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }
}
