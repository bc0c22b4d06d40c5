package dev.nndl.bench;

import dev.nndl.shape.PoolShape;
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
 * Max pooling forward and backward. "FLOPs" are the window elements compared,
 * {@code N * C * OH * OW * KH * KW}: pooling does no multiply-adds, so its rate is better read as
 * elements per second than against the FMA peak.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PoolingBenchmark {

    @Param({"ladder-pool1-mb10"})
    public String shape;

    @Param({"forward", "backward"})
    public String direction;

    @Param({"cpu"})
    public String backend;

    private KernelSet kernels;
    private PoolShape s;
    private float[] in, out, dIn;
    private Runnable op;
    private float[] result;

    public static double flops(String shape) {
        return BenchShapes.POOL.get(shape).windowElements();
    }

    @Setup
    public void setUp() {
        kernels = Backends.start(backend);
        s = BenchShapes.POOL.get(shape);
        in = Verify.random(s.inputSize(), 1);
        out = Verify.random(s.outputSize(), 2);
        dIn = new float[s.inputSize()];
        kernels.upload(in, out, dIn);
        if (direction.equals("forward")) {
            op = () -> kernels.maxPool2dForward(out, in, s);
            result = out;
            Verify.againstReference("max-pool2d forward " + shape, kernels, s.outputSize(), (k, o) -> k.maxPool2dForward(o, in, s));
        } else {
            op = () -> kernels.maxPool2dBackward(dIn, out, in, s);
            result = dIn;
            Verify.againstReference("max-pool2d backward " + shape, kernels, s.inputSize(), (k, o) -> k.maxPool2dBackward(o, out, in, s));
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
