package org.medhub.dicomweb.publish;

import java.util.List;

/**
 * A study as the index holds it, with what FHIR ImagingStudy needs. Attribute values are as
 * stored (DICOM strings), possibly null.
 *
 * @param issuerOfAccessionNumber the issuer from the Issuer of Accession Number Sequence: a URI
 *     for a universal ID of type ISO, UUID or URI, else the local namespace ID; null when absent
 */
record IndexedStudy(
        String studyUid,
        String patientId,
        String issuerOfPatientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        String studyDate,
        String studyTime,
        String accessionNumber,
        String issuerOfAccessionNumber,
        String studyDescription,
        List<Series> series) {

    record Series(String seriesUid, String modality, String seriesNumber, String seriesDescription,
            List<Instance> instances) {}

    record Instance(String sopInstanceUid, String sopClassUid, String instanceNumber) {}

    int numberOfInstances() {
        return series.stream().mapToInt(s -> s.instances().size()).sum();
    }
}
