/* test_export.c - exports of responses (CSV, JSON, XLSX with its codebook) and the import of a
 * CSV back, on an in-memory database with a small questionnaire. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <zlib.h>

#include "base/arena.h"
#include "base/buf.h"
#include "cases/search.h"
#include "db/db.h"
#include "db/migrate.h"
#include "exchange/export.h"
#include "survey/survey.h"

#define L(fr, en) "{\"fr\": \"" fr "\", \"en\": \"" en "\"}"

static const char *const QUESTIONNAIRE = "{\"key\": \"t\", \"version\": 1, \"title\": " L(
	"Essai",
	"Test") ", \"sections\": ["
		" {\"key\": \"you\", \"title\": " L(
			"Vous",
			"You") ", \"questions\": ["
			       "  {\"key\": \"name\", \"type\": \"text\", \"label\": " L(
				       "Nom", "Name") ","
						      "   \"required\": true},"
						      "  {\"key\": \"email\", \"type\": \"email\", "
						      "\"label\": " L(
							      "Courriel",
							      "E-mail") "},"
									"  {\"key\": \"kind\", "
									"\"type\": \"single\", "
									"\"label\": " L("Type",
											"Kind") ", "
												"\""
												"ot"
												"he"
												"r"
												"\""
												": "
												"tr"
												"ue"
												","
												"  "
												" "
												"\""
												"op"
												"ti"
												"on"
												"s"
												"\""
												": "
												"[{"
												"\""
												"co"
												"de"
												"\""
												": "
												"\""
												"ng"
												"o"
												"\""
												", "
												"\""
												"fr"
												"\""
												": "
												"\""
												"ON"
												"G"
												"\""
												", "
												"\""
												"en"
												"\""
												": "
												"\""
												"NG"
												"O"
												"\""
												"},"
												"  "
												"  "
												"  "
												"  "
												"  "
												"  "
												"  "
												"  "
												"{"
												"\""
												"co"
												"de"
												"\""
												": "
												"\""
												"co"
												"mp"
												"an"
												"y"
												"\""
												", "
												"\""
												"fr"
												"\""
												": "
												"\""
												"En"
												"tr"
												"ep"
												"ri"
												"se"
												"\""
												", "
												"\""
												"en"
												"\""
												": "
												"\""
												"Co"
												"mp"
												"an"
												"y"
												"\""
												"}]"
												"},"
												"  "
												"{"
												"\""
												"ke"
												"y"
												"\""
												": "
												"\""
												"wh"
												"er"
												"e"
												"\""
												", "
												"\""
												"ty"
												"pe"
												"\""
												": "
												"\""
												"co"
												"un"
												"tr"
												"ie"
												"s"
												"\""
												", "
												"\""
												"la"
												"be"
												"l"
												"\""
												":"
												" " L(
													"Pays",
													"Countries") ","
														     "   \"max\": 3},"
														     "  {\"key\": \"staff\", \"type\": \"integer\", \"label\": " L("Effectif",
																						   "Staff") ","
																							    "   \"min\": 0, \"max\": 1000}]},"
																							    " {\"key\": \"work\", \"title\": " L("Travail", "Work") ", \"questions\": ["
																														    "  {\"key\": \"sectors\", \"type\": \"multi\", \"label\": " L("Secteurs", "Sectors") ","
																																									 "   \"other\": true, \"options\": ["
																																									 "    {\"code\": \"agri\", \"fr\": \"Agriculture\", \"en\": \"Farming\"},"
																																									 "    {\"code\": \"health\", \"fr\": \"Santé\", \"en\": \"Health\"},"
																																									 "    {\"code\": \"water\", \"fr\": \"Eau\", \"en\": \"Water\"}],"
																																									 "   \"details\": [{\"key\": \"direction\", \"type\": \"single\", \"label\": " L("Sens",
																																																			 "Direction") ", \"options\": [{\"code\": \"give\", \"fr\": \"Donne\", \"en\": "
																																																				      "\"Gives\"}, {\"code\": \"take\", \"fr\": \"Reçoit\", \"en\": \"Receives\"}]}]},"
																																																				      "  {\"key\": \"top\", \"type\": \"pick\", \"from\": \"sectors\", \"max\": 2, \"label\": " L(
																																																					      "Principal",
																																																					      "Main") "},"
																																																						      "  {\"key\": \"partners\", \"type\": \"group\", \"max_rows\": 3, \"label\": " L("Partenaires",
																																																																      "Partners") ", \"fields\": ["
																																																																		  "    {\"key\": \"name\", \"type\": \"text\", \"label\": " L("Nom",
																																																																									      "Name") ","
																																																																										      "     \"required\": true},"
																																																																										      "    {\"key\": \"country\", \"type\": \"countries\", \"label\": " L("Pays",
																																																																																			  "Country") "}]},"
																																																																																				     "  {\"key\": \"story\", \"type\": \"longtext\", \"label\": " L(
																																																																																					     "Récit",
																																																																																					     "Story") "},"
																																																																																						      "  {\"key\": \"stage\", \"type\": \"single\", \"label\": " L(
																																																																																							      "Étape", "Stage") ","
																																																																																										"   \"options\": [{\"code\": \"done\", \"fr\": \"Finie\", \"en\": \"Done\"},"
																																																																																										"                {\"code\": \"going\", \"fr\": \"En cours\", \"en\": \"Going on\"}]},"
																																																																																										"  {\"key\": \"end_year\", \"type\": \"year\", \"label\": " L("Fin",
																																																																																																	      "End") ","
																																																																																																		     "   \"show_if\": {\"question\": \"stage\", \"equals\": \"done\"}},"
																																																																																																		     "  {\"key\": \"score\", \"type\": \"scale\", \"label\": " L(
																																																																																																			     "Note",
																																																																																																			     "Score") "},"
																																																																																																				      "  {\"key\": \"agree\", \"type\": \"consent\", \"notice_version\": \"2024-01\","
																																																																																																				      "   \"required\": true, \"label\": " L(
																																																																																																					      "Accord",
																																																																																																					      "Consent") "}]}]}";

static struct qoption countries[] = {
	{"FR", {"France", "France"}, "150"},
	{"ML", {"Mali", "Mali"}, "011"},
	{"SN", {"Sénégal", "Senegal"}, "011"},
};
static struct vocab_set vocab = {.countries = {"countries", countries, 3}};

static struct db *db;
static struct qdef *def;
static struct arena ar;

static int
setup(void **state)
{
	(void)state;
	char err[256];
	search_init(); /* the migrations make the search index, with its tokenizer */
	db = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(db);
	assert_true(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)) > 0);
	def = qdef_parse("test", QUESTIONNAIRE, strlen(QUESTIONNAIRE), &vocab, err, sizeof(err));
	if (def == NULL)
		fail_msg("%s", err);
	arena_init(&ar, 16384);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	arena_free(&ar);
	qdef_free(def);
	db_close(db);
	return 0;
}

