/* test_qdef.c - questionnaire definitions: vocabularies, the checker, conditions, reading pages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "http/parse.h"
#include "questionnaire/qdef.h"

/* ---- fixtures ---- */

static char fixture_dir[64];
static struct vocab_set *vocab;

/* Definitions are written with ' for " to stay readable in C. */
static char *
json(const char *s)
{
	char *j = strdup(s);
	assert_non_null(j);
	for (char *p = j; *p; p++)
		if (*p == '\'')
			*p = '"';
	return j;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	char *j = json(text);
	fputs(j, f);
	free(j);
	fclose(f);
}

static void
remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		return;
	struct dirent *e;
	char path[512];
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		struct stat st;
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			remove_tree(path);
		else
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

#define SECTORS_JSON                                                                               \
	"{'key':'sectors','options':["                                                             \
	"{'code':'energy','fr':'Énergie','en':'Energy'},"                                         \
	"{'code':'water','fr':'Eau','en':'Water'},"                                                \
	"{'code':'health','fr':'Santé','en':'Health'},"                                           \
	"{'code':'food','fr':'Alimentation','en':'Food'}]}"

#define COUNTRIES_JSON                                                                             \
	"{'key':'countries','regions':["                                                           \
	"{'code':'011','fr':'Afrique de l’Ouest','en':'Western Africa'},"                        \
	"{'code':'017','fr':'Afrique centrale','en':'Middle Africa'}],"                            \
	"'options':["                                                                              \
	"{'code':'SN','fr':'Sénégal','en':'Senegal','region':'011'},"                            \
	"{'code':'ML','fr':'Mali','en':'Mali','region':'011'},"                                    \
	"{'code':'CM','fr':'Cameroun','en':'Cameroon','region':'017'},"                            \
	"{'code':'FR','fr':'France','en':'France'}]}"

static int
setup_vocab(void **state)
{
	(void)state;
	strcpy(fixture_dir, "/tmp/coexist-qdef-XXXXXX");
	if (mkdtemp(fixture_dir) == NULL)
		return -1;
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/vocab", fixture_dir);
	mkdir(sub, 0700);
	write_file(sub, "sectors.json", SECTORS_JSON);
	write_file(fixture_dir, "countries.json", COUNTRIES_JSON);
	char err[256];
	vocab = vocab_load(fixture_dir, err, sizeof(err));
	if (vocab == NULL) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int
teardown_vocab(void **state)
{
	(void)state;
	vocab_free(vocab);
	remove_tree(fixture_dir);
	return 0;
}

#define L "{'fr':'Fr','en':'En'}"

/* A small definition with every type. */
static const char full_def[] =
	"{'key':'t','version':1,'title':" L ",'intro':" L ",'estimated_minutes':5,'sections':["
	"{'key':'about','title':" L ",'questions':["
	"{'key':'stage','type':'single','label':" L ",'required':true,'options':["
	"{'code':'planned','fr':'Prévu','en':'Planned'},"
	"{'code':'completed','fr':'Terminé','en':'Completed'},"
	"{'code':'stopped','fr':'Arrêté','en':'Stopped'}]},"
	"{'key':'sectors','type':'multi','label':" L ",'help':" L ",'vocab':'sectors',"
	"'other':true,'max':3,'details':["
	"{'key':'direction','type':'single','label':" L ",'required':true,'options':["
	"{'code':'given','fr':'Donné','en':'Given'},{'code':'received','fr':'Reçu','en':'Received'}"
	"]},"
	"{'key':'note','type':'text','label':" L ",'max_length':10}]},"
	"{'key':'name','type':'text','label':" L ",'max_length':10,'personal':true},"
	"{'key':'story','type':'longtext','label':" L ","
	"'show_if':{'question':'stage','equals':'completed'}},"
	"{'key':'staff','type':'integer','label':" L ",'min':0,'max':500},"
	"{'key':'started','type':'year','label':" L "},"
	"{'key':'satisfaction','type':'scale','label':" L ",'min_label':" L ",'max_label':" L "},"
	"{'key':'email','type':'email','label':" L "},"
	"{'key':'where','type':'countries','label':" L ",'max':2},"
	"{'key':'partners','type':'group','label':" L ",'min_rows':2,'max_rows':3,'fields':["
	"{'key':'name','type':'text','label':" L ",'required':true,'personal':true},"
	"{'key':'kind','type':'single','label':" L ",'options':["
	"{'code':'ngo','fr':'ONG','en':'NGO'},{'code':'firm','fr':'Entreprise','en':'Company'}]},"
	"{'key':'size','type':'integer','label':" L ",'max':100},"
	"{'key':'since','type':'year','label':" L "},"
	"{'key':'country','type':'countries','label':" L "},"
	"{'key':'email','type':'email','label':" L "}]},"
	"{'key':'top','type':'pick','label':" L ",'from':'sectors','max':2},"
	"{'key':'consent','type':'consent','label':" L ",'notice_version':'2024-1',"
	"'required':true}]},"
	"{'key':'later','title':" L ","
	"'show_if':{'question':'stage','in':['completed','stopped']},'questions':["
	"{'key':'lessons','type':'text','label':" L ","
	"'show_if':{'question':'sectors','includes':'energy'}},"
	"{'key':'follow','type':'text','label':" L ","
	"'show_if':{'question':'lessons','answered':true}},"
	"{'key':'priority','type':'pick','label':" L ",'from':'sectors'}]}"
	"]}";

static struct qdef *
parse(const char *text, char *err, size_t errlen)
{
	char *j = json(text);
	struct qdef *d = qdef_parse("t.json", j, strlen(j), vocab, err, errlen);
	free(j);
	return d;
}

static struct qdef *
full(void)
{
	char err[256] = "";
	struct qdef *d = parse(full_def, err, sizeof(err));
	if (d == NULL)
		fail_msg("%s", err);
	return d;
}

static struct http_field
fld(const char *name, const char *value)
{
	struct http_field f = {
		.name = name, .value = value, .name_len = strlen(name), .value_len = strlen(value)};
	return f;
}

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static const struct qerror *
error_at(const struct qerror *e, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(e[i].key, key) == 0)
			return &e[i];
	return NULL;
}

static void
assert_error(const struct qerror *e, size_t n, const char *key, enum qerror_code code, long limit)
{
	const struct qerror *x = error_at(e, n, key);
	if (x == NULL)
		fail_msg("no error at %s", key);
	assert_int_equal(x->code, code);
	assert_int_equal(x->limit, limit);
}

/* ---- vocabularies ---- */

static void
vocab_loads_lists_and_countries(void **state)
{
	(void)state;
	const struct vocab *s = vocab_find(vocab, "sectors");
	assert_non_null(s);
	assert_int_equal(s->n, 4);
	const struct qoption *o = vocab_option(s->options, s->n, "health");
	assert_non_null(o);
	assert_string_equal(o->label.fr, "Santé");
	assert_string_equal(o->label.en, "Health");
	assert_null(o->group);
	assert_null(vocab_option(s->options, s->n, "mining"));
	assert_null(vocab_find(vocab, "nope"));

	assert_int_equal(vocab->countries.n, 4);
	assert_int_equal(vocab->nregions, 2);
	assert_ptr_equal(vocab_find(vocab, "countries"), &vocab->countries);
	const struct qoption *cm = vocab_option(vocab->countries.options, 4, "CM");
	assert_string_equal(cm->group, "017");
	assert_string_equal(cm->label.fr, "Cameroun");
	assert_null(vocab_option(vocab->countries.options, 4, "FR")->group);
	assert_string_equal(vocab->regions[0].label.en, "Western Africa");
}

