/* guard.h - start-up guards of a served database: one server per database (a lock file beside
 * it), and warnings when the database or its folder cannot be written. */
#ifndef COEXIST_GUARD_H
#define COEXIST_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* Makes this process the only server of the database at path: path + ".lock", locked with
 * flock() for as long as the returned descriptor stays open (the kernel drops the lock when the
 * process ends, however it ends, so a stale file blocks nobody), and holding this pid. Returns
 * the descriptor; -1 with err on failure, *held set when another process holds the lock (err
 * then names its pid). ":memory:" needs no lock: returns -2. */
int db_lock_acquire(const char *path, bool *held, char *err, size_t errlen);
/* Releases the lock (the file stays: removing it would let two servers lock two files). */
void db_lock_release(int fd);
/* Logs one warning line for each reason the database file or its folder cannot be written:
 * permission bits without any write bit (root ignores them, so it works today as root and fails
 * as any other user), no write access for this user, a read-only file system. Returns how many. */
int db_warn_unwritable(const char *path);

#endif