static long long
campaign(const char *slug)
{
	struct campaign c = {.slug = slug,
			     .questionnaire = "t",
			     .version = 1,
			     .title_fr = "Essai",
			     .title_en = "Test",
			     .opens_at = "2024-01-01",
			     .closes_at = "2099-12-31"};
	long long id = survey_store_campaign_create(db, &c);
	assert_true(id > 0);
	return id;
}

/* A response with answers given as "key", position, "value" triples, ended by NULL. */
static long long
response(long long campaign_id, bool submit, ...)
{
	long long id = survey_store_response_create(db, campaign_id, "fr", 0, "web");
	assert_true(id > 0);
	struct answers a;
	answers_init(&a, &ar);
	va_list ap;
	va_start(ap, submit);
	const char *key;
	while ((key = va_arg(ap, const char *)) != NULL) {
		int pos = va_arg(ap, int);
		answers_add(&a, key, pos, va_arg(ap, const char *));
	}
	va_end(ap);
	assert_int_equal(survey_store_answers_save(db, id, 0, &a, 0), 1);
	if (submit)
		assert_int_equal(survey_store_submit(db, id, &a), 0);
	return id;
}

/* The answers of a response as one line a row, "key|position|value\n" (sorted by key). */
static char *
dump(long long id)
{
	struct answers a;
	answers_init(&a, &ar);
	assert_int_equal(survey_store_answers_load(db, id, &a), 0);
	struct buf b;
	buf_init(&b, &ar);
	for (size_t i = 0; i < a.n; i++)
		buf_printf(&b, "%s|%d|%s\n", a.rows[i].key, a.rows[i].position, a.rows[i].value);
	return (char *)buf_str(&b);
}

