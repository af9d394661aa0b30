package org.medhub.ml.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.medhub.ml.evaluate.Evaluation;
import org.medhub.ml.evaluate.ModelCard;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.train.TrainingResult;
import org.tribuo.Model;
import org.tribuo.Tribuo;
import org.tribuo.classification.Label;

/**
 * Model versions in the {@code ml} schema. A version is immutable once registered (a trigger refuses
 * updates of anything but the active flag); versions of one name are numbered 1, 2, ...; at most one
 * is active. Which version is active decides what decision support scores every patient with, so
 * only an admin's act makes one active: an admin activates a version with a reason, or registers the
 * first version of a name, which then serves at once. Versions that others register (researchers'
 * trained or imported ones) wait as proposals. Every activation is kept in {@code model_activation}
 * (who, when, which version replaced which, why), written in the same transaction as the switch.
 */
public final class ModelRegistry {

    private static final String SUMMARY = "SELECT id, name, version, algorithm, created_at, created_by, active, "
            + "data_fingerprint, EXISTS (SELECT 1 FROM model_activation a WHERE a.model_version_id = model_version.id) "
            + "FROM model_version ";
    private static final TypeReference<List<Map<String, Object>>> ROWS = new TypeReference<>() {};

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Map<UUID, DeployedModel> loaded = new ConcurrentHashMap<>();

    public ModelRegistry(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * What a registration stores besides the training result itself.
     *
     * @param byAdmin whether the registering user holds the admin role (checked at the request): only then
     *     does the first version of a name become active
     */
    public record Registration(String name, String createdBy, UUID datasetId, Map<String, Double> importance,
            Map<String, Object> trainingRequest, boolean byAdmin) {}

    public ModelVersion register(TrainingResult result, Registration registration,
            java.util.function.IntFunction<ModelCard> card) {
        Evaluation e = result.evaluation();
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("algorithm", result.algorithm().name());
        columns.put("created_by", registration.createdBy());
        columns.put("data_fingerprint", result.dataFingerprint());
        columns.put("dataset_id", registration.datasetId());
        columns.put("hyperparameters", write(result.hyperparameters()));
        columns.put("feature_schema", write(result.schema()));
        columns.put("metrics", write(metrics(result)));
        columns.put("curves", write(Map.of("roc", e.roc(), "precisionRecall", e.precisionRecall(),
                "calibration", e.calibration())));
        columns.put("fairness", write(result.subgroups()));
        columns.put("candidates", write(result.candidates()));
        columns.put("importance", write(registration.importance()));
        columns.put("reference_sample", write(result.reference()));
        columns.put("provenance", write(provenance(result, registration)));
        columns.put("model_format", ModelFiles.FORMAT_TRIBUO_PROTOBUF);
        columns.put("model_bytes", ModelFiles.write(result.model()));
        return insert(registration.name(), columns, registration.byAdmin(), version -> {
            ModelCard modelCard = card.apply(version);
            return Map.of("model_card", write(modelCard.json()), "model_card_md", modelCard.markdown());
        });
    }

    /** The JSON columns of a version, each stored as {@code jsonb}. */
    static final List<String> JSON_COLUMNS = List.of("hyperparameters", "feature_schema", "metrics", "curves",
            "fairness", "candidates", "importance", "reference_sample", "provenance", "model_card");

    /** The JSON columns {@link #details} shows: all but the reference sample (training rows). */
    private static final List<String> DETAIL_COLUMNS =
            JSON_COLUMNS.stream().filter(column -> !column.equals("reference_sample")).toList();

    /**
     * Inserts the next version of {@code name}, numbered under a lock on the name; it becomes active
     * (with its activation recorded) only when {@code byAdmin} and no other version is active.
     * {@code numbered} adds the columns that depend on the number (the model card).
     */
    ModelVersion insert(String name, Map<String, Object> columns, boolean byAdmin,
            java.util.function.IntFunction<Map<String, Object>> numbered) {
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                lock(connection, name);
                int version;
                boolean hasActive;
                try (PreparedStatement next = connection.prepareStatement(
                        "SELECT coalesce(max(version), 0) + 1, bool_or(active) FROM model_version WHERE name = ?")) {
                    next.setString(1, name);
                    try (ResultSet rs = next.executeQuery()) {
                        rs.next();
                        version = rs.getInt(1);
                        hasActive = rs.getBoolean(2);
                    }
                }
                Map<String, Object> row = new LinkedHashMap<>(columns);
                row.putAll(numbered.apply(version));
                row.put("id", id);
                row.put("name", name);
                row.put("version", version);
                boolean active = byAdmin && !hasActive;
                row.put("active", active);
                List<String> names = new ArrayList<>(row.keySet());
                String values = String.join(", ", names.stream()
                        .map(column -> JSON_COLUMNS.contains(column) ? "?::jsonb" : "?").toList());
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO model_version ("
                        + String.join(", ", names) + ") VALUES (" + values + ")")) {
                    for (int i = 0; i < names.size(); i++) {
                        insert.setObject(i + 1, row.get(names.get(i)));
                    }
                    insert.executeUpdate();
                }
                if (active) {
                    recordActivation(connection, name, version, id, null,
                            String.valueOf(columns.get("created_by")), Activation.FIRST_VERSION);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not register the model: " + e.getMessage(), e);
        }
        return version(id);
    }

