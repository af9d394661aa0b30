package org.medhub.platform.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real Keycloak for integration tests: one per JVM, started on first use from the distribution
 * that {@code tools/keycloak} unpacks, with the dev realm {@code medhub} from
 * {@code config/keycloak/medhub-realm.json} imported into a fresh H2 database under the module's
 * {@code target/keycloak/}. It listens on a free loopback port and is stopped (SIGTERM) when the
 * JVM exits. Keycloak's console output goes to {@code target/keycloak/run-.../keycloak.log}.
 *
 * <p>Besides ordinary tokens of the dev users it hands out the bad tokens a resource server must
 * refuse, all genuinely issued and signed by Keycloak except the tampered one: expired, without the
 * {@code medhub} audience, from another issuer, altered after signing. The clients behind them
 * ({@code test-short-lived}, {@code test-no-audience}) are created through the admin REST API at
 * start-up and never appear in the dev realm file.
 *
 * <p>Spring tests normally use it through {@link KeycloakExtension}. Modules using it must build
 * after {@code medhub-keycloak} (a test dependency of type pom with all transitive dependencies
 * excluded), and the tests must run on Java 21 or newer, which Keycloak 26 requires.
 */
public final class KeycloakTestServer {

    /** The realm the dev users and MedHub's clients live in. */
    public static final String REALM = "medhub";

    /** The audience MedHub's resource servers require ({@code aud}). */
    public static final String AUDIENCE = "medhub";

    /** The dev users; each has the realm role of the same name and its name as password. */
    public static final List<String> DEV_USERS = List.of("admin", "clinician", "researcher", "viewer");

    /**
     * The clock skew tolerated when checking expiry, as {@link KeycloakExtension} configures it
     * ({@code medhub.security.clock-skew}); {@link #expiredToken} returns tokens expired by more.
     */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(1);

    private static final Path DISTRIBUTION = Path.of("tools", "keycloak", "target", "keycloak", "dist");
    private static final Path REALM_FILE = Path.of("config", "keycloak", "medhub-realm.json");
    private static final Path DEV_SETTINGS_FILE = Path.of("config", "dev", "medhub-dev.properties");
    private static final String SERVICE_CLIENT_SETTINGS = "medhub.services.clients.";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final String CLI_CLIENT = "medhub-cli";
    private static final String SHORT_LIVED_CLIENT = "test-short-lived";
    private static final String NO_AUDIENCE_CLIENT = "test-no-audience";
    private static final String BOOTSTRAP_ADMIN = "harness-admin";
    /** The realm's default client scopes without {@code medhub-audience}. */
    private static final List<String> DEFAULT_SCOPES = List.of("web-origins", "acr", "roles", "profile", "basic", "email");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static KeycloakTestServer shared;
    private static RuntimeException startFailure;

    private final Process process;
    private final String baseUrl;
    private final String adminPassword;
    private final Path logFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private int smartClients;

    private KeycloakTestServer(Process process, int port, String adminPassword, Path logFile) {
        this.process = process;
        this.baseUrl = "http://localhost:" + port;
        this.adminPassword = adminPassword;
        this.logFile = logFile;
    }

