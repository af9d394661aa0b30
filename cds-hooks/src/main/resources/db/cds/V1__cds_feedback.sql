-- CDS Hooks cards issued for a model version, and what clinicians did with them (the feedback
-- endpoint of CDS Hooks 2.0). They belong to cds-hooks (issue 15); until then the ML engine kept them
-- in its schema (ml V2, which still creates them there). The tables are moved here with their rows,
-- keys and sequence, so that nothing is lost on upgrade; cds-hooks migrates after the ML engine
-- (CdsHooksAutoConfiguration), so a new install moves the empty tables the same way.
-- Model name and version are copied rather than referenced, so that deleting a version keeps the
-- record of how its cards were received.

DO $$
BEGIN
    IF to_regclass('ml.cds_card') IS NOT NULL THEN
        ALTER TABLE ml.cds_feedback SET SCHEMA cds;
        ALTER TABLE ml.cds_card SET SCHEMA cds;
    ELSE
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
    END IF;
END;
$$;

-- In their own schema the prefix says nothing.
ALTER TABLE cds_card RENAME TO card;
ALTER TABLE cds_feedback RENAME TO feedback;
