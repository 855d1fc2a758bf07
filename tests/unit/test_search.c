/* test_search.c - the catalogue's search in French: accents, plurals and verb forms, ranking,
 * highlighting, the user's text never read as FTS5 syntax, suggestions, removal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/fold.h"
#include "cases/search.h"
#include "db/db.h"
#include "db/migrate.h"
#include "db_query.h"

struct fixture {
	struct db *db;
	struct arena a;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	char err[256];
	search_init();
	f->db = db_open(":memory:", 1000, err, sizeof(err));
	assert_non_null(f->db);
	assert_true(migrate_apply(f->db, db_migrations, db_migrations_count, err, sizeof(err)) > 0);
	arena_init(&f->a, 4096);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	arena_free(&f->a);
	db_close(f->db);
	free(f);
	return 0;
}

static void
put(struct fixture *f, long long id, const char *title, const char *body)
{
	assert_int_equal(search_store_put(f->db, id, title, body), 0);
}

/* The ids found for q, in order, as "1,2,3" ("" for none); fails the test on an error. */
static const char *
ids(struct fixture *f, const char *q)
{
	struct search_hit *h;
	long n = search_store_query(f->db, q, 50, &f->a, &h);
	assert_true(n >= 0);
	static char out[256];
	out[0] = '\0';
	for (long i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%lld", i ? "," : "",
			 h[i].case_id);
	return out;
}

static const struct search_hit *
first_hit(struct fixture *f, const char *q)
{
	struct search_hit *h;
	assert_int_equal(search_store_query(f->db, q, 50, &f->a, &h), 1);
	return &h[0];
}

static int
count(struct db *db, const char *sql)
{
	return (int)query_int(db, sql);
}

static void
words_are_split_lowercased_and_folded(void **state)
{
	(void)state;
	char out[64];
	const char *mixed = "ÉLÈVE Œuvre Straße";
	assert_int_equal(fold_plain(mixed, strlen(mixed), out, sizeof(out)), 20);
	assert_string_equal(out, "eleve oeuvre strasse");
	fold_lower(mixed, 14, out, sizeof(out));
	assert_string_equal(out, "élève œuvre");
	/* Too small: a prefix, never half a character, and the length it would need. */
	assert_int_equal(fold_lower("Été", 5, out, 3), 5);
	assert_string_equal(out, "é");
	/* «l’eau» and «aujourd'hui» split at the apostrophe; combining accents stay in the word. */
	const char *s = "l’eau, aujourd'hui «e\xcc\x81te\xcc\x81» 2024!";
	const char *want[] = {"l", "eau", "aujourd", "hui", "e\xcc\x81te\xcc\x81", "2024"};
	size_t pos = 0, start, end, k = 0;
	while (fold_word_next(s, strlen(s), &pos, &start, &end)) {
		assert_true(k < 6);
		assert_int_equal(end - start, strlen(want[k]));
		assert_memory_equal(s + start, want[k], end - start);
		k++;
	}
	assert_int_equal(k, 6);
	assert_int_equal(fold_letters("e\xcc\x81te\xcc\x81", 7), 3);
}

static void
accents_do_not_matter(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie solaire", "Des panneaux pour l’école du village.");
	put(f, 2, "Électricité rurale", "Raccordement des foyers à l'électricité.");
	put(f, 3, "Eau potable", "Un forage partagé.");
	assert_string_equal(ids(f, "energie"), "1");
	assert_string_equal(ids(f, "ÉNERGIE"), "1");
	assert_string_equal(ids(f, "électricité"), "2");
	assert_string_equal(ids(f, "electricite"), "2");
	assert_string_equal(ids(f, "ecole"), "1");   /* «l’école»: the apostrophe splits */
	assert_string_equal(ids(f, "partage"), "3"); /* «partagé» */
}

