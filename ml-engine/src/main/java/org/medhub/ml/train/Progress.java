package org.medhub.ml.train;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Steps done out of steps planned, and the cancellation flag the workers check between steps. */
public final class Progress {

    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger total = new AtomicInteger(1);
    private final AtomicBoolean cancelled = new AtomicBoolean();

    void plan(int steps) {
        total.set(Math.max(1, steps));
    }

    void step() {
        done.incrementAndGet();
    }

    public int percent() {
        return Math.min(100, (int) (100L * done.get() / total.get()));
    }

    public void cancel() {
        cancelled.set(true);
    }

    public boolean cancelled() {
        return cancelled.get();
    }

    void checkCancelled() {
        if (cancelled.get()) {
            throw new TrainingCancelledException();
        }
    }
}
