/* tmpl_html.c - the HTML context of template text, for contextual escaping and CSP checks. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tmpl_priv.h"
#include "base/ascii.h"

static enum hevent refuse(struct hctx *h, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum hevent
refuse(struct hctx *h, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(h->reason, sizeof(h->reason), fmt, ap);
	va_end(ap);
	h->err_line = line;
	return HE_ERROR;
}

/* Initialises the context to HTML text. */
void
hctx_init(struct hctx *h)
{
	memset(h, 0, sizeof(*h));
	h->state = HS_TEXT;
}

static void
name_add(struct hctx *h, char c)
{
	if (h->name_len < HNAME_MAX - 1) {
		h->name[h->name_len] = ascii_tolower(c);
		h->name[h->name_len + 1] = '\0';
	}
	h->name_len++;
}

static void
name_start(struct hctx *h, char c)
{
	h->name_len = 0;
	h->name[0] = '\0';
	name_add(h, c);
}

static bool
name_is(const struct hctx *h, const char *s)
{
	return h->name_len < HNAME_MAX && strcmp(h->name, s) == 0;
}

/* The name as it can be quoted in a message (long names are cut). */
static const char *
name_shown(const struct hctx *h)
{
	return h->name_len < HNAME_MAX ? "" : "...";
}

static enum hevent
tag_name_end(struct hctx *h, int line)
{
	h->tag = HT_OTHER;
	if (h->end_tag)
		return HE_NONE;
	if (name_is(h, "script"))
		h->tag = HT_SCRIPT;
	else if (name_is(h, "style"))
		return refuse(h, line, "inline style: <style> element (use a stylesheet)");
	else if (name_is(h, "textarea"))
		h->tag = HT_TEXTAREA;
	else if (name_is(h, "title"))
		h->tag = HT_TITLE;
	return HE_NONE;
}

/* The end of a start tag decides what follows: raw text for <script>, <textarea>, <title>. */
static enum hevent
tag_end(struct hctx *h)
{
	h->state = HS_TEXT;
	h->cut = 0;
	if (h->end_tag)
		return HE_NONE;
	if (h->tag == HT_SCRIPT && !h->has_src)
		return refuse(h, h->tag_line, "inline script: <script> without src");
	if (h->tag == HT_SCRIPT || h->tag == HT_TEXTAREA || h->tag == HT_TITLE) {
		h->state = HS_RAW;
		h->raw_match = 0;
	}
	return HE_NONE;
}

static void
attr_start(struct hctx *h, char c)
{
	h->state = HS_ATTR_NAME;
	h->attr = HA_OTHER;
	h->attr_seq++;
	name_start(h, c);
}

/* Checks a complete attribute name of a start tag and notes what its value will be. */
static enum hevent
attr_name_end(struct hctx *h, int line)
{
	h->attr = HA_OTHER;
	if (h->end_tag)
		return HE_NONE;
	if (h->name_len >= 2 && h->name[0] == 'o' && h->name[1] == 'n')
		return refuse(h, line, "inline event handler: '%s%s' attribute", h->name,
			      name_shown(h));
	if (name_is(h, "style"))
		return refuse(h, line, "inline style: style attribute (use a class)");
	if (name_is(h, "src"))
		h->has_src = true;
	/* Beyond href, src, action and formaction: SVG links and <object data> run javascript:
	 * URLs too; poster and cite are URLs that should not be anything else. */
	if (name_is(h, "href") || name_is(h, "src") || name_is(h, "action") ||
	    name_is(h, "formaction") || name_is(h, "xlink:href") || name_is(h, "data") ||
	    name_is(h, "poster") || name_is(h, "cite"))
		h->attr = HA_URL;
	else if (name_is(h, "srcdoc"))
		h->attr = HA_NOVAR; /* its value is a whole HTML document */
	return HE_NONE;
}

static const char *
raw_end_name(enum htag tag)
{
	switch (tag) {
	case HT_SCRIPT: return "script";
	case HT_TEXTAREA: return "textarea";
	case HT_TITLE: return "title";
	default: return "";
	}
}

/* Raw text ends only at "</name" followed by a blank, '/' or '>' (case-insensitive).
 * Inside <svg> or <math>, <title> and <textarea> hold markup, not text: markup in them is
 * refused, so that the browser and this tokenizer cannot disagree on what a value is. */
static enum hevent
raw_step(struct hctx *h, char c, int line)
{
	const char *end = raw_end_name(h->tag);
	size_t elen = strlen(end);
	bool markup = false;
	if (h->raw_match == 0) {
		h->raw_match = c == '<';
	} else if (h->raw_match == 1) {
		markup = ascii_is_alpha(c);
		h->raw_match = c == '/' ? 2 : c == '<';
	} else if (h->raw_match - 2 < elen) {
		if (ascii_tolower(c) == end[h->raw_match - 2]) {
			h->raw_match++;
		} else {
			markup = ascii_is_alpha(c);
			h->raw_match = c == '<';
		}
	} else if (ascii_is_space(c) || c == '/' || c == '>') {
		h->raw_match = 0;
		h->end_tag = true;
		h->tag_seq++;
		h->tag_line = line;
		h->state = HS_BEFORE_ATTR;
		if (c == '>')
			return tag_end(h);
	} else {
		markup = true;
		h->raw_match = c == '<';
	}
	if (markup && h->tag != HT_SCRIPT)
		return refuse(h, line, "markup inside <%s> (write &lt; for a literal '<')", end);
	return HE_NONE;
}

