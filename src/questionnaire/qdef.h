/* qdef.h - questionnaire definitions (docs/questionnaire-format.md): loading and checking,
 * question roles, conditions, and reading answers from a form. Pure: no HTTP, no SQL. */
#ifndef COEXIST_QDEF_H
#define COEXIST_QDEF_H

#include <stdbool.h>
#include <stddef.h>

#include "vocab/vocab.h"

struct arena;
struct http_field;

enum qtype {
	Q_SINGLE,
	Q_MULTI,
	Q_TEXT,
	Q_LONGTEXT,
	Q_INTEGER,
	Q_YEAR,
	Q_SCALE,
	Q_EMAIL,
	Q_COUNTRIES,
	Q_GROUP,
	Q_PICK,
	Q_CONSENT,
};

/* What a question is for, as the code knows it. The questionnaire file gives each role to at
 * most one question ("role": "outcome"), and the code asks for a role, never for a key: a
 * question renamed in a new version keeps its role and its use (docs/questionnaire-format.md
 * lists them, qrole.c says which types each takes and which every questionnaire needs). */
enum qrole {
	QR_NONE,
	/* the respondent and their organisation */
	QR_RESPONDENT_EMAIL,
	QR_ORG_NAME,
	QR_ORG_KIND,
	QR_ORG_COUNTRY,
	/* the partnership */
	QR_TITLE,
	QR_SUMMARY,
	QR_PARTNERS,     /* the group of partner organisations */
	QR_PARTNER_NAME, /* fields of that group (its first row is the case's partner) */
	QR_PARTNER_KIND,
	QR_PARTNER_COUNTRY,
	QR_START_YEAR,
	QR_STAGE,
	QR_SECTORS,
	QR_COUNTRIES,
	QR_SDGS,
	/* the cooperation */
	QR_PARTNERSHIP_TYPE,
	QR_RESOURCES,
	QR_RESOURCE_DIRECTION, /* a detail of the resources question */
	QR_AGREEMENT,
	QR_GOVERNANCE,
	/* results, factors, obstacles */
	QR_OUTCOME,
	QR_SUCCESS_FACTORS,
	QR_OBSTACLES,
	QR_OBSTACLE_OVERCOME, /* details of the obstacles question */
	QR_OBSTACLE_HOW,
	QR_LESSONS,
	QR_ADVICE,
	/* consents and what comes next */
	QR_CONSENT_ANALYSIS,
	QR_CONSENT_PUBLIC_NAMED,
	QR_CONSENT_PUBLIC_ANONYMOUS,
	QR_CONSENT_EVENTS,
	QR_MAY_CONTACT,
	QR_INVITE_PARTNER,
	QR_PARTNER_EMAIL,
	QR__MAX
};

enum qcond_op { QC_ALWAYS, QC_EQUALS, QC_IN, QC_INCLUDES, QC_ANSWERED };

struct qcond {
	enum qcond_op op;
	const char *question;
	const char *const *values; /* EQUALS and INCLUDES: one; IN: several */
	size_t nvalues;
};

struct question {
	const char *key;
	enum qtype type;
	struct qtext label, help; /* help.fr == NULL when absent */
	bool required, personal, other;
	struct qcond show_if;
	const struct qoption *options; /* single, multi; countries: the country list */
	size_t noptions;
	long min, max;                     /* integer, year: range; multi, countries, pick: count */
	size_t max_length;                 /* text, longtext */
	struct qtext min_label, max_label; /* scale */
	struct question *fields;           /* group: its fields; multi: its details */
	size_t nfields;
	long min_rows, max_rows;     /* group */
	const struct question *from; /* pick: the multi question it picks from */
	const char *notice_version;  /* consent */
	size_t section;              /* index of its section */
	enum qrole role;             /* QR_NONE when it has none */
};

struct qsection {
	const char *key;
	struct qtext title, intro; /* intro.fr == NULL when absent */
	struct qcond show_if;
	struct question *questions;
	size_t nquestions;
};

struct qdef {
	const char *key;
	int version;
	struct qtext title, intro;
	int estimated_minutes;
	struct qsection *sections;
	size_t nsections;
	/* The question of each role (NULL when none has it) and the answer key it is stored
	 * under: "org_name", "partners.name" for a group field; NULL for a detail, whose keys
	 * hold the option code (qdef_detail_key). */
	const struct question *roles[QR__MAX];
	const char *role_keys[QR__MAX];
	void *priv; /* the memory behind it all */
};

/* Parses and checks a definition: unknown type, duplicate key, a condition naming an unknown
 * or later question, an option without a French or English label, an unknown vocab, a pick
 * whose "from" is not an earlier multi question, … → NULL with "name: key: reason" in err. */
struct qdef *qdef_parse(const char *name, const char *json, size_t len, const struct vocab_set *v,
			char *err, size_t errlen);
/* Reads a file and parses it (name in messages: the path). */
struct qdef *qdef_load(const char *path, const struct vocab_set *v, char *err, size_t errlen);
void qdef_free(struct qdef *d);
/* The question of a key (group fields and details are not looked up), or NULL. */
const struct question *qdef_find(const struct qdef *d, const char *key);
/* Number of questions, all sections together (for the progress and the codebook). */
size_t qdef_count(const struct qdef *d);

