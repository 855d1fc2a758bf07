/* tmpl.c - templates compiled to instruction lists with their HTML context, loaded and linked. */
#include "tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/log.h"
#include "base/utf8.h"
#include "html.h"
#include "tmpl_priv.h"
#include "base/file.h"

#define TMPL_FILE_MAX (1u << 20) /* bytes of one template file */

/* ---- Compiling ---- */

struct open_section {
	size_t at; /* index of the OP_SECTION or OP_INVERTED */
	const char *name;
	int line;
	struct hctx ctx; /* context at the open tag */
};

struct compiler {
	struct tmpl_set *set;
	struct tmpl *t;
	const char *src;
	size_t len;
	int line;
	struct buf text;  /* literal text not yet emitted */
	size_t url_start; /* offset in text where the current URL attribute value starts */
	bool url_dynamic; /* OP_URL_BEGIN emitted for the current URL attribute value */
	struct hctx h;
	struct open_section open[SCOPE_MAX];
	unsigned nopen;
	char *err;
	size_t errlen;
};

static bool set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static bool
set_err(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

static bool fail(struct compiler *c, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes "file:line: reason" in err and returns false. */
static bool
fail(struct compiler *c, int line, const char *fmt, ...)
{
	if (c->err && c->errlen) {
		int n = snprintf(c->err, c->errlen, "%s:%d: ", c->t->file, line);
		if (n >= 0 && (size_t)n < c->errlen) {
			va_list ap;
			va_start(ap, fmt);
			vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
			va_end(ap);
		}
	}
	return false;
}

/* A name as it may appear in a message: printable ASCII, at most 40 characters. */
static const char *
shown(char *tmp, size_t size, const char *s, size_t n)
{
	size_t k = 0;
	for (; k < n && k + 4 < size && k < 40; k++)
		tmp[k] = (char)(s[k] >= 0x20 && s[k] < 0x7F ? s[k] : '?');
	if (k < n && k + 4 <= size)
		memcpy(tmp + k, "...", 3), k += 3;
	tmp[k] = '\0';
	return tmp;
}

static struct ins *
emit(struct compiler *c, enum op op, int line)
{
	struct tmpl *t = c->t;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct ins *p = realloc(t->ins, cap * sizeof(*p));
		if (p == NULL)
			die("tmpl: out of memory");
		t->ins = p;
		t->cap = cap;
	}
	struct ins *in = &t->ins[t->n++];
	memset(in, 0, sizeof(*in));
	in->op = op;
	in->line = line;
	in->depth = c->nopen;
	in->ref = -1;
	return in;
}

/* Emits the first n bytes of pending text and keeps the rest pending. */
static void
flush_text(struct compiler *c, size_t n)
{
	if (n == 0)
		return;
	struct ins *in = emit(c, OP_TEXT, c->line);
	in->str = arena_strndup(&c->set->arena, c->text.data, n);
	in->len = n;
	memmove(c->text.data, c->text.data + n, c->text.len - n);
	c->text.len -= n;
	c->text.data[c->text.len] = '\0';
}

/* Before something printed inside a URL attribute value: mark where the value starts. */
static void
url_dynamic(struct compiler *c)
{
	if (c->h.state != HS_VALUE_Q || c->h.attr != HA_URL || c->h.end_tag || c->url_dynamic)
		return;
	flush_text(c, c->url_start);
	emit(c, OP_URL_BEGIN, c->line);
	c->url_dynamic = true;
}

/* Feeds literal text [from, to) to the HTML context and keeps it pending. */
static bool
literal(struct compiler *c, size_t from, size_t to)
{
	size_t run = from;
	for (size_t k = from; k < to; k++) {
		char ch = c->src[k];
		switch (hctx_step(&c->h, ch, c->line)) {
		case HE_NONE: break;
		case HE_ERROR: return fail(c, c->h.err_line, "%s", c->h.reason);
		case HE_URL_OPEN_Q:
			c->url_start = c->text.len + (k + 1 - run);
			c->url_dynamic = false;
			break;
		case HE_URL_OPEN_UQ:
			c->url_start = c->text.len + (k - run);
			c->url_dynamic = false;
			break;
		case HE_URL_END:
			buf_add(&c->text, c->src + run, k - run);
			run = k;
			if (c->url_dynamic) {
				flush_text(c, c->text.len);
				emit(c, OP_URL_END, c->line);
				c->url_dynamic = false;
			} else if (!html_url_safe(c->text.data + c->url_start,
						  c->text.len - c->url_start)) {
				return fail(c, c->line,
					    "unsafe URL in %s attribute (allowed: relative, "
					    "http, https, mailto, tel)",
					    c->h.name);
			}
			break;
		}
		if (ch == '\n')
			c->line++;
	}
	buf_add(&c->text, c->src + run, to - run);
	return true;
}

static bool
is_name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

static bool
is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' ||
	       ch == '-';
}

