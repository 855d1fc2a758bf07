-- 0001_core.sql - platform bookkeeping: settings and facts about this instance.

-- Small facts about this instance (when it was created, whether demo content was loaded).
-- No personal data.
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
) STRICT;

INSERT INTO meta(key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%SZ','now'));
