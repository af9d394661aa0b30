package org.medhub.platform.database;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where MedHub's single PostgreSQL database lives ({@code medhub.database.*}).
 *
 * <p>With no {@link #url()} the platform starts an embedded PostgreSQL whose files stay under
 * {@link #dataDirectory()} between runs; with a URL every module connects to that server instead.
 *
 * @param url JDBC URL of an external PostgreSQL database, or blank for the embedded one
 * @param username user for the external database
 * @param password password for the external database
 * @param dataDirectory where the embedded server keeps its cluster
 * @param embeddedPort TCP port of the embedded server on loopback; 0 picks a free one
 * @param maxPoolSize upper bound of connections per module pool
 */
@Validated
@ConfigurationProperties("medhub.database")
public record DatabaseProperties(
        String url,
        String username,
        String password,
        @NotBlank @DefaultValue("data/postgres") String dataDirectory,
        @Min(0) @DefaultValue("0") int embeddedPort,
        @Min(2) @DefaultValue("10") int maxPoolSize) {

    boolean external() {
        return url != null && !url.isBlank();
    }

    Path dataPath() {
        return Path.of(dataDirectory).toAbsolutePath();
    }
}
