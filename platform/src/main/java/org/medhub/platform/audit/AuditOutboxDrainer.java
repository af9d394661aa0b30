package org.medhub.platform.audit;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.medhub.platform.audit.AuditOutbox.DrainStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Moves recorded events from the outbox to the {@link AuditPublisher}, on one background thread:
 * every {@code drain-interval}, batches of {@code batch-size} until the outbox is empty.
 *
 * <p>It begins once the application is ready (the publisher's storage may need the whole context),
 * and it stops after the web server, so that the events of the last requests are drained too, as far
 * as {@code shutdown-drain-timeout} allows; whatever is left is published at the next start. When
 * publishing fails the drainer backs off (up to a minute) and tries again; nothing is dropped.
 */
final class AuditOutboxDrainer implements SmartLifecycle, ApplicationListener<ApplicationReadyEvent> {

    /** Stops after the web server (which stops at {@code DEFAULT_PHASE - 2048}) and before lower phases. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(AuditOutboxDrainer.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    private static final Duration PURGE_INTERVAL = Duration.ofHours(1);

    private final AuditOutbox outbox;
    private final ObjectProvider<AuditPublisher> publishers;
    private final AuditProperties properties;

    private volatile boolean running;
    private ScheduledExecutorService executor;

    // Touched only by the drainer thread, or after it has terminated.
    private int consecutiveFailures;
    private long pausedUntilNanos;
    private long nextPurgeNanos = System.nanoTime();
    private boolean missingPublisherLogged;

    AuditOutboxDrainer(AuditOutbox outbox, ObjectProvider<AuditPublisher> publishers, AuditProperties properties) {
        this.outbox = outbox;
        this.publishers = publishers;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        running = true;
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationReadyEvent event) {
        if (!running || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "medhub-audit-drainer");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(
                this::tick, 0, properties.drainInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                    log.warn("Audit drainer did not finish its current batch within 30s");
                    executor.shutdownNow();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            executor = null;
        }
        drainBeforeShutdown();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** One scheduled run: drain full batches until the outbox has no more due records. */
    void tick() {
        if (System.nanoTime() - pausedUntilNanos < 0) {
            return;
        }
        AuditPublisher publisher = publishers.getIfAvailable();
        if (publisher == null) {
            if (!missingPublisherLogged) {
                log.info("No audit publisher in this application: audit events stay in the outbox until one drains it");
                missingPublisherLogged = true;
            }
            return;
        }
        try {
            DrainStep step;
            do {
                step = outbox.drainOnce(properties.batchSize(), publisher);
                if (step.failure() != null) {
                    failed(step.failure());
                    return;
                }
            } while (step.due() == properties.batchSize() && running);
            if (consecutiveFailures > 0) {
                log.info("Audit events are being published again after {} failed attempt(s)", consecutiveFailures);
                consecutiveFailures = 0;
            }
            purgeIfDue();
        } catch (Exception e) {
            failed(e);
        } catch (Error e) {
            // An error escaping would silently cancel every later run of the scheduled drainer.
            log.error("Audit drainer step failed; retrying", e);
            failed(new IllegalStateException(e));
        }
    }

    private void failed(Exception failure) {
        consecutiveFailures++;
        long backoff = Math.min(
                properties.drainInterval().toMillis() << Math.min(consecutiveFailures, 16), MAX_BACKOFF.toMillis());
        pausedUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
        // First failure with its stack trace; then a line on every doubling, so an outage does not flood the log.
        if (consecutiveFailures == 1) {
            log.warn("Publishing audit events failed; they stay in the outbox and are retried in {} ms", backoff, failure);
        } else if (Integer.bitCount(consecutiveFailures) == 1) {
            log.warn("Publishing audit events failed {} times in a row, retrying every {} ms: {}",
                    consecutiveFailures, backoff, failure.toString());
        }
    }

    private void purgeIfDue() throws java.sql.SQLException {
        if (System.nanoTime() - nextPurgeNanos < 0) {
            return;
        }
        nextPurgeNanos = System.nanoTime() + PURGE_INTERVAL.toNanos();
        int purged = outbox.purgePublishedBefore(properties.outboxRetention());
        if (purged > 0) {
            log.debug("Purged {} published audit events older than {} from the outbox", purged, properties.outboxRetention());
        }
    }

    private void drainBeforeShutdown() {
        AuditPublisher publisher = publishers.getIfAvailable();
        Duration budget = properties.shutdownDrainTimeout();
        long deadline = System.nanoTime() + budget.toNanos();
        try {
            if (publisher != null && !budget.isZero()) {
                DrainStep step;
                do {
                    step = outbox.drainOnce(properties.batchSize(), publisher);
                } while (step.failure() == null && step.due() > 0 && System.nanoTime() - deadline < 0);
            }
            long left = outbox.pending();
            if (left > 0) {
                log.info("{} audit event(s) remain in the outbox; they are published at the next start", left);
            }
        } catch (Exception e) {
            log.warn("Could not drain the audit outbox before shutdown; its events are published at the next start", e);
        }
    }
}
