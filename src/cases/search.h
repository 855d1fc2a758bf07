/* search.h - full-text search of the catalogue for French: accents folded, words stemmed with
 * Snowball, ranked by SQLite FTS5, matched words highlighted, suggestions when nothing matches. */
#ifndef COEXIST_SEARCH_H
#define COEXIST_SEARCH_H

#include <stddef.h>

struct arena;
struct db;

/* One case found, best first. The two texts are HTML, escaped, with the matched words wrapped
 * in <mark>…</mark>: they may be put into a page as they are. */
struct search_hit {
	long long case_id;
	double score;             /* bigger is better (the negated bm25 of FTS5) */
	const char *title_html;   /* the whole title */
	const char *snippet_html; /* a passage of the body around the matches ("" if none) */
};

/* Gives every connection opened after it the tokenizer "coexist" of the index and the SQL
 * function coexist_title_key() (db_text_search_setup). Call it once at start-up, before any
 * db_open: the migration that makes the index needs the tokenizer. */
void search_init(void);
/* Indexes a case under its id, replacing what was indexed before. 0, or -1 (logged). */
int search_store_put(struct db *db, long long case_id, const char *title, const char *body);
/* Removes a case from the index (nothing to do is no error). 0, or -1 (logged). */
int search_store_delete(struct db *db, long long case_id);
/* Searches the words of the user's text (all of them, in any form; the text is never read as
 * FTS5 syntax) and puts at most max hits, from the arena, in *out: a case whose title is
 * exactly the query first, then by bm25 with the title weighing ten times the body. Returns
 * the number of hits (0 for a query without words), or -1 (logged) on a database error. */
long search_store_query(struct db *db, const char *query, size_t max, struct arena *a,
			struct search_hit **out);
/* Words of the index close to the words of the query that the index does not know (one stem
 * a prefix of the other, four letters at least, or one or two typing mistakes), the ones in
 * the most cases first, spelt as the cases spell them most often. For a query that found
 * nothing. Puts at most max words, from the arena, in *out; returns their number (0 also on a
 * database error, which is logged). */
size_t search_suggest(struct db *db, const char *query, size_t max, struct arena *a,
		      const char ***out);

#endif
