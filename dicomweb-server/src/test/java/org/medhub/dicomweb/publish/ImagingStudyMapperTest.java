package org.medhub.dicomweb.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.time.ZoneId;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.medhub.platform.testing.conformance.R4Conformance;

class ImagingStudyMapperTest {

    static final String STUDY = "1.2.826.0.1.3680043.8.498.1";
    static final IndexedStudy CT = new IndexedStudy(STUDY, "MRN-7", null, "Doe^Jane^Q^Dr^III", "19700215", "F",
            "20240131", "134501.123", "ACC-1", null, "CT head", List.of(
                    new IndexedStudy.Series("1.2.3.1", "CT", "2", "axial", List.of(
                            new IndexedStudy.Instance("1.2.3.1.1", "1.2.840.10008.5.1.4.1.1.2", "1"),
                            new IndexedStudy.Instance("1.2.3.1.2", "1.2.840.10008.5.1.4.1.1.2", "2"))),
                    new IndexedStudy.Series("1.2.3.2", "SR", "x", null, List.of(
                            new IndexedStudy.Instance("1.2.3.2.1", "1.2.840.10008.5.1.4.1.1.88.11", null)))));

    final ImagingStudyMapper mapper = new ImagingStudyMapper("urn:example:mrn",
            () -> "https://pacs.example/dicomweb/accession-number", () -> "https://pacs.example/dicomweb",
            ZoneId.of("Europe/Berlin"));

    @Test
    void publicationCreatesThePatientOnlyIfAbsentAndUpdatesEndpointAndStudyByIdentifier() {
        Bundle bundle = mapper.publication(CT);

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).extracting(e -> e.getRequest().getMethod())
                .containsExactly(HTTPVerb.POST, HTTPVerb.PUT, HTTPVerb.PUT);
        BundleEntryComponent patient = bundle.getEntry().get(0);
        assertThat(patient.getRequest().getIfNoneExist()).isEqualTo("identifier=urn:example:mrn|MRN-7");
        assertThat(bundle.getEntry().get(1).getRequest().getUrl()).isEqualTo("Endpoint?identifier=urn:medhub:endpoint|dicomweb");
        assertThat(bundle.getEntry().get(2).getRequest().getUrl())
                .isEqualTo("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + STUDY);
        ImagingStudy study = (ImagingStudy) bundle.getEntry().get(2).getResource();
        assertThat(study.getSubject().getReference()).isEqualTo(patient.getFullUrl()).startsWith("urn:uuid:");
        assertThat(study.getEndpointFirstRep().getReference()).isEqualTo(bundle.getEntry().get(1).getFullUrl());
    }

