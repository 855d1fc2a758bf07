-- 0007_search_tables.sql - the full-text index of the catalogue, made here once instead of by
-- every connection (src/cases/search.c did it until now: "IF NOT EXISTS" keeps a database of
-- that time as it is). The tokenizer 'coexist' (French: accents folded, Snowball stems) is
-- registered on every connection by search_init() before the migrations run.
-- The index holds only what the public may read of published cases (no personal data).
CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts USING fts5(title, body, tokenize = 'coexist');
CREATE VIRTUAL TABLE IF NOT EXISTS cases_fts_vocab USING fts5vocab(cases_fts, 'row');
-- The surface words of each stem with their number of occurrences, one row per word so that
-- deleting a case takes exactly its words away again (suggestions spell words as cases do).
CREATE TABLE IF NOT EXISTS search_words (
  stem TEXT NOT NULL,
  word TEXT NOT NULL,
  n    INTEGER NOT NULL,
  PRIMARY KEY (stem, word)
) STRICT, WITHOUT ROWID;
