package org.medhub.fhir.security;

import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRule;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOp;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleBuilderRuleOpClassifier;
import ca.uhn.fhir.rest.server.interceptor.auth.IAuthRuleFinished;
import ca.uhn.fhir.rest.server.interceptor.auth.RuleBuilder;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;
import org.medhub.fhir.security.SmartScope.Context;
import org.medhub.fhir.security.SmartScope.Interaction;
import org.medhub.platform.security.MedHubRole;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who may do what on {@code /fhir}: the role decides the most a caller may do (ARCHITECTURE.md's
 * permissions table), SMART resource scopes in the token narrow it further. {@link #rules()} states
 * it as HAPI authorization rules; {@link #mayAttempt} answers the coarser question a request gate
 * asks before the body is read.
 *
 * <ul>
 *   <li>viewer: read and search; clinician: also create, update, patch; admin: everything, including
 *       delete, bulk export and the audit trail;
 *   <li>researcher: nothing identified, so nothing on {@code /fhir} but the definitions below until the
 *       de-identified view exists;
 *   <li>AuditEvent is readable by admins only, whatever the scopes say;
 *   <li>StructureDefinitions (MedHub's extension definitions, published at start-up) are readable by
 *       every role, researchers and scoped tokens included: they describe data, they hold none, and a
 *       client needs them to read what MedHub writes;
 *   <li>a token with any SMART-shaped resource scope is in scoped mode: it gets the intersection of
 *       its role and the scopes that parse, and nothing for those that do not (never the role's full
 *       access); {@code patient/} scopes apply to the launch patient's compartment (the token's
 *       {@code patient} claim) and grant nothing without that claim.
 * </ul>
 */
final class FhirAccessPolicy {

    private static final String AUDIT_EVENT = "AuditEvent";

    /** Conformance resources any caller with a MedHub role may read (they hold no patient data). */
    static final String STRUCTURE_DEFINITION = "StructureDefinition";

    /** One grant of the caller: interactions on a type (or all types), possibly one patient's data only. */
    private record Grant(String resourceType, Set<Interaction> interactions, Optional<String> patient) {

        boolean allTypes() {
            return resourceType.equals("*");
        }

        boolean covers(Interaction interaction, String type) {
            return interactions.contains(interaction) && (allTypes() || resourceType.equals(type));
        }

        boolean everyPatient() {
            return patient.isEmpty();
        }
    }

    private final boolean admin;
    private final boolean scoped;
    private final boolean readsDefinitions;
    private final List<Grant> grants;

    private FhirAccessPolicy(boolean admin, boolean scoped, boolean readsDefinitions, List<Grant> grants) {
        this.admin = admin;
        this.scoped = scoped;
        this.readsDefinitions = readsDefinitions;
        this.grants = List.copyOf(grants);
    }

    static FhirAccessPolicy of(Set<MedHubRole> roles, List<String> scopes, Optional<String> launchPatient) {
        List<String> resourceScopes = scopes.stream().filter(SmartScope::isResourceScope).toList();
        boolean scoped = !resourceScopes.isEmpty();
        Set<Interaction> permitted = permittedByRole(roles);
        List<Grant> grants = new ArrayList<>();
        if (!scoped) {
            if (!permitted.isEmpty()) {
                grants.add(new Grant("*", permitted, Optional.empty()));
            }
        } else {
            for (String text : resourceScopes) {
                SmartScope.parse(text).flatMap(scope -> grant(scope, permitted, launchPatient)).ifPresent(grants::add);
            }
        }
        return new FhirAccessPolicy(roles.contains(MedHubRole.ADMIN), scoped, !roles.isEmpty(), grants);
    }

    /** The policy of the caller Spring Security authenticated for this request. */
    static FhirAccessPolicy of(Authentication caller) {
        return of(MedHubRole.of(caller), scopes(caller), launchPatient(caller));
    }

    /**
     * Whether some grant could permit {@code interaction} on {@code resourceType}; HAPI's rules then
     * decide the rest (the patient compartment, the entries of a bundle). Never false where
     * {@link #rules()} would allow.
     */
    boolean mayAttempt(Interaction interaction, String resourceType) {
        if (unrestrictedAdmin()) {
            return true;
        }
        if (AUDIT_EVENT.equals(resourceType) && !admin) {
            return false;
        }
        if (readsDefinitions && interaction == Interaction.READ && STRUCTURE_DEFINITION.equals(resourceType)) {
            return true;
        }
        return grants.stream().anyMatch(grant -> grant.covers(interaction, resourceType));
    }

    /** Whether the caller may do anything at all beyond reading the CapabilityStatement. */
    boolean grantsAnything() {
        return unrestrictedAdmin() || !grants.isEmpty();
    }

    List<IAuthRule> rules() {
        RuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata().andThen();
        if (unrestrictedAdmin()) {
            return rules.allowAll("admin").build();
        }
        if (readsDefinitions) {
            rules.allow("conformance resources").read().resourcesOfType(STRUCTURE_DEFINITION).withAnyId().andThen();
        }
        if (grants.isEmpty()) {
            return rules.denyAll(scoped
                    ? "the token's SMART scopes grant nothing this role may do"
                    : "this role has no access to identified FHIR data").build();
        }
        if (!admin) {
            // Reading AuditEvents is refused by AuditEventReadGuard: a deny-read rule here would also
            // refuse the next page of every search.
            rules.deny("audit records are for admins").write().resourcesOfType(AUDIT_EVENT).withAnyId().andThen();
        }

        boolean readsEverything = false;
        boolean writesEverything = false;
        for (Grant grant : grants) {
            Set<Interaction> interactions = grant.interactions();
            if (interactions.contains(Interaction.READ)) {
                target(rules.allow("read").read(), grant).andThen();
                readsEverything |= grant.allTypes() && grant.everyPatient();
            }
            // HAPI's write rule covers create and update together; an update-only grant stays unused
            // rather than also permitting creates.
            if (interactions.containsAll(EnumSet.of(Interaction.CREATE, Interaction.UPDATE))) {
                target(rules.allow("write").write(), grant).andThen();
                writesEverything |= grant.allTypes() && grant.everyPatient();
            } else if (interactions.contains(Interaction.CREATE)) {
                target(rules.allow("create").create(), grant).andThen();
            }
            if (interactions.contains(Interaction.DELETE)) {
                target(rules.allow("delete").delete(), grant).andThen();
            }
        }
        // Each entry of a transaction or batch is checked against the rules above.
        rules.allow("transaction").transaction().withAnyOperation().andApplyNormalRules().andThen();
        if (grants.stream().anyMatch(Grant::everyPatient)) {
            // $validate answers for any resource it is given; not for an app confined to one patient.
            rules.allow("validate").operation().named("$validate").onAnyType().andAllowAllResponses().andThen();
            rules.allow("validate").operation().named("$validate").onAnyInstance().andAllowAllResponses().andThen();
        }
        if (readsEverything) {
            rules.allow("everything").operation().named("$everything").onInstancesOfType(Patient.class)
                    .andRequireExplicitResponseAuthorization().andThen();
        }
        if (writesEverything) {
            // HAPI's patch rule cannot be limited to resource types, so only callers who may write
            // every type may patch.
            rules.allow("patch").patch().allRequests().andThen();
        }
        if (admin && readsEverything) {
            rules.allow("bulk export").bulkExport().any().andThen();
            rules.allow("bulk export status").operation().named("$export-poll-status").onServer()
                    .andAllowAllResponses().andThen();
        }
        return rules.denyAll("not permitted by role or scopes").build();
    }

    private boolean unrestrictedAdmin() {
        return admin && !scoped;
    }

    private static Set<Interaction> permittedByRole(Set<MedHubRole> roles) {
        Set<Interaction> permitted = EnumSet.noneOf(Interaction.class);
        if (roles.contains(MedHubRole.VIEWER) || roles.contains(MedHubRole.CLINICIAN) || roles.contains(MedHubRole.ADMIN)) {
            permitted.add(Interaction.READ);
        }
        if (roles.contains(MedHubRole.CLINICIAN) || roles.contains(MedHubRole.ADMIN)) {
            permitted.addAll(EnumSet.of(Interaction.CREATE, Interaction.UPDATE));
        }
        if (roles.contains(MedHubRole.ADMIN)) {
            permitted.add(Interaction.DELETE);
        }
        return permitted;
    }

    /** What one parsed scope grants within the role; a {@code patient/} scope only with a launch patient. */
    private static Optional<Grant> grant(SmartScope scope, Set<Interaction> permitted, Optional<String> patient) {
        Set<Interaction> interactions = EnumSet.noneOf(Interaction.class);
        interactions.addAll(scope.interactions());
        interactions.retainAll(permitted);
        if (interactions.isEmpty()) {
            return Optional.empty();
        }
        if (scope.context() == Context.PATIENT) {
            return patient.map(id -> new Grant(scope.resourceType(), interactions, Optional.of(id)));
        }
        return Optional.of(new Grant(scope.resourceType(), interactions, Optional.empty()));
    }

    private static IAuthRuleFinished target(IAuthRuleBuilderRuleOp op, Grant grant) {
        IAuthRuleBuilderRuleOpClassifier classifier =
                grant.allTypes() ? op.allResources() : op.resourcesOfType(grant.resourceType());
        return grant.patient()
                .<IAuthRuleFinished>map(id -> classifier.inCompartment("Patient", new IdType("Patient", id)))
                .orElseGet(classifier::withAnyId);
    }

    private static List<String> scopes(Authentication caller) {
        if (caller instanceof JwtAuthenticationToken token && token.getToken().getClaimAsString("scope") != null) {
            return List.of(token.getToken().getClaimAsString("scope").trim().split("\\s+"));
        }
        return List.of();
    }

    /** SMART's launch context: the patient an app was launched for, when the token carries one. */
    private static Optional<String> launchPatient(Authentication caller) {
        if (caller instanceof JwtAuthenticationToken token) {
            return Optional.ofNullable(token.getToken().getClaimAsString("patient")).filter(p -> !p.isBlank());
        }
        return Optional.empty();
    }
}
