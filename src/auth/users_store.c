/* users_store.c - SQL of people: create, find, check a password, change role and status. */
#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "base/arena.h"
#include "db/db.h"
#include "password.h"

static_assert(sizeof(((struct user_secret *)0)->opaque_) == crypto_pwhash_STRBYTES,
	      "a user_secret holds one argon2id hash string");

enum users_stmt {
	USERS_STMT_INSERT,
	USERS_STMT_GET_BY_EMAIL,
	USERS_STMT_GET_BY_ID,
	USERS_STMT_HASH_BY_EMAIL,
	USERS_STMT_SET_HASH,
	USERS_STMT_SET_ROLE,
	USERS_STMT_SET_STATUS,
	USERS_STMT_CONFIRM,
	USERS_STMT_LIST,
	USERS_STMT_COUNT,
	USERS_STMT_OTHER_ADMIN,
	USERS_STMT_INSERT_PENDING,
	USERS_STMT_SIGNUP_ORG,
	USERS_STMT_SET_ORG,
	USERS_STMT_SIGNUP_MAIL_DUE,
	USERS_STMT_DELETE_EXPIRED_PENDING,
	USERS_STMT__MAX
};

#define USER_COLS "id, email, name, role, status, coalesce(org_id, 0), lang, created_at"

static const char *const users_sql[USERS_STMT__MAX] = {
	[USERS_STMT_INSERT] = "INSERT INTO users(email, name, password_hash, role, status, org_id,"
			      " lang) VALUES (?, ?, ?, ?, ?, nullif(?, 0), ?)",
	[USERS_STMT_GET_BY_EMAIL] = "SELECT " USER_COLS " FROM users WHERE email = ?",
	[USERS_STMT_GET_BY_ID] = "SELECT " USER_COLS " FROM users WHERE id = ?",
	[USERS_STMT_HASH_BY_EMAIL] = "SELECT password_hash FROM users WHERE email = ?",
	[USERS_STMT_SET_HASH] = "UPDATE users SET password_hash = ? WHERE id = ?",
	[USERS_STMT_SET_ROLE] = "UPDATE users SET role = ? WHERE id = ?",
	[USERS_STMT_SET_STATUS] = "UPDATE users SET status = ? WHERE id = ?",
	[USERS_STMT_CONFIRM] = "UPDATE users SET status = 'active', confirmed_at = ?2"
			       " WHERE id = ?1 AND status = 'pending'",
	[USERS_STMT_LIST] = "SELECT " USER_COLS " FROM users WHERE id > ? ORDER BY id LIMIT ?",
	[USERS_STMT_COUNT] = "SELECT status, count(*) FROM users GROUP BY status",
	[USERS_STMT_OTHER_ADMIN] = "SELECT 1 FROM users WHERE role = 'admin' AND status = 'active'"
				   " AND id <> ? LIMIT 1",
	[USERS_STMT_INSERT_PENDING] = "INSERT INTO users(email, name, password_hash, role, status,"
				      " lang, signup_org_name, signup_org_kind, signup_mail_at)"
				      " VALUES (?, ?, ?, 'member', 'pending', ?, ?, ?, ?)",
	[USERS_STMT_SIGNUP_ORG] =
		"SELECT signup_org_name, signup_org_kind FROM users WHERE id = ?"
		" AND signup_org_name IS NOT NULL AND signup_org_kind IS NOT NULL",
	[USERS_STMT_SET_ORG] = "UPDATE users SET org_id = ?2, signup_org_name = NULL,"
			       " signup_org_kind = NULL WHERE id = ?1"
			       " AND EXISTS (SELECT 1 FROM organisations WHERE id = ?2)",
	/* Recorded only when due, in the same statement: two sign-ups at once send one mail. */
	[USERS_STMT_SIGNUP_MAIL_DUE] = "UPDATE users SET signup_mail_at = ?2 WHERE id = ?1"
				       " AND (signup_mail_at IS NULL OR signup_mail_at <= ?3)",
	[USERS_STMT_DELETE_EXPIRED_PENDING] =
		"DELETE FROM users WHERE status = 'pending' AND NOT EXISTS (SELECT 1 FROM"
		" one_time_tokens t WHERE t.user_id = users.id AND t.used_at IS NULL"
		" AND t.expires_at > ?)",
};