/* Loads a data folder with one vocab file and a countries file; returns the error. */
static void
load_broken(const char *vocab_name, const char *vocab_json, const char *countries_json,
	    const char *expect)
{
	char dir[64] = "/tmp/coexist-vocab-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sub[128];
	snprintf(sub, sizeof(sub), "%s/vocab", dir);
	mkdir(sub, 0700);
	if (vocab_json)
		write_file(sub, vocab_name, vocab_json);
	if (countries_json)
		write_file(dir, "countries.json", countries_json);
	char err[256] = "";
	struct vocab_set *v = vocab_load(dir, err, sizeof(err));
	remove_tree(dir);
	if (v != NULL) {
		vocab_free(v);
		fail_msg("loaded, expected: %s", expect);
	}
	if (strstr(err, expect) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", err, expect);
}

static void
vocab_refuses_broken_files(void **state)
{
	(void)state;
	load_broken("sectors.json", "{'key':'sectors','options':[{'code':'a','fr':'A'}]}",
		    COUNTRIES_JSON, "sectors.json: option 'a' has no English label");
	load_broken("sectors.json", "{'key':'sector','options':[{'code':'a','fr':'A','en':'A'}]}",
		    COUNTRIES_JSON, "key 'sector' does not match the file name");
	load_broken("sectors.json",
		    "{'key':'sectors','options':[{'code':'a','fr':'A','en':'A'},"
		    "{'code':'a','fr':'B','en':'B'}]}",
		    COUNTRIES_JSON, "option 'a' appears twice");
	load_broken("sectors.json",
		    "{'key':'sectors','options':[{'code':'a b','fr':'A','en':'A'}]}",
		    COUNTRIES_JSON, "a code is");
	load_broken("sectors.json",
		    "{'key':'sectors','options':[{'code':'a','fr':'A','en':'A',"
		    "'eng':'x'}]}",
		    COUNTRIES_JSON, "unknown member 'eng'");
	load_broken("sectors.json", "{'key':'sectors','options':[]}", COUNTRIES_JSON,
		    "non-empty array");
	load_broken("sectors.json", "{'key':'sectors',", COUNTRIES_JSON, "sectors.json: line 1");
	load_broken("sectors.json", SECTORS_JSON, NULL, "countries.json: cannot open");
	load_broken("sectors.json", SECTORS_JSON,
		    "{'key':'countries','regions':[{'code':'011','fr':'O','en':'W'}],"
		    "'options':[{'code':'SN','fr':'S','en':'S','region':'999'}]}",
		    "country 'SN': region is not one of 'regions'");
	load_broken("sectors.json", SECTORS_JSON,
		    "{'key':'countries','regions':[{'code':'011','fr':'O','en':'W'}],"
		    "'options':[{'code':'sen','fr':'S','en':'S'}]}",
		    "not an ISO 3166-1 alpha-2 code");
	load_broken("countries.json", SECTORS_JSON, COUNTRIES_JSON, "reserved");
}

static void
vocab_and_questionnaires_of_the_repository_load(void **state)
{
	(void)state;
	if (access("data/countries.json", R_OK) != 0) {
		print_message("data/countries.json is missing: the real vocabularies were not "
			      "checked\n");
		skip();
	}
	char err[512] = "";
	struct vocab_set *v = vocab_load("data", err, sizeof(err));
	if (v == NULL)
		fail_msg("%s", err);
	assert_true(v->countries.n > 40);
	assert_non_null(vocab_option(v->countries.options, v->countries.n, "SN"));
	DIR *d = opendir("data/questionnaires");
	size_t loaded = 0;
	if (d) {
		struct dirent *e;
		while ((e = readdir(d)) != NULL) {
			size_t n = strlen(e->d_name);
			if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
				continue;
			char path[512];
			snprintf(path, sizeof(path), "data/questionnaires/%s", e->d_name);
			struct qdef *q = qdef_load(path, v, err, sizeof(err));
			if (q == NULL || !qdef_roles_complete(q, path, err, sizeof(err))) {
				closedir(d);
				vocab_free(v);
				fail_msg("%s", err);
			}
			assert_true(qdef_count(q) > 0);
			qdef_free(q);
			loaded++;
		}
		closedir(d);
	}
	print_message("real data: %zu vocab lists, %zu countries, %zu questionnaires\n", v->n,
		      v->countries.n, loaded);
	vocab_free(v);
}

/* ---- the definition checker ---- */

static void
qdef_accepts_every_type(void **state)
{
	(void)state;
	struct qdef *d = full();
	assert_string_equal(d->key, "t");
	assert_int_equal(d->version, 1);
	assert_int_equal(d->estimated_minutes, 5);
	assert_int_equal(d->nsections, 2);
	assert_int_equal(qdef_count(d), 15);
	assert_null(d->sections[0].intro.fr);

	const struct question *q = qdef_find(d, "stage");
	assert_int_equal(q->type, Q_SINGLE);
	assert_true(q->required);
	assert_int_equal(q->noptions, 3);
	assert_string_equal(q->options[1].label.fr, "Terminé");
	assert_null(q->help.fr);

	q = qdef_find(d, "sectors");
	assert_int_equal(q->type, Q_MULTI);
	assert_true(q->other);
	assert_int_equal(q->noptions, 4); /* from the vocab, copied */
	assert_ptr_not_equal(q->options, vocab_find(vocab, "sectors")->options);
	assert_int_equal(q->max, 3);
	assert_int_equal(q->nfields, 2);
	assert_string_equal(q->fields[0].key, "direction");
	assert_string_equal(q->help.en, "En");

	assert_int_equal(qdef_find(d, "name")->max_length, 10);
	assert_true(qdef_find(d, "name")->personal);
	assert_int_equal(qdef_find(d, "story")->max_length, 2000);
	assert_int_equal(qdef_find(d, "story")->show_if.op, QC_EQUALS);
	assert_int_equal(qdef_find(d, "staff")->max, 500);
	assert_int_equal(qdef_find(d, "started")->min, 1950);
	assert_true(qdef_find(d, "started")->max >= 2025);
	assert_int_equal(qdef_find(d, "satisfaction")->max, 5);
	assert_string_equal(qdef_find(d, "satisfaction")->min_label.fr, "Fr");
	q = qdef_find(d, "where");
	assert_int_equal(q->noptions, 4);
	assert_string_equal(vocab_option(q->options, q->noptions, "SN")->group, "011");
	q = qdef_find(d, "partners");
	assert_int_equal(q->nfields, 6);
	assert_int_equal(q->min_rows, 2);
	assert_int_equal(q->max_rows, 3);
	assert_int_equal(q->fields[4].type, Q_COUNTRIES);
	assert_int_equal(q->fields[4].max, 1);
	assert_true(q->fields[0].personal);
	q = qdef_find(d, "top");
	assert_ptr_equal(q->from, qdef_find(d, "sectors"));
	assert_string_equal(qdef_find(d, "consent")->notice_version, "2024-1");
	q = qdef_find(d, "lessons");
	assert_int_equal(q->section, 1);
	assert_int_equal(d->sections[1].show_if.op, QC_IN);
	assert_int_equal(d->sections[1].show_if.nvalues, 2);
	assert_null(qdef_find(d, "partners.name"));
	assert_null(qdef_find(d, "nope"));
	qdef_free(d);
}

/* A definition with one section holding the given questions. */
static void
refused(const char *questions, const char *expect)
{
	char text[4096];
	snprintf(text, sizeof(text),
		 "{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		 ",'questions':[%s]}]}",
		 questions);
	char err[256] = "";
	struct qdef *d = parse(text, err, sizeof(err));
	if (d != NULL) {
		qdef_free(d);
		fail_msg("accepted, expected: %s", expect);
	}
	if (strstr(err, expect) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", err, expect);
}

static void
refused_whole(const char *text, const char *expect)
{
	char err[256] = "";
	struct qdef *d = parse(text, err, sizeof(err));
	if (d != NULL) {
		qdef_free(d);
		fail_msg("accepted, expected: %s", expect);
	}
	if (strstr(err, expect) == NULL)
		fail_msg("error \"%s\" does not contain \"%s\"", err, expect);
}

#define TEXTQ(k) "{'key':'" k "','type':'text','label':" L "}"
#define OPTS     "'options':[{'code':'x','fr':'X','en':'X'},{'code':'y','fr':'Y','en':'Y'}]"
#define MULTI(k) "{'key':'" k "','type':'multi','label':" L "," OPTS "}"

