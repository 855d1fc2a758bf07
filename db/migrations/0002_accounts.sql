-- 0002_accounts.sql - organisations, people, sessions, one-time tokens, sign-in attempts,
-- the audit log and the mail outbox.
-- Columns holding personal data are marked "personal": they are exported and erased with the
-- person they belong to.

CREATE TABLE organisations (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL,
  country     TEXT NOT NULL DEFAULT '',
  description TEXT NOT NULL DEFAULT '',
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  updated_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
) STRICT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,                -- personal
  name          TEXT NOT NULL DEFAULT '',                           -- personal
  password_hash TEXT NOT NULL,                                      -- argon2id, never shown
  role          TEXT NOT NULL CHECK (role IN ('member', 'coordinator', 'admin')),
  status        TEXT NOT NULL CHECK (status IN ('pending', 'active', 'disabled')),
  org_id        INTEGER REFERENCES organisations(id) ON DELETE SET NULL,
  lang          TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  confirmed_at  TEXT
) STRICT;
CREATE INDEX users_org ON users(org_id);

-- A session is known by the hash of its cookie's token only: the database never holds a token
-- that could be replayed. Times are Unix seconds.
CREATE TABLE sessions (
  token_hash   BLOB PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions(user_id);

-- Links sent by e-mail (confirm an address, reset a password): hashed, single use, dated.
CREATE TABLE one_time_tokens (
  token_hash BLOB PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  purpose    TEXT NOT NULL CHECK (purpose IN ('confirm', 'reset')),
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
) STRICT, WITHOUT ROWID;

-- Sign-in attempts, for throttling; kept a day.
CREATE TABLE signin_attempts (
  id    INTEGER PRIMARY KEY,
  email TEXT NOT NULL COLLATE NOCASE,                               -- personal
  ip    TEXT NOT NULL,                                              -- personal
  at    INTEGER NOT NULL,
  ok    INTEGER NOT NULL
) STRICT;
CREATE INDEX signin_attempts_email ON signin_attempts(email, at);
CREATE INDEX signin_attempts_ip ON signin_attempts(ip, at);

-- Who changed what, when: every change made by a coordinator or an admin.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  actor_id    INTEGER REFERENCES users(id) ON DELETE SET NULL,
  actor_email TEXT NOT NULL,                                        -- personal
  action      TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_id   INTEGER,
  detail      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);

-- Mail waiting to be delivered (or delivered). Written in the same transaction as the change
-- that causes it, so a message is never lost nor sent for a change that was rolled back.
CREATE TABLE outbox (
  id          INTEGER PRIMARY KEY,
  to_addr     TEXT NOT NULL,                                        -- personal
  subject     TEXT NOT NULL,
  body        TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  next_try_at INTEGER NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  sent_at     INTEGER,
  last_error  TEXT
) STRICT;
CREATE INDEX outbox_due ON outbox(sent_at, next_try_at);
