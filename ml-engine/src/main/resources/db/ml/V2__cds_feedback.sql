-- CDS Hooks cards issued for a model version, and what clinicians did with them (the feedback
-- endpoint of CDS Hooks 2.0). Model name and version are copied rather than referenced, so that
-- deleting a version keeps the record of how its cards were received.

CREATE TABLE cds_card (
    uuid           uuid PRIMARY KEY,
    service_id     text        NOT NULL,
    model_name     text        NOT NULL,
    model_version  integer     NOT NULL,
    hook_instance  text        NOT NULL,
    issued_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE cds_feedback (
    id                      bigserial PRIMARY KEY,
    card_uuid               uuid        NOT NULL REFERENCES cds_card (uuid),
    outcome                 text        NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    override_reason_system  text,
    override_reason_code    text,
    override_reason_display text,
    user_comment            text,
    outcome_at              timestamptz NOT NULL,
    received_at             timestamptz NOT NULL DEFAULT now(),
    -- A client that retries a delivery must not count twice.
    UNIQUE (card_uuid, outcome, outcome_at)
);

CREATE INDEX cds_card_model ON cds_card (model_name, model_version);
