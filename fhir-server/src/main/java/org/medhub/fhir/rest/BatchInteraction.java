package org.medhub.fhir.rest;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CapabilityStatement.SystemRestfulInteraction;

/**
 * Lists the {@code batch} system interaction in the CapabilityStatement. HAPI's system provider
 * serves batch bundles through its transaction endpoint (both are {@code POST [base]}) but
 * generates only {@code transaction}, so clients reading the statement would think batch missing.
 */
@Interceptor
final class BatchInteraction {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void declareBatch(IBaseConformance generated) {
        if (generated instanceof CapabilityStatement capabilities) {
            for (var rest : capabilities.getRest()) {
                boolean listed = rest.getInteraction().stream()
                        .anyMatch(interaction -> interaction.getCode() == SystemRestfulInteraction.BATCH);
                if (!listed) {
                    rest.addInteraction().setCode(SystemRestfulInteraction.BATCH);
                }
            }
        }
    }
}
