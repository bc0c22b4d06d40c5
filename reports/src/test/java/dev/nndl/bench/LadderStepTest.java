package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nndl.cpu.CpuKernels;
import dev.nndl.reference.ReferenceKernels;
import org.junit.jupiter.api.Test;

/** The training-step benchmark counts the FLOPs the layers hold (v3: 9.22 MFLOP an image) and computes the same step on every backend. */
class LadderStepTest {

    @Test
    void v3CountsNielsensFlopsPerImage() {
        // conv1 forward + backward-weights 2 x 576,000; conv2 three passes 3 x 2,560,000; FC 640-100 and 100-10, three passes 3 x 130,000
        assertEquals(9_222_000, LadderStep.flopsPerImage("v3"));
    }

    @Test
    void cpuAndReferenceTakeTheSameStepsForThreeMiniBatches() {
        for (String rung : new String[] {"v3", "v6"}) {
            try (CpuKernels cpu = new CpuKernels()) {
                LadderStep fast = new LadderStep(cpu, rung, 10), oracle = new LadderStep(new ReferenceKernels(), rung, 10);
                for (int step = 0; step < 3; step++) {
                    float[] got = fast.step(), want = oracle.step();
                    for (int e = 0; e < want.length; e++) {
                        assertEquals(want[e], got[e], 1e-4, rung + " step " + step + ", softmax output " + e);
                    }
                }
            }
        }
    }
}
