/* search.c - full-text search of the catalogue for French: an FTS5 tokenizer of our own (words
 * lowercased, accents folded, Snowball French stems), ranked queries built from the user's
 * words only, highlighted titles and passages, and suggestions from the index's own words. */
#include "search.h"

#include <libstemmer.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/log.h"
#include "db/db.h"
#include "view/html.h"

#define TOKEN_MAX   128 /* bytes of a lowercase word; longer runs (links, noise) are no words */
#define QUERY_WORDS 16  /* words of a query searched; the rest are ignored */
#define SNIPPET_MAX 32  /* tokens of the body passage shown with a hit */

/* Markers of highlight() and snippet(): control characters, which search_store_put removes
 * from the texts, so that every one of them in a result is ours. */
#define MARK_OPEN  '\x01'
#define MARK_CLOSE '\x02'

/* The index cases_fts (tokenize = 'coexist'), its vocabulary cases_fts_vocab and the surface
 * words search_words are made by migration 0007_search_tables. */

enum search_stmt {
	SEARCH_STMT_GET_TEXT,
	SEARCH_STMT_DELETE,
	SEARCH_STMT_INSERT,
	SEARCH_STMT_WORD_ADD,
	SEARCH_STMT_WORD_SUB,
	SEARCH_STMT_WORD_PRUNE,
	SEARCH_STMT_QUERY,
	SEARCH_STMT_TERM_KNOWN,
	SEARCH_STMT_WORDS,
	SEARCH_STMT__MAX
};

static const char *const search_sql[SEARCH_STMT__MAX] = {
	[SEARCH_STMT_GET_TEXT] = "SELECT title, body FROM cases_fts WHERE rowid = ?1",
	[SEARCH_STMT_DELETE] = "DELETE FROM cases_fts WHERE rowid = ?1",
	[SEARCH_STMT_INSERT] = "INSERT INTO cases_fts(rowid, title, body) VALUES (?1, ?2, ?3)",
	[SEARCH_STMT_WORD_ADD] = "INSERT INTO search_words(stem, word, n) VALUES (?1, ?2, ?3)"
				 " ON CONFLICT (stem, word) DO UPDATE SET n = n + excluded.n",
	[SEARCH_STMT_WORD_SUB] = "UPDATE search_words SET n = n - ?3 WHERE stem = ?1 AND word = ?2",
	[SEARCH_STMT_WORD_PRUNE] = "DELETE FROM search_words WHERE stem = ?1 AND word = ?2"
				   " AND n <= 0",
	[SEARCH_STMT_QUERY] = "SELECT rowid, bm25(cases_fts, 10.0, 1.0) AS r,"
			      " highlight(cases_fts, 0, char(1), char(2)),"
			      " snippet(cases_fts, 1, char(1), char(2), '…', 32)"
			      " FROM cases_fts WHERE cases_fts MATCH ?1"
			      " ORDER BY coexist_title_key(title) = ?2 DESC, r, rowid LIMIT ?3",
	[SEARCH_STMT_TERM_KNOWN] = "SELECT 1 FROM cases_fts_vocab WHERE term = ?1",
	/* For each stem, its most frequent surface word first: on a tie the shorter, then the
	 * accented one (more bytes for as many letters: «énergie» rather than «energie»). */
	[SEARCH_STMT_WORDS] = "SELECT w.stem, w.word, v.doc FROM search_words w"
			      " JOIN cases_fts_vocab v ON v.term = w.stem"
			      " ORDER BY w.stem, w.n DESC, length(w.word),"
			      " length(CAST(w.word AS BLOB)) DESC, w.word",
};

const struct db_table search_store_table = {DB_STORE_SEARCH, "search", search_sql,
					    SEARCH_STMT__MAX};

_Static_assert(SNIPPET_MAX == 32, "the snippet length is written in search_sql");

/* Function words left out of a query (it asks for all of its words, and «la formation des
 * agents» should find «formation d'agents»); written folded. A query of nothing else keeps them.
 * One-letter words are never indexed, so the list skips them. */
static const char *const stop_words[] = {
	"an",   "and",   "are",   "as",   "at",   "au",  "aux", "avec", "by",  "ce",
	"ces",  "cet",   "cette", "dans", "de",   "des", "du",  "elle", "en",  "est",
	"et",   "for",   "from",  "il",   "in",   "is",  "it",  "la",   "le",  "les",
	"leur", "leurs", "of",    "on",   "or",   "ou",  "par", "pour", "qui", "sa",
	"se",   "ses",   "son",   "sur",  "that", "the", "to",  "un",   "une", "with",
};

