package dev.nndl.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nndl.conformance.mutants.Mutants;
import dev.nndl.shape.ConvShape;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;

/** The benchmark methods match the CSV's directions, and the setup's check rejects a wrong result. */
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

    /** The setup's check is the contract's: a kernel set with a planted bug is stopped before anything is timed. */
    @Test
    void theSetupStopsABackendTheContractRejects() {
        ConvolutionBenchmark bench = new ConvolutionBenchmark();
        bench.kernels = Mutants.all().stream().filter(m -> m.id().equals("padding-off-by-one")).findFirst().orElseThrow();
        ConvShape padded = ConvShape.of(2, 3, 9, 9, 4, 3, 1, 1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> bench.verify("forward", padded, "padded"));
        assertTrue(e.getMessage().startsWith("ConvolutionBenchmark.forward padded on mutant:padding-off-by-one: conv2d forward"), e.getMessage());
        assertTrue(e.getMessage().endsWith("run nndl conform --backend mutant:padding-off-by-one to see what is wrong"), e.getMessage());
        bench.verify("backwardData", padded, "padded");
    }
}
