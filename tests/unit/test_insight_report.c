/* test_insight_report.c - the analysis report as PDF (readable text, French accents, pages) and
 * as XLSX (a zip with the expected sheets, figures as numbers), from results built by hand.
 * Keeps tests/artifacts/insight-report.pdf and a PNG of its first page to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "base/buf.h"
#include "insight/insight.h"
#include "learn/insight_report.h"

#define ARTIFACTS "tests/artifacts"

/* Fontconfig, which cairo asks for "DejaVu Sans", allocates about 1 KB once per process that
 * LeakSanitizer cannot see it still holds (the same amount after 1 or 20 reports): not ours to
 * free, so it is not reported under SAN=1. Ignored by builds without the sanitizer. */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig\n";
}

/* ---- results, as the engine would give them ---- */

static const char *const LABELS[][2] = {
	{"factor:trust", "Confiance réciproque « établie »"},
	{"agreement:contract", "Accord écrit signé"},
	{"governance:focal_persons", "Référents désignés de part et d’autre"},
	{"resource:skills_probono", "Mécénat de compétences"},
	{"type:giving", "Don de produits"},
	{"obstacle:turnover", "Rotation du personnel"},
	{"obstacle:delays", "Délais administratifs"},
};

static const char *
label(void *ctx, const char *item)
{
	(void)ctx;
	for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
		if (strcmp(LABELS[i][0], item) == 0)
			return LABELS[i][1];
	return NULL;
}

#define NFACTORS 60 /* enough for the factor table to run onto another page */

static struct ifactor factor_rows[NFACTORS];
static char factor_items[NFACTORS][32];
static const char *set1[] = {"agreement:contract", "factor:trust"};
static const char *set2[] = {"agreement:contract", "governance:focal_persons",
			     "resource:skills_probono"};
static struct iitemset sets[] = {
	{set1, 2, 24, 5, 0.6, 0.25, 1.4, 0.83, 0.004, 0.02},
	{set2, 3, 15, 2, 0.375, 0.1, 1.5, 0.88, 0.01, 0.04},
};
static const char *common[] = {"factor:trust", "governance:focal_persons"};
static double common_share[] = {0.8, 0.6};
static struct iobstacle obstacle_rows[] = {
	{"obstacle:turnover", 18, 9, 5, 4, common, common_share, 2, NULL, NULL, 0},
	{"obstacle:delays", 11, 2, 3, 6, NULL, NULL, 0, NULL, NULL, 0},
};
static struct iterm success_terms[] = {
	{"confianc", "confiance", 3.2, 14, 2, NULL, 16},
	{"écout", "écoute", 2.1, 9, 1, NULL, 10},
};
static struct iterm failure_terms[] = {
	{"délai", "délais", -2.8, 1, 9, NULL, 10},
};
static struct ipair_factor pair_rows[] = {
	{"factor:trust", 4, 1, 2, 1, 0.625},
	{"agreement:contract", 6, 0, 1, 1, 0.875},
};

static struct ifactors factors;
static struct iitemsets itemsets = {sets, 2, sets + 1, 1};
static struct iobstacles obstacles = {obstacle_rows, 2};
static struct iterms terms = {success_terms, 2, failure_terms, 1};
static struct ipairs pairs = {8, 6, pair_rows, 2};

static void
build_factors(void)
{
	static const char *const named[] = {"agreement:contract", "factor:trust",
					    "governance:focal_persons", "resource:skills_probono"};
	for (int i = 0; i < NFACTORS; i++) {
		struct ifactor *f = &factor_rows[i];
		if (i < 4)
			snprintf(factor_items[i], sizeof factor_items[i], "%s", named[i]);
		else
			snprintf(factor_items[i], sizeof factor_items[i], "factor:f%02d", i);
		f->item = factor_items[i];
		f->success = 40;
		f->failure = 22;
		f->with_success = 32 - (i % 20);
		f->with_failure = 8 + (i % 12);
		f->share_success = (double)f->with_success / 40;
		f->share_failure = (double)f->with_failure / 22;
		f->odds_ratio = 4.0 / (1 + i * 0.15);
		f->ci_low = f->odds_ratio / 2.2;
		f->ci_high = f->odds_ratio * 2.2;
		f->p = 0.0005 * (i + 1);
		f->q = 0.0009 * (i + 1);
		f->too_few = i % 7 == 3;
	}
	factors = (struct ifactors){factor_rows, NFACTORS, 40, 22, 9};
}

static struct insight_report
report(const char *lang)
{
	build_factors();
	return (struct insight_report){
		.title = "Pourquoi les partenariats réussissent — l’analyse",
		.subtitle = "Campagne 2024 · cas déclarés par les ONG et les entreprises",
		.lang = lang,
		.ncases = 62,
		.nsuccess = 40,
		.nfailure = 22,
		.left_out = 9,
		.factors = &factors,
		.itemsets = &itemsets,
		.obstacles = &obstacles,
		.terms = &terms,
		.pairs = &pairs,
		.label = label,
		.caveat = NULL,
	};
}

