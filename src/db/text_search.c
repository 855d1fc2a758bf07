/* text_search.c - the SQLite side of full-text search: a project's tokenizer registered with
 * FTS5, and its text function, on every connection. The language rules live with their
 * module (cases/search.c); only the engine's plumbing is here. */
#include "db_priv.h"

#include <stdint.h>

#include "base/buf.h"

/* Written once before any connection is opened (db_text_search_setup), read by each after. */
static const struct db_tokenizer *tokenizer;
static const struct db_text_function *text_function;

void
db_text_search_setup(const struct db_tokenizer *t, const struct db_text_function *f)
{
	tokenizer = t;
	text_function = f;
}

/* The state FTS5 keeps for one index on one connection. */
struct fts_state {
	const struct db_tokenizer *t;
	void *state;
};

static int
fts_create(void *ctx, const char **argv, int argc, Fts5Tokenizer **out)
{
	(void)argv;
	if (argc != 0)
		return SQLITE_ERROR; /* our tokenizers take no arguments */
	struct fts_state *f = sqlite3_malloc(sizeof(*f));
	if (f == NULL)
		return SQLITE_NOMEM;
	f->t = ctx;
	f->state = f->t->create();
	if (f->state == NULL) {
		sqlite3_free(f);
		return SQLITE_NOMEM;
	}
	*out = (Fts5Tokenizer *)f;
	return SQLITE_OK;
}

static void
fts_delete(Fts5Tokenizer *p)
{
	struct fts_state *f = (struct fts_state *)p;
	if (f == NULL)
		return;
	f->t->destroy(f->state);
	sqlite3_free(f);
}

/* FTS5's token callback and its context, carried through the project's emit. */
struct fts_emit {
	void *ctx;
	int (*token)(void *, int, const char *, int, int, int);
};

static int
fts_emit(void *p, const char *key, size_t len, size_t start, size_t end, bool same_place)
{
	struct fts_emit *e = p;
	if (len > INT32_MAX || end > INT32_MAX)
		return SQLITE_TOOBIG;
	return e->token(e->ctx, same_place ? FTS5_TOKEN_COLOCATED : 0, key, (int)len, (int)start,
			(int)end);
}

static int
fts_tokenize(Fts5Tokenizer *p, void *ctx, int flags, const char *text, int ntext,
	     int (*token)(void *, int, const char *, int, int, int))
{
	struct fts_state *f = (struct fts_state *)p;
	struct fts_emit e = {ctx, token};
	/* The auxiliary functions (highlight, snippet) only count positions: one key a word. */
	int rc = f->t->tokenize(f->state, text, ntext > 0 ? (size_t)ntext : 0,
				!(flags & FTS5_TOKENIZE_AUX), fts_emit, &e);
	return rc == -1 ? SQLITE_NOMEM : rc;
}

static void
sql_text_function(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (s == NULL) {
		sqlite3_result_null(ctx);
		return;
	}
	const struct db_text_function *f = sqlite3_user_data(ctx);
	struct buf b;
	buf_init(&b, NULL);
	f->fn(s, (size_t)sqlite3_value_bytes(argv[0]), &b);
	sqlite3_result_text(ctx, buf_str(&b), (int)b.len, SQLITE_TRANSIENT);
	buf_free(&b);
}

int
db_text_search_attach(sqlite3 *h)
{
	if (tokenizer != NULL) {
		fts5_api *api = NULL;
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(h, "SELECT fts5(?1)", -1, &st, NULL);
		if (rc != SQLITE_OK)
			return rc; /* SQLite built without FTS5 */
		sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(st);
		sqlite3_finalize(st);
		if (api == NULL || api->iVersion < 2)
			return SQLITE_ERROR;
		fts5_tokenizer tok = {fts_create, fts_delete, fts_tokenize};
		rc = api->xCreateTokenizer(api, tokenizer->name, (void *)tokenizer, &tok, NULL);
		if (rc != SQLITE_OK)
			return rc;
	}
	if (text_function != NULL)
		return sqlite3_create_function_v2(
			h, text_function->name, 1,
			SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
			(void *)text_function, sql_text_function, NULL, NULL, NULL);
	return SQLITE_OK;
}