/* ---- roles (qrole.c) ---- */

/* The name of a role in questionnaire files ("outcome"), or NULL for QR_NONE. */
const char *qrole_name(enum qrole role);
/* The role of a name, or QR_NONE when there is none of that name. */
enum qrole qrole_parse(const char *name);
/* The question (or group field, or detail) that has a role, or NULL: when it has none, or d is
 * NULL (a campaign whose questionnaire is not loaded). */
const struct question *qdef_by_role(const struct qdef *d, enum qrole role);
/* The answer key of a role ("org_name", "partners.name"), or NULL when no question has it, d is
 * NULL, or the role is a detail's. The answers_ functions take NULL as a key that has no rows. */
const char *qdef_role_key(const struct qdef *d, enum qrole role);
/* The answer key of a detail role for one option code ("resources.skills.direction", in the
 * arena), or NULL when no detail has that role. */
const char *qdef_detail_key(const struct qdef *d, enum qrole role, const char *code,
			    struct arena *a);
/* Checks that d gives every role the program needs (start-up refuses a questionnaire without
 * them). False with "name: role 'outcome': reason" in err. */
bool qdef_roles_complete(const struct qdef *d, const char *name, char *err, size_t errlen);
/* The roles of every definition as JSON, for SQL that must find answers by role over campaigns
 * of several questionnaires (bound to a statement and read with json_each): an array of
 * [questionnaire, version, role number, key, detail], where key is the role's answer key, or
 * for a detail role its question's key and detail the detail's key (else ""). malloc'd. */
char *qdef_roles_json(const struct qdef *const *defs, size_t n);

/* ---- answers ---- */

struct answer {
	const char *key; /* "sectors", "partners.name", "resources.skills.direction", "x.other" */
	int position;
	const char *value;
};

struct answers {
	struct answer *rows;
	size_t n, cap;
	struct arena *arena; /* rows and copies live here */
};

void answers_init(struct answers *a, struct arena *arena);
/* Adds a row (key and value are copied into the arena). */
void answers_add(struct answers *a, const char *key, int position, const char *value);
/* The value at key and position, or NULL (also for a NULL key). */
const char *answers_get(const struct answers *a, const char *key, int position);
/* How many rows key has (0 for a NULL key). */
size_t answers_count(const struct answers *a, const char *key);
/* True when a row of key has value (false for a NULL key). */
bool answers_has(const struct answers *a, const char *key, const char *value);
/* Removes every row of a question: its key, and keys starting with "key." */
void answers_remove_question(struct answers *a, const char *key);
/* Adds to a the rows of a question (key and "key.…") held by from. */
void answers_copy_question(struct answers *a, const struct answers *from, const char *key);
/* True when a and b hold the same rows, in any order. */
bool answers_equal(const struct answers *a, const struct answers *b);

/* ---- conditions ---- */

bool qcond_holds(const struct qcond *c, const struct answers *a);
/* A question shows when its section shows and its own condition holds. */
bool qdef_section_visible(const struct qdef *d, size_t section, const struct answers *a);
bool qdef_question_visible(const struct qdef *d, const struct question *q, const struct answers *a);
/* Removes the answers of every hidden question (conditions may chain: repeats until stable). */
void qdef_prune_hidden(const struct qdef *d, struct answers *a);

/* ---- reading a page ---- */

/* Why an answer is refused; each has a translation key "survey.error.CODE". */
enum qerror_code {
	QE_REQUIRED,
	QE_TOO_LONG,
	QE_NOT_INTEGER,
	QE_OUT_OF_RANGE,
	QE_UNKNOWN_OPTION,
	QE_TOO_MANY,
	QE_TOO_FEW,
	QE_BAD_EMAIL,
	QE_NOT_TICKED_BEFORE, /* pick: a choice not ticked in "from" */
	QE_OTHER_MISSING,     /* "other" ticked without saying what */
};

struct qerror {
	const char *key; /* the form field to show it next to ("partners.name.1", "sectors") */
	enum qerror_code code;
	long limit; /* the limit broken (length, count, bound), when there is one */
};

const char *qerror_key(enum qerror_code code);

/* Reads the questions of section s from form fields into out (which should hold the saved
 * answers: conditions are evaluated on them plus this page). Unknown fields are ignored,
 * hidden questions dropped; a question with a malformed answer is reported and keeps, whole,
 * the answer it had in out (a refused answer never deletes the one saved before). With
 * check_required, missing required answers of visible questions are reported too. Returns the
 * number of errors; *errors (in the arena) lists them. */
size_t qdef_read_section(const struct qdef *d, size_t s, const struct http_field *fields,
			 size_t nfields, bool check_required, struct answers *out,
			 struct qerror **errors);
/* Adds to out what the form holds for question q, unchecked, laid out as its answers would be
 * (group rows numbered as qdef_read_section numbers them): to show a page back as typed. */
void qdef_typed_question(const struct question *q, const struct http_field *fields, size_t n,
			 struct answers *out);
/* Checks every visible required question of every visible section (before submitting). */
size_t qdef_check_complete(const struct qdef *d, const struct answers *a, struct qerror **errors);

#endif
