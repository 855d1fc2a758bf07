/* test_tmpl.c - template syntax, contextual escaping, sections, partials, translations, errors. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/buf.h"
#include "view/i18n.h"
#include "view/tmpl.h"

static const char FR[] = "hello = Bonjour\n"
			 "love = J'aime <3\n"
			 "help.url = /aide\n";
static const char EN[] = "hello = Hello\n"
			 "love = I love <3\n"
			 "help.url = /help\n";

struct fixture {
	struct i18n *i18n;
	struct arena arena;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];
	f->i18n = i18n_load_strings(FR, EN, err, sizeof(err));
	if (f->i18n == NULL)
		return -1;
	arena_init(&f->arena, 0);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(&f->arena);
	i18n_free(f->i18n);
	free(f);
	return 0;
}

/* Compiles the templates given as name, source pairs (NULL-terminated), links them and renders
 * the first; returns the page (in the arena). */
static const char *
render_set(struct fixture *f, const struct tval *ctx, enum lang lang, const char *const *tmpls)
{
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new(f->i18n);
	for (size_t i = 0; tmpls[i]; i += 2)
		if (!tmpl_add(set, tmpls[i], tmpls[i + 1], strlen(tmpls[i + 1]), err, sizeof(err)))
			fail_msg("compile: %s", err);
	if (!tmpl_link(set, err, sizeof(err)))
		fail_msg("link: %s", err);
	const struct tmpl *t = tmpl_get(set, tmpls[0]);
	assert_non_null(t);
	struct buf out;
	buf_init(&out, &f->arena);
	tmpl_render(t, ctx, lang, &out);
	tmpl_set_free(set);
	return buf_str(&out);
}

static const char *
render(struct fixture *f, const char *src, const struct tval *ctx, enum lang lang)
{
	const char *const tmpls[] = {"page", src, NULL};
	return render_set(f, ctx, lang, tmpls);
}

/* Expects the templates (name, source pairs) to be refused at compile or link time with an
 * error containing both strings. */
static void
refused_set(struct fixture *f, const char *const *tmpls, const char *want1, const char *want2)
{
	char err[256] = "";
	struct tmpl_set *set = tmpl_set_new(f->i18n);
	bool ok = true;
	for (size_t i = 0; tmpls[i] && ok; i += 2)
		ok = tmpl_add(set, tmpls[i], tmpls[i + 1], strlen(tmpls[i + 1]), err, sizeof(err));
	if (ok)
		ok = tmpl_link(set, err, sizeof(err));
	tmpl_set_free(set);
	if (ok)
		fail_msg("accepted: %s", tmpls[1]);
	if (!strstr(err, want1) || !strstr(err, want2))
		fail_msg("error \"%s\" lacks \"%s\" / \"%s\"", err, want1, want2);
}

static void
refused(struct fixture *f, const char *src, const char *where, const char *why)
{
	const char *const tmpls[] = {"page", src, NULL};
	refused_set(f, tmpls, where, why);
}

static void
test_text_is_escaped(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_str(ctx, "name", "<script>alert('x')</script> & co");
	assert_string_equal(render(f, "<p>{{name}}</p>", ctx, LANG_FR),
			    "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>");
	assert_string_equal(render(f, "<p>{{ name }}</p>", ctx, LANG_FR),
			    "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>");
}

static void
test_quotes_escaped_in_attributes(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_str(ctx, "t", "\" onmouseover=\"alert(1)");
	tv_set_str(ctx, "s", "' autofocus onfocus='x");
	assert_string_equal(render(f, "<a title=\"{{t}}\" data-x='{{s}}'>x</a>", ctx, LANG_FR),
			    "<a title=\"&quot; onmouseover=&quot;alert(1)\" "
			    "data-x='&#39; autofocus onfocus=&#39;x'>x</a>");
}

