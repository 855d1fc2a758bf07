/* qrole.c - question roles: what each is for, the types it takes, where it sits, which every
 * questionnaire needs; the checks of a definition's roles, the lookups, and the map for SQL. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/log.h"
#include "qdef_priv.h"

#define T(t) (1u << (t))

#define TEXTS (T(Q_TEXT) | T(Q_LONGTEXT))

/* What each role takes (docs/questionnaire-format.md says what each is used for). A role sits
 * on a question of a section unless its place says a group field or a detail, of the question
 * whose role is its parent; "with" names a role it is of no use without; the "needed" ones are
 * given by every questionnaire the program runs. */
static const struct {
	const char *name;
	unsigned types; /* bits of enum qtype */
	enum qplace place;
	enum qrole parent;
	enum qrole with;
	bool needed;
} roles[QR__MAX] = {
	/* the respondent and their organisation */
	[QR_RESPONDENT_EMAIL] = {"respondent_email", T(Q_EMAIL)},
	[QR_ORG_NAME] = {"org_name", T(Q_TEXT), .needed = true},
	[QR_ORG_KIND] = {"org_kind", T(Q_SINGLE), .needed = true},
	[QR_ORG_COUNTRY] = {"org_country", T(Q_COUNTRIES)},
	/* the partnership */
	[QR_TITLE] = {"title", T(Q_TEXT), .needed = true},
	[QR_SUMMARY] = {"summary", TEXTS},
	[QR_PARTNERS] = {"partners", T(Q_GROUP)},
	[QR_PARTNER_NAME] = {"partner_name", T(Q_TEXT), QP_FIELD, QR_PARTNERS},
	[QR_PARTNER_KIND] = {"partner_kind", T(Q_SINGLE), QP_FIELD, QR_PARTNERS},
	[QR_PARTNER_COUNTRY] = {"partner_country", T(Q_COUNTRIES), QP_FIELD, QR_PARTNERS},
	[QR_START_YEAR] = {"start_year", T(Q_YEAR)},
	[QR_STAGE] = {"stage", T(Q_SINGLE), .needed = true},
	[QR_SECTORS] = {"sectors", T(Q_MULTI)},
	[QR_COUNTRIES] = {"countries", T(Q_COUNTRIES)},
	[QR_SDGS] = {"sdgs", T(Q_MULTI)},
	/* the cooperation */
	[QR_PARTNERSHIP_TYPE] = {"partnership_type", T(Q_SINGLE)},
	[QR_RESOURCES] = {"resources", T(Q_MULTI)},
	[QR_RESOURCE_DIRECTION] = {"resource_direction", T(Q_SINGLE), QP_DETAIL, QR_RESOURCES},
	[QR_AGREEMENT] = {"agreement", T(Q_SINGLE)},
	[QR_GOVERNANCE] = {"governance", T(Q_MULTI)},
	/* results, factors, obstacles */
	[QR_OUTCOME] = {"outcome", T(Q_SINGLE), .needed = true},
	[QR_SUCCESS_FACTORS] = {"success_factors", T(Q_MULTI)},
	[QR_OBSTACLES] = {"obstacles", T(Q_MULTI)},
	[QR_OBSTACLE_OVERCOME] = {"obstacle_overcome", T(Q_SINGLE), QP_DETAIL, QR_OBSTACLES},
	[QR_OBSTACLE_HOW] = {"obstacle_how", TEXTS, QP_DETAIL, QR_OBSTACLES},
	[QR_LESSONS] = {"lessons", TEXTS},
	[QR_ADVICE] = {"advice", TEXTS},
	/* consents and what comes next */
	[QR_CONSENT_ANALYSIS] = {"consent_analysis", T(Q_CONSENT), .needed = true},
	[QR_CONSENT_PUBLIC_NAMED] = {"consent_public_named", T(Q_CONSENT), .needed = true},
	[QR_CONSENT_PUBLIC_ANONYMOUS] = {"consent_public_anonymous", T(Q_CONSENT), .needed = true},
	[QR_CONSENT_EVENTS] = {"consent_events", T(Q_CONSENT), .needed = true},
	[QR_MAY_CONTACT] = {"may_contact", T(Q_SINGLE)},
	[QR_INVITE_PARTNER] = {"invite_partner", T(Q_SINGLE), .with = QR_PARTNER_EMAIL},
	[QR_PARTNER_EMAIL] = {"partner_email", T(Q_EMAIL), .with = QR_INVITE_PARTNER},
};

