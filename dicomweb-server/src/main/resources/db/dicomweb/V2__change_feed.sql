-- The change feed: one row per instance created, updated (replaced) or deleted, written in the
-- transaction that changes the index, so that the feed and the index never disagree. Sequence
-- numbers grow with commit order within one writer; readers page by sequence. The state column
-- says what became of the instance since (Azure DICOM's convention): current, replaced, deleted.
CREATE TABLE change_feed (
    sequence          bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at       timestamptz  NOT NULL DEFAULT clock_timestamp(),
    action            text         NOT NULL CHECK (action IN ('create', 'update', 'delete')),
    study_uid         varchar(64)  NOT NULL,
    series_uid        varchar(64)  NOT NULL,
    sop_instance_uid  varchar(64)  NOT NULL,
    state             text         NOT NULL CHECK (state IN ('current', 'replaced', 'deleted'))
);
CREATE INDEX change_feed_time ON change_feed (occurred_at);
CREATE INDEX change_feed_instance ON change_feed (sop_instance_uid) WHERE state = 'current';

-- How far each consumer of the feed has got (the FHIR publisher is one), advanced only after the
-- consumer's work for every row up to that sequence succeeded.
CREATE TABLE change_feed_checkpoint (
    consumer    text         PRIMARY KEY,
    sequence    bigint       NOT NULL,
    updated_at  timestamptz  NOT NULL DEFAULT now()
);
