-- Agent console: server-side agent sessions, and indexes for the console's
-- lists and facet counts.

-- A session id is 256 random bits handed to the browser once; only its
-- SHA-256 is stored, so a leaked database row cannot be replayed as a cookie.
-- expires_at is the absolute end (12 h after sign-in); last_seen_at drives
-- the 1 h idle timeout. Both are compared with the database clock.
CREATE TABLE agent_sessions (
    id_hash       TEXT PRIMARY KEY,
    agent_id      BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL,
    last_seen_at  TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    ip            TEXT NOT NULL DEFAULT '',
    user_agent    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX agent_sessions_agent_idx ON agent_sessions (agent_id);
CREATE INDEX agent_sessions_expires_idx ON agent_sessions (expires_at);

-- Facet counts group the scoped, filtered tickets by one column at a time;
-- this covering index lets both databases count from the index alone.
CREATE INDEX tickets_facets_idx ON tickets (queue_id, state, owner_id, type, priority);

-- Sorting one state group of the list by priority or by creation date
-- (keyset pages on the sort column, then id).
CREATE INDEX tickets_state_priority_idx ON tickets (state, priority DESC, id DESC);
CREATE INDEX tickets_state_created_idx ON tickets (state, created_at DESC, id DESC);
