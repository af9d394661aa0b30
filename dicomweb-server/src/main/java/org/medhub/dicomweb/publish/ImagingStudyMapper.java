package org.medhub.dicomweb.publish;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy.ImagingStudySeriesComponent;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.medhub.dicomweb.index.PatientIdentifiers;

/**
 * Builds the FHIR transactions that publish a study. Every write is conditional on an identifier,
 * so that replaying a transaction changes nothing and two servers publishing the same study do not
 * create duplicates:
 * <ul>
 *   <li>Patient: created only if none has the identifier PatientID + issuer (a conditional create,
 *       not an update, so that a richer record from the EHR is linked, never overwritten by the
 *       few demographics a DICOM header carries);</li>
 *   <li>Endpoint: the DICOMweb base, one resource per server (conditional update);</li>
 *   <li>ImagingStudy: identifier {@code urn:dicom:uid|urn:oid:<StudyInstanceUID>} (conditional
 *       update, which HAPI makes a no-op when nothing changed).</li>
 * </ul>
 */
final class ImagingStudyMapper {

    static final String DICOM_UID_SYSTEM = "urn:dicom:uid";
    static final String DICOM_CODES = "http://dicom.nema.org/resources/ontology/DCM";
    static final String URI_SYSTEM = "urn:ietf:rfc:3986";
    static final String CONNECTION_TYPES = "http://terminology.hl7.org/CodeSystem/endpoint-connection-type";
    static final String ENDPOINT_SYSTEM = "urn:medhub:endpoint";
    static final String ENDPOINT_ID = "dicomweb";

    static final String IDENTIFIER_TYPES = "http://terminology.hl7.org/CodeSystem/v2-0203";

    private final PatientIdentifiers patientIdentifiers;
    private final Supplier<String> defaultAccessionSystem;
    private final Supplier<String> dicomwebBaseUrl;
    private final ZoneId zone;

    /**
     * @param defaultAccessionSystem the system of an AccessionNumber whose object names no issuer
     *     (resolved per use, like the DICOMweb base it may derive from)
     */
    ImagingStudyMapper(String defaultPatientSystem, Supplier<String> defaultAccessionSystem,
            Supplier<String> dicomwebBaseUrl, ZoneId zone) {
        this.patientIdentifiers = new PatientIdentifiers(defaultPatientSystem);
        this.defaultAccessionSystem = defaultAccessionSystem;
        this.dicomwebBaseUrl = dicomwebBaseUrl;
        this.zone = zone;
    }

    /** The transaction creating or updating the study's Patient, Endpoint and ImagingStudy. */
    Bundle publication(IndexedStudy study) {
        if (blank(study.patientId())) {
            throw new IllegalArgumentException("study " + study.studyUid() + " has no PatientID");
        }
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        Identifier patientIdentifier = patientIdentifier(study);
        Bundle.BundleEntryComponent patient = add(bundle, patient(study, patientIdentifier), HTTPVerb.POST, "Patient");
        patient.getRequest().setIfNoneExist("identifier=" + token(patientIdentifier));
        Endpoint endpoint = endpoint();
        String endpointUrl = add(bundle, endpoint, HTTPVerb.PUT, "Endpoint?identifier=" + token(endpoint.getIdentifierFirstRep()))
                .getFullUrl();
        ImagingStudy imagingStudy = imagingStudy(study, new Reference(patient.getFullUrl()), new Reference(endpointUrl));
        add(bundle, imagingStudy, HTTPVerb.PUT, "ImagingStudy?identifier=" + token(studyIdentifier(study.studyUid())));
        return bundle;
    }

