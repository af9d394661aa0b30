package org.medhub.platform.database;

/** A PostgreSQL server run by the site, reached through {@code medhub.database.url}. */
record ExternalDatabaseServer(String jdbcUrl, String username, String password) implements DatabaseServer {

    ExternalDatabaseServer {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalStateException(
                    "medhub.database.url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got: "
                            + jdbcUrl);
        }
    }
}
