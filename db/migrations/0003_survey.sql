-- 0003_survey.sql - collection campaigns, responses and their answers, private links,
-- submitted versions, consents, coordinators' notes.

-- A campaign runs one questionnaire (key and version of data/questionnaires/) between two dates.
CREATE TABLE campaigns (
  id            INTEGER PRIMARY KEY,
  slug          TEXT NOT NULL UNIQUE,
  questionnaire TEXT NOT NULL,
  version       INTEGER NOT NULL,
  title_fr      TEXT NOT NULL,
  title_en      TEXT NOT NULL,
  opens_at      TEXT NOT NULL,       -- YYYY-MM-DD, first day open (UTC)
  closes_at     TEXT NOT NULL,       -- YYYY-MM-DD, last day open (UTC)
  contact_name  TEXT NOT NULL DEFAULT '',
  contact_email TEXT NOT NULL DEFAULT '',
  created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
) STRICT;

CREATE TABLE responses (
  id               INTEGER PRIMARY KEY,
  campaign_id      INTEGER NOT NULL REFERENCES campaigns(id),
  status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted')),
  locked           INTEGER NOT NULL DEFAULT 0,
  lang             TEXT NOT NULL DEFAULT 'fr' CHECK (lang IN ('fr', 'en')),
  revision         INTEGER NOT NULL DEFAULT 0,    -- +1 at every save: two savers see each other
  section          INTEGER NOT NULL DEFAULT 0,    -- the page last seen
  partner_of       INTEGER REFERENCES responses(id) ON DELETE SET NULL,
  link_mailed      INTEGER NOT NULL DEFAULT 0,     -- the private link was sent by mail
  source           TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'import', 'demo')),
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  updated_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  submitted_at     TEXT
) STRICT;
CREATE INDEX responses_campaign ON responses(campaign_id, status);
CREATE INDEX responses_partner ON responses(partner_of);

-- One row per answer; one per chosen option for multiple choice (docs/questionnaire-format.md).
-- Answers to questions marked personal (name, e-mail) are personal data.
CREATE TABLE answers (
  response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  question_key TEXT NOT NULL,
  position     INTEGER NOT NULL DEFAULT 0,
  value        TEXT NOT NULL,
  PRIMARY KEY (response_id, question_key, position)
) STRICT, WITHOUT ROWID;
CREATE INDEX answers_question ON answers(question_key, value);

-- Private links to a response: hashed, like every token.
CREATE TABLE response_links (
  token_hash  BLOB PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX response_links_response ON response_links(response_id);

-- Every submitted version, whole (JSON array of [key, position, value]).
CREATE TABLE response_versions (
  response_id  INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL,
  submitted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  answers      TEXT NOT NULL,
  PRIMARY KEY (response_id, version)
) STRICT;

-- Consent per use, with the time given and the version of the notice read.
CREATE TABLE consents (
  response_id    INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  use            TEXT NOT NULL,
  given          INTEGER NOT NULL,
  notice_version TEXT NOT NULL,
  at             TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  PRIMARY KEY (response_id, use)
) STRICT, WITHOUT ROWID;

CREATE TABLE response_notes (
  id          INTEGER PRIMARY KEY,
  response_id INTEGER NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
  author_id   INTEGER REFERENCES users(id) ON DELETE SET NULL,
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))
) STRICT;
CREATE INDEX response_notes_response ON response_notes(response_id);