/* ---- words and their index keys ---- */

/* One word of a text, in the forms the index needs. */
struct term {
	char lower[TOKEN_MAX + 1]; /* lowercase, accents kept: the surface shown to people */
	char plain[TOKEN_MAX + 1]; /* lowercase without accents */
	char key[TOKEN_MAX + 1];   /* stem of lower, then folded: the main index key */
	char alt[TOKEN_MAX + 1];   /* stem of plain: a second key when it differs */
	size_t nlower, nplain, nkey, nalt;
};

/*
 * Why two keys. Snowball's French rules read accents: «formée» and «formé» both give «form»,
 * but written without accents «formee» gives «forme»; «électricité» gives «électr» but
 * «electricite» gives «electricit». Stemming the accented word and folding the stem (key)
 * keeps Snowball's conflations; stemming the folded word (alt) is what a query typed without
 * accents yields. Both go into the index at one position (FTS5 colocated tokens) and both are
 * asked of a query word as alternatives, so «electricite» finds «électricité» and «formé»
 * finds «formée».
 */

/* Fills t from the word w (n bytes). 1 when it is a word to index, 0 when not (one letter,
 * too long), -1 when the stemmer is out of memory. */
static int
term_make(struct sb_stemmer *sb, const char *w, size_t n, struct term *t)
{
	if (fold_letters(w, n) < 2)
		return 0;
	t->nlower = fold_lower(w, n, t->lower, sizeof(t->lower));
	if (t->nlower >= sizeof(t->lower))
		return 0;
	t->nplain = fold_plain(w, n, t->plain, sizeof(t->plain));
	if (t->nplain >= sizeof(t->plain))
		return 0;
	const sb_symbol *r = sb_stemmer_stem(sb, (const sb_symbol *)t->lower, (int)t->nlower);
	if (r == NULL)
		return -1;
	t->nkey =
		fold_plain((const char *)r, (size_t)sb_stemmer_length(sb), t->key, sizeof(t->key));
	r = sb_stemmer_stem(sb, (const sb_symbol *)t->plain, (int)t->nplain);
	if (r == NULL)
		return -1;
	size_t len = (size_t)sb_stemmer_length(sb);
	if (t->nkey == 0 || t->nkey >= sizeof(t->key) || len == 0 || len >= sizeof(t->alt)) {
		/* Snowball never does this to a word of two letters or more; stay safe anyway. */
		memcpy(t->key, t->plain, t->nplain + 1);
		t->nkey = t->nplain;
		memcpy(t->alt, t->plain, t->nplain + 1);
		t->nalt = t->nplain;
		return 1;
	}
	memcpy(t->alt, r, len);
	t->alt[len] = '\0';
	t->nalt = len;
	return 1;
}

static bool
is_stop_word(const char *plain)
{
	for (size_t i = 0; i < sizeof(stop_words) / sizeof(*stop_words); i++)
		if (strcmp(plain, stop_words[i]) == 0)
			return true;
	return false;
}

static struct sb_stemmer *
stemmer_new(void)
{
	struct sb_stemmer *sb = sb_stemmer_new("french", "UTF_8");
	if (sb == NULL)
		die("search: cannot make a French stemmer (out of memory)");
	return sb;
}

/* Appends the exact-title key of s: its words without accents, one space apart. */
static void
title_key(struct buf *out, const char *s, size_t n)
{
	size_t pos = 0, start, end;
	char plain[TOKEN_MAX + 1];
	while (fold_word_next(s, n, &pos, &start, &end)) {
		size_t len = fold_plain(s + start, end - start, plain, sizeof(plain));
		if (len >= sizeof(plain))
			continue;
		if (out->len > 0)
			buf_putc(out, ' ');
		buf_add(out, plain, len);
	}
}

/* ---- the tokenizer "coexist" of the index ---- */

/* One stemmer per index and connection: it keeps state between words, and a connection is
 * used by one thread at a time, so no lock is needed. */
static void *
tok_create(void)
{
	return sb_stemmer_new("french", "UTF_8");
}