static void
qdef_refuses_broken_definitions(void **state)
{
	(void)state;
	refused("{'key':'a','type':'float','label':" L "}", "t.json: a: unknown type 'float'");
	refused(TEXTQ("a") "," TEXTQ("a"), "t.json: a: duplicate key");
	refused("{'key':'g','type':'group','label':" L ",'fields':[" TEXTQ("x") "," TEXTQ("x") "]}",
		"t.json: g.x: duplicate key");
	refused(TEXTQ("Bad"), "Bad: a key is a lowercase letter");
	refused(TEXTQ("a.b"), "a.b: a key is");
	refused(TEXTQ("1a"), "a key is");
	refused("{'type':'text','label':" L "}", "s: question 1: a key is");
	refused("{'key':'a','type':'text','label':{'fr':'x'}}", "a: 'label' has no English text");
	refused("{'key':'a','type':'text','label':{'fr':'x','en':''}}",
		"a: 'label' has no English text");
	refused("{'key':'a','type':'text','label':" L ",'help':{'en':'x'}}",
		"a: 'help' has no French text");
	refused("{'key':'a','type':'text'}", "a: missing 'label'");
	refused("{'key':'a','type':'text','label':'plain'}", "'label' must be");
	refused("{'key':'a','type':'text','label':{'fr':'x','en':'y','de':'z'}}",
		"unknown language 'de'");
	refused("{'key':'sectors','type':'multi','label':" L ",'options':[{'code':'x','fr':'X'}]}",
		"t.json: sectors: option 'x' has no English label");
	refused("{'key':'a','type':'single','label':" L ",'options':[{'code':'x','en':'X'}]}",
		"a: option 'x' has no French label");
	refused("{'key':'a','type':'single','label':" L
		",'options':[{'code':'x','fr':'X','en':'X'},{'code':'x','fr':'X','en':'X'}]}",
		"option 'x' appears twice");
	refused("{'key':'a','type':'single','label':" L
		",'options':[{'code':'a.b','fr':'X','en':'X'}]}",
		"a code is");
	refused("{'key':'a','type':'single','label':" L "}",
		"a: a single question needs 'options'");
	refused("{'key':'a','type':'multi','label':" L "}", "a: a multi question needs 'options'");
	refused("{'key':'a','type':'single','label':" L "," OPTS ",'vocab':'sectors'}",
		"a: both 'options' and 'vocab'");
	refused("{'key':'a','type':'single','label':" L ",'vocab':'nope'}",
		"a: unknown vocab 'nope'");
	refused("{'key':'a','type':'single','label':" L ",'other':true,"
		"'options':[{'code':'other','fr':'X','en':'X'}]}",
		"clashes");
	/* Conditions. */
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'zzz','answered':true}}",
		"b: condition: unknown question 'zzz'");
	refused("{'key':'b','type':'text','label':" L
		",'show_if':{'question':'a','answered':true}}," TEXTQ("a"),
		"b: condition: question 'a' does not come before");
	refused("{'key':'b','type':'text','label':" L
		",'show_if':{'question':'b','answered':true}}",
		"does not come before");
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'a','is':'x'}}",
		"b: condition: unknown operator 'is'");
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L ",'show_if':{'question':'a'}}",
		"condition: no operator");
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'a','equals':'x','answered':true}}",
		"more than one operator");
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'a','answered':false}}",
		"'answered' can only be true");
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'a','in':[]}}",
		"'in' must be a non-empty list");
	refused("{'key':'a','type':'single','label':" L "," OPTS
		"},{'key':'b','type':'text','label':" L
		",'show_if':{'question':'a','equals':'maybe'}}",
		"b: condition: 'maybe' is not an answer of 'a'");
	refused(MULTI("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'a','equals':'x'}}",
		"use 'includes'");
	refused(TEXTQ("a") ",{'key':'b','type':'text','label':" L
			   ",'show_if':{'question':'a','includes':'x'}}",
		"'includes' needs a multi");
	/* Picks. */
	refused(TEXTQ("a") ",{'key':'p','type':'pick','label':" L ",'from':'a'}",
		"p: 'from' must name a multi question before it");
	refused("{'key':'p','type':'pick','label':" L ",'from':'m'}," MULTI("m"),
		"'from' must name a multi question before it");
	refused("{'key':'p','type':'pick','label':" L "}", "p: a pick needs 'from'");
	/* Groups and details. */
	refused("{'key':'g','type':'group','label':" L ",'fields':[" MULTI("m") "]}",
		"g.m: a group field cannot be of type 'multi'");
	refused("{'key':'g','type':'group','label':" L ",'fields':[{'key':'c','type':'consent',"
		"'label':" L ",'notice_version':'1'}]}",
		"a group field cannot be of type 'consent'");
	refused("{'key':'g','type':'group','label':" L "}", "g: a group needs 'fields'");
	refused("{'key':'g','type':'group','label':" L
		",'fields':[{'key':'f','type':'text','label':" L
		",'show_if':{'question':'x','answered':true}}]}",
		"g.f: 'show_if' does not apply to a text group field");
	refused("{'key':'a','type':'text','label':" L ",'details':[" TEXTQ("d") "]}",
		"a: 'details' does not apply to a text question");
	refused("{'key':'a','type':'single','label':" L "," OPTS ",'details':[" TEXTQ("d") "]}",
		"a: 'details' does not apply to a single question");
	refused("{'key':'a','type':'multi','label':" L "," OPTS ",'details':[{'key':'d','type':"
		"'integer','label':" L "}]}",
		"a.d: a detail cannot be of type 'integer'");
	/* Bounds. */
	refused("{'key':'a','type':'integer','label':" L ",'min':5,'max':2}",
		"a: min (5) is greater than max (2)");
	refused("{'key':'a','type':'year','label':" L ",'min':2000,'max':1990}",
		"min (2000) is greater than max (1990)");
	refused("{'key':'a','type':'multi','label':" L "," OPTS ",'min':2,'max':1}",
		"min (2) is greater than max (1)");
	refused("{'key':'a','type':'multi','label':" L "," OPTS ",'min':3}",
		"more than the number of options");
	refused("{'key':'g','type':'group','label':" L
		",'min_rows':4,'max_rows':2,'fields':[" TEXTQ("f") "]}",
		"min_rows (4) is greater than max_rows (2)");
	refused("{'key':'a','type':'integer','label':" L ",'min':'1'}",
		"'min' must be a whole number");
	refused("{'key':'a','type':'text','label':" L ",'max_length':0}",
		"'max_length' must be between");
	/* Members. */
	refused("{'key':'a','type':'text','label':" L ",'requird':true}",
		"a: unknown member 'requird'");
	refused("{'key':'a','type':'text','label':" L ",'required':'yes'}",
		"'required' must be true or false");
	refused("{'key':'a','type':'text','label':" L ",'options':[]}",
		"'options' does not apply to a text question");
	refused("{'key':'a','type':'consent','label':" L "}",
		"a: a consent needs 'notice_version'");
	refused("{'key':'a','type':'scale','label':" L ",'min_label':{'fr':'x'}}",
		"'min_label' has no English text");
	refused("{'key':'a','type':'countries','label':" L ",'max':0}", "'max' must be between 1");

	/* The file as a whole. */
	refused_whole("{'key':'t','version':0,'title':" L ",'sections':[{'key':'s','title':" L
		      ",'questions':[" TEXTQ("a") "]}]}",
		      "t.json: version: must be a positive whole number");
	refused_whole("{'key':'t','version':'1','title':" L ",'sections':[{'key':'s','title':" L
		      ",'questions':[" TEXTQ("a") "]}]}",
		      "version: must be a positive");
	refused_whole("{'key':'t','title':" L ",'sections':[]}", "version: must be a positive");
	refused_whole("{'key':'t','version':1,'title':" L ",'sections':[]}",
		      "sections: must be a non-empty list");
	refused_whole("{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		      ",'questions':[]}]}",
		      "s: 'questions' must be a non-empty list");
	refused_whole("{'key':'t','version':1,'title':" L ",'sectoins':[]}",
		      "t.json: unknown member 'sectoins'");
	refused_whole("{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		      ",'questions':[" TEXTQ("a") "]},{'key':'s','title':" L
						  ",'questions':[" TEXTQ("b") "]}]}",
		      "s: duplicate section key");
	refused_whole("{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		      ",'show_if':{'question':'a','answered':true},'questions':[" TEXTQ("a") "]}]}",
		      "s: condition: question 'a' does not come before");
	refused_whole("{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		      ",'questions':[" TEXTQ("a") "],'intro':{'fr':'x'}}]}",
		      "s: 'intro' has no English text");
	refused_whole("{'key':'t','version':1,", "t.json: line 1");
	refused_whole("{'key':'t','key':'u'}", "duplicate");
	refused_whole("[]", "not a JSON object");

	/* Countries need the country list. */
	char err[256] = "";
	char *j = json("{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		       ",'questions':[{'key':'c','type':'countries','label':" L "}]}]}");
	assert_null(qdef_parse("t.json", j, strlen(j), NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "c: no country list loaded"));
	free(j);
}

