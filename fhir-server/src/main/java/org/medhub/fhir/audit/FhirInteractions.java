package org.medhub.fhir.audit;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;

/** HAPI's operation types as BALP names them: a {@code restful-interaction} code and an action. */
final class FhirInteractions {

    private FhirInteractions() {}

    static String interaction(RestOperationTypeEnum type) {
        return switch (type) {
            case GET_PAGE -> "search-type";
            case EXTENDED_OPERATION_SERVER, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_INSTANCE -> "operation";
            case METADATA -> "capabilities";
            default -> type.getCode();
        };
    }

    static AuditEventAction action(RestOperationTypeEnum type) {
        return switch (type) {
            case READ, VREAD, HISTORY_INSTANCE -> AuditEventAction.R;
            case CREATE -> AuditEventAction.C;
            case UPDATE, PATCH -> AuditEventAction.U;
            case DELETE -> AuditEventAction.D;
            default -> AuditEventAction.E;
        };
    }

    static boolean isOperation(RestOperationTypeEnum type) {
        return type == RestOperationTypeEnum.EXTENDED_OPERATION_SERVER
                || type == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE
                || type == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE;
    }
}
