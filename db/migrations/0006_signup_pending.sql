-- 0006_signup_pending.sql - a sign-up keeps the organisation typed on the pending account, and
-- the organisation is made only when the address is confirmed; the time of the last sign-up
-- mail to an account's address spaces those mails (at most one per window, however many tries).
ALTER TABLE users ADD COLUMN signup_org_name TEXT;      -- what was typed; NULL once confirmed
ALTER TABLE users ADD COLUMN signup_org_kind TEXT;
ALTER TABLE users ADD COLUMN signup_mail_at INTEGER;    -- Unix seconds of the last sign-up mail
-- Links of a person: found when pending accounts whose links all expired are removed.
CREATE INDEX one_time_tokens_user ON one_time_tokens(user_id);
