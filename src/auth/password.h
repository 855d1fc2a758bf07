/* password.h - password policy, the common-password list and argon2id hashing. */
#ifndef COEXIST_PASSWORD_H
#define COEXIST_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

#include <sodium.h>

#define PASSWORD_MIN_CHARS 12  /* code points */
#define PASSWORD_MAX_CHARS 128 /* code points; longer is refused, never truncated */

enum password_problem {
	PASSWORD_OK,
	PASSWORD_TOO_SHORT,
	PASSWORD_TOO_LONG,
	PASSWORD_NOT_TEXT,
	PASSWORD_COMMON,
	PASSWORD_IS_EMAIL,
};

/* Loads the list of common passwords (UTF-8, one a line, blank lines and '#' comments skipped)
 * and makes it the process-wide list, replacing any previous one. Call at start-up, before
 * threads use password_check(). Returns 0, or -1 with "path:line: reason" in err (the previous
 * list, if any, stays in place). */
int password_list_load(const char *path, char *err, size_t errlen);
/* Releases the list; password_check() then skips the list check. */
void password_list_free(void);
/* Returns the number of distinct entries loaded (0 when none). */
size_t password_list_count(void);
/* Checks a candidate password of len bytes against the policy: valid UTF-8 text without control
 * characters, 12 to 128 code points, not in the common list (ASCII letters compared without
 * case), and not the e-mail address or its local part (email may be NULL). Returns the first
 * problem found, or PASSWORD_OK. */
enum password_problem password_check(const char *pw, size_t len, const char *email);
/* Returns the translation key that explains a problem, e.g. "password.too_short". */
const char *password_problem_key(enum password_problem p);
/* Hashes a password with argon2id into a NUL-terminated "$argon2id$..." string; sodium_init()
 * must have run (main does). Returns 0, or -1 when memory for the hash cannot be had. */
int password_hash(const char *pw, size_t len, char out[crypto_pwhash_STRBYTES]);
/* Returns true when pw matches the stored hash; the comparison takes constant time and a
 * malformed or NULL hash never matches. */
bool password_verify(const char *hash, const char *pw, size_t len);
/* Returns true when a stored hash was made with other parameters (or another algorithm) than
 * password_hash() uses now, so it should be replaced after the next successful sign-in. */
bool password_needs_rehash(const char *hash);
/* Spends the time of one password_verify() against a fixed hash, so that signing in to an
 * address that has no account takes as long as a wrong password for one that does. */
void password_verify_dummy(const char *pw, size_t len);

#endif
