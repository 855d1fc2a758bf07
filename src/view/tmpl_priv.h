/* tmpl_priv.h - internals of the template engine (tval, tmpl_html, tmpl, tmpl_render .c files). */
#ifndef COEXIST_TMPL_PRIV_H
#define COEXIST_TMPL_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "tmpl.h"

struct tv_pair {
	const char *key;
	struct tval *val;
};

struct tval {
	enum tv_kind kind;
	struct arena *arena; /* objects and lists grow in it */
	union {
		bool b;
		long long i;
		struct {
			const char *s;
			size_t len;
		} str; /* TV_STR and TV_HTML */
		struct {
			struct tv_pair *items;
			size_t n, cap;
		} obj;
		struct {
			struct tval **items;
			size_t n, cap;
		} list;
	} u;
};

/*
 * The HTML context of a template's literal text, followed character by character so that
 * each {{tag}} knows where it stands: text, a tag name, an attribute name or value, a
 * comment, <script> or <textarea>/<title> content. A simplification of the HTML Standard's
 * tokenizer (13.2.5), enough to choose an escaping and refuse what cannot be escaped.
 */
enum hstate {
	HS_TEXT,
	HS_TAG_OPEN, /* after '<' */
	HS_END_OPEN, /* after "</" */
	HS_TAG_NAME,
	HS_BEFORE_ATTR, /* between attributes */
	HS_ATTR_NAME,
	HS_AFTER_ATTR,   /* after a name and blanks: '=' would still give it a value */
	HS_BEFORE_VALUE, /* after '=' */
	HS_VALUE_Q,      /* quoted value (quote in hctx.quote) */
	HS_VALUE_UQ,     /* unquoted value */
	HS_MARKUP,       /* after "<!" */
	HS_COMMENT,      /* <!-- ... --> */
	HS_BOGUS,        /* <!DOCTYPE ...>, <?...>, </ followed by junk: up to '>' */
	HS_RAW,          /* <script>, <textarea> or <title> content, up to its end tag */
};

/* Elements whose start tag matters. */
enum htag { HT_OTHER, HT_SCRIPT, HT_STYLE, HT_TEXTAREA, HT_TITLE };

/* Attributes whose value matters. */
enum hattr { HA_OTHER, HA_URL, HA_NOVAR };

/* What a character did beyond changing the state. */
enum hevent {
	HE_NONE,
	HE_ERROR,       /* reason in hctx.reason */
	HE_URL_OPEN_Q,  /* a quoted URL attribute value starts after this character */
	HE_URL_OPEN_UQ, /* an unquoted URL attribute value starts at this character */
	HE_URL_END,     /* a URL attribute value ended just before this character */
};

#define HNAME_MAX 16

/* A section tag just after an attribute name must not let the browser see more of that
 * attribute than the template compiler did: no '=' may follow (CUT_EQ), nor, right after the
 * name, more name characters (CUT_NAME). */
enum { CUT_EQ = 1, CUT_NAME = 2 };

struct hctx {
	enum hstate state;
	enum htag tag;                   /* element of the current or last start tag */
	enum hattr attr;                 /* kind of the current attribute */
	char quote;                      /* in HS_VALUE_Q */
	bool end_tag;                    /* the tag being read is an end tag */
	bool has_src;                    /* the start tag being read has a src attribute */
	unsigned char cut;               /* after a section tag in a tag: CUT_EQ, CUT_NAME or 0 */
	unsigned raw_match;              /* chars of "</name" seen in HS_RAW */
	unsigned mdash;                  /* '-' after "<!" */
	unsigned clen;                   /* chars into a comment (capped), for "<!-->" */
	unsigned dashes;                 /* trailing '-' in a comment */
	bool bang;                       /* "--!" in a comment */
	char name[HNAME_MAX];            /* current tag or attribute name, lowercase, truncated */
	size_t name_len;                 /* full length */
	unsigned long tag_seq, attr_seq; /* which tag and attribute, to compare contexts */
	int tag_line;                    /* line where the current tag started, for messages */
	int err_line;                    /* with HE_ERROR */
	char reason[96];                 /* with HE_ERROR or a refused tag */
};

/* What kind of {{tag}} asks where it stands. */
enum hkind { HK_VALUE, HK_SECTION, HK_PARTIAL };

/* Starts in HTML text. */
void hctx_init(struct hctx *h);
/* Advances by one character of literal template text at line; with HE_ERROR, reason and
 * err_line say what is refused. */
enum hevent hctx_step(struct hctx *h, char c, int line);
/* Checks that a tag of this kind may stand here (what names it in the reason: "variable");
 * a section tag also ends an attribute name it follows. False with reason set. */
bool hctx_tag(struct hctx *h, enum hkind kind, const char *what);
/* At a section's close: true when the context is the one of its open (same text, tag or
 * attribute value); then keeps what the body may not have rendered (a src attribute). */
bool hctx_close(struct hctx *h, const struct hctx *open);
/* Describes a context for messages: "HTML text", "an attribute value"... */
const char *hctx_describe(const struct hctx *h);

/* ---- Compiled templates (tmpl.c makes them, tmpl_render.c runs them) ---- */

/* Scopes during a render: the context plus one per open section, through partials too. The
 * bound is checked when linking, so rendering never runs out of them nor recurses deeper. */
#define SCOPE_MAX 32

enum op {
	OP_TEXT,      /* str, len: literal markup */
	OP_VAR,       /* seg, nseg: a value, escaped */
	OP_TRANS,     /* ref: an i18n index, escaped */
	OP_SECTION,   /* seg, nseg; body up to jump */
	OP_INVERTED,  /* seg, nseg; body up to jump */
	OP_PARTIAL,   /* str: name; ref: template index once linked */
	OP_URL_BEGIN, /* a URL attribute value with printed parts starts here */
	OP_URL_END,   /* ... and ends here: checked whole, replaced by "#" when unsafe */
};

struct ins {
	enum op op;
	int line;
	unsigned depth; /* sections open around this instruction */
	int ref;
	size_t jump;
	const char *str;
	size_t len;
	const char *const *seg;
	size_t nseg; /* 0 for "." */
};

struct tmpl {
	struct tmpl_set *set;
	const char *name; /* NAME of NAME.html */
	const char *file; /* for messages: "dir/NAME.html" */
	struct ins *ins;
	size_t n, cap;
	unsigned need; /* scopes it pushes at most, partials included (after link) */
	int need_line;
	int mark; /* link: 0 not seen, 1 being visited, 2 done */
};

struct tmpl_set {
	const struct i18n *i18n;
	struct arena arena; /* names, literal text, paths */
	struct tmpl **t;
	size_t n, cap;
	bool linked;
};

#endif
