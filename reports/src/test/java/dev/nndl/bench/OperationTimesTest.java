package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.reference.ReferenceKernels;
import dev.nndl.shape.ConvShape;
import dev.nndl.shape.FcShape;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stopwatch counts each operation and shape apart, counts their FLOPs, and leaves the results as they were. */
class OperationTimesTest {

    @Test
    void eachOperationAndShapeIsCountedApartWithItsFlops() {
        try (OperationTimes timed = new OperationTimes(new ReferenceKernels()); ReferenceKernels plain = new ReferenceKernels()) {
            ConvShape small = ConvShape.of(2, 1, 8, 8, 3, 3), large = ConvShape.of(2, 1, 12, 12, 3, 3);
            float[] w = new float[small.weightSize()];
            java.util.Arrays.fill(w, 0.5f);
            float[] in = new float[large.inputSize()];
            for (int i = 0; i < in.length; i++) in[i] = i % 7;
            float[] out = new float[large.outputSize()], expected = new float[large.outputSize()];
            timed.conv2dForward(out, in, w, large);
            plain.conv2dForward(expected, in, w, large);
            assertEquals(List.of(expected[0], expected[expected.length - 1]), List.of(out[0], out[out.length - 1]), "the wrapped operation's results");
            timed.conv2dForward(new float[small.outputSize()], new float[small.inputSize()], w, small);
            timed.conv2dForward(new float[small.outputSize()], new float[small.inputSize()], w, small);
            timed.reluForward(out, out);

            List<OperationTimes.Time> times = timed.times();
            assertEquals(3, times.size(), times.toString());
            OperationTimes.Time smallConv = times.stream().filter(t -> t.shape().equals(small.toString())).findFirst().orElseThrow();
            assertEquals("conv2dForward", smallConv.operation());
            assertEquals(2, smallConv.calls());
            assertEquals(2 * 2.0 * small.macs(), smallConv.flops());
            OperationTimes.Time relu = times.stream().filter(t -> t.operation().equals("reluForward")).findFirst().orElseThrow();
            assertEquals(out.length + " floats", relu.shape());
            assertTrue(Double.isNaN(relu.gflops()));
            for (int i = 1; i < times.size(); i++) assertTrue(times.get(i - 1).nanos() >= times.get(i).nanos(), "slowest first: " + times);
            timed.reset();
            assertEquals(List.of(), timed.times());
        }
    }

    /** The reference has no one-pass step: its fused call declines, and the operations it is composed of are what get timed. */
    @Test
    void aDeclinedFusedStepIsNotCountedButItsPartsAre() {
        try (OperationTimes timed = new OperationTimes(new ReferenceKernels())) {
            FcShape s = new FcShape(2, 5, 3);
            timed.fullyConnectedSgdStep(new float[s.inputSize()], new float[s.weightSize()], new float[s.weightSize()], new float[s.weightSize()], new float[s.outputSize()],
                    new float[s.inputSize()], 0.1f, 0, s);
            List<String> operations = timed.times().stream().map(OperationTimes.Time::operation).sorted().toList();
            assertEquals(List.of("fullyConnectedBackwardInput", "fullyConnectedBackwardWeights", "setZero", "sgdUpdate"), operations);
            assertEquals(2 * (2.0 * 2 * 5 * 3), timed.times().stream().mapToDouble(OperationTimes.Time::flops).sum());
        }
    }
}