static void
test_unsafe_urls_become_hash(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	const char *src = "<a href=\"{{u}}\">x</a>";
	tv_set_str(ctx, "u", "javascript:alert(1)");
	assert_string_equal(render(f, src, ctx, LANG_FR), "<a href=\"#\">x</a>");
	tv_set_str(ctx, "u", " JavaScript:alert(1)");
	assert_string_equal(render(f, src, ctx, LANG_FR), "<a href=\"#\">x</a>");
	tv_set_str(ctx, "u", "data:text/html;base64,PHNjcmlwdD4=");
	assert_string_equal(render(f, src, ctx, LANG_FR), "<a href=\"#\">x</a>");
	tv_set_str(ctx, "u", "https://example.org/?a=1&b=2");
	assert_string_equal(render(f, src, ctx, LANG_FR),
			    "<a href=\"https://example.org/?a=1&amp;b=2\">x</a>");
	tv_set_str(ctx, "u", "/cases/3");
	assert_string_equal(render(f, src, ctx, LANG_FR), "<a href=\"/cases/3\">x</a>");

	/* src, action and formaction too, whatever the case of the attribute name. */
	tv_set_str(ctx, "u", "javascript:alert(1)");
	assert_string_equal(render(f, "<img SRC='{{u}}' alt=\"{{u}}\">", ctx, LANG_FR),
			    "<img SRC='#' alt=\"javascript:alert(1)\">");
	assert_string_equal(
		render(f, "<form action=\"{{u}}\"><button formaction=\"{{u}}\">", ctx, LANG_FR),
		"<form action=\"#\"><button formaction=\"#\">");

	assert_string_equal(render(f, "<svg><a xlink:href=\"{{u}}\"></a></svg>", ctx, LANG_FR),
			    "<svg><a xlink:href=\"#\"></a></svg>");
	/* After a fixed path the value cannot choose a scheme. */
	assert_string_equal(render(f, "<a href=\"/users/{{u}}\">", ctx, LANG_FR),
			    "<a href=\"/users/javascript:alert(1)\">");
	/* Two values cannot make one together. */
	tv_set_str(ctx, "a", "java");
	tv_set_str(ctx, "b", "script:alert(1)");
	assert_string_equal(render(f, "<a href=\"{{a}}{{b}}\">", ctx, LANG_FR), "<a href=\"#\">");
	assert_string_equal(render(f, "<a href=\"{{a}}:{{b}}\">", ctx, LANG_FR), "<a href=\"#\">");
	/* Translations in a URL attribute are checked the same way. */
	assert_string_equal(render(f, "<a href=\"{{_help.url}}\">", ctx, LANG_EN),
			    "<a href=\"/help\">");
}

static void
test_nested_sections_with_outer_scope(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_str(ctx, "city", "Brest");
	struct tval *people = tv_list(&f->arena);
	tv_set(ctx, "people", people);
	struct tval *p = tv_push_obj(people);
	tv_set_str(p, "name", "Anne");
	struct tval *tags = tv_list(&f->arena);
	tv_push_str(tags, "a<b");
	tv_push_str(tags, "c");
	tv_set(p, "tags", tags);
	p = tv_push_obj(people);
	tv_set_str(p, "name", "Bob");
	tv_set_str(p, "city", "Paris"); /* an inner name hides the outer one */
	tv_set(p, "tags", tv_list(&f->arena));
	const char *src = "<ul>{{#people}}<li>{{name}} ({{city}}):"
			  "{{#tags}} [{{.}}]{{/tags}}{{^tags}} none{{/tags}}</li>{{/people}}</ul>";
	assert_string_equal(
		render(f, src, ctx, LANG_FR),
		"<ul><li>Anne (Brest): [a&lt;b] [c]</li><li>Bob (Paris): none</li></ul>");
}

static void
test_section_truthiness_and_inverted(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_bool(ctx, "yes", true);
	tv_set_bool(ctx, "no", false);
	tv_set_int(ctx, "zero", 0);
	tv_set_int(ctx, "seven", 7);
	tv_set_str(ctx, "empty", "");
	tv_set_str(ctx, "word", "w");
	tv_set(ctx, "nolist", tv_list(&f->arena));
	struct tval *user = tv_obj(&f->arena);
	tv_set_str(user, "name", "Zoé");
	tv_set(ctx, "user", user);
	const char *src = "{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{#zero}}0{{/zero}}{{#seven}}7{{/seven}}"
			  "{{#empty}}E{{/empty}}{{#word}}[{{.}}]{{/word}}{{#nolist}}L{{/nolist}}"
			  "{{#missing}}M{{/missing}}{{#user}}({{name}}){{/user}}";
	assert_string_equal(render(f, src, ctx, LANG_FR), "Y7[w](Zoé)");
	const char *inv = "{{^yes}}Y{{/yes}}{{^no}}N{{/no}}{{^zero}}0{{/zero}}{{^seven}}7{{/seven}}"
			  "{{^empty}}E{{/empty}}{{^word}}W{{/word}}{{^nolist}}L{{/nolist}}"
			  "{{^missing}}M{{/missing}}{{^user}}U{{/user}}";
	assert_string_equal(render(f, inv, ctx, LANG_FR), "N0ELM");
}

