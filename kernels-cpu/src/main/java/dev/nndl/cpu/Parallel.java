package dev.nndl.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads for data-parallel loops: {@link #forEach} hands out task indices
 * from a shared counter to the workers and to the calling thread, and returns when all are done.
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

    /** How long an idle worker spins before it parks: long enough to span the host code between two kernels of a step. */
    private static final long SPIN = 50_000;

    private final int threads;
    private final Thread[] workers;
    /** Whether a call is in flight; not a reentrant lock, since a task's own forEach must not start a second call. */
    private final AtomicBoolean busy = new AtomicBoolean();
    /** The call in flight, or the last one; a new one replaces it with a volatile write. */
    private volatile Job job = new Job(0, t -> {}, 0);
    private volatile boolean closed;

    /** One call: its tasks, the next index to hand out, how many have finished, and the first failure. */
    private static final class Job {
        final long generation;
        final IntConsumer body;
        final int tasks;
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(long generation, IntConsumer body, int tasks) {
            this.generation = generation;
            this.body = body;
            this.tasks = tasks;
        }

        /** Takes task indices until none are left; after a failure, the rest are taken and skipped. */
        void share() {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                try {
                    if (failure.get() == null) body.accept(t);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.incrementAndGet();
                }
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
            call = new Job(job.generation + 1, body, tasks);
            job = call;
            for (int w = 0; w < helpers; w++) LockSupport.unpark(workers[w]);
            call.share();
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
            // calls with fewer tasks than threads count only the first workers in
            if (index < call.tasks - 1) call.share();
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread w : workers) LockSupport.unpark(w);
    }
}
