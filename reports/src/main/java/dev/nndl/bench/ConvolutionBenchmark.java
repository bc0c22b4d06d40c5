package dev.nndl.bench;

import dev.nndl.shape.ConvShape;
import dev.nndl.spi.Backends;
import dev.nndl.spi.KernelSet;
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
 * Convolution forward, backward-data and backward-weights. FLOPs: {@code 2 * shape.macs()} for
 * each direction (every tap counted, padding included, as libraries report it). Warm-up, forks and
 * iterations come from the runner ({@code nndl bench}), not from annotations, so quick and full
 * runs share this class.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ConvolutionBenchmark {

    @Param({"ladder-conv1-mb10"})
    public String shape;

    @Param({"forward", "backward-data", "backward-weights"})
    public String direction;

    @Param({"cpu"})
    public String backend;

    private KernelSet kernels;
    private ConvShape s;
    private float[] in, w, out, dIn, dW;
    private Runnable op;
    private float[] result;

    public static double flops(String shape) {
        return 2.0 * BenchShapes.CONV.get(shape).macs();
    }

    @Setup
    public void setUp() {
        kernels = Backends.start(backend);
        s = BenchShapes.CONV.get(shape);
        in = Verify.random(s.inputSize(), 1);
        w = Verify.random(s.weightSize(), 2);
        out = Verify.random(s.outputSize(), 3);
        dIn = new float[s.inputSize()];
        dW = new float[s.weightSize()];
        kernels.upload(in, w, out, dIn, dW);
        switch (direction) {
            case "forward" -> {
                op = () -> kernels.conv2dForward(out, in, w, s);
                result = out;
                Verify.againstReference("conv2d forward " + shape, kernels, s.outputSize(), (k, o) -> k.conv2dForward(o, in, w, s));
            }
            case "backward-data" -> {
                op = () -> kernels.conv2dBackwardInput(dIn, out, w, s);
                result = dIn;
                Verify.againstReference("conv2d backward-data " + shape, kernels, s.inputSize(), (k, o) -> k.conv2dBackwardInput(o, out, w, s));
            }
            case "backward-weights" -> {
                op = () -> kernels.conv2dBackwardWeights(dW, out, in, s);
                result = dW;
                Verify.againstReference("conv2d backward-weights " + shape, kernels, s.weightSize(), (k, o) -> k.conv2dBackwardWeights(o, out, in, s));
            }
            default -> throw new IllegalArgumentException("direction " + direction);
        }
    }

    @Benchmark
    public float[] run() {
        op.run();
        return result;
    }

    @TearDown
    public void tearDown() {
        kernels.close();
    }
}
