package org.medhub.server.architecture;

import com.tngtech.archunit.library.freeze.ViolationLineMatcher;
import java.util.regex.Pattern;

/**
 * How a frozen violation is recognised again (archunit.properties, {@code freeze.lineMatcher}).
 * Line numbers are ignored, as ArchUnit's default does, so that moving code does not unfreeze it.
 * A package cycle is the same cycle while it runs through the same packages: its report also lists
 * sample dependencies of each edge, which change with every edit inside those packages, and a cycle
 * that is still there but is being worked on must not read as a new one.
 */
public final class CycleAwareLineMatcher implements ViolationLineMatcher {

    private static final Pattern LINE_NUMBER = Pattern.compile("\\.java:\\d+\\)");
    private static final String CYCLE = "Cycle detected:";
    private static final String FIRST_EDGE = "1. Dependencies of";

    @Override
    public boolean matches(String stored, String actual) {
        if (stored.startsWith(CYCLE) && actual.startsWith(CYCLE)) {
            return packagesOf(stored).equals(packagesOf(actual));
        }
        return withoutLineNumbers(stored).equals(withoutLineNumbers(actual));
    }

    /** "Cycle detected: a -> b -> a", whitespace and line continuations collapsed. */
    private static String packagesOf(String cycle) {
        int edges = cycle.indexOf(FIRST_EDGE);
        String head = edges < 0 ? cycle : cycle.substring(0, edges);
        return head.replace("\\", " ").replaceAll("\\s+", " ").strip();
    }

    private static String withoutLineNumbers(String violation) {
        return LINE_NUMBER.matcher(violation).replaceAll(".java)");
    }
}
