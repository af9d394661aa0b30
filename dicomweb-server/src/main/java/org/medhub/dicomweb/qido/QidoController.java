package org.medhub.dicomweb.qido;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.medhub.dicomweb.DicomwebProperties;
import org.medhub.dicomweb.deid.PatientIdentity;
import org.medhub.dicomweb.deid.ReadAccess;
import org.medhub.dicomweb.deid.ResearcherView;
import org.medhub.dicomweb.dicom.DicomObjects;
import org.medhub.dicomweb.index.DicomIndex;
import org.medhub.dicomweb.index.SearchRow;
import org.medhub.dicomweb.web.DicomJson;
import org.medhub.dicomweb.web.DicomwebAccess;
import org.medhub.dicomweb.web.DicomwebAccess.StudyRef;
import org.medhub.dicomweb.web.DicomwebErrors;
import org.medhub.dicomweb.web.InvalidQueryException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** QIDO-RS (PS3.18 10.6): study, series and instance searches, answered from the index. */
@RestController
public class QidoController {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final DicomIndex index;
    private final DicomwebAccess access;
    private final ReadAccess views;
    private final DicomwebProperties properties;

    public QidoController(DicomIndex index, DicomwebAccess access, ReadAccess views, DicomwebProperties properties) {
        this.index = index;
        this.access = access;
        this.views = views;
        this.properties = properties;
    }

    @GetMapping("/dicomweb/studies")
    public ResponseEntity<?> studies(HttpServletRequest request, @RequestParam MultiValueMap<String, String> query) {
        return search(request, QueryLevel.STUDY, query, Map.of());
    }

    @GetMapping("/dicomweb/series")
    public ResponseEntity<?> series(HttpServletRequest request, @RequestParam MultiValueMap<String, String> query) {
        return search(request, QueryLevel.SERIES, query, Map.of());
    }

    @GetMapping("/dicomweb/instances")
    public ResponseEntity<?> instances(HttpServletRequest request, @RequestParam MultiValueMap<String, String> query) {
        return search(request, QueryLevel.INSTANCE, query, Map.of());
    }

    @GetMapping("/dicomweb/studies/{study}/series")
    public ResponseEntity<?> seriesOfStudy(HttpServletRequest request, @PathVariable String study,
            @RequestParam MultiValueMap<String, String> query) {
        return search(request, QueryLevel.SERIES, query, Map.of(QueryAttribute.STUDY_INSTANCE_UID, study));
    }

    @GetMapping("/dicomweb/studies/{study}/instances")
    public ResponseEntity<?> instancesOfStudy(HttpServletRequest request, @PathVariable String study,
            @RequestParam MultiValueMap<String, String> query) {
        return search(request, QueryLevel.INSTANCE, query, Map.of(QueryAttribute.STUDY_INSTANCE_UID, study));
    }

    @GetMapping("/dicomweb/studies/{study}/series/{series}/instances")
    public ResponseEntity<?> instancesOfSeries(HttpServletRequest request, @PathVariable String study,
            @PathVariable String series, @RequestParam MultiValueMap<String, String> query) {
        Map<QueryAttribute, String> scope = new LinkedHashMap<>();
        scope.put(QueryAttribute.STUDY_INSTANCE_UID, study);
        scope.put(QueryAttribute.SERIES_INSTANCE_UID, series);
        return search(request, QueryLevel.INSTANCE, query, scope);
    }