static void
qdef_load_checks_the_file_name(void **state)
{
	(void)state;
	const char *text = "{'key':'t','version':2,'title':" L ",'sections':[{'key':'s','title':" L
			   ",'questions':[" TEXTQ("a") "]}]}";
	write_file(fixture_dir, "t-v2.json", text);
	write_file(fixture_dir, "t-v1.json", text);
	char path[256], err[256] = "";
	snprintf(path, sizeof(path), "%s/t-v2.json", fixture_dir);
	struct qdef *d = qdef_load(path, vocab, err, sizeof(err));
	assert_non_null(d);
	assert_int_equal(d->version, 2);
	qdef_free(d);
	snprintf(path, sizeof(path), "%s/t-v1.json", fixture_dir);
	assert_null(qdef_load(path, vocab, err, sizeof(err)));
	assert_non_null(strstr(err, "should be named t-v2.json"));
	snprintf(path, sizeof(path), "%s/absent-v1.json", fixture_dir);
	assert_null(qdef_load(path, vocab, err, sizeof(err)));
	assert_non_null(strstr(err, "absent-v1.json: cannot open"));
}

/* ---- roles ---- */

#define ROLEQ(k, type, role) "{'key':'" k "','type':'" type "','role':'" role "','label':" L "}"
#define ROLESINGLE(k, role)                                                                        \
	"{'key':'" k "','type':'single','role':'" role "','label':" L "," OPTS "}"
#define ROLECONSENT(k, role)                                                                       \
	"{'key':'" k "','type':'consent','role':'" role "','label':" L ",'notice_version':'1'}"

static void
roles_are_found_by_name_not_key(void **state)
{
	(void)state;
	char err[256] = "";
	struct qdef *d = parse(
		"{'key':'t','version':3,'title':" L ",'sections':[{'key':'s','title':" L
		",'questions':[" ROLEQ(
			"organisation", "text",
			"org_name") ","
				    "{'key':'with','type':'group','role':'partners','label':" L
				    ",'fields':["
				    "{'key':'who','type':'text','role':'partner_name','label':" L
				    "},"
				    "{'key':'note','type':'text','label':" L "}]},"
				    "{'key':'trouble','type':'multi','role':'obstacles','label':" L
				    "," OPTS ",'details':["
				    "{'key':'fixed','type':'single','role':'obstacle_overcome','"
				    "label':" L "," OPTS "},"
				    "{'key':'how','type':'longtext','role':'obstacle_how','label'"
				    ":" L "}]}," ROLEQ("plain", "text", "summary") "]}]}",
		err, sizeof(err));
	if (d == NULL)
		fail_msg("%s", err);
	assert_ptr_equal(qdef_by_role(d, QR_ORG_NAME), qdef_find(d, "organisation"));
	assert_int_equal(qdef_find(d, "organisation")->role, QR_ORG_NAME);
	assert_string_equal(qdef_role_key(d, QR_ORG_NAME), "organisation");
	assert_string_equal(qdef_role_key(d, QR_PARTNERS), "with");
	assert_string_equal(qdef_role_key(d, QR_PARTNER_NAME), "with.who");
	assert_string_equal(qdef_by_role(d, QR_PARTNER_NAME)->key, "who");
	assert_null(qdef_role_key(d, QR_OBSTACLE_HOW)); /* a detail's key holds the option code */
	struct arena ar;
	arena_init(&ar, 1024);
	assert_string_equal(qdef_detail_key(d, QR_OBSTACLE_HOW, "x", &ar), "trouble.x.how");
	assert_string_equal(qdef_detail_key(d, QR_OBSTACLE_OVERCOME, "y", &ar), "trouble.y.fixed");
	assert_null(qdef_detail_key(d, QR_RESOURCE_DIRECTION, "x", &ar));
	assert_null(qdef_detail_key(d, QR_ORG_NAME, "x", &ar));
	/* A role nobody has: no question, no key, and the answers have nothing under it. */
	assert_null(qdef_by_role(d, QR_OUTCOME));
	assert_null(qdef_role_key(d, QR_OUTCOME));
	assert_null(qdef_by_role(NULL, QR_ORG_NAME));
	assert_null(qdef_role_key(NULL, QR_ORG_NAME));
	assert_null(qdef_by_role(d, QR_NONE));
	struct answers a;
	answers_init(&a, &ar);
	answers_add(&a, "organisation", 0, "Eau Vive");
	assert_string_equal(answers_get(&a, qdef_role_key(d, QR_ORG_NAME), 0), "Eau Vive");
	assert_null(answers_get(&a, qdef_role_key(d, QR_OUTCOME), 0));
	assert_false(answers_has(&a, NULL, "yes"));
	assert_int_equal(answers_count(&a, NULL), 0);
	/* Names both ways. */
	assert_string_equal(qrole_name(QR_OUTCOME), "outcome");
	assert_int_equal(qrole_parse("consent_analysis"), QR_CONSENT_ANALYSIS);
	assert_int_equal(qrole_parse("achievement"), QR_NONE);
	assert_null(qrole_name(QR_NONE));
	for (int r = QR_NONE + 1; r < QR__MAX; r++)
		assert_int_equal(qrole_parse(qrole_name((enum qrole)r)), r);
	/* The map for SQL: [questionnaire, version, role, key, detail]. */
	char *map = qdef_roles_json((const struct qdef *const *)&d, 1);
	char want[160];
	snprintf(want, sizeof(want), "[\"t\",3,%d,\"with.who\",\"\"]", (int)QR_PARTNER_NAME);
	assert_non_null(strstr(map, want));
	snprintf(want, sizeof(want), "[\"t\",3,%d,\"trouble\",\"how\"]", (int)QR_OBSTACLE_HOW);
	assert_non_null(strstr(map, want));
	snprintf(want, sizeof(want), "[\"t\",3,%d,\"organisation\",\"\"]", (int)QR_ORG_NAME);
	assert_non_null(strstr(map, want));
	free(map);
	arena_free(&ar);
	qdef_free(d);
}

static void
roles_are_refused_when_they_do_not_fit(void **state)
{
	(void)state;
	refused(ROLEQ("a", "text", "achievement"), "t.json: a: unknown role 'achievement'");
	refused("{'key':'a','type':'text','role':3,'label':" L "}",
		"t.json: a: 'role' must be the name of a role");
	refused(ROLEQ("a", "text", "title") "," ROLEQ("b", "text", "title"),
		"t.json: b: role 'title' is already given to 'a'");
	/* The types a role takes. */
	refused(ROLEQ("mail", "text", "respondent_email"),
		"t.json: mail: role 'respondent_email' needs an email question, not text");
	refused(ROLESINGLE("about", "summary"),
		"t.json: about: role 'summary' needs a text or longtext question, not single");
	refused(ROLEQ("ok", "text", "consent_analysis"),
		"t.json: ok: role 'consent_analysis' needs a consent question, not text");
	refused("{'key':'sectors','type':'single','role':'sectors','label':" L "," OPTS "}",
		"t.json: sectors: role 'sectors' needs a multi question, not single");
	/* Where a role sits: a group's fields, a multi's details, a section's questions. */
	refused(ROLEQ("who", "text", "partner_name"),
		"t.json: who: role 'partner_name' belongs to a group field of the question whose "
		"role is 'partners'");
	refused("{'key':'g','type':'group','label':" L
		",'fields':[" ROLEQ("who", "text", "partner_name") "]}",
		"t.json: g.who: role 'partner_name' belongs to a group field of the question whose "
		"role is 'partners'");
	refused("{'key':'g','type':'group','role':'partners','label':" L
		",'fields':[" ROLEQ("t", "text", "title") "]}",
		"t.json: g.t: role 'title' belongs to a question of a section");
	refused("{'key':'m','type':'multi','role':'resources','label':" L "," OPTS
		",'details':[" ROLESINGLE("way", "obstacle_overcome") "]}",
		"t.json: m.way: role 'obstacle_overcome' belongs to a detail of the question whose "
		"role is 'obstacles'");
	refused("{'key':'g','type':'group','role':'obstacles','label':" L
		",'fields':[" ROLEQ("how", "text", "obstacle_how") "]}",
		"t.json: g: role 'obstacles' needs a multi question, not group");
	/* Twice, one of them in a group. */
	refused(ROLEQ("a", "text", "org_name") ",{'key':'g','type':'group','label':" L
					       ",'fields':[" ROLEQ("b", "text", "org_name") "]}",
		"t.json: g.b: role 'org_name' is already given to 'a'");
	/* A role of no use without its other half. */
	refused(ROLESINGLE("invite", "invite_partner"),
		"t.json: invite: role 'invite_partner' needs a question with the role "
		"'partner_email' too");
	refused(ROLEQ("their_mail", "email", "partner_email"),
		"t.json: their_mail: role 'partner_email' needs a question with the role "
		"'invite_partner' too");
}

