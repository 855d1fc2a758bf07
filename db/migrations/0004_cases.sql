-- 0004_cases.sql - partnership cases made by coordinators from responses, published within the
-- consent their respondents gave. (The full-text index is made by src/cases/search.c, which
-- owns its tokenizer.)

CREATE TABLE cases (
  id               INTEGER PRIMARY KEY,
  response_id      INTEGER REFERENCES responses(id) ON DELETE SET NULL,
  partner_response INTEGER REFERENCES responses(id) ON DELETE SET NULL,
  state            TEXT NOT NULL DEFAULT 'draft'
                   CHECK (state IN ('draft', 'review', 'published', 'archived')),
  -- What the respondents allowed (the narrowest of the two views when there are two):
  -- on the web with names, anonymised, or not at all; and separately, at events.
  web_consent      TEXT NOT NULL DEFAULT 'none' CHECK (web_consent IN ('named', 'anonymised', 'none')),
  events_consent   INTEGER NOT NULL DEFAULT 0,
  may_contact      INTEGER NOT NULL DEFAULT 0,
  partner_named    INTEGER NOT NULL DEFAULT 0,   -- the partner's own view gave the named consent
  texts_reviewed   INTEGER NOT NULL DEFAULT 0,   -- anonymised: free texts read by a coordinator
  title_fr TEXT NOT NULL, title_en TEXT NOT NULL DEFAULT '',
  summary_fr TEXT NOT NULL DEFAULT '', summary_en TEXT NOT NULL DEFAULT '',
  results_fr TEXT NOT NULL DEFAULT '', results_en TEXT NOT NULL DEFAULT '',
  lessons_fr TEXT NOT NULL DEFAULT '', lessons_en TEXT NOT NULL DEFAULT '',
  -- The parties: names are shown only with the named consent.
  org_name TEXT NOT NULL DEFAULT '', org_kind TEXT NOT NULL DEFAULT '', org_country TEXT NOT NULL DEFAULT '',
  org_brought TEXT NOT NULL DEFAULT '',          -- resource codes, space separated
  partner_name TEXT NOT NULL DEFAULT '', partner_kind TEXT NOT NULL DEFAULT '', partner_country TEXT NOT NULL DEFAULT '',
  partner_brought TEXT NOT NULL DEFAULT '',
  -- Facts, as vocabulary codes (space separated lists).
  sectors TEXT NOT NULL DEFAULT '', countries TEXT NOT NULL DEFAULT '', type TEXT NOT NULL DEFAULT '',
  stage TEXT NOT NULL DEFAULT '', outcome TEXT NOT NULL DEFAULT '', resources TEXT NOT NULL DEFAULT '',
  factors TEXT NOT NULL DEFAULT '', obstacles TEXT NOT NULL DEFAULT '', sdgs TEXT NOT NULL DEFAULT '',
  start_year INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  updated_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')),
  published_at TEXT
) STRICT;
CREATE INDEX cases_state ON cases(state, published_at);
CREATE INDEX cases_response ON cases(response_id);

-- One row per facet value of a case (sector, country, region, type, resource, stage, outcome,
-- sdg, kind), kept with the case, for the catalogue's counts.
CREATE TABLE case_facets (
  case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  facet   TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (case_id, facet, value)
) STRICT, WITHOUT ROWID;
CREATE INDEX case_facets_value ON case_facets(facet, value);
