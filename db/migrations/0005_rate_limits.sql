-- 0005_rate_limits.sql - actions counted per client address, to bound what one address can
-- make the site do (start responses, send messages through it). Kept a day.
CREATE TABLE rate_events (
  action TEXT NOT NULL,
  ip     TEXT NOT NULL,                                             -- personal
  at     INTEGER NOT NULL
) STRICT;
CREATE INDEX rate_events_key ON rate_events(action, ip, at);