static void
tok_destroy(void *state)
{
	sb_stemmer_delete(state);
}

/* Each word's key, and its second key at the same place when it differs; the offsets are the
 * word's bytes in the original text, so that highlight() and snippet() mark the word as it
 * was written. */
static int
tok_tokenize(void *state, const char *text, size_t n, bool all_keys,
	     int (*emit)(void *ctx, const char *key, size_t len, size_t start, size_t end,
			 bool same_place),
	     void *ctx)
{
	size_t pos = 0, start, end;
	struct term t;
	while (fold_word_next(text, n, &pos, &start, &end)) {
		int k = term_make(state, text + start, end - start, &t);
		if (k < 0)
			return -1;
		if (k == 0)
			continue;
		int rc = emit(ctx, t.key, t.nkey, start, end, false);
		if (rc == 0 && all_keys && (t.nalt != t.nkey || memcmp(t.alt, t.key, t.nkey) != 0))
			rc = emit(ctx, t.alt, t.nalt, start, end, true);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* coexist_title_key(text): the words of text without accents, one space apart. */
static void
sql_title_key(const char *s, size_t n, struct buf *out)
{
	title_key(out, s, n);
}

static const struct db_tokenizer tokenizer = {"coexist", tok_create, tok_destroy, tok_tokenize};
static const struct db_text_function title_key_function = {"coexist_title_key", sql_title_key};

void
search_init(void)
{
	db_text_search_setup(&tokenizer, &title_key_function);
}

/* ---- storing ---- */

/* A word of a text counted: its surface under its key. */
struct counted {
	const char *key, *word;
	long n;
};

static int
cmp_counted(const void *pa, const void *pb)
{
	const struct counted *p = pa, *q = pb;
	int c = strcmp(p->key, q->key);
	return c ? c : strcmp(p->word, q->word);
}

/* The distinct (key, surface word) pairs of the texts with their counts, sorted; -1 when the
 * stemmer runs out of memory. */
static long
count_words(const char *const *texts, size_t ntexts, struct arena *a, struct counted **out)
{
	size_t cap = 64, n = 0;
	struct counted *v = arena_alloc(a, cap * sizeof(*v));
	struct sb_stemmer *sb = stemmer_new();
	struct term t;
	for (size_t i = 0; i < ntexts; i++) {
		const char *s = texts[i];
		size_t len = s ? strlen(s) : 0, pos = 0, start, end;
		while (fold_word_next(s, len, &pos, &start, &end)) {
			int k = term_make(sb, s + start, end - start, &t);
			if (k < 0) {
				sb_stemmer_delete(sb);
				return -1;
			}
			if (k == 0)
				continue;
			if (n == cap) {
				struct counted *nv = arena_alloc(a, 2 * cap * sizeof(*nv));
				memcpy(nv, v, n * sizeof(*v));
				v = nv;
				cap *= 2;
			}
			v[n++] = (struct counted){arena_strndup(a, t.key, t.nkey),
						  arena_strndup(a, t.lower, t.nlower), 1};
		}
	}
	sb_stemmer_delete(sb);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_counted);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && cmp_counted(&v[m - 1], &v[i]) == 0)
			v[m - 1].n++;
		else
			v[m++] = v[i];
	}
	*out = v;
	return (long)m;
}

/* Adds (sign 1) or takes away (sign -1) the words of a title and body in search_words. */
static int
words_apply(struct db *db, const char *title, const char *body, int sign)
{
	struct arena a;
	arena_init(&a, 16384);
	const char *texts[2] = {title, body};
	struct counted *v;
	long n = count_words(texts, 2, &a, &v);
	int rc = n < 0 ? -1 : 0;
	for (long i = 0; i < n && rc == 0; i++) {
		int idx = sign > 0 ? SEARCH_STMT_WORD_ADD : SEARCH_STMT_WORD_SUB;
		struct db_stmt *st = db_stmt(db, &search_store_table, idx);
		if (st == NULL) {
			rc = -1;
			break;
		}
		db_bind_text(st, 1, v[i].key);
		db_bind_text(st, 2, v[i].word);
		db_bind_int(st, 3, v[i].n);
		if (db_run(st) < 0) {
			rc = -1;
			break;
		}
		if (sign > 0)
			continue;
		st = db_stmt(db, &search_store_table, SEARCH_STMT_WORD_PRUNE);
		if (st == NULL) {
			rc = -1;
			break;
		}
		db_bind_text(st, 1, v[i].key);
		db_bind_text(st, 2, v[i].word);
		if (db_run(st) < 0)
			rc = -1;
	}
	arena_free(&a);
	return rc;
}