static bool
is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* Splits "a.b.c" into segments ("." alone is the current item); false when malformed. */
static bool
parse_path(struct compiler *c, struct ins *in, const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return true;
	size_t nseg = 1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.')
				return false;
			nseg++;
		} else if (!is_name_char(s[i])) {
			return false;
		}
	}
	char *copy = arena_strndup(&c->set->arena, s, n);
	const char **seg = arena_alloc(&c->set->arena, nseg * sizeof(*seg));
	size_t k = 0;
	seg[k++] = copy;
	for (char *p = copy; *p; p++) {
		if (*p == '.') {
			*p = '\0';
			seg[k++] = p + 1;
		}
	}
	in->seg = seg;
	in->nseg = nseg;
	return true;
}

static bool
section_open(struct compiler *c, char sigil, const char *name, size_t n, int line)
{
	char tmp[64];
	if (c->nopen == SCOPE_MAX - 1)
		return fail(c, line, "sections nested more than %d deep", SCOPE_MAX - 1);
	if (!hctx_tag(&c->h, HK_SECTION, "section tag"))
		return fail(c, line, "%s", c->h.reason);
	url_dynamic(c);
	flush_text(c, c->text.len);
	struct ins *in = emit(c, sigil == '#' ? OP_SECTION : OP_INVERTED, line);
	if (!parse_path(c, in, name, n))
		return fail(c, line, "invalid name '%s'", shown(tmp, sizeof(tmp), name, n));
	struct open_section *o = &c->open[c->nopen++];
	o->at = c->t->n - 1;
	o->name = arena_strndup(&c->set->arena, name, n);
	o->line = line;
	o->ctx = c->h;
	return true;
}

static bool
section_close(struct compiler *c, const char *name, size_t n, int line)
{
	char tmp[64];
	shown(tmp, sizeof(tmp), name, n);
	if (c->nopen == 0)
		return fail(c, line, "mismatched close '{{/%s}}': no section is open", tmp);
	struct open_section *o = &c->open[c->nopen - 1];
	if (strlen(o->name) != n || memcmp(o->name, name, n) != 0)
		return fail(c, line, "mismatched close '{{/%s}}': section '%s' opened at line %d",
			    tmp, o->name, o->line);
	if (!hctx_tag(&c->h, HK_SECTION, "section tag"))
		return fail(c, line, "%s", c->h.reason);
	if (!hctx_close(&c->h, &o->ctx))
		return fail(c, line, "section '%s' opened in %s at line %d ends in %s", o->name,
			    hctx_describe(&o->ctx), o->line, hctx_describe(&c->h));
	url_dynamic(c);
	flush_text(c, c->text.len);
	c->nopen--;
	c->t->ins[o->at].jump = c->t->n;
	return true;
}