/* The questions with every role the program needs, but the one at skip. */
static const char *const needed_questions[] = {
	ROLEQ("org", "text", "org_name"),
	ROLESINGLE("kind", "org_kind"),
	ROLEQ("name", "text", "title"),
	ROLESINGLE("phase", "stage"),
	ROLESINGLE("reached", "outcome"),
	ROLECONSENT("c1", "consent_analysis"),
	ROLECONSENT("c2", "consent_public_named"),
	ROLECONSENT("c3", "consent_public_anonymous"),
	ROLECONSENT("c4", "consent_events"),
};

static struct qdef *
needed_but(size_t skip)
{
	char text[8192], qs[6000] = "";
	for (size_t i = 0; i < NF(needed_questions); i++)
		if (i != skip)
			snprintf(qs + strlen(qs), sizeof(qs) - strlen(qs), "%s%s", qs[0] ? "," : "",
				 needed_questions[i]);
	snprintf(text, sizeof(text),
		 "{'key':'t','version':1,'title':" L ",'sections':[{'key':'s','title':" L
		 ",'questions':[%s]}]}",
		 qs);
	char err[256] = "";
	struct qdef *d = parse(text, err, sizeof(err));
	if (d == NULL)
		fail_msg("%s", err);
	return d;
}

static void
start_up_needs_the_roles_the_program_uses(void **state)
{
	(void)state;
	char err[256] = "";
	struct qdef *d = needed_but(SIZE_MAX);
	assert_true(qdef_roles_complete(d, "t.json", err, sizeof(err)));
	qdef_free(d);
	static const char *const missing[] = {
		"t.json: role 'org_name': no question has it; every questionnaire needs it (on a "
		"text question)",
		"t.json: role 'org_kind': no question has it; every questionnaire needs it (on a "
		"single question)",
		"t.json: role 'title': no question has it",
		"t.json: role 'stage': no question has it",
		"t.json: role 'outcome': no question has it; every questionnaire needs it (on a "
		"single question)",
		"t.json: role 'consent_analysis': no question has it; every questionnaire needs it "
		"(on a consent question)",
		"t.json: role 'consent_public_named': no question has it",
		"t.json: role 'consent_public_anonymous': no question has it",
		"t.json: role 'consent_events': no question has it",
	};
	for (size_t i = 0; i < NF(needed_questions); i++) {
		d = needed_but(i);
		err[0] = '\0';
		assert_false(qdef_roles_complete(d, "t.json", err, sizeof(err)));
		if (strstr(err, missing[i]) == NULL)
			fail_msg("error \"%s\" does not contain \"%s\"", err, missing[i]);
		qdef_free(d);
	}
	/* Parsing alone does not ask for them: the engine reads any questionnaire. */
	d = full();
	assert_false(qdef_roles_complete(d, "t.json", err, sizeof(err)));
	qdef_free(d);
}

/* ---- conditions ---- */

static void
conditions_follow_answers(void **state)
{
	(void)state;
	struct qdef *d = full();
	struct arena ar;
	arena_init(&ar, 0);
	struct answers a;
	answers_init(&a, &ar);
	const struct question *story = qdef_find(d, "story");
	const struct question *lessons = qdef_find(d, "lessons");
	const struct question *follow = qdef_find(d, "follow");

	/* equals */
	assert_false(qdef_question_visible(d, story, &a));
	answers_add(&a, "stage", 0, "planned");
	assert_false(qdef_question_visible(d, story, &a));
	assert_false(qcond_holds(&story->show_if, &a));
	answers_remove_question(&a, "stage");
	answers_add(&a, "stage", 0, "completed");
	assert_true(qdef_question_visible(d, story, &a));

	/* in: the section shows for completed or stopped */
	assert_true(qdef_section_visible(d, 1, &a));
	answers_remove_question(&a, "stage");
	answers_add(&a, "stage", 0, "stopped");
	assert_true(qdef_section_visible(d, 1, &a));
	assert_true(qdef_section_visible(d, 0, &a));

	/* includes */
	assert_false(qdef_question_visible(d, lessons, &a));
	answers_add(&a, "sectors", 0, "water");
	assert_false(qdef_question_visible(d, lessons, &a));
	answers_add(&a, "sectors", 1, "energy");
	assert_true(qdef_question_visible(d, lessons, &a));

	/* answered */
	assert_false(qdef_question_visible(d, follow, &a));
	answers_add(&a, "lessons", 0, "Partager tôt");
	assert_true(qdef_question_visible(d, follow, &a));
	answers_add(&a, "follow", 0, "Oui");

	/* A hidden section hides its questions, and what depends on them. */
	answers_remove_question(&a, "stage");
	answers_add(&a, "stage", 0, "planned");
	assert_false(qdef_section_visible(d, 1, &a));
	assert_false(qdef_question_visible(d, lessons, &a));
	/* follow's own condition holds on the stale answers, but lessons is hidden. */
	assert_true(qcond_holds(&follow->show_if, &a));
	assert_false(qdef_question_visible(d, follow, &a));

	qdef_prune_hidden(d, &a);
	assert_null(answers_get(&a, "lessons", 0));
	assert_null(answers_get(&a, "follow", 0));
	assert_string_equal(answers_get(&a, "stage", 0), "planned");
	assert_int_equal(answers_count(&a, "sectors"), 2);

	/* A chain inside one section: lessons hidden because sectors lost energy. */
	answers_remove_question(&a, "stage");
	answers_add(&a, "stage", 0, "completed");
	answers_add(&a, "lessons", 0, "x");
	answers_add(&a, "follow", 0, "y");
	answers_remove_question(&a, "sectors");
	answers_add(&a, "sectors", 0, "water");
	qdef_prune_hidden(d, &a);
	assert_null(answers_get(&a, "lessons", 0));
	assert_null(answers_get(&a, "follow", 0));
	assert_string_equal(answers_get(&a, "sectors", 0), "water");

	/* Group fields have no condition of their own: they follow their section. */
	assert_true(qdef_question_visible(d, &qdef_find(d, "partners")->fields[0], &a));

	arena_free(&ar);
	qdef_free(d);
}

