package org.medhub.platform.devmode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.medhub.platform.devmode.DevFingerprintsTest.ROOT;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** {@link DevMaterialCheck} names every setting holding dev material, however it is given, and nothing else. */
class DevMaterialCheckTest {

    private static final String PRODUCTION_ISSUER = "https://login.example.org/realms/medhub";

    @Test
    void theSettingsOfMedhubUpAreEachNamed() throws Exception {
        Properties dev = DevFingerprintsTest.devSettings();
        Map<String, Object> settings = new HashMap<>();
        dev.stringPropertyNames().forEach(name -> settings.put(name, dev.getProperty(name)));
        settings.put(DevMaterialCheck.ISSUER, "http://localhost:8081/realms/medhub");

        assertThat(settingsFound(settings, ROOT)).containsExactlyInAnyOrder(
                "medhub.services.clients.dicomweb.client-secret",
                "medhub.services.clients.ml.client-secret",
                "medhub.services.clients.cds-hooks.client-secret",
                "medhub.deid.secret",
                "medhub.cds.client-files",
                "medhub.security.issuer");
    }

    @Test
    void productionSettingsHoldNoDevMaterial() {
        Map<String, Object> settings = Map.of(
                "medhub.services.clients.dicomweb.client-id", "medhub-dicomweb",
                "medhub.services.clients.dicomweb.client-secret", "a-production-secret-from-the-vault",
                "medhub.deid.secret", "0123456789abcdef0123456789abcdef-site-key",
                DevMaterialCheck.CDS_CLIENT_FILES, "config/cds-hooks/clients.yaml",
                DevMaterialCheck.ISSUER, PRODUCTION_ISSUER);

        assertThat(settingsFound(settings, ROOT)).isEmpty();
    }

    @Test
    void anUnsetIssuerIsTheDevRealmsDefault() {
        assertThat(settingsFound(Map.of(), ROOT)).containsExactly(DevMaterialCheck.ISSUER);
    }

    @Test
    void aDevSecretIsFoundUnderAnotherModulesNameAndFromTheEnvironment() throws Exception {
        Properties dev = DevFingerprintsTest.devSettings();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
                "medhub.services.clients.ml.client-secret", dev.getProperty("medhub.services.clients.dicomweb.client-secret"),
                DevMaterialCheck.ISSUER, PRODUCTION_ISSUER)));
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("env",
                Map.of("MEDHUB_DEID_SECRET", dev.getProperty("medhub.deid.secret"))));

        assertThat(new DevMaterialCheck(ROOT).findIn(environment)).extracting(DevMaterial::setting)
                .containsExactlyInAnyOrder("medhub.services.clients.ml.client-secret", "medhub.deid.secret");
    }

    @Test
    void theDevEhrsKeyIsFoundUnderAnotherIssuerAsAPemCopyAndInAnInlineJwkSet(@TempDir Path directory) throws Exception {
        Path pem = ROOT.resolve("config/dev/cds-hooks-dev-ehr.pub.pem");
        Files.copy(pem, directory.resolve("copied.pem"));
        Files.writeString(directory.resolve("pem.yaml"), "clients:\n  - issuer: renamed-ehr\n    publicKeyPem: [copied.pem]\n");
        ECPublicKey key = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                Base64.getMimeDecoder().decode(Files.readString(pem).replaceAll("-----[A-Z ]+-----", ""))));
        String jwk = new ECKey.Builder(Curve.P_384, key).build().toJSONString();
        Files.writeString(directory.resolve("jwks.yaml"), "clients:\n  - issuer: other-ehr\n    jwks: {keys: [" + jwk + "]}\n");
        Files.writeString(directory.resolve("clean.yaml"), "clients:\n  - issuer: https://ehr.example.org\n"
                + "    jwksUrl: https://ehr.example.org/jwks.json\n");

        for (String file : List.of("pem.yaml", "jwks.yaml")) {
            assertThat(settingsFound(Map.of(DevMaterialCheck.CDS_CLIENT_FILES, file, DevMaterialCheck.ISSUER, PRODUCTION_ISSUER),
                    directory)).as(file).containsExactly(DevMaterialCheck.CDS_CLIENT_FILES);
        }
        assertThat(settingsFound(Map.of(DevMaterialCheck.CDS_CLIENT_FILES, "clean.yaml", DevMaterialCheck.ISSUER, PRODUCTION_ISSUER),
                directory)).isEmpty();
    }

    @Test
    void theMessageListsEachSettingWithWhatToProvideAndNoValue() throws Exception {
        Properties dev = DevFingerprintsTest.devSettings();
        String secret = dev.getProperty("medhub.deid.secret");
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of("medhub.deid.secret", secret)));

        String message = new DevMaterialRefused(new DevMaterialCheck(ROOT).findIn(environment)).getMessage();

        assertThat(message).contains("medhub.dev-mode is not true")
                .contains("  - medhub.deid.secret: the dev de-identification key. Provide your site's own key")
                .contains("  - medhub.security.issuer: not set")
                .contains("docs/production.md")
                .doesNotContain(secret);
    }

    private static List<String> settingsFound(Map<String, Object> settings, Path workingDirectory) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", settings));
        return new DevMaterialCheck(workingDirectory).findIn(environment).stream().map(DevMaterial::setting).toList();
    }
}