    /** Serialises registrations and activations of one name (released at commit or rollback). */
    private static void lock(Connection connection, String name) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            lock.setString(1, "ml.model_version:" + name);
            lock.execute();
        }
    }

    private static void recordActivation(Connection connection, String name, int version, UUID id,
            ModelVersion replaced, String by, String reason) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO model_activation (model_name, version, model_version_id, replaced_version,
                    replaced_version_id, activated_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, name);
            insert.setInt(2, version);
            insert.setObject(3, id);
            insert.setObject(4, replaced == null ? null : replaced.version(), java.sql.Types.INTEGER);
            insert.setObject(5, replaced == null ? null : replaced.id());
            insert.setString(6, by);
            insert.setString(7, reason);
            insert.executeUpdate();
        }
    }

    private static Map<String, Object> metrics(TrainingResult result) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("heldOut", withoutCurves(result.evaluation()));
        Map<String, Object> byAlgorithm = new LinkedHashMap<>();
        result.heldOutByAlgorithm().forEach((a, e) -> byAlgorithm.put(a.name(), withoutCurves(e)));
        metrics.put("heldOutByAlgorithm", byAlgorithm);
        metrics.put("selectionMetric", result.selectionMetric().name());
        metrics.put("trainRows", result.trainRows());
        metrics.put("testRows", result.testRows());
        return metrics;
    }

    private static Map<String, Object> withoutCurves(Evaluation e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", e.count());
        m.put("positives", e.positives());
        m.put("auc", e.auc());
        m.put("averagePrecision", e.averagePrecision());
        m.put("accuracy", e.accuracy());
        m.put("precision", e.precision());
        m.put("recall", e.recall());
        m.put("f1", e.f1());
        m.put("brier", e.brier());
        m.put("threshold", e.threshold());
        m.put("confusionMatrix", Map.of("truePositives", e.truePositives(), "falsePositives", e.falsePositives(),
                "trueNegatives", e.trueNegatives(), "falseNegatives", e.falseNegatives()));
        return m;
    }

    private static Map<String, Object> provenance(TrainingResult result, Registration registration) {
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("dataFingerprint", result.dataFingerprint());
        provenance.put("datasetId", registration.datasetId());
        provenance.put("seed", result.seed());
        provenance.put("trainingRequest", registration.trainingRequest());
        provenance.put("tribuoVersion", Tribuo.VERSION);
        provenance.put("javaVersion", Runtime.version().toString());
        provenance.put("tribuo", result.model().getProvenance().toString());
        return provenance;
    }

    public List<ModelVersion> list(String name) {
        String sql = SUMMARY + (name == null ? "" : "WHERE name = ? ") + "ORDER BY name, version";
        return query(sql, name == null ? new Object[0] : new Object[] {name});
    }

    public ModelVersion version(UUID id) {
        return query(SUMMARY + "WHERE id = ?", id).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("no model version " + id));
    }

    public ModelVersion version(String name, int version) {
        return query(SUMMARY + "WHERE name = ? AND version = ?", name, version).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("model '" + name + "' has no version " + version));
    }

    public ModelVersion active(String name) {
        return query(SUMMARY + "WHERE name = ? AND active", name).stream().findFirst()
                .orElseThrow(() -> new NotFoundException("model '" + name + "' has no active version"));
    }

    /** Everything stored about a version except the model bytes and the reference sample. */
    public Map<String, Object> details(String name, int version) {
        ModelVersion summary = version(name, version);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("version", summary);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + String.join(", ", DETAIL_COLUMNS)
                        + ", model_card_md FROM model_version WHERE id = ?")) {
            select.setObject(1, summary.id());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                for (String column : DETAIL_COLUMNS) {
                    details.put(camel(column), json.readTree(rs.getString(column)));
                }
                details.put("modelCardMarkdown", rs.getString("model_card_md"));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read model version: " + e.getMessage(), e);
        }
        return details;
    }

    /** The version loaded for predictions (kept in memory after the first use). */
    public DeployedModel deployed(ModelVersion version) {
        return loaded.computeIfAbsent(version.id(), id -> load(version));
    }

    private DeployedModel load(ModelVersion version) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT feature_schema, reference_sample, model_format, model_bytes FROM model_version WHERE id = ?")) {
            select.setObject(1, version.id());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new NotFoundException("no model version " + version.id());
                }
                FeatureSchema schema = json.readValue(rs.getString(1), FeatureSchema.class);
                List<Map<String, Object>> reference = json.readValue(rs.getString(2), ROWS);
                Model<Label> model = ModelFiles.read(rs.getInt(3), rs.getBytes(4));
                var algorithm = org.medhub.ml.train.Algorithm.valueOf(version.algorithm());
                return DeployedModel.of(version, model, schema, algorithm.missingValues(), reference);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not load model version " + version.id() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes this version the active one of its name (and no other) and records who did it and why, in one
     * transaction: the switch never happens unrecorded. The caller has checked that {@code by} is an admin.
     *
     * @throws ConflictException when the version is already the active one
     */
    public Activation activate(String name, int version, String by, String reason) {
        String why = Activation.checkedReason(reason);
        ModelVersion target = version(name, version);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement off = connection.prepareStatement(
                            "UPDATE model_version SET active = false WHERE name = ? AND active AND id <> ?");
                    PreparedStatement on = connection.prepareStatement("UPDATE model_version SET active = true WHERE id = ?")) {
                lock(connection, name);
                ModelVersion replaced = query(connection, SUMMARY + "WHERE name = ? AND active", name).stream()
                        .findFirst().orElse(null);
                if (replaced != null && replaced.id().equals(target.id())) {
                    throw new ConflictException("version " + version + " of '" + name + "' is already the active one");
                }
                off.setString(1, name);
                off.setObject(2, target.id());
                off.executeUpdate();
                on.setObject(1, target.id());
                on.executeUpdate();
                recordActivation(connection, name, version, target.id(), replaced, by, why);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not activate: " + e.getMessage(), e);
        }
        return activations(name).getFirst();
    }

    /** The activation history of a name, newest first (kept when versions are deleted). */
    public List<Activation> activations(String name) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT model_name, version, model_version_id, replaced_version, replaced_version_id,
                            activated_by, activated_at, reason
                        FROM model_activation WHERE model_name = ? ORDER BY activated_at DESC, id DESC""")) {
            select.setString(1, name);
            List<Activation> activations = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    activations.add(new Activation(rs.getString(1), rs.getInt(2), rs.getObject(3, UUID.class),
                            rs.getObject(4, Integer.class), rs.getObject(5, UUID.class), rs.getString(6),
                            rs.getTimestamp(7).toInstant(), rs.getString(8)));
                }
            }
            return activations;
        } catch (SQLException e) {
            throw new IllegalStateException("model registry: " + e.getMessage(), e);
        }
    }

    /** Deletes an inactive version; the active one must be replaced (activate another) first. */
    public void delete(String name, int version) {
        ModelVersion target = version(name, version);
        if (target.active()) {
            throw new ConflictException("version " + version + " of '" + name
                    + "' is the active one; activate another version before deleting it");
        }
        execute("DELETE FROM model_version WHERE id = ?", target.id());
        loaded.remove(target.id());
    }

    private void execute(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("model registry: " + e.getMessage(), e);
        }
    }

    private List<ModelVersion> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection()) {
            return query(connection, sql, parameters);
        } catch (SQLException e) {
            throw new IllegalStateException("model registry: " + e.getMessage(), e);
        }
    }

    private static List<ModelVersion> query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<ModelVersion> versions = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    versions.add(new ModelVersion(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3),
                            rs.getString(4), rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getBoolean(7),
                            rs.getString(8), ModelVersion.State.of(rs.getBoolean(7), rs.getBoolean(9))));
                }
            }
            return versions;
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store as JSON: " + e.getMessage(), e);
        }
    }

    private static String camel(String column) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : column.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