static long long
one_id(const char *sql, long long arg, int nth)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	db_bind_int(st, 1, arg);
	long long v = -1;
	for (int i = 0; i <= nth && db_step(st) == 1; i++)
		if (i == nth)
			v = db_column_int(st, 0);
	db_finalize(st);
	return v;
}

static void
export_to(enum export_format f, struct buf *out)
{
	char err[256] = "";
	buf_init(out, &ar);
	if (export_responses(db, def, &vocab, f, out, err, sizeof(err)) != 0)
		fail_msg("export: %s", err);
}

/* ---- a reader of the export's CSV, every cell quoted (independent of import.c) ---- */

struct table {
	char *cells[8][128];
	int ncols[8], nrows;
};

static void
parse_quoted_csv(const char *s, struct table *t)
{
	memset(t, 0, sizeof(*t));
	assert_memory_equal(s, "\xEF\xBB\xBF", 3);
	s += 3;
	while (*s) {
		int r = t->nrows, c = 0;
		for (;;) {
			assert_int_equal(*s, '"');
			s++;
			struct buf b;
			buf_init(&b, &ar);
			buf_puts(&b, "");
			while (!(s[0] == '"' && s[1] != '"')) {
				assert_true(*s != '\0');
				if (s[0] == '"')
					s++;
				buf_putc(&b, *s++);
			}
			s++;
			assert_true(c < 128);
			t->cells[r][c++] = (char *)buf_str(&b);
			if (*s == ',') {
				s++;
				continue;
			}
			assert_memory_equal(s, "\r\n", 2);
			s += 2;
			break;
		}
		t->ncols[r] = c;
		t->nrows++;
		assert_true(t->nrows < 8);
	}
}

static const char *
cell(const struct table *t, int row, const char *column)
{
	for (int c = 0; c < t->ncols[0]; c++)
		if (strcmp(t->cells[0][c], column) == 0)
			return t->cells[row][c];
	fail_msg("no column %s", column);
	return NULL;
}

static long long
full_response(long long cid)
{
	return response(cid, true, "name", 0, "=1+1", "email", 0, "awa@example.org", "kind", 0,
			"other", "kind.other", 0, "Coopérative", "where", 0, "ML", "where", 1, "SN",
			"staff", 0, "12", "sectors", 0, "agri", "sectors", 1, "water", "sectors", 2,
			"other", "sectors.other", 0, "Pêche", "sectors.agri.direction", 0, "give",
			"top", 0, "water", "partners.name", 0, "Association Ndèye",
			"partners.country", 0, "SN", "partners.name", 1, "+Acme, \"SA\"", "story",
			0, "Élan solidaire à Dakar, « coopération »\nDeuxième ligne", "stage", 0,
			"done", "end_year", 0, "2021", "score", 0, "4", "agree", 0, "yes", NULL);
}

