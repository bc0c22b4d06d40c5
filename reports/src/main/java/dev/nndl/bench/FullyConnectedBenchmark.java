package dev.nndl.bench;

import dev.nndl.conformance.Checks;
import dev.nndl.conformance.OpCheck;
import dev.nndl.shape.FcShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/** Fully connected layers (GEMMs). FLOPs: {@code 2 * N * IN * OUT} for each direction. */
public class FullyConnectedBenchmark extends KernelBenchmark<FcShape> {

    @Param({"ladder-fc640x100-mb10"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    private FcShape s;
    private float[] in, w, dOut, out, dIn, dW;

    public static double flops(String shape) {
        return 2.0 * BenchShapes.FC.get(shape).macs();
    }

    @Setup
    public void setUp(BenchmarkParams params) {
        start(backend);
        s = BenchShapes.FC.get(shape);
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
        kernels.fullyConnectedForward(out, in, w, s);
        return out;
    }

    @Benchmark
    public float[] backwardData() {
        kernels.fullyConnectedBackwardInput(dIn, dOut, w, s);
        return dIn;
    }

    @Benchmark
    public float[] backwardWeights() {
        kernels.fullyConnectedBackwardWeights(dW, dOut, in, s);
        return dW;
    }

    @Override
    protected OpCheck<FcShape> check(String method) {
        return switch (method) {
            case "forward" -> Checks.fullyConnectedForward();
            case "backwardData" -> Checks.fullyConnectedBackwardInput();
            case "backwardWeights" -> Checks.fullyConnectedBackwardWeights();
            default -> throw new IllegalArgumentException("no benchmark method " + method);
        };
    }
}
