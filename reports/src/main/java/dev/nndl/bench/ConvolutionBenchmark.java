package dev.nndl.bench;

import dev.nndl.shape.ConvShape;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Convolution forward, backward-data and backward-weights. FLOPs: {@code 2 * shape.macs()} for
 * each direction (every tap counted, padding included, as libraries report it).
 */
public class ConvolutionBenchmark extends KernelBenchmark {

    @Param({"ladder-conv1-mb10"})
    public String shape;

    @Param({"forward", "backward-data", "backward-weights"})
    public String direction;

    @Param({"cpu"})
    public String backend;

    public static double flops(String shape) {
        return 2.0 * BenchShapes.CONV.get(shape).macs();
    }

    @Setup
    public void setUp() {
        start(backend);
        ConvShape s = BenchShapes.CONV.get(shape);
        float[] in = Verify.random(s.inputSize(), 1), w = Verify.random(s.weightSize(), 2), dOut = Verify.random(s.outputSize(), 3);
        kernels.upload(in, w, dOut);
        String what = "conv2d " + direction + " " + shape;
        switch (direction) {
            case "forward" -> measure(what, new float[s.outputSize()], (k, out) -> k.conv2dForward(out, in, w, s));
            case "backward-data" -> measure(what, new float[s.inputSize()], (k, dIn) -> k.conv2dBackwardInput(dIn, dOut, w, s));
            case "backward-weights" -> measure(what, new float[s.weightSize()], (k, dW) -> k.conv2dBackwardWeights(dW, dOut, in, s));
            default -> throw new IllegalArgumentException("direction " + direction);
        }
    }
}
