-- Uploaded datasets (the CSV as received) and immutable model versions.

CREATE TABLE dataset (
    id           uuid PRIMARY KEY,
    name         text        NOT NULL,
    uploaded_at  timestamptz NOT NULL DEFAULT now(),
    uploaded_by  text        NOT NULL,
    fingerprint  text        NOT NULL,
    spec         jsonb       NOT NULL,
    report       jsonb       NOT NULL,
    content      bytea       NOT NULL
);

CREATE TABLE model_version (
    id                 uuid PRIMARY KEY,
    name               text        NOT NULL,
    version            integer     NOT NULL,
    algorithm          text        NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    created_by         text        NOT NULL,
    active             boolean     NOT NULL DEFAULT false,
    data_fingerprint   text        NOT NULL,
    dataset_id         uuid,
    hyperparameters    jsonb       NOT NULL,
    feature_schema     jsonb       NOT NULL,
    metrics            jsonb       NOT NULL,
    curves             jsonb       NOT NULL,
    fairness           jsonb       NOT NULL,
    candidates         jsonb       NOT NULL,
    importance         jsonb       NOT NULL,
    reference_sample   jsonb       NOT NULL,
    provenance         jsonb       NOT NULL,
    model_card         jsonb       NOT NULL,
    model_card_md      text        NOT NULL,
    model_format       integer     NOT NULL,
    model_bytes        bytea       NOT NULL,
    UNIQUE (name, version)
);

-- One active version per model name.
CREATE UNIQUE INDEX model_version_one_active ON model_version (name) WHERE active;

-- A version never changes once registered; only which version is active does.
CREATE FUNCTION model_version_immutable() RETURNS trigger AS $$
BEGIN
    IF (to_jsonb(NEW) - 'active') IS DISTINCT FROM (to_jsonb(OLD) - 'active') THEN
        RAISE EXCEPTION 'model versions are immutable (version % of %)', OLD.version, OLD.name;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER model_version_immutable BEFORE UPDATE ON model_version
    FOR EACH ROW EXECUTE FUNCTION model_version_immutable();