/* ---- helpers ---- */

static void
write_file(const char *path, const struct buf *b)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b->data, 1, b->len, f), b->len);
	assert_int_equal(fclose(f), 0);
}

/* The output of a command, into b; returns its exit status. */
static int
run(const char *cmd, struct buf *b)
{
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, got);
	buf_puts(b, "");
	int st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static bool
have(const char *program)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", program);
	return system(cmd) == 0;
}

/* ---- PDF ---- */

static void
test_pdf_is_a_whole_pdf(void **state)
{
	(void)state;
	struct insight_report r = report("fr");
	struct buf b;
	buf_init(&b, NULL);
	buf_puts(&b, "");
	char err[128] = "";
	assert_int_equal(insight_report_pdf(&r, &b, err, sizeof err), 0);
	assert_true(b.len > 5000);
	assert_memory_equal(b.data, "%PDF-", 5);
	size_t end = b.len;
	while (end > 0 && (b.data[end - 1] == '\n' || b.data[end - 1] == '\r'))
		end--;
	assert_true(end >= 5);
	assert_memory_equal(b.data + end - 5, "%%EOF", 5);
	buf_free(&b);
}

static void
test_pdf_text_reads_back_with_accents(void **state)
{
	(void)state;
	if (!have("pdftotext")) {
		print_message("pdftotext missing (Debian poppler-utils): text not checked\n");
		skip();
	}
	struct insight_report r = report("fr");
	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	char err[128] = "";
	assert_int_equal(insight_report_pdf(&r, &b, err, sizeof err), 0);

	/* Kept as an artifact to look at, with a picture of its first page. */
	mkdir(ARTIFACTS, 0755);
	const char *pdf = ARTIFACTS "/insight-report.pdf";
	write_file(pdf, &b);
	assert_int_equal(run("pdftotext -enc UTF-8 " ARTIFACTS "/insight-report.pdf -", &text), 0);
	const char *s = buf_str(&text);
	assert_non_null(strstr(s, "Pourquoi les partenariats réussissent — l’analyse"));
	assert_non_null(strstr(s, "Confiance réciproque « établie »"));
	assert_non_null(strstr(s, "Référents désignés de part et d’autre"));
	assert_non_null(strstr(s, "Mécénat de compétences"));
	assert_non_null(strstr(s, "Ce qui va avec la réussite"));
	assert_non_null(strstr(s, "Rotation du personnel"));
	assert_non_null(strstr(s, "confiance"));
	assert_non_null(strstr(s, "À lire avec prudence"));
	assert_non_null(strstr(s, "2,20")); /* French decimals */
	/* Sixty factors do not fit on one page: the table goes on, its header repeated. */
	assert_non_null(strstr(s, "page 2"));
	const char *head = strstr(s, "Succès sans");
	assert_non_null(head);
	assert_non_null(strstr(head + 1, "Succès sans"));

	if (have("pdftoppm")) {
		struct buf out;
		buf_init(&out, NULL);
		assert_int_equal(run("pdftoppm -png -r 60 -f 1 -l 1 -singlefile " ARTIFACTS
				     "/insight-report.pdf " ARTIFACTS "/insight-report 2>&1",
				     &out),
				 0);
		struct stat st;
		assert_int_equal(stat(ARTIFACTS "/insight-report.png", &st), 0);
		assert_true(st.st_size > 1000);
		buf_free(&out);
	} else {
		print_message(
			"pdftoppm missing (Debian poppler-utils): no PNG of the first page\n");
	}
	buf_free(&b);
	buf_free(&text);
}

static void
test_pdf_in_english_and_with_parts_missing(void **state)
{
	(void)state;
	struct insight_report r = report("en");
	r.itemsets = NULL;
	r.terms = NULL;
	r.pairs = NULL;
	r.caveat = "Self-reported data.";
	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	char err[128] = "";
	assert_int_equal(insight_report_pdf(&r, &b, err, sizeof err), 0);
	assert_memory_equal(b.data, "%PDF-", 5);
	if (have("pdftotext")) {
		char path[] = "/tmp/coexist-test-report-XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		close(fd);
		write_file(path, &b);
		char cmd[128];
		snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -", path);
		assert_int_equal(run(cmd, &text), 0);
		unlink(path);
		const char *s = buf_str(&text);
		assert_non_null(strstr(s, "What goes with success"));
		assert_non_null(strstr(s, "Self-reported data."));
		assert_null(strstr(s, "What successful partnerships share"));
	}

	/* Nothing but the cover, and a label that is not UTF-8: still a PDF. */
	buf_reset(&b);
	struct insight_report bare = {.title = "Titre \xff\xfe cassé", .lang = "fr"};
	assert_int_equal(insight_report_pdf(&bare, &b, err, sizeof err), 0);
	assert_memory_equal(b.data, "%PDF-", 5);
	buf_free(&b);
	buf_free(&text);
}

/* ---- XLSX: a zip read through its central directory ---- */

static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t
le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

