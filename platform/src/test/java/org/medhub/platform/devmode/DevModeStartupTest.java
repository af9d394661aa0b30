package org.medhub.platform.devmode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** What {@link DevModeStartup} makes of the settings: the listening address, or a refusal. */
class DevModeStartupTest {

    private static final String PRODUCTION_ISSUER = "https://login.example.org/realms/medhub";

    @Test
    void devModeListensOnLoopbackByDefault() {
        assertThat(serverAddress(Map.of("medhub.dev-mode", "true"))).isEqualTo("127.0.0.1");
    }

    @Test
    void devModeListensWhereTheBindAddressSays() {
        assertThat(serverAddress(Map.of("medhub.dev-mode", "true", "medhub.bind-address", "0.0.0.0"))).isEqualTo("0.0.0.0");
    }

    @Test
    void anExplicitServerAddressWinsOverTheBindAddress() {
        assertThat(serverAddress(Map.of("medhub.dev-mode", "true", "medhub.bind-address", "0.0.0.0",
                "server.address", "192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void outsideDevModeWithoutDevMaterialTheServerListensWhereConfiguredOrEverywhere() {
        assertThat(serverAddress(Map.of("medhub.security.issuer", PRODUCTION_ISSUER))).isNull();
        assertThat(serverAddress(Map.of("medhub.security.issuer", PRODUCTION_ISSUER, "medhub.bind-address", "10.0.0.5")))
                .isEqualTo("10.0.0.5");
    }

    @Test
    void outsideDevModeDevMaterialStopsTheStart() {
        assertThatThrownBy(() -> serverAddress(Map.of("medhub.dev-mode", "false")))
                .isInstanceOf(DevMaterialRefused.class)
                .hasMessageContaining("  - medhub.security.issuer: not set");
    }

    private static String serverAddress(Map<String, Object> settings) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", new HashMap<>(settings)));
        new DevModeStartup(new DeferredLogs()).postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("server.address");
    }
}