static void
test_values_and_missing_keys(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_int(ctx, "n", -42);
	tv_set_int(ctx, "min", LLONG_MIN);
	tv_set_bool(ctx, "b", true);
	tv_set(ctx, "l", tv_list(&f->arena));
	struct tval *user = tv_obj(&f->arena);
	tv_set_str(user, "name", "Ana");
	tv_set_str(user, "name", "Anaïs"); /* replaces */
	tv_set(ctx, "user", user);
	tv_set(ctx, "body", tv_html_trusted(&f->arena, "<b>bold</b>", 11));
	struct tval *nums = tv_list(&f->arena);
	tv_set(ctx, "nums", nums);
	for (int i = 1; i <= 3; i++) {
		struct tval *o = tv_obj(&f->arena);
		tv_set_int(o, "v", i * 10);
		tv_push(nums, o);
	}
	assert_string_equal(render(f, "{{#nums}}{{v}},{{/nums}}", ctx, LANG_FR), "10,20,30,");
	assert_string_equal(render(f,
				   "{{n}} {{min}} [{{b}}{{l}}{{user}}{{nothing}}{{user.x.y}}] "
				   "{{user.name}} {{body}}",
				   ctx, LANG_FR),
			    "-42 -9223372036854775808 [] Anaïs <b>bold</b>");
	/* No context at all: everything missing. */
	assert_string_equal(render(f, "a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}{{.}}", NULL, LANG_FR),
			    "abd");
	assert_int_equal(tv_kind(tv_get(ctx, "user")), TV_OBJ);
	assert_null(tv_get(ctx, "nothing"));
}

static void
test_partials_share_the_scope(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_str(ctx, "title", "Cases");
	struct tval *items = tv_list(&f->arena);
	tv_set(ctx, "items", items);
	tv_set_str(tv_push_obj(items), "name", "one");
	tv_set_str(tv_push_obj(items), "name", "<two>");
	const char *const tmpls[] = {
		"page",    "{{> _header}}<ul>{{#items}}{{>_item}}{{/items}}</ul>",
		"_header", "<h1>{{title}}</h1>",
		"_item",   "<li>{{name}} of {{title}}</li>",
		NULL,
	};
	assert_string_equal(
		render_set(f, ctx, LANG_FR, tmpls),
		"<h1>Cases</h1><ul><li>one of Cases</li><li>&lt;two&gt; of Cases</li></ul>");
}

static void
test_translations(void **state)
{
	struct fixture *f = *state;
	const char *src = "<p title=\"{{_ hello}}\">{{_love}}</p>{{! a comment }}";
	assert_string_equal(render(f, src, NULL, LANG_FR),
			    "<p title=\"Bonjour\">J&#39;aime &lt;3</p>");
	assert_string_equal(render(f, src, NULL, LANG_EN), "<p title=\"Hello\">I love &lt;3</p>");
}

static void
test_html_contexts_that_are_allowed(void **state)
{
	struct fixture *f = *state;
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_str(ctx, "t", "</title><script>");
	tv_set_bool(ctx, "on", true);
	/* Text-only elements: markup inside is text, values are escaped. */
	assert_string_equal(render(f, "<title>a < b {{t}}</title ><textarea>\n</ {{t}}</TEXTAREA>",
				   ctx, LANG_FR),
			    "<title>a < b &lt;/title&gt;&lt;script&gt;</title ><textarea>\n</ "
			    "&lt;/title&gt;&lt;script&gt;</TEXTAREA>");
	/* A script with src, comments holding markup, a doctype. */
	assert_string_equal(render(f,
				   "<!DOCTYPE html><!-- <script>x</script> style= -->"
				   "<script src=\"/app.js\" defer></script>",
				   ctx, LANG_FR),
			    "<!DOCTYPE html><!-- <script>x</script> style= -->"
			    "<script src=\"/app.js\" defer></script>");
	/* Boolean attributes in sections, sections around attributes and in values. */
	assert_string_equal(render(f,
				   "<input type=checkbox {{#on}}checked{{/on}}>"
				   "<a {{#on}}class=\"x\"{{/on}} title=\"{{#on}}a {{t}}{{/on}}\">",
				   ctx, LANG_FR),
			    "<input type=checkbox checked><a class=\"x\" "
			    "title=\"a &lt;/title&gt;&lt;script&gt;\">");
	/* A section inside a URL value: the whole value is checked. */
	tv_set_str(ctx, "u", "javascript:alert(1)");
	assert_string_equal(render(f, "<a href=\"{{#on}}{{u}}{{/on}}\">", ctx, LANG_FR),
			    "<a href=\"#\">");
	assert_string_equal(render(f, "<a href='/x?a={{#on}}{{u}}{{/on}}'>", ctx, LANG_FR),
			    "<a href='/x?a=javascript:alert(1)'>");
}

