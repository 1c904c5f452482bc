-- Foundation schema: brands, queues, agents, customers, tickets, articles,
-- attachments, settings, API keys, audit log, outbox.

CREATE TABLE brands (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    host        TEXT NOT NULL DEFAULT '',
    path        TEXT NOT NULL DEFAULT '',
    sender      TEXT NOT NULL DEFAULT '',
    is_default  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMP NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);
INSERT INTO brands (slug, name, is_default, created_at, updated_at)
VALUES ('default', 'Guichet', TRUE, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'));

CREATE TABLE queues (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    brand_id             BIGINT NOT NULL REFERENCES brands (id),
    name                 TEXT NOT NULL,
    description          TEXT NOT NULL DEFAULT '',
    email                TEXT NOT NULL DEFAULT '',
    visible_to_customers BOOLEAN NOT NULL DEFAULT TRUE,
    default_type         TEXT NOT NULL DEFAULT 'incident',
    is_default           BOOLEAN NOT NULL DEFAULT FALSE,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    UNIQUE (brand_id, name)
);
INSERT INTO queues (brand_id, name, is_default, created_at, updated_at)
SELECT id, 'Support', TRUE, strftime('%Y-%m-%d %H:%M:%f+00:00', 'now'), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now') FROM brands WHERE slug = 'default';

CREATE TABLE agents (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL DEFAULT '',
    language       TEXT NOT NULL DEFAULT '',
    disabled_at    TIMESTAMP,
    last_login_at  TIMESTAMP,
    created_at     TIMESTAMP NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

CREATE TABLE agent_queue_permissions (
    agent_id    BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    queue_id    BIGINT NOT NULL REFERENCES queues (id) ON DELETE CASCADE,
    access      TEXT NOT NULL,
    subscribed  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (agent_id, queue_id)
);
CREATE INDEX agent_queue_permissions_queue_idx ON agent_queue_permissions (queue_id);

CREATE TABLE setup_tokens (
    token_hash  TEXT PRIMARY KEY,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE organizations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    external_ref  TEXT,
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organizations_external_ref_idx ON organizations (external_ref);

CREATE TABLE customers (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    email            TEXT NOT NULL UNIQUE,
    name             TEXT NOT NULL DEFAULT '',
    organization_id  BIGINT REFERENCES organizations (id),
    language         TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX customers_organization_idx ON customers (organization_id);

CREATE TABLE tickets (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    number             TEXT NOT NULL UNIQUE,
    brand_id           BIGINT NOT NULL REFERENCES brands (id),
    queue_id           BIGINT NOT NULL REFERENCES queues (id),
    subject            TEXT NOT NULL,
    type               TEXT NOT NULL,
    state              TEXT NOT NULL,
    priority           INTEGER NOT NULL,
    channel            TEXT NOT NULL,
    owner_id           BIGINT REFERENCES agents (id),
    customer_id        BIGINT NOT NULL REFERENCES customers (id),
    organization_id    BIGINT REFERENCES organizations (id),
    link_secret        BLOB NOT NULL,
    link_version       INTEGER NOT NULL DEFAULT 1,
    locked_by          BIGINT REFERENCES agents (id),
    locked_at          TIMESTAMP,
    created_at         TIMESTAMP NOT NULL,
    updated_at         TIMESTAMP NOT NULL,
    first_response_at  TIMESTAMP,
    resolved_at        TIMESTAMP,
    closed_at          TIMESTAMP
);
-- The lists agents and the API run: newest activity first, by state, queue,
-- owner or customer, keyset-paginated on (sort column, id).
CREATE INDEX tickets_updated_idx ON tickets (updated_at DESC, id DESC);
CREATE INDEX tickets_created_idx ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_state_updated_idx ON tickets (state, updated_at DESC, id DESC);
CREATE INDEX tickets_queue_state_updated_idx ON tickets (queue_id, state, updated_at DESC, id DESC);
CREATE INDEX tickets_owner_state_idx ON tickets (owner_id, state);
CREATE INDEX tickets_customer_updated_idx ON tickets (customer_id, updated_at DESC, id DESC);
CREATE INDEX tickets_organization_idx ON tickets (organization_id);

CREATE TABLE articles (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id           BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind                TEXT NOT NULL,
    author_type         TEXT NOT NULL,
    author_agent_id     BIGINT REFERENCES agents (id),
    author_customer_id  BIGINT REFERENCES customers (id),
    channel             TEXT NOT NULL,
    body_html           TEXT NOT NULL,
    body_text           TEXT NOT NULL,
    message_id          TEXT,
    created_at          TIMESTAMP NOT NULL
);
CREATE INDEX articles_ticket_idx ON articles (ticket_id, id);
CREATE UNIQUE INDEX articles_message_id_idx ON articles (message_id);

CREATE TABLE attachments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id     TEXT NOT NULL UNIQUE,
    ticket_id     BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    article_id    BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          BIGINT NOT NULL,
    sha256        TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX attachments_article_idx ON attachments (article_id);
CREATE INDEX attachments_ticket_idx ON attachments (ticket_id);

CREATE TABLE idempotency_keys (
    scope         TEXT NOT NULL,
    key           TEXT NOT NULL,
    request_hash  TEXT NOT NULL,
    ticket_id     BIGINT NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    created_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TIMESTAMP NOT NULL
);

CREATE TABLE api_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    prefix         TEXT NOT NULL UNIQUE,
    hash           TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL,
    last_used_at   TIMESTAMP,
    revoked_at     TIMESTAMP
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TIMESTAMP NOT NULL,
    actor_type   TEXT NOT NULL,
    actor_id     BIGINT,
    action       TEXT NOT NULL,
    ticket_id    BIGINT REFERENCES tickets (id) ON DELETE CASCADE,
    detail       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_ticket_idx ON audit_log (ticket_id, id);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TABLE outbox (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    kind          TEXT NOT NULL,
    payload       TEXT NOT NULL,
    run_at        TIMESTAMP NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT NOT NULL DEFAULT '',
    locked_until  TIMESTAMP,
    done_at       TIMESTAMP,
    created_at    TIMESTAMP NOT NULL
);
CREATE INDEX outbox_pending_idx ON outbox (run_at, id) WHERE done_at IS NULL;

-- Fixed-window counters for rate limits (code sends, sign-in attempts, …),
-- kept in the database so every node and every restart sees the same counts.
CREATE TABLE rate_limits (
    key           TEXT NOT NULL,
    window_start  TIMESTAMP NOT NULL,
    count         INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