static void
csv_has_one_column_per_option_and_row_and_never_a_formula(void **state)
{
	(void)state;
	long long cid = campaign("c2024");
	long long id = full_response(cid);
	response(cid, false, "name", 0, "@brouillon", NULL);
	struct buf out;
	export_to(EXPORT_CSV, &out);
	struct table t;
	parse_quoted_csv(out.data, &t);
	assert_int_equal(t.nrows, 3);
	const char *head =
		"id,campaign,status,locked,created_at,updated_at,submitted_at,"
		"partner_of,name,email,kind,kind__other_text,where,staff,"
		"sectors__agri,sectors__health,sectors__water,sectors__other,"
		"sectors__other_text,sectors__agri__direction,sectors__health__direction,"
		"sectors__water__direction,top,partners__name__1,partners__country__1,"
		"partners__name__2,partners__country__2,partners__name__3,"
		"partners__country__3,story,stage,end_year,score,agree";
	struct buf h;
	buf_init(&h, &ar);
	for (int c = 0; c < t.ncols[0]; c++)
		buf_printf(&h, "%s%s", c ? "," : "", t.cells[0][c]);
	assert_string_equal(buf_str(&h), head);
	assert_int_equal(t.ncols[1], t.ncols[0]);

	char idtext[24];
	snprintf(idtext, sizeof(idtext), "%lld", id);
	assert_string_equal(cell(&t, 1, "id"), idtext);
	assert_string_equal(cell(&t, 1, "campaign"), "c2024");
	assert_string_equal(cell(&t, 1, "status"), "submitted");
	assert_string_equal(cell(&t, 2, "status"), "draft");
	/* Formulas are neutralised; French text comes through whole. */
	assert_string_equal(cell(&t, 1, "name"), "'=1+1");
	assert_string_equal(cell(&t, 2, "name"), "'@brouillon");
	assert_string_equal(cell(&t, 1, "staff"), "12");
	assert_string_equal(cell(&t, 1, "partners__name__2"), "'+Acme, \"SA\"");
	assert_string_equal(cell(&t, 1, "story"),
			    "Élan solidaire à Dakar, « coopération »\nDeuxième ligne");
	assert_string_equal(cell(&t, 1, "kind"), "other");
	assert_string_equal(cell(&t, 1, "kind__other_text"), "Coopérative");
	assert_string_equal(cell(&t, 1, "where"), "ML;SN");
	/* Multiple choice: 1 or 0, nothing when the question has no answer at all. */
	assert_string_equal(cell(&t, 1, "sectors__agri"), "1");
	assert_string_equal(cell(&t, 1, "sectors__health"), "0");
	assert_string_equal(cell(&t, 1, "sectors__water"), "1");
	assert_string_equal(cell(&t, 1, "sectors__other"), "1");
	assert_string_equal(cell(&t, 1, "sectors__other_text"), "Pêche");
	assert_string_equal(cell(&t, 1, "sectors__agri__direction"), "give");
	assert_string_equal(cell(&t, 1, "sectors__water__direction"), "");
	assert_string_equal(cell(&t, 2, "sectors__agri"), "");
	/* Groups: one column a field and a row. */
	assert_string_equal(cell(&t, 1, "partners__name__1"), "Association Ndèye");
	assert_string_equal(cell(&t, 1, "partners__country__1"), "SN");
	assert_string_equal(cell(&t, 1, "partners__country__2"), "");
	assert_string_equal(cell(&t, 1, "partners__name__3"), "");
	assert_string_equal(cell(&t, 1, "agree"), "yes");
}

/* Rebuilds stored rows from the JSON answers object: "key|position|value\n", sorted by key. */
static char *
rows_of_json(json_t *answers)
{
	struct buf b;
	buf_init(&b, &ar);
	buf_puts(&b, "");
	const char *key;
	json_t *v;
	json_object_foreach(answers, key, v)
	{
		if (json_is_string(v)) {
			buf_printf(&b, "%s|0|%s\n", key, json_string_value(v));
			continue;
		}
		assert_true(json_is_array(v));
		for (size_t i = 0; i < json_array_size(v); i++)
			if (!json_is_null(json_array_get(v, i)))
				buf_printf(&b, "%s|%zu|%s\n", key, i,
					   json_string_value(json_array_get(v, i)));
	}
	return (char *)buf_str(&b);
}

