package dev.nndl.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads for data-parallel loops: {@link #forEach} gives the calling
 * thread and each worker a part of the task indices, the same part in every call, and returns
 * when all are done.
 * With one thread, or one task, everything runs on the caller, with no handoff at all.
 *
 * <p>Why not an executor: a training step at mini-batch 10 makes some 25 parallel calls of tens of
 * microseconds each, and handing each to an executor and waiting on a phaser cost about as much
 * as the work (the v3 step ran only 1.3 times faster on two threads than on one, c50bd06). Here the
 * workers spin for a while ({@link #SPIN}) after each call, watching a generation counter, before
 * they park, so the next call finds them awake; the caller spins until every task has finished,
 * not until every worker has: a parked worker takes tens of microseconds to wake, and a caller
 * that waited for it after doing all the tasks itself lost that time (LeNet-5's C5 forward took
 * 116 us in a training step against 14 alone, at c3d9fe3). A call that
 * comes while another is in flight (from another thread, or from inside a task) runs on its
 * caller alone.
 */
final class Parallel implements AutoCloseable {

    /** No threads but the caller's, for work too small to share. */
    static final Parallel SERIAL = new Parallel(1);

    /**
     * How long an idle worker spins before it parks: long enough to span the host code between two
     * kernels of a step, and the serial stretch of LeNet-5's dense layers at mini-batch 10 (about
     * 60 us) between the parts of its step: with 50 us the worker parked there and woke late for
     * the parts' backward pass.
     */
    private static final long SPIN = 200_000;

    private final int threads;
    private final Thread[] workers;
    /** Whether a call is in flight; not a reentrant lock, since a task's own forEach must not start a second call. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The call in flight, or the last one; a new one replaces it with a volatile write. */
    private volatile Job job = new Job(0, t -> {}, 0, 1);
    private volatile boolean closed;

    /**
     * One call: its tasks in one contiguous part per thread taking part, each part's next index on
     * a cache line of its own, how many tasks have finished, and the first failure. A thread takes
     * its own part's tasks first, in order, then helps with the others'. So a thread gets the same
     * share of every call's tasks, and the data it wrote in one kernel is still in its cache when
     * the next kernel reads it. Tasks dealt out from one shared counter went to whichever thread
     * came first, and on a 2-core Zen 5 a training step ran no faster on two threads than on one
     * (v6's step at mini-batch 10 took 3.1-3.2 ms that way, 2.8-2.9 in parts, measured against 28196ea).
     */
    private static final class Job {
        /** Ints from one part's next index to the next part's: a 64-byte cache line. */
        private static final int LINE = 16;

        final long generation;
        final IntConsumer body;
        final int tasks, parts;
        /** Part {@code i} is tasks {@code [tasks * i / parts, tasks * (i + 1) / parts)}; its next index is at {@code (i + 1) * LINE}. */
        final AtomicIntegerArray next;
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(long generation, IntConsumer body, int tasks, int parts) {
            this.generation = generation;
            this.body = body;
            this.tasks = tasks;
            this.parts = parts;
            this.next = new AtomicIntegerArray((parts + 2) * LINE);
            for (int i = 0; i < parts; i++) next.set((i + 1) * LINE, start(i));
        }

        int start(int part) {
            return (int) ((long) tasks * part / parts);
        }

        /** Runs part {@code own}'s tasks, then what is left of the others'; after a failure, the rest are taken and skipped. */
        void share(int own) {
            int done = 0;
            try {
                for (int i = 0; i < parts; i++) {
                    int part = (own + i) % parts, end = start(part + 1);
                    for (int t = next.getAndIncrement((part + 1) * LINE); t < end; t = next.getAndIncrement((part + 1) * LINE), done++) {
                        try {
                            if (failure.get() == null) body.accept(t);
                        } catch (Throwable e) {
                            failure.compareAndSet(null, e);
                        }
                    }
                }
            } finally {
                finished.addAndGet(done);
            }
        }
    }

    Parallel(int threads) {
        this.threads = threads;
        this.workers = new Thread[threads - 1];
        for (int w = 0; w < workers.length; w++) {
            int index = w;
            workers[w] = new Thread(() -> work(index), "nndl-cpu-" + (w + 1));
            workers[w].setDaemon(true);
            workers[w].start();
        }
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)}, spread over the pool. */
    void forEach(int tasks, IntConsumer body) {
        if (threads == 1 || tasks == 1 || !busy.compareAndSet(false, true)) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        Job call;
        try {
            int helpers = Math.min(workers.length, tasks - 1);
            call = new Job(job.generation + 1, body, tasks, helpers + 1);
            job = call;
            for (int w = 0; w < helpers; w++) LockSupport.unpark(workers[w]);
            call.share(0);
            // wait for the tasks, not the workers: one still waking from park finds none left and touches nothing
            while (call.finished.get() < tasks) Thread.onSpinWait();
        } finally {
            busy.set(false);
        }
        Throwable e = call.failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        if (e != null) throw new IllegalStateException(e);
    }

    /** Worker {@code index}: waits for a new call (spinning, then parked), helps with it if counted in, says it is done. */
    private void work(int index) {
        long seen = 0;
        while (!closed) {
            long start = System.nanoTime();
            Job call = job;
            while (call.generation == seen && !closed) {
                if (System.nanoTime() - start < SPIN) Thread.onSpinWait();
                else LockSupport.park(this);
                call = job;
            }
            if (closed) return;
            seen = call.generation;
            // calls with fewer tasks than threads have fewer parts, for the first workers only
            if (index < call.parts - 1) call.share(index + 1);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