static void
plurals_and_verb_forms_find_each_other(void **state)
{
	struct fixture *f = *state;
	put(f, 4, "Formation des agents", "Des agents de santé communautaire.");
	put(f, 5, "Distribution de semences", "Les semences ont été distribuées aux familles.");
	put(f, 6, "Jeunes formées au maraîchage", "Nous avons formé vingt jeunes.");
	/* Plurals: «formations» → «format», as «formation»; «agent» as «agents». */
	assert_string_equal(ids(f, "formations"), "4");
	assert_string_equal(ids(f, "agent"), "4");
	assert_string_equal(ids(f, "semence"), "5");
	/* Snowball gives «distribu» for distribuer, distribué(e)(s), distribue, distribution. */
	assert_string_equal(ids(f, "distribuer"), "5");
	assert_string_equal(ids(f, "distribué"), "5");
	assert_string_equal(ids(f, "distribue"), "5");
	assert_string_equal(ids(f, "distributions"), "5");
	/* and «form» for former, formé, formée, formés, forme, formait; with or without accents. */
	assert_string_equal(ids(f, "former"), "6");
	assert_string_equal(ids(f, "formés"), "6");
	assert_string_equal(ids(f, "formee"), "6");
	assert_string_equal(ids(f, "formait"), "6");
	assert_string_equal(ids(f, "jeune"), "6");
	/* «formation» is «format», not «form»: training is not found by the verb, as Snowball
	 * keeps them apart. */
	assert_string_equal(ids(f, "former formation"), "");
}

static void
an_exact_title_comes_first(void **state)
{
	struct fixture *f = *state;
	put(f, 10, "Un four solaire partagé",
	    "Énergie solaire. Énergie solaire pour tous. L'énergie solaire, encore l'énergie "
	    "solaire, toujours l'énergie solaire.");
	put(f, 11, "Énergie solaire",
	    "Un projet du village, porté par le comité des habitants avec la mairie, qui a "
	    "réuni les familles, les commerçants et l'école autour d'un même chantier pendant "
	    "deux saisons, avec l'aide d'une association de la région et d'un bureau d'études.");
	put(f, 12, "Énergie solaire et énergie éolienne pour les écoles",
	    "L'énergie solaire alimente les écoles; l'énergie solaire y chauffe l'eau.");
	/* By bm25 alone the case that repeats the words most comes first ... */
	assert_int_equal(count(f->db,
			       "SELECT rowid FROM cases_fts WHERE cases_fts MATCH "
			       "'\"energie\" AND \"solaire\"' ORDER BY bm25(cases_fts, 10.0, "
			       "1.0) LIMIT 1"),
			 12);
	/* ... but the one titled as the query is what the user looks for. */
	const char *got = ids(f, "energie solaire");
	assert_true(strncmp(got, "11,", 3) == 0);
	assert_int_equal(strlen(got), strlen("11,12,10"));
	assert_true(strncmp(ids(f, "ÉNERGIE, SOLAIRE !"), "11,", 3) == 0);
	/* Scores go down the list. */
	struct search_hit *h;
	assert_int_equal(search_store_query(f->db, "solaire", 50, &f->a, &h), 3);
	assert_true(h[0].score >= h[1].score && h[1].score >= h[2].score);
	/* max is honoured. */
	assert_int_equal(search_store_query(f->db, "solaire", 2, &f->a, &h), 2);
}

static void
matched_words_are_marked_and_the_rest_escaped(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie <script>alert(1)</script> & co",
	    "Le village produit son énergie grâce au soleil, \"sans\" groupe électrogène.");
	const struct search_hit *h = first_hit(f, "energies");
	assert_string_equal(h->title_html,
			    "<mark>Énergie</mark> &lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
	assert_string_equal(h->snippet_html,
			    "Le village produit son <mark>énergie</mark> grâce au soleil, "
			    "&quot;sans&quot; groupe électrogène.");
	h = first_hit(f, "script");
	assert_string_equal(
		h->title_html,
		"Énergie &lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt; "
		"&amp; co");
	assert_string_equal(h->snippet_html, "Le village produit son énergie grâce au soleil, "
					     "&quot;sans&quot; groupe électrogène.");
	/* The markers cannot come from the stored text. */
	put(f, 2, "Eau \x01<b>\x02 potable", "forage\x02\x01");
	h = first_hit(f, "potable");
	assert_string_equal(h->title_html, "Eau  &lt;b&gt;  <mark>potable</mark>");
	assert_string_equal(h->snippet_html, "forage  ");
}

static void
all_the_words_are_needed(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie solaire", "");
	put(f, 2, "Eau potable", "Une pompe solaire.");
	put(f, 3, "Eau et énergie", "");
	assert_string_equal(ids(f, "solaire"), "1,2");
	assert_string_equal(ids(f, "solaire eau"), "2");
	assert_string_equal(ids(f, "eau énergie"), "3");
	assert_string_equal(ids(f, "solaire eau énergie"), "");
	/* Function words are not asked for: «la pompe de l'eau» finds «pompe solaire ... eau». */
	assert_string_equal(ids(f, "la pompe pour l'eau"), "2");
	/* A query of nothing but function words still searches them. */
	put(f, 4, "Le et la", "");
	assert_string_equal(ids(f, "et"), "3,4");
}

