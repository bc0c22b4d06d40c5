package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The spinning pool: every task runs exactly once, calls nested in tasks and failures are handled, and it closes. */
class ParallelTest {

    @Test
    void everyTaskRunsOnceInManyCallsOfEverySize() {
        try (Parallel p = new Parallel(3)) {
            for (int tasks = 1; tasks <= 40; tasks++) {
                for (int repeat = 0; repeat < 50; repeat++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    p.forEach(tasks, runs::incrementAndGet);
                    for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), tasks + " tasks, task " + t);
                }
            }
        }
    }

    @Test
    void aCallFromInsideATaskRunsOnItsCaller() {
        try (Parallel p = new Parallel(2)) {
            AtomicInteger inner = new AtomicInteger();
            p.forEach(4, t -> p.forEach(5, u -> inner.incrementAndGet()));
            assertEquals(20, inner.get());
        }
    }

    @Test
    void aFailingTaskFailsTheCallAndThePoolGoesOn() {
        try (Parallel p = new Parallel(2)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.forEach(8, t -> {
                if (t == 5) throw new IllegalStateException("task 5");
            }));
            assertEquals("task 5", e.getMessage());
            AtomicInteger after = new AtomicInteger();
            p.forEach(8, t -> after.incrementAndGet());
            assertEquals(8, after.get());
        }
    }
}
