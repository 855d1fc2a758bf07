/* survey_render.c - the values a questionnaire page shows: questions, options, answers, errors. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "http/http.h"
#include "survey_web.h"
#include "app/app.h"
#include "web/page.h"

static const char *
tx(const struct request *r, struct qtext t)
{
	return r->lang == LANG_EN ? t.en : t.fr;
}

static const char *
error_for(struct request *r, const struct qerror *errs, size_t nerrs, const char *field)
{
	for (size_t i = 0; i < nerrs; i++)
		if (strcmp(errs[i].key, field) == 0) {
			const char *msg = page_t(r, qerror_key(errs[i].code));
			switch (errs[i].code) { /* the limit broken, even when it is 0 */
			case QE_TOO_LONG:
			case QE_OUT_OF_RANGE:
			case QE_TOO_MANY:
			case QE_TOO_FEW:
				return arena_printf(&r->arena, "%s (%ld)", msg, errs[i].limit);
			default: return msg;
			}
		}
	return NULL;
}

/* The options of a choice question, ticked from the answers under key. */
static struct tval *
options(struct request *r, const struct qoption *opts, size_t n, const struct answers *a,
	const char *key, const char *id_prefix)
{
	struct tval *list = tv_list(&r->arena);
	for (size_t i = 0; i < n; i++) {
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "code", opts[i].code);
		tv_set_str(o, "label", tx(r, opts[i].label));
		tv_set_str(o, "id", arena_printf(&r->arena, "%s-%s", id_prefix, opts[i].code));
		tv_set_bool(o, "checked", answers_has(a, key, opts[i].code));
	}
	return list;
}

/* A sentence saying when a conditional question applies, e.g. «only if Stage is Completed». */
static const char *
condition_text(struct request *r, const struct qdef *d, const struct qcond *c)
{
	if (c->op == QC_ALWAYS)
		return NULL;
	const struct question *q = qdef_find(d, c->question);
	if (q == NULL)
		return NULL;
	struct buf b;
	buf_init(&b, &r->arena);
	buf_printf(&b, "%s « %s »", page_t(r, "survey.only_if"), tx(r, q->label));
	if (c->op == QC_ANSWERED) {
		buf_printf(&b, " %s", page_t(r, "survey.only_if.answered"));
		return b.data;
	}
	buf_printf(
		&b, " %s ",
		page_t(r, c->op == QC_INCLUDES ? "survey.only_if.includes" : "survey.only_if.is"));
	for (size_t i = 0; i < c->nvalues; i++) {
		const struct qoption *o = vocab_option(q->options, q->noptions, c->values[i]);
		if (i)
			buf_printf(&b, " %s ", page_t(r, "survey.or"));
		buf_printf(&b, "« %s »", o ? tx(r, o->label) : c->values[i]);
	}
	return b.data;
}

static void
set_condition(struct request *r, const struct qdef *d, struct tval *o, const struct qcond *c)
{
	const char *text = condition_text(r, d, c);
	if (text == NULL)
		return;
	tv_set_str(o, "only_if", text);
	tv_set_str(o, "cond_q", c->question);
	static const char *const ops[] = {"", "in", "in", "includes", "answered"};
	tv_set_str(o, "cond_op", ops[c->op]);
	struct buf v;
	buf_init(&v, &r->arena);
	for (size_t i = 0; i < c->nvalues; i++)
		buf_printf(&v, "%s%s", i ? " " : "", c->values[i]);
	tv_set_str(o, "cond_values", v.data ? v.data : "");
}

static const char *const type_flags[] = {
	[Q_SINGLE] = "is_single",     [Q_MULTI] = "is_multi",     [Q_TEXT] = "is_text",
	[Q_LONGTEXT] = "is_longtext", [Q_INTEGER] = "is_integer", [Q_YEAR] = "is_year",
	[Q_SCALE] = "is_scale",       [Q_EMAIL] = "is_email",     [Q_COUNTRIES] = "is_countries",
	[Q_GROUP] = "is_group",       [Q_PICK] = "is_pick",       [Q_CONSENT] = "is_consent",
};