static void
a_query_without_words_finds_nothing_quietly(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie solaire", "");
	unsigned long errors = db_error_count();
	const char *queries[] = {"", "   ", "!!! ?? — … «»", "l' d' à", "\"\"", "''"};
	for (size_t i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		struct search_hit *h = (void *)1;
		assert_int_equal(search_store_query(f->db, queries[i], 10, &f->a, &h), 0);
		assert_null(h);
		const char **w = (void *)1;
		assert_int_equal(search_suggest(f->db, queries[i], 5, &f->a, &w), 0);
	}
	struct search_hit *h;
	assert_int_equal(search_store_query(f->db, NULL, 10, &f->a, &h), 0);
	assert_int_equal(db_error_count(), errors);
}

static void
fts_syntax_is_read_as_text(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie éolienne", "");
	put(f, 2, "Eau potable", "");
	unsigned long errors = db_error_count();
	const char *as_text[][2] = {
		{"\"", ""},
		{"*", ""},
		{"energie*", "1"},
		{"-energie", "1"},
		{"^energie", "1"},
		{"title:energie", ""}, /* «title» is a word too, and no case has it */
		{"body : energie", ""},
		{"NEAR(energie", ""},              /* «near» is a word, and no case has it */
		{"NEAR(énergie éolienne, 2)", ""}, /* «near» and «2»: «2» is one letter, «near» */
		{"(energie", "1"},
		{"energie)", "1"},
		{"{title body}: eau", ""},
		{"energie OR eau", ""}, /* «or» is a function word: «energie» AND «eau» */
		{"energie NOT eolienne", ""},
		{"eau AND", "2"}, /* «and» is a function word, left out: «eau» alone */
		{"\"energie", "1"},
		{"energie\" OR \"eau", ""},
		{"+eau", "2"},
		{"eau'", "2"},
	};
	for (size_t i = 0; i < sizeof(as_text) / sizeof(*as_text); i++) {
		const char *got = ids(f, as_text[i][0]);
		if (strcmp(got, as_text[i][1]) != 0)
			fail_msg("query «%s»: got «%s», want «%s»", as_text[i][0], got,
				 as_text[i][1]);
	}
	assert_int_equal(db_error_count(), errors);
}

static void
suggestions_are_words_of_the_index(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie solaire", "L'énergie du soleil.");
	put(f, 2, "Énergie des marées", "");
	put(f, 3, "Énergies renouvelables", "Un enregistrement des compteurs.");
	put(f, 4, "Eau potable", "");
	for (long long id = 5; id <= 8; id++)
		put(f, id, "Energy for schools", "");
	put(f, 9, "Partir ensemble", "Un partenariat pour l'agriculture urbaine.");
	assert_string_equal(ids(f, "enregie"), "");
	const char **w;
	/* «enregie»: «énergie» first, one transposition away, spelt as the cases spell it most
	 * often (accented); then «energy» (two changes) although it is in more cases; then
	 * «enregistrement», whose stem begins with «enreg», the stem of «enregie». */
	assert_int_equal(search_suggest(f->db, "enregie", 5, &f->a, &w), 3);
	assert_string_equal(w[0], "énergie");
	assert_string_equal(w[1], "energy");
	assert_string_equal(w[2], "enregistrement");
	assert_int_equal(search_suggest(f->db, "enregie", 1, &f->a, &w), 1);
	assert_string_equal(w[0], "énergie");
	/* A word begun. Not the other way round: «partir» is no suggestion for «partenarait». */
	assert_int_equal(search_suggest(f->db, "agricul", 5, &f->a, &w), 1);
	assert_string_equal(w[0], "agriculture");
	assert_int_equal(search_suggest(f->db, "partenarait", 5, &f->a, &w), 1);
	assert_string_equal(w[0], "partenariat");
	/* Only the unknown words get suggestions; typing mistakes in a longer query too. */
	assert_int_equal(search_suggest(f->db, "solaire potabel", 5, &f->a, &w), 1);
	assert_string_equal(w[0], "potable");
	/* Nothing close, or nothing unknown: no suggestion. */
	assert_int_equal(search_suggest(f->db, "xylophone", 5, &f->a, &w), 0);
	assert_int_equal(search_suggest(f->db, "solaire eau", 5, &f->a, &w), 0);
	/* A short word allows one mistake only: «eaz» is a typo of «eau», «ezz» is not. */
	assert_int_equal(search_suggest(f->db, "eaz", 5, &f->a, &w), 1);
	assert_string_equal(w[0], "eau");
	assert_int_equal(search_suggest(f->db, "ezz", 5, &f->a, &w), 0);
}

