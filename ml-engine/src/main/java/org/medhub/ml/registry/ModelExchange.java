package org.medhub.ml.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.medhub.ml.prepare.FeatureSchema;
import org.medhub.ml.train.Algorithm;
import org.tribuo.Model;
import org.tribuo.classification.Label;

/**
 * Model files: a version exported as one JSON document (everything the registry keeps about it, the
 * Tribuo model as base64 protobuf with its SHA-256) and registered again, here or on another MedHub,
 * as a new version. Imports are checked before anything is stored: the model must be a Tribuo
 * classification model in protobuf form (never Java serialisation, which would run code from the
 * file) whose features the stored feature schema produces.
 */
public final class ModelExchange {

    /** The {@code format} of an export; a later layout gets a new number. */
    public static final String FORMAT = "medhub-model-version/1";

    private final DataSource dataSource;
    private final ModelRegistry registry;
    private final ObjectMapper json;

    public ModelExchange(DataSource dataSource, ModelRegistry registry, ObjectMapper json) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.json = json;
    }

    /** The export document of a version. */
    public ObjectNode export(String name, int version) {
        ModelVersion summary = registry.version(name, version);
        ObjectNode document = json.createObjectNode();
        document.put("format", FORMAT);
        document.put("exportedAt", Instant.now().toString());
        document.set("exportedFrom", json.valueToTree(summary));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT algorithm, data_fingerprint, "
                        + String.join(", ", ModelRegistry.JSON_COLUMNS)
                        + ", model_card_md, model_format, model_bytes FROM model_version WHERE id = ?")) {
            select.setObject(1, summary.id());
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                document.put("algorithm", rs.getString("algorithm"));
                document.put("dataFingerprint", rs.getString("data_fingerprint"));
                for (String column : ModelRegistry.JSON_COLUMNS) {
                    document.set(column, json.readTree(rs.getString(column)));
                }
                document.put("modelCardMarkdown", rs.getString("model_card_md"));
                document.put("modelFormat", rs.getInt("model_format"));
                byte[] model = rs.getBytes("model_bytes");
                document.put("model", Base64.getEncoder().encodeToString(model));
                document.put("modelSha256", sha256(model));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not export the model version: " + e.getMessage(), e);
        }
        return document;
    }

    /**
     * Registers an export as the next version of {@code name}, recording where it came from and who
     * imported it. Like a trained version, it becomes active only when an admin imports the first active
     * version of the name; anyone else's import is a proposal that an admin may activate.
     *
     * @param byAdmin whether the importing user holds the admin role
     * @throws InvalidModelFileException naming every problem found, before anything is stored
     */
    public ModelVersion importVersion(String name, JsonNode document, String importedBy, boolean byAdmin) {
        List<String> problems = new ArrayList<>();
        if (!FORMAT.equals(document.path("format").asText())) {
            throw new InvalidModelFileException(List.of("format must be '" + FORMAT + "', found '"
                    + document.path("format").asText() + "'"));
        }
        String algorithm = text(document, "algorithm", problems);
        if (algorithm != null && !Set.of(names(Algorithm.values())).contains(algorithm)) {
            problems.add("algorithm '" + algorithm + "' is not one of " + List.of(names(Algorithm.values())));
        }
        for (String column : ModelRegistry.JSON_COLUMNS) {
            if (!document.hasNonNull(column)) {
                problems.add("'" + column + "' is missing");
            }
        }
        String fingerprint = text(document, "dataFingerprint", problems);
        String cardMarkdown = text(document, "modelCardMarkdown", problems);
        byte[] model = decodeModel(document, problems);
        FeatureSchema schema = null;
        try {
            schema = json.treeToValue(document.path("feature_schema"), FeatureSchema.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            problems.add("feature_schema cannot be read: " + e.getMessage());
        }
        if (model != null && schema != null) {
            checkModel(model, schema, problems);
        }
        if (!problems.isEmpty()) {
            throw new InvalidModelFileException(problems);
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("algorithm", algorithm);
        columns.put("created_by", importedBy);
        columns.put("data_fingerprint", fingerprint);
        for (String column : ModelRegistry.JSON_COLUMNS) {
            JsonNode value = document.get(column);
            if (column.equals("provenance")) {
                ObjectNode provenance = value.isObject() ? ((ObjectNode) value).deepCopy() : json.createObjectNode();
                provenance.set("importedFrom", document.path("exportedFrom"));
                provenance.put("importedBy", importedBy);
                provenance.put("importedAt", Instant.now().toString());
                value = provenance;
            }
            columns.put(column, registry.write(value));
        }
        columns.put("model_card_md", cardMarkdown);
        columns.put("model_format", ModelFiles.FORMAT_TRIBUO_PROTOBUF);
        columns.put("model_bytes", model);
        return registry.insert(name, columns, byAdmin, version -> Map.of());
    }

    private static byte[] decodeModel(JsonNode document, List<String> problems) {
        if (document.path("modelFormat").asInt() != ModelFiles.FORMAT_TRIBUO_PROTOBUF) {
            problems.add("modelFormat must be " + ModelFiles.FORMAT_TRIBUO_PROTOBUF + " (Tribuo protobuf)");
            return null;
        }
        byte[] model;
        try {
            model = Base64.getDecoder().decode(document.path("model").asText());
        } catch (IllegalArgumentException e) {
            problems.add("model is not base64: " + e.getMessage());
            return null;
        }
        if (model.length == 0) {
            problems.add("model is missing");
            return null;
        }
        if (!sha256(model).equals(document.path("modelSha256").asText())) {
            problems.add("modelSha256 does not match the model: the file was changed or damaged");
            return null;
        }
        return model;
    }

    /** The model must load and need no feature that the schema cannot produce. */
    private static void checkModel(byte[] bytes, FeatureSchema schema, List<String> problems) {
        Model<Label> model;
        try {
            model = ModelFiles.read(ModelFiles.FORMAT_TRIBUO_PROTOBUF, bytes);
        } catch (RuntimeException e) {
            problems.add("model cannot be read as a Tribuo classification model: " + e.getMessage());
            return;
        }
        Set<String> produced = Set.copyOf(schema.encodedNames());
        List<String> unknown = new ArrayList<>();
        model.getFeatureIDMap().forEach(feature -> {
            if (!produced.contains(feature.getName())) {
                unknown.add(feature.getName());
            }
        });
        if (!unknown.isEmpty()) {
            problems.add("the model uses features the feature schema does not produce: " + unknown);
        }
    }

    private static String text(JsonNode document, String field, List<String> problems) {
        JsonNode value = document.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            problems.add("'" + field + "' is missing");
            return null;
        }
        return value.asText();
    }

    private static String[] names(Algorithm[] algorithms) {
        String[] names = new String[algorithms.length];
        for (int i = 0; i < algorithms.length; i++) {
            names[i] = algorithms[i].name();
        }
        return names;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An import refused, with every problem found. */
    public static final class InvalidModelFileException extends RuntimeException {
        private final List<String> problems;

        InvalidModelFileException(List<String> problems) {
            super("the model file cannot be registered: " + String.join("; ", problems));
            this.problems = List.copyOf(problems);
        }

        public List<String> problems() {
            return problems;
        }
    }
}
