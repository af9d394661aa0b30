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

/**
 * Who may do what on {@code /fhir}, as HAPI authorization rules: the role decides the most a caller
 * may do (ARCHITECTURE.md's permissions table), SMART resource scopes in the token narrow it further.
 *
 * <ul>
 *   <li>viewer: read and search; clinician: also create, update, patch; admin: everything, including
 *       delete, bulk export and the audit trail;
 *   <li>researcher: nothing identified, so nothing on {@code /fhir} until the de-identified view exists;
 *   <li>AuditEvent is readable by admins only, whatever the scopes say;
 *   <li>a token with SMART resource scopes gets the intersection of its role and its scopes;
 *       {@code patient/} scopes apply to the launch patient's compartment and grant nothing
 *       without a {@code patient} claim.
 * </ul>
 */
final class FhirAccessPolicy {

    private static final String AUDIT_EVENT = "AuditEvent";

    private FhirAccessPolicy() {}

    /** One grant of the caller: interactions on a type (or all types), possibly one patient's data only. */
    private record Grant(String resourceType, Set<Interaction> interactions, Optional<String> patient) {

        boolean allTypes() {
            return resourceType.equals("*");
        }
    }

    static List<IAuthRule> rules(Set<MedHubRole> roles, List<String> scopes, Optional<String> launchPatient) {
        RuleBuilder rules = new RuleBuilder();
        rules.allow("capability statement").metadata().andThen();
        Set<Interaction> permitted = permittedByRole(roles);
        List<SmartScope> smartScopes = scopes.stream().map(SmartScope::parse).flatMap(Optional::stream).toList();
        boolean admin = roles.contains(MedHubRole.ADMIN);

        if (admin && smartScopes.isEmpty()) {
            return rules.allowAll("admin").build();
        }
        if (permitted.isEmpty()) {
            return rules.denyAll("this role has no access to identified FHIR data").build();
        }
        if (!admin) {
            // Reading AuditEvents is refused by AuditEventReadGuard: a deny-read rule here would also
            // refuse the next page of every search.
            rules.deny("audit records are for admins").write().resourcesOfType(AUDIT_EVENT).withAnyId().andThen();
        }

        List<Grant> grants = grants(permitted, smartScopes, launchPatient);
        boolean readsEverything = false;
        boolean writesEverything = false;
        for (Grant grant : grants) {
            Set<Interaction> interactions = grant.interactions();
            if (interactions.contains(Interaction.READ)) {
                target(rules.allow("read").read(), grant).andThen();
                readsEverything |= grant.allTypes() && grant.patient().isEmpty();
            }
            // HAPI's write rule covers create and update together; an update-only grant stays unused
            // rather than also permitting creates.
            if (interactions.containsAll(EnumSet.of(Interaction.CREATE, Interaction.UPDATE))) {
                target(rules.allow("write").write(), grant).andThen();
                writesEverything |= grant.allTypes() && grant.patient().isEmpty();
            } else if (interactions.contains(Interaction.CREATE)) {
                target(rules.allow("create").create(), grant).andThen();
            }
            if (interactions.contains(Interaction.DELETE)) {
                target(rules.allow("delete").delete(), grant).andThen();
            }
        }
        if (!grants.isEmpty()) {
            // Each entry of a transaction or batch is checked against the rules above.
            rules.allow("transaction").transaction().withAnyOperation().andApplyNormalRules().andThen();
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

    private static List<Grant> grants(Set<Interaction> permitted, List<SmartScope> scopes, Optional<String> patient) {
        List<Grant> grants = new ArrayList<>();
        if (scopes.isEmpty()) {
            grants.add(new Grant("*", permitted, Optional.empty()));
            return grants;
        }
        for (SmartScope scope : scopes) {
            Set<Interaction> interactions = EnumSet.noneOf(Interaction.class);
            interactions.addAll(scope.interactions());
            interactions.retainAll(permitted);
            if (interactions.isEmpty()) {
                continue;
            }
            if (scope.context() == Context.PATIENT) {
                patient.ifPresent(id -> grants.add(new Grant(scope.resourceType(), interactions, Optional.of(id))));
            } else {
                grants.add(new Grant(scope.resourceType(), interactions, Optional.empty()));
            }
        }
        return grants;
    }

    private static IAuthRuleFinished target(IAuthRuleBuilderRuleOp op, Grant grant) {
        IAuthRuleBuilderRuleOpClassifier classifier =
                grant.allTypes() ? op.allResources() : op.resourcesOfType(grant.resourceType());
        return grant.patient()
                .<IAuthRuleFinished>map(id -> classifier.inCompartment("Patient", new IdType("Patient", id)))
                .orElseGet(classifier::withAnyId);
    }
}
