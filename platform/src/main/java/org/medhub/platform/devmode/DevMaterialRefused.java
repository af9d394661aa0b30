package org.medhub.platform.devmode;

import java.util.List;
import java.util.stream.Collectors;

/** A start outside dev mode found dev material: one message naming every setting that holds it. */
final class DevMaterialRefused extends RuntimeException {

    static final String ADVICE = "Set these from the environment or from a file outside the repository"
            + " (SPRING_CONFIG_ADDITIONALLOCATION=file:/etc/medhub/secrets.properties, or"
            + " SPRING_CONFIG_IMPORT=configtree:/run/secrets/), as docs/production.md describes."
            + " For development on this machine, start with ./medhub up (dev mode, loopback only).";

    private final List<DevMaterial> found;

    DevMaterialRefused(List<DevMaterial> found) {
        super(description(found) + System.lineSeparator() + ADVICE);
        this.found = List.copyOf(found);
    }

    static String description(List<DevMaterial> found) {
        return "MedHub is not in dev mode (" + DevModeStartup.DEV_MODE + " is not true) and refuses to start with"
                + " dev material, whose values are public in the MedHub repository:" + System.lineSeparator()
                + found.stream().map(DevMaterial::line).collect(Collectors.joining(System.lineSeparator()));
    }

    List<DevMaterial> found() {
        return found;
    }
}
