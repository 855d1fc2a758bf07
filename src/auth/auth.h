/* auth.h - people, roles, sessions, CSRF protection, sign-in throttling, one-time links. */
#ifndef COEXIST_AUTH_H
#define COEXIST_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;
struct arena;

#include "user.h"

/* "member", "coordinator", "admin" (and "anyone"). */
const char *role_name(enum role r);
/* Parses a role name; false when unknown or "anyone". */
bool role_parse(const char *s, enum role *out);
const char *user_status_name(enum user_status s);

/* ---- users (users_store.c) ---- */

/* A password made ready for storing: its argon2id hash, made by users_store_hash_password()
 * before any transaction is opened (50-100 ms and 64 MiB of work that must never hold SQLite's
 * write lock). Opaque: callers pass it to the store and clear it, never look inside. */
struct user_secret {
	char opaque_[128]; /* crypto_pwhash_STRBYTES */
};

/* Hashes a password into s. Slow: call it before db_begin. 0, or -1 without memory for it. */
int users_store_hash_password(const char *pw, size_t len, struct user_secret *s);
/* Wipes a secret once stored. */
void users_store_secret_clear(struct user_secret *s);
/* Creates a person with a password hashed beforehand. Returns the new id, 0 when the address
 * is taken, -1 on error. */
long long users_store_create(struct db *db, const char *email, const char *name,
			     const struct user_secret *pw, enum role role, enum user_status status,
			     long long org_id, const char *lang);
/* Creates a pending member who signed up, keeping the organisation typed (made only at
 * confirmation) and noting that a sign-up mail goes to the address at now. Returns the new
 * id, 0 when the address is taken, -1 on error. */
long long users_store_create_pending(struct db *db, const char *email, const char *name,
				     const struct user_secret *pw, const char *org_name,
				     const char *org_kind, const char *lang, time_t now);
/* Finds by address (case-insensitive) or id, the texts in a; 1 found, 0 not, -1 error. */
int users_store_get_by_email(struct db *db, const char *email, struct arena *a, struct user *out);
int users_store_get(struct db *db, long long id, struct arena *a, struct user *out);
/* Checks a password in the store (handlers never see a hash). On success fills out (texts in
 * a) and returns 1; 0 for an unknown address or a wrong password (same time taken); -1 on
 * error. Slow (argon2id): call it outside any transaction. */
int users_store_check_password(struct db *db, const char *email, const char *pw, size_t len,
			       struct arena *a, struct user *out);
/* Sets a new password hashed beforehand. 0 or -1. */
int users_store_set_password(struct db *db, long long id, const struct user_secret *pw);
int users_store_set_role(struct db *db, long long id, enum role role);
int users_store_set_status(struct db *db, long long id, enum user_status status);
/* Marks the address confirmed and the account active. */
int users_store_confirm(struct db *db, long long id);
/* The organisation a pending person typed at sign-up, in arena a: 1 with name and kind set, 0
 * when there is none (any more), -1 on error. */
int users_store_signup_org(struct db *db, long long id, struct arena *a, char **name, char **kind);
/* Makes org_id the person's organisation and forgets what was typed at sign-up. 0 or -1 (also
 * when there is no such person or organisation). */
int users_store_set_org(struct db *db, long long id, long long org_id);
/* For a sign-up mail to the person's address: 1 when none went in the last `window` seconds
 * (now recorded as sent: send it), 0 when one did (send nothing), -1 on error. */
int users_store_signup_mail_due(struct db *db, long long id, time_t now, long window);
/* Removes the pending people who have no valid one-time link left (their confirmation link
 * expired unused), so that their address can sign up again. Returns how many, or -1. */
int users_store_delete_expired_pending(struct db *db, time_t now);
/* Calls fn for every person, by id (after_id for paging; limit rows), their texts in a.
 * Returns rows or -1. */
int users_store_list(struct db *db, long long after_id, int limit, struct arena *a,
		     void (*fn)(void *ctx, const struct user *u), void *ctx);
/* Counts people by status (pending, active, disabled). */
int users_store_count(struct db *db, long long counts[3]);
/* 1 when an active admin other than id exists, 0 when not, -1 on error. */
int users_store_other_admin(struct db *db, long long id);

/* ---- sessions (session_store.c) ---- */

/* Starts a session for user: writes a new token (cookie value) into token. 0 or -1. */
int session_store_create(struct db *db, long long user_id, time_t now, char token[44]);
/* Finds the active person of a session token, ending the session when it passed its idle or
 * absolute limit or the person is no longer active. On success fills user (texts in a) and
 * the token's hash (hash_hex: 64 hex digits, for the CSRF token) and returns 1; 0 when there
 * is none. */
int session_store_lookup(struct db *db, const char *token, time_t now, long idle, long lifetime,
			 struct arena *a, struct user *user, char hash_hex[65]);
/* Ends one session, or all of a person's. */
int session_store_delete_by_token(struct db *db, const char *token);
int session_store_delete_by_user(struct db *db, long long user_id);

/* ---- one-time links (tokens_store.c) ---- */

enum token_purpose { TOKEN_CONFIRM, TOKEN_RESET };

/* Creates a single-use link token valid for ttl seconds; writes it into token. 0 or -1. */
int tokens_store_create(struct db *db, long long user_id, enum token_purpose purpose, time_t now,
			long ttl, char token[44]);
/* Looks a token up without using it: the person's id when valid, 0 when unknown, used or
 * expired (all the same), -1 on error. */
long long tokens_store_peek(struct db *db, const char *token, enum token_purpose purpose,
			    time_t now);
/* Uses a token: the person's id when it was valid (now used), 0 otherwise, -1 on error. */
long long tokens_store_consume(struct db *db, const char *token, enum token_purpose purpose,
			       time_t now);

/* Counts the person's links of this purpose made in the last `window` seconds (links last ttl
 * seconds), or -1. */
int tokens_store_recent(struct db *db, long long user_id, enum token_purpose purpose, time_t now,
			long ttl, long window);

/* ---- handlers (auth_web.c) ---- */
struct request;
void auth_signup_form(struct request *r);
void auth_signup(struct request *r);
void auth_confirm_form(struct request *r);
void auth_confirm(struct request *r);
void auth_signin_form(struct request *r);
void auth_signin(struct request *r);
void auth_signout(struct request *r);
void auth_forgot_form(struct request *r);
void auth_forgot(struct request *r);
void auth_reset_form(struct request *r);
void auth_reset(struct request *r);

/* ---- sign-in throttling (throttle_store.c) ---- */

#define THROTTLE_WINDOW (15L * 60) /* seconds looked back */
#define THROTTLE_MAX    10         /* failures allowed in the window, per address and per IP */

/* Records an attempt. 0 or -1. */
int throttle_store_record(struct db *db, const char *email, const char *ip, bool ok, time_t now);
/* Returns 0 when a new attempt may be made, else the seconds until one may (the oldest
 * counted failure leaves the window); -1 on error. */
long throttle_store_wait(struct db *db, const char *email, const char *ip, time_t now);
/* Forgets attempts older than a day. */
int throttle_store_prune(struct db *db, time_t now);
/* Forgets the failed attempts on an address (after its owner reset the password). */
int throttle_store_clear_address(struct db *db, const char *email);

/* ---- instance secret and CSRF (csrf.c) ---- */

/* Reads the instance's 32-byte secret from the meta table, creating it on first use (shared by
 * every process on the same database). 0 or -1. */
int auth_secret_load(struct db *db, unsigned char key[32]);

#endif
