package org.medhub.cdshooks.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medhub.cdshooks.DevEhr;

class ClientTokensTest {

    static final String ENDPOINT = "http://localhost:8080/cds-services/cvd-risk";

    final ClientTokens tokens = new ClientTokens(
            TrustedClients.load(List.of(DevEhr.configDirectory().resolve("dev/cds-hooks-dev-ehr.yaml"))),
            Duration.ofSeconds(5), Clock.systemUTC());

    @Test
    void aValidDevEhrTokenIsAcceptedAndExtraClaimsAreTolerated() {
        String jwt = DevEhr.jwt(DevEhr.claims(ENDPOINT).subject("dr-who").notBeforeTime(new Date())
                .claim("tenant", "t1").build(), DevEhr.kid());
        assertThat(tokens.verify("Bearer " + jwt, Set.of(ENDPOINT)).getIssuer()).isEqualTo(DevEhr.ISSUER);
    }

    @Test
    void theKidIsTheRfc7638ThumbprintOfThePublicKey() throws Exception {
        var jwk = PemKeys.publicJwk(java.nio.file.Files.readString(DevEhr.configDirectory().resolve("dev/cds-hooks-dev-ehr.pub.pem")));
        assertThat(jwk.getKeyID()).isEqualTo(jwk.computeThumbprint("SHA-256").toString()).hasSize(43);
    }

    @Test
    void aReplayedTokenIsRefused() {
        String jwt = DevEhr.jwt(ENDPOINT);
        tokens.verify("Bearer " + jwt, Set.of(ENDPOINT));
        assertThatThrownBy(() -> tokens.verify("Bearer " + jwt, Set.of(ENDPOINT)))
                .isInstanceOf(ClientTokenException.class).hasMessageContaining("already used");
    }

    @Test
    void aTokenForAnotherServiceIsRefused() {
        String jwt = DevEhr.jwt("http://localhost:8080/cds-services/other");
        assertThatThrownBy(() -> tokens.verify("Bearer " + jwt, Set.of(ENDPOINT))).isInstanceOf(ClientTokenException.class);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String jwt = DevEhr.jwt(DevEhr.claims(ENDPOINT).issueTime(Date.from(past))
                .expirationTime(Date.from(past.plusSeconds(60))).build(), DevEhr.kid());
        assertThatThrownBy(() -> tokens.verify("Bearer " + jwt, Set.of(ENDPOINT))).isInstanceOf(ClientTokenException.class);
    }

    @Test
    void aTokenValidForMoreThanFiveMinutesIsRefused() {
        Instant now = Instant.now();
        String jwt = DevEhr.jwt(DevEhr.claims(ENDPOINT).expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build(),
                DevEhr.kid());
        assertThatThrownBy(() -> tokens.verify("Bearer " + jwt, Set.of(ENDPOINT)))
                .isInstanceOf(ClientTokenException.class).hasMessageContaining("five minutes");
    }

    @Test
    void missingJtiAndMissingIatAreRefused() {
        assertThatThrownBy(() -> tokens.verify("Bearer " + DevEhr.jwt(DevEhr.claims(ENDPOINT).jwtID(null).build(),
                DevEhr.kid()), Set.of(ENDPOINT))).isInstanceOf(ClientTokenException.class);
        assertThatThrownBy(() -> tokens.verify("Bearer " + DevEhr.jwt(DevEhr.claims(ENDPOINT).issueTime(null).build(),
                DevEhr.kid()), Set.of(ENDPOINT))).isInstanceOf(ClientTokenException.class);
    }

    @Test
    void aTokenSignedByAnotherKeyOfTheSameIssuerIsRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_384).keyID(DevEhr.kid()).generate();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES384).type(com.nimbusds.jose.JOSEObjectType.JWT)
                .keyID(DevEhr.kid()).build(), DevEhr.claims(ENDPOINT).build());
        jwt.sign(new ECDSASigner(other));
        assertThatThrownBy(() -> tokens.verify("Bearer " + jwt.serialize(), Set.of(ENDPOINT)))
                .isInstanceOf(ClientTokenException.class);
    }

    @Test
    void hmacSignedTokensUntrustedIssuersAndNoTokenAreRefused() throws Exception {
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), DevEhr.claims(ENDPOINT).build());
        hmac.sign(new MACSigner(new byte[32]));
        assertThatThrownBy(() -> tokens.verify("Bearer " + hmac.serialize(), Set.of(ENDPOINT)))
                .isInstanceOf(ClientTokenException.class);
        String stranger = DevEhr.jwt(DevEhr.claims(ENDPOINT).issuer("https://evil.example").build(), DevEhr.kid());
        assertThatThrownBy(() -> tokens.verify("Bearer " + stranger, Set.of(ENDPOINT)))
                .isInstanceOf(ClientTokenException.class).hasMessageContaining("not a trusted");
        assertThatThrownBy(() -> tokens.verify(null, Set.of(ENDPOINT))).isInstanceOf(ClientTokenException.class);
    }
}
