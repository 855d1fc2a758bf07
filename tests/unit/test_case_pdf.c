/* test_case_pdf.c - the printed case sheet (one A4 page whatever its texts, French accents, no
 * organisation name without the named consent, English words in English) and the event
 * booklet (cover, contents with the right page numbers, one sheet a case). Keeps
 * tests/artifacts/case-sheet.pdf, case-sheet.png and case-booklet.pdf to look at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "cases/cases.h"
#include "cases/case_pdf.h"

#define ARTIFACTS "tests/artifacts"

/* Fontconfig's one-off allocation, as in test_insight_report.c (tests/lsan.supp). */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libfontconfig\n";
}

/* ---- labels, as the vocabularies give them ---- */

static const char *const LABELS[][4] = {
	{"sector", "health", "Santé", "Health"},
	{"sector", "energy", "Énergie", "Energy"},
	{"country", "BF", "Burkina Faso", "Burkina Faso"},
	{"country", "CI", "Côte d’Ivoire", "Côte d’Ivoire"},
	{"country", "FR", "France", "France"},
	{"country", "CH", "Suisse", "Switzerland"},
	{"kind", "ngo", "ONG ou association", "NGO or association"},
	{"kind", "company_sme", "Entreprise — PME", "Company — SME"},
	{"type", "societal_innovation", "Innovation sociétale", "Societal innovation"},
	{"stage", "scaling", "En cours d’extension ou de duplication",
	 "Scaling up or being replicated"},
	{"outcome", "exceeded", "Objectifs dépassés, partenariat étendu ou reproduit",
	 "Objectives exceeded, scaled up or replicated"},
	{"resource", "skills_probono",
	 "Compétences et expertise (mécénat de compétences, pro bono)",
	 "Skills and pro bono expertise"},
	{"resource", "codesign_rd", "Co-conception, R&D et sites pilotes",
	 "Co-design, R&D and pilot sites"},
	{"resource", "field_knowledge", "Connaissance du terrain et évaluation des besoins",
	 "Field knowledge and needs assessment"},
	{"resource", "community_access", "Accès aux communautés et aux réseaux locaux",
	 "Access to communities and local networks"},
	{"factor", "shared_objectives", "Des objectifs communs et explicites",
	 "Shared, explicit objectives"},
	{"factor", "trust", "La confiance entre les référents", "Trust between the focal persons"},
	{"factor", "local_anchoring", "Un ancrage local (communautés, autorités, plans nationaux)",
	 "Local anchoring (communities, authorities, national plans)"},
	{"obstacle", "turnover", "Le départ de personnes clés ou du porteur",
	 "Staff turnover or loss of the champion"},
	{"obstacle", "short_horizon", "Des budgets à trop court terme", "A short budget horizon"},
	{"sdg", "sdg3", "ODD 3 — Bonne santé et bien-être", "SDG 3 — Good health and well-being"},
	{"sdg", "sdg7", "ODD 7 — Énergie propre et d’un coût abordable",
	 "SDG 7 — Affordable and clean energy"},
};

/* ctx: "fr" or "en". Codes it does not know come back as the codes. */
static const char *
label(void *ctx, const char *kind, const char *code)
{
	int en = strcmp(ctx, "en") == 0;
	for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
		if (strcmp(LABELS[i][0], kind) == 0 && strcmp(LABELS[i][1], code) == 0)
			return LABELS[i][2 + en];
	return NULL;
}

