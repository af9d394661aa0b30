package org.medhub.cdshooks.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * PEM public keys (SubjectPublicKeyInfo) as JWKs whose {@code kid} is the RFC 7638 thumbprint, the
 * way a CDS client names its key in the JWT header. The JDK decodes the key; Nimbus builds the JWK
 * (its own PEM reader would need BouncyCastle).
 */
public final class PemKeys {

    private PemKeys() {}

    public static JWK publicJwk(String pem) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").strip());
            X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
            PublicKey key;
            try {
                key = KeyFactory.getInstance("EC").generatePublic(spec);
            } catch (GeneralSecurityException notEc) {
                key = KeyFactory.getInstance("RSA").generatePublic(spec);
            }
            JWK jwk = key instanceof ECPublicKey ec
                    ? new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build()
                    : new RSAKey.Builder((RSAPublicKey) key).build();
            return key instanceof ECPublicKey
                    ? new ECKey.Builder(jwk.toECKey()).keyIDFromThumbprint().build()
                    : new RSAKey.Builder(jwk.toRSAKey()).keyIDFromThumbprint().build();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalArgumentException("not a PEM EC or RSA public key: " + e.getMessage(), e);
        }
    }
}