/* A long chain: each question shows when the one before it was answered. */
static void
long_chains_are_pruned_in_one_call(void **state)
{
	(void)state;
	enum { N = 600 };
	size_t cap = 1 << 17, len = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	len += (size_t)snprintf(text, cap,
				"{'key':'t','version':1,'title':" L
				",'sections':[{'key':'s','title':" L ",'questions':[");
	for (int i = 0; i < N; i++) {
		len += (size_t)snprintf(text + len, cap - len,
					"%s{'key':'q%d','type':'text','label':" L, i ? "," : "", i);
		if (i)
			len += (size_t)snprintf(text + len, cap - len,
						",'show_if':{'question':'q%d','answered':true}",
						i - 1);
		len += (size_t)snprintf(text + len, cap - len, "}");
	}
	snprintf(text + len, cap - len, "]}]}");
	char err[256] = "";
	struct qdef *d = parse(text, err, sizeof(err));
	free(text);
	if (d == NULL)
		fail_msg("%s", err);
	assert_int_equal(qdef_count(d), N);
	struct arena ar;
	arena_init(&ar, 0);
	struct answers a;
	answers_init(&a, &ar);
	char key[16];
	for (int i = 0; i < N; i++) {
		snprintf(key, sizeof(key), "q%d", i);
		answers_add(&a, key, 0, "x");
	}
	assert_true(qdef_question_visible(d, qdef_find(d, "q599"), &a));
	qdef_prune_hidden(d, &a);
	assert_int_equal(a.n, N);
	answers_remove_question(&a, "q0");
	assert_false(qdef_question_visible(d, qdef_find(d, "q599"), &a));
	qdef_prune_hidden(d, &a);
	assert_int_equal(a.n, 0);
	arena_free(&ar);
	qdef_free(d);
}

static void
answers_remove_a_whole_question(void **state)
{
	(void)state;
	struct arena ar;
	arena_init(&ar, 0);
	struct answers a;
	answers_init(&a, &ar);
	for (int i = 0; i < 100; i++)
		answers_add(&a, "partners.name", i, "n");
	answers_add(&a, "partnership", 0, "keep");
	answers_add(&a, "partners", 0, "x");
	answers_add(&a, "sectors.other", 0, "y");
	assert_int_equal(answers_count(&a, "partners.name"), 100);
	assert_true(answers_has(&a, "partnership", "keep"));
	answers_remove_question(&a, "partners");
	assert_int_equal(a.n, 2);
	assert_string_equal(answers_get(&a, "partnership", 0), "keep");
	assert_string_equal(answers_get(&a, "sectors.other", 0), "y");
	assert_null(answers_get(&a, "sectors.other", 1));
	arena_free(&ar);
}

/* ---- reading pages ---- */

struct page {
	struct qdef *d;
	struct arena ar;
	struct answers a;
	struct qerror *e;
	size_t n;
};

static void
page_open(struct page *p)
{
	p->d = full();
	arena_init(&p->ar, 0);
	answers_init(&p->a, &p->ar);
	p->e = NULL;
	p->n = 0;
}

static void
page_close(struct page *p)
{
	arena_free(&p->ar);
	qdef_free(p->d);
}