    @Test
    void patientCarriesIdentifierAndTheDemographicsOfTheHeader() {
        Patient patient = (Patient) mapper.publication(CT).getEntry().get(0).getResource();

        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo("urn:example:mrn");
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("MRN-7");
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Doe");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jane Q");
        assertThat(patient.getNameFirstRep().getPrefixAsSingleString()).isEqualTo("Dr");
        assertThat(patient.getNameFirstRep().getSuffixAsSingleString()).isEqualTo("III");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1970-02-15");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.FEMALE);
    }

    @Test
    void issuerOfPatientIdIsTheSystemWhenItIsAUriAndAUrnOtherwise() {
        assertThat(mapper.patientIdentifier(withIssuer("http://hospital.example/mrn")).getSystem())
                .isEqualTo("http://hospital.example/mrn");
        assertThat(mapper.patientIdentifier(withIssuer("ST MARY'S")).getSystem())
                .isEqualTo("urn:medhub:dicom-issuer:ST+MARY%27S");
        assertThat(mapper.patientIdentifier(withIssuer(" ")).getSystem()).isEqualTo("urn:example:mrn");
    }

    @Test
    void imagingStudyHasSeriesInstancesCountsAndModalities() {
        ImagingStudy study = (ImagingStudy) mapper.publication(CT).getEntry().get(2).getResource();

        assertThat(study.getIdentifier()).anySatisfy(id -> {
            assertThat(id.getSystem()).isEqualTo("urn:dicom:uid");
            assertThat(id.getValue()).isEqualTo("urn:oid:" + STUDY);
        });
        assertThat(study.getIdentifier()).anySatisfy(id -> {
            assertThat(id.getType().getCodingFirstRep().getCode()).isEqualTo("ACSN");
            assertThat(id.getValue()).isEqualTo("ACC-1");
        });
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(study.getStartedElement().getValueAsString()).isEqualTo("2024-01-31T13:45:01+01:00");
        assertThat(study.getNumberOfSeries()).isEqualTo(2);
        assertThat(study.getNumberOfInstances()).isEqualTo(3);
        assertThat(study.getModality()).as("SR is no acquisition modality").extracting(c -> c.getCode())
                .containsExactly("CT");
        ImagingStudy.ImagingStudySeriesComponent ct = study.getSeriesFirstRep();
        assertThat(ct.getUid()).isEqualTo("1.2.3.1");
        assertThat(ct.getModality().getSystem()).isEqualTo("http://dicom.nema.org/resources/ontology/DCM");
        assertThat(ct.getNumber()).isEqualTo(2);
        assertThat(ct.getNumberOfInstances()).isEqualTo(2);
        assertThat(ct.getInstanceFirstRep().getSopClass().getCode()).isEqualTo("urn:oid:1.2.840.10008.5.1.4.1.1.2");
        assertThat(ct.getInstanceFirstRep().getSopClass().getSystem()).isEqualTo("urn:ietf:rfc:3986");
        assertThat(ct.getInstance()).extracting(i -> i.getNumber()).containsExactly(1, 2);
        ImagingStudy.ImagingStudySeriesComponent sr = study.getSeries().get(1);
        assertThat(sr.hasNumber()).as("SeriesNumber 'x' is not a number").isFalse();
        assertThat(sr.getInstanceFirstRep().hasNumber()).isFalse();
    }

    @Test
    void theStudyListsOnlyAcquisitionModalitiesOfCid29AndEachSeriesKeepsItsOwn() {
        IndexedStudy radiotherapy = new IndexedStudy(STUDY, "MRN-7", null, null, null, null, null, null, null, null,
                null, List.of(series("1", "CT"), series("2", "RTDOSE"), series("3", "RTPLAN"), series("4", "SEG"),
                        series("5", "OT"), series("6", null), series("7", "MR"), series("8", "CT"), series("9", "SR")));

        ImagingStudy study = (ImagingStudy) mapper.publication(radiotherapy).getEntry().get(2).getResource();

        assertThat(study.getModality()).extracting(c -> c.getSystem() + "|" + c.getCode() + "|" + c.getDisplay())
                .containsExactly("http://dicom.nema.org/resources/ontology/DCM|CT|Computed Tomography",
                        "http://dicom.nema.org/resources/ontology/DCM|MR|Magnetic Resonance");
        assertThat(study.getSeries()).extracting(s -> s.getModality().getCode())
                .containsExactly("CT", "RTDOSE", "RTPLAN", "SEG", "OT", "OT", "MR", "CT", "SR");
        assertThat(AcquisitionModalities.size()).isEqualTo(44);
        assertThat(List.of("OT", "SR", "SEG", "RTDOSE", "RTPLAN", "RTSTRUCT", "KO", "PR", "DOC", "REG"))
                .noneMatch(AcquisitionModalities::isAcquisition);
        assertThat(List.of("CR", "CT", "DX", "MG", "MR", "NM", "PT", "US", "XA", "RTIMAGE", "SM", "OPT"))
                .allMatch(AcquisitionModalities::isAcquisition);
    }

    @Test
    void theAccessionNumberIsTypedAcsnInItsIssuersNamespaceOrTheInstallationsDefault() {
        assertThat(accession(null)).isEqualTo(
                "https://pacs.example/dicomweb/accession-number|ACC-1|http://terminology.hl7.org/CodeSystem/v2-0203|ACSN");
        assertThat(accession("urn:oid:1.2.3.4")).isEqualTo("urn:oid:1.2.3.4|ACC-1|http://terminology.hl7.org/CodeSystem/v2-0203|ACSN");
        assertThat(accession("RIS EAST")).startsWith("urn:medhub:dicom-issuer:RIS+EAST|ACC-1|");
    }

    @Test
    void publishedPatientImagingStudyAndEndpointConformToR4() {
        IndexedStudy withIssuers = new IndexedStudy(STUDY, "MRN-7", "urn:oid:1.2.3.9", "Doe^Jane", "19700215", "F",
                "20240131", "134501", "ACC-1", "urn:oid:1.2.3.4", "CT head", List.of(series("1", "CT"), series("2", "SEG")));
        for (BundleEntryComponent entry : mapper.publication(withIssuers).getEntry()) {
            assertThat(R4Conformance.shared().errors(entry.getResource())).as(entry.getResource().fhirType()).isEmpty();
        }
        for (BundleEntryComponent entry : mapper.publication(CT).getEntry()) {
            assertThat(R4Conformance.shared().errors(entry.getResource())).as(entry.getResource().fhirType()).isEmpty();
        }
        ImagingStudy withoutStatus = (ImagingStudy) mapper.publication(CT).getEntry().get(2).getResource();
        withoutStatus.setStatus(null);
        assertThat(R4Conformance.shared().errors(withoutStatus)).as("the validator sees a missing status").isNotEmpty();
    }

    private String accession(String issuer) {
        IndexedStudy study = new IndexedStudy(STUDY, "MRN-7", null, null, null, null, null, null, "ACC-1", issuer, null,
                CT.series());
        ImagingStudy imaging = (ImagingStudy) mapper.publication(study).getEntry().get(2).getResource();
        org.hl7.fhir.r4.model.Identifier id = imaging.getIdentifier().stream()
                .filter(i -> i.getType().hasCoding()).findFirst().orElseThrow();
        return id.getSystem() + "|" + id.getValue() + "|" + id.getType().getCodingFirstRep().getSystem() + "|"
                + id.getType().getCodingFirstRep().getCode();
    }

    private static IndexedStudy.Series series(String number, String modality) {
        return new IndexedStudy.Series("1.2.3." + number, modality, number, null,
                List.of(new IndexedStudy.Instance("1.2.3." + number + ".1", "1.2.840.10008.5.1.4.1.1.2", "1")));
    }

    @Test
    void endpointPointsAtDicomwebWithTheWadoRsConnectionType() {
        Endpoint endpoint = (Endpoint) mapper.publication(CT).getEntry().get(1).getResource();

        assertThat(endpoint.getAddress()).isEqualTo("https://pacs.example/dicomweb");
        assertThat(endpoint.getConnectionType().getCode()).isEqualTo("dicom-wado-rs");
        assertThat(endpoint.getConnectionType().getSystem())
                .isEqualTo("http://terminology.hl7.org/CodeSystem/endpoint-connection-type");
        assertThat(endpoint.getStatus()).isEqualTo(Endpoint.EndpointStatus.ACTIVE);
        assertThat(endpoint.getPayloadType()).isNotEmpty();
    }

    @Test
    void malformedOrMissingDatesAndTimesAreLeftOutOrCoarser() {
        assertThat(mapper.started("20240131", null).getValueAsString()).isEqualTo("2024-01-31");
        assertThat(mapper.started("20240131", "1345").getValueAsString()).isEqualTo("2024-01-31T13:45:00+01:00");
        assertThat(mapper.started("2024-1-31", "1345")).isNull();
        assertThat(mapper.started("20240131", "99")).as("hour 99").extracting(t -> t.getValueAsString()).isEqualTo("2024-01-31");
        IndexedStudy bare = new IndexedStudy(STUDY, "P", null, null, "unknown", "X", null, null, null, null, null, CT.series());
        Patient patient = (Patient) mapper.publication(bare).getEntry().get(0).getResource();
        assertThat(patient.hasName()).isFalse();
        assertThat(patient.hasBirthDate()).isFalse();
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.UNKNOWN);
    }

    @Test
    void theBundleIsValidFhirJson() {
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(mapper.publication(CT));
        Bundle parsed = FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, json);
        assertThat(parsed.getEntry()).hasSize(3);
    }

    @Test
    void withdrawalMarksThePublishedStudyEnteredInErrorWithoutSeriesAndKeepsItsSubject() {
        ImagingStudy published = (ImagingStudy) mapper.publication(CT).getEntry().get(2).getResource();
        published.setId("ImagingStudy/42/_history/3");
        published.setSubject(new org.hl7.fhir.r4.model.Reference("Patient/7"));

        Bundle bundle = mapper.withdrawal(published);

        assertThat(bundle.getEntry()).singleElement().satisfies(entry -> {
            assertThat(entry.getRequest().getMethod()).isEqualTo(HTTPVerb.PUT);
            assertThat(entry.getRequest().getUrl()).isEqualTo("ImagingStudy/42");
            ImagingStudy withdrawn = (ImagingStudy) entry.getResource();
            assertThat(withdrawn.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.ENTEREDINERROR);
            assertThat(withdrawn.getSeries()).isEmpty();
            assertThat(withdrawn.getModality()).isEmpty();
            assertThat(withdrawn.getNumberOfInstances()).isZero();
            assertThat(withdrawn.getSubject().getReference()).isEqualTo("Patient/7");
            assertThat(withdrawn.getIdentifierFirstRep().getValue()).isEqualTo("urn:oid:" + STUDY);
        });
        assertThat(published.getSeries()).as("the input is left as it was").hasSize(2);
    }

    @Test
    void aStudyWithoutPatientIdCannotBePublished() {
        IndexedStudy anonymous = new IndexedStudy(STUDY, " ", null, null, null, null, null, null, null, null, null, CT.series());
        assertThatThrownBy(() -> mapper.publication(anonymous)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tokenSearchValuesAreEscaped() {
        assertThat(ImagingStudyMapper.token(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:a").setValue("x|y,z$")))
                .isEqualTo("urn:a|x\\|y\\,z\\$");
    }

    @Test
    void retryableStatusesAreTheOnesNotAboutTheContent() {
        assertThat(List.of(0, 401, 403, 404, 408, 429, 500, 503)).allMatch(FhirPublisher::retryable);
        assertThat(List.of(400, 409, 412, 422)).noneMatch(FhirPublisher::retryable);
    }

    private static IndexedStudy withIssuer(String issuer) {
        return new IndexedStudy(STUDY, "MRN-7", issuer, null, null, null, null, null, null, null, null, CT.series());
    }
}
