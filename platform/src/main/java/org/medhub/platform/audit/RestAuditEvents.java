package org.medhub.platform.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventEntityComponent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.StringType;
import org.medhub.platform.web.PublicBaseUrl;

/**
 * Builds AuditEvents for HTTP requests in the shape of IHE Basic Audit Log Patterns (BALP) RESTful
 * events, the same shape HAPI's BALP interceptor gives the FHIR server's records: type {@code rest},
 * a {@code restful-interaction} subtype, three agents (the client application with the source IP,
 * this server, and the user as requestor) and entities naming what was asked for.
 *
 * <p>Modules call {@link #denied} for requests they refuse, and {@link #forRequest} plus the
 * {@code add...Entity} methods to describe accesses of their own (DICOMweb, ML, CDS), then hand the
 * event to {@link AuditTrail#record}.
 */
public final class RestAuditEvents {

    public static final String AUDIT_EVENT_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    public static final String RESTFUL_INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    public static final String ENTITY_TYPE_SYSTEM = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    public static final String OBJECT_ROLE_SYSTEM = "http://terminology.hl7.org/CodeSystem/object-role";
    /** {@code AuditEvent.agent.role} codings of the user's realm roles (admin, clinician, ...). */
    public static final String ROLE_SYSTEM = "urn:medhub:role";

    private static final String DICOM_SYSTEM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String PARTICIPATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
    private static final Coding SOURCE_ROLE = new Coding(DICOM_SYSTEM, "110153", "Source Role ID");
    private static final Coding DESTINATION_ROLE = new Coding(DICOM_SYSTEM, "110152", "Destination Role ID");
    private static final Coding APPLICATION = new Coding(DICOM_SYSTEM, "110150", "Application");
    private static final Coding CUSTODIAN = new Coding(
            "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "custodian", "Custodian");
    private static final Coding INFORMATION_RECIPIENT = new Coding(PARTICIPATION_SYSTEM, "IRCP", "information recipient");
    private static final Coding AUTHOR = new Coding(PARTICIPATION_SYSTEM, "AUT", "author (originator)");
    /** Tokens in a query string must not end up in the audit log. */
    private static final Pattern ACCESS_TOKEN = Pattern.compile("(?i)(^|&)(access_token)=[^&]*");

    private RestAuditEvents() {}

    /**
     * The record of a request the server refused with 401 or 403 (or another 4xx), for example from
     * Spring Security's {@code AuthenticationEntryPoint} or {@code AccessDeniedHandler}: type
     * {@code rest}, subtype from the HTTP method ({@code GET} → {@code read}, {@code POST} →
     * {@code create}, {@code PUT} → {@code update}, {@code PATCH} → {@code patch}, {@code DELETE} →
     * {@code delete}, others → {@code operation}), outcome 4 (minor failure) with the status in
     * {@code outcomeDesc}, the user and client of {@link AuditActor#current()} (anonymous when the
     * token was missing or rejected), the source IP, and the request's method and URL (with query;
     * {@code access_token} parameters redacted) as entity.
     */
    public static AuditEvent denied(HttpServletRequest request, int status) {
        return denied(request, status, AuditActor.current());
    }

    /** {@link #denied(HttpServletRequest, int)} with the actor given. */
    public static AuditEvent denied(HttpServletRequest request, int status, AuditActor actor) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        AuditEvent event = forRequest(
                request, actor, interactionOf(method), actionOf(method), AuditEventOutcome._4);
        event.setOutcomeDesc(status == 401 ? "401 Unauthorized" : status == 403 ? "403 Forbidden" : "HTTP " + status);
        addRequestEntity(event, request);
        return event;
    }

    /**
     * The {@linkplain #deniedSummary client address} of a summary that counts the denials of all
     * addresses beyond the ones told apart.
     */
    public static final String OTHER_CLIENTS = "other addresses";

    /** {@code AuditEvent.entity.detail.type} of a summary's count of denied requests. */
    public static final String DENIED_COUNT = "denied-requests";

