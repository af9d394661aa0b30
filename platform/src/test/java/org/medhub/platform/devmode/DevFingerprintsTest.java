package org.medhub.platform.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The digests in {@link DevFingerprints} are exactly those of the dev material the repository holds. */
class DevFingerprintsTest {

    static final Path ROOT = checkoutRoot();

    @Test
    void secretsAreTheDigestsOfEverySecretInTheDevSettingsAndNoOther() throws IOException {
        Properties dev = devSettings();
        Set<String> digests = new HashSet<>();
        for (String name : dev.stringPropertyNames()) {
            if (name.endsWith("secret")) {
                digests.add(DevFingerprints.sha256(dev.getProperty(name)));
            }
        }

        assertThat(digests).hasSize(4).isEqualTo(DevFingerprints.SECRETS);
    }

    @Test
    void everyClientSecretOfTheDevRealmIsADevSecret() throws IOException {
        JsonNode realm = new ObjectMapper().readTree(ROOT.resolve("config/keycloak/medhub-realm.json").toFile());
        List<String> secrets = new ArrayList<>();
        realm.path("clients").forEach(client -> {
            if (client.has("secret")) {
                secrets.add(DevFingerprints.sha256(client.path("secret").asText()));
            }
        });

        assertThat(secrets).hasSize(3);
        assertThat(DevFingerprints.SECRETS).containsAll(secrets);
    }

    @Test
    void ehrIssuerAndKeyAreTheDevEhrsAndTheKeyPairsWithTheCommittedPrivateKey() throws Exception {
        Path clientFile = ROOT.resolve("config/dev/cds-hooks-dev-ehr.yaml");
        Map<String, Object> document = new Yaml().load(Files.readString(clientFile));
        @SuppressWarnings("unchecked")
        Map<String, Object> client = ((List<Map<String, Object>>) document.get("clients")).getFirst();
        @SuppressWarnings("unchecked")
        String pem = ((List<String>) client.get("publicKeyPem")).getFirst();
        byte[] publicKey = pemBody(clientFile.resolveSibling(pem));

        assertThat(DevFingerprints.EHR_ISSUERS).containsExactly(DevFingerprints.sha256((String) client.get("issuer")));
        assertThat(DevFingerprints.EHR_KEYS).containsExactly(DevFingerprints.sha256(publicKey));
        assertThat(signsFor(ROOT.resolve("config/dev/cds-hooks-dev-ehr.key.pem"), publicKey)).isTrue();
    }

    static Properties devSettings() throws IOException {
        Properties dev = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve("config/dev/medhub-dev.properties"))) {
            dev.load(reader);
        }
        return dev;
    }

    private static byte[] pemBody(Path file) throws IOException {
        return Base64.getMimeDecoder().decode(Files.readString(file).replaceAll("-----[A-Z ]+-----", ""));
    }

    /** The committed private key signs what this public key verifies: they are one pair. */
    private static boolean signsFor(Path privatePem, byte[] publicKey) throws Exception {
        KeyFactory ec = KeyFactory.getInstance("EC");
        Signature signer = Signature.getInstance("SHA384withECDSA");
        signer.initSign(ec.generatePrivate(new PKCS8EncodedKeySpec(pemBody(privatePem))));
        byte[] message = "medhub-dev-ehr".getBytes(StandardCharsets.US_ASCII);
        signer.update(message);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA384withECDSA");
        verifier.initVerify(ec.generatePublic(new X509EncodedKeySpec(publicKey)));
        verifier.update(message);
        return verifier.verify(signature);
    }

    static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("config/dev"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no config/dev above " + Path.of("").toAbsolutePath());
    }
}
