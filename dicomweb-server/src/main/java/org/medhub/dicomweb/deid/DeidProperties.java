package org.medhub.dicomweb.deid;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.validation.annotation.Validated;

/**
 * De-identification settings ({@code medhub.deid.*}).
 *
 * @param enabled offer the de-identifying STOW route, the researcher's view and the profile reports
 * @param secret the site's key for pseudonyms (UIDs, patient IDs, date offsets): whoever holds it can
 *     link pseudonyms to originals, so it is configuration (e.g. {@code MEDHUB_DEID_SECRET}), never
 *     committed; only the Spring profile {@code dev} has a built-in one
 * @param profilesDirectory the profiles and pixel rules ({@code config/deid}, relative to the working directory)
 * @param researchProfile the profile of the researcher's view of QIDO-RS and WADO-RS
 */
@Validated
@ConfigurationProperties("medhub.deid")
public record DeidProperties(
        @DefaultValue("false") boolean enabled,
        String secret,
        @NotBlank @DefaultValue("config/deid") String profilesDirectory,
        @NotBlank @DefaultValue("research") String researchProfile) {

    static final int MIN_SECRET_LENGTH = 32;

    /** A plain file path (Spring's Path conversion would take {@code ../config/deid} as a class path resource). */
    Path profilesPath() {
        return Path.of(profilesDirectory);
    }
    /** Known to everyone, so pseudonyms made with it protect nothing: dev machines only. */
    private static final String DEV_SECRET = "medhub-dev-profile-only-deid-secret-not-for-real-data";

    /** The key to use; refuses to go on without one outside the dev profile (fail fast, STYLE.md 5). */
    String effectiveSecret(Environment environment) {
        if (secret != null && !secret.isBlank()) {
            if (secret.length() < MIN_SECRET_LENGTH) {
                throw new IllegalStateException("medhub.deid.secret must be at least " + MIN_SECRET_LENGTH + " characters");
            }
            return secret;
        }
        if (environment.acceptsProfiles(Profiles.of("dev"))) {
            return DEV_SECRET;
        }
        throw new IllegalStateException("medhub.deid.secret (MEDHUB_DEID_SECRET) is not set: de-identification needs the"
                + " site's secret key; only the dev profile has a default");
    }
}
