-- OpenID Connect sign-in (Google, Microsoft): started sign-ins wait here between "start" and
-- "callback" in single-node mode (Redis holds them when configured). A row names the provider,
-- the redirect URI, the nonce and the PKCE verifier; no personal data, and the state itself is
-- kept only as its SHA-256. Rows are single-use (DELETE ... RETURNING) and expire after minutes.
-- No clinic is known before sign-in, so the table is not tenant-owned and has no clinic_id.
CREATE TABLE oidc_login_states (
    state_hash    bytea       PRIMARY KEY CHECK (length(state_hash) = 32),
    provider      text        NOT NULL CHECK (length(provider) BETWEEN 1 AND 40),
    redirect_uri  text        NOT NULL CHECK (length(redirect_uri) BETWEEN 1 AND 2000),
    nonce         text        NOT NULL CHECK (length(nonce) BETWEEN 1 AND 128),
    code_verifier text        NOT NULL CHECK (length(code_verifier) BETWEEN 43 AND 128),
    expires_at    timestamptz NOT NULL
);
-- The periodic purge of sign-ins that were never finished.
CREATE INDEX oidc_login_states_by_expiry ON oidc_login_states (expires_at);
GRANT SELECT, INSERT, DELETE ON oidc_login_states TO ${appRole};
