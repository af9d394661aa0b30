package org.medhub.cdshooks.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.medhub.platform.database.SchemaDataSources;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * An install from before issue 15 kept cards and feedback in the {@code ml} schema: cds-hooks' first
 * migration takes them over with every row, and feedback on a card issued then is still accepted.
 */
class FeedbackUpgradeIT {

    private static final UUID OLD_CARD = UUID.fromString("7a1f3c2e-5b4d-4e6f-8a9b-0c1d2e3f4a5b");

    private static EmbeddedPostgres postgres;
    private static HikariDataSource ml;
    private static HikariDataSource cds;

    @BeforeAll
    static void anInstallWithFeedbackInTheMlSchema() throws Exception {
        Path directory = Path.of("target", "it-postgres", "feedback-upgrade-" + UUID.randomUUID()).toAbsolutePath();
        Files.createDirectories(directory);
        postgres = EmbeddedPostgres.builder().setDataDirectory(directory).setCleanDataDirectory(true).start();
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA ml");
            statement.execute("CREATE SCHEMA cds");
        }
        ml = pool("ml");
        cds = pool("cds");
        SchemaDataSources.migrate(ml, "ml");
        JdbcTemplate old = new JdbcTemplate(ml);
        old.update("INSERT INTO cds_card (uuid, service_id, model_name, model_version, hook_instance) "
                + "VALUES (?, 'cvd-risk', 'cvd-risk', 2, 'hook-1')", OLD_CARD);
        old.update("INSERT INTO cds_feedback (card_uuid, outcome, override_reason_system, override_reason_code, "
                + "override_reason_display, outcome_at) VALUES (?, 'overridden', 'urn:medhub:cds:override-reason', "
                + "'disagree', 'Estimate does not fit my clinical judgement', now())", OLD_CARD);
    }

    @AfterAll
    static void stop() throws Exception {
        cds.close();
        ml.close();
        postgres.close();
    }

    @Test
    void theFirstMigrationMovesCardsAndFeedbackWithTheirRowsIntoTheCdsSchema() {
        SchemaDataSources.migrate(cds, "cds");

        FeedbackStore store = new FeedbackStore(cds);
        assertThat(store.summary("cvd-risk")).containsExactly(new VersionReception(2, 1, 0, 1, List.of(
                new VersionReception.ReasonCount("urn:medhub:cds:override-reason", "disagree",
                        "Estimate does not fit my clinical judgement", 1))));
        store.record("cvd-risk", new CardFeedback(OLD_CARD, "accepted", null, null, Instant.parse("2026-01-02T00:00:00Z")));
        assertThat(store.summary("cvd-risk").get(0).accepted()).isEqualTo(1);
        assertThat(new JdbcTemplate(ml).queryForObject("SELECT to_regclass('ml.cds_card') IS NULL", Boolean.class))
                .isTrue();

        UUID card = UUID.randomUUID();
        store.cardIssued(card, "cvd-risk", "cvd-risk", 3, "hook-2");
        assertThat(store.summary("cvd-risk")).extracting(VersionReception::version).containsExactly(2, 3);
    }

    private static HikariDataSource pool(String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        config.setSchema(schema);
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
