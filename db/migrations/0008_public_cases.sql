-- 0008_public_cases.sql - the rule of publication, held once: a case is shown on the web when it
-- is published and its respondents gave the named consent, or the anonymised one and a
-- coordinator has read its free texts for names and details. Every public reader of cases (the
-- catalogue, its counts and facets, similar cases, the public analysis) reads this view;
-- case_public_view() in src/cases/cases.c, which also projects what a case shows, decides the
-- same (tests/unit/test_cases.c compares them on every demo case and every combination).
CREATE VIEW public_cases AS
  SELECT * FROM cases
  WHERE state = 'published'
    AND (web_consent = 'named' OR (web_consent = 'anonymised' AND texts_reviewed = 1));
