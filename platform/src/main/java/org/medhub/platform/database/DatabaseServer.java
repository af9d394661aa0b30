package org.medhub.platform.database;

/**
 * The PostgreSQL server every module stores its schema in: an external one from configuration, or
 * the embedded one the platform started.
 */
public interface DatabaseServer {

    /** JDBC URL of the database, without a schema. */
    String jdbcUrl();

    String username();

    String password();
}