static void
test_syntax_errors(void **state)
{
	struct fixture *f = *state;
	refused(f, "a\nb {{x", "page.html:2:", "unclosed tag");
	refused(f, "a\n{{#list}}\nx", "page.html:2:", "unclosed section 'list'");
	refused(f, "{{#a}}\n{{#b}}\n{{/a}}", "page.html:3:", "mismatched close");
	refused(f, "x\n\n{{/a}}", "page.html:3:", "mismatched close");
	refused(f, "{{}}", "page.html:1:", "empty name");
	refused(f, "\n{{ }}", "page.html:2:", "empty name");
	refused(f, "{{#}}", "page.html:1:", "empty name");
	refused(f, "{{> }}", "page.html:1:", "empty name");
	refused(f, "{{&x}}", "page.html:1:", "unknown tag kind '&'");
	refused(f, "a\n{{{x}}}", "page.html:2:", "unknown tag kind '{'");
	refused(f, "{{=<% %>=}}", "page.html:1:", "unknown tag kind");
	refused(f, "{{a b}}", "page.html:1:", "invalid name");
	refused(f, "{{a..b}}", "page.html:1:", "invalid name");
	refused(f, "{{! a\ncomment }}\n{{_ nope}}",
		"page.html:3:", "unknown translation key 'nope'");
	refused(f, "{{_Hello}}", "page.html:1:", "invalid translation key");
	refused(f, "ok\xff", "page.html:1:", "invalid UTF-8");
}

static void
test_link_errors(void **state)
{
	struct fixture *f = *state;
	const char *const unknown[] = {"page", "x\n{{> nope}}", NULL};
	refused_set(f, unknown, "page.html:2:", "unknown partial 'nope'");
	const char *const cycle[] = {"a", "{{> b}}", "b", "\n{{> c}}", "c", "{{#x}}{{>a}}{{/x}}",
				     NULL};
	refused_set(f, cycle, ".html:", "partial cycle: a -> b -> c -> a");
	const char *const self[] = {"a", "x\n\n{{> a}}", NULL};
	refused_set(f, self, "a.html:3:", "partial cycle: a -> a");
	const char *const twice[] = {"a", "x", "a", "y", NULL};
	refused_set(f, twice, "a.html", "defined twice");
}

static void
test_context_errors(void **state)
{
	struct fixture *f = *state;
	refused(f, "<p>\n<a href={{u}}>",
		"page.html:2:", "variable in an unquoted attribute value");
	refused(f, "<a title=x{{u}}>", "page.html:1:", "unquoted attribute value");
	refused(f, "<{{t}}>", "page.html:1:", "variable in a tag name");
	refused(f, "<h{{n}}>", "page.html:1:", "variable in a tag name");
	refused(f, "</{{t}}>", "page.html:1:", "tag name");
	refused(f, "<a {{attrs}}>", "page.html:1:", "variable in an attribute name");
	refused(f, "<a data-{{k}}=\"1\">", "page.html:1:", "variable in an attribute name");
	refused(f, "<a title=\"1\"\n\n{{_hello}}>",
		"page.html:3:", "translation in an attribute name");
	refused(f, "<script src=\"/a.js\">\n{{x}}</script>",
		"page.html:2:", "variable inside <script>");
	refused(f, "<style>{{x}}</style>", "page.html:1:", "<style> element");
	refused(f, "<!-- {{x}} -->", "page.html:1:", "inside an HTML comment");
	refused(f, "<iframe srcdoc=\"{{x}}\">", "page.html:1:", "srcdoc");
	/* In <svg> a <title> holds markup: none is allowed in one. */
	refused(f, "<svg><title>\n<a href=\"{{u}}\">", "page.html:2:", "markup inside <title>");
	refused(f, "<textarea></b></textarea>", "page.html:1:", "markup inside <textarea>");
	refused(f, "<textarea></textareax>", "page.html:1:", "markup inside <textarea>");
	refused(f, "<textarea><{{x}}</textarea>", "page.html:1:", "variable in a tag name");
	refused(f, "<p title=\"{{> part}}\">", "page.html:1:", "partial outside HTML text");
}