static void
json_gives_back_the_same_answers(void **state)
{
	(void)state;
	long long cid = campaign("c2024");
	long long id = full_response(cid);
	long long draft = response(cid, false, "partners.name", 0, "A", "partners.name", 2, "C",
				   "where", 0, "FR", NULL);
	struct buf out;
	export_to(EXPORT_JSON, &out);
	json_error_t je;
	json_t *root = json_loadb(out.data, out.len, 0, &je);
	if (root == NULL)
		fail_msg("not JSON: %s", je.text);
	assert_string_equal(json_string_value(json_object_get(root, "questionnaire")), "t");
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	json_t *list = json_object_get(root, "responses");
	assert_int_equal(json_array_size(list), 2);
	json_t *r0 = json_array_get(list, 0), *r1 = json_array_get(list, 1);
	assert_int_equal(json_integer_value(json_object_get(r0, "id")), id);
	assert_string_equal(json_string_value(json_object_get(r0, "campaign")), "c2024");
	assert_string_equal(json_string_value(json_object_get(r0, "status")), "submitted");
	assert_true(json_is_false(json_object_get(r0, "locked")));
	assert_true(json_is_string(json_object_get(r0, "submitted_at")));
	assert_true(json_is_null(json_object_get(r1, "submitted_at")));
	assert_true(json_is_null(json_object_get(r0, "partner_of")));
	json_t *a0 = json_object_get(r0, "answers");
	/* A list question is always a list, even of one; a one-value question is a string. */
	assert_true(json_is_array(json_object_get(a0, "top")));
	assert_string_equal(json_string_value(json_object_get(a0, "name")), "=1+1");
	assert_string_equal(rows_of_json(a0), dump(id));
	/* A group row left out keeps its place. */
	json_t *names = json_object_get(json_object_get(r1, "answers"), "partners.name");
	assert_int_equal(json_array_size(names), 3);
	assert_true(json_is_null(json_array_get(names, 1)));
	assert_string_equal(rows_of_json(json_object_get(r1, "answers")), dump(draft));
	json_decref(root);
}

/* ---- XLSX: a zip file; its entries are found through the central directory ---- */

static uint32_t
le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* The inflated content of a zip entry, or NULL when the archive has no such entry. */
static char *
zip_entry(const struct buf *zip, const char *name)
{
	const unsigned char *z = (const unsigned char *)zip->data;
	size_t n = zip->len, eocd = n - 22;
	while (eocd > 0 && le32(z + eocd) != 0x06054b50)
		eocd--;
	assert_int_equal(le32(z + eocd), 0x06054b50);
	size_t entries = le16(z + eocd + 10), at = le32(z + eocd + 16);
	for (size_t i = 0; i < entries; i++) {
		assert_int_equal(le32(z + at), 0x02014b50);
		uint16_t method = le16(z + at + 10);
		size_t csize = le32(z + at + 20), usize = le32(z + at + 24);
		size_t nlen = le16(z + at + 28), xlen = le16(z + at + 30), clen = le16(z + at + 32);
		size_t local = le32(z + at + 42);
		if (nlen == strlen(name) && memcmp(z + at + 46, name, nlen) == 0) {
			const unsigned char *data =
				z + local + 30 + le16(z + local + 26) + le16(z + local + 28);
			char *out = arena_alloc(&ar, usize + 1);
			if (method == 0) {
				memcpy(out, data, usize);
			} else {
				assert_int_equal(method, 8);
				z_stream s = {0};
				assert_int_equal(inflateInit2(&s, -15), Z_OK);
				s.next_in = (unsigned char *)data;
				s.avail_in = (uInt)csize;
				s.next_out = (unsigned char *)out;
				s.avail_out = (uInt)usize;
				assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
				inflateEnd(&s);
			}
			out[usize] = '\0';
			return out;
		}
		at += 46 + nlen + xlen + clen;
	}
	return NULL;
}