    private ResponseEntity<?> search(HttpServletRequest request, QueryLevel level,
            MultiValueMap<String, String> parameters, Map<QueryAttribute, String> scope) {
        ResearcherView view = views.readView();
        QidoQuery query;
        try {
            MatchColumns columns = MatchColumns.INDEX;
            if (view != null) {
                // Pseudonymous UIDs stand for stored originals; the study's other keys are matched as the researcher sees them.
                parameters = view.originalQuery(parameters);
                scope = view.originalScope(scope);
                columns = researcherColumns(view.projectedColumns());
            }
            query = QidoQuery.parse(level, parameters, scope, properties.defaultQueryLimit(),
                    properties.maxQueryLimit(), DicomObjects::tagOf, columns);
        } catch (InvalidQueryException e) {
            access.audit(request, AuditEventAction.E, "search-type", false, List.of(), "400 " + e.getMessage());
            return DicomwebErrors.response(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        if (query.projected()) {
            view.refreshProjection(); // so that a study stored a moment ago is found
        }
        String base = DicomwebAccess.baseUrl(request);
        SearchRow.Page<Found> page = index.search(query.sql(), query.arguments(), query.limit(), row -> new Found(
                toDataset(row, query, base), row.text(QueryAttribute.STUDY_INSTANCE_UID.label()),
                row.text(QueryAttribute.PATIENT_ID.label()), row.text(QueryAttribute.ISSUER_OF_PATIENT_ID.label())));
        List<ObjectNode> results = new ArrayList<>();
        Map<String, StudyRef> studies = new LinkedHashMap<>();
        Map<String, PatientIdentity> identities = new HashMap<>();
        for (Found found : page.results()) {
            if (view != null) {
                // After the query: the projection reads the index too, and a row's own attributes may not name its patient.
                view.project(found.dataset(), identities.computeIfAbsent(found.studyUid(), view::identity));
            }
            results.add(found.dataset());
            studies.putIfAbsent(found.studyUid(), new StudyRef(found.patientId(), found.issuerOfPatientId(), found.studyUid()));
        }
        boolean more = page.more();
        access.audit(request, AuditEventAction.E, "search-type", true, studies.values(), null);
        ArrayNode body = JsonNodeFactory.instance.arrayNode();
        results.forEach(body::add);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().contentType(MediaType.parseMediaType(DicomJson.MEDIA_TYPE));
        if (more) {
            // PS3.18 8.3.4.4: tell the client there are more results to page through.
            response.header("Warning", "299 medhub \"There are additional results that can be requested\"");
        }
        return response.body(body);
    }

    /** One result of a search: its data set, and the study and patient it is about (for the audit record). */
    private record Found(ObjectNode dataset, String studyUid, String patientId, String issuerOfPatientId) {}

    private static MatchColumns researcherColumns(ResearcherView.ProjectedColumns projection) {
        Map<QueryAttribute, String> columns = new EnumMap<>(QueryAttribute.class);
        projection.columns().forEach((key, column) -> QueryAttribute.of(key).ifPresent(attribute -> columns.put(attribute, column)));
        return new MatchColumns(projection.join(), List.of(projection.argument()), columns);
    }

    private static ObjectNode toDataset(SearchRow row, QidoQuery query, String base) throws SQLException {
        ObjectNode dataset = DicomJson.dataset();
        for (QueryAttribute attribute : query.returned()) {
            String value = row.text(attribute.label());
            switch (attribute.vr) {
                case "IS", "US", "UL", "DS" -> DicomJson.number(dataset, attribute.tag, attribute.vr, value);
                default -> DicomJson.string(dataset, attribute.tag, attribute.vr, value);
            }
        }
        String url = base + "/studies/" + row.text(QueryAttribute.STUDY_INSTANCE_UID.label());
        if (query.level().includes(QueryLevel.SERIES)) {
            url += "/series/" + row.text(QueryAttribute.SERIES_INSTANCE_UID.label());
        }
        if (query.level() == QueryLevel.INSTANCE) {
            url += "/instances/" + row.text(QueryAttribute.SOP_INSTANCE_UID.label());
        }
        DicomJson.string(dataset, "00081190", "UR", url);
        if (!query.extraTags().isEmpty()) {
            String sample = row.text("sample_attributes");
            if (sample != null) {
                try {
                    JsonNode attributes = MAPPER.readTree(sample);
                    for (String tag : query.extraTags()) {
                        if (attributes.has(tag) && !dataset.has(tag)) {
                            dataset.set(tag, attributes.get(tag));
                        }
                    }
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("stored attributes are not JSON", e);
                }
            }
        }
        TreeMap<String, JsonNode> sorted = new TreeMap<>();
        dataset.fields().forEachRemaining(field -> sorted.put(field.getKey(), field.getValue()));
        ObjectNode ordered = DicomJson.dataset();
        sorted.forEach(ordered::set);
        return ordered;
    }
}