    /**
     * The transaction withdrawing the published ImagingStudy of a study no longer stored: status
     * entered-in-error, no series, counts 0. An update rather than a delete, because deleting on
     * {@code /fhir} is for admins and the module's service account is a clinician; the Patient stays.
     * Storing the study again makes the same resource available again (same identifier).
     */
    Bundle withdrawal(ImagingStudy published) {
        ImagingStudy withdrawn = published.copy();
        withdrawn.setStatus(ImagingStudy.ImagingStudyStatus.ENTEREDINERROR);
        withdrawn.setSeries(null);
        withdrawn.setModality(null);
        withdrawn.setNumberOfSeries(0);
        withdrawn.setNumberOfInstances(0);
        withdrawn.setMeta(null);
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        add(bundle, withdrawn, HTTPVerb.PUT, "ImagingStudy/" + published.getIdElement().getIdPart());
        return bundle;
    }

    /** PatientID in the issuer's namespace ({@link PatientIdentifiers}). */
    Identifier patientIdentifier(IndexedStudy study) {
        return patientIdentifiers.of(study.patientId(), study.issuerOfPatientId());
    }

    /**
     * AccessionNumber in its issuer's namespace (Issuer of Accession Number Sequence, else the
     * configured default), typed ACSN (v2-0203): accession numbers are unique only within the
     * RIS that assigns them, so a bare value would claim to identify the study everywhere.
     */
    Identifier accessionIdentifier(IndexedStudy study) {
        Identifier identifier = new Identifier()
                .setSystem(PatientIdentifiers.system(study.issuerOfAccessionNumber(), defaultAccessionSystem.get()))
                .setValue(study.accessionNumber().trim());
        identifier.getType().addCoding(new Coding(IDENTIFIER_TYPES, "ACSN", "Accession ID"));
        return identifier;
    }

    static Identifier studyIdentifier(String studyUid) {
        return new Identifier().setSystem(DICOM_UID_SYSTEM).setValue("urn:oid:" + studyUid);
    }

    private Patient patient(IndexedStudy study, Identifier identifier) {
        Patient patient = new Patient();
        patient.addIdentifier(identifier);
        HumanName name = humanName(study.patientName());
        if (name != null) {
            patient.addName(name);
        }
        LocalDate birthDate = date(study.patientBirthDate());
        if (birthDate != null) {
            patient.setBirthDateElement(new DateType(birthDate.toString()));
        }
        if (!blank(study.patientSex())) {
            patient.setGender(switch (study.patientSex().trim().toUpperCase()) {
                case "M" -> AdministrativeGender.MALE;
                case "F" -> AdministrativeGender.FEMALE;
                case "O" -> AdministrativeGender.OTHER;
                default -> AdministrativeGender.UNKNOWN;
            });
        }
        return patient;
    }

    private Endpoint endpoint() {
        Endpoint endpoint = new Endpoint();
        endpoint.addIdentifier().setSystem(ENDPOINT_SYSTEM).setValue(ENDPOINT_ID);
        endpoint.setStatus(Endpoint.EndpointStatus.ACTIVE);
        endpoint.setName("MedHub DICOMweb");
        endpoint.setConnectionType(new Coding(CONNECTION_TYPES, "dicom-wado-rs", "DICOM WADO-RS"));
        endpoint.addPayloadType(new CodeableConcept().setText("DICOM"));
        endpoint.addPayloadMimeType("application/dicom");
        endpoint.setAddress(dicomwebBaseUrl.get());
        return endpoint;
    }

