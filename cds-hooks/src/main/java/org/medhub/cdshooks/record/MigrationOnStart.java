package org.medhub.cdshooks.record;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Runs {@link RiskAssessmentMigration} once the server is up (in the all-in-one server, {@code /fhir}
 * answers only then), off the start-up thread: cards do not wait for it. A standalone CDS service
 * may start before its FHIR server or Keycloak answer, so a failed run is retried, less often each
 * time, until one succeeds.
 */
public final class MigrationOnStart implements ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(MigrationOnStart.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(10);

    private final RiskAssessmentMigration migration;

    public MigrationOnStart(RiskAssessmentMigration migration) {
        this.migration = migration;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        Thread.ofPlatform().daemon().name("cds-risk-assessment-migration").start(this::runUntilDone);
    }

    private void runUntilDone() {
        Duration wait = FIRST_RETRY;
        while (true) {
            try {
                migration.run();
                return;
            } catch (RuntimeException e) {
                log.warn("RiskAssessment migration failed ({}); retrying in {} s", e.getMessage(), wait.toSeconds());
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }
}
