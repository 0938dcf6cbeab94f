-- Each key's and team's spend summed by the hour it was made in, kept by the request log's writer in the
-- transaction that writes the rows. Seeding the budgets at start reads these sums (and the raw rows of at
-- most one partial hour) instead of summing the whole log, so starting does not slow as the log grows.
CREATE TABLE baton_spend_hours (
  scope           TEXT NOT NULL,          -- 'key:' or 'team:' and the id
  hour            BIGINT NOT NULL,        -- time_ms / 3600000
  cost_usd        DOUBLE PRECISION NOT NULL,
  PRIMARY KEY (scope, hour)
);

INSERT INTO baton_spend_hours (scope, hour, cost_usd)
  SELECT 'key:' || key_id, time_ms / 3600000, SUM(cost_usd) FROM baton_requests
  WHERE key_id IS NOT NULL GROUP BY key_id, time_ms / 3600000;

INSERT INTO baton_spend_hours (scope, hour, cost_usd)
  SELECT 'team:' || team_id, time_ms / 3600000, SUM(cost_usd) FROM baton_requests
  WHERE team_id IS NOT NULL GROUP BY team_id, time_ms / 3600000;
