/* user_cli.c - `coexist user add|list|role|disable|enable`: people managed from the shell. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "audit/audit.h"
#include "auth.h"
#include "base/arena.h"
#include "config.h"
#include "db/db.h"
#include "password.h"
#include "user_cli.h"
#include "web/form.h"

/* Reads one line from standard input, without echo when it is a terminal. */
static bool
read_secret(const char *prompt, char *out, size_t n)
{
	bool tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "%s", prompt);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	bool ok = fgets(out, (int)n, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fprintf(stderr, "\n");
	}
	if (!ok)
		return false;
	size_t len = strlen(out);
	if (len > 0 && out[len - 1] != '\n' && !feof(stdin))
		return false; /* longer than the buffer: refused rather than cut */
	while (len > 0 && (out[len - 1] == '\n' || out[len - 1] == '\r'))
		out[--len] = '\0';
	return true;
}

static const char *const problems[] = {
	[PASSWORD_OK] = "accepted",
	[PASSWORD_TOO_SHORT] = "too short: at least 12 characters",
	[PASSWORD_TOO_LONG] = "too long: 128 characters at most",
	[PASSWORD_NOT_TEXT] = "contains characters that are not allowed",
	[PASSWORD_COMMON] = "too common: it is in the list of passwords people often choose",
	[PASSWORD_IS_EMAIL] = "must not be the e-mail address",
};

static int
user_add(const struct config *c, struct db *db, struct arena *a, int argc, char **argv)
{
	enum role role = ROLE_MEMBER;
	const char *name = "", *email = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--role") == 0 && i + 1 < argc) {
			if (!role_parse(argv[++i], &role)) {
				fprintf(stderr,
					"coexist user add: unknown role '%s' (member, coordinator, "
					"admin)\n",
					argv[i]);
				return 2;
			}
		} else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc) {
			name = argv[++i];
		} else if (argv[i][0] == '-' || email) {
			fprintf(stderr, "coexist user add: unexpected argument '%s'\n", argv[i]);
			return 2;
		} else {
			email = argv[i];
		}
	}
	if (email == NULL || !form_email_valid(email)) {
		fprintf(stderr, "coexist user add: expected a valid e-mail address\n");
		return 2;
	}
	char path[1100], err[512];
	snprintf(path, sizeof(path), "%s/data/common-passwords.txt", c->share);
	if (password_list_load(path, err, sizeof(err)) != 0) {
		fprintf(stderr, "coexist user add: %s\n", err);
		return 1;
	}
	char pw[600], again[600];
	if (!read_secret("Password: ", pw, sizeof(pw))) {
		fprintf(stderr, "coexist user add: no password given on standard input\n");
		return 2;
	}
	enum password_problem p = password_check(pw, strlen(pw), email);
	if (p != PASSWORD_OK) {
		fprintf(stderr, "coexist user add: password %s\n", problems[p]);
		return 2;
	}
	if (isatty(STDIN_FILENO) &&
	    (!read_secret("Again: ", again, sizeof(again)) || strcmp(pw, again) != 0)) {
		fprintf(stderr, "coexist user add: the two passwords differ\n");
		return 2;
	}
	/* Hashed before the transaction: a server on the same database must not wait for it. */
	struct user_secret secret;
	int hashed = users_store_hash_password(pw, strlen(pw), &secret);
	sodium_memzero(pw, sizeof(pw));
	sodium_memzero(again, sizeof(again));
	if (hashed != 0) {
		fprintf(stderr, "coexist user add: not enough memory to hash the password\n");
		return 1;
	}
	if (db_begin(db) != 0) {
		users_store_secret_clear(&secret);
		return 1;
	}
	/* Made by someone trusted with the shell: the address counts as confirmed. */
	long long id = users_store_create(db, email, name, &secret, role, USER_PENDING, 0, "fr");
	users_store_secret_clear(&secret);
	struct user u;
	if (id <= 0 || users_store_confirm(db, id) != 0 || users_store_get(db, id, a, &u) != 1 ||
	    audit_store_add(db, AUDIT_SHELL, "user.create", "user", id, role_name(role)) != 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		fprintf(stderr,
			id == 0 ? "coexist user add: %s already has an account\n"
				: "coexist user add: could not save %s\n",
			email);
		return 1;
	}
	printf("added %s (%s), id %lld\n", email, role_name(role), id);
	return 0;
}

