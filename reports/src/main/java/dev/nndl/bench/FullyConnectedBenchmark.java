package dev.nndl.bench;

import dev.nndl.shape.FcShape;
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

/** Fully connected layers (GEMMs). FLOPs: {@code 2 * N * IN * OUT} for each direction. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FullyConnectedBenchmark {

    @Param({"ladder-fc640x100-mb10"})
    public String shape;

    @Param({"forward", "backward-data", "backward-weights"})
    public String direction;

    @Param({"cpu"})
    public String backend;

    private KernelSet kernels;
    private FcShape s;
    private float[] in, w, out, dIn, dW;
    private Runnable op;
    private float[] result;

    public static double flops(String shape) {
        return 2.0 * BenchShapes.FC.get(shape).macs();
    }

    @Setup
    public void setUp() {
        kernels = Backends.start(backend);
        s = BenchShapes.FC.get(shape);
        in = Verify.random(s.inputSize(), 1);
        w = Verify.random(s.weightSize(), 2);
        out = Verify.random(s.outputSize(), 3);
        dIn = new float[s.inputSize()];
        dW = new float[s.weightSize()];
        kernels.upload(in, w, out, dIn, dW);
        switch (direction) {
            case "forward" -> {
                op = () -> kernels.fullyConnectedForward(out, in, w, s);
                result = out;
                Verify.againstReference("fully-connected forward " + shape, kernels, s.outputSize(), (k, o) -> k.fullyConnectedForward(o, in, w, s));
            }
            case "backward-data" -> {
                op = () -> kernels.fullyConnectedBackwardInput(dIn, out, w, s);
                result = dIn;
                Verify.againstReference("fully-connected backward-data " + shape, kernels, s.inputSize(), (k, o) -> k.fullyConnectedBackwardInput(o, out, w, s));
            }
            case "backward-weights" -> {
                op = () -> kernels.fullyConnectedBackwardWeights(dW, out, in, s);
                result = dW;
                Verify.againstReference("fully-connected backward-weights " + shape, kernels, s.weightSize(), (k, o) -> k.fullyConnectedBackwardWeights(o, out, in, s));
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