static void
xlsx_is_a_workbook_with_a_codebook(void **state)
{
	(void)state;
	full_response(campaign("c2024"));
	struct buf out;
	export_to(EXPORT_XLSX, &out);
	assert_true(out.len > 100);
	assert_memory_equal(out.data, "PK", 2);
	char *book = zip_entry(&out, "xl/workbook.xml");
	assert_non_null(book);
	assert_non_null(strstr(book, "name=\"responses\""));
	assert_non_null(strstr(book, "name=\"codebook\""));
	char *sheet1 = zip_entry(&out, "xl/worksheets/sheet1.xml");
	char *sheet2 = zip_entry(&out, "xl/worksheets/sheet2.xml");
	assert_non_null(sheet1);
	assert_non_null(sheet2);
	/* Header row frozen; the answer is a string, never a formula. */
	assert_non_null(strstr(sheet1, "state=\"frozen\""));
	assert_non_null(strstr(sheet1, "=1+1"));
	assert_null(strstr(sheet1, "<f>"));
	assert_non_null(strstr(sheet1, "Élan solidaire"));
	/* The codebook names each column, its question, labels and option. */
	assert_non_null(strstr(sheet2, "sectors__agri__direction"));
	assert_non_null(strstr(sheet2, "sectors.agri.direction"));
	assert_non_null(strstr(sheet2, "Agriculture"));
	assert_non_null(strstr(sheet2, "Farming"));
	assert_non_null(strstr(sheet2, "Partenaires — Nom"));
}

static void
import_gives_back_what_was_exported(void **state)
{
	(void)state;
	long long from = campaign("c2024");
	long long ids[3];
	ids[0] = full_response(from);
	ids[1] = response(from, false, "name", 0, "Brouillon", "partners.name", 0, "Seul", "stage",
			  0, "going", "sectors", 0, "health", "sectors.health.direction", 0, "take",
			  NULL);
	ids[2] = response(from, true, "name", 0, "Kadi", "agree", 0, "yes", "staff", 0, "1000",
			  "where", 0, "FR", NULL);
	struct buf out;
	export_to(EXPORT_CSV, &out);

	long long to = campaign("c2025");
	struct buf errors;
	buf_init(&errors, &ar);
	long n = import_responses(db, def, &vocab, "c2025", out.data, out.len, &errors);
	if (n < 0)
		fail_msg("%s", buf_str(&errors));
	assert_int_equal(n, 3);
	for (int i = 0; i < 3; i++) {
		long long id =
			one_id("SELECT id FROM responses WHERE campaign_id = ? ORDER BY id", to, i);
		assert_true(id > 0);
		assert_string_equal(dump(id), dump(ids[i]));
		struct response r, orig;
		assert_int_equal(survey_store_response_get(db, id, &ar, &r), 1);
		assert_int_equal(survey_store_response_get(db, ids[i], &ar, &orig), 1);
		assert_string_equal(r.source, "import");
		assert_int_equal(r.submitted, orig.submitted);
	}
	/* Consents of submitted responses are recorded as the site records them. */
	long long first =
		one_id("SELECT id FROM responses WHERE campaign_id = ? ORDER BY id", to, 0);
	assert_int_equal(
		one_id("SELECT count(*) FROM consents WHERE response_id = ? AND given", first, 0),
		1);
}

static void
import_with_problems_imports_nothing_and_says_where(void **state)
{
	(void)state;
	campaign("c2025");
	/* LF line ends, no byte-order mark; line 2's story runs over two lines. */
	const char *csv = "status,name,kind,staff,colour,story,stage,end_year,agree,sectors__agri,"
			  "where\n"
			  "draft,Awa,alien,12,blue,\"deux\nlignes\",,,,1,SN\n"
			  "submitted,,ngo,12x,,,going,2020,yes,,SN;XX\n"
			  "draft,'=Awa,company,5000,,,,,,2,\n"
			  "draft,Awa\n";
	struct buf errors;
	buf_init(&errors, &ar);
	assert_int_equal(import_responses(db, def, &vocab, "c2025", csv, strlen(csv), &errors), -1);
	assert_string_equal(buf_str(&errors),
			    "line 1, column 5 (colour): unknown column\n"
			    "line 2, column 3 (kind): unknown code \"alien\"\n"
			    "line 4, column 2 (name): an answer is needed\n"
			    "line 4, column 4 (staff): \"12x\" is not a whole number\n"
			    "line 4, column 8 (end_year): not asked of this response (it depends "
			    "on stage)\n"
			    "line 4, column 11 (where): unknown code \"XX\"\n"
			    "line 5, column 4 (staff): \"5000\" is not between 0 and 1000\n"
			    "line 5, column 10 (sectors__agri): \"2\": 1 (ticked), 0 or nothing\n"
			    "line 6: 2 cells, but the header has 11\n");
	assert_int_equal(one_id("SELECT count(*) FROM responses WHERE ? > 0", 1, 0), 0);

	/* Not CSV at all: where it breaks is said. */
	buf_init(&errors, &ar);
	const char *broken = "name\r\n\"open\r\n";
	assert_int_equal(
		import_responses(db, def, &vocab, "c2025", broken, strlen(broken), &errors), -1);
	assert_string_equal(buf_str(&errors), "line 2: not CSV: a quoted cell is never closed\n");
	/* A campaign of another questionnaire, or none. */
	buf_init(&errors, &ar);
	assert_int_equal(import_responses(db, def, &vocab, "nope", "name\n", 5, &errors), -1);
	assert_string_equal(buf_str(&errors), "no campaign named nope\n");
}