static void
print_user(void *ctx, const struct user *u)
{
	*(long long *)ctx = u->id;
	printf("%-6lld %-40s %-12s %-9s %s\n", u->id, u->email, role_name(u->role),
	       user_status_name(u->status), u->name);
}

static int
user_list(struct db *db, struct arena *a)
{
	printf("%-6s %-40s %-12s %-9s %s\n", "id", "email", "role", "status", "name");
	long long after = 0;
	int n;
	do { /* a page at a time, by id; the texts of one page at a time in memory */
		n = users_store_list(db, after, 500, a, print_user, &after);
		arena_free(a);
		if (n < 0)
			return 1;
	} while (n == 500);
	return 0;
}

static int
find(struct db *db, struct arena *a, const char *cmd, const char *email, struct user *u)
{
	int rc = users_store_get_by_email(db, email, a, u);
	if (rc == 0)
		fprintf(stderr, "coexist user %s: no account for %s\n", cmd, email);
	return rc == 1 ? 0 : 1;
}

static int
user_role(struct db *db, struct arena *a, int argc, char **argv)
{
	enum role role;
	struct user u;
	if (argc != 3 || !role_parse(argv[2], &role)) {
		fprintf(stderr,
			"coexist user role: expected EMAIL and member, coordinator or admin\n");
		return 2;
	}
	if (find(db, a, "role", argv[1], &u) != 0)
		return 1;
	if (u.role == ROLE_ADMIN && role != ROLE_ADMIN && users_store_other_admin(db, u.id) != 1) {
		fprintf(stderr, "coexist user role: %s is the last active admin\n", u.email);
		return 1;
	}
	char detail[64];
	snprintf(detail, sizeof(detail), "%s -> %s", role_name(u.role), role_name(role));
	if (db_begin(db) != 0 || users_store_set_role(db, u.id, role) != 0 ||
	    audit_store_add(db, AUDIT_SHELL, "user.role", "user", u.id, detail) != 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		return 1;
	}
	printf("%s is now %s\n", u.email, role_name(role));
	return 0;
}

static int
user_status(struct db *db, struct arena *a, int argc, char **argv, enum user_status st)
{
	struct user u;
	const char *cmd = st == USER_DISABLED ? "disable" : "enable";
	if (argc != 2) {
		fprintf(stderr, "coexist user %s: expected one e-mail address\n", cmd);
		return 2;
	}
	if (find(db, a, cmd, argv[1], &u) != 0)
		return 1;
	if (st == USER_DISABLED && u.role == ROLE_ADMIN && users_store_other_admin(db, u.id) != 1) {
		fprintf(stderr, "coexist user disable: %s is the last active admin\n", u.email);
		return 1;
	}
	if (db_begin(db) != 0 || users_store_set_status(db, u.id, st) != 0 ||
	    (st == USER_DISABLED && session_store_delete_by_user(db, u.id) != 0) ||
	    audit_store_add(db, AUDIT_SHELL, st == USER_DISABLED ? "user.disable" : "user.enable",
			    "user", u.id, u.email) != 0 ||
	    db_commit(db) != 0) {
		db_rollback(db);
		return 1;
	}
	printf("%s is now %s\n", u.email, user_status_name(st));
	return 0;
}

int
user_cli(const struct config *c, struct db *db, int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "coexist user: expected add, list, role, disable or enable\n");
		return 2;
	}
	const char *sub = argv[1];
	argc--, argv++;
	/* The command's own arena: what the store reads about people lives there. */
	struct arena a;
	arena_init(&a, 4096);
	int rc;
	if (strcmp(sub, "add") == 0) {
		rc = user_add(c, db, &a, argc, argv);
	} else if (strcmp(sub, "list") == 0) {
		if (argc != 1) {
			fprintf(stderr, "coexist user list: unexpected argument '%s'\n", argv[1]);
			rc = 2;
		} else {
			rc = user_list(db, &a);
		}
	} else if (strcmp(sub, "role") == 0) {
		rc = user_role(db, &a, argc, argv);
	} else if (strcmp(sub, "disable") == 0) {
		rc = user_status(db, &a, argc, argv, USER_DISABLED);
	} else if (strcmp(sub, "enable") == 0) {
		rc = user_status(db, &a, argc, argv, USER_ACTIVE);
	} else {
		fprintf(stderr, "coexist user: unknown subcommand '%s'\n", sub);
		rc = 2;
	}
	arena_free(&a);
	return rc;
}
