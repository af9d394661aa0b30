package org.medhub.dicomweb.publish;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.medhub.dicomweb.changefeed.ChangeFeed;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.medhub.dicomweb.changefeed.ChangeFeedEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Follows the change feed and publishes each changed study to FHIR (ARCHITECTURE.md flow 1). A
 * durable checkpoint in the feed's table says how far it got; it advances only once every study of
 * a batch was published, so a failure to reach FHIR loses nothing: the batch is tried again with
 * exponential backoff, and a replay is harmless because every write is conditional (see
 * {@link ImagingStudyMapper}). Each study is published from the index as it is now, not from the
 * feed entry, so many changes to a study cost one write.
 */
final class FhirPublisher implements SmartLifecycle {

    static final String CONSUMER = "fhir-publisher";
    private static final Logger log = LoggerFactory.getLogger(FhirPublisher.class);

    private final ChangeFeed feed;
    private final IndexedStudies studies;
    private final ImagingStudyMapper mapper;
    private final FhirTarget fhir;
    private final PublishProperties properties;
    private final Counter published;
    private final Counter withdrawn;
    private final Counter rejected;
    private final Counter failures;
    private final AtomicLong checkpoint = new AtomicLong();
    private final AtomicLong latest = new AtomicLong();
    private volatile Thread worker;

    FhirPublisher(ChangeFeed feed, IndexedStudies studies, ImagingStudyMapper mapper, FhirTarget fhir,
            PublishProperties properties, MeterRegistry meters) {
        this.feed = feed;
        this.studies = studies;
        this.mapper = mapper;
        this.fhir = fhir;
        this.properties = properties;
        this.published = studyCounter(meters, "published");
        this.withdrawn = studyCounter(meters, "withdrawn");
        this.rejected = studyCounter(meters, "rejected");
        this.failures = Counter.builder("medhub.dicomweb.publish.failures")
                .description("Attempts to publish to FHIR that failed and will be retried").register(meters);
        Gauge.builder("medhub.dicomweb.publish.lag", () -> Math.max(0, latest.get() - checkpoint.get()))
                .description("Change feed entries not yet published to FHIR").register(meters);
    }

    private static Counter studyCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("medhub.dicomweb.publish.studies").tag("outcome", outcome)
                .description("Studies published to FHIR, by outcome").register(meters);
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::run, "dicomweb-fhir-publisher");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    @Override
    public void stop() {
        Thread thread = worker;
        worker = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return worker != null;
    }

    private void run() {
        Duration backoff = properties.initialBackoff();
        while (worker == Thread.currentThread()) {
            try {
                boolean more = publishNextBatch();
                backoff = properties.initialBackoff();
                if (!more) {
                    Thread.sleep(properties.pollInterval());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                failures.increment();
                log.warn("Publishing to FHIR at {} failed ({}); {} entries wait, retrying in {}s",
                        fhir.baseUrl(), e.toString(), latest.get() - checkpoint.get(), backoff.toSeconds());
                if (!sleep(backoff)) {
                    return;
                }
                backoff = min(backoff.multipliedBy(2), properties.maxBackoff());
            }
        }
    }

    /**
     * Publishes the studies of the next batch of feed entries and advances the checkpoint.
     *
     * @return whether a batch was found (there may be more)
     * @throws RuntimeException when FHIR (or the token issuer, or the index) cannot be reached; the
     *     checkpoint stays where it was
     */
    boolean publishNextBatch() {
        long after = feed.checkpoint(CONSUMER);
        checkpoint.set(after);
        feed.latest().ifPresent(entry -> latest.set(entry.sequence()));
        List<ChangeFeedEntry> entries = feed.page(after, null, null, properties.batchSize());
        if (entries.isEmpty()) {
            return false;
        }
        Set<String> changed = new LinkedHashSet<>();
        entries.forEach(entry -> changed.add(entry.studyUid()));
        for (String studyUid : changed) {
            publish(studyUid);
        }
        long last = entries.get(entries.size() - 1).sequence();
        feed.advance(CONSUMER, last);
        checkpoint.set(last);
        log.info("Published {} stud{} to FHIR (change feed up to {})", changed.size(),
                changed.size() == 1 ? "y" : "ies", last);
        return true;
    }

    private void publish(String studyUid) {
        Optional<IndexedStudy> study = studies.find(studyUid);
        try {
            if (study.isEmpty()) {
                Optional<ImagingStudy> published = fhir.imagingStudy(ImagingStudyMapper.studyIdentifier(studyUid));
                if (published.isPresent()) {
                    fhir.transaction(mapper.withdrawal(published.get()));
                    withdrawn.increment();
                }
            } else if (study.get().patientId() == null || study.get().patientId().isBlank()) {
                // ImagingStudy.subject is required, and a patient without an identifier cannot be matched.
                log.warn("Study {} has no PatientID: not published to FHIR", studyUid);
                rejected.increment();
            } else {
                fhir.transaction(mapper.publication(study.get()));
                published.increment();
            }
        } catch (BaseServerResponseException e) {
            if (retryable(e.getStatusCode())) {
                throw e;
            }
            // FHIR refused this study's content: retrying cannot help, and must not block the others.
            log.error("FHIR refused the publication of study {} (HTTP {}): {}", studyUid, e.getStatusCode(),
                    e.getMessage());
            rejected.increment();
        }
    }

    /**
     * Failures of the server, of authorization (a misconfigured or expired service client), a
     * missing base and throttling are worth retrying; other 4xx are about the content.
     */
    static boolean retryable(int status) {
        return status == 0 || status >= 500 || status == 401 || status == 403 || status == 404
                || status == 408 || status == 429;
    }

    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