static struct case_public
sterilizer(void)
{
	return (struct case_public){
		.id = 42,
		.named = true,
		.title = "Un stérilisateur « basse énergie » pour les centres de santé ruraux",
		.summary = "Les centres de santé ruraux du Burkina Faso stérilisaient leurs "
			   "instruments au charbon de bois, faute d’électricité fiable. L’ONG a "
			   "décrit le besoin ; la PME savoyarde a conçu un stérilisateur solaire à "
			   "faible coût, testé pendant six mois dans trois dispensaires.\n"
			   "Les infirmières ont été associées à chaque étape : leur avis a changé "
			   "la forme du panier et la durée du cycle.",
		.results = "Douze centres équipés en 2023 ; des infections post-opératoires en "
			   "baisse, selon le suivi du district sanitaire.",
		.lessons = "Associer les utilisateurs dès la conception. Prévoir la maintenance "
			   "locale avant de livrer le premier appareil.",
		.org = "Santé Sahel",
		.partner = "Solaris Équipements",
		.org_kind = "ngo",
		.org_country = "BF",
		.partner_kind = "company_sme",
		.partner_country = "FR",
		.org_brought = "field_knowledge community_access",
		.partner_brought = "skills_probono codesign_rd",
		.sectors = "health energy",
		.countries = "BF",
		.type = "societal_innovation",
		.stage = "scaling",
		.outcome = "exceeded",
		.resources = "field_knowledge community_access skills_probono codesign_rd",
		.factors = "shared_objectives trust local_anchoring",
		.obstacles = "turnover short_horizon",
		.sdgs = "sdg3 sdg7",
		.start_year = 2021,
		.may_contact = true,
		.published_at = "2025-03-12T09:30:00Z",
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

static void
assert_whole_pdf(const struct buf *b)
{
	assert_true(b->len > 1000);
	assert_memory_equal(b->data, "%PDF-", 5);
	size_t end = b->len;
	while (end > 0 && (b->data[end - 1] == '\n' || b->data[end - 1] == '\r'))
		end--;
	assert_true(end >= 5);
	assert_memory_equal(b->data + end - 5, "%%EOF", 5);
}

/* Page objects ("/Type /Page", not "/Type /Pages") in the file as cairo writes it. */
static int
page_objects(const struct buf *b)
{
	int n = 0;
	const char *key = "/Type /Page";
	size_t k = strlen(key);
	for (size_t i = 0; i + k < b->len; i++)
		if (memcmp(b->data + i, key, k) == 0 && b->data[i + k] != 's')
			n++;
	return n;
}

/* Writes the PDF to path; its page count, by pdfinfo when there is one, and always by its
 * page objects. */
static int
pages(const struct buf *b, const char *path)
{
	write_file(path, b);
	int objects = page_objects(b);
	if (have("pdfinfo")) {
		struct buf info;
		buf_init(&info, NULL);
		char cmd[256];
		snprintf(cmd, sizeof cmd, "pdfinfo %s", path);
		assert_int_equal(run(cmd, &info), 0);
		const char *p = strstr(buf_str(&info), "\nPages:");
		assert_non_null(p);
		assert_int_equal(atoi(p + strlen("\nPages:")), objects);
		buf_free(&info);
	}
	return objects;
}

/* The text of pages first..last (0: to the end) of the PDF at path, into text; false (the
 * test then checks less) without pdftotext. layout keeps each line's pieces together. */
static bool
text_of(const char *path, int first, int last, bool layout, struct buf *text)
{
	if (!have("pdftotext")) {
		print_message("pdftotext missing (Debian poppler-utils): text not checked\n");
		return false;
	}
	char cmd[512], range[32] = "";
	if (last)
		snprintf(range, sizeof range, "-l %d", last);
	snprintf(cmd, sizeof cmd, "pdftotext -enc UTF-8 %s -f %d %s %s -", layout ? "-layout" : "",
		 first, range, path);
	buf_reset(text);
	assert_int_equal(run(cmd, text), 0);
	return true;
}

static const char *
temp_pdf(char *path)
{
	int fd = mkstemps(path, 4);
	assert_true(fd >= 0);
	close(fd);
	return path;
}

static void
sheet(const struct case_public *c, const char *lang, struct buf *b)
{
	char err[128] = "";
	assert_int_equal(case_sheet_pdf(c, lang, label, (void *)lang, b, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_whole_pdf(b);
}

/* ---- the sheet ---- */

static void
test_sheet_in_french_is_one_readable_page(void **state)
{
	(void)state;
	struct case_public c = sterilizer();
	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	sheet(&c, "fr", &b);

	mkdir(ARTIFACTS, 0755);
	const char *pdf = ARTIFACTS "/case-sheet.pdf";
	assert_int_equal(pages(&b, pdf), 1);
	if (text_of(pdf, 1, 0, false, &text)) {
		const char *s = buf_str(&text);
		assert_non_null(strstr(s, "COEXIST — partenariats ONG–entreprises"));
		assert_non_null(strstr(s, "Cluster transfrontalier de solidarité internationale"));
		assert_non_null(strstr(s, "Cas n° 42"));
		assert_non_null(strstr(s, "Un stérilisateur « basse énergie » pour les centres"));
		assert_non_null(strstr(s, "L’histoire"));
		assert_non_null(strstr(s, "faute d’électricité fiable"));
		assert_non_null(strstr(s, "Les infirmières ont été associées"));
		assert_non_null(strstr(s, "Les leçons"));
		assert_non_null(strstr(s, "Associer les utilisateurs dès la conception."));
		/* The parties, by name with the named consent, and what each brought. */
		assert_non_null(strstr(s, "Santé Sahel"));
		assert_non_null(strstr(s, "Solaris Équipements"));
		assert_non_null(strstr(s, "ONG ou association · Burkina Faso"));
		assert_non_null(strstr(s, "A apporté :"));
		assert_non_null(strstr(s, "Connaissance du terrain"));
		assert_non_null(strstr(s, "Co-conception, R&D"));
		/* Key facts, factors and obstacles, as labels and not codes. */
		assert_non_null(strstr(s, "En bref"));
		assert_non_null(strstr(s, "Innovation sociétale"));
		assert_non_null(strstr(s, "2021"));
		assert_non_null(strstr(s, "ODD 3 — Bonne santé et bien-être"));
		assert_non_null(strstr(s, "La confiance entre les référents"));
		assert_non_null(strstr(s, "Des budgets à trop court terme"));
		assert_null(strstr(s, "short_horizon"));
		assert_null(strstr(s, "…")); /* nothing had to be cut */
		assert_non_null(strstr(s, "Publié le 12 mars 2025 · /cases/42"));
		assert_null(strstr(s, "page 1")); /* a sheet has no page number */
	}

	if (have("pdftoppm")) {
		struct buf out;
		buf_init(&out, NULL);
		assert_int_equal(run("pdftoppm -png -r 60 -f 1 -l 1 -singlefile " ARTIFACTS
				     "/case-sheet.pdf " ARTIFACTS "/case-sheet 2>&1",
				     &out),
				 0);
		struct stat st;
		assert_int_equal(stat(ARTIFACTS "/case-sheet.png", &st), 0);
		assert_true(st.st_size > 1000);
		buf_free(&out);
	} else {
		print_message("pdftoppm missing (Debian poppler-utils): no PNG of the sheet\n");
	}
	buf_free(&b);
	buf_free(&text);
}

/* Repeats s n times, separated by spaces, in b. */
static const char *
repeat(struct buf *b, const char *s, int n)
{
	buf_reset(b);
	for (int i = 0; i < n; i++) {
		if (i)
			buf_putc(b, ' ');
		buf_puts(b, s);
	}
	return buf_str(b);
}

static void
test_sheet_with_very_long_texts_stays_one_page(void **state)
{
	(void)state;
	struct case_public c = sterilizer();
	struct buf t, s1, s2, s3, codes, b, text;
	buf_init(&t, NULL);
	buf_init(&s1, NULL);
	buf_init(&s2, NULL);
	buf_init(&s3, NULL);
	buf_init(&codes, NULL);
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	c.title = repeat(&t, "Un titre très long, écrit sans retenue,", 12);
	c.summary =
		repeat(&s1, "L’équipe a travaillé « main dans la main » avec les centres.", 300);
	c.results = repeat(&s2, "Des résultats décrits en détail, année après année.", 200);
	c.lessons = repeat(&s3, "Écouter d’abord ; livrer ensuite.", 400);
	c.org = "Une association dont le nom est lui aussi d’une longueur tout à fait "
		"déraisonnable "
		"pour une fiche";
	/* Every factor and obstacle of the vocabularies, unknown codes shown as codes, and
	 * hundreds of them where someone made a mistake. */
	for (int i = 0; i < 400; i++)
		buf_printf(&codes, "%scode_inconnu_numero_%d", i ? " " : "", i);
	c.factors = buf_str(&codes);
	c.obstacles = buf_str(&codes);
	c.sdgs = "sdg1 sdg2 sdg3 sdg4 sdg5 sdg6 sdg7 sdg8 sdg9 sdg10 sdg11 sdg12 sdg13 sdg14 sdg15 "
		 "sdg16 sdg17";
	c.partner_brought = c.resources;
	c.org_brought = c.resources;

	sheet(&c, "fr", &b);
	char path[] = "/tmp/coexist-case-sheet-XXXXXX.pdf";
	temp_pdf(path);
	assert_int_equal(pages(&b, path), 1);
	if (text_of(path, 1, 0, false, &text)) {
		const char *s = buf_str(&text);
		assert_non_null(strstr(s, "Un titre très long"));
		assert_non_null(strstr(s, "L’équipe a travaillé « main dans la main »"));
		assert_non_null(strstr(s, "Écouter d’abord ; livrer ensuite."));
		assert_non_null(strstr(s, "…")); /* cut, and saying so */
		assert_non_null(
			strstr(s, "Publié le 12 mars 2025")); /* the footer is still there */
	}
	unlink(path);

	/* An empty case is one page too. */
	struct case_public bare = {.id = 7};
	buf_reset(&b);
	sheet(&bare, "fr", &b);
	assert_int_equal(page_objects(&b), 1);

	buf_free(&t);
	buf_free(&s1);
	buf_free(&s2);
	buf_free(&s3);
	buf_free(&codes);
	buf_free(&b);
	buf_free(&text);
}

static void
test_anonymised_sheet_shows_kind_and_country_never_the_name(void **state)
{
	(void)state;
	struct case_public c = sterilizer();
	c.named = false;
	/* The projection blanks the names; the sheet must not print one that slipped through. */
	c.org = "CANARY-ORG";
	c.partner = "CANARY-PARTNER";
	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	sheet(&c, "fr", &b);
	assert_null(memmem(b.data, b.len, "CANARY", 6)); /* not in the metadata either */
	char path[] = "/tmp/coexist-case-anon-XXXXXX.pdf";
	temp_pdf(path);
	assert_int_equal(pages(&b, path), 1);
	if (text_of(path, 1, 0, false, &text)) {
		const char *s = buf_str(&text);
		assert_null(strstr(s, "CANARY"));
		assert_non_null(strstr(s, "ONG ou association (Burkina Faso)"));
		assert_non_null(strstr(s, "Entreprise — PME (France)"));
	}
	unlink(path);

	/* A party with no kind or country is still named by neither. */
	c.partner_kind = "";
	c.partner_country = "";
	buf_reset(&b);
	sheet(&c, "fr", &b);
	char path2[] = "/tmp/coexist-case-anon-XXXXXX.pdf";
	temp_pdf(path2);
	write_file(path2, &b);
	if (text_of(path2, 1, 0, false, &text)) {
		assert_null(strstr(buf_str(&text), "CANARY"));
		assert_non_null(strstr(buf_str(&text), "Partenaire non précisé"));
	}
	unlink(path2);
	buf_free(&b);
	buf_free(&text);
}

static void
test_english_sheet_uses_english_words(void **state)
{
	(void)state;
	struct case_public c = sterilizer();
	c.title = "A low-energy sterilizer for rural health centres";
	c.summary = "Rural health centres sterilised their instruments over charcoal.";
	c.results = "";
	c.lessons = "Involve the users from the start.";
	c.published_at = NULL; /* a case in review, shown at an event */
	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	sheet(&c, "en", &b);
	char path[] = "/tmp/coexist-case-en-XXXXXX.pdf";
	temp_pdf(path);
	assert_int_equal(pages(&b, path), 1);
	if (text_of(path, 1, 0, false, &text)) {
		const char *s = buf_str(&text);
		assert_non_null(strstr(s, "COEXIST — NGO–company partnerships"));
		assert_non_null(strstr(s, "Cross-border international solidarity cluster"));
		assert_non_null(strstr(s, "Case no. 42"));
		assert_non_null(strstr(s, "The story"));
		assert_non_null(strstr(s, "Lessons learnt"));
		assert_non_null(strstr(s, "Key facts"));
		assert_non_null(strstr(s, "What helped"));
		assert_non_null(strstr(s, "Obstacles met"));
		assert_non_null(strstr(s, "Brought:"));
		assert_non_null(strstr(s, "Societal innovation"));
		assert_non_null(strstr(s, "Trust between the focal persons"));
		assert_non_null(strstr(s, "not yet published online"));
		assert_null(strstr(s, "What came of it")); /* no results, no heading */
		assert_null(strstr(s, "L’histoire"));
		assert_null(strstr(s, "En bref"));
		assert_null(strstr(s, "Publié"));
	}
	unlink(path);
	buf_free(&b);
	buf_free(&text);
}

static void
test_sheet_refuses_no_case(void **state)
{
	(void)state;
	struct buf b;
	buf_init(&b, NULL);
	buf_puts(&b, "before");
	char err[128] = "";
	assert_int_equal(case_sheet_pdf(NULL, "fr", label, "fr", &b, err, sizeof err), -1);
	assert_true(err[0] != '\0');
	assert_string_equal(buf_str(&b), "before");
	const struct case_public *none[] = {NULL};
	assert_int_equal(case_booklet_pdf(none, 1, "fr", "x", label, "fr", &b, err, sizeof err),
			 -1);
	assert_int_equal(case_booklet_pdf(none, 0, "fr", "x", label, "fr", &b, err, sizeof err),
			 -1);
	assert_string_equal(buf_str(&b), "before");
	buf_free(&b);
}

/* ---- the booklet ---- */

static void
test_booklet_has_cover_contents_and_one_page_a_case(void **state)
{
	(void)state;
	struct case_public c[3] = {sterilizer(), sterilizer(), sterilizer()};
	c[1].id = 43;
	c[1].title = "Des kiosques d’eau potable gérés par des femmes à Bouaké";
	c[1].named = false;
	c[1].org = "";
	c[1].partner = "";
	c[1].countries = "CI";
	c[1].org_country = "CI";
	c[2].id = 44;
	c[2].title = "Former des techniciens solaires avec une entreprise genevoise";
	c[2].partner_country = "CH";
	c[2].summary = "Une histoire courte.";
	const struct case_public *list[3] = {&c[0], &c[1], &c[2]};

	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	char err[128] = "";
	assert_int_equal(case_booklet_pdf(list, 3, "fr", "Rencontres COEXIST — juin 2025", label,
					  "fr", &b, err, sizeof err),
			 0);
	assert_whole_pdf(&b);
	mkdir(ARTIFACTS, 0755);
	const char *pdf = ARTIFACTS "/case-booklet.pdf";
	assert_int_equal(pages(&b, pdf), 1 + 1 + 3);
	if (!text_of(pdf, 1, 1, false, &text)) {
		buf_free(&b);
		buf_free(&text);
		return;
	}
	assert_non_null(strstr(buf_str(&text), "Rencontres COEXIST"));
	assert_non_null(strstr(buf_str(&text), "partenariats présentés"));
	assert_non_null(strstr(buf_str(&text), "Établi le"));

	/* The contents: each title on the line of its page number. */
	text_of(pdf, 2, 2, true, &text);
	const char *s = buf_str(&text);
	assert_non_null(strstr(s, "Sommaire"));
	const char *titles[3] = {"Un stérilisateur « basse énergie »",
				 "Des kiosques d’eau potable gérés par des femmes à Bouaké",
				 "Former des techniciens solaires avec une entreprise genevoise"};
	for (int i = 0; i < 3; i++) {
		const char *at = strstr(s, titles[i]);
		assert_non_null(at);
		size_t n = strcspn(at, "\n");
		while (n > 0 && at[n - 1] == ' ')
			n--;
		char want[16];
		snprintf(want, sizeof want, " %d", 3 + i);
		assert_true(n > 2);
		assert_memory_equal(at + n - 2, want, 2);
	}
	assert_non_null(strstr(s, "Santé · Énergie — Côte d’Ivoire"));

	/* And each sheet on the page the contents give it, with its page number (the start of
	 * its title: a sheet sets titles larger, on two lines). */
	const char *starts[3] = {"Un stérilisateur", "Des kiosques d’eau potable",
				 "Former des techniciens solaires"};
	for (int i = 0; i < 3; i++) {
		text_of(pdf, 3 + i, 3 + i, false, &text);
		s = buf_str(&text);
		assert_non_null(strstr(s, starts[i]));
		for (int j = 0; j < 3; j++)
			if (j != i)
				assert_null(strstr(s, starts[j]));
		char page[32];
		snprintf(page, sizeof page, "page %d", 3 + i);
		assert_non_null(strstr(s, page));
	}
	text_of(pdf, 4, 4, false, &text);
	assert_non_null(strstr(buf_str(&text), "ONG ou association (Côte d’Ivoire)"));
	/* The contents link to the sheets. */
	if (have("pdfinfo")) {
		buf_reset(&text);
		assert_int_equal(run("pdfinfo -dests " ARTIFACTS "/case-booklet.pdf", &text), 0);
		for (int i = 0; i < 3; i++) {
			char dest[32];
			snprintf(dest, sizeof dest, "\"case-%d\"", i + 1);
			const char *at = strstr(buf_str(&text), dest);
			assert_non_null(at);
			while (at > buf_str(&text) && at[-1] != '\n')
				at--;
			assert_int_equal(atoi(at), 3 + i);
		}
	}
	assert_null(strstr(buf_str(&text), "Santé Sahel"));

	/* In English, a title by default. */
	buf_reset(&b);
	assert_int_equal(case_booklet_pdf(list, 3, "en", NULL, label, "en", &b, err, sizeof err),
			 0);
	char path[] = "/tmp/coexist-case-booklet-XXXXXX.pdf";
	temp_pdf(path);
	assert_int_equal(pages(&b, path), 5);
	text_of(path, 1, 2, false, &text);
	assert_non_null(strstr(buf_str(&text), "NGO–company partnerships"));
	assert_non_null(strstr(buf_str(&text), "partnerships presented"));
	assert_non_null(strstr(buf_str(&text), "Contents"));
	unlink(path);
	buf_free(&b);
	buf_free(&text);
}

static void
test_long_booklet_contents_run_onto_more_pages(void **state)
{
	(void)state;
	enum { N = 40 };
	static struct case_public c[N];
	const struct case_public *list[N];
	char titles[N][64];
	for (int i = 0; i < N; i++) {
		c[i] = sterilizer();
		c[i].id = 100 + i;
		snprintf(titles[i], sizeof titles[i], "Partenariat numéro %d", i + 1);
		c[i].title = titles[i];
		list[i] = &c[i];
	}
	struct buf b, text;
	buf_init(&b, NULL);
	buf_init(&text, NULL);
	char err[128] = "";
	assert_int_equal(
		case_booklet_pdf(list, N, "fr", "Quarante cas", label, "fr", &b, err, sizeof err),
		0);
	char path[] = "/tmp/coexist-case-booklet-XXXXXX.pdf";
	temp_pdf(path);
	int total = pages(&b, path);
	int toc = total - 1 - N;
	assert_true(toc >= 2);
	/* The last case is on the last page, and the contents say so. */
	if (text_of(path, total, total, false, &text)) {
		assert_non_null(strstr(buf_str(&text), "Partenariat numéro 40"));
		text_of(path, 2, 1 + toc, true, &text);
		const char *at = strstr(buf_str(&text), "Partenariat numéro 40");
		assert_non_null(at);
		char want[16];
		snprintf(want, sizeof want, " %d", total);
		size_t n = strcspn(at, "\n");
		assert_non_null(memmem(at, n, want, strlen(want)));
	}
	unlink(path);
	buf_free(&b);
	buf_free(&text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sheet_in_french_is_one_readable_page),
		cmocka_unit_test(test_sheet_with_very_long_texts_stays_one_page),
		cmocka_unit_test(test_anonymised_sheet_shows_kind_and_country_never_the_name),
		cmocka_unit_test(test_english_sheet_uses_english_words),
		cmocka_unit_test(test_sheet_refuses_no_case),
		cmocka_unit_test(test_booklet_has_cover_contents_and_one_page_a_case),
		cmocka_unit_test(test_long_booklet_contents_run_onto_more_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
