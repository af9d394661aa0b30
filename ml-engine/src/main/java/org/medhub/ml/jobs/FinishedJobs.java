package org.medhub.ml.jobs;

import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps the in-memory record of finished jobs bounded: without it every run or pull ever started stays in
 * its map until a restart. What a job produced (a model version, a dataset) is stored durably anyway.
 */
public final class FinishedJobs {

    /** Finished jobs whose status can still be read; the oldest beyond this are forgotten. */
    public static final int KEPT = 1000;

    private FinishedJobs() {}

    /** Forgets the oldest finished jobs of {@code jobs} beyond {@link #KEPT}; running and queued ones stay. */
    public static <K, J> void forgetOldest(Map<K, J> jobs, Function<J, Instant> finishedAt) {
        long finished = jobs.values().stream().filter(job -> finishedAt.apply(job) != null).count();
        if (finished <= KEPT) {
            return;
        }
        jobs.entrySet().stream()
                .filter(e -> finishedAt.apply(e.getValue()) != null)
                .sorted(Comparator.comparing(e -> finishedAt.apply(e.getValue())))
                .limit(finished - KEPT)
                .map(Map.Entry::getKey)
                .toList()
                .forEach(jobs::remove);
    }
}
