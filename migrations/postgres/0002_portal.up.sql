-- Customer portal: sign-in codes, customer sessions, and the dev mail sink.

-- One live code per address and purpose: a new code replaces the old row.
-- Only a salted hash of the code is kept; flow_hash binds it to the browser
-- flow that asked for it.
CREATE TABLE customer_codes (
    email       TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    flow_hash   TEXT NOT NULL UNIQUE,
    code_hash   TEXT NOT NULL,
    salt        TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ,
    created_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (email, purpose)
);

-- Sessions are found by the SHA-256 of their random id: a database dump
-- does not hand out live sessions.
CREATE TABLE customer_sessions (
    id_hash      TEXT PRIMARY KEY,
    customer_id  BIGINT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX customer_sessions_customer_idx ON customer_sessions (customer_id);

-- The dev mail sink: what would have been sent when no SMTP is configured.
CREATE TABLE mail_messages (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT NOT NULL,
    to_addr     TEXT NOT NULL,
    subject     TEXT NOT NULL,
    text_body   TEXT NOT NULL,
    html_body   TEXT NOT NULL,
    headers     TEXT NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX mail_messages_to_idx ON mail_messages (to_addr, id);

-- An address that failed too often may not try again before until
-- (security.md: 20 failures in 24 h → 1 h cool-off).
CREATE TABLE customer_code_lockouts (
    email  TEXT PRIMARY KEY,
    until  TIMESTAMPTZ NOT NULL
);
