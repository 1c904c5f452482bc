-- Plugin host: what the admin enabled (and the binary checksum recorded
-- then), settings revisions with secrets encrypted by the application,
-- plugin key/value storage, and the customer lookup cache used as the
-- fallback when the ERP or its plugin is down.
CREATE TABLE plugins (
    id                TEXT PRIMARY KEY,
    enabled           BOOLEAN NOT NULL DEFAULT FALSE,
    sha256            TEXT NOT NULL DEFAULT '',
    version           TEXT NOT NULL DEFAULT '',
    granted           TEXT NOT NULL DEFAULT '',
    quarantined_at    TIMESTAMP,
    quarantine_reason TEXT NOT NULL DEFAULT '',
    updated_at        TIMESTAMP NOT NULL
);

-- One row per saved revision. status: pending (saved while the plugin was
-- not running), accepted, rejected. The plugin starts on the newest
-- revision and falls back to the newest accepted one.
CREATE TABLE plugin_settings (
    plugin_id   TEXT NOT NULL REFERENCES plugins (id) ON DELETE CASCADE,
    revision    BIGINT NOT NULL,
    plain       TEXT NOT NULL,
    secrets     TEXT NOT NULL,
    status      TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (plugin_id, revision)
);

CREATE TABLE plugin_storage (
    plugin_id   TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       BLOB NOT NULL,
    updated_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (plugin_id, key)
);

CREATE TABLE customer_cache (
    email       TEXT PRIMARY KEY,
    plugin_id   TEXT NOT NULL,
    data        TEXT NOT NULL,
    fetched_at  TIMESTAMP NOT NULL
);