static void
import_reads_quoted_cells_crlf_and_a_byte_order_mark(void **state)
{
	(void)state;
	long long cid = campaign("c2025");
	const char *csv =
		"\xEF\xBB\xBF\"name\",\"story\",\"where\",\"partners__name__2\"\r\n"
		"\"Awa \"\"la grande\"\"\",\"un, deux\r\ntrois\",\" SN ; ML \",\"'-Beta\"\r\n"
		",,,\r\n"
		"Kadi,,,\r\n";
	struct buf errors;
	buf_init(&errors, &ar);
	long n = import_responses(db, def, &vocab, "c2025", csv, strlen(csv), &errors);
	if (n < 0)
		fail_msg("%s", buf_str(&errors));
	assert_int_equal(n, 2); /* the empty line is skipped */
	long long id = one_id("SELECT id FROM responses WHERE campaign_id = ? ORDER BY id", cid, 0);
	/* Longtexts keep their lines (as a browser sends them: LF); a group row moves up. */
	assert_string_equal(dump(id), "name|0|Awa \"la grande\"\n"
				      "partners.name|0|-Beta\n"
				      "story|0|un, deux\ntrois\n"
				      "where|0|ML\n"
				      "where|1|SN\n");
}

static void
import_reads_semicolons_as_french_spreadsheets_write_them(void **state)
{
	(void)state;
	long long cid = campaign("c2025");
	const char *csv = "status;name;where;sectors__agri;sectors__health;agree\r\n"
			  "submitted;Awa;\"SN;ML\";1;0;yes\r\n";
	struct buf errors;
	buf_init(&errors, &ar);
	long n = import_responses(db, def, &vocab, "c2025", csv, strlen(csv), &errors);
	if (n < 0)
		fail_msg("%s", buf_str(&errors));
	assert_int_equal(n, 1);
	long long id = one_id("SELECT id FROM responses WHERE campaign_id = ?", cid, 0);
	assert_string_equal(dump(id), "agree|0|yes\n"
				      "name|0|Awa\n"
				      "sectors|0|agri\n"
				      "where|0|ML\n"
				      "where|1|SN\n");
	struct response r;
	assert_int_equal(survey_store_response_get(db, id, &ar, &r), 1);
	assert_true(r.submitted);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			csv_has_one_column_per_option_and_row_and_never_a_formula, setup, teardown),
		cmocka_unit_test_setup_teardown(json_gives_back_the_same_answers, setup, teardown),
		cmocka_unit_test_setup_teardown(xlsx_is_a_workbook_with_a_codebook, setup,
						teardown),
		cmocka_unit_test_setup_teardown(import_gives_back_what_was_exported, setup,
						teardown),
		cmocka_unit_test_setup_teardown(import_with_problems_imports_nothing_and_says_where,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			import_reads_quoted_cells_crlf_and_a_byte_order_mark, setup, teardown),
		cmocka_unit_test_setup_teardown(
			import_reads_semicolons_as_french_spreadsheets_write_them, setup, teardown),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
