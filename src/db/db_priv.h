/* db_priv.h - what the files of db/ share: the connection and statement structures, which no
 * file outside db/ sees (the SQLite handle stays here). */
#ifndef COEXIST_DB_PRIV_H
#define COEXIST_DB_PRIV_H

#include <sqlite3.h>

#include "db.h"

/* Where a statement is in its use (db.h). */
enum db_use {
	DB_USE_FREE,   /* ready to be taken */
	DB_USE_TAKEN,  /* taken by db_stmt or db_prepare, not stepped yet */
	DB_USE_ON_ROW, /* stepped to a row: its columns can be read */
};

struct db_stmt {
	sqlite3_stmt *s;
	struct db *db;
	const char *sql;
	enum db_use use;
};

struct db {
	sqlite3 *h;
	struct db_stmt stmts[DB_STORE__MAX][DB_STMT_MAX];
	int fault; /* extended result code of the last error counted by db_error, 0 when taken */
	int depth; /* transactions of db_begin open: 0 none, 1 BEGIN, more are savepoints */
};

/* Registers the tokenizer and text function of db_text_search_setup on a new connection.
 * SQLITE_OK, or an SQLite error code. */
int db_text_search_attach(sqlite3 *h);

#endif