/* One field of a group row, or a detail of a ticked option. */
static struct tval *
subfield(struct request *r, const struct question *f, const char *name, const char *value,
	 const struct qerror *errs, size_t nerrs, const struct qoption *countries,
	 size_t ncountries)
{
	struct tval *o = tv_obj(&r->arena);
	/* Every name the field template uses is set here, even when empty: a missing one would be
	 * looked up in the enclosing question (the template's scopes) and show its value. */
	tv_set_str(o, "value", "");
	tv_set_bool(o, "error", false);
	tv_set_int(o, "max_length", (long long)(f->max_length ? f->max_length : 200));
	tv_set_str(o, "name", name);
	tv_set_str(o, "id", arena_printf(&r->arena, "f-%s", name));
	tv_set_str(o, "label", tx(r, f->label));
	tv_set_bool(o, type_flags[f->type], true);
	if (value)
		tv_set_str(o, "value", value);
	const char *err = error_for(r, errs, nerrs, name);
	if (err)
		tv_set_str(o, "error", err);
	const struct qoption *opts = f->type == Q_COUNTRIES ? countries : f->options;
	size_t n = f->type == Q_COUNTRIES ? ncountries : f->noptions;
	if (f->type == Q_SINGLE || f->type == Q_COUNTRIES) {
		struct tval *list = tv_list(&r->arena);
		for (size_t i = 0; i < n; i++) {
			struct tval *op = tv_push_obj(list);
			tv_set_str(op, "code", opts[i].code);
			tv_set_str(op, "label", tx(r, opts[i].label));
			tv_set_bool(op, "selected", value && strcmp(value, opts[i].code) == 0);
		}
		tv_set(o, "options", list);
	}
	return o;
}

/* True when an error names question q or one of its parts ("q.other", "q.field.2"). */
static bool
has_error(const struct question *q, const struct qerror *errs, size_t nerrs)
{
	size_t n = strlen(q->key);
	for (size_t i = 0; i < nerrs; i++)
		if (strncmp(errs[i].key, q->key, n) == 0 &&
		    (errs[i].key[n] == '\0' || errs[i].key[n] == '.'))
			return true;
	return false;
}

const struct answers *
survey_shown_answers(struct request *r, const struct qdef *d, size_t s, const struct answers *a,
		     const struct qerror *errs, size_t nerrs, bool as_typed)
{
	const struct qsection *sec = &d->sections[s];
	struct answers *shown = NULL;
	for (size_t i = 0; i < sec->nquestions; i++) {
		const struct question *q = &sec->questions[i];
		if (!as_typed && !has_error(q, errs, nerrs))
			continue;
		if (shown == NULL) {
			shown = arena_alloc(&r->arena, sizeof(*shown));
			answers_init(shown, &r->arena);
			for (size_t k = 0; k < a->n; k++)
				answers_add(shown, a->rows[k].key, a->rows[k].position,
					    a->rows[k].value);
		}
		answers_remove_question(shown, q->key);
		qdef_typed_question(q, r->form, r->nform, shown);
	}
	return shown ? shown : a;
}

