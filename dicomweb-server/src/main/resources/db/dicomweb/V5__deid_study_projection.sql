-- The researcher's view of each study's matching keys (de-identification, PS3.15 Annex E): the
-- PatientName, PatientID, StudyDate, StudyDescription, ... a researcher sees, so that their QIDO-RS
-- searches match what they see and never an original value. The dates are stored shifted: the shift
-- is per patient, so a range on shifted dates cannot become one range on the real ones. Computed from
-- the index by the server (deid/StudyProjection): a row is recomputed when its study changed
-- (study.updated_at) or the view did (profile, key); it can be dropped and rebuilt at any time.
-- Person names are upper-cased, for case-insensitive matching with an index, as in table study.
CREATE TABLE deid_study (
    projection                text         NOT NULL,  -- project#key id#profile fingerprint
    study_uid                 varchar(64)  NOT NULL REFERENCES study (study_uid) ON DELETE CASCADE,
    source_updated_at         timestamptz  NOT NULL,  -- the study.updated_at the row was computed from
    patient_id                text,
    patient_name_upper        text,
    patient_birth_date        text,
    patient_sex               text,
    study_date                text,
    study_time                text,
    accession_number          text,
    study_id                  text,
    study_description         text,
    referring_physician_upper text,
    PRIMARY KEY (projection, study_uid)
);
CREATE INDEX deid_study_study ON deid_study (study_uid);
CREATE INDEX deid_study_patient_id ON deid_study (projection, patient_id);
CREATE INDEX deid_study_patient_name ON deid_study (projection, patient_name_upper text_pattern_ops);
CREATE INDEX deid_study_date ON deid_study (projection, study_date);

-- PatientID is matched on the projection now: deid_pseudonym's patient rows are read no more.
DELETE FROM deid_pseudonym WHERE kind = 'patient';
