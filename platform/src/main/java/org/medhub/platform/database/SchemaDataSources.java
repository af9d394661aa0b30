package org.medhub.platform.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Hands each module a connection pool confined to its own schema of the one MedHub database
 * ({@code fhir}, {@code dicomweb}, {@code ml}, {@code audit}), creating the schema on first use.
 */
public final class SchemaDataSources {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private final DatabaseServer server;
    private final int maxPoolSize;

    SchemaDataSources(DatabaseServer server, int maxPoolSize) {
        this.server = server;
        this.maxPoolSize = maxPoolSize;
    }

    /** A pool whose connections resolve unqualified names in {@code schema} only. */
    public HikariDataSource forSchema(String schema) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("Not a valid schema name: " + schema);
        }
        createSchemaIfMissing(schema);
        HikariConfig config = new HikariConfig();
        config.setPoolName("db-" + schema);
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setSchema(schema);
        config.setMaximumPoolSize(maxPoolSize);
        config.setMinimumIdle(2);
        return new HikariDataSource(config);
    }

    /**
     * A pool on {@code schema}, its tables migrated by their own Flyway instance from
     * {@code classpath:db/<schema>}; the pool is closed again when the migration fails, so that a
     * refused start leaves no connections open.
     */
    public HikariDataSource migrated(String schema) {
        HikariDataSource dataSource = forSchema(schema);
        try {
            migrate(dataSource, schema);
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        return dataSource;
    }

    /** Migrates {@code schema} through {@code dataSource} from {@code classpath:db/<schema>}. */
    public static void migrate(DataSource dataSource, String schema) {
        Flyway.configure()
                .dataSource(dataSource)
                .schemas(schema)
                .locations("classpath:db/" + schema)
                .load()
                .migrate();
    }

    private void createSchemaIfMissing(String schema) {
        try (HikariDataSource bootstrap = singleConnection();
                Connection connection = bootstrap.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Could not create schema '" + schema + "' in " + server.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    private HikariDataSource singleConnection() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(server.jdbcUrl());
        config.setUsername(server.username());
        config.setPassword(server.password());
        config.setMaximumPoolSize(1);
        return new HikariDataSource(config);
    }
}