struct tval *
survey_render_question(struct request *r, const struct qdef *d, const struct vocab_set *v,
		       const struct question *q, const struct answers *a, const struct qerror *errs,
		       size_t nerrs)
{
	struct tval *o = tv_obj(&r->arena);
	tv_set_str(o, "key", q->key);
	tv_set_str(o, "id", arena_printf(&r->arena, "q-%s", q->key));
	tv_set_str(o, "label", tx(r, q->label));
	if (q->help.fr)
		tv_set_str(o, "help", tx(r, q->help));
	tv_set_bool(o, "required", q->required);
	tv_set_bool(o, type_flags[q->type], true);
	set_condition(r, d, o, &q->show_if);
	const char *err = error_for(r, errs, nerrs, q->key);
	const char *value = answers_get(a, q->key, 0);
	if (err)
		tv_set_str(o, "error", err);
	if (value)
		tv_set_str(o, "value", value);
	switch (q->type) {
	case Q_SINGLE:
	case Q_MULTI: {
		struct tval *opts = options(r, q->options, q->noptions, a, q->key, q->key);
		if (q->type == Q_MULTI && q->nfields) {
			/* Details of each option, asked when it is ticked. */
			for (size_t i = 0; i < q->noptions; i++) {
				struct tval *op = tv_list_at(opts, i);
				struct tval *det = tv_list(&r->arena);
				for (size_t k = 0; k < q->nfields; k++) {
					const char *name =
						arena_printf(&r->arena, "%s.%s.%s", q->key,
							     q->options[i].code, q->fields[k].key);
					tv_push(det, subfield(r, &q->fields[k], name,
							      answers_get(a, name, 0), errs, nerrs,
							      NULL, 0));
				}
				tv_set(op, "details", det);
			}
		}
		tv_set(o, "options", opts);
		if (q->other) {
			const char *other_key = arena_printf(&r->arena, "%s.other", q->key);
			tv_set_bool(o, "other", true);
			tv_set_bool(o, "other_checked", answers_has(a, q->key, "other"));
			const char *ov = answers_get(a, other_key, 0);
			if (ov)
				tv_set_str(o, "other_value", ov);
			const char *oerr = error_for(r, errs, nerrs, other_key);
			if (oerr)
				tv_set_str(o, "other_error", oerr);
		}
		break;
	}
	case Q_PICK: {
		/* Only what was ticked in the question it picks from. */
		struct tval *list = tv_list(&r->arena);
		for (size_t i = 0; i < q->from->noptions; i++) {
			if (!answers_has(a, q->from->key, q->from->options[i].code))
				continue;
			struct tval *op = tv_push_obj(list);
			tv_set_str(op, "code", q->from->options[i].code);
			tv_set_str(op, "label", tx(r, q->from->options[i].label));
			tv_set_str(
				op, "id",
				arena_printf(&r->arena, "%s-%s", q->key, q->from->options[i].code));
			tv_set_bool(op, "checked",
				    answers_has(a, q->key, q->from->options[i].code));
		}
		tv_set(o, "options", list);
		tv_set_int(o, "max", q->max);
		break;
	}
	case Q_SCALE: {
		struct tval *list = tv_list(&r->arena);
		for (int i = 1; i <= 5; i++) {
			struct tval *op = tv_push_obj(list);
			char n[2] = {(char)('0' + i), 0};
			tv_set_str(op, "code", arena_strdup(&r->arena, n));
			tv_set_str(op, "label", arena_strdup(&r->arena, n));
			tv_set_str(op, "id", arena_printf(&r->arena, "%s-%d", q->key, i));
			tv_set_bool(op, "checked", value && strcmp(value, n) == 0);
		}
		tv_set(o, "options", list);
		tv_set_str(o, "min_label", tx(r, q->min_label));
		tv_set_str(o, "max_label", tx(r, q->max_label));
		break;
	}
	case Q_COUNTRIES: {
		/* Africa first, by UN M49 region; then the rest of the world. */
		struct tval *groups = tv_list(&r->arena);
		for (size_t g = 0; g < v->nregions; g++) {
			struct tval *grp = tv_push_obj(groups);
			tv_set_str(grp, "label", tx(r, v->regions[g].label));
			struct tval *list = tv_list(&r->arena);
			for (size_t i = 0; i < v->countries.n; i++) {
				const struct qoption *c = &v->countries.options[i];
				if (c->group == NULL || strcmp(c->group, v->regions[g].code) != 0)
					continue;
				struct tval *op = tv_push_obj(list);
				tv_set_str(op, "code", c->code);
				tv_set_str(op, "label", tx(r, c->label));
				tv_set_bool(op, "selected", answers_has(a, q->key, c->code));
			}
			tv_set(grp, "countries", list);
		}
		tv_set(o, "groups", groups);
		break;
	}
	case Q_GROUP: {
		size_t rows = 0;
		for (size_t k = 0; k < q->nfields; k++) {
			size_t c = answers_count(
				a, arena_printf(&r->arena, "%s.%s", q->key, q->fields[k].key));
			if (c > rows)
				rows = c;
		}
		/* One empty row to fill, unless full. The form posts as KEY.FIELD.ROW. */
		size_t shown = rows < (size_t)q->max_rows ? rows + 1 : rows;
		struct tval *list = tv_list(&r->arena);
		for (size_t row = 0; row < shown; row++) {
			struct tval *ro = tv_push_obj(list);
			tv_set_int(ro, "number", (long long)row + 1);
			struct tval *fields = tv_list(&r->arena);
			for (size_t k = 0; k < q->nfields; k++) {
				const char *akey =
					arena_printf(&r->arena, "%s.%s", q->key, q->fields[k].key);
				const char *name = arena_printf(&r->arena, "%s.%zu", akey, row);
				tv_push(fields,
					subfield(r, &q->fields[k], name,
						 answers_get(a, akey, (int)row), errs, nerrs,
						 v->countries.options, v->countries.n));
			}
			tv_set(ro, "fields", fields);
		}
		tv_set(o, "rows", list);
		break;
	}
	case Q_CONSENT: tv_set_bool(o, "checked", value && strcmp(value, "yes") == 0); break;
	case Q_LONGTEXT:
	case Q_TEXT: tv_set_int(o, "max_length", (long long)q->max_length); break;
	case Q_INTEGER:
	case Q_YEAR:
		tv_set_int(o, "min", q->min);
		tv_set_int(o, "max", q->max);
		break;
	case Q_EMAIL: break;
	}
	return o;
}

