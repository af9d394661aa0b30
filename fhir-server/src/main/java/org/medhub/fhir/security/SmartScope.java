package org.medhub.fhir.security;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SMART App Launch resource scope ({@code patient/Observation.rs}, {@code user/*.cruds},
 * {@code system/Patient.read}), v2 letters and the v1 {@code read}/{@code write}/{@code *} forms.
 * Other scopes ({@code openid}, {@code launch/patient}, ...) are not resource scopes.
 *
 * <p>A scope that only looks like one ({@linkplain #isResourceScope SMART-shaped}: it starts with
 * {@code patient/}, {@code user/} or {@code system/}) but does not parse, and a v2 scope narrowed by
 * a query ({@code patient/Observation.rs?category=laboratory}, SMART App Launch 2.x 3.0.2.3), grant
 * nothing: MedHub does not filter by such queries, and granting the whole type would give more than
 * the scope says.
 *
 * @param context whose data: the launch patient's, what the user may see, or the calling system's
 * @param resourceType a FHIR resource type, or {@code *} for all
 * @param interactions what the scope permits on that type
 */
record SmartScope(Context context, String resourceType, Set<Interaction> interactions) {

    enum Context {
        PATIENT,
        USER,
        SYSTEM
    }

    /** Search ({@code s}) and read ({@code r}) are one permission here: HAPI checks both as reads. */
    enum Interaction {
        CREATE,
        READ,
        UPDATE,
        DELETE
    }

    private static final Pattern SYNTAX =
            Pattern.compile("(patient|user|system)/([A-Z][A-Za-z]*|\\*)\\.(read|write|\\*|c?r?u?d?s?)(\\?.*)?");

    private static final Pattern RESOURCE_SCOPE_SHAPE = Pattern.compile("(patient|user|system)/.*");

    /**
     * Whether a scope is meant as a SMART resource scope, parsable or not: such a scope puts the
     * token in scoped mode, where only what its parsed scopes grant is allowed.
     */
    static boolean isResourceScope(String scope) {
        return RESOURCE_SCOPE_SHAPE.matcher(scope).matches();
    }

    static Optional<SmartScope> parse(String scope) {
        Matcher matcher = SYNTAX.matcher(scope);
        if (!matcher.matches() || matcher.group(3).isEmpty()) {
            return Optional.empty();
        }
        if (matcher.group(4) != null) {
            return Optional.empty(); // query-narrowed: not enforced, so it grants nothing (see above)
        }
        Context context = Context.valueOf(matcher.group(1).toUpperCase(java.util.Locale.ROOT));
        return Optional.of(new SmartScope(context, matcher.group(2), permissions(matcher.group(3))));
    }

    boolean allTypes() {
        return resourceType.equals("*");
    }

    private static Set<Interaction> permissions(String grant) {
        Set<Interaction> interactions = EnumSet.noneOf(Interaction.class);
        switch (grant) {
            case "read" -> interactions.add(Interaction.READ);
            case "write" -> interactions.addAll(EnumSet.of(Interaction.CREATE, Interaction.UPDATE, Interaction.DELETE));
            case "*" -> interactions.addAll(EnumSet.allOf(Interaction.class));
            default -> {
                if (grant.contains("c")) interactions.add(Interaction.CREATE);
                if (grant.contains("r") || grant.contains("s")) interactions.add(Interaction.READ);
                if (grant.contains("u")) interactions.add(Interaction.UPDATE);
                if (grant.contains("d")) interactions.add(Interaction.DELETE);
            }
        }
        return interactions;
    }
}
