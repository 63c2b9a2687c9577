-- Sessions (single-node store; Redis holds them when configured): the device a session was
-- opened on, the keyed hash of the network it was last used from (never an address) and when,
-- and why it was flagged as suspicious. A user's sessions are listed oldest first to evict the
-- oldest past the per-user limit.
ALTER TABLE auth_sessions
    ADD COLUMN device     text,
    ADD COLUMN network    text,
    ADD COLUMN network_at timestamptz,
    ADD COLUMN flag       text;

DROP INDEX auth_sessions_by_user;
CREATE INDEX auth_sessions_by_user ON auth_sessions (user_id, created_at);