/* A copy of s with the highlight markers turned into spaces (heap; freed by the caller). */
static char *
unmarked(const char *s)
{
	char *c = strdup(s ? s : "");
	if (c == NULL)
		die("search: out of memory");
	for (char *p = c; *p; p++)
		if (*p == MARK_OPEN || *p == MARK_CLOSE)
			*p = ' ';
	return c;
}

/* Removes a case's row and takes its words away, in the caller's transaction. */
static int
delete_case(struct db *db, long long case_id)
{
	struct db_stmt *st = db_stmt(db, &search_store_table, SEARCH_STMT_GET_TEXT);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, case_id);
	int rc = db_step(st);
	if (rc <= 0)
		return rc; /* not indexed: nothing to do */
	/* Copied: the use ends before the words are taken away. */
	char *title = unmarked(db_column_peek(st, 0));
	char *body = unmarked(db_column_peek(st, 1));
	db_reset(st);
	rc = words_apply(db, title, body, -1);
	free(title);
	free(body);
	if (rc != 0)
		return -1;
	st = db_stmt(db, &search_store_table, SEARCH_STMT_DELETE);
	if (st == NULL)
		return -1;
	db_bind_int(st, 1, case_id);
	return db_run(st) < 0 ? -1 : 0;
}

/* Ends the transaction of search_store_put or _delete: kept when rc is 0. Returns rc, or -1
 * when the commit fails. */
static int
finish_tx(struct db *db, int rc)
{
	if (rc != 0) {
		db_rollback(db);
		return rc;
	}
	return db_commit(db);
}

int
search_store_put(struct db *db, long long case_id, const char *title, const char *body)
{
	/* A transaction of its own, or a savepoint within the caller's (the cases store's). */
	if (db_begin(db) != 0)
		return -1;
	char *t = unmarked(title), *b = unmarked(body);
	int rc = delete_case(db, case_id);
	if (rc == 0)
		rc = words_apply(db, t, b, 1);
	struct db_stmt *st = NULL;
	if (rc == 0 && (st = db_stmt(db, &search_store_table, SEARCH_STMT_INSERT)) == NULL)
		rc = -1;
	if (rc == 0) {
		db_bind_int(st, 1, case_id);
		db_bind_text(st, 2, t);
		db_bind_text(st, 3, b);
		rc = db_run(st) < 0 ? -1 : 0; /* ended before the texts it points at are freed */
	}
	free(t);
	free(b);
	return finish_tx(db, rc);
}

int
search_store_delete(struct db *db, long long case_id)
{
	if (db_begin(db) != 0)
		return -1;
	return finish_tx(db, delete_case(db, case_id));
}

/* ---- querying ---- */

/* The words of a query, each once, without the function words unless there is nothing else. */
struct qwords {
	struct term t[QUERY_WORDS];
	size_t n;
};

static int
query_words(const char *query, struct qwords *q)
{
	struct sb_stemmer *sb = stemmer_new();
	size_t len = query ? strlen(query) : 0, pos = 0, start, end;
	size_t stops = 0;
	q->n = 0;
	while (q->n < QUERY_WORDS && fold_word_next(query, len, &pos, &start, &end)) {
		struct term *t = &q->t[q->n];
		int k = term_make(sb, query + start, end - start, t);
		if (k < 0) {
			sb_stemmer_delete(sb);
			return -1;
		}
		if (k == 0)
			continue;
		bool dup = false;
		for (size_t i = 0; i < q->n && !dup; i++)
			dup = strcmp(q->t[i].lower, t->lower) == 0;
		if (dup)
			continue;
		stops += is_stop_word(t->plain);
		q->n++;
	}
	sb_stemmer_delete(sb);
	if (stops > 0 && stops < q->n) {
		size_t m = 0;
		for (size_t i = 0; i < q->n; i++)
			if (!is_stop_word(q->t[i].plain))
				q->t[m++] = q->t[i];
		q->n = m;
	}
	return 0;
}