const struct db_table users_store_table = {DB_STORE_USERS, "users", users_sql, USERS_STMT__MAX};

static const char *const role_names[] = {"anyone", "member", "coordinator", "admin"};
static const char *const status_names[] = {"pending", "active", "disabled"};

const char *
role_name(enum role r)
{
	return role_names[r];
}

bool
role_parse(const char *s, enum role *out)
{
	for (int i = ROLE_MEMBER; i <= ROLE_ADMIN; i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*out = (enum role)i;
			return true;
		}
	return false;
}

const char *
user_status_name(enum user_status s)
{
	return status_names[s];
}

static enum user_status
status_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (strcmp(s, status_names[i]) == 0)
			return (enum user_status)i;
	return USER_DISABLED; /* unknown: fail closed */
}

static struct db_stmt *
stmt(struct db *db, enum users_stmt s)
{
	return db_stmt(db, &users_store_table, s);
}

static void
read_user(struct arena *a, struct db_stmt *st, struct user *u)
{
	memset(u, 0, sizeof(*u));
	u->id = db_column_int(st, 0);
	u->email = db_column_text(a, st, 1);
	u->name = db_column_text(a, st, 2);
	enum role r = ROLE_ANYONE;
	role_parse(db_column_peek(st, 3), &r);
	u->role = r;
	u->status = status_parse(db_column_peek(st, 4));
	u->org_id = db_column_int(st, 5);
	u->lang = db_column_text(a, st, 6);
	u->created_at = db_column_text(a, st, 7);
}

int
users_store_hash_password(const char *pw, size_t len, struct user_secret *s)
{
	return password_hash(pw, len, s->opaque_);
}

void
users_store_secret_clear(struct user_secret *s)
{
	sodium_memzero(s->opaque_, sizeof(s->opaque_));
}

static const char *
lang_or_fr(const char *lang)
{
	return lang && strcmp(lang, "en") == 0 ? "en" : "fr";
}

long long
users_store_create(struct db *db, const char *email, const char *name, const struct user_secret *pw,
		   enum role role, enum user_status status, long long org_id, const char *lang)
{
	if (pw->opaque_[0] == '\0')
		return -1; /* never hashed: no account without a password */
	struct db_stmt *st = stmt(db, USERS_STMT_INSERT);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name ? name : "");
	db_bind_text(st, 3, pw->opaque_);
	db_bind_text(st, 4, role_name(role));
	db_bind_text(st, 5, user_status_name(status));
	db_bind_int(st, 6, org_id);
	db_bind_text(st, 7, lang_or_fr(lang));
	return db_insert(st); /* 0: the address is taken */
}

long long
users_store_create_pending(struct db *db, const char *email, const char *name,
			   const struct user_secret *pw, const char *org_name, const char *org_kind,
			   const char *lang, time_t now)
{
	if (pw->opaque_[0] == '\0')
		return -1;
	struct db_stmt *st = stmt(db, USERS_STMT_INSERT_PENDING);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	db_bind_text(st, 2, name ? name : "");
	db_bind_text(st, 3, pw->opaque_);
	db_bind_text(st, 4, lang_or_fr(lang));
	db_bind_text(st, 5, org_name);
	db_bind_text(st, 6, org_kind);
	db_bind_time(st, 7, now);
	return db_insert(st);
}

/* Steps a statement giving at most one person: 1 read into out, 0 none, -1. */
static int
get_one(struct db_stmt *st, struct arena *a, struct user *out)
{
	int rc = db_step(st);
	if (rc == 1) {
		read_user(a, st, out);
		db_reset(st);
	}
	return rc;
}

int
users_store_get_by_email(struct db *db, const char *email, struct arena *a, struct user *out)
{
	struct db_stmt *st = stmt(db, USERS_STMT_GET_BY_EMAIL);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	return get_one(st, a, out);
}

int
users_store_get(struct db *db, long long id, struct arena *a, struct user *out)
{
	struct db_stmt *st = stmt(db, USERS_STMT_GET_BY_ID);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	return get_one(st, a, out);
}

