package org.medhub.ml.feedback;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.ml.registry.NotFoundException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cards issued from a model version and the feedback clinicians gave on them, in the {@code ml}
 * schema, so that a model's reception can be read beside its metrics.
 */
public final class FeedbackStore {

    private final JdbcTemplate jdbc;

    public FeedbackStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Remembers that {@code card} was issued from {@code version}; feedback can only name known cards. */
    public void cardIssued(UUID card, String serviceId, ModelVersion version, String hookInstance) {
        jdbc.update("INSERT INTO cds_card (uuid, service_id, model_name, model_version, hook_instance) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (uuid) DO NOTHING", card, serviceId, version.name(), version.version(), hookInstance);
    }

    /**
     * Records feedback on a card issued by {@code serviceId}; a repeated delivery (same card, outcome and
     * time) is stored once.
     *
     * @throws NotFoundException when the service issued no such card
     */
    public void record(String serviceId, CardFeedback feedback) {
        Integer known = jdbc.queryForObject("SELECT count(*) FROM cds_card WHERE uuid = ? AND service_id = ?",
                Integer.class, feedback.card(), serviceId);
        if (known == null || known == 0) {
            throw new NotFoundException("service " + serviceId + " issued no card " + feedback.card());
        }
        CardFeedback.Reason reason = feedback.reason();
        jdbc.update("""
                INSERT INTO cds_feedback (card_uuid, outcome, override_reason_system, override_reason_code,
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
    public List<Map<String, Object>> summary(String name) {
        Map<Integer, Map<String, Object>> byVersion = new LinkedHashMap<>();
        jdbc.query("""
                SELECT c.model_version, count(DISTINCT c.uuid),
                    count(f.id) FILTER (WHERE f.outcome = 'accepted'),
                    count(f.id) FILTER (WHERE f.outcome = 'overridden')
                FROM cds_card c LEFT JOIN cds_feedback f ON f.card_uuid = c.uuid
                WHERE c.model_name = ? GROUP BY c.model_version ORDER BY c.model_version""", rs -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("version", rs.getInt(1));
            row.put("cardsIssued", rs.getLong(2));
            row.put("accepted", rs.getLong(3));
            row.put("overridden", rs.getLong(4));
            row.put("overrideReasons", new ArrayList<Map<String, Object>>());
            byVersion.put(rs.getInt(1), row);
        }, name);
        jdbc.query("""
                SELECT c.model_version, f.override_reason_system, f.override_reason_code,
                    max(f.override_reason_display), count(*)
                FROM cds_feedback f JOIN cds_card c ON c.uuid = f.card_uuid
                WHERE c.model_name = ? AND f.outcome = 'overridden'
                GROUP BY c.model_version, f.override_reason_system, f.override_reason_code
                ORDER BY c.model_version, count(*) DESC""", rs -> {
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("system", rs.getString(2));
            reason.put("code", rs.getString(3));
            reason.put("display", rs.getString(4));
            reason.put("count", rs.getLong(5));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> reasons = (List<Map<String, Object>>) byVersion.get(rs.getInt(1)).get("overrideReasons");
            reasons.add(reason);
        }, name);
        return List.copyOf(byVersion.values());
    }
}