    ImagingStudy imagingStudy(IndexedStudy study, Reference subject, Reference endpoint) {
        ImagingStudy imaging = new ImagingStudy();
        imaging.addIdentifier(studyIdentifier(study.studyUid()));
        if (!blank(study.accessionNumber())) {
            imaging.addIdentifier(accessionIdentifier(study));
        }
        imaging.setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        imaging.setSubject(subject);
        imaging.addEndpoint(endpoint);
        DateTimeType started = started(study.studyDate(), study.studyTime());
        if (started != null) {
            imaging.setStartedElement(started);
        }
        if (!blank(study.studyDescription())) {
            imaging.setDescription(study.studyDescription().trim());
        }
        imaging.setNumberOfSeries(study.series().size());
        imaging.setNumberOfInstances(study.numberOfInstances());
        Set<String> modalities = new LinkedHashSet<>();
        for (IndexedStudy.Series series : study.series()) {
            ImagingStudySeriesComponent component = imaging.addSeries();
            component.setUid(series.seriesUid());
            String modality = blank(series.modality()) ? "OT" : series.modality().trim();
            if (AcquisitionModalities.isAcquisition(modality)) {
                modalities.add(modality);
            }
            component.setModality(new Coding(DICOM_CODES, modality, null));
            Integer number = integer(series.seriesNumber());
            if (number != null) {
                component.setNumber(number);
            }
            if (!blank(series.seriesDescription())) {
                component.setDescription(series.seriesDescription().trim());
            }
            component.setNumberOfInstances(series.instances().size());
            for (IndexedStudy.Instance instance : series.instances()) {
                var item = component.addInstance();
                item.setUid(instance.sopInstanceUid());
                item.setSopClass(new Coding(URI_SYSTEM, "urn:oid:" + instance.sopClassUid(), null));
                Integer instanceNumber = integer(instance.instanceNumber());
                if (instanceNumber != null) {
                    item.setNumber(instanceNumber);
                }
            }
        }
        // Study level: acquisition modalities only (CID 29, R4's binding); the series keep theirs.
        modalities.forEach(modality -> imaging.addModality(
                new Coding(DICOM_CODES, modality, AcquisitionModalities.meaning(modality))));
        return imaging;
    }

    /** PN (PS3.5 6.2): family^given^middle^prefix^suffix, the alphabetic group before any '='. */
    static HumanName humanName(String personName) {
        if (blank(personName)) {
            return null;
        }
        String[] parts = Arrays.copyOf(personName.split("=", -1)[0].split("\\^", -1), 5);
        HumanName name = new HumanName();
        if (!blank(parts[0])) {
            name.setFamily(parts[0].trim());
        }
        for (int i = 1; i <= 2; i++) {
            if (!blank(parts[i])) {
                name.addGiven(parts[i].trim());
            }
        }
        if (!blank(parts[3])) {
            name.addPrefix(parts[3].trim());
        }
        if (!blank(parts[4])) {
            name.addSuffix(parts[4].trim());
        }
        return name.isEmpty() ? null : name;
    }

    /**
     * DA + TM to a FHIR dateTime. DICOM times carry no offset (unless TimezoneOffsetFromUTC) while a
     * FHIR dateTime with a time needs one: they are taken as the server's zone.
     */
    DateTimeType started(String studyDate, String studyTime) {
        LocalDate date = date(studyDate);
        if (date == null) {
            return null;
        }
        LocalTime time = time(studyTime);
        if (time == null) {
            return new DateTimeType(date.toString());
        }
        DateTimeType started = new DateTimeType(Date.from(LocalDateTime.of(date, time).atZone(zone).toInstant()));
        started.setTimeZone(java.util.TimeZone.getTimeZone(zone));
        return started;
    }

    private static LocalDate date(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim(), DateTimeFormatter.BASIC_ISO_DATE);
        } catch (DateTimeParseException e) {
            return null; // a malformed date is left out rather than failing the publication
        }
    }

    private static LocalTime time(String value) {
        if (blank(value)) {
            return null;
        }
        String digits = value.trim().replace(":", "").split("\\.")[0];
        if (!digits.matches("\\d{2,6}") || digits.length() % 2 != 0) {
            return null;
        }
        digits = (digits + "0000").substring(0, 6);
        try {
            return LocalTime.parse(digits, DateTimeFormatter.ofPattern("HHmmss"));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Integer integer(String value) {
        if (blank(value)) {
            return null;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            return parsed >= 0 ? parsed : null; // unsignedInt in FHIR
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Bundle.BundleEntryComponent add(Bundle bundle, Resource resource, HTTPVerb method, String url) {
        Bundle.BundleEntryComponent entry = bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(resource);
        entry.getRequest().setMethod(method).setUrl(url);
        return entry;
    }

    /** A token search value; '|', ',' and '$' in it are escaped (FHIR search 3.2.1.5.7). */
    static String token(Identifier identifier) {
        return escape(identifier.getSystem()) + "|" + escape(identifier.getValue());
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
