package org.medhub.platform.devmode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * SHA-256 digests (hex) of the dev material committed under {@code config/dev/} and in the dev realm
 * {@code config/keycloak/medhub-realm.json}: anyone can read those values, so a server outside dev
 * mode must not run with them. Only digests are kept here, so this check does not spread the values
 * a second time; {@code DevFingerprintsTest} proves that they match the files.
 */
final class DevFingerprints {

    /**
     * The dev secrets: the service clients' secrets of the dev realm ({@code medhub-dicomweb},
     * {@code medhub-ml}, {@code medhub-cds-hooks}) and the dev de-identification key.
     */
    static final Set<String> SECRETS = Set.of(
            "ae75fda10b146e80d134408420f4b85c10f9efc635fea249f29cf38de9d3d2aa",
            "c0b96298c461adf97fb0018360132dec459a583d9d7e06fced62fe99db66e3d6",
            "a8cfab4c842c9a1d57b7ba8b2502baefc77c6782a319ca4264dafca828683043",
            "7c97019c01de7ac1b140af1db93a30733a9bc5e666645760851fffbb6f0d96ac");

    /** The dev EHR's CDS client issuer ({@code config/dev/cds-hooks-dev-ehr.yaml}). */
    static final Set<String> EHR_ISSUERS = Set.of(
            "53a388a98538aa6b664573e53e80d8d2adff539563a175ac1b4688bd179b7291");

    /**
     * The dev EHR's public key, as the digest of its X.509 SubjectPublicKeyInfo (DER): its private
     * key is committed, so whoever trusts this key trusts anyone.
     */
    static final Set<String> EHR_KEYS = Set.of(
            "764742fa5d5d45f5f7248308ccd34033a1c5dcd6f6a783f252a82c936c782668");

    private DevFingerprints() {}

    static String sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
