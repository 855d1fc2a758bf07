/* tmpl_render.c - runs a compiled template over a value tree: scopes, sections, partials. */
#include <string.h>

#include "base/buf.h"
#include "html.h"
#include "tmpl_priv.h"

struct render {
	struct buf *out;
	enum lang lang;
	const struct tmpl_set *set;
	const struct tval *scope[SCOPE_MAX];
	unsigned depth;
	size_t url_start;
};

/* Finds a name from the innermost scope outwards, then descends the rest of its path. */
static const struct tval *
lookup(const struct render *r, const struct ins *in)
{
	if (in->nseg == 0)
		return r->depth ? r->scope[r->depth - 1] : NULL;
	const struct tval *v = NULL;
	for (unsigned i = r->depth; i-- > 0 && v == NULL;)
		v = tv_get(r->scope[i], in->seg[0]);
	for (size_t k = 1; v && k < in->nseg; k++)
		v = tv_get(v, in->seg[k]);
	return v;
}

static bool
truthy(const struct tval *v)
{
	switch (tv_kind(v)) {
	case TV_NULL: return false;
	case TV_BOOL: return v->u.b;
	case TV_INT: return v->u.i != 0;
	case TV_STR:
	case TV_HTML: return v->u.str.len > 0;
	case TV_LIST: return v->u.list.n > 0;
	case TV_OBJ: return true;
	}
	return false;
}

static void
put_int(struct buf *out, long long v)
{
	char tmp[24];
	size_t k = sizeof(tmp);
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		tmp[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		tmp[--k] = '-';
	buf_add(out, tmp + k, sizeof(tmp) - k);
}

static void
put_value(struct render *r, const struct tval *v)
{
	switch (tv_kind(v)) {
	case TV_STR: html_text(r->out, v->u.str.s, v->u.str.len); break;
	case TV_HTML: buf_add(r->out, v->u.str.s, v->u.str.len); break;
	case TV_INT: put_int(r->out, v->u.i); break;
	default: break; /* null, booleans, lists and objects print nothing */
	}
}

static void render_range(struct render *r, const struct tmpl *t, size_t from, size_t to);

static void
render_body(struct render *r, const struct tmpl *t, size_t at, const struct tval *scope)
{
	if (r->depth == SCOPE_MAX)
		return; /* not reached: tmpl_link bounds the nesting */
	r->scope[r->depth++] = scope;
	render_range(r, t, at + 1, t->ins[at].jump);
	r->depth--;
}

static void
render_range(struct render *r, const struct tmpl *t, size_t from, size_t to)
{
	size_t i = from;
	while (i < to) {
		const struct ins *in = &t->ins[i];
		const struct tval *v;
		switch (in->op) {
		case OP_TEXT: buf_add(r->out, in->str, in->len); break;
		case OP_VAR: put_value(r, lookup(r, in)); break;
		case OP_TRANS: {
			const char *s = i18n_at(r->set->i18n, r->lang, in->ref);
			html_text(r->out, s, strlen(s));
			break;
		}
		case OP_SECTION:
			v = lookup(r, in);
			if (tv_kind(v) == TV_LIST) {
				for (size_t k = 0; k < v->u.list.n; k++)
					render_body(r, t, i, v->u.list.items[k]);
			} else if (truthy(v)) {
				render_body(r, t, i, v);
			}
			i = in->jump;
			continue;
		case OP_INVERTED:
			if (!truthy(lookup(r, in)))
				render_range(r, t, i + 1, in->jump);
			i = in->jump;
			continue;
		case OP_PARTIAL:
			if (in->ref >= 0) {
				const struct tmpl *p = r->set->t[in->ref];
				render_range(r, p, 0, p->n);
			}
			break;
		case OP_URL_BEGIN: r->url_start = r->out->len; break;
		case OP_URL_END:
			if (r->out->len > r->url_start &&
			    !html_url_safe(r->out->data + r->url_start,
					   r->out->len - r->url_start)) {
				r->out->len = r->url_start;
				buf_putc(r->out, '#');
			}
			break;
		}
		i++;
	}
}

/* Renders t with ctx as the outermost scope into out. */
void
tmpl_render(const struct tmpl *t, const struct tval *ctx, enum lang lang, struct buf *out)
{
	if (t == NULL || out == NULL)
		return;
	struct render r = {.out = out, .lang = lang, .set = t->set};
	if (ctx)
		r.scope[r.depth++] = ctx;
	render_range(&r, t, 0, t->n);
}
