package org.medhub.platform.devmode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Dev mode or not, decided before anything starts. In dev mode ({@value #DEV_MODE}{@code =true},
 * which {@code ./medhub up} and the test harness set) the server listens on loopback only, unless
 * {@value #BIND_ADDRESS} (environment {@code MEDHUB_BIND_ADDRESS}) says otherwise. Outside dev mode
 * any dev key or secret stops the start with one message listing them all ({@link DevMaterialCheck}).
 * Runs after the configuration files are loaded, so it sees every setting the server will use.
 */
class DevModeStartup implements EnvironmentPostProcessor, Ordered {

    static final String DEV_MODE = "medhub.dev-mode";
    static final String BIND_ADDRESS = "medhub.bind-address";
    static final String LOOPBACK = "127.0.0.1";
    private static final String SERVER_ADDRESS = "server.address";

    private final Log log;

    DevModeStartup(DeferredLogFactory logs) {
        this.log = logs.getLog(DevModeStartup.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Binder binder = Binder.get(environment);
        boolean devMode = binder.bind(DEV_MODE, Boolean.class).orElse(false);
        String bindAddress = binder.bind(BIND_ADDRESS, String.class).map(String::trim).orElse("");
        if (devMode) {
            bindAddress = bindAddress.isEmpty() ? LOOPBACK : bindAddress;
            log.warn("Dev mode (" + DEV_MODE + "=true): the dev realm, keys and secrets are accepted; never use it"
                    + " in production. Listening on " + bindAddress + (bindAddress.equals(LOOPBACK) ? " only." : "."));
        } else {
            List<DevMaterial> found = new DevMaterialCheck(Path.of("")).findIn(environment);
            if (!found.isEmpty()) {
                throw new DevMaterialRefused(found);
            }
        }
        if (!bindAddress.isEmpty()) {
            // Last: an explicit server.address anywhere else still wins.
            environment.getPropertySources().addLast(
                    new MapPropertySource("medhub-bind-address", Map.of(SERVER_ADDRESS, bindAddress)));
        }
    }
}
