/* tmpl.h - a small template engine: escaping by default, sections, partials, translations. */
#ifndef COEXIST_TMPL_H
#define COEXIST_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "i18n.h"

struct arena;
struct buf;

/*
 * Values given to a template: a tree made in a request arena.
 * Strings are not copied: they must live as long as the render (arena or static).
 */
enum tv_kind { TV_NULL, TV_BOOL, TV_INT, TV_STR, TV_HTML, TV_LIST, TV_OBJ };

struct tval;

struct tval *tv_obj(struct arena *a);
struct tval *tv_list(struct arena *a);
/* Sets key in an object (replacing an earlier value of that key); key is not copied. */
void tv_set(struct tval *obj, const char *key, struct tval *v);
void tv_set_str(struct tval *obj, const char *key, const char *s);
void tv_set_int(struct tval *obj, const char *key, long long v);
void tv_set_bool(struct tval *obj, const char *key, bool v);
/* Appends a new empty object to a list and returns it. */
struct tval *tv_push_obj(struct tval *list);
void tv_push_str(struct tval *list, const char *s);
/* Appends any value to a list (NULL appends null). */
void tv_push(struct tval *list, struct tval *v);
/* Markup printed without escaping. Only for markup compiled into the program or produced by
 * tmpl_render itself (a page body inside the layout); never for anything a person typed. */
struct tval *tv_html_trusted(struct arena *a, const char *html, size_t len);
/* Looks up a key of an object (NULL when absent or not an object). */
const struct tval *tv_get(const struct tval *obj, const char *key);
enum tv_kind tv_kind(const struct tval *v);
/* The ith item of a list, or NULL. */
struct tval *tv_list_at(const struct tval *list, size_t i);

/*
 * Templates: every NAME.html file of a directory, compiled once at start-up.
 * Syntax (blanks allowed inside the braces: {{ name }}, {{# name }}; "{{" cannot be written
 * as literal text):
 *   {{name}} {{a.b}} {{.}}  value, HTML-escaped (& < > " ') in text and quoted attributes;
 *                           names are [A-Za-z0-9_-]+ segments joined by '.'. TV_STR is escaped,
 *                           TV_INT printed in decimal, TV_HTML printed raw; null, booleans,
 *                           lists and objects print nothing.
 *                           In href/src/action/formaction (and xlink:href, data, poster, cite)
 *                           a value that has printed parts is checked whole once printed: when
 *                           it has a scheme other than http, https, mailto or tel it prints as
 *                           "#" (so href="{{u}}" with u = "javascript:..." gives href="#", and
 *                           href="/cases/{{id}}" cannot be turned into a scheme). A literal URL
 *                           there must be safe too (compile error otherwise).
 *                           A variable in an unquoted attribute, a tag or attribute name, an
 *                           HTML comment, a srcdoc attribute or inside <script>/<style> is a
 *                           compile error. <textarea> and <title> content is text; markup in
 *                           it is refused (in <svg> it would be markup).
 *   {{#name}}..{{/name}}    section: once per list item (item becomes the innermost scope),
 *                           once for an object (pushed as scope) or a true/non-empty value
 *                           (pushed too, so {{.}} prints it), never for null, false, 0, "" or an
 *                           empty list.
 *   {{^name}}..{{/name}}    inverted section: only when the section would not render.
 *                           A section must close in the HTML context it opened in (both in text,
 *                           in the same tag between attributes, or in the same attribute value);
 *                           it may close right after a boolean attribute name
 *                           (<input {{#on}}checked{{/on}}>), but that name may not go on and no
 *                           '=' may follow. At most 31 sections nest, partials included.
 *   {{> name}}              partial: the template NAME.html (or folder/NAME.html: "cases/_card")
 *                           of the same set, rendered with the
 *                           current scopes; only in HTML text. Resolved by tmpl_link, which
 *                           refuses unknown names and cycles.
 *   {{_ key}}               the translation of key in the render's language, escaped; an
 *                           unknown key is a compile error.
 *   {{! comment}}           nothing (up to the first "}}").
 * Names are looked up from the innermost scope outwards; a missing name prints nothing.
 * Inline script or style is refused at compile time (CSP forbids it): <script> without src,
 * <style>, style="..." and on*="..." attributes (names compared case-insensitively).
 * A template must end in HTML text (not inside a tag, comment or attribute value).
 * Every compile or link error reads "file:line: reason".
 */
struct tmpl_set;
struct tmpl;

/* Compiles every *.html file of dir; NULL with "dir/file.html:line: reason" in err. */
struct tmpl_set *tmpl_load_dir(const char *dir, const struct i18n *i18n, char *err, size_t errlen);
/* For tests and tools: an empty set, then templates added from memory, then linked. */
struct tmpl_set *tmpl_set_new(const struct i18n *i18n);
bool tmpl_add(struct tmpl_set *set, const char *name, const char *src, size_t len, char *err,
	      size_t errlen);
/* Resolves partials; false with "name:line: unknown partial 'x'" (or a cycle) in err. */
bool tmpl_link(struct tmpl_set *set, char *err, size_t errlen);
/* Returns the template NAME (file name without .html), or NULL. */
const struct tmpl *tmpl_get(const struct tmpl_set *set, const char *name);
/* Renders into out; ctx may be NULL. */
void tmpl_render(const struct tmpl *t, const struct tval *ctx, enum lang lang, struct buf *out);
void tmpl_set_free(struct tmpl_set *set);

#endif
