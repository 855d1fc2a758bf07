/* db_query.h - what unit tests read back from a database: one number of a query, through the
 * data layer's own functions. Included by the test files that need it (static functions). */
#ifndef COEXIST_TEST_DB_QUERY_H
#define COEXIST_TEST_DB_QUERY_H

#include "db/db.h"

/* The first column of the first row of sql, with ?1 bound to arg when sql has it; -1 for SQL
 * NULL. Fails the test when the query fails or gives no row. */
static inline long long
query_int_arg(struct db *db, const char *sql, long long arg)
{
	struct db_stmt *st = db_prepare(db, sql);
	assert_non_null(st);
	if (strchr(sql, '?'))
		db_bind_int(st, 1, arg);
	assert_int_equal(db_step(st), 1);
	long long v = db_column_null(st, 0) ? -1 : db_column_int(st, 0);
	db_finalize(st);
	return v;
}

/* The first column of the first row of sql (no parameter). */
static inline long long
query_int(struct db *db, const char *sql)
{
	return query_int_arg(db, sql, 0);
}

#endif
