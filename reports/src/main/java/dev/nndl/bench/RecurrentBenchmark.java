package dev.nndl.bench;

import dev.nndl.conformance.OpCheck;
import dev.nndl.conformance.RecurrentChecks;
import dev.nndl.shape.RecurrentShape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The recurrent layers over a whole sequence: forward, and back-propagation through time (every
 * gradient; the method returns the weight gradient, and the setup's contract check compares them all). Shapes: the LSTM test
 * task's (20 steps, batch 32, 4 symbols in, 16 hidden units; {@code SequenceTaskTest}), and the
 * small word-level language model of Zaremba et al. (2014): 20 steps, batch 20, 200 inputs and
 * 200 hidden units. FLOPs: {@code 2 * s.macs()} forward, twice that backward; the element-wise
 * gate arithmetic is left out.
 */
public class RecurrentBenchmark extends KernelBenchmark<RecurrentShape> {

    public static final Map<String, RecurrentShape> SHAPES = new LinkedHashMap<>();

    static {
        for (RecurrentShape.Cell cell : RecurrentShape.Cell.values()) {
            String name = cell.name().toLowerCase(java.util.Locale.ROOT);
            SHAPES.put(name + "-task-t20-n32-h16", new RecurrentShape(cell, 20, 32, 4, 16));
            SHAPES.put(name + "-zaremba-t20-n20-h200", new RecurrentShape(cell, 20, 20, 200, 200));
        }
    }

    @Param({"lstm-task-t20-n32-h16"})
    public String shape;

    @Param({"cpu"})
    public String backend;

    private RecurrentShape s;
    private float[] x, h0, c0, w, h, c, gates, dH, dX, dH0, dC0, dW;

    public static double flops(String shape, String direction) {
        return (direction.equals("forward") ? 2.0 : 4.0) * SHAPES.get(shape).macs();
    }

    @Setup
    public void setUp(BenchmarkParams params) {
        start(backend);
        s = SHAPES.get(shape);
        float scale = (float) (1 / Math.sqrt(s.in() + s.hidden()));
        x = random(s.inputSize(), 1);
        h0 = random(s.stateSize(), 2);
        c0 = random(s.stateSize(), 3);
        w = random(s.weightSize(), 4);
        for (int e = 0; e < w.length; e++) w[e] *= scale;
        dH = random(s.sequenceSize(), 5);
        h = new float[s.sequenceSize()];
        c = new float[s.sequenceSize()];
        gates = new float[s.gatesSize()];
        dX = new float[s.inputSize()];
        dH0 = new float[s.stateSize()];
        dC0 = new float[s.stateSize()];
        dW = new float[s.weightSize()];
        kernels.upload(x, h0, c0, w, dH);
        forward();
        kernels.download(h, c, gates);
        verify(params, s, shape);
    }

    @Benchmark
    public float[] forward() {
        if (s.cell() == RecurrentShape.Cell.RNN) kernels.rnnForward(h, x, h0, w, s);
        else kernels.lstmForward(h, c, gates, x, h0, c0, w, s);
        return h;
    }

    @Benchmark
    public float[] backward() {
        if (s.cell() == RecurrentShape.Cell.RNN) kernels.rnnBackward(dX, dH0, dW, dH, x, h0, h, w, s);
        else kernels.lstmBackward(dX, dH0, dC0, dW, dH, x, h0, c0, h, c, gates, w, s);
        return dW;
    }

    @Override
    protected OpCheck<RecurrentShape> check(String method) {
        return switch (method) {
            case "forward" -> s.cell() == RecurrentShape.Cell.RNN ? RecurrentChecks.rnnForward() : RecurrentChecks.lstmForward();
            case "backward" -> s.cell() == RecurrentShape.Cell.RNN ? RecurrentChecks.rnnBackward() : RecurrentChecks.lstmBackward();
            default -> throw new IllegalArgumentException("no benchmark method " + method);
        };
    }
}
