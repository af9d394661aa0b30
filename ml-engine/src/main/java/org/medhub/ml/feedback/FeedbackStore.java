package org.medhub.ml.feedback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.medhub.ml.registry.ModelVersion;
import org.medhub.ml.registry.NotFoundException;

/**
 * Cards issued from a model version and the feedback clinicians gave on them, in the {@code ml}
 * schema, so that a model's reception can be read beside its metrics.
 */
public final class FeedbackStore {

    private final DataSource dataSource;

    public FeedbackStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Remembers that {@code card} was issued from {@code version}; feedback can only name known cards. */
    public void cardIssued(UUID card, String serviceId, ModelVersion version, String hookInstance) {
        update("INSERT INTO cds_card (uuid, service_id, model_name, model_version, hook_instance) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (uuid) DO NOTHING", card, serviceId, version.name(), version.version(), hookInstance);
    }

    /**
     * Records feedback on a card issued by {@code serviceId}; a repeated delivery (same card, outcome and
     * time) is stored once.
     *
     * @throws NotFoundException when the service issued no such card
     */
    public void record(String serviceId, CardFeedback feedback) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO cds_feedback (card_uuid, outcome, override_reason_system, override_reason_code,
                            override_reason_display, user_comment, outcome_at)
                        SELECT uuid, ?, ?, ?, ?, ?, ? FROM cds_card WHERE uuid = ? AND service_id = ?
                        ON CONFLICT (card_uuid, outcome, outcome_at) DO NOTHING""")) {
            CardFeedback.Reason reason = feedback.reason();
            int i = 1;
            insert.setString(i++, feedback.outcome());
            insert.setString(i++, reason == null ? null : reason.system());
            insert.setString(i++, reason == null ? null : reason.code());
            insert.setString(i++, reason == null ? null : reason.display());
            insert.setString(i++, feedback.userComment());
            insert.setTimestamp(i++, Timestamp.from(feedback.outcomeTimestamp()));
            insert.setObject(i++, feedback.card());
            insert.setString(i, serviceId);
            if (insert.executeUpdate() == 0 && !cardKnown(connection, feedback.card(), serviceId)) {
                throw new NotFoundException("service " + serviceId + " issued no card " + feedback.card());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not store feedback: " + e.getMessage(), e);
        }
    }

    private static boolean cardKnown(Connection connection, UUID card, String serviceId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM cds_card WHERE uuid = ? AND service_id = ?")) {
            select.setObject(1, card);
            select.setString(2, serviceId);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Per version of model {@code name}: cards issued, accepted and overridden, and the override
     * reasons with their counts.
     */
    public List<Map<String, Object>> summary(String name) {
        Map<Integer, Map<String, Object>> byVersion = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement counts = connection.prepareStatement("""
                    SELECT c.model_version, count(DISTINCT c.uuid),
                        count(f.id) FILTER (WHERE f.outcome = 'accepted'),
                        count(f.id) FILTER (WHERE f.outcome = 'overridden')
                    FROM cds_card c LEFT JOIN cds_feedback f ON f.card_uuid = c.uuid
                    WHERE c.model_name = ? GROUP BY c.model_version ORDER BY c.model_version""")) {
                counts.setString(1, name);
                try (ResultSet rs = counts.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("version", rs.getInt(1));
                        row.put("cardsIssued", rs.getLong(2));
                        row.put("accepted", rs.getLong(3));
                        row.put("overridden", rs.getLong(4));
                        row.put("overrideReasons", new ArrayList<Map<String, Object>>());
                        byVersion.put(rs.getInt(1), row);
                    }
                }
            }
            try (PreparedStatement reasons = connection.prepareStatement("""
                    SELECT c.model_version, f.override_reason_system, f.override_reason_code,
                        max(f.override_reason_display), count(*)
                    FROM cds_feedback f JOIN cds_card c ON c.uuid = f.card_uuid
                    WHERE c.model_name = ? AND f.outcome = 'overridden'
                    GROUP BY c.model_version, f.override_reason_system, f.override_reason_code
                    ORDER BY c.model_version, count(*) DESC""")) {
                reasons.setString(1, name);
                try (ResultSet rs = reasons.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> reason = new LinkedHashMap<>();
                        reason.put("system", rs.getString(2));
                        reason.put("code", rs.getString(3));
                        reason.put("display", rs.getString(4));
                        reason.put("count", rs.getLong(5));
                        @SuppressWarnings("unchecked")
                        List<Map<String, Object>> list =
                                (List<Map<String, Object>>) byVersion.get(rs.getInt(1)).get("overrideReasons");
                        list.add(reason);
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read feedback: " + e.getMessage(), e);
        }
        return List.copyOf(byVersion.values());
    }

    private void update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("feedback store: " + e.getMessage(), e);
        }
    }
}