static bool
valid(enum qrole r)
{
	return r > QR_NONE && r < QR__MAX;
}

/* The name of a role in questionnaire files, or NULL for QR_NONE. */
const char *
qrole_name(enum qrole role)
{
	return valid(role) ? roles[role].name : NULL;
}

/* The role of a name, or QR_NONE. */
enum qrole
qrole_parse(const char *name)
{
	for (int r = QR_NONE + 1; name && r < QR__MAX; r++)
		if (strcmp(roles[r].name, name) == 0)
			return (enum qrole)r;
	return QR_NONE;
}

/* "an email question", "a text or longtext question": the types a role takes, for messages. */
static void
types_of(enum qrole r, char *out, size_t len)
{
	size_t n = 0, count = 0, total = 0;
	for (int t = 0; t <= Q_CONSENT; t++)
		total += (roles[r].types & T(t)) != 0;
	for (int t = 0; t <= Q_CONSENT && n < len; t++) {
		if (!(roles[r].types & T(t)))
			continue;
		const char *name = qdef_type_name((enum qtype)t);
		const char *sep = count == 0           ? (strchr("aeiou", name[0]) ? "an " : "a ")
				  : count + 1 == total ? " or "
						       : ", ";
		int k = snprintf(out + n, len - n, "%s%s", sep, name);
		n += k > 0 ? (size_t)k : 0;
		count++;
	}
}

