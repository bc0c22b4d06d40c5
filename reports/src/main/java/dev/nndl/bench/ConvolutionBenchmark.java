package dev.nndl.bench;

import dev.nndl.conformance.Checks;
import dev.nndl.conformance.OpCheck;
import dev.nndl.shape.ConvShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Convolution forward, backward-data and backward-weights. FLOPs: {@code 2 * shape.macs()} for
 * each direction (every tap counted, padding included, as libraries report it).
 */
public class ConvolutionBenchmark extends KernelBenchmark<ConvShape> {

    @Param({"ladder-conv1-mb10"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    private ConvShape s;
    private float[] in, w, dOut, out, dIn, dW;

    public static double flops(String shape) {
        return 2.0 * BenchShapes.CONV.get(shape).macs();
    }

    @Setup
    public void setUp(BenchmarkParams params) {
        start(backend);
        s = BenchShapes.CONV.get(shape);
        in = random(s.inputSize(), 1);
        w = random(s.weightSize(), 2);
        dOut = random(s.outputSize(), 3);
        out = new float[s.outputSize()];
        dIn = new float[s.inputSize()];
        dW = new float[s.weightSize()];
        kernels.upload(in, w, dOut);
        verify(params, s, shape);
    }

    @Benchmark
    public float[] forward() {
        kernels.conv2dForward(out, in, w, s);
        return out;
    }

    @Benchmark
    public float[] backwardData() {
        kernels.conv2dBackwardInput(dIn, dOut, w, s);
        return dIn;
    }

    @Benchmark
    public float[] backwardWeights() {
        kernels.conv2dBackwardWeights(dW, dOut, in, s);
        return dW;
    }

    @Override
    protected OpCheck<ConvShape> check(String method) {
        return switch (method) {
            case "forward" -> Checks.conv2dForward();
            case "backwardData" -> Checks.conv2dBackwardInput();
            case "backwardWeights" -> Checks.conv2dBackwardWeights();
            default -> throw new IllegalArgumentException("no benchmark method " + method);
        };
    }
}
