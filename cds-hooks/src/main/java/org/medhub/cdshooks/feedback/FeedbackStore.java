package org.medhub.cdshooks.feedback;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cards issued from a model version and the feedback clinicians gave on them, in the {@code cds}
 * schema, so that a model's reception can be read beside its metrics.
 */
public final class FeedbackStore {

    private final JdbcTemplate jdbc;

    public FeedbackStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /**
     * Remembers that {@code card} was issued from version {@code modelVersion} of {@code modelName};
     * feedback can only name known cards.
     */
    public void cardIssued(UUID card, String serviceId, String modelName, int modelVersion, String hookInstance) {
        jdbc.update("INSERT INTO card (uuid, service_id, model_name, model_version, hook_instance) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (uuid) DO NOTHING", card, serviceId, modelName, modelVersion, hookInstance);
    }

    /**
     * Records feedback on a card issued by {@code serviceId}; a repeated delivery (same card, outcome and
     * time) is stored once.
     *
     * @throws UnknownCardException when the service issued no such card
     */
    public void record(String serviceId, CardFeedback feedback) {
        Integer known = jdbc.queryForObject("SELECT count(*) FROM card WHERE uuid = ? AND service_id = ?",
                Integer.class, feedback.card(), serviceId);
        if (known == null || known == 0) {
            throw new UnknownCardException("service " + serviceId + " issued no card " + feedback.card());
        }
        CardFeedback.Reason reason = feedback.reason();
        jdbc.update("""
                INSERT INTO feedback (card_uuid, outcome, override_reason_system, override_reason_code,
                    override_reason_display, user_comment, outcome_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (card_uuid, outcome, outcome_at) DO NOTHING""",
                feedback.card(), feedback.outcome(), reason == null ? null : reason.system(),
                reason == null ? null : reason.code(), reason == null ? null : reason.display(), feedback.userComment(),
                Timestamp.from(feedback.outcomeTimestamp()));
    }

    /**
     * Per version of model {@code name}: cards issued, accepted and overridden, and the override
     * reasons with their counts (most frequent first).
     */
    public List<VersionReception> summary(String name) {
        Map<Integer, List<VersionReception.ReasonCount>> reasons = new LinkedHashMap<>();
        jdbc.query("""
                SELECT c.model_version, f.override_reason_system, f.override_reason_code,
                    max(f.override_reason_display), count(*)
                FROM feedback f JOIN card c ON c.uuid = f.card_uuid
                WHERE c.model_name = ? AND f.outcome = 'overridden'
                GROUP BY c.model_version, f.override_reason_system, f.override_reason_code
                ORDER BY c.model_version, count(*) DESC""", rs -> {
            reasons.computeIfAbsent(rs.getInt(1), v -> new ArrayList<>()).add(new VersionReception.ReasonCount(
                    rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)));
        }, name);
        return jdbc.query("""
                SELECT c.model_version, count(DISTINCT c.uuid),
                    count(f.id) FILTER (WHERE f.outcome = 'accepted'),
                    count(f.id) FILTER (WHERE f.outcome = 'overridden')
                FROM card c LEFT JOIN feedback f ON f.card_uuid = c.uuid
                WHERE c.model_name = ? GROUP BY c.model_version ORDER BY c.model_version""",
                (rs, row) -> new VersionReception(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        reasons.getOrDefault(rs.getInt(1), List.of())), name);
    }
}
