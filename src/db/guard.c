/* guard.c - start-up guards of a served database: one server per database (a lock file beside
 * it), and warnings when the database or its folder cannot be written. */
#include "guard.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/log.h"
#include "base/num.h"

int
db_lock_acquire(const char *path, bool *held, char *err, size_t errlen)
{
	*held = false;
	if (strcmp(path, ":memory:") == 0)
		return -2;
	char lock[4200];
	snprintf(lock, sizeof(lock), "%s.lock", path);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		snprintf(err, errlen, "cannot make the lock file %s: %s", lock, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		char text[32] = "";
		ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
		close(fd);
		if (e != EWOULDBLOCK) {
			snprintf(err, errlen, "cannot lock %s: %s", lock, strerror(e));
			return -1;
		}
		*held = true;
		text[n > 0 ? n : 0] = '\0';
		text[strcspn(text, "\n")] = '\0';
		long long pid;
		if (!num_parse(text, 1, 1LL << 31, &pid))
			snprintf(err, errlen,
				 "the database %s is served by another coexist serve (pid unknown; "
				 "see %s); stop it first, or give this one another database.path",
				 path, lock);
		else
			snprintf(err, errlen,
				 "the database %s is served by another coexist serve (pid %lld); "
				 "stop it first, or give this one another database.path",
				 path, pid);
		return -1;
	}
	char text[32];
	int len = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)len, 0) != len)
		log_warn("%s: cannot write this pid into it: %s", lock, strerror(errno));
	return fd;
}

void
db_lock_release(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* Warns when what (file or folder) at p is not writable; 1 when it warned. */
static int
warn_if_unwritable(const char *what, const char *p, const char *consequence)
{
	struct stat st;
	if (stat(p, &st) != 0)
		return 0;
	unsigned mode = (unsigned)(st.st_mode & 07777);
	if ((mode & 0222) == 0) {
		if (geteuid() == 0)
			log_warn("the database %s %s is read-only (mode %04o): it is written only "
				 "because coexist runs as root, which ignores permission bits; as "
				 "any "
				 "other user, %s",
				 what, p, mode, consequence);
		else
			log_warn("the database %s %s is read-only (mode %04o): %s", what, p, mode,
				 consequence);
		return 1;
	}
	if (access(p, W_OK) != 0 && errno != EROFS) {
		log_warn("the database %s %s is read-only for this user (mode %04o, owner %ld): %s",
			 what, p, mode, (long)st.st_uid, consequence);
		return 1;
	}
	return 0;
}

int
db_warn_unwritable(const char *path)
{
	if (strcmp(path, ":memory:") == 0)
		return 0;
	char copy[4096];
	snprintf(copy, sizeof(copy), "%s", path);
	const char *dir = dirname(copy);
	int n = warn_if_unwritable("file", path, "saves fail");
	n += warn_if_unwritable("folder", dir,
				"SQLite cannot make its -wal and -shm files there, nor coexist its "
				"lock file");
	struct statvfs vfs;
	if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
		log_warn("the database folder %s is on a read-only file system: saves will fail",
			 dir);
		n++;
	}
	return n;
}
