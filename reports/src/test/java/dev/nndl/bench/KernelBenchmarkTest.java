package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.reference.ReferenceKernels;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/** The benchmark methods match the CSV's directions, and the setup's screen rejects a wrong result. */
class KernelBenchmarkTest {

    @Test
    void everyDirectionOfEveryFamilyIsABenchmarkMethod() throws NoSuchMethodException {
        for (BenchRunner.Family family : BenchRunner.FAMILIES) {
            for (String direction : family.directions()) {
                Method m = family.benchmark().getMethod(KernelBenchmark.method(direction));
                assertTrue(m.isAnnotationPresent(Benchmark.class), m.toString());
                assertEquals(direction, KernelBenchmark.direction(m.getName()));
            }
        }
    }

    @Test
    void theScreenNamesTheElementThatDiffers() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Verify.same("conv2d forward x", new ReferenceKernels(), new float[] {1, 2, 3.1f}, new float[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("element 2 is 3.1, the reference says 3.0"), e.getMessage());
    }
}
