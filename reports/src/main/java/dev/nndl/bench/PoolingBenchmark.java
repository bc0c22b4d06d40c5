package dev.nndl.bench;

import dev.nndl.shape.PoolShape;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Max pooling forward and backward. "FLOPs" are the window elements compared,
 * {@code N * C * OH * OW * KH * KW}: pooling does no multiply-adds, so its rate is better read as
 * elements per second than against the FMA peak.
 */
public class PoolingBenchmark extends KernelBenchmark {

    @Param({"ladder-pool1-mb10"})
    public String shape;

    @Param({"forward", "backward"})
    public String direction;

    @Param({"cpu"})
    public String backend;

    public static double flops(String shape) {
        return BenchShapes.POOL.get(shape).windowElements();
    }

    @Setup
    public void setUp() {
        start(backend);
        PoolShape s = BenchShapes.POOL.get(shape);
        float[] in = Verify.random(s.inputSize(), 1), dOut = Verify.random(s.outputSize(), 2);
        kernels.upload(in, dOut);
        String what = "max-pool2d " + direction + " " + shape;
        if (direction.equals("forward")) measure(what, new float[s.outputSize()], (k, out) -> k.maxPool2dForward(out, in, s));
        else measure(what, new float[s.inputSize()], (k, dIn) -> k.maxPool2dBackward(dIn, dOut, in, s));
    }
}