    /**
     * The Keycloak of this JVM, started on the first call (which blocks until the realm answers, up
     * to 10 minutes on a loaded machine; typically 25-60 s, longer on the first start after the distribution was
     * unpacked). A failed start is reported again to later callers without a second attempt.
     */
    public static synchronized KeycloakTestServer shared() {
        if (startFailure != null) {
            throw new IllegalStateException("Keycloak failed to start earlier in this JVM: "
                    + startFailure.getMessage(), startFailure);
        }
        if (shared == null) {
            try {
                shared = start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
        }
        return shared;
    }

    /** Keycloak's root URL, e.g. {@code http://localhost:41234}. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The {@code iss} of the realm's tokens, e.g. {@code http://localhost:41234/realms/medhub}. */
    public String issuer() {
        return realmUrl(REALM);
    }

    /**
     * The settings of MedHub's service clients in the dev realm ({@code medhub.services.clients.*},
     * from {@code config/dev/medhub-dev.properties}, whose secrets the realm file holds), for a
     * server under test to call other MedHub APIs as its modules' service accounts.
     */
    public Map<String, String> serviceClientProperties() {
        Path file = projectRoot().resolve(DEV_SETTINGS_FILE);
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        // Only these: the file's other dev settings (de-identification, trusted EHRs) are each test's choice.
        properties.stringPropertyNames().stream().filter(name -> name.startsWith(SERVICE_CLIENT_SETTINGS))
                .forEach(name -> settings.put(name, properties.getProperty(name)));
        return settings;
    }

    /** Keycloak's console output of this run. */
    public Path logFile() {
        return logFile;
    }

    /**
     * An access token of a dev user from {@code medhub-cli}'s password grant. {@code scopes} are
     * requested in addition to the client's defaults (e.g. {@code "user/Observation.rs"}) and then
     * appear in the token's {@code scope} claim.
     */
    public String token(String user, String... scopes) {
        return passwordGrant(REALM, CLI_CLIENT, user, user, scopes);
    }

    /**
     * Tokens of a dev user for tests that make many requests: each token is reused for two minutes
     * (they live five), so a long test neither asks for a token per request nor outlives one.
     */
    public java.util.function.Supplier<String> tokens(String user) {
        return new java.util.function.Supplier<>() {
            private String token;
            private java.time.Instant renewAt = java.time.Instant.MIN;

            @Override
            public synchronized String get() {
                if (java.time.Instant.now().isAfter(renewAt)) {
                    token = token(user);
                    renewAt = java.time.Instant.now().plus(Duration.ofMinutes(2));
                }
                return token;
            }
        };
    }

    /**
     * A token of a dev user, signed by the realm with the {@code medhub} audience, that has expired
     * by more than {@link #CLOCK_SKEW}. Its client issues tokens that live 1 s; this call waits the
     * 2-3 s until the token is past its expiry.
     */
    public String expiredToken(String user) {
        String token = passwordGrant(REALM, SHORT_LIVED_CLIENT, user, user);
        long expiresAtMillis = payload(token).path("exp").asLong() * 1000;
        long waitMillis = expiresAtMillis + CLOCK_SKEW.toMillis() + 500 - System.currentTimeMillis();
        if (waitMillis > 0) {
            try {
                Thread.sleep(waitMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a token to expire", e);
            }
        }
        return token;
    }

    /**
     * A token of a dev user for SMART tests, with {@code scopes} requested through a test-only client
     * that offers exactly them. Scopes the realm lacks are created first as client scopes, so a test
     * can ask for what a hostile app would (v2 scopes with a query such as
     * {@code user/Observation.rs?category=laboratory}, or malformed ones). With a {@code patient},
     * the token carries it as SMART's launch context claim {@code patient} (a hard-coded claim mapper
     * on that client), as an EHR launch would; null leaves the claim out.
     */
    public synchronized String smartToken(String user, String patient, String... scopes) {
        String adminToken = passwordGrant("master", "admin-cli", BOOTSTRAP_ADMIN, adminPassword);
        for (String scope : scopes) {
            Map<String, Object> clientScope = Map.of("name", scope, "protocol", "openid-connect",
                    "attributes", Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"));
            createOrKeep(adminToken, "client-scopes", clientScope);
        }
        String clientId = "test-smart-" + (++smartClients);
        Map<String, Object> client = testClient(clientId,
                concat(DEFAULT_SCOPES, "medhub-audience"), Map.of());
        client.put("optionalClientScopes", List.of(scopes));
        if (patient != null) {
            client.put("protocolMappers", List.of(Map.of(
                    "name", "test launch patient",
                    "protocol", "openid-connect",
                    "protocolMapper", "oidc-hardcoded-claim-mapper",
                    "config", Map.of("claim.name", "patient", "claim.value", patient, "jsonType.label", "String",
                            "access.token.claim", "true", "id.token.claim", "false",
                            "introspection.token.claim", "true"))));
        }
        createOrKeep(adminToken, "clients", client);
        return passwordGrant(REALM, clientId, user, user, scopes);
    }

    /** Creates a realm object through the admin REST API; one of that name already there is kept. */
    private void createOrKeep(String adminToken, String collection, Map<String, Object> representation) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/admin/realms/" + REALM + "/" + collection))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(new String(writeJson(representation), StandardCharsets.UTF_8))));
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IllegalStateException("Keycloak refused to create " + collection + " " + representation
                    + " (HTTP " + response.statusCode() + "): " + response.body());
        }
    }

    /** A valid token of a dev user, signed by the realm, whose {@code aud} lacks {@code medhub}. */
    public String tokenWithoutAudience(String user) {
        return passwordGrant(REALM, NO_AUDIENCE_CLIENT, user, user);
    }

    /**
     * A valid token signed by this Keycloak but issued by another realm ({@code master}'s admin via
     * {@code admin-cli}): the wrong {@code iss} and signing key for MedHub.
     */
    public String tokenFromOtherIssuer() {
        return passwordGrant("master", "admin-cli", BOOTSTRAP_ADMIN, adminPassword);
    }

    /**
     * A token of a dev user whose payload was changed after Keycloak signed it (the {@code admin}
     * role added, or for the admin user the expiry pushed an hour later), keeping the original header
     * and signature.
     */
    public String tamperedToken(String user) {
        String[] parts = token(user).split("\\.");
        ObjectNode claims = (ObjectNode) decodeJson(parts[1]);
        ArrayNode roles = claims.withObjectProperty("realm_access").withArrayProperty("roles");
        boolean isAdmin = false;
        for (JsonNode role : roles) {
            isAdmin |= role.asText().equals("admin");
        }
        if (isAdmin) {
            claims.put("exp", claims.path("exp").asLong() + 3600);
        } else {
            roles.add("admin");
        }
        String altered = base64Url(writeJson(claims));
        if (altered.equals(parts[1])) {
            throw new IllegalStateException("tampering left the payload unchanged");
        }
        return parts[0] + "." + altered + "." + parts[2];
    }

    // --- start-up ---------------------------------------------------------------------------------

    /** The checkout's root: the distribution lives in {@code <root>/tools/keycloak/target/keycloak/dist}. */
    private static Path projectRoot() {
        return findDistribution().getParent().getParent().getParent().getParent().getParent();
    }

    private static KeycloakTestServer start() {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("Keycloak 26 needs Java 21 or newer; the tests run on "
                    + Runtime.version() + " (" + System.getProperty("java.home") + ")");
        }
        Path distribution = findDistribution();
        Path realmFile = projectRoot().resolve(REALM_FILE);
        if (!Files.isRegularFile(realmFile)) {
            throw new IllegalStateException("realm file " + realmFile + " not found");
        }
        Path runs = Path.of("target", "keycloak").toAbsolutePath();
        deleteStaleRuns(runs);
        Path run = runs.resolve("run-" + System.currentTimeMillis() + "-" + ProcessHandle.current().pid());
        Path logFile = run.resolve("keycloak.log");
        int port = freePort();
        int managementPort = freePort();
        while (managementPort == port) {
            managementPort = freePort();
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String adminPassword = HexFormat.of().formatHex(secret);
        long started = System.nanoTime();

        // One start at a time per distribution: the first start after unpacking rewrites the
        // distribution's lib/quarkus (Keycloak's build step), and data/import is shared.
        Path lockFile = distribution.resolveSibling("harness-start.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            Files.createDirectories(run);
            copyRealm(realmFile, distribution.resolve("data").resolve("import"));
            List<String> command = List.of(
                    distribution.resolve("bin").resolve("kc.sh").toString(),
                    "start-dev",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--hostname=http://localhost:" + port,
                    // Nothing is exposed there in dev mode without health/metrics, but should that
                    // change, parallel instances must not collide on the default 9000.
                    "--http-management-port=" + managementPort,
                    "--import-realm",
                    // The distribution's default would be shared by every instance started from it.
                    "-Dquarkus.transaction-manager.object-store.directory=" + run.resolve("transaction-logs"));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(run.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            Map<String, String> env = builder.environment();
            // Settings of the caller's shell must not change how this Keycloak is built or runs.
            env.keySet().removeIf(name -> name.startsWith("KC_") || name.startsWith("KEYCLOAK_")
                    || name.startsWith("QUARKUS_") || name.startsWith("JAVA_OPTS") || name.equals("JAVA_ADD_OPENS")
                    || name.equals("JAVA") || name.equals("DEBUG"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("KC_DB_URL_PATH", run.toString());
            env.put("KC_BOOTSTRAP_ADMIN_USERNAME", BOOTSTRAP_ADMIN);
            env.put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
            Files.writeString(logFile, "# " + String.join(" ", command) + System.lineSeparator());
            Process process = builder.start();
            KeycloakTestServer server = new KeycloakTestServer(process, port, adminPassword, logFile);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-test-server-stop"));
            server.awaitReady();
            lock.release();
            server.createTestClients();
            System.out.printf("Keycloak ready at %s after %d s (log: %s)%n", server.issuer(),
                    Duration.ofNanos(System.nanoTime() - started).toSeconds(), logFile);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start Keycloak (log: " + logFile + ")", e);
        }
    }

    private static Path findDistribution() {
        Path kcSh = DISTRIBUTION.resolve("bin").resolve("kc.sh");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isExecutable(dir.resolve(kcSh))) {
                return dir.resolve(DISTRIBUTION);
            }
        }
        throw new IllegalStateException(DISTRIBUTION + " not found above " + Path.of("").toAbsolutePath()
                + ": build tools/keycloak first (./mvnw -B -q -f tools/keycloak/pom.xml generate-resources,"
                + " or any ./mvnw build of a module that depends on medhub-keycloak)");
    }

    /** Writes the realm where {@code --import-realm} reads it, atomically, unless already there. */
    private static void copyRealm(Path realmFile, Path importDirectory) throws IOException {
        Files.createDirectories(importDirectory);
        Path target = importDirectory.resolve(realmFile.getFileName());
        byte[] content = Files.readAllBytes(realmFile);
        if (Files.exists(target) && Arrays.equals(content, Files.readAllBytes(target))) {
            return;
        }
        // The temporary name does not end in -realm.json, so a starting Keycloak never reads it.
        Path temporary = Files.createTempFile(importDirectory, ".medhub-realm", ".tmp");
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Removes the directories of earlier runs whose JVM is gone (their database and log). */
    private static void deleteStaleRuns(Path runs) {
        if (!Files.isDirectory(runs)) {
            return;
        }
        try (Stream<Path> entries = Files.list(runs)) {
            for (Path run : entries.toList()) {
                String[] name = run.getFileName().toString().split("-");
                if (name.length == 3 && name[0].equals("run")
                        && ProcessHandle.of(Long.parseLong(name[2])).isEmpty()) {
                    deleteRecursively(run);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Leftovers only cost disk space; never fail a test run over them.
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }

    private void awaitReady() {
        URI discovery = URI.create(issuer() + "/.well-known/openid-configuration");
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " during start-up (log: " + logFile + "):\n" + logTail());
            }
            try {
                HttpResponse<Void> response = http.send(
                        HttpRequest.newBuilder(discovery).timeout(Duration.ofSeconds(5)).GET().build(),
                        BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep polling
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("Keycloak did not serve " + discovery + " within "
                        + READY_TIMEOUT.toMinutes() + " minutes (log: " + logFile + "):\n" + logTail());
            }
            sleep(Duration.ofMillis(500));
        }
    }

    /** The clients behind the bad tokens, created through the admin REST API (never in the realm file). */
    private void createTestClients() {
        Map<String, Object> shortLived = testClient(SHORT_LIVED_CLIENT,
                concat(DEFAULT_SCOPES, "medhub-audience"), Map.of("access.token.lifespan", "1"));
        Map<String, Object> noAudience = testClient(NO_AUDIENCE_CLIENT, DEFAULT_SCOPES, Map.of());
        String adminToken = passwordGrant("master", "admin-cli", BOOTSTRAP_ADMIN, adminPassword);
        for (Map<String, Object> client : List.of(shortLived, noAudience)) {
            createOrKeep(adminToken, "clients", client);
        }
    }

    /**
     * Lets the browser client {@code medhub-web} sign users in from {@code origin} (e.g.
     * {@code http://localhost:41234}, a test server's random port): adds its redirect URIs and CORS
     * origin through the admin REST API. The realm file allows only {@code http://localhost:8080}.
     */
    public synchronized void allowBrowserOrigin(String origin) {
        String adminToken = passwordGrant("master", "admin-cli", BOOTSTRAP_ADMIN, adminPassword);
        String clients = baseUrl + "/admin/realms/" + REALM + "/clients";
        HttpResponse<String> found = send(HttpRequest.newBuilder(URI.create(clients + "?clientId=medhub-web"))
                .header("Authorization", "Bearer " + adminToken).GET());
        JsonNode client = readJson(found.body()).path(0);
        if (found.statusCode() != 200 || client.isMissingNode()) {
            throw new IllegalStateException("client medhub-web not found (HTTP " + found.statusCode() + "): " + found.body());
        }
        ObjectNode updated = (ObjectNode) client;
        updated.withArrayProperty("redirectUris").add(origin + "/*");
        updated.withArrayProperty("webOrigins").add(origin);
        ObjectNode attributes = updated.withObjectProperty("attributes");
        attributes.put("post.logout.redirect.uris",
                attributes.path("post.logout.redirect.uris").asText("") + "##" + origin + "/*");
        HttpResponse<String> put = send(HttpRequest.newBuilder(URI.create(clients + "/" + client.path("id").asText()))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(BodyPublishers.ofString(updated.toString())));
        if (put.statusCode() != 204) {
            throw new IllegalStateException("Keycloak refused to update medhub-web (HTTP " + put.statusCode() + "): " + put.body());
        }
    }

    /**
     * Creates a user of the realm with this password and no role, through the admin REST API (with
     * the email and names the default user profile requires): for tests that must not disturb the
     * dev users, such as one that locks its user out.
     */
    public void createUser(String username, String password) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        user.put("email", username + "@test.example");
        user.put("emailVerified", true);
        user.put("firstName", "Test");
        user.put("lastName", username);
        user.put("credentials", List.of(Map.of("type", "password", "value", password, "temporary", false)));
        String adminToken = passwordGrant("master", "admin-cli", BOOTSTRAP_ADMIN, adminPassword);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/admin/realms/" + REALM + "/users"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(new String(writeJson(user), StandardCharsets.UTF_8))));
        if (response.statusCode() != 201) {
            throw new IllegalStateException("Keycloak refused to create user " + username
                    + " (HTTP " + response.statusCode() + "): " + response.body());
        }
    }

    private static Map<String, Object> testClient(String clientId, List<String> defaultScopes,
            Map<String, String> attributes) {
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("clientId", clientId);
        client.put("name", "Test only (created by KeycloakTestServer)");
        client.put("publicClient", true);
        client.put("standardFlowEnabled", false);
        client.put("directAccessGrantsEnabled", true);
        // An explicit list replaces the realm's default scopes, which include medhub-audience.
        client.put("defaultClientScopes", defaultScopes);
        client.put("attributes", attributes);
        return client;
    }

    // --- shutdown ---------------------------------------------------------------------------------

    /** SIGTERM to kc.sh, which passes it on to Keycloak's JVM; forcibly after 30 s. */
    private void stop() {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    // --- HTTP and JSON ----------------------------------------------------------------------------

    private String realmUrl(String realm) {
        return baseUrl + "/realms/" + realm;
    }

    private String passwordGrant(String realm, String clientId, String username, String password, String... scopes) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", clientId);
        form.put("username", username);
        form.put("password", password);
        if (scopes.length > 0) {
            form.put("scope", String.join(" ", scopes));
        }
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                        URI.create(realmUrl(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token for '" + username + "' from client " + clientId
                    + " in realm " + realm + " (HTTP " + response.statusCode() + "): " + response.body());
        }
        return readJson(response.body()).path("access_token").asText();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("request to Keycloak at " + baseUrl + " failed (log: " + logFile + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling Keycloak", e);
        }
    }

    private static JsonNode payload(String token) {
        return decodeJson(token.split("\\.")[1]);
    }

    private static JsonNode decodeJson(String base64Url) {
        return readJson(new String(Base64.getUrlDecoder().decode(base64Url), StandardCharsets.UTF_8));
    }

    private static JsonNode readJson(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] writeJson(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String base64Url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static List<String> concat(List<String> list, String element) {
        List<String> result = new ArrayList<>(list);
        result.add(element);
        return result;
    }

    private String logTail() {
        try {
            List<String> lines = new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(log not readable: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Keycloak", e);
        }
    }
}