static void
test_inline_script_and_style_refused(void **state)
{
	struct fixture *f = *state;
	refused(f, "<p>\n<script>alert(1)</script>", "page.html:2:", "inline script");
	refused(f, "<SCRIPT type=module\n>x</SCRIPT>", "page.html:1:", "inline script");
	refused(f, "x\n<STYLE>p{}</STYLE>", "page.html:2:", "inline style: <style> element");
	refused(f, "<p\nStyle=\"color:red\">", "page.html:2:", "inline style: style attribute");
	refused(f, "<a onClick=\"go()\">", "page.html:1:", "inline event handler: 'onclick'");
	refused(f, "<body onload=go()>", "page.html:1:", "inline event handler: 'onload'");
	refused(f, "<svg><a ONMOUSEOVER='x'>", "page.html:1:", "inline event handler");
	refused(f, "<a href=\"javascript:go()\">", "page.html:1:", "unsafe URL in href");
	refused(f, "<a href=' javascript:go()'>", "page.html:1:", "unsafe URL");
	refused(f, "<img src=data:image/png;base64,AA>", "page.html:1:", "unsafe URL in src");
	/* A src given only in a section may be missing: still inline. */
	refused(f, "<script {{#x}}src=\"/a.js\"{{/x}}></script>", "page.html:1:", "inline script");
}

static void
test_sections_must_not_split_html(void **state)
{
	struct fixture *f = *state;
	refused(f, "{{#a}}<a href=\"\n{{/a}}\">",
		"page.html:2:", "section 'a' opened in HTML text");
	refused(f, "<a title=\"{{#a}}\" alt=\"{{/a}}\">", "page.html:1:", "ends in");
	refused(f, "<a {{#x}}o{{/x}}nclick=\"{{v}}\">",
		"page.html:1:", "attribute name continues after a section tag");
	refused(f, "<a href {{#x}}{{/x}}=\"{{v}}\">", "page.html:1:", "'=' after a section tag");
	refused(f, "<a {{#x}}on{{/x}}click=\"go()\">", "page.html:1:", "inline event handler");
	refused(f, "<{{#x}}b{{/x}}>", "page.html:1:", "section tag in a tag name");
	refused(f, "<a href={{#x}}/a{{/x}}>", "page.html:1:", "unquoted attribute value");
	refused(f, "<p>\n<a href=\"/x", "page.html:2:", "template ends inside an attribute value");
	refused(f, "<p>\n<a\nhref", "page.html:3:", "template ends inside a tag");
	refused(f, "<!-- open", "page.html:1:", "template ends inside an HTML comment");
}

static void
test_nesting_is_bounded(void **state)
{
	struct fixture *f = *state;
	char src[1024] = "";
	for (int i = 0; i < 32; i++)
		strcat(src, "{{#a}}");
	refused(f, src, "page.html:1:", "nested more than 31 deep");
	/* Through partials, at link time. */
	char inner[512] = "", outer[512] = "";
	for (int i = 0; i < 20; i++)
		strcat(inner, "{{#a}}");
	strcat(inner, "x");
	for (int i = 0; i < 20; i++)
		strcat(inner, "{{/a}}");
	for (int i = 0; i < 15; i++)
		strcat(outer, "{{#a}}");
	strcat(outer, "{{> inner}}");
	for (int i = 0; i < 15; i++)
		strcat(outer, "{{/a}}");
	const char *const deep[] = {"outer", outer, "inner", inner, NULL};
	refused_set(f, deep, "outer.html:1:", "nested more than 31 deep through partials");
}

