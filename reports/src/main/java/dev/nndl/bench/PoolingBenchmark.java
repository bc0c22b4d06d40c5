package dev.nndl.bench;

import dev.nndl.conformance.Checks;
import dev.nndl.conformance.OpCheck;
import dev.nndl.shape.PoolShape;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Max pooling forward and backward. "FLOPs" are the window elements compared,
 * {@code N * C * OH * OW * KH * KW}: pooling does no multiply-adds, so its rate is better read as
 * elements per second than against the FMA peak.
 */
public class PoolingBenchmark extends KernelBenchmark<PoolShape> {

    @Param({"ladder-pool1-mb10"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    private PoolShape s;
    private float[] in, dOut, out, dIn;

    public static double flops(String shape) {
        return BenchShapes.POOL.get(shape).windowElements();
    }

    @Setup
    public void setUp(BenchmarkParams params) {
        start(backend);
        s = BenchShapes.POOL.get(shape);
        in = random(s.inputSize(), 1);
        dOut = random(s.outputSize(), 2);
        out = new float[s.outputSize()];
        dIn = new float[s.inputSize()];
        kernels.upload(in, dOut);
        verify(params, s, shape);
    }

    @Benchmark
    public float[] forward() {
        kernels.maxPool2dForward(out, in, s);
        return out;
    }

    @Benchmark
    public float[] backward() {
        kernels.maxPool2dBackward(dIn, dOut, in, s);
        return dIn;
    }

    @Override
    protected OpCheck<PoolShape> check(String method) {
        return switch (method) {
            case "forward" -> Checks.maxPool2dForward();
            case "backward" -> Checks.maxPool2dBackward();
            default -> throw new IllegalArgumentException("no benchmark method " + method);
        };
    }
}
