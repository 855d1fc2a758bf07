/* i18n.h - French-first message catalogues (locale/fr.txt, locale/en.txt) and language choice. */
#ifndef COEXIST_I18N_H
#define COEXIST_I18N_H

#include <stdbool.h>
#include <stddef.h>

/* French first: LANG_FR is the default everywhere a language is not known. */
enum lang { LANG_FR, LANG_EN, LANG__MAX };

struct i18n;

/* Loads DIR/fr.txt and DIR/en.txt. Format: one "key = text" a line, '#' starts a comment
 * line, blank lines ignored, keys [a-z0-9_.-]+, text is UTF-8 kept as written (leading and
 * trailing blanks trimmed). Refused (NULL, "file:line: reason" in err) on a malformed line, a
 * duplicate key, invalid UTF-8, or a key present in one language and missing in the other. */
struct i18n *i18n_load_dir(const char *dir, char *err, size_t errlen);
/* Same from two in-memory catalogues (for tests); names are used in error messages. */
struct i18n *i18n_load_strings(const char *fr, const char *en, char *err, size_t errlen);
/* Returns the index of a key, or -1 when unknown (templates resolve keys once at compile). */
int i18n_index(const struct i18n *t, const char *key);
/* Returns the text at an index in a language. */
const char *i18n_at(const struct i18n *t, enum lang lang, int index);
/* Returns the text of a key in a language, or the key itself when unknown (never NULL). */
const char *i18n_get(const struct i18n *t, enum lang lang, const char *key);
/* Number of keys. */
size_t i18n_count(const struct i18n *t);
void i18n_free(struct i18n *t);

/* "fr" or "en". */
const char *lang_code(enum lang lang);
/* Parses "fr" or "en" (exactly); false otherwise. */
bool lang_from_code(const char *s, enum lang *out);
/* Chooses from an Accept-Language header value (q-values honoured, "fr-CH" counts as "fr");
 * LANG_FR when the header is NULL, malformed or names neither language. */
enum lang lang_negotiate(const char *accept_language);

#endif
