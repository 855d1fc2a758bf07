/* demo.c - demonstration content: each feature adds its loader to the table below. */
#include "demo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "base/token.h"
#include "db/db.h"
#include "orgs/orgs.h"
#include "cases/cases_demo.h"
#include "survey/survey_demo.h"
#include "db/meta.h"

/* Loads one feature's content; returns 0, or -1 with err. Runs inside a transaction. */
typedef int (*demo_loader)(struct db *db, FILE *out, char *err, size_t errlen);
/* Does a loader's slow work (hashing passwords) before its transaction; 0, or -1 with err. */
typedef int (*demo_prepare)(char *err, size_t errlen);

static int
demo_site(struct db *db, FILE *out, char *err, size_t errlen)
{
	(void)err, (void)errlen;
	if (meta_store_set(db, "site.demo", "true") != 0)
		return -1;
	fprintf(out, "  site: marked as a demonstration instance\n");
	return 0;
}

/* The demonstration people: a coordinator and a member of an NGO. */
static const struct {
	const char *email, *name;
	enum role role;
} people[] = {
	{"coordination@coexist.example", "Claire Coordination", ROLE_COORDINATOR},
	{"membre@ong-exemple.org", "Moussa Membre", ROLE_MEMBER},
};
#define NPEOPLE (sizeof(people) / sizeof(people[0]))

/* Their passwords, made and hashed by demo_accounts_prepare before the loader's transaction
 * (argon2id must not hold the write lock), printed once by demo_accounts. */
static struct {
	char pw[21];
	struct user_secret secret;
} made[NPEOPLE];

static int
demo_accounts_prepare(char *err, size_t errlen)
{
	for (size_t i = 0; i < NPEOPLE; i++) {
		char token[TOKEN_LEN + 1];
		token_new(token);
		snprintf(made[i].pw, sizeof(made[i].pw), "%.20s", token);
		if (users_store_hash_password(made[i].pw, strlen(made[i].pw), &made[i].secret) !=
		    0) {
			snprintf(err, errlen,
				 "demo accounts: not enough memory to hash a password");
			return -1;
		}
	}
	return 0;
}

/* A coordinator and a member of an NGO, whose passwords are printed here, once. */
static int
demo_accounts(struct db *db, FILE *out, char *err, size_t errlen)
{
	long long org = orgs_store_create(db, "ONG Exemple — Eau et santé", "ngo", "BF",
					  "Association de démonstration : accès à l'eau potable et "
					  "aux soins dans la région du Centre-Nord, Burkina Faso.");
	if (org < 0) {
		snprintf(err, errlen, "demo accounts: cannot create the organisation");
		return -1;
	}
	for (size_t i = 0; i < NPEOPLE; i++) {
		long long id = users_store_create(db, people[i].email, people[i].name,
						  &made[i].secret, people[i].role, USER_PENDING,
						  people[i].role == ROLE_MEMBER ? org : 0, "fr");
		users_store_secret_clear(&made[i].secret);
		if (id <= 0 || users_store_confirm(db, id) != 0) {
			snprintf(err, errlen, "demo accounts: cannot create %s", people[i].email);
			return -1;
		}
		fprintf(out, "  accounts: %-12s %-30s password %s  (shown once)\n",
			role_name(people[i].role), people[i].email, made[i].pw);
	}
	return 0;
}

/* The questionnaires and vocabularies, for loaders that need them (set by demo_load). */
static const struct app *demo_app;

static int
demo_survey(struct db *db, FILE *out, char *err, size_t errlen)
{
	return survey_demo_load(db, demo_app, out, err, errlen);
}

static int
demo_cases(struct db *db, FILE *out, char *err, size_t errlen)
{
	return cases_demo_load(db, demo_app, out, err, errlen);
}

/* name, loader, what it prepares outside its transaction: one line a feature, run in order. */
static const struct {
	const char *name;
	demo_loader load;
	demo_prepare prepare;
} loaders[] = {
	{"site", demo_site, NULL},
	{"accounts", demo_accounts, demo_accounts_prepare},
	{"survey", demo_survey, NULL},
	{"cases", demo_cases, NULL},
};

int
demo_load(struct db *db, const struct app *app, FILE *out, char *err, size_t errlen)
{
	demo_app = app;
	for (size_t i = 0; i < sizeof(loaders) / sizeof(loaders[0]); i++) {
		char key[64], when[32];
		snprintf(key, sizeof(key), "demo.%s", loaders[i].name);
		int have = meta_store_get(db, key, when, sizeof(when));
		if (have < 0) {
			snprintf(err, errlen, "cannot read the meta table");
			return -1;
		}
		if (have) {
			fprintf(out, "  %s: already loaded on %s\n", loaders[i].name, when);
			continue;
		}
		if (loaders[i].prepare && loaders[i].prepare(err, errlen) != 0)
			return -1;
		if (db_begin(db) != 0) {
			snprintf(err, errlen, "demo %s: cannot start a transaction",
				 loaders[i].name);
			return -1;
		}
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (loaders[i].load(db, out, err, errlen) != 0 ||
		    meta_store_set(db, key, when) != 0 || db_commit(db) != 0) {
			if (err[0] == '\0')
				snprintf(err, errlen, "demo %s: database error", loaders[i].name);
			db_rollback(db);
			return -1;
		}
	}
	return 0;
}
