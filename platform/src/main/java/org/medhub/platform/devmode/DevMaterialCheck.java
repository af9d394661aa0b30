package org.medhub.platform.devmode;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.medhub.platform.services.ServicesProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Finds the dev material a server outside dev mode must not run with: the dev realm's service-client
 * secrets, the dev de-identification key, trust in the dev EHR (whose private key is committed) and
 * the dev realm's plain-http issuer on this machine (users whose password is their name, password
 * grants). Settings are read as Spring binds them, so a value from the environment, a file or the
 * command line counts alike.
 */
final class DevMaterialCheck {

    static final String SERVICE_CLIENTS = "medhub.services.clients";
    static final String DEID_SECRET = "medhub.deid.secret";
    static final String CDS_CLIENT_FILES = "medhub.cds.client-files";
    static final String ISSUER = "medhub.security.issuer";

    private final Path workingDirectory;

    /** @param workingDirectory what relative {@value #CDS_CLIENT_FILES} are resolved against, as the server does */
    DevMaterialCheck(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    List<DevMaterial> findIn(Environment environment) {
        Binder binder = Binder.get(environment);
        List<DevMaterial> found = new ArrayList<>();
        binder.bind(SERVICE_CLIENTS, Bindable.mapOf(String.class, ServicesProperties.Client.class))
                .orElse(Map.of())
                .forEach((module, client) -> {
                    if (isDevSecret(client.clientSecret())) {
                        found.add(new DevMaterial(SERVICE_CLIENTS + "." + module + ".client-secret",
                                "the dev realm's secret of a service client",
                                "the secret your production realm gives client "
                                        + (client.clientId() == null ? "medhub-" + module : client.clientId())
                                        + " (its import reads MEDHUB_" + envName(module) + "_CLIENT_SECRET)"));
                    }
                });
        if (isDevSecret(binder.bind(DEID_SECRET, String.class).orElse(null))) {
            found.add(new DevMaterial(DEID_SECRET, "the dev de-identification key",
                    "your site's own key of 32+ random characters (MEDHUB_DEID_SECRET), kept for good:"
                            + " another key gives other pseudonyms"));
        }
        for (String file : binder.bind(CDS_CLIENT_FILES, Bindable.listOf(String.class)).orElse(List.of())) {
            if (trustsDevEhr(workingDirectory.resolve(file.trim()))) {
                found.add(new DevMaterial(CDS_CLIENT_FILES, file.trim() + " trusts the dev EHR, whose private"
                        + " key is committed in config/dev/ (anyone can sign its JWTs)",
                        "only the client files of your EHRs, e.g. config/cds-hooks/clients.yaml"
                                + " (MEDHUB_CDS_CLIENTFILES)"));
            }
        }
        String issuer = binder.bind(ISSUER, String.class).orElse(null);
        if (issuer == null || issuer.startsWith("http://")) {
            found.add(new DevMaterial(ISSUER, issuer == null ? "not set, so the dev realm's issuer applies"
                            : issuer + ", a plain-http issuer on this machine: the dev realm ./medhub up starts,"
                                    + " whose users' passwords are their names",
                    "the https issuer of your production realm (MEDHUB_OIDC_ISSUER), imported from"
                            + " config/keycloak/medhub-realm-production.json"));
        }
        return found;
    }

    private static boolean isDevSecret(String value) {
        return value != null && DevFingerprints.SECRETS.contains(DevFingerprints.sha256(value));
    }

    private static String envName(String module) {
        return module.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /**
     * Whether a CDS client file lists the dev EHR's issuer or its key (as a PEM file or in an inline
     * JWK set). A file that cannot be read or parsed is left to the CDS Hooks module, which refuses
     * it with its own message.
     */
    private static boolean trustsDevEhr(Path file) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
        if (!(document instanceof Map<?, ?> root) || !(root.get("clients") instanceof List<?> clients)) {
            return false;
        }
        for (Object entry : clients) {
            if (entry instanceof Map<?, ?> client && (devIssuer(client.get("issuer"))
                    || devPem(file, client.get("publicKeyPem")) || devJwks(client.get("jwks")))) {
                return true;
            }
        }
        return false;
    }

    private static boolean devIssuer(Object issuer) {
        return issuer instanceof String name && DevFingerprints.EHR_ISSUERS.contains(DevFingerprints.sha256(name));
    }

    private static boolean devPem(Path clientFile, Object pemFiles) {
        List<?> names = pemFiles instanceof List<?> list ? list : pemFiles == null ? List.of() : List.of(pemFiles);
        Path directory = clientFile.toAbsolutePath().getParent();
        for (Object name : names) {
            try {
                String pem = Files.readString(directory.resolve(String.valueOf(name)));
                String base64 = pem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
                if (isDevKey(Base64.getMimeDecoder().decode(base64))) {
                    return true;
                }
            } catch (IOException | IllegalArgumentException unreadable) {
                // left to the CDS Hooks module, see trustsDevEhr
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static boolean devJwks(Object jwks) {
        if (!(jwks instanceof Map<?, ?> set)) {
            return false;
        }
        try {
            Stream<JWK> keys = JWKSet.parse((Map<String, Object>) set).getKeys().stream();
            return keys.anyMatch(key -> key instanceof AsymmetricJWK asymmetric && isDevKey(encoded(asymmetric)));
        } catch (ParseException | RuntimeException unreadable) {
            return false;
        }
    }

    private static byte[] encoded(AsymmetricJWK key) {
        try {
            return key.toPublicKey().getEncoded();
        } catch (JOSEException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean isDevKey(byte[] subjectPublicKeyInfo) {
        return DevFingerprints.EHR_KEYS.contains(DevFingerprints.sha256(subjectPublicKeyInfo));
    }
}
