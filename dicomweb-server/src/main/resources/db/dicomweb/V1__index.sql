-- The DICOMweb index: one row per study, series and instance, with the QIDO-RS matching keys
-- (PS3.18 Table 10.6.1-5) as columns. Person names are also kept upper-cased for case-insensitive
-- wildcard matching with an index. Attribute values are text: objects from the field exceed the
-- standard's lengths, and a stored object must not fail on that.

CREATE TABLE study (
    study_uid                 varchar(64)  PRIMARY KEY,
    patient_id                text,
    issuer_of_patient_id      text,
    patient_name              text,
    patient_name_upper        text,
    patient_birth_date        text,
    patient_sex               text,
    study_date                text,
    study_time                text,
    accession_number          text,
    study_id                  text,
    study_description         text,
    referring_physician_name  text,
    referring_physician_upper text,
    created_at                timestamptz  NOT NULL DEFAULT now(),
    updated_at                timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX study_patient_id ON study (patient_id);
CREATE INDEX study_patient_name ON study (patient_name_upper text_pattern_ops);
CREATE INDEX study_date ON study (study_date);
CREATE INDEX study_accession ON study (accession_number);
CREATE INDEX study_referring ON study (referring_physician_upper text_pattern_ops);

CREATE TABLE series (
    series_uid         varchar(64) PRIMARY KEY,
    study_uid          varchar(64) NOT NULL REFERENCES study (study_uid) ON DELETE CASCADE,
    modality           text,
    series_number      text,
    series_description text,
    series_date        text,
    series_time        text,
    performed_start_date text,
    performed_start_time text
);
CREATE INDEX series_study ON series (study_uid);
CREATE INDEX series_modality ON series (modality);

CREATE TABLE instance (
    sop_instance_uid    varchar(64)  PRIMARY KEY,
    series_uid          varchar(64)  NOT NULL REFERENCES series (series_uid) ON DELETE CASCADE,
    study_uid           varchar(64)  NOT NULL REFERENCES study (study_uid) ON DELETE CASCADE,
    sop_class_uid       varchar(64)  NOT NULL,
    instance_number     text,
    transfer_syntax_uid varchar(64)  NOT NULL,
    rows                integer,
    columns             integer,
    number_of_frames    integer,
    bits_allocated      integer,
    storage_key         varchar(200) NOT NULL UNIQUE,
    size_bytes          bigint       NOT NULL,
    sha256              char(64)     NOT NULL,
    -- The instance's top-level attributes without bulk data, in the PS3.18 JSON model, for
    -- QIDO-RS includefield of attributes that have no column.
    attributes          jsonb        NOT NULL,
    stored_at           timestamptz  NOT NULL DEFAULT now()
);
CREATE INDEX instance_series ON instance (series_uid);
CREATE INDEX instance_study ON instance (study_uid);
CREATE INDEX instance_sop_class ON instance (sop_class_uid);