/* Compiles the tag between "{{" and "}}" ([a, b) of the source) found at line. */
static bool
tag(struct compiler *c, const char *a, const char *b, int line)
{
	char tmp[64];
	while (a < b && is_space(*a))
		a++;
	while (b > a && is_space(b[-1]))
		b--;
	if (a == b)
		return fail(c, line, "empty name in '{{}}'");
	char sigil = *a;
	switch (sigil) {
	case '!': return true;
	case '#':
	case '^':
	case '/':
	case '>':
	case '_': a++; break;
	default:
		if (is_name_char(sigil) || sigil == '.') {
			sigil = 0;
			break;
		}
		return fail(c, line, "unknown tag kind '%s'", shown(tmp, sizeof(tmp), a, 1));
	}
	while (a < b && is_space(*a))
		a++;
	size_t n = (size_t)(b - a);
	if (n == 0)
		return fail(c, line, "empty name in '{{%c}}'", sigil);
	shown(tmp, sizeof(tmp), a, n);
	struct ins *in;
	switch (sigil) {
	case '#':
	case '^': return section_open(c, sigil, a, n, line);
	case '/': return section_close(c, a, n, line);
	case '>':
		for (size_t i = 0; i < n; i++)
			if (!is_name_char(a[i]) && a[i] != '.' && a[i] != '/')
				return fail(c, line, "invalid partial name '%s'", tmp);
		if (!hctx_tag(&c->h, HK_PARTIAL, "partial"))
			return fail(c, line, "%s", c->h.reason);
		flush_text(c, c->text.len);
		in = emit(c, OP_PARTIAL, line);
		in->str = arena_strndup(&c->set->arena, a, n);
		return true;
	case '_': {
		for (size_t i = 0; i < n; i++)
			if (!is_key_char(a[i]))
				return fail(c, line, "invalid translation key '%s'", tmp);
		char *key = arena_strndup(&c->set->arena, a, n);
		int ref = i18n_index(c->set->i18n, key);
		if (ref < 0)
			return fail(c, line, "unknown translation key '%s'", key);
		if (!hctx_tag(&c->h, HK_VALUE, "translation"))
			return fail(c, line, "%s", c->h.reason);
		url_dynamic(c);
		flush_text(c, c->text.len);
		in = emit(c, OP_TRANS, line);
		in->ref = ref;
		in->str = key;
		return true;
	}
	default:
		if (!hctx_tag(&c->h, HK_VALUE, "variable"))
			return fail(c, line, "%s", c->h.reason);
		url_dynamic(c);
		flush_text(c, c->text.len);
		in = emit(c, OP_VAR, line);
		if (!parse_path(c, in, a, n))
			return fail(c, line, "invalid name '%s'", tmp);
		return true;
	}
}

static bool
compile(struct compiler *c)
{
	size_t i = 0;
	while (i < c->len) {
		const char *open = memmem(c->src + i, c->len - i, "{{", 2);
		size_t end = open ? (size_t)(open - c->src) : c->len;
		if (!literal(c, i, end))
			return false;
		if (open == NULL)
			break;
		int line = c->line;
		const char *body = open + 2;
		const char *close = memmem(body, c->len - (size_t)(body - c->src), "}}", 2);
		if (close == NULL)
			return fail(c, line, "unclosed tag '{{'");
		for (const char *p = body; p < close; p++)
			if (*p == '\n')
				c->line++;
		if (!tag(c, body, close, line))
			return false;
		i = (size_t)(close + 2 - c->src);
	}
	if (c->nopen > 0) {
		const struct open_section *o = &c->open[c->nopen - 1];
		return fail(c, o->line, "unclosed section '%s'", o->name);
	}
	if (c->h.state != HS_TEXT)
		return fail(c, c->line, "template ends inside %s", hctx_describe(&c->h));
	flush_text(c, c->text.len);
	return true;
}

static void
tmpl_free(struct tmpl *t)
{
	if (t == NULL)
		return;
	free(t->ins);
	free(t);
}

static struct tmpl *
find(const struct tmpl_set *set, const char *name, size_t *index)
{
	for (size_t i = 0; i < set->n; i++) {
		if (strcmp(set->t[i]->name, name) == 0) {
			if (index)
				*index = i;
			return set->t[i];
		}
	}
	return NULL;
}

/* Compiles src as template name (file is its name in messages) and adds it to the set. */
static bool
add(struct tmpl_set *set, const char *name, const char *file, const char *src, size_t len,
    char *err, size_t errlen)
{
	if (name == NULL || *name == '\0')
		return set_err(err, errlen, "%s: empty template name", file);
	if (find(set, name, NULL))
		return set_err(err, errlen, "%s: template '%s' defined twice", file, name);
	struct tmpl *t = calloc(1, sizeof(*t));
	if (t == NULL)
		die("tmpl: out of memory");
	t->set = set;
	t->name = arena_strdup(&set->arena, name);
	t->file = arena_strdup(&set->arena, file);
	struct compiler c = {.set = set,
			     .t = t,
			     .src = src,
			     .len = len,
			     .line = 1,
			     .err = err,
			     .errlen = errlen};
	buf_init(&c.text, NULL);
	hctx_init(&c.h);
	bool ok = true;
	if (!utf8_valid(src, len) || memchr(src, '\0', len)) {
		/* Find the line to name: the first one that is not valid text. */
		size_t i = 0;
		while (i < len) {
			const char *nl = memchr(src + i, '\n', len - i);
			size_t end = nl ? (size_t)(nl - src) : len;
			if (!utf8_valid(src + i, end - i) || memchr(src + i, '\0', end - i))
				break;
			i = end + 1;
			c.line++;
		}
		ok = fail(&c, c.line, "invalid UTF-8 or NUL byte");
	}
	ok = ok && compile(&c);
	buf_free(&c.text);
	if (!ok) {
		tmpl_free(t);
		return false;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 16;
		struct tmpl **p = realloc(set->t, cap * sizeof(struct tmpl *));
		if (p == NULL)
			die("tmpl: out of memory");
		set->t = p;
		set->cap = cap;
	}
	set->t[set->n++] = t;
	set->linked = false;
	return true;
}

