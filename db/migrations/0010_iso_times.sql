-- 0010_iso_times.sql - one time format in storage: ISO 8601 UTC text ("2026-11-27T10:00:00Z"),
-- as every other table already had it. Sessions, one-time links, sign-in attempts, the outbox,
-- rate events, private links and the time of the last sign-up mail held Unix seconds until now;
-- their rows are converted here. Text of this one fixed form sorts as time does, so comparisons
-- in SQL stay as they were. The program binds and reads times as time_t (db_bind_time,
-- db_column_time) and formats them per language only on output.
-- STRICT tables cannot change a column's type: each table is made again under a new name, its
-- rows copied across converted, the old one dropped (its indexes with it) and the new one renamed.

CREATE TABLE sessions_iso (
  token_hash   BLOB PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO sessions_iso
  SELECT token_hash, user_id, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch'),
         strftime('%Y-%m-%dT%H:%M:%SZ', last_seen_at, 'unixepoch')
  FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_iso RENAME TO sessions;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE one_time_tokens_iso (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset')),
  expires_at TEXT NOT NULL,
  used_at    TEXT
) STRICT, WITHOUT ROWID;
INSERT INTO one_time_tokens_iso
  SELECT token_hash, user_id, purpose, strftime('%Y-%m-%dT%H:%M:%SZ', expires_at, 'unixepoch'),
         strftime('%Y-%m-%dT%H:%M:%SZ', used_at, 'unixepoch')
  FROM one_time_tokens;
DROP TABLE one_time_tokens;
ALTER TABLE one_time_tokens_iso RENAME TO one_time_tokens;
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id);

CREATE TABLE signin_attempts_iso (
  id    INTEGER PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE,                               -- personal
  ip    TEXT NOT NULL,                                              -- personal
  at    TEXT NOT NULL,
  ok    INTEGER NOT NULL
) STRICT;
INSERT INTO signin_attempts_iso
  SELECT id, email, ip, strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch'), ok FROM signin_attempts;
DROP TABLE signin_attempts;
ALTER TABLE signin_attempts_iso RENAME TO signin_attempts;
CREATE INDEX signin_attempts_email ON signin_attempts(email, at);
CREATE INDEX signin_attempts_ip ON signin_attempts(ip, at);
CREATE INDEX signin_attempts_at ON signin_attempts(at);

CREATE TABLE outbox_iso (
  id          INTEGER PRIMARY KEY,
  to_addr     TEXT NOT NULL,                                        -- personal
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  next_try_at TEXT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  sent_at     TEXT,
  last_error  TEXT
) STRICT;
INSERT INTO outbox_iso
  SELECT id, to_addr, subject, body, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch'),
         strftime('%Y-%m-%dT%H:%M:%SZ', next_try_at, 'unixepoch'), attempts,
         strftime('%Y-%m-%dT%H:%M:%SZ', sent_at, 'unixepoch'), last_error
  FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_iso RENAME TO outbox;
CREATE INDEX outbox_due ON outbox(sent_at, next_try_at);

CREATE TABLE rate_events_iso (
  action TEXT NOT NULL,
  ip     TEXT NOT NULL,                                             -- personal
  at     TEXT NOT NULL
) STRICT;
INSERT INTO rate_events_iso
  SELECT action, ip, strftime('%Y-%m-%dT%H:%M:%SZ', at, 'unixepoch') FROM rate_events;
DROP TABLE rate_events;
ALTER TABLE rate_events_iso RENAME TO rate_events;
CREATE INDEX rate_events_key ON rate_events(action, ip, at);
CREATE INDEX rate_events_at ON rate_events(at);

CREATE TABLE response_links_iso (
  token_hash  BLOB PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO response_links_iso
  SELECT token_hash, response_id, strftime('%Y-%m-%dT%H:%M:%SZ', created_at, 'unixepoch')
  FROM response_links;
DROP TABLE response_links;
ALTER TABLE response_links_iso RENAME TO response_links;
CREATE INDEX response_links_response ON response_links(response_id);

-- users is referenced by other tables: its column is replaced in place instead.
ALTER TABLE users ADD COLUMN signup_mail_iso TEXT;
UPDATE users SET signup_mail_iso = strftime('%Y-%m-%dT%H:%M:%SZ', signup_mail_at, 'unixepoch');
ALTER TABLE users DROP COLUMN signup_mail_at;
ALTER TABLE users RENAME COLUMN signup_mail_iso TO signup_mail_at; -- time of the last sign-up mail
