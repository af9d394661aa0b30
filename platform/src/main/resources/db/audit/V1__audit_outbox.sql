-- The audit trail's durable outbox. Every audit record is inserted here (autocommit) before the
-- request that caused it is answered; a background drainer hands the records to the module that
-- stores them as FHIR AuditEvents and marks them published. Published rows are kept for
-- medhub.audit.outbox-retention, then purged.
CREATE TABLE audit_outbox (
    id              bigserial   PRIMARY KEY,
    -- AuditEvent.id of the record: lets publishers store it idempotently (at-least-once delivery).
    event_id        uuid        NOT NULL UNIQUE,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    event_json      jsonb       NOT NULL,
    published_at    timestamptz,
    -- Failed publication attempts of this record alone, and when to try it again.
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    last_error      text
);

-- The drainer's work queue: small however large the table grows.
CREATE INDEX audit_outbox_unpublished ON audit_outbox (id) WHERE published_at IS NULL;

-- The retention purge.
CREATE INDEX audit_outbox_published_at ON audit_outbox (published_at) WHERE published_at IS NOT NULL;
