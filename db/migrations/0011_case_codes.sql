-- 0011_case_codes.sql - the code lists of a case are rows of case_facets only, no longer also
-- space-separated strings in cases: sectors, countries, resources, success factors, obstacles,
-- SDGs, the resources each party brought, and the type, stage and outcome (one code each).
-- position keeps each list in the order it was answered. The facets region (from the countries)
-- and kind (from the parties' kinds, which stay columns beside their names and countries) are
-- derived by the program, for the catalogue's counts and filters, and rebuilt with the case.

ALTER TABLE case_facets ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

-- The rows the program wrote until now for these facets are made again from the strings, the
-- source they were made from, with their order.
DELETE FROM case_facets
  WHERE facet IN ('sector', 'country', 'type', 'resource', 'stage', 'outcome', 'sdg');

WITH RECURSIVE
  lists(case_id, facet, list) AS (
    SELECT id, 'sector', sectors FROM cases
    UNION ALL SELECT id, 'country', countries FROM cases
    UNION ALL SELECT id, 'type', type FROM cases
    UNION ALL SELECT id, 'stage', stage FROM cases
    UNION ALL SELECT id, 'outcome', outcome FROM cases
    UNION ALL SELECT id, 'resource', resources FROM cases
    UNION ALL SELECT id, 'factor', factors FROM cases
    UNION ALL SELECT id, 'obstacle', obstacles FROM cases
    UNION ALL SELECT id, 'sdg', sdgs FROM cases
    UNION ALL SELECT id, 'org_brought', org_brought FROM cases
    UNION ALL SELECT id, 'partner_brought', partner_brought FROM cases
  ),
  -- One code at a time off the front of what is left (which never starts with a blank).
  split(case_id, facet, value, rest, position) AS (
    SELECT case_id, facet, NULL, trim(list) || ' ', -1 FROM lists WHERE trim(list) <> ''
    UNION ALL
    SELECT case_id, facet, substr(rest, 1, instr(rest, ' ') - 1),
           ltrim(substr(rest, instr(rest, ' ') + 1)), position + 1
    FROM split WHERE rest <> ''
  )
INSERT OR IGNORE INTO case_facets(case_id, facet, value, position)
  SELECT case_id, facet, value, position FROM split WHERE value IS NOT NULL;

ALTER TABLE cases DROP COLUMN org_brought;
ALTER TABLE cases DROP COLUMN partner_brought;
ALTER TABLE cases DROP COLUMN sectors;
ALTER TABLE cases DROP COLUMN countries;
ALTER TABLE cases DROP COLUMN type;
ALTER TABLE cases DROP COLUMN stage;
ALTER TABLE cases DROP COLUMN outcome;
ALTER TABLE cases DROP COLUMN resources;
ALTER TABLE cases DROP COLUMN factors;
ALTER TABLE cases DROP COLUMN obstacles;
ALTER TABLE cases DROP COLUMN sdgs;
