package org.medhub.server.architecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;

/**
 * What the rules judge: MedHub's main code, not tests. This module's test classpath holds every
 * module; besides {@code target/test-classes}, the modules' test-jars ({@code *-tests.jar}) are
 * tests too.
 */
public final class MedHubProductionClasses implements ImportOption {

    private final ImportOption tests = new DoNotIncludeTests();

    @Override
    public boolean includes(Location location) {
        return tests.includes(location) && !location.contains("-tests.jar");
    }
}