/* Escapes text for HTML and turns the markers into <mark> and </mark>, always balanced. */
static const char *
marked_html(struct arena *a, const char *s)
{
	struct buf b;
	buf_init(&b, a);
	bool open = false;
	size_t run = 0, i = 0;
	for (; s && s[i]; i++) {
		if (s[i] != MARK_OPEN && s[i] != MARK_CLOSE)
			continue;
		html_text(&b, s + run, i - run);
		run = i + 1;
		if (s[i] == MARK_OPEN && !open)
			buf_puts(&b, "<mark>");
		else if (s[i] == MARK_CLOSE && open)
			buf_puts(&b, "</mark>");
		open = s[i] == MARK_OPEN;
	}
	if (s)
		html_text(&b, s + run, i - run);
	if (open)
		buf_puts(&b, "</mark>");
	return arena_strdup(a, buf_str(&b));
}

long
search_store_query(struct db *db, const char *query, size_t max, struct arena *a,
		   struct search_hit **out)
{
	*out = NULL;
	struct qwords q;
	if (query_words(query, &q) != 0)
		return -1;
	if (q.n == 0 || max == 0)
		return 0;
	/* Each word a quoted FTS5 string, joined with AND: whatever the user typed, the MATCH
	 * expression holds only words. A word never holds '"' (it is letters and digits); the
	 * doubling is there all the same, as FTS5 quoting asks. */
	struct buf m;
	buf_init(&m, a);
	for (size_t i = 0; i < q.n; i++) {
		if (i > 0)
			buf_puts(&m, " AND ");
		buf_putc(&m, '"');
		for (const char *p = q.t[i].lower; *p; p++) {
			if (*p == '"')
				buf_putc(&m, '"');
			buf_putc(&m, *p);
		}
		buf_putc(&m, '"');
	}
	struct buf key;
	buf_init(&key, a);
	title_key(&key, query, strlen(query));

