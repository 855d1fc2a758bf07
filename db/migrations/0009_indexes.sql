-- 0009_indexes.sql - indexes the query plans asked for (tests/unit/test_db.c reads the plan of
-- every statement and fails on a growing table read whole).
-- The cases of a response, as the respondent's or as the partner's view.
CREATE INDEX cases_partner_response ON cases(partner_response);
-- Accounts by status and role: the other active admin, pending accounts to remove.
CREATE INDEX users_status ON users(status, role);
-- Removing a person sets these to NULL: without an index each removal read both tables whole.
CREATE INDEX audit_log_actor ON audit_log(actor_id);
CREATE INDEX response_notes_author ON response_notes(author_id);
-- Old attempts and events are pruned by time.
CREATE INDEX signin_attempts_at ON signin_attempts(at);
CREATE INDEX rate_events_at ON rate_events(at);
-- Submitted responses, for the analysis, without reading the drafts.
CREATE INDEX responses_status ON responses(status);