    /**
     * The record of {@code count} unauthenticated requests refused from one client address in one
     * window, written instead of one event each: type DICOM 110113 Security Alert (DICOM PS3.15
     * A.5.3.11), action E, outcome 4, {@code period} the window, {@code outcomeDesc} "N denied requests from A
     * in window W", the anonymous client agent with the address, and an entity whose detail
     * {@value #DENIED_COUNT} carries the count.
     */
    public static AuditEvent deniedSummary(String address, long count, Instant start, Instant end, Duration window) {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(DICOM_SYSTEM).setCode("110113").setDisplay("Security Alert");
        event.setAction(AuditEventAction.E);
        event.setOutcome(AuditEventOutcome._4);
        String summary = count + " denied requests from " + address + " in window " + window + " (" + start + " to "
                + end + "), beyond those recorded one by one";
        event.setOutcomeDesc(summary);
        event.getPeriod().setStart(Date.from(start)).setEnd(Date.from(end));
        event.setRecorded(new Date());
        event.getSource().getObserver().setDisplay("medhub");
        AuditEventAgentComponent client = event.addAgent();
        client.getType().addCoding(SOURCE_ROLE.copy());
        client.setRequestor(true);
        describeUser(client, AuditActor.anonymous());
        client.getNetwork().setAddress(address).setType(AuditEventAgentNetworkType._2);
        AuditEventEntityComponent entity = event.addEntity();
        entity.getType().setSystem(ENTITY_TYPE_SYSTEM).setCode("2").setDisplay("System Object");
        entity.setDescription(summary);
        entity.addDetail().setType(DENIED_COUNT).setValue(new StringType(Long.toString(count)));
        return event;
    }

    /**
     * The common part of a RESTful event: type, subtype ({@code restful-interaction} code such as
     * {@code read}, {@code search-type}, {@code create}, {@code operation}), action, outcome, time,
     * observer, and the client, server and user agents. Add entities for what was accessed.
     */
    public static AuditEvent forRequest(
            HttpServletRequest request,
            AuditActor actor,
            String interaction,
            AuditEventAction action,
            AuditEventOutcome outcome) {
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(AUDIT_EVENT_TYPE_SYSTEM).setCode("rest").setDisplay("Restful Operation");
        event.addSubtype().setSystem(RESTFUL_INTERACTION_SYSTEM).setCode(interaction).setDisplay(interaction);
        event.setAction(action);
        event.setOutcome(outcome);
        event.setRecorded(new Date());
        String server = serverBase(request);
        event.getSource().getObserver().setDisplay(server);

        AuditEventAgentComponent client = event.addAgent();
        client.setWho(actor.clientReference());
        client.getNetwork().setAddress(request.getRemoteAddr()).setType(AuditEventAgentNetworkType._2);
        client.setRequestor(false);

        AuditEventAgentComponent serverAgent = event.addAgent();
        serverAgent.getWho().setDisplay(server);
        serverAgent.getNetwork().setAddress(server).setType(AuditEventAgentNetworkType._5);
        serverAgent.setRequestor(false);

        AuditEventAgentComponent user = event.addAgent();
        user.setRequestor(true);
        describeUser(user, actor);
        shapeAgents(event);
        return event;
    }

    /**
     * Gives the agents of a RESTful event (client, server, then the requesting user; HAPI's BALP
     * interceptor orders them the same way) the types IHE BALP 1.1 requires for the event's action,
     * replacing any they had: read: client 110152 Destination, server 110153 Source, user IRCP;
     * create and update: client 110153 Source, server 110152 Destination, user AUT (BALP's
     * DataSources: author, informant or custodian); delete: client 110150 Application, server
     * custodian, user AUT, and no {@code altId} (BALP Delete forbids it); search and anything else:
     * client 110153, server 110152, user IRCP (DICOM's query convention that BALP Query follows).
     * Call it again after changing the action.
     */
    public static void shapeAgents(AuditEvent event) {
        AuditEventAction action = event.getAction();
        Coding clientType;
        Coding serverType;
        Coding userType;
        switch (action == null ? AuditEventAction.E : action) {
            case R -> {
                clientType = DESTINATION_ROLE;
                serverType = SOURCE_ROLE;
                userType = INFORMATION_RECIPIENT;
            }
            case C, U -> {
                clientType = SOURCE_ROLE;
                serverType = DESTINATION_ROLE;
                userType = AUTHOR;
            }
            case D -> {
                clientType = APPLICATION;
                serverType = CUSTODIAN;
                userType = AUTHOR;
            }
            default -> {
                clientType = SOURCE_ROLE;
                serverType = DESTINATION_ROLE;
                userType = INFORMATION_RECIPIENT;
            }
        }
        int machines = 0;
        for (AuditEventAgentComponent agent : event.getAgent()) {
            Coding type;
            if (agent.getRequestor()) {
                type = userType;
                if (action == AuditEventAction.D) {
                    agent.setAltId(null);
                }
            } else {
                type = machines++ == 0 ? clientType : serverType;
            }
            agent.getType().getCoding().clear();
            agent.getType().addCoding(type.copy());
        }
    }