static bool fail(const char *name, const char *key, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Writes "name: key: reason"; returns false. */
static bool
fail(const char *name, const char *key, char *err, size_t errlen, const char *fmt, ...)
{
	if (err == NULL || errlen == 0)
		return false;
	int n = snprintf(err, errlen, "%s: %s: ", name, key);
	if (n >= 0 && (size_t)n < errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return false;
}

/* Where a question sits, for messages: "a group field of the question whose role is 'x'". */
static const char *
place_of(enum qrole r, char *out, size_t len)
{
	if (roles[r].place == QP_QUESTION)
		snprintf(out, len, "a question of a section");
	else
		snprintf(out, len, "a %s of the question whose role is '%s'",
			 roles[r].place == QP_FIELD ? "group field" : "detail",
			 roles[roles[r].parent].name);
	return out;
}

struct indexing {
	struct qdef *d;
	struct arena *ar;
	const char *name;
	char *err;
	size_t errlen;
	const char *holder[QR__MAX]; /* who has each role, as messages name it */
};

/* One question, field or detail (ekey names it; parent: the group or multi it belongs to). */
static bool
index_one(struct indexing *x, const struct question *q, const char *ekey, enum qplace place,
	  const struct question *parent)
{
	enum qrole r = q->role;
	if (r == QR_NONE)
		return true;
	char what[160];
	if (x->holder[r])
		return fail(x->name, ekey, x->err, x->errlen, "role '%s' is already given to '%s'",
			    roles[r].name, x->holder[r]);
	if (roles[r].place != place || (parent && parent->role != roles[r].parent))
		return fail(x->name, ekey, x->err, x->errlen, "role '%s' belongs to %s",
			    roles[r].name, place_of(r, what, sizeof(what)));
	if (!(roles[r].types & T(q->type))) {
		types_of(r, what, sizeof(what));
		return fail(x->name, ekey, x->err, x->errlen, "role '%s' needs %s question, not %s",
			    roles[r].name, what, qdef_type_name(q->type));
	}
	x->holder[r] = ekey;
	x->d->roles[r] = q;
	if (place == QP_QUESTION)
		x->d->role_keys[r] = q->key;
	else if (place == QP_FIELD)
		x->d->role_keys[r] = ekey;
	return true;
}

/* Indexes the roles of a parsed definition; false with "name: key: reason". */
bool
qrole_index(struct qdef *d, struct arena *ar, const char *name, char *err, size_t errlen)
{
	struct indexing x = {.d = d, .ar = ar, .name = name, .err = err, .errlen = errlen};
	for (size_t s = 0; s < d->nsections; s++)
		for (size_t i = 0; i < d->sections[s].nquestions; i++) {
			const struct question *q = &d->sections[s].questions[i];
			if (!index_one(&x, q, q->key, QP_QUESTION, NULL))
				return false;
			enum qplace sub = q->type == Q_GROUP ? QP_FIELD : QP_DETAIL;
			for (size_t k = 0; k < q->nfields; k++) {
				const struct question *f = &q->fields[k];
				const char *ekey = arena_printf(ar, "%s.%s", q->key, f->key);
				if (!index_one(&x, f, ekey, sub, q))
					return false;
			}
		}
	for (int r = QR_NONE + 1; r < QR__MAX; r++)
		if (d->roles[r] && roles[r].with && d->roles[roles[r].with] == NULL)
			return fail(name, x.holder[r], err, errlen,
				    "role '%s' needs a question with the role '%s' too",
				    roles[r].name, roles[roles[r].with].name);
	return true;
}

/* The question of a role, or NULL. */
const struct question *
qdef_by_role(const struct qdef *d, enum qrole role)
{
	return d && valid(role) ? d->roles[role] : NULL;
}

/* The answer key of a question or group field role, or NULL. */
const char *
qdef_role_key(const struct qdef *d, enum qrole role)
{
	return d && valid(role) ? d->role_keys[role] : NULL;
}

/* "question.CODE.detail" for a detail role, in the arena; NULL when no detail has the role. */
const char *
qdef_detail_key(const struct qdef *d, enum qrole role, const char *code, struct arena *a)
{
	if (d == NULL || !valid(role) || roles[role].place != QP_DETAIL || d->roles[role] == NULL ||
	    d->roles[roles[role].parent] == NULL)
		return NULL;
	return arena_printf(a, "%s.%s.%s", d->roles[roles[role].parent]->key, code,
			    d->roles[role]->key);
}

/* True when d gives every role the program needs; else "name: role 'x': reason" in err. */
bool
qdef_roles_complete(const struct qdef *d, const char *name, char *err, size_t errlen)
{
	for (int r = QR_NONE + 1; r < QR__MAX; r++)
		if (roles[r].needed && d->roles[r] == NULL) {
			char what[160], key[80];
			types_of((enum qrole)r, what, sizeof(what));
			snprintf(key, sizeof(key), "role '%s'", roles[r].name);
			return fail(
				name, key, err, errlen,
				"no question has it; every questionnaire needs it (on %s question)",
				what);
		}
	return true;
}

/* The roles of every definition, as a JSON array of [questionnaire, version, role, key,
 * detail] (malloc'd). */
char *
qdef_roles_json(const struct qdef *const *defs, size_t n)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		for (int r = QR_NONE + 1; r < QR__MAX; r++) {
			const struct qdef *d = defs[i];
			if (d->roles[r] == NULL)
				continue;
			bool detail = roles[r].place == QP_DETAIL;
			const char *key = detail ? d->roles[roles[r].parent]->key : d->role_keys[r];
			json_array_append_new(rows, json_pack("[siiss]", d->key, d->version, r, key,
							      detail ? d->roles[r]->key : ""));
		}
	char *s = json_dumps(rows, JSON_COMPACT);
	json_decref(rows);
	if (s == NULL)
		die("qdef: out of memory");
	return s;
}