static void
multi_with_other_and_details(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	struct http_field f[] = {
		fld("sectors", "other"),
		fld("sectors", "energy"),
		fld("sectors", "energy"), /* twice: counted once */
		fld("sectors.other", "  Tourisme solidaire \r\n"),
		fld("sectors.energy.direction", "given"),
		fld("sectors.energy.note", " court "),
		fld("sectors.water.direction", "received"), /* water not ticked */
		fld("unknown", "ignored"),
	};
	p.n = qdef_read_section(p.d, 0, f, NF(f), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_int_equal(answers_count(&p.a, "sectors"), 2);
	assert_string_equal(answers_get(&p.a, "sectors", 0), "energy"); /* option order */
	assert_string_equal(answers_get(&p.a, "sectors", 1), "other");
	assert_string_equal(answers_get(&p.a, "sectors.other", 0), "Tourisme solidaire");
	assert_string_equal(answers_get(&p.a, "sectors.energy.direction", 0), "given");
	assert_string_equal(answers_get(&p.a, "sectors.energy.note", 0), "court");
	assert_null(answers_get(&p.a, "sectors.water.direction", 0));
	assert_null(answers_get(&p.a, "unknown", 0));

	/* Each refusal below leaves the question, whole, as it was saved just above. */
#define SAVED_ABOVE()                                                                              \
	do {                                                                                       \
		assert_int_equal(answers_count(&p.a, "sectors"), 2);                               \
		assert_string_equal(answers_get(&p.a, "sectors", 0), "energy");                    \
		assert_string_equal(answers_get(&p.a, "sectors.other", 0), "Tourisme solidaire");  \
		assert_string_equal(answers_get(&p.a, "sectors.energy.direction", 0), "given");    \
	} while (0)
	/* "other" without saying what. */
	struct http_field g[] = {fld("sectors", "other"), fld("sectors", "water"),
				 fld("sectors.other", "   ")};
	p.n = qdef_read_section(p.d, 0, g, NF(g), false, &p.a, &p.e);
	assert_int_equal(p.n, 1);
	assert_error(p.e, p.n, "sectors.other", QE_OTHER_MISSING, 0);
	SAVED_ABOVE();

	/* A code not in the list; more than max. */
	struct http_field h[] = {fld("sectors", "mining"), fld("sectors", "water")};
	p.n = qdef_read_section(p.d, 0, h, NF(h), false, &p.a, &p.e);
	assert_error(p.e, p.n, "sectors", QE_UNKNOWN_OPTION, 0);
	SAVED_ABOVE();
	struct http_field m[] = {fld("sectors", "water"), fld("sectors", "energy"),
				 fld("sectors", "food"), fld("sectors", "health")};
	p.n = qdef_read_section(p.d, 0, m, NF(m), false, &p.a, &p.e);
	assert_error(p.e, p.n, "sectors", QE_TOO_MANY, 3);
	SAVED_ABOVE();

	/* Details of a ticked option are checked like any answer. */
	struct http_field t[] = {fld("sectors", "food"), fld("sectors.food.direction", "sold"),
				 fld("sectors.food.note", "beaucoup trop long")};
	p.n = qdef_read_section(p.d, 0, t, NF(t), false, &p.a, &p.e);
	assert_int_equal(p.n, 2);
	assert_error(p.e, p.n, "sectors.food.direction", QE_UNKNOWN_OPTION, 0);
	assert_error(p.e, p.n, "sectors.food.note", QE_TOO_LONG, 10);
	SAVED_ABOVE();
	assert_null(answers_get(&p.a, "sectors.food.direction", 0));
#undef SAVED_ABOVE

	/* A page without a mistake replaces the question. */
	struct http_field ok[] = {fld("sectors", "water")};
	p.n = qdef_read_section(p.d, 0, ok, NF(ok), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_int_equal(answers_count(&p.a, "sectors"), 1);
	assert_null(answers_get(&p.a, "sectors.other", 0));
	assert_null(answers_get(&p.a, "sectors.energy.direction", 0));
	page_close(&p);
}

static void
group_rows_are_renumbered(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	struct http_field f[] = {
		fld("partners.name.0", "Solaire Sahel"),
		fld("partners.kind.0", "firm"),
		fld("partners.country.0", "SN"),
		fld("partners.name.1", " "), /* an empty row */
		fld("partners.kind.1", ""),
		fld("partners.size.1", ""),
		fld("partners.name.2", "Eau Vive"),
		fld("partners.size.2", "12"),
		fld("partners.since.2", "2019"),
		fld("partners.email.2", "contact@eauvive.org"),
		fld("partners.name.01", "not a row number"),
		fld("partners.nom.3", "not a field"),
	};
	p.n = qdef_read_section(p.d, 0, f, NF(f), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_int_equal(answers_count(&p.a, "partners.name"), 2);
	assert_string_equal(answers_get(&p.a, "partners.name", 0), "Solaire Sahel");
	assert_string_equal(answers_get(&p.a, "partners.kind", 0), "firm");
	assert_string_equal(answers_get(&p.a, "partners.country", 0), "SN");
	assert_string_equal(answers_get(&p.a, "partners.name", 1), "Eau Vive");
	assert_string_equal(answers_get(&p.a, "partners.since", 1), "2019");
	assert_string_equal(answers_get(&p.a, "partners.email", 1), "contact@eauvive.org");
	assert_string_equal(answers_get(&p.a, "partners.size", 1), "12");
	assert_null(answers_get(&p.a, "partners.name", 2));

	/* Wrong fields in a row: named by the row's new number; the group keeps, whole, the
	 * rows saved just above. */
	struct http_field bad[] = {fld("partners.name.0", "Solaire Sahel"),
				   fld("partners.name.3", "Eau Vive"),
				   fld("partners.size.3", "12a"), fld("partners.country.3", "XX")};
	p.n = qdef_read_section(p.d, 0, bad, NF(bad), false, &p.a, &p.e);
	assert_int_equal(p.n, 2);
	assert_error(p.e, p.n, "partners.size.1", QE_NOT_INTEGER, 0);
	assert_error(p.e, p.n, "partners.country.1", QE_UNKNOWN_OPTION, 0);
	assert_int_equal(answers_count(&p.a, "partners.name"), 2);
	assert_string_equal(answers_get(&p.a, "partners.size", 1), "12");
	assert_string_equal(answers_get(&p.a, "partners.kind", 0), "firm");

	/* More rows than max_rows (3). */
	struct http_field g[] = {fld("partners.name.0", "a"), fld("partners.name.1", "b"),
				 fld("partners.name.2", "c"), fld("partners.name.7", "d")};
	p.n = qdef_read_section(p.d, 0, g, NF(g), false, &p.a, &p.e);
	assert_error(p.e, p.n, "partners", QE_TOO_MANY, 3);
	assert_int_equal(answers_count(&p.a, "partners.name"), 2); /* as saved before */

	/* With check_required: min_rows (2) and the required field of each row. */
	struct http_field h[] = {fld("partners.kind.4", "ngo")};
	answers_remove_question(&p.a, "partners");
	p.n = qdef_read_section(p.d, 0, h, NF(h), true, &p.a, &p.e);
	assert_error(p.e, p.n, "partners", QE_REQUIRED, 2);
	assert_error(p.e, p.n, "partners.name.0", QE_REQUIRED, 0);
	assert_string_equal(answers_get(&p.a, "partners.kind", 0), "ngo");
	page_close(&p);
}

static void
malformed_values_are_left_out(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	struct http_field f[] = {
		fld("stage", "completed"),
		fld("staff", "12a"),
		fld("started", "1900"),
		fld("name", "ééééééééééé"), /* 11 characters, limit 10 */
		fld("email", "jo doe@example.org"),
		fld("satisfaction", "6"),
		fld("where", "SN"),
		fld("where", "FR"),
		fld("where", "ML"),
		fld("consent", "yes"),
		fld("story", "ligne 1\r\nligne 2"),
	};
	p.n = qdef_read_section(p.d, 0, f, NF(f), false, &p.a, &p.e);
	assert_int_equal(p.n, 6);
	assert_error(p.e, p.n, "staff", QE_NOT_INTEGER, 0);
	assert_error(p.e, p.n, "started", QE_OUT_OF_RANGE, 1950);
	assert_error(p.e, p.n, "name", QE_TOO_LONG, 10);
	assert_error(p.e, p.n, "email", QE_BAD_EMAIL, 0);
	assert_error(p.e, p.n, "satisfaction", QE_OUT_OF_RANGE, 5);
	assert_error(p.e, p.n, "where", QE_TOO_MANY, 2);
	assert_null(answers_get(&p.a, "staff", 0));
	assert_null(answers_get(&p.a, "started", 0));
	assert_null(answers_get(&p.a, "name", 0));
	assert_null(answers_get(&p.a, "email", 0));
	assert_int_equal(answers_count(&p.a, "where"), 0);
	assert_string_equal(answers_get(&p.a, "stage", 0), "completed");
	assert_string_equal(answers_get(&p.a, "consent", 0), "yes");
	assert_string_equal(answers_get(&p.a, "story", 0), "ligne 1\nligne 2");

	/* The same fields, well formed. */
	struct http_field g[] = {
		fld("stage", "completed"),
		fld("staff", " 007 "),
		fld("started", "2010"),
		fld("name", "éééééééééé"),
		fld("email", " jo@example.org "),
		fld("satisfaction", "5"),
		fld("where", "ML"),
		fld("where", "SN"),
	};
	p.n = qdef_read_section(p.d, 0, g, NF(g), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_null(p.e);
	assert_string_equal(answers_get(&p.a, "staff", 0), "7");
	assert_string_equal(answers_get(&p.a, "started", 0), "2010");
	assert_string_equal(answers_get(&p.a, "name", 0), "éééééééééé");
	assert_string_equal(answers_get(&p.a, "email", 0), "jo@example.org");
	assert_string_equal(answers_get(&p.a, "where", 0), "SN"); /* list order */
	assert_string_equal(answers_get(&p.a, "where", 1), "ML");
	assert_null(answers_get(&p.a, "consent", 0)); /* not ticked this time */

	/* More malformed numbers and addresses. */
	static const char *const not_int[] = {"", "-", "+3", "1.5", "1e3", "0x10", "١٢"};
	for (size_t i = 1; i < NF(not_int); i++) {
		struct http_field h[] = {fld("staff", not_int[i])};
		p.n = qdef_read_section(p.d, 0, h, 1, false, &p.a, &p.e);
		assert_int_equal(p.n, 1);
		assert_error(p.e, p.n, "staff", QE_NOT_INTEGER, 0);
	}
	struct http_field big[] = {fld("staff", "99999999999999999999999")};
	p.n = qdef_read_section(p.d, 0, big, 1, false, &p.a, &p.e);
	assert_error(p.e, p.n, "staff", QE_OUT_OF_RANGE, 500);
	struct http_field neg[] = {fld("staff", "-1")};
	p.n = qdef_read_section(p.d, 0, neg, 1, false, &p.a, &p.e);
	assert_error(p.e, p.n, "staff", QE_OUT_OF_RANGE, 0);
	static const char *const bad_email[] = {"jo",
						"@example.org",
						"jo@",
						"jo@example",
						"jo@@example.org",
						"jo@a@example.org",
						"jo@.example.org",
						"jo@example.org.",
						"jo@example..org"};
	for (size_t i = 0; i < NF(bad_email); i++) {
		struct http_field h[] = {fld("email", bad_email[i])};
		p.n = qdef_read_section(p.d, 0, h, 1, false, &p.a, &p.e);
		if (p.n != 1)
			fail_msg("accepted %s", bad_email[i]);
		assert_error(p.e, p.n, "email", QE_BAD_EMAIL, 0);
	}
	char longmail[300];
	memset(longmail, 'a', sizeof(longmail));
	strcpy(longmail + 250, "@example.org");
	struct http_field lm[] = {fld("email", longmail)};
	p.n = qdef_read_section(p.d, 0, lm, 1, false, &p.a, &p.e);
	assert_error(p.e, p.n, "email", QE_BAD_EMAIL, 0);
	struct http_field bad[] = {fld("stage", "done"), fld("consent", "no")};
	p.n = qdef_read_section(p.d, 0, bad, NF(bad), false, &p.a, &p.e);
	assert_error(p.e, p.n, "stage", QE_UNKNOWN_OPTION, 0);
	assert_error(p.e, p.n, "consent", QE_UNKNOWN_OPTION, 0);
	page_close(&p);
}

static void
pick_keeps_to_what_was_ticked(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	/* From on the same page: the values just read. */
	struct http_field f[] = {fld("sectors", "energy"), fld("sectors", "water"),
				 fld("top", "water"), fld("top", "health")};
	p.n = qdef_read_section(p.d, 0, f, NF(f), false, &p.a, &p.e);
	assert_int_equal(p.n, 1);
	assert_error(p.e, p.n, "top", QE_NOT_TICKED_BEFORE, 0);
	assert_int_equal(answers_count(&p.a, "top"), 0); /* refused: nothing was saved before */
	struct http_field f2[] = {fld("sectors", "energy"), fld("sectors", "water"),
				  fld("top", "water")};
	p.n = qdef_read_section(p.d, 0, f2, NF(f2), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_string_equal(answers_get(&p.a, "top", 0), "water");

	struct http_field g[] = {fld("sectors", "energy"), fld("sectors", "water"),
				 fld("sectors", "other"),  fld("sectors.other", "Tourisme"),
				 fld("top", "water"),      fld("top", "energy"),
				 fld("top", "other")};
	p.n = qdef_read_section(p.d, 0, g, NF(g), false, &p.a, &p.e);
	assert_error(p.e, p.n, "top", QE_TOO_MANY, 2);
	assert_int_equal(answers_count(&p.a, "top"), 1); /* the pick saved before */

	/* From an earlier page: the answers already in out. The later section needs stage. */
	struct http_field h[] = {fld("stage", "stopped"), fld("sectors", "food"),
				 fld("sectors", "health")};
	p.n = qdef_read_section(p.d, 0, h, NF(h), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	struct http_field k[] = {fld("priority", "health"), fld("priority", "energy"),
				 fld("priority", "food")};
	p.n = qdef_read_section(p.d, 1, k, NF(k), false, &p.a, &p.e);
	assert_error(p.e, p.n, "priority", QE_NOT_TICKED_BEFORE, 0);
	assert_int_equal(answers_count(&p.a, "priority"), 0);
	struct http_field k2[] = {fld("priority", "food"), fld("priority", "health")};
	p.n = qdef_read_section(p.d, 1, k2, NF(k2), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_int_equal(answers_count(&p.a, "priority"), 2);
	assert_string_equal(answers_get(&p.a, "priority", 0), "health"); /* list order */
	assert_string_equal(answers_get(&p.a, "priority", 1), "food");
	page_close(&p);
}

static void
hidden_questions_lose_their_answers(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	/* Saved before: story (stage was completed) and a later page. */
	answers_add(&p.a, "stage", 0, "completed");
	answers_add(&p.a, "story", 0, "ancienne histoire");
	answers_add(&p.a, "sectors", 0, "energy");
	answers_add(&p.a, "lessons", 0, "x");

	/* The page now says planned: story hides, its field is ignored. */
	struct http_field f[] = {fld("stage", "planned"), fld("story", "nouvelle histoire"),
				 fld("sectors", "energy")};
	p.n = qdef_read_section(p.d, 0, f, NF(f), true, &p.a, &p.e);
	assert_null(error_at(p.e, p.n, "story"));
	assert_null(answers_get(&p.a, "story", 0));
	assert_string_equal(answers_get(&p.a, "stage", 0), "planned");
	/* The later section is hidden: reading it keeps nothing and asks nothing. */
	struct http_field g[] = {fld("lessons", "y"), fld("priority", "energy")};
	p.n = qdef_read_section(p.d, 1, g, NF(g), true, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	assert_null(answers_get(&p.a, "lessons", 0));
	assert_int_equal(answers_count(&p.a, "priority"), 0);

	/* A question shown by an answer just above it on the same page. */
	struct http_field h[] = {fld("stage", "completed"), fld("story", "nouvelle histoire")};
	p.n = qdef_read_section(p.d, 0, h, NF(h), false, &p.a, &p.e);
	assert_string_equal(answers_get(&p.a, "story", 0), "nouvelle histoire");
	page_close(&p);
}

static void
required_only_when_asked(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	struct http_field f[] = {fld("name", "Awa")};
	p.n = qdef_read_section(p.d, 0, f, NF(f), false, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	p.n = qdef_read_section(p.d, 0, f, NF(f), true, &p.a, &p.e);
	assert_error(p.e, p.n, "stage", QE_REQUIRED, 0);
	assert_error(p.e, p.n, "consent", QE_REQUIRED, 0);
	assert_error(p.e, p.n, "partners", QE_REQUIRED, 2);
	assert_null(error_at(p.e, p.n, "name"));
	assert_null(error_at(p.e, p.n, "staff"));
	assert_null(error_at(p.e, p.n, "story")); /* required or not, it is hidden */
	assert_string_equal(answers_get(&p.a, "name", 0), "Awa");

	/* A malformed required answer: one error, the first. */
	struct http_field g[] = {fld("stage", "zzz")};
	p.n = qdef_read_section(p.d, 0, g, NF(g), true, &p.a, &p.e);
	assert_error(p.e, p.n, "stage", QE_UNKNOWN_OPTION, 0);

	/* A required detail of a ticked option. */
	struct http_field h[] = {fld("sectors", "water")};
	p.n = qdef_read_section(p.d, 0, h, NF(h), true, &p.a, &p.e);
	assert_error(p.e, p.n, "sectors.water.direction", QE_REQUIRED, 0);
	assert_null(error_at(p.e, p.n, "sectors.energy.direction"));
	page_close(&p);
}

static void
complete_checks_every_visible_section(void **state)
{
	(void)state;
	struct page p;
	page_open(&p);
	p.n = qdef_check_complete(p.d, &p.a, &p.e);
	assert_int_equal(p.n, 3); /* stage, partners, consent */
	assert_error(p.e, p.n, "stage", QE_REQUIRED, 0);
	assert_error(p.e, p.n, "partners", QE_REQUIRED, 2);
	assert_error(p.e, p.n, "consent", QE_REQUIRED, 0);

	struct http_field f[] = {
		fld("stage", "completed"),   fld("consent", "yes"),
		fld("partners.name.0", "A"), fld("partners.name.1", "B"),
		fld("sectors", "energy"),    fld("sectors.energy.direction", "given"),
	};
	p.n = qdef_read_section(p.d, 0, f, NF(f), true, &p.a, &p.e);
	assert_int_equal(p.n, 0);
	p.n = qdef_check_complete(p.d, &p.a, &p.e);
	assert_int_equal(p.n, 0);

	/* A required question in the later section, now shown. */
	char err[256] = "";
	struct qdef *d2 = parse("{'key':'t','version':1,'title':" L ",'sections':["
				"{'key':'a','title':" L ",'questions':[{'key':'go','type':'single',"
				"'label':" L "," OPTS "}]},"
				"{'key':'b','title':" L ",'show_if':{'question':'go','equals':'y'},"
				"'questions':[{'key':'why','type':'text','label':" L ","
				"'required':true}]}]}",
				err, sizeof(err));
	assert_non_null(d2);
	struct arena ar;
	arena_init(&ar, 0);
	struct answers a;
	answers_init(&a, &ar);
	struct qerror *e;
	assert_int_equal(qdef_check_complete(d2, &a, &e), 0);
	answers_add(&a, "go", 0, "y");
	assert_int_equal(qdef_check_complete(d2, &a, &e), 1);
	assert_error(e, 1, "why", QE_REQUIRED, 0);
	answers_add(&a, "why", 0, "parce que");
	assert_int_equal(qdef_check_complete(d2, &a, &e), 0);
	arena_free(&ar);
	qdef_free(d2);
	page_close(&p);
}

static void
error_keys_name_translations(void **state)
{
	(void)state;
	assert_string_equal(qerror_key(QE_REQUIRED), "survey.error.required");
	assert_string_equal(qerror_key(QE_NOT_TICKED_BEFORE), "survey.error.not_ticked_before");
	assert_string_equal(qerror_key(QE_OTHER_MISSING), "survey.error.other_missing");
	for (int c = QE_REQUIRED; c <= QE_OTHER_MISSING; c++)
		assert_non_null(strstr(qerror_key((enum qerror_code)c), "survey.error."));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vocab_loads_lists_and_countries),
		cmocka_unit_test(vocab_refuses_broken_files),
		cmocka_unit_test(vocab_and_questionnaires_of_the_repository_load),
		cmocka_unit_test(qdef_accepts_every_type),
		cmocka_unit_test(qdef_refuses_broken_definitions),
		cmocka_unit_test(qdef_load_checks_the_file_name),
		cmocka_unit_test(roles_are_found_by_name_not_key),
		cmocka_unit_test(roles_are_refused_when_they_do_not_fit),
		cmocka_unit_test(start_up_needs_the_roles_the_program_uses),
		cmocka_unit_test(conditions_follow_answers),
		cmocka_unit_test(long_chains_are_pruned_in_one_call),
		cmocka_unit_test(answers_remove_a_whole_question),
		cmocka_unit_test(multi_with_other_and_details),
		cmocka_unit_test(group_rows_are_renumbered),
		cmocka_unit_test(malformed_values_are_left_out),
		cmocka_unit_test(pick_keeps_to_what_was_ticked),
		cmocka_unit_test(hidden_questions_lose_their_answers),
		cmocka_unit_test(required_only_when_asked),
		cmocka_unit_test(complete_checks_every_visible_section),
		cmocka_unit_test(error_keys_name_translations),
	};
	return cmocka_run_group_tests(tests, setup_vocab, teardown_vocab);
}