int
users_store_check_password(struct db *db, const char *email, const char *pw, size_t len,
			   struct arena *a, struct user *out)
{
	struct db_stmt *st = stmt(db, USERS_STMT_HASH_BY_EMAIL);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, email);
	/* A hash string, never longer than libsodium writes it: a fixed buffer is right here. */
	char hash[crypto_pwhash_STRBYTES] = "";
	int rc = db_step(st);
	if (rc == 1) {
		snprintf(hash, sizeof(hash), "%s", db_column_peek(st, 0));
		db_reset(st);
	}
	if (rc < 0)
		return -1;
	if (rc == 0) {
		/* Same work for an unknown address: the answer time tells nothing. */
		password_verify_dummy(pw, len);
		return 0;
	}
	if (!password_verify(hash, pw, len))
		return 0;
	return users_store_get_by_email(db, email, a, out);
}

/* Runs one of the UPDATEs that take (id, text): 0, or -1 (logged). */
static int
set_text(struct db *db, enum users_stmt s, long long id, const char *text)
{
	struct db_stmt *st = stmt(db, s);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, text);
	db_bind_int(st, 2, id);
	return db_run(st) < 0 ? -1 : 0;
}

int
users_store_set_password(struct db *db, long long id, const struct user_secret *pw)
{
	if (pw->opaque_[0] == '\0')
		return -1;
	return set_text(db, USERS_STMT_SET_HASH, id, pw->opaque_);
}

int
users_store_set_role(struct db *db, long long id, enum role role)
{
	return set_text(db, USERS_STMT_SET_ROLE, id, role_name(role));
}

int
users_store_set_status(struct db *db, long long id, enum user_status status)
{
	return set_text(db, USERS_STMT_SET_STATUS, id, user_status_name(status));
}

int
users_store_confirm(struct db *db, long long id)
{
	struct db_stmt *st = stmt(db, USERS_STMT_CONFIRM);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_time(st, 2, time(NULL));
	return db_run(st) < 0 ? -1 : 0;
}

int
users_store_signup_org(struct db *db, long long id, struct arena *a, char **name, char **kind)
{
	struct db_stmt *st = stmt(db, USERS_STMT_SIGNUP_ORG);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	int rc = db_step(st);
	if (rc == 1) {
		*name = arena_strdup(a, db_column_peek(st, 0));
		*kind = arena_strdup(a, db_column_peek(st, 1));
		db_reset(st);
	}
	return rc;
}

int
users_store_set_org(struct db *db, long long id, long long org_id)
{
	struct db_stmt *st = stmt(db, USERS_STMT_SET_ORG);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_int(st, 2, org_id);
	return db_run(st) == 1 ? 0 : -1;
}

int
users_store_signup_mail_due(struct db *db, long long id, time_t now, long window)
{
	struct db_stmt *st = stmt(db, USERS_STMT_SIGNUP_MAIL_DUE);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	db_bind_time(st, 2, now);
	db_bind_time(st, 3, now - window);
	int n = db_run(st);
	return n < 0 ? -1 : n == 1;
}

int
users_store_delete_expired_pending(struct db *db, time_t now)
{
	struct db_stmt *st = stmt(db, USERS_STMT_DELETE_EXPIRED_PENDING);
	if (st == NULL)
		return -1;
	db_bind_time(st, 1, now);
	return db_run(st);
}

int
users_store_list(struct db *db, long long after_id, int limit, struct arena *a,
		 void (*fn)(void *ctx, const struct user *u), void *ctx)
{
	struct db_stmt *st = stmt(db, USERS_STMT_LIST);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, after_id);
	db_bind_int(st, 2, limit);
	int n = 0, rc;
	struct user u;
	while ((rc = db_step(st)) == 1) {
		read_user(a, st, &u);
		fn(ctx, &u);
		n++;
	}
	return rc < 0 ? -1 : n;
}

int
users_store_count(struct db *db, long long counts[3])
{
	struct db_stmt *st = stmt(db, USERS_STMT_COUNT);
	if (st == NULL)
		return -1;
	counts[0] = counts[1] = counts[2] = 0;
	int rc;
	while ((rc = db_step(st)) == 1)
		counts[status_parse(db_column_peek(st, 0))] = db_column_int(st, 1);
	return rc < 0 ? -1 : 0;
}

int
users_store_other_admin(struct db *db, long long id)
{
	struct db_stmt *st = stmt(db, USERS_STMT_OTHER_ADMIN);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, id);
	return (int)db_one_int(st, 0);
}