static enum hevent
comment_step(struct hctx *h, char c)
{
	if (c == '>') {
		/* "-->", "--!>", and the abrupt "<!-->" and "<!--->" all end a comment. */
		if (h->dashes >= 2 || h->bang || h->clen == 0 || (h->clen == 1 && h->dashes == 1))
			h->state = HS_TEXT;
		h->dashes = 0;
		h->bang = false;
	} else if (c == '-') {
		h->dashes++;
		h->bang = false;
	} else if (c == '!') {
		h->bang = h->dashes >= 2;
		h->dashes = 0;
	} else {
		h->dashes = 0;
		h->bang = false;
	}
	if (h->clen < 2)
		h->clen++;
	return HE_NONE;
}

/* Advances the context by one character of literal text. */
enum hevent
hctx_step(struct hctx *h, char c, int line)
{
	enum hevent ev;
	switch (h->state) {
	case HS_TEXT:
		if (c == '<') {
			h->state = HS_TAG_OPEN;
			h->tag_line = line;
		}
		return HE_NONE;
	case HS_TAG_OPEN:
		if (ascii_is_alpha(c)) {
			h->state = HS_TAG_NAME;
			h->end_tag = false;
			h->has_src = false;
			h->tag_seq++;
			name_start(h, c);
		} else if (c == '/') {
			h->state = HS_END_OPEN;
		} else if (c == '!') {
			h->state = HS_MARKUP;
			h->mdash = 0;
		} else if (c == '?') {
			h->state = HS_BOGUS;
		} else {
			h->state = HS_TEXT; /* a lone '<' is text; c may open the next tag */
			return hctx_step(h, c, line);
		}
		return HE_NONE;
	case HS_END_OPEN:
		if (ascii_is_alpha(c)) {
			h->state = HS_TAG_NAME;
			h->end_tag = true;
			h->tag_seq++;
			name_start(h, c);
		} else {
			h->state = c == '>' ? HS_TEXT : HS_BOGUS;
		}
		return HE_NONE;
	case HS_TAG_NAME:
		if (ascii_is_space(c) || c == '/' || c == '>') {
			h->state = HS_BEFORE_ATTR;
			if ((ev = tag_name_end(h, line)) != HE_NONE)
				return ev;
			return c == '>' ? tag_end(h) : HE_NONE;
		}
		name_add(h, c);
		return HE_NONE;
	case HS_BEFORE_ATTR:
		if (ascii_is_space(c)) {
			if (h->cut == CUT_NAME)
				h->cut = CUT_EQ;
			return HE_NONE;
		}
		if (c == '/') {
			h->cut = 0;
			return HE_NONE;
		}
		if (c == '>')
			return tag_end(h);
		if (c == '=' && h->cut)
			return refuse(h, line,
				      "'=' after a section tag (put the whole attribute "
				      "in the section)");
		if (h->cut == CUT_NAME)
			return refuse(h, line, "attribute name continues after a section tag");
		h->cut = 0;
		attr_start(h, c); /* '=' here starts a name, as browsers do */
		return HE_NONE;
	case HS_ATTR_NAME:
		if (ascii_is_space(c) || c == '/' || c == '>' || c == '=') {
			if ((ev = attr_name_end(h, line)) != HE_NONE)
				return ev;
			h->state = c == '='   ? HS_BEFORE_VALUE
				   : c == '/' ? HS_BEFORE_ATTR
					      : HS_AFTER_ATTR;
			return c == '>' ? tag_end(h) : HE_NONE;
		}
		name_add(h, c);
		return HE_NONE;
	case HS_AFTER_ATTR:
		if (ascii_is_space(c))
			return HE_NONE;
		if (c == '/')
			h->state = HS_BEFORE_ATTR;
		else if (c == '=')
			h->state = HS_BEFORE_VALUE;
		else if (c == '>')
			return tag_end(h);
		else
			attr_start(h, c);
		return HE_NONE;
	case HS_BEFORE_VALUE:
		if (ascii_is_space(c))
			return HE_NONE;
		if (c == '>')
			return tag_end(h);
		if (c == '"' || c == '\'') {
			h->state = HS_VALUE_Q;
			h->quote = c;
			return h->attr == HA_URL ? HE_URL_OPEN_Q : HE_NONE;
		}
		h->state = HS_VALUE_UQ;
		return h->attr == HA_URL ? HE_URL_OPEN_UQ : HE_NONE;
	case HS_VALUE_Q:
		if (c != h->quote)
			return HE_NONE;
		h->state = HS_BEFORE_ATTR;
		return h->attr == HA_URL ? HE_URL_END : HE_NONE;
	case HS_VALUE_UQ:
		if (!ascii_is_space(c) && c != '>')
			return HE_NONE;
		h->state = HS_BEFORE_ATTR;
		if (c == '>' && (ev = tag_end(h)) != HE_NONE)
			return ev;
		return h->attr == HA_URL ? HE_URL_END : HE_NONE;
	case HS_MARKUP:
		if (c == '-' && h->mdash == 0) {
			h->mdash = 1;
		} else if (c == '-') {
			h->state = HS_COMMENT;
			h->clen = h->dashes = 0;
			h->bang = false;
		} else {
			h->state = c == '>' ? HS_TEXT : HS_BOGUS;
		}
		return HE_NONE;
	case HS_COMMENT: return comment_step(h, c);
	case HS_BOGUS:
		if (c == '>')
			h->state = HS_TEXT;
		return HE_NONE;
	case HS_RAW: return raw_step(h, c, line);
	}
	return HE_NONE;
}

