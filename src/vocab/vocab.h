/* vocab.h - the shared vocabulary: option lists (data/vocab/NAME.json) and the countries with
 * their UN M49 regions (data/countries.json), in French and English. One list, used by the
 * questionnaire, the catalogue's facets, the analysis and the matching. */
#ifndef COEXIST_VOCAB_H
#define COEXIST_VOCAB_H

#include <stdbool.h>
#include <stddef.h>

struct qtext {
	const char *fr, *en; /* both present, never NULL */
};

struct qoption {
	const char *code;
	struct qtext label;
	const char *group; /* countries: UN M49 region code (e.g. "011"); NULL otherwise */
};

/* A list of options shared by several questions: data/vocab/NAME.json, or the countries. */
struct vocab {
	const char *key;
	struct qoption *options;
	size_t n;
};

struct vocab_set {
	struct vocab *lists;
	size_t n;
	struct vocab countries;  /* data/countries.json: code = ISO 3166-1 alpha-2 */
	struct qoption *regions; /* UN M49 regions named in countries (code, label) */
	size_t nregions;
};

/* Loads data/vocab/ (every *.json) and data/countries.json from dir ("data"). NULL with
 * "file: reason" in err. */
struct vocab_set *vocab_load(const char *dir, char *err, size_t errlen);
const struct vocab *vocab_find(const struct vocab_set *v, const char *key);
/* The label of an option code in a list, or NULL. */
const struct qoption *vocab_option(const struct qoption *opts, size_t n, const char *code);
void vocab_free(struct vocab_set *v);

#endif