/* Finds a member of the zip; returns its uncompressed contents (malloc'd, NUL-terminated) or
 * NULL. names, when not NULL, gets every member name, one a line. */
static char *
zip_member(const struct buf *zip, const char *want, struct buf *names)
{
	const unsigned char *z = (const unsigned char *)zip->data;
	size_t n = zip->len, eocd = 0;
	for (size_t i = n >= 22 ? n - 22 : 0; i > 0; i--)
		if (le32(z + i) == 0x06054b50) {
			eocd = i;
			break;
		}
	assert_true(eocd > 0);
	size_t entries = le16(z + eocd + 10), off = le32(z + eocd + 16);
	char *found = NULL;
	for (size_t e = 0; e < entries; e++) {
		assert_true(off + 46 <= n);
		assert_int_equal(le32(z + off), 0x02014b50);
		uint16_t method = le16(z + off + 10);
		uint32_t csize = le32(z + off + 20), usize = le32(z + off + 24);
		uint16_t nlen = le16(z + off + 28), xlen = le16(z + off + 30),
			 clen = le16(z + off + 32);
		uint32_t local = le32(z + off + 42);
		const char *name = (const char *)z + off + 46;
		if (names) {
			buf_add(names, name, nlen);
			buf_putc(names, '\n');
		}
		if (found == NULL && strlen(want) == nlen && memcmp(name, want, nlen) == 0) {
			const unsigned char *lh = z + local;
			assert_int_equal(le32(lh), 0x04034b50);
			const unsigned char *data = lh + 30 + le16(lh + 26) + le16(lh + 28);
			found = calloc(1, usize + 1);
			assert_non_null(found);
			if (method == 0) {
				memcpy(found, data, usize);
			} else {
				assert_int_equal(method, 8);
				z_stream zs = {0};
				assert_int_equal(inflateInit2(&zs, -MAX_WBITS), Z_OK);
				zs.next_in = (unsigned char *)data;
				zs.avail_in = csize;
				zs.next_out = (unsigned char *)found;
				zs.avail_out = usize;
				assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
				inflateEnd(&zs);
			}
		}
		off += 46 + nlen + xlen + clen;
	}
	return found;
}

static void
test_xlsx_has_its_sheets_and_numbers(void **state)
{
	(void)state;
	struct insight_report r = report("fr");
	struct buf b, names;
	buf_init(&b, NULL);
	buf_init(&names, NULL);
	char err[128] = "";
	assert_int_equal(insight_report_xlsx(&r, &b, err, sizeof err), 0);
	assert_memory_equal(b.data, "PK", 2);

	char *wb = zip_member(&b, "xl/workbook.xml", &names);
	assert_non_null(wb);
	for (int i = 1; i <= 6; i++) {
		char sheet[64];
		snprintf(sheet, sizeof sheet, "xl/worksheets/sheet%d.xml\n", i);
		assert_non_null(strstr(buf_str(&names), sheet));
	}
	const char *order[] = {"factors", "combinations", "obstacles",
			       "words",   "partners",     "about"};
	const char *at = wb;
	for (size_t i = 0; i < 6; i++) {
		char tag[64];
		snprintf(tag, sizeof tag, "<sheet name=\"%s\"", order[i]);
		at = strstr(at, tag);
		assert_non_null(at);
	}

	/* The factors sheet: header frozen, figures as numbers (no t="s"), no "nan". */
	char *s1 = zip_member(&b, "xl/worksheets/sheet1.xml", NULL);
	assert_non_null(s1);
	assert_non_null(strstr(s1, "<pane ySplit=\"1\""));
	assert_non_null(strstr(s1, "<c r=\"C2\"><v>32</v></c>"));
	assert_non_null(strstr(s1, "<c r=\"K2\" s=\""));
	assert_null(strstr(s1, "nan"));
	char *strings = zip_member(&b, "xl/sharedStrings.xml", NULL);
	assert_non_null(strings);
	assert_non_null(strstr(strings, "Confiance réciproque « établie »"));
	assert_non_null(strstr(strings, "Rapport de cotes"));
	free(wb);
	free(s1);
	free(strings);
	buf_free(&b);
	buf_free(&names);
}

static void
test_xlsx_with_nothing_but_counts(void **state)
{
	(void)state;
	struct insight_report r = {.title = "Vide", .lang = "en", .ncases = 0};
	struct buf b;
	buf_init(&b, NULL);
	char err[128] = "";
	assert_int_equal(insight_report_xlsx(&r, &b, err, sizeof err), 0);
	assert_memory_equal(b.data, "PK", 2);
	char *s6 = zip_member(&b, "xl/worksheets/sheet6.xml", NULL);
	assert_non_null(s6);
	free(s6);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_is_a_whole_pdf),
		cmocka_unit_test(test_pdf_text_reads_back_with_accents),
		cmocka_unit_test(test_pdf_in_english_and_with_parts_missing),
		cmocka_unit_test(test_xlsx_has_its_sheets_and_numbers),
		cmocka_unit_test(test_xlsx_with_nothing_but_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