    /**
     * Fills the user agent: who (by user name), the stable subject id as {@code altId}, and the realm
     * roles held as {@code role} codings ({@link #ROLE_SYSTEM}).
     */
    public static void describeUser(AuditEventAgentComponent agent, AuditActor actor) {
        agent.setWho(actor.userReference());
        agent.setName(actor.user());
        if (actor.subject() != null) {
            agent.setAltId(actor.subject());
        }
        for (String role : actor.roles()) {
            agent.addRole().addCoding().setSystem(ROLE_SYSTEM).setCode(role);
        }
    }

    /**
     * The request itself as entity: for reads (GET, HEAD) a BALP query entity (role 24) whose
     * {@code query} is the full URL; otherwise an entity named by the URL. The description is
     * {@code METHOD URL} either way.
     */
    public static AuditEventEntityComponent addRequestEntity(AuditEvent event, HttpServletRequest request) {
        String method = request.getMethod().toUpperCase(Locale.ROOT);
        String url = requestUrl(request);
        AuditEventEntityComponent entity = event.addEntity();
        entity.getType().setSystem(ENTITY_TYPE_SYSTEM).setCode("2").setDisplay("System Object");
        if (method.equals("GET") || method.equals("HEAD")) {
            entity.getRole().setSystem(OBJECT_ROLE_SYSTEM).setCode("24").setDisplay("Query");
            entity.setQuery(url.getBytes(StandardCharsets.UTF_8));
        } else {
            entity.setName(url);
        }
        entity.setDescription(method + " " + url);
        return entity;
    }

    /** The patient whose data was accessed (BALP: type 1 person, role 1 patient), e.g. {@code Patient/123}. */
    public static AuditEventEntityComponent addPatientEntity(AuditEvent event, String patientReference) {
        AuditEventEntityComponent entity = event.addEntity();
        entity.getType().setSystem(ENTITY_TYPE_SYSTEM).setCode("1").setDisplay("Person");
        entity.getRole().setSystem(OBJECT_ROLE_SYSTEM).setCode("1").setDisplay("Patient");
        entity.getWhat().setReference(patientReference);
        return entity;
    }

    /** A resource that was accessed (BALP: type 2 system object, role 4 domain resource), e.g. {@code ImagingStudy/9}. */
    public static AuditEventEntityComponent addDataEntity(AuditEvent event, String resourceReference) {
        AuditEventEntityComponent entity = event.addEntity();
        entity.getType().setSystem(ENTITY_TYPE_SYSTEM).setCode("2").setDisplay("System Object");
        entity.getRole().setSystem(OBJECT_ROLE_SYSTEM).setCode("4").setDisplay("Domain Resource");
        entity.getWhat().setReference(resourceReference);
        return entity;
    }

    static String interactionOf(String method) {
        return switch (method) {
            case "GET", "HEAD" -> "read";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "operation";
        };
    }

    static AuditEventAction actionOf(String method) {
        return switch (method) {
            case "GET", "HEAD" -> AuditEventAction.R;
            case "POST" -> AuditEventAction.C;
            case "PUT", "PATCH" -> AuditEventAction.U;
            case "DELETE" -> AuditEventAction.D;
            default -> AuditEventAction.E;
        };
    }

    static String requestUrl(HttpServletRequest request) {
        StringBuilder url = new StringBuilder(request.getRequestURL());
        String query = request.getQueryString();
        if (query != null && !query.isEmpty()) {
            url.append('?').append(ACCESS_TOKEN.matcher(query).replaceAll("$1$2=REDACTED"));
        }
        return url.toString();
    }

    /** The configured public base URL; the request's own idea (from its Host header) only outside the web stack. */
    private static String serverBase(HttpServletRequest request) {
        if (request.getAttribute(PublicBaseUrl.ATTRIBUTE) instanceof PublicBaseUrl base) {
            return base.base();
        }
        String scheme = request.getScheme();
        int port = request.getServerPort();
        boolean defaultPort = (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + request.getServerName() + (defaultPort || port <= 0 ? "" : ":" + port)
                + request.getContextPath();
    }
}
