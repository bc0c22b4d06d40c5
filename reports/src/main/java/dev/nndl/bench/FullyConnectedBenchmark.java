package dev.nndl.bench;

import dev.nndl.shape.FcShape;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** Fully connected layers (GEMMs). FLOPs: {@code 2 * N * IN * OUT} for each direction. */
public class FullyConnectedBenchmark extends KernelBenchmark {

    @Param({"ladder-fc640x100-mb10"})
    public String shape;

    @Param({"forward", "backward-data", "backward-weights"})
    public String direction;

    @Param({"cpu"})
    public String backend;

    public static double flops(String shape) {
        return 2.0 * BenchShapes.FC.get(shape).macs();
    }

    @Setup
    public void setUp() {
        start(backend);
        FcShape s = BenchShapes.FC.get(shape);
        float[] in = Verify.random(s.inputSize(), 1), w = Verify.random(s.weightSize(), 2), dOut = Verify.random(s.outputSize(), 3);
        kernels.upload(in, w, dOut);
        String what = "fully-connected " + direction + " " + shape;
        switch (direction) {
            case "forward" -> measure(what, new float[s.outputSize()], (k, out) -> k.fullyConnectedForward(out, in, w, s));
            case "backward-data" -> measure(what, new float[s.inputSize()], (k, dIn) -> k.fullyConnectedBackwardInput(dIn, dOut, w, s));
            case "backward-weights" -> measure(what, new float[s.weightSize()], (k, dW) -> k.fullyConnectedBackwardWeights(dW, dOut, in, s));
            default -> throw new IllegalArgumentException("direction " + direction);
        }
    }
}
