package org.medhub.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The all-in-one server started as {@code ./medhub up} starts it (the packaged jar, from the
 * checkout's root, with {@code config/dev/medhub-dev.properties}), once without dev mode, which
 * must refuse the dev material naming every setting that holds it, and once in dev mode, which must
 * listen on loopback only.
 */
class DevModeStartIT {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path JAR = Path.of("target", "medhub.jar").toAbsolutePath();
    private static final Path RUNS = Path.of("target", "it-devmode").toAbsolutePath();
    private static final String DEV_SETTINGS = "--spring.config.additional-location=optional:file:config/dev/medhub-dev.properties";
    private static final String DEV_ISSUER = "http://localhost:8081/realms/medhub";

    @Test
    void withoutDevModeTheDevSettingsOfMedhubUpAreRefusedWithOneMessageNamingEachSetting() throws Exception {
        Path log = RUNS.resolve("refused-" + UUID.randomUUID() + ".log");
        Process server = start(log, freePort(), DEV_SETTINGS);

        boolean exited = server.waitFor(3, TimeUnit.MINUTES);
        stop(server);
        String output = Files.readString(log);

        assertThat(exited).as("the server refused to start and exited; output:%n%s", tail(output)).isTrue();
        assertThat(server.exitValue()).isNotZero();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("medhub.dev-mode is not true")
                .contains("  - medhub.services.clients.dicomweb.client-secret: the dev realm's secret")
                .contains("  - medhub.services.clients.ml.client-secret: the dev realm's secret")
                .contains("  - medhub.services.clients.cds-hooks.client-secret: the dev realm's secret")
                .contains("  - medhub.deid.secret: the dev de-identification key. Provide your site's own key")
                .contains("  - medhub.cds.client-files: config/dev/cds-hooks-dev-ehr.yaml trusts the dev EHR")
                .contains("  - medhub.security.issuer: " + DEV_ISSUER + ", a plain-http issuer")
                .contains("docs/production.md")
                .doesNotContain("Tomcat started")
                .doesNotContain("\tat org.medhub");
        for (String secret : devSecrets()) {
            assertThat(output).doesNotContain(secret);
        }
    }

    @Test
    void inDevModeTheServerListensOnLoopbackOnly() throws Exception {
        int port = freePort();
        Path log = RUNS.resolve("dev-mode-" + UUID.randomUUID() + ".log");
        Process server = start(log, port, "--medhub.dev-mode=true", DEV_SETTINGS);
        try {
            awaitReady(server, port, log);

            assertThat(connects(InetAddress.getLoopbackAddress(), port)).isTrue();
            List<InetAddress> others = nonLoopbackAddresses();
            for (InetAddress address : others) {
                assertThat(connects(address, port)).as("accepts on %s", address).isFalse();
            }
            // The kernel's own table, which needs no second address on the machine.
            assertThat(listeningAddresses(port)).containsExactly("127.0.0.1");
            assertThat(Files.readString(log)).contains("Dev mode (medhub.dev-mode=true)").contains("Listening on 127.0.0.1 only.");
        } finally {
            stop(server);
        }
    }

    private static Process start(Path log, int port, String... arguments) throws IOException {
        Files.createDirectories(RUNS);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1536m", "-jar", JAR.toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        // As ./medhub up sets them; nothing of the caller's shell.
        env.keySet().removeIf(name -> name.startsWith("MEDHUB_") || name.startsWith("SPRING_"));
        env.put("MEDHUB_DATA_DIR", log.resolveSibling(log.getFileName() + ".data").toString());
        env.put("MEDHUB_PORT", Integer.toString(port));
        env.put("MEDHUB_OIDC_ISSUER", DEV_ISSUER);
        return builder.start();
    }

    private static void awaitReady(Process server, int port, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI readiness = URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness");
        long deadline = System.nanoTime() + Duration.ofMinutes(12).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("server exited during start-up:%n%s", tail(Files.readString(log))).isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(readiness).build(), BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // keep polling
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("not ready within 12 minutes:\n" + tail(Files.readString(log)));
    }

    /** SIGTERM (a graceful stop, which also stops the embedded PostgreSQL), then by force. */
    private static void stop(Process server) throws InterruptedException {
        List<ProcessHandle> descendants = server.descendants().toList();
        server.destroy();
        if (!server.waitFor(90, TimeUnit.SECONDS)) {
            server.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean connects(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 3000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface network : NetworkInterface.networkInterfaces().toList()) {
            if (network.isUp() && !network.isLoopback()) {
                network.inetAddresses().filter(address -> address instanceof Inet4Address || !address.isLinkLocalAddress())
                        .forEach(addresses::add);
            }
        }
        return addresses;
    }

    /** The local addresses of the sockets listening on {@code port}, from /proc/net/tcp and tcp6 (state 0A). */
    private static List<String> listeningAddresses(int port) throws IOException {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] fields = line.trim().split("\\s+");
                String[] local = fields[1].split(":");
                if (fields[3].equals("0A") && Integer.parseInt(local[1], 16) == port) {
                    addresses.add(procAddress(local[0]));
                }
            }
        }
        return addresses;
    }

    /** /proc/net/tcp writes addresses as 32-bit words in host (little-endian) order. */
    private static String procAddress(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - i) * 2, word * 8 + (3 - i) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes).getHostAddress();
    }

    private static List<String> devSecrets() throws IOException {
        Properties dev = new Properties();
        try (var reader = Files.newBufferedReader(ROOT.resolve("config/dev/medhub-dev.properties"))) {
            dev.load(reader);
        }
        return dev.stringPropertyNames().stream().filter(name -> name.endsWith("secret")).map(dev::getProperty).toList();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