/* ---- Loading and linking ---- */

static int
name_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Adds name to the list v (n of cap). */
static void
push_name(char ***v, size_t *n, size_t *cap, char *name)
{
	if (name == NULL)
		die("tmpl: out of memory");
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		char **p = realloc(*v, *cap * sizeof(*p));
		if (p == NULL)
			die("tmpl: out of memory");
		*v = p;
	}
	(*v)[(*n)++] = name;
}

/* Lists the *.html files of dir, and of its folders one level down as "folder/NAME.html" (a
 * module's templates), sorted. */
static bool
list_dir(const char *dir, char ***names, size_t *count, char *err, size_t errlen)
{
	char **v = NULL;
	size_t n = 0, cap = 0;
	const char *sub = NULL; /* the folder being listed, NULL for dir itself */
	DIR *top = opendir(dir);
	if (top == NULL)
		return set_err(err, errlen, "%s: %s", dir, strerror(errno));
	/* Folders are listed after the files of dir, from this list. */
	char **folders = NULL;
	size_t nfolders = 0, capfolders = 0;
	for (DIR *d = top;;) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			size_t len = strlen(e->d_name);
			struct stat st;
			if (e->d_name[0] == '.' ||
			    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			if (S_ISDIR(st.st_mode) && sub == NULL) {
				push_name(&folders, &nfolders, &capfolders, strdup(e->d_name));
				continue;
			}
			if (!S_ISREG(st.st_mode) || len <= 5 ||
			    strcmp(e->d_name + len - 5, ".html") != 0)
				continue;
			char *name;
			if (sub == NULL)
				name = strdup(e->d_name);
			else if (asprintf(&name, "%s/%s", sub, e->d_name) < 0)
				name = NULL;
			push_name(&v, &n, &cap, name);
		}
		closedir(d);
		if (nfolders == 0)
			break;
		free((char *)sub);
		sub = folders[--nfolders];
		char *path;
		if (asprintf(&path, "%s/%s", dir, sub) < 0)
			die("tmpl: out of memory");
		d = opendir(path);
		free(path);
		if (d == NULL) {
			set_err(err, errlen, "%s/%s: %s", dir, sub, strerror(errno));
			free((char *)sub);
			while (nfolders)
				free(folders[--nfolders]);
			free(folders);
			for (size_t i = 0; i < n; i++)
				free(v[i]);
			free(v);
			return false;
		}
	}
	free((char *)sub);
	free(folders);
	if (n > 1)
		qsort(v, n, sizeof(*v), name_cmp);
	*names = v;
	*count = n;
	return true;
}

/* Compiles every *.html file of dir (and of its folders: "cases/case.html" is the template
 * "cases/case") and links them; NULL with "dir/file.html:line: reason". */
