package org.medhub.ml.jobs;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Thread pools for background jobs (training runs, cohort pulls) whose waiting line is bounded: a pool
 * from {@code Executors.newFixedThreadPool} queues without limit, so a client could pile up work and
 * memory until the server falls over. Here a job beyond the line is refused at submission
 * ({@link java.util.concurrent.RejectedExecutionException}), which the job's owner turns into
 * {@link QueueFullException}.
 */
public final class BoundedJobs {

    private BoundedJobs() {}

    /**
     * @param threads jobs running at once
     * @param queued jobs waiting for a thread (0: none wait, a job starts at once or is refused)
     */
    public static ExecutorService pool(int threads, int queued, String threadPrefix) {
        BlockingQueue<Runnable> line = queued == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queued);
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, line, daemonThreads(threadPrefix));
    }

    public static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger next = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + next.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
