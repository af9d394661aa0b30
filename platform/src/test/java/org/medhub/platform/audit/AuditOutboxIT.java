package org.medhub.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.medhub.platform.audit.AuditOutbox.DrainStep;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/** The outbox and its drainer on a real PostgreSQL: nothing recorded is lost or published twice over. */
class AuditOutboxIT {

    private static EmbeddedPostgres postgres;
    private static HikariDataSource dataSource;

    private AuditOutbox outbox;
    private OutboxAuditTrail trail;

    @BeforeAll
    static void startDatabase() throws Exception {
        Path directory = Path.of("target", "it-postgres", "audit-outbox-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(directory);
        postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(true).start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA audit");
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setSchema("audit");
        config.setMaximumPoolSize(4);
        dataSource = new HikariDataSource(config);
        AuditOutbox.migrate(dataSource);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        dataSource.close();
        postgres.close();
    }

    @BeforeEach
    void emptyOutbox() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE audit_outbox");
        }
        outbox = new AuditOutbox(dataSource);
        trail = new OutboxAuditTrail(outbox);
    }

    @Test
    void aRecordedEventIsCommittedWithItsIdAndPublishedOnce() throws Exception {
        AuditEvent event = event("read");
        trail.record(event);

        assertThat(event.getIdElement().getIdPart()).matches("[0-9a-f-]{36}");
        assertThat(outbox.pending()).isEqualTo(1);

        RecordingPublisher publisher = new RecordingPublisher();
        DrainStep step = outbox.drainOnce(10, publisher);

        assertThat(step.published()).isEqualTo(1);
        assertThat(publisher.published).singleElement().satisfies(published -> {
            assertThat(published.getIdElement().getIdPart()).isEqualTo(event.getIdElement().getIdPart());
            assertThat(published.getSubtypeFirstRep().getCode()).isEqualTo("read");
            assertThat(published.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("10.0.0.1");
        });
        assertThat(outbox.pending()).isZero();
        assertThat(outbox.drainOnce(10, publisher).due()).isZero();
        assertThat(publisher.published).hasSize(1);
    }

    @Test
    void eventsRecordedTogetherArePublishedInBatchesInOrder() throws Exception {
        List<AuditEvent> events = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            events.add(event("search-type-" + i));
        }
        trail.recordAll(events);
        RecordingPublisher publisher = new RecordingPublisher();

        assertThat(outbox.drainOnce(3, publisher).published()).isEqualTo(3);
        assertThat(outbox.drainOnce(3, publisher).published()).isEqualTo(3);
        assertThat(outbox.drainOnce(3, publisher).published()).isEqualTo(1);

        assertThat(publisher.published).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactly("search-type-0", "search-type-1", "search-type-2", "search-type-3",
                        "search-type-4", "search-type-5", "search-type-6");
        assertThat(publisher.batches).containsExactly(3, 3, 1);
    }

    @Test
    void whenThePublisherIsDownNothingIsMarkedAndEverythingIsPublishedLater() throws Exception {
        trail.recordAll(List.of(event("a"), event("b"), event("c")));
        RecordingPublisher publisher = new RecordingPublisher();
        publisher.down = true;

        DrainStep failed = outbox.drainOnce(10, publisher);

        assertThat(failed.failure()).isNotNull();
        assertThat(failed.published()).isZero();
        assertThat(outbox.pending()).isEqualTo(3);

        // The first event, tried alone, now waits for its back-off; the other two are due right away.
        publisher.down = false;
        assertThat(outbox.drainOnce(10, publisher).published()).isEqualTo(2);
        makeEverythingDue();
        assertThat(outbox.drainOnce(10, publisher).published()).isEqualTo(1);
        assertThat(publisher.published).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(outbox.pending()).isZero();
    }

    @Test
    void anEventThatCanNeverBePublishedDoesNotHoldBackTheOthers() throws Exception {
        trail.recordAll(List.of(event("good-1"), event("poison"), event("good-2"), event("good-3")));
        RecordingPublisher publisher = new RecordingPublisher();
        publisher.refused = "poison";

        DrainStep first = outbox.drainOnce(10, publisher);
        DrainStep second = outbox.drainOnce(10, publisher);

        assertThat(first.published()).isEqualTo(1);
        assertThat(second.published()).isEqualTo(2);
        assertThat(publisher.published).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactly("good-1", "good-2", "good-3");
        assertThat(outbox.pending()).as("the poison event is kept, not dropped").isEqualTo(1);
        assertThat(outbox.oldestPendingAgeSeconds()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void anEventThePublisherCannotStoreYetWaitsAloneAndIsNoFailure() throws Exception {
        trail.recordAll(List.of(event("good-1"), event("not-yet"), event("good-2")));
        RecordingPublisher publisher = new RecordingPublisher();
        publisher.notYet = "not-yet";

        DrainStep step = outbox.drainOnce(10, publisher);

        assertThat(step.failure()).as("the drainer does not back off for it").isNull();
        assertThat(step.published()).isEqualTo(2);
        assertThat(outbox.pending()).isEqualTo(1);
        assertThat(outbox.drainOnce(10, publisher).due()).as("it waits its own backoff").isZero();

        publisher.notYet = null;
        makeEverythingDue();
        assertThat(outbox.drainOnce(10, publisher).published()).isEqualTo(1);
        assertThat(publisher.published).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactly("good-1", "good-2", "not-yet");
    }

    @Test
    void aRecordThatCannotBeStoredFailsTheCaller() {
        AuditOutbox closed = new AuditOutbox(new HikariDataSource(unreachable()));

        assertThatThrownBy(() -> new OutboxAuditTrail(closed).record(event("read")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Could not record");
        closed.close();
    }

    @Test
    void theDrainerPublishesInTheBackgroundRetriesAfterFailuresAndDrainsOnStop() throws Exception {
        RecordingPublisher publisher = new RecordingPublisher();
        AuditProperties properties = new AuditProperties(
                true, Duration.ofMillis(100), 500, Duration.ofDays(7), Duration.ofSeconds(5),
                new AuditProperties.AnonymousDenials(Duration.ofMinutes(1), 5, 1000));
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("publisher", publisher);
        AuditOutboxDrainer drainer =
                new AuditOutboxDrainer(outbox, beans.getBeanProvider(AuditPublisher.class), properties);

        publisher.down = true;
        trail.record(event("during-outage"));
        drainer.tick();
        assertThat(outbox.pending()).isEqualTo(1);

        publisher.down = false;
        makeEverythingDue();
        Thread.sleep(250); // the drainer's own back-off after a failure (100 ms << 1)
        drainer.tick();
        assertThat(outbox.pending()).isZero();

        drainer.start();
        trail.record(event("just-before-shutdown"));
        drainer.stop();
        assertThat(publisher.published).extracting(e -> e.getSubtypeFirstRep().getCode())
                .containsExactly("during-outage", "just-before-shutdown");
    }

    @Test
    void publishedCopiesArePurgedAfterTheRetention() throws Exception {
        trail.recordAll(List.of(event("old"), event("unpublished")));
        outbox.drainOnce(1, new RecordingPublisher());
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE audit_outbox SET published_at = now() - interval '8 days' WHERE published_at IS NOT NULL");
        }

        assertThat(outbox.purgePublishedBefore(Duration.ofDays(7))).isEqualTo(1);
        assertThat(outbox.pending()).isEqualTo(1);
    }

    private static void makeEverythingDue() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("UPDATE audit_outbox SET next_attempt_at = NULL");
        }
    }

    private static HikariConfig unreachable() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/none");
        config.setInitializationFailTimeout(-1);
        config.setConnectionTimeout(250);
        return config;
    }

    private static AuditEvent event(String subtype) {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(RestAuditEvents.AUDIT_EVENT_TYPE_SYSTEM).setCode("rest");
        event.addSubtype().setSystem(RestAuditEvents.RESTFUL_INTERACTION_SYSTEM).setCode(subtype);
        event.setOutcome(AuditEventOutcome._0);
        event.setRecorded(new java.util.Date());
        event.addAgent().setRequestor(true).getNetwork().setAddress("10.0.0.1");
        event.getSource().getObserver().setDisplay("test");
        return event;
    }

    /** Stores what it is given; can be down, or refuse one event by subtype. */
    static final class RecordingPublisher implements AuditPublisher {
        final List<AuditEvent> published = new CopyOnWriteArrayList<>();
        final List<Integer> batches = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile String refused;
        volatile String notYet;

        @Override
        public void publish(List<AuditEvent> events) {
            if (down) {
                throw new IllegalStateException("FHIR storage unavailable");
            }
            for (AuditEvent event : events) {
                if (Set.of(String.valueOf(refused)).contains(event.getSubtypeFirstRep().getCode())) {
                    throw new IllegalArgumentException("cannot store " + event.getSubtypeFirstRep().getCode());
                }
                if (event.getSubtypeFirstRep().getCode().equals(notYet)) {
                    throw new AuditPublisher.NotYet("cannot store " + notYet + " yet");
                }
            }
            published.addAll(events);
            batches.add(events.size());
        }
    }
}
