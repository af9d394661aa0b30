-- Pseudonyms of the researcher's view (de-identification, PS3.15 Annex E), for mapping a
-- researcher's query by pseudonymous values back to the stored originals. The pseudonyms
-- themselves are keyed HMACs (computed, not stored state): this table only indexes them, is filled
-- from the index as needed and can be dropped and rebuilt at any time with the same key.
CREATE TABLE deid_pseudonym (
    namespace text NOT NULL,  -- the profile's project
    kind      text NOT NULL,  -- 'uid' or 'patient'
    pseudonym text NOT NULL,
    original  text NOT NULL,  -- a UID, or the patient key (PatientID^issuer)
    PRIMARY KEY (namespace, kind, pseudonym)
);
CREATE UNIQUE INDEX deid_pseudonym_original ON deid_pseudonym (namespace, kind, original);