	struct db_stmt *st = db_stmt(db, &search_store_table, SEARCH_STMT_QUERY);
	if (st == NULL)
		return -1;
	db_bind_text(st, 1, buf_str(&m));
	db_bind_text(st, 2, buf_str(&key));
	db_bind_int(st, 3, max > INT64_MAX ? INT64_MAX : (long long)max);
	size_t cap = max < 16 ? max : 16, n = 0;
	struct search_hit *v = arena_alloc(a, cap * sizeof(*v));
	int rc;
	while ((rc = db_step(st)) == 1) {
		if (n == cap) {
			struct search_hit *nv = arena_alloc(a, 2 * cap * sizeof(*nv));
			memcpy(nv, v, n * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[n].case_id = db_column_int(st, 0);
		v[n].score = -db_column_double(st, 1);
		v[n].title_html = marked_html(a, db_column_peek(st, 2));
		v[n].snippet_html = marked_html(a, db_column_peek(st, 3));
		n++;
	}
	if (rc < 0)
		return -1;
	*out = v;
	return (long)n;
}

/* ---- suggestions ---- */

#define DIST_MAX 64 /* bytes compared by the edit distance; longer words are not compared */

/* Optimal string alignment distance (Levenshtein with transpositions of neighbours), bytes of
 * folded words; stops early with limit + 1 once every path costs more than limit. */
static size_t
edit_distance(const char *p, size_t np, const char *q, size_t nq, size_t limit)
{
	if (np > DIST_MAX || nq > DIST_MAX)
		return limit + 1;
	if ((np > nq ? np - nq : nq - np) > limit)
		return limit + 1;
	size_t rows[3][DIST_MAX + 1];
	size_t *pp = rows[0], *prev = rows[1], *cur = rows[2];
	for (size_t j = 0; j <= nq; j++)
		prev[j] = j;
	for (size_t i = 1; i <= np; i++) {
		cur[0] = i;
		size_t best = cur[0];
		for (size_t j = 1; j <= nq; j++) {
			size_t c = prev[j - 1] + (p[i - 1] != q[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			if (i > 1 && j > 1 && p[i - 1] == q[j - 2] && p[i - 2] == q[j - 1] &&
			    pp[j - 2] + 1 < c)
				c = pp[j - 2] + 1;
			cur[j] = c;
			if (c < best)
				best = c;
		}
		if (best > limit)
			return limit + 1;
		size_t *t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[nq];
}

/* True when the query's stem, four letters at least, begins the index's: a word begun
 * («agricul» for «agriculture»). Not the other way round: «partir» is no suggestion for
 * «partenarait». */
static bool
begins(const char *stem, size_t n, const char *longer, size_t nlonger)
{
	return n >= 4 && n < nlonger && memcmp(stem, longer, n) == 0;
}

struct suggestion {
	const char *word;
	long long docs;
	size_t dist;
};

/* The closest first, then the word in the most cases: for «enregie», «énergie» (two letters
 * swapped) before «energy» (two changes between the stems «enreg» and «energy»), however many
 * more cases the English titles give the latter. */
static int
cmp_suggestion(const void *pa, const void *pb)
{
	const struct suggestion *p = pa, *q = pb;
	if (p->dist != q->dist)
		return p->dist < q->dist ? -1 : 1;
	if (p->docs != q->docs)
		return p->docs > q->docs ? -1 : 1;
	return strcmp(p->word, q->word);
}

/* True when the index holds a key of the term (a word the search could find). -1 on error. */
static int
term_known(struct db *db, const struct term *t)
{
	const char *keys[2] = {t->key, t->alt};
	for (int i = 0; i < 2; i++) {
		struct db_stmt *st = db_stmt(db, &search_store_table, SEARCH_STMT_TERM_KNOWN);
		if (st == NULL)
			return -1;
		db_bind_text(st, 1, keys[i]);
		int rc = db_step(st);
		if (rc == 1) {
			db_reset(st); /* a pending statement would keep its read transaction */
			return 1;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

size_t
search_suggest(struct db *db, const char *query, size_t max, struct arena *a, const char ***out)
{
	*out = NULL;
	struct qwords q;
	if (max == 0 || query_words(query, &q) != 0)
		return 0;
	/* Only the words the index does not know need another spelling. */
	size_t nu = 0;
	for (size_t i = 0; i < q.n; i++) {
		int k = term_known(db, &q.t[i]);
		if (k < 0)
			return 0;
		if (k == 0 && !is_stop_word(q.t[i].plain))
			q.t[nu++] = q.t[i];
	}
	if (nu == 0)
		return 0;

	struct db_stmt *st = db_stmt(db, &search_store_table, SEARCH_STMT_WORDS);
	if (st == NULL)
		return 0;
	size_t cap = 16, n = 0;
	struct suggestion *v = arena_alloc(a, cap * sizeof(*v));
	char last[TOKEN_MAX + 1] = "", plain[TOKEN_MAX + 1];
	int rc;
	while ((rc = db_step(st)) == 1) {
		const char *stem = db_column_peek(st, 0);
		const char *word = db_column_peek(st, 1);
		if (strcmp(stem, last) == 0)
			continue; /* the first row of a stem holds its most frequent word */
		size_t nstem = strlen(stem), nword = strlen(word);
		if (nstem >= sizeof(last))
			continue;
		memcpy(last, stem, nstem + 1);
		size_t np = fold_plain(word, nword, plain, sizeof(plain));
		if (np >= sizeof(plain) || is_stop_word(plain))
			continue; /* «et» is no suggestion for «ez» */
		size_t best = SIZE_MAX;
		for (size_t i = 0; i < nu; i++) {
			const struct term *t = &q.t[i];
			/* One mistake in a word of four letters or less, two beyond. */
			size_t limit = t->nplain <= 4 ? 1 : 2;
			size_t d = edit_distance(t->plain, t->nplain, plain, np, limit);
			size_t ds = edit_distance(t->key, t->nkey, stem, nstem, limit);
			if (ds < d)
				d = ds;
			if (d > limit && begins(t->key, t->nkey, stem, nstem))
				d = limit;
			if (d <= limit && d < best)
				best = d;
		}
		if (best == SIZE_MAX)
			continue;
		if (n == cap) {
			struct suggestion *nv = arena_alloc(a, 2 * cap * sizeof(*nv));
			memcpy(nv, v, n * sizeof(*v));
			v = nv;
			cap *= 2;
		}
		v[n++] = (struct suggestion){arena_strndup(a, word, nword), db_column_int(st, 2),
					     best};
	}
	if (rc < 0)
		return 0;
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_suggestion);
	if (n > max)
		n = max;
	const char **words = arena_alloc(a, (n ? n : 1) * sizeof(*words));
	for (size_t i = 0; i < n; i++)
		words[i] = v[i].word;
	*out = words;
	return n;
}
