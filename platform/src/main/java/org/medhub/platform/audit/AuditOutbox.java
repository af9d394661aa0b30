package org.medhub.platform.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.medhub.platform.database.SchemaDataSources;

/**
 * The {@code audit.audit_outbox} table: recorded events wait here, committed, until a publisher has
 * stored them. Its schema is migrated by its own Flyway instance ({@code db/audit}).
 */
final class AuditOutbox implements AutoCloseable {

    static final String SCHEMA = "audit";
    /** Longest wait before a record that failed on its own is tried again. */
    static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(15);

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String INSERT = "INSERT INTO audit_outbox (event_id, event_json) VALUES (?, ?::jsonb)";

    private final DataSource dataSource;

    AuditOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A pool on the {@code audit} schema, migrated. */
    static AuditOutbox open(SchemaDataSources dataSources) {
        return new AuditOutbox(dataSources.migrated(SCHEMA));
    }

    static void migrate(DataSource dataSource) {
        SchemaDataSources.migrate(dataSource, SCHEMA);
    }

    /** Gives each event its id and commits them all at once. */
    void insert(List<AuditEvent> events) throws SQLException {
        List<String> json = new ArrayList<>(events.size());
        List<UUID> ids = new ArrayList<>(events.size());
        IParser parser = FHIR.newJsonParser();
        for (AuditEvent event : events) {
            UUID id = UUID.randomUUID();
            event.setId(id.toString());
            ids.add(id);
            json.add(parser.encodeResourceToString(event));
        }
        try (Connection connection = dataSource.getConnection()) {
            if (events.size() == 1) {
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    insert.setObject(1, ids.get(0));
                    insert.setString(2, json.get(0));
                    insert.executeUpdate();
                }
                return;
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int i = 0; i < ids.size(); i++) {
                    insert.setObject(1, ids.get(i));
                    insert.setString(2, json.get(i));
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    /**
     * One step of the drainer, in one transaction: locks up to {@code limit} records that are due
     * (rows other drainers hold are skipped), publishes them, marks what was published and, for a
     * record that failed on its own, when to try it again.
     *
     * <p>Publish, then mark: a crash in between publishes the batch again (at-least-once). When the
     * batch fails as a whole, its records are published one at a time up to the first failure, so
     * that one record that can never be stored does not hold back the others; a record the publisher
     * cannot store yet ({@link AuditPublisher.NotYet}) is tried again later and the others go on.
     */
    DrainStep drainOnce(int limit, AuditPublisher publisher) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                DrainStep step = drainOnce(connection, limit, publisher);
                connection.commit();
                return step;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    private DrainStep drainOnce(Connection connection, int limit, AuditPublisher publisher) throws SQLException {
        List<Long> ids = new ArrayList<>();
        List<AuditEvent> events = new ArrayList<>();
        int due = 0;
        IParser parser = FHIR.newJsonParser();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, event_json::text FROM audit_outbox"
                        + " WHERE published_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())"
                        + " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    due++;
                    long id = rows.getLong(1);
                    try {
                        events.add(parser.parseResource(AuditEvent.class, rows.getString(2)));
                        ids.add(id);
                    } catch (DataFormatException e) {
                        markFailed(connection, id, e);
                    }
                }
            }
        }
        if (events.isEmpty()) {
            return new DrainStep(due, 0, null);
        }
        try {
            publisher.publish(events);
            markPublished(connection, ids);
            return new DrainStep(due, ids.size(), null);
        } catch (RuntimeException batchFailure) {
            if (events.size() == 1) {
                markFailed(connection, ids.get(0), batchFailure);
                return new DrainStep(due, 0, batchFailure instanceof AuditPublisher.NotYet ? null : batchFailure);
            }
            int published = 0;
            for (int i = 0; i < events.size(); i++) {
                try {
                    publisher.publish(List.of(events.get(i)));
                } catch (AuditPublisher.NotYet notYet) {
                    markFailed(connection, ids.get(i), notYet); // waits on its own, the others go on
                    continue;
                } catch (RuntimeException failure) {
                    markFailed(connection, ids.get(i), failure);
                    return new DrainStep(due, published, failure);
                }
                markPublished(connection, List.of(ids.get(i)));
                published++;
            }
            return new DrainStep(due, published, null);
        }
    }

    private static void markPublished(Connection connection, List<Long> ids) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE audit_outbox SET published_at = now(), next_attempt_at = NULL, last_error = NULL"
                        + " WHERE id = ANY (?)")) {
            Array array = connection.createArrayOf("bigint", ids.toArray());
            update.setArray(1, array);
            update.executeUpdate();
        }
    }

    /** Backs off exponentially (1 s, 2 s, 4 s, ... up to {@link #MAX_RETRY_DELAY}); never gives up. */
    private static void markFailed(Connection connection, long id, Exception failure) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE audit_outbox SET attempts = attempts + 1,"
                        + " next_attempt_at = now() + least(power(2, least(attempts, 20)), ?) * interval '1 second',"
                        + " last_error = left(?, 2000) WHERE id = ?")) {
            update.setLong(1, MAX_RETRY_DELAY.toSeconds());
            update.setString(2, failure.getClass().getName() + ": " + failure.getMessage());
            update.setLong(3, id);
            update.executeUpdate();
        }
    }

    /** Records recorded but not yet published. */
    long pending() throws SQLException {
        return queryLong("SELECT count(*) FROM audit_outbox WHERE published_at IS NULL");
    }

    /** Seconds since the oldest unpublished record was recorded; 0 when there is none. */
    double oldestPendingAgeSeconds() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT extract(epoch FROM now() - recorded_at) FROM audit_outbox"
                                + " WHERE published_at IS NULL ORDER BY id LIMIT 1");
                ResultSet row = select.executeQuery()) {
            return row.next() ? row.getDouble(1) : 0;
        }
    }

    /** Deletes the outbox's copies of records published longer than {@code retention} ago. */
    int purgePublishedBefore(Duration retention) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM audit_outbox WHERE published_at < now() - ? * interval '1 second'")) {
            delete.setLong(1, retention.toSeconds());
            return delete.executeUpdate();
        }
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql);
                ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    @Override
    public void close() {
        if (dataSource instanceof HikariDataSource pool) {
            pool.close();
        }
    }

    /**
     * What one drain step did.
     *
     * @param due records that were due and locked
     * @param published records published and marked
     * @param failure why publishing stopped early, or null
     */
    record DrainStep(int due, int published, RuntimeException failure) {}
}
