package org.medhub.dicomweb.dicom;

/**
 * What the index needs from one stored DICOM object: its identity, the QIDO-RS matching keys and
 * return attributes of the patient, study, series and instance levels, and the image geometry.
 * Values are as encoded (trailing padding removed); absent attributes are null.
 *
 * @param issuerOfAccessionNumber the first item of the Issuer of Accession Number Sequence
 *     (0008,0051) as one string: {@code urn:oid:}, {@code urn:uuid:} or the URI itself for a
 *     Universal Entity ID of type ISO, UUID or URI (PS3.3 10.14, HL7 v2 HD), else its Local
 *     Namespace Entity ID, else the Universal Entity ID as written
 * @param attributesJson the top-level attributes without bulk data and sequences, in the PS3.18
 *     Annex F JSON model (for QIDO-RS {@code includefield} of attributes the index has no column for)
 */
public record ParsedInstance(
        String studyUid,
        String seriesUid,
        String sopInstanceUid,
        String sopClassUid,
        String transferSyntaxUid,
        String patientId,
        String issuerOfPatientId,
        String patientName,
        String patientBirthDate,
        String patientSex,
        String studyDate,
        String studyTime,
        String accessionNumber,
        String issuerOfAccessionNumber,
        String studyId,
        String studyDescription,
        String referringPhysicianName,
        String modality,
        String seriesNumber,
        String seriesDescription,
        String seriesDate,
        String seriesTime,
        String performedStartDate,
        String performedStartTime,
        String instanceNumber,
        Integer rows,
        Integer columns,
        Integer numberOfFrames,
        Integer bitsAllocated,
        String attributesJson) {}
