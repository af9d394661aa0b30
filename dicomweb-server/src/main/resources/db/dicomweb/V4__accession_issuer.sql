-- The issuer of a study's accession number (Issuer of Accession Number Sequence, 0008,0051), so
-- that the published ImagingStudy names the namespace of its accession identifier. Studies indexed
-- before this version have none recorded (the default system applies) until stored again.
ALTER TABLE study ADD COLUMN issuer_of_accession_number text;

-- Publish every stored study once more: the publication now gives the accession identifier a
-- system and lists only acquisition modalities (CID 29) at study level, and what was published
-- before must not keep the old form. Replays are harmless (every write is conditional).
UPDATE change_feed_checkpoint SET sequence = 0, updated_at = now() WHERE consumer = 'fhir-publisher';
