package org.medhub.ml.cohort;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.Test;
import org.medhub.ml.jobs.BoundedJobs;
import org.medhub.ml.jobs.QueueFullException;

/** A pull beyond {@code medhub.ml.max-queued-pulls} is refused at once instead of queued without limit. */
class CohortPullsQueueTest {

    @Test
    void aPullIsRefusedWhenThePullThreadIsBusyAndTheLineIsFull() throws Exception {
        ExecutorService workers = BoundedJobs.pool(1, 0, "test-cohort-");
        CountDownLatch release = new CountDownLatch(1);
        workers.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try (CohortPulls pulls = new CohortPulls(workers, 0, null,
                () -> new FhirSource(java.net.URI.create("http://127.0.0.1:9/fhir"), () -> "token"), Clock.systemUTC())) {
            CohortSpec spec = CohortSpecs.parse(CohortSpecsTest.MINIMAL.getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(() -> pulls.start(spec, "researcher", status -> {}))
                    .isInstanceOf(QueueFullException.class)
                    .hasMessageContaining("medhub.ml.max-queued-pulls");
        } finally {
            release.countDown();
        }
    }
}
