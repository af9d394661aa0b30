package org.medhub.ml.dataset;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** Uploaded datasets in the {@code ml} schema, kept as received so a model can be traced to its exact bytes. */
public final class DatasetStore {

    private final DataSource dataSource;
    private final ObjectMapper json;

    public DatasetStore(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /**
     * A stored dataset as described to clients.
     *
     * @param rows {@code null} when withheld from the caller as a small cell ({@code disclosure} says so)
     * @param disclosure how exact the counts and ranges are for the caller; {@code null} as stored (exact)
     */
    public record StoredDataset(UUID id, String name, Instant uploadedAt, String uploadedBy, String fingerprint,
            DatasetSpec spec, Integer rows, Integer positives, String positiveClass, List<ColumnReport> columns,
            Disclosure disclosure) {}

    /** Validates the CSV under the spec and stores it; nothing is stored when it is refused. */
    public StoredDataset save(String name, byte[] csv, DatasetSpec spec, String uploadedBy) {
        Dataset data = CsvDatasets.read(csv, spec);
        UUID id = UUID.randomUUID();
        StoredDataset stored = new StoredDataset(id, name, Instant.now(), uploadedBy, data.fingerprint(), spec,
                data.size(), data.positives(), data.positiveClass(), data.columns(), null);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO dataset (id, name, uploaded_at, uploaded_by, fingerprint, spec, report, content)
                        VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?)""")) {
            insert.setObject(1, id);
            insert.setString(2, name);
            insert.setTimestamp(3, java.sql.Timestamp.from(stored.uploadedAt()));
            insert.setString(4, uploadedBy);
            insert.setString(5, data.fingerprint());
            insert.setString(6, json.writeValueAsString(spec));
            insert.setString(7, json.writeValueAsString(stored));
            insert.setBytes(8, csv);
            insert.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not store the dataset: " + e.getMessage(), e);
        }
        return stored;
    }

    public StoredDataset describe(UUID id) {
        return read(id, "report", (rs, column) -> json.readValue(rs.getString(column), StoredDataset.class));
    }

    /** The dataset read again from its stored bytes and spec. */
    public Dataset load(UUID id) {
        return read(id, "spec, content", (rs, column) ->
                CsvDatasets.read(rs.getBytes(2), json.readValue(rs.getString(1), DatasetSpec.class)));
    }

    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs, String column) throws SQLException, JsonProcessingException;
    }

    private <T> T read(UUID id, String columns, RowReader<T> reader) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT " + columns + " FROM dataset WHERE id = ?")) {
            select.setObject(1, id);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    throw new DatasetNotFoundException(id);
                }
                return reader.read(rs, columns);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("could not read dataset " + id + ": " + e.getMessage(), e);
        }
    }

    /** No dataset with that id. */
    public static class DatasetNotFoundException extends RuntimeException {
        public DatasetNotFoundException(UUID id) {
            super("no dataset " + id);
        }
    }
}
