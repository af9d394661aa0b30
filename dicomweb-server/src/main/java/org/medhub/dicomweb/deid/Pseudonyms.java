package org.medhub.dicomweb.deid;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The consistent replacements of one namespace (project and profile): UIDs, pseudonymous patient
 * IDs and per-patient date offsets, all keyed HMAC-SHA256 of the original value with the site's
 * secret. Without the secret nobody can map back or even test a guess; with it, the same original
 * always gives the same replacement, across requests, restarts and stores.
 */
public final class Pseudonyms {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    private final String namespace;

    public Pseudonyms(String secret, String namespace) {
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.namespace = namespace;
    }

    /**
     * A UID under root {@code 2.25} (PS3.5 B.2) made of a name-based UUID: 128 bits of the HMAC, with
     * the version (8, RFC 9562) and variant bits set.
     */
    public String uid(String original) {
        byte[] hash = hmac("uid", original);
        hash[6] = (byte) ((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte) ((hash[8] & 0x3F) | 0x80);
        return "2.25." + new BigInteger(1, Arrays.copyOf(hash, 16));
    }

    /** The pseudonymous PatientID of a patient (also used as the patient's name). */
    public String patientId(String patientKey) {
        return "DEID-" + HexFormat.of().withUpperCase().formatHex(hmac("patient", patientKey), 0, 8);
    }

    /** Days (1 to {@code maxDays}) by which this patient's dates move back. */
    public int dateShiftDays(String patientKey, int maxDays) {
        int value = ByteBuffer.wrap(hmac("dates", patientKey)).getInt() & Integer.MAX_VALUE;
        return 1 + value % maxDays;
    }

    /**
     * A name for the key (an HMAC of a fixed label, which tells nothing of the key), so that stored
     * pseudonyms derived under one key are never taken for those of another.
     */
    public String keyId() {
        return HexFormat.of().formatHex(hmac("key-id", ""), 0, 8);
    }

    private byte[] hmac(String kind, String value) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            mac.update((namespace + '\u0000' + kind + '\u0000').getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is part of every Java runtime", e);
        }
    }
}
