/* migrate.h - numbered schema migrations, applied together in one transaction. */
#ifndef COEXIST_MIGRATE_H
#define COEXIST_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>

struct db;

struct db_migration {
	int version; /* from the file name NNNN_name.sql; strictly increasing */
	const char *name;
	const char *sql;
};

/* The project's migrations, compiled in from db/migrations/ (build/gen/migrations.c). */
extern const struct db_migration db_migrations[];
extern const size_t db_migrations_count;

/* Returns the highest applied version (0 for a new database), or -1 with err. */
int migrate_current(struct db *db, char *err, size_t errlen);
/* Applies every pending migration of list in one transaction: all or none. Refuses a
 * database newer than the list, and a list out of order. Returns the number applied, or -1
 * with "migration NNNN name: reason" in err (the database is then unchanged). */
int migrate_apply(struct db *db, const struct db_migration *list, size_t n, char *err,
		  size_t errlen);
/* Writes one line per migration: version, name, applied time or "pending". -1 with err. */
int migrate_print_status(struct db *db, const struct db_migration *list, size_t n, void *file,
			 char *err, size_t errlen);

#endif