static void
removed_and_replaced_cases_leave_no_trace(void **state)
{
	struct fixture *f = *state;
	put(f, 1, "Énergie solaire", "Panneaux.");
	put(f, 2, "Énergie éolienne", "");
	assert_int_equal(strlen(ids(f, "energie")), strlen("1,2"));
	assert_int_equal(search_store_delete(f->db, 1), 0);
	assert_string_equal(ids(f, "energie"), "2");
	assert_string_equal(ids(f, "panneaux"), "");
	assert_int_equal(search_store_delete(f->db, 1), 0); /* again: nothing to do */
	assert_int_equal(search_store_delete(f->db, 99), 0);
	/* Putting again replaces. */
	put(f, 2, "Eau potable", "");
	assert_string_equal(ids(f, "energie"), "");
	assert_string_equal(ids(f, "eau"), "2");
	assert_int_equal(count(f->db, "SELECT count(*) FROM cases_fts"), 1);
	/* The surface words follow: only «eau» and «potable» are left to suggest from. */
	assert_int_equal(count(f->db, "SELECT count(*) FROM search_words"), 2);
	assert_int_equal(count(f->db, "SELECT sum(n) FROM search_words"), 2);
	const char **w;
	assert_int_equal(search_suggest(f->db, "enrgie", 5, &f->a, &w), 0);
	/* Inside the caller's transaction, a rollback takes the indexing back too. */
	assert_int_equal(db_begin(f->db), 0);
	put(f, 3, "Énergie solaire", "");
	assert_string_equal(ids(f, "solaire"), "3");
	db_rollback(f->db);
	assert_string_equal(ids(f, "solaire"), "");
	assert_int_equal(count(f->db, "SELECT count(*) FROM search_words"), 2);
}

static void
the_index_survives_reopening(void **state)
{
	(void)state;
	char path[] = "/tmp/test_search_XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	char err[256];
	search_init();
	struct db *db = db_open(path, 1000, err, sizeof(err));
	assert_non_null(db);
	assert_true(migrate_apply(db, db_migrations, db_migrations_count, err, sizeof(err)) > 0);
	assert_int_equal(search_store_put(db, 7, "Énergie solaire", "Des formations."), 0);
	db_close(db);
	db = db_open(path, 1000, err, sizeof(err)); /* a new connection has the tokenizer again */
	assert_non_null(db);
	struct arena a;
	arena_init(&a, 1024);
	struct search_hit *h;
	assert_int_equal(search_store_query(db, "formation", 10, &a, &h), 1);
	assert_int_equal(h[0].case_id, 7);
	arena_free(&a);
	db_close(db);
	unlink(path);
	char wal[64];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_are_split_lowercased_and_folded),
		cmocka_unit_test_setup_teardown(accents_do_not_matter, setup, teardown),
		cmocka_unit_test_setup_teardown(plurals_and_verb_forms_find_each_other, setup,
						teardown),
		cmocka_unit_test_setup_teardown(an_exact_title_comes_first, setup, teardown),
		cmocka_unit_test_setup_teardown(matched_words_are_marked_and_the_rest_escaped,
						setup, teardown),
		cmocka_unit_test_setup_teardown(all_the_words_are_needed, setup, teardown),
		cmocka_unit_test_setup_teardown(a_query_without_words_finds_nothing_quietly, setup,
						teardown),
		cmocka_unit_test_setup_teardown(fts_syntax_is_read_as_text, setup, teardown),
		cmocka_unit_test_setup_teardown(suggestions_are_words_of_the_index, setup,
						teardown),
		cmocka_unit_test_setup_teardown(removed_and_replaced_cases_leave_no_trace, setup,
						teardown),
		cmocka_unit_test(the_index_survives_reopening),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
