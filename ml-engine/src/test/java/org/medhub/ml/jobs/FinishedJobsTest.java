package org.medhub.ml.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FinishedJobsTest {

    @Test
    void theOldestFinishedJobsBeyondTheKeptNumberAreForgottenAndUnfinishedOnesStay() {
        Map<Integer, Instant> jobs = new HashMap<>();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < FinishedJobs.KEPT + 2; i++) {
            jobs.put(i, start.plusSeconds(i));
        }
        jobs.put(-1, null);

        FinishedJobs.forgetOldest(jobs, finishedAt -> finishedAt);

        assertThat(jobs).hasSize(FinishedJobs.KEPT + 1).containsKey(-1).doesNotContainKeys(0, 1).containsKey(2);
    }
}
