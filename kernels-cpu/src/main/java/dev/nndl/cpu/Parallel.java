package dev.nndl.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A fixed pool of worker threads for data-parallel loops: {@link #forEach} hands out task indices
 * from a shared counter to the workers and to the calling thread, and returns when all are done.
 * With one thread, or one task, everything runs on the caller, with no handoff at all.
 */
final class Parallel implements AutoCloseable {

    /** No threads but the caller's, for work too small to share. */
    static final Parallel SERIAL = new Parallel(1);

    private final int threads;
    private final ExecutorService workers;

    Parallel(int threads) {
        this.threads = threads;
        this.workers = threads > 1 ? Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread t = new Thread(runnable, "nndl-cpu");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    int threads() {
        return threads;
    }

    /** Runs {@code body.accept(t)} for every {@code t} in {@code [0, tasks)}, spread over the pool. */
    void forEach(int tasks, IntConsumer body) {
        if (threads == 1 || tasks == 1) {
            for (int t = 0; t < tasks; t++) body.accept(t);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int helpers = Math.min(threads, tasks) - 1;
        Phaser done = new Phaser(helpers + 1);
        Runnable work = () -> {
            try {
                for (int t = next.getAndIncrement(); t < tasks && failure.get() == null; t = next.getAndIncrement()) body.accept(t);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                done.arrive();
            }
        };
        for (int h = 0; h < helpers; h++) workers.execute(work);
        work.run();
        done.awaitAdvance(0);
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        if (e != null) throw new IllegalStateException(e);
    }

    @Override
    public void close() {
        if (workers != null) workers.shutdownNow();
    }
}