static void
test_set_api(void **state)
{
	struct fixture *f = *state;
	char err[256];
	struct tmpl_set *set = tmpl_set_new(NULL);
	assert_true(tmpl_add(set, "a", "A{{> b}}", 8, err, sizeof(err)));
	assert_null(tmpl_get(set, "a")); /* not linked yet */
	assert_false(tmpl_link(set, err, sizeof(err)));
	assert_true(tmpl_add(set, "b", "B", 1, err, sizeof(err)));
	assert_true(tmpl_link(set, err, sizeof(err)));
	assert_null(tmpl_get(set, "c"));
	/* Without catalogues every translation key is unknown. */
	assert_false(tmpl_add(set, "c", "{{_hello}}", 10, err, sizeof(err)));
	assert_non_null(strstr(err, "c.html:1: unknown translation key 'hello'"));
	/* A failed add leaves the set as it was. */
	assert_non_null(tmpl_get(set, "a"));
	struct buf out;
	buf_init(&out, &f->arena);
	tmpl_render(tmpl_get(set, "a"), NULL, LANG_EN, &out);
	assert_string_equal(buf_str(&out), "AB");
	tmpl_set_free(set);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void
remove_file(const char *dir, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static void
test_load_dir(void **state)
{
	struct fixture *f = *state;
	char dir[] = "/tmp/coexist-tmpl-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "fr.txt", "title = Dossiers\n");
	write_file(dir, "en.txt", "title = Cases\n");
	write_file(dir, "page.html", "{{> _header}}<p>{{who}}</p>\n");
	write_file(dir, "_header.html", "<h1>{{_title}}</h1>");
	/* A module's folder: its templates are named "folder/NAME", its partials too. */
	char sub[64];
	snprintf(sub, sizeof(sub), "%s/cases", dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	write_file(sub, "case.html", "{{> cases/_card}}|{{> _header}}");
	write_file(sub, "_card.html", "<b>{{who}}</b>");
	write_file(dir, ".hidden.html", "{{"); /* dot files are skipped */
	write_file(dir, "notes.txt", "{{");    /* so are other files */
	char path[256];
	snprintf(path, sizeof(path), "%s/link.html", dir);
	assert_int_equal(symlink("page.html", path), 0); /* and symbolic links */

	char err[256] = "";
	struct i18n *i18n = i18n_load_dir(dir, err, sizeof(err));
	assert_non_null(i18n);
	struct tmpl_set *set = tmpl_load_dir(dir, i18n, err, sizeof(err));
	if (set == NULL)
		fail_msg("%s", err);
	assert_null(tmpl_get(set, "link"));
	assert_null(tmpl_get(set, ".hidden"));
	struct tval *ctx = tv_obj(&f->arena);
	tv_set_str(ctx, "who", "<me>");
	struct buf out;
	buf_init(&out, &f->arena);
	tmpl_render(tmpl_get(set, "page"), ctx, LANG_EN, &out);
	assert_string_equal(buf_str(&out), "<h1>Cases</h1><p>&lt;me&gt;</p>\n");
	buf_reset(&out);
	tmpl_render(tmpl_get(set, "page"), ctx, LANG_FR, &out);
	assert_string_equal(buf_str(&out), "<h1>Dossiers</h1><p>&lt;me&gt;</p>\n");
	buf_reset(&out);
	assert_null(tmpl_get(set, "case"));
	tmpl_render(tmpl_get(set, "cases/case"), ctx, LANG_EN, &out);
	assert_string_equal(buf_str(&out), "<b>&lt;me&gt;</b>|<h1>Cases</h1>");
	tmpl_set_free(set);

	/* Errors name the file with its directory, at compile and at link time. */
	char want[256];
	write_file(dir, "bad.html", "<p>\n<a onclick=\"x\">");
	assert_null(tmpl_load_dir(dir, i18n, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s/bad.html:2: inline event handler", dir);
	assert_non_null(strstr(err, want));
	write_file(dir, "bad.html", "\n\n{{> _footer}}");
	assert_null(tmpl_load_dir(dir, i18n, err, sizeof(err)));
	snprintf(want, sizeof(want), "%s/bad.html:3: unknown partial '_footer'", dir);
	assert_non_null(strstr(err, want));

	i18n_free(i18n);
	const char *names[] = {"fr.txt",       "en.txt",    "page.html", "_header.html",
			       ".hidden.html", "notes.txt", "link.html", "bad.html"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		remove_file(dir, names[i]);
	remove_file(sub, "case.html");
	remove_file(sub, "_card.html");
	assert_int_equal(rmdir(sub), 0);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_is_escaped),
		cmocka_unit_test(test_quotes_escaped_in_attributes),
		cmocka_unit_test(test_unsafe_urls_become_hash),
		cmocka_unit_test(test_nested_sections_with_outer_scope),
		cmocka_unit_test(test_section_truthiness_and_inverted),
		cmocka_unit_test(test_values_and_missing_keys),
		cmocka_unit_test(test_partials_share_the_scope),
		cmocka_unit_test(test_translations),
		cmocka_unit_test(test_html_contexts_that_are_allowed),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_link_errors),
		cmocka_unit_test(test_context_errors),
		cmocka_unit_test(test_inline_script_and_style_refused),
		cmocka_unit_test(test_sections_must_not_split_html),
		cmocka_unit_test(test_nesting_is_bounded),
		cmocka_unit_test(test_set_api),
		cmocka_unit_test(test_load_dir),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