struct tmpl_set *
tmpl_load_dir(const char *dir, const struct i18n *i18n, char *err, size_t errlen)
{
	char **names = NULL;
	size_t count = 0;
	if (!list_dir(dir, &names, &count, err, errlen))
		return NULL;
	struct tmpl_set *set = tmpl_set_new(i18n);
	size_t dlen = strlen(dir);
	const char *sep = dlen && dir[dlen - 1] == '/' ? "" : "/";
	bool ok = true;
	for (size_t i = 0; i < count && ok; i++) {
		char *path = arena_printf(&set->arena, "%s%s%s", dir, sep, names[i]);
		char *name = arena_strndup(&set->arena, names[i], strlen(names[i]) - 5);
		char *src = NULL;
		size_t len = 0;
		ok = (file_read(path, TMPL_FILE_MAX, false, &src, &len, err, errlen) == 0) &&
		     add(set, name, path, src, len, err, errlen);
		free(src);
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	if (ok)
		ok = tmpl_link(set, err, errlen);
	if (!ok) {
		tmpl_set_free(set);
		return NULL;
	}
	return set;
}

/* Returns an empty set whose translations come from i18n (which may be NULL). */
struct tmpl_set *
tmpl_set_new(const struct i18n *i18n)
{
	struct tmpl_set *set = calloc(1, sizeof(*set));
	if (set == NULL)
		die("tmpl: out of memory");
	set->i18n = i18n;
	arena_init(&set->arena, 16384);
	return set;
}

/* Compiles a template from memory; errors name it "NAME.html". The set must be linked again. */
bool
tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char *err,
	 size_t errlen)
{
	char file[256];
	snprintf(file, sizeof(file), "%s.html", name ? name : "");
	return add(set, name, file, src ? src : "", src ? len : 0, err, errlen);
}

/* Depth-first walk over partials: finds cycles and the scopes each template needs. */
static bool
visit(struct tmpl_set *set, struct tmpl *t, struct tmpl **path, size_t depth, char *err,
      size_t errlen)
{
	if (t->mark == 2)
		return true;
	t->mark = 1;
	path[depth] = t;
	t->need = 0;
	t->need_line = 1;
	for (size_t i = 0; i < t->n; i++) {
		const struct ins *in = &t->ins[i];
		unsigned need = 0;
		if (in->op == OP_SECTION || in->op == OP_INVERTED) {
			need = in->depth + 1;
		} else if (in->op == OP_PARTIAL) {
			struct tmpl *p = set->t[in->ref];
			if (p->mark == 1) {
				struct buf b;
				buf_init(&b, NULL);
				size_t k = 0;
				while (path[k] != p)
					k++;
				for (; k <= depth; k++)
					buf_printf(&b, "%s -> ", path[k]->name);
				buf_puts(&b, p->name);
				set_err(err, errlen, "%s:%d: partial cycle: %s", t->file, in->line,
					buf_str(&b));
				buf_free(&b);
				return false;
			}
			if (!visit(set, p, path, depth + 1, err, errlen))
				return false;
			need = in->depth + p->need;
		}
		if (need > t->need) {
			t->need = need;
			t->need_line = in->line;
		}
	}
	t->mark = 2;
	return true;
}

/* Resolves partials, refuses cycles and too deep nesting. */
bool
tmpl_link(struct tmpl_set *set, char *err, size_t errlen)
{
	set->linked = false;
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = set->t[i];
		t->mark = 0;
		for (size_t k = 0; k < t->n; k++) {
			struct ins *in = &t->ins[k];
			if (in->op != OP_PARTIAL)
				continue;
			size_t ref;
			if (!find(set, in->str, &ref))
				return set_err(err, errlen, "%s:%d: unknown partial '%s'", t->file,
					       in->line, in->str);
			in->ref = (int)ref;
		}
	}
	struct tmpl **path = calloc(set->n ? set->n : 1, sizeof(struct tmpl *));
	if (path == NULL)
		die("tmpl: out of memory");
	bool ok = true;
	for (size_t i = 0; i < set->n && ok; i++) {
		struct tmpl *t = set->t[i];
		ok = visit(set, t, path, 0, err, errlen);
		if (ok && t->need + 1 > SCOPE_MAX)
			ok = set_err(err, errlen,
				     "%s:%d: sections nested more than %d deep through "
				     "partials",
				     t->file, t->need_line, SCOPE_MAX - 1);
	}
	free(path);
	set->linked = ok;
	return ok;
}

/* Returns the template NAME of a linked set, or NULL. */
const struct tmpl *
tmpl_get(const struct tmpl_set *set, const char *name)
{
	if (set == NULL || !set->linked || name == NULL)
		return NULL;
	return find(set, name, NULL);
}

/* Releases the set and its templates (the i18n catalogues are the caller's). */
void
tmpl_set_free(struct tmpl_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->t[i]);
	free(set->t);
	arena_free(&set->arena);
	free(set);
}
