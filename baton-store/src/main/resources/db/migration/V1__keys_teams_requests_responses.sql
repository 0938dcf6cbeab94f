-- Baton's schema, the same on SQLite and PostgreSQL: portable types only, times as epoch milliseconds,
-- lists and maps as JSON text. Rows are never deleted except stored responses; deleted teams and revoked
-- keys keep their rows so the spend history that names them stays whole.

CREATE TABLE baton_teams (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  models          TEXT NOT NULL,          -- JSON array of public model names; [] = every model
  rpm             BIGINT,
  tpm             BIGINT,
  max_budget_usd  DOUBLE PRECISION,
  budget_duration TEXT,                   -- 1h, 1d, 30d, ...
  metadata        TEXT NOT NULL,          -- JSON object
  blocked         BOOLEAN NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  deleted_at      BIGINT
);

CREATE TABLE baton_keys (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  key_hash        TEXT NOT NULL UNIQUE,   -- SHA-256 of the secret; the secret itself is never stored
  key_prefix      TEXT NOT NULL,
  team_id         TEXT,
  models          TEXT NOT NULL,
  rpm             BIGINT,
  tpm             BIGINT,
  max_budget_usd  DOUBLE PRECISION,
  budget_duration TEXT,
  metadata        TEXT NOT NULL,
  blocked         BOOLEAN NOT NULL,
  expires_at      BIGINT,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  revoked_at      BIGINT
);
CREATE INDEX baton_keys_team ON baton_keys (team_id);

CREATE TABLE baton_requests (
  id              TEXT PRIMARY KEY,       -- made with the request, so a replayed row is written once
  time_ms         BIGINT NOT NULL,
  key_id          TEXT,
  team_id         TEXT,
  route           TEXT,
  model           TEXT,
  answered_by     TEXT,
  attempts        TEXT NOT NULL,          -- JSON array of {deployment, outcome, reason, latency_ms}
  input_tokens    BIGINT NOT NULL,
  output_tokens   BIGINT NOT NULL,
  cost_usd        DOUBLE PRECISION NOT NULL,
  latency_ms      BIGINT NOT NULL,
  status          INTEGER NOT NULL,
  cache           TEXT,
  request_id      TEXT,
  error           TEXT,
  prompt          TEXT,                   -- only with logging.store_content: true
  answer          TEXT
);
CREATE INDEX baton_requests_time ON baton_requests (time_ms);
CREATE INDEX baton_requests_key_time ON baton_requests (key_id, time_ms);
CREATE INDEX baton_requests_team_time ON baton_requests (team_id, time_ms);

CREATE TABLE baton_responses (
  id              TEXT PRIMARY KEY,       -- resp_...
  key_id          TEXT,
  created_at      BIGINT NOT NULL,
  expires_at      BIGINT,
  document        TEXT NOT NULL
);
CREATE INDEX baton_responses_expiry ON baton_responses (expires_at);