static const char *
option_label(struct request *r, const struct qoption *opts, size_t n, const char *code)
{
	const struct qoption *o = vocab_option(opts, n, code);
	return o ? tx(r, o->label) : code;
}

const char *
survey_answer_text(struct request *r, const struct vocab_set *v, const struct question *q,
		   const struct answers *a)
{
	struct buf b;
	buf_init(&b, &r->arena);
	switch (q->type) {
	case Q_SINGLE:
	case Q_MULTI:
	case Q_PICK:
	case Q_COUNTRIES: {
		const struct qoption *opts = q->type == Q_COUNTRIES ? v->countries.options
					     : q->type == Q_PICK    ? q->from->options
								    : q->options;
		size_t n = q->type == Q_COUNTRIES ? v->countries.n
			   : q->type == Q_PICK    ? q->from->noptions
						  : q->noptions;
		for (size_t i = 0; i < a->n; i++) {
			if (strcmp(a->rows[i].key, q->key) != 0)
				continue;
			const char *code = a->rows[i].value;
			buf_printf(&b, "%s%s", b.len ? " ; " : "",
				   strcmp(code, "other") == 0 ? page_t(r, "survey.other")
							      : option_label(r, opts, n, code));
			if (strcmp(code, "other") == 0) {
				const char *ov = answers_get(
					a, arena_printf(&r->arena, "%s.other", q->key), 0);
				if (ov)
					buf_printf(&b, " (%s)", ov);
			}
			for (size_t k = 0; k < q->nfields; k++) {
				const char *dv =
					answers_get(a,
						    arena_printf(&r->arena, "%s.%s.%s", q->key,
								 code, q->fields[k].key),
						    0);
				if (dv)
					buf_printf(&b, " — %s",
						   q->fields[k].type == Q_SINGLE
							   ? option_label(r, q->fields[k].options,
									  q->fields[k].noptions, dv)
							   : dv);
			}
		}
		break;
	}
	case Q_GROUP: {
		for (int row = 0;; row++) {
			bool any = false;
			for (size_t k = 0; k < q->nfields; k++) {
				const struct question *f = &q->fields[k];
				const char *fv = answers_get(
					a, arena_printf(&r->arena, "%s.%s", q->key, f->key), row);
				if (fv == NULL)
					continue;
				buf_printf(&b, "%s%s", any ? ", " : (b.len ? " ; " : ""),
					   f->type == Q_SINGLE
						   ? option_label(r, f->options, f->noptions, fv)
					   : f->type == Q_COUNTRIES
						   ? option_label(r, v->countries.options,
								  v->countries.n, fv)
						   : fv);
				any = true;
			}
			if (!any)
				break;
		}
		break;
	}
	case Q_CONSENT: {
		const char *val = answers_get(a, q->key, 0);
		if (val)
			buf_puts(&b, page_t(r, "survey.consent.given"));
		break;
	}
	default: {
		const char *val = answers_get(a, q->key, 0);
		if (val)
			buf_puts(&b, val);
	}
	}
	return b.len ? b.data : NULL;
}

struct tval *
survey_render_summary(struct request *r, const struct qdef *d, const struct vocab_set *v,
		      size_t section, const struct answers *a)
{
	struct tval *list = tv_list(&r->arena);
	const struct qsection *s = &d->sections[section];
	for (size_t i = 0; i < s->nquestions; i++) {
		const struct question *q = &s->questions[i];
		if (!qdef_question_visible(d, q, a))
			continue;
		const char *text = survey_answer_text(r, v, q, a);
		struct tval *o = tv_push_obj(list);
		tv_set_str(o, "label", tx(r, q->label));
		if (text)
			tv_set_str(o, "value", text);
	}
	return list;
}
