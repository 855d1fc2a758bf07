/* backup_store.c - `coexist backup`: a consistent copy made by VACUUM INTO a temporary file beside
 * the target, synced, then renamed into place; and what the copy holds. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db_priv.h"

/*
 * VACUUM INTO reads one snapshot, in one read transaction: writers go on beside it (WAL) and it
 * finishes whatever they do. The online backup API it replaces started again from the first
 * page whenever another connection wrote, so under steady writes it never finished.
 *
 * These statements run once per backup, on the source and on the copy (a connection of its
 * own, read-only and without the settings of db_open, which would turn the copy to WAL), so
 * they are prepared where used rather than cached by db_stmt(); backup_store_table lists them
 * for the query-plan test all the same.
 */
enum backup_stmt {
	BACKUP_VACUUM_INTO,
	BACKUP_PAGE_COUNT,
	BACKUP_COUNT_ORGANISATIONS,
	BACKUP_COUNT_USERS,
	BACKUP_COUNT_RESPONSES,
	BACKUP_COUNT_ANSWERS,
	BACKUP_COUNT_CASES,
	BACKUP_STMT__MAX
};

static const char *const backup_sql[BACKUP_STMT__MAX] = {
	[BACKUP_VACUUM_INTO] = "VACUUM INTO ?",
	[BACKUP_PAGE_COUNT] = "PRAGMA page_count",
	[BACKUP_COUNT_ORGANISATIONS] = "SELECT count(*) FROM organisations",
	[BACKUP_COUNT_USERS] = "SELECT count(*) FROM users",
	[BACKUP_COUNT_RESPONSES] = "SELECT count(*) FROM responses",
	[BACKUP_COUNT_ANSWERS] = "SELECT count(*) FROM answers",
	[BACKUP_COUNT_CASES] = "SELECT count(*) FROM cases",
};

const struct db_table backup_store_table = {DB_STORE_BACKUP, "backup", backup_sql,
					    BACKUP_STMT__MAX};

/* The tables a backup reports the rows of: what the platform exists to keep. */
static const struct {
	const char *name;
	enum backup_stmt stmt;
} counted[DB_BACKUP_TABLES] = {
	{"organisations", BACKUP_COUNT_ORGANISATIONS},
	{"users", BACKUP_COUNT_USERS},
	{"responses", BACKUP_COUNT_RESPONSES},
	{"answers", BACKUP_COUNT_ANSWERS},
	{"cases", BACKUP_COUNT_CASES},
};

/* Removes the temporary copy and the journal SQLite may have left beside it. */
static void
remove_partial(const char *tmp)
{
	char journal[4200];
	snprintf(journal, sizeof(journal), "%s-journal", tmp);
	unlink(tmp);
	unlink(journal);
}

/* Runs a one-row, one-column integer query; -1 when it cannot (a table this schema lacks). */
static long long
one_number(sqlite3 *h, enum backup_stmt which)
{
	sqlite3_stmt *st = NULL;
	long long v = -1;
	if (sqlite3_prepare_v2(h, backup_sql[which], -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Reads the page count and the rows of the main tables of the finished copy. */
static int
describe(const char *path, struct db_backup_report *rep, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, h ? sqlite3_errmsg(h) : "cannot open");
		sqlite3_close(h);
		return -1;
	}
	rep->pages = one_number(h, BACKUP_PAGE_COUNT);
	rep->ntables = 0;
	for (size_t i = 0; i < DB_BACKUP_TABLES; i++) {
		long long n = one_number(h, counted[i].stmt);
		if (n < 0)
			continue;
		rep->tables[rep->ntables].table = counted[i].name;
		rep->tables[rep->ntables].rows = n;
		rep->ntables++;
	}
	sqlite3_close(h);
	if (rep->pages < 0) {
		snprintf(err, errlen, "%s: the copy cannot be read back", path);
		return -1;
	}
	return 0;
}

/* Writes the file to the disk; *bytes is its size. */
static int
sync_file(const char *path, long long *bytes, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fsync(fd) != 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	*bytes = (long long)st.st_size;
	return 0;
}

/* Writes the folder holding path (its entries) to the disk. */
static int
sync_folder_of(const char *path)
{
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

/* Gives tmp the name dest, never replacing a file that appeared at dest meanwhile. */
static int
move_into_place(const char *tmp, const char *dest, char *err, size_t errlen)
{
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno == EINVAL || errno == ENOSYS) { /* a file system without RENAME_NOREPLACE */
		if (link(tmp, dest) == 0) {
			unlink(tmp);
			return 0;
		}
	}
	snprintf(err, errlen, "%s: %s", dest,
		 errno == EEXIST ? "a file appeared there meanwhile; the copy is not put there"
				 : strerror(errno));
	return -1;
}

int
db_backup(struct db *db, const char *dest, const char *tmp, struct db_backup_report *rep, char *err,
	  size_t errlen)
{
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(rep, 0, sizeof(*rep));
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->h, backup_sql[BACKUP_VACUUM_INTO], -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_text(st, 1, tmp, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: %s", dest, sqlite3_errmsg(db->h));
		sqlite3_finalize(st);
		remove_partial(tmp);
		return -1;
	}
	sqlite3_finalize(st);
	if (describe(tmp, rep, err, errlen) != 0 || sync_file(tmp, &rep->bytes, err, errlen) != 0 ||
	    move_into_place(tmp, dest, err, errlen) != 0) {
		remove_partial(tmp);
		return -1;
	}
	if (sync_folder_of(dest) != 0) {
		snprintf(err, errlen, "%s: the folder could not be synced: %s", dest,
			 strerror(errno));
		unlink(dest);
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rep->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return 0;
}
