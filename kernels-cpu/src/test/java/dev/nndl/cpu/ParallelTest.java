package dev.nndl.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The spinning pool: every task runs exactly once, however the calls split into runs, calls nested in tasks and failures are handled, and it closes. */
class ParallelTest {

    @Test
    void everyTaskRunsOnceInManyCallsOfEverySize() {
        try (Parallel p = new Parallel(3)) {
            for (int tasks : IntStream.concat(IntStream.rangeClosed(1, 40), IntStream.of(97, 200, 1000)).toArray()) {
                for (int repeat = 0; repeat < 50; repeat++) {
                    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                    p.forEach(tasks, runs::incrementAndGet);
                    for (int t = 0; t < tasks; t++) assertEquals(1, runs.get(t), tasks + " tasks, task " + t);
                }
            }
        }
    }

    @Test
    void theOthersFinishThePartOfAThreadThatIsHeldUp() {
        try (Parallel p = new Parallel(2)) {
            // the caller's part is tasks 0-4; it waits in task 0 until the worker, done with 5-9, has run 1-4
            AtomicInteger helped = new AtomicInteger();
            long deadline = System.nanoTime() + 10_000_000_000L;
            p.forEach(10, t -> {
                if (t == 0) {
                    while (helped.get() < 4) {
                        if (System.nanoTime() > deadline) throw new AssertionError("tasks 1-4 were left to the held-up caller");
                        Thread.onSpinWait();
                    }
                } else if (t < 5) {
                    helped.incrementAndGet();
                }
            });
            assertEquals(4, helped.get());
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