/* Where a tag may not print a value, the words that say so; NULL where it may. */
static const char *
value_refused(const struct hctx *h)
{
	switch (h->state) {
	case HS_TEXT: return NULL;
	case HS_TAG_OPEN:
	case HS_END_OPEN:
	case HS_TAG_NAME: return "in a tag name";
	case HS_BEFORE_ATTR:
	case HS_ATTR_NAME:
	case HS_AFTER_ATTR: return "in an attribute name";
	case HS_BEFORE_VALUE:
	case HS_VALUE_UQ: return "in an unquoted attribute value";
	case HS_VALUE_Q: return h->attr == HA_NOVAR ? "in a srcdoc attribute" : NULL;
	case HS_MARKUP:
	case HS_BOGUS: return "inside a <!...> declaration";
	case HS_COMMENT:
		/* Printed "--" could end the comment early: what follows would be markup. */
		return "inside an HTML comment";
	case HS_RAW:
		if (h->raw_match > 0)
			return "in a tag name"; /* after '<' or "</" */
		return h->tag == HT_SCRIPT ? "inside <script>" : NULL;
	}
	return "here";
}

/* Checks that a tag of this kind may stand in the current context. */
bool
hctx_tag(struct hctx *h, enum hkind kind, const char *what)
{
	const char *why = NULL;
	switch (kind) {
	case HK_VALUE: why = value_refused(h); break;
	case HK_PARTIAL:
		if (h->state != HS_TEXT) {
			snprintf(h->reason, sizeof(h->reason), "%s outside HTML text (in %s)", what,
				 hctx_describe(h));
			return false;
		}
		break;
	case HK_SECTION:
		/* A section boundary must be a boundary for the browser too: it ends an
		 * attribute name, and the name may not go on after it ("o{{/x}}nclick"). */
		if (h->state == HS_ATTR_NAME) {
			if (attr_name_end(h, 0) == HE_ERROR)
				return false;
			h->state = HS_BEFORE_ATTR;
			h->cut = CUT_NAME;
		} else if (h->state == HS_AFTER_ATTR) {
			h->state = HS_BEFORE_ATTR;
			h->cut = CUT_EQ;
		}
		if (h->state == HS_BEFORE_ATTR || h->state == HS_VALUE_Q ||
		    (h->state == HS_RAW && h->raw_match == 0))
			break;
		why = value_refused(h);
		break;
	}
	if (why) {
		snprintf(h->reason, sizeof(h->reason), "%s %s", what, why);
		return false;
	}
	return true;
}

/* At a section's close, compares with the context at its open. */
bool
hctx_close(struct hctx *h, const struct hctx *open)
{
	if (h->state != open->state)
		return false;
	switch (h->state) {
	case HS_TEXT: return true;
	case HS_BEFORE_ATTR:
		if (h->tag_seq != open->tag_seq)
			return false;
		h->has_src = open->has_src; /* a src given only inside the section may be absent */
		return true;
	case HS_VALUE_Q: return h->attr_seq == open->attr_seq && h->quote == open->quote;
	case HS_RAW: return h->tag_seq == open->tag_seq;
	default: return false;
	}
}

/* Describes a context for messages. */
const char *
hctx_describe(const struct hctx *h)
{
	switch (h->state) {
	case HS_TEXT: return "HTML text";
	case HS_TAG_OPEN:
	case HS_END_OPEN:
	case HS_TAG_NAME:
	case HS_BEFORE_ATTR:
	case HS_ATTR_NAME:
	case HS_AFTER_ATTR:
	case HS_BEFORE_VALUE: return "a tag";
	case HS_VALUE_Q:
	case HS_VALUE_UQ: return "an attribute value";
	case HS_MARKUP:
	case HS_BOGUS: return "a <!...> declaration";
	case HS_COMMENT: return "an HTML comment";
	case HS_RAW:
		return h->tag == HT_SCRIPT  ? "<script>"
		       : h->tag == HT_TITLE ? "<title>"
					    : "<textarea>";
	}
	return "HTML";
}
