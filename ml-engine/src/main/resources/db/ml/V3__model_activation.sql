-- Which version of a model serves decision support, and who decided: one row per activation (issue 13,
-- item 2). Only admins activate; a version registered by anyone else waits as a proposal. Name and
-- version are copied rather than referenced, so deleting a version keeps the record of its service.

CREATE TABLE model_activation (
    id                   bigserial PRIMARY KEY,
    model_name           text        NOT NULL,
    version              integer     NOT NULL,
    model_version_id     uuid        NOT NULL,
    replaced_version     integer,
    replaced_version_id  uuid,
    activated_by         text        NOT NULL,
    activated_at         timestamptz NOT NULL DEFAULT now(),
    reason               text        NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 500)
);

CREATE INDEX model_activation_name ON model_activation (model_name, activated_at);

-- The history is append-only: a record of who switched what clinicians get is not edited afterwards.
CREATE FUNCTION model_activation_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'model activations are a history and cannot be changed or removed';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER model_activation_append_only BEFORE UPDATE OR DELETE ON model_activation
    FOR EACH ROW EXECUTE FUNCTION model_activation_append_only();

-- Versions active before this migration get a row, so the history starts with what was serving.
INSERT INTO model_activation (model_name, version, model_version_id, activated_by, activated_at, reason)
SELECT name, version, id, created_by, created_at, 'active before activations were recorded'
FROM model_version WHERE active;
