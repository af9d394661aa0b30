package org.medhub.cdshooks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import org.medhub.cdshooks.security.PemKeys;

/** The dev CDS client {@code medhub-dev-ehr}: signs JWTs with its key pair from {@code config/dev/}. */
public final class DevEhr {

    public static final String ISSUER = "medhub-dev-ehr";

    private DevEhr() {}

    public static Path configDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("config/dev"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no config/dev above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("config");
    }

    /** A valid JWT for a call to {@code audience}. */
    public static String jwt(String audience) {
        return jwt(claims(audience).build(), kid());
    }

    public static JWTClaimsSet.Builder claims(String audience) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5)))).jwtID(UUID.randomUUID().toString());
    }

    public static String jwt(JWTClaimsSet claims, String kid) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).type(JOSEObjectType.JWT).keyID(kid).build(),
                    claims);
            jwt.sign(new ECDSASigner(privateKey()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String kid() {
        return PemKeys.publicJwk(read("cds-hooks-dev-ehr.pub.pem")).getKeyID();
    }

    private static ECPrivateKey privateKey() {
        String pem = read("cds-hooks-dev-ehr.key.pem").replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").strip();
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(pem)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String name) {
        try {
            return Files.readString(configDirectory().resolve("dev").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
