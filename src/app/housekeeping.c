/* housekeeping.c - the database's care while the site serves: once the server has been idle for
 * a moment, the WAL is checkpointed and truncated, on a connection of its own. */
#include "housekeeping.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/log.h"
#include "config.h"
#include "db/db.h"
#include "http/server.h"

#define IDLE_CHECKPOINT_MS 1000 /* without a request this long, the WAL is checkpointed */
#define ROUND_MS           250  /* how often the thread looks */

struct housekeeping {
	const struct config *config;
	const struct server *server;
	pthread_t thread;
	bool stop;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

/*
 * The WAL grows with each commit, and SQLite starts it again from the beginning only after a
 * checkpoint has copied it all back while no reader needed it, which a busy server rarely
 * allows; journal_size_limit (db.c) then cuts the file back. So once the server has been idle
 * for a moment, this thread checkpoints on its own connection and truncates the WAL. It never
 * makes a request wait: its connection has no busy timeout, so with a reader or a writer about
 * it gets SQLITE_BUSY at once and tries again on its next round.
 */
static void *
run(void *arg)
{
	struct housekeeping *h = arg;
	struct db *db = NULL;
	bool told = false;
	size_t wl = strlen(h->config->db) + 5;
	char *wal = malloc(wl);
	if (wal == NULL)
		die("out of memory");
	snprintf(wal, wl, "%s-wal", h->config->db);
	pthread_mutex_lock(&h->lock);
	while (!h->stop) {
		struct timespec until;
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_nsec += ROUND_MS * 1000L * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&h->cond, &h->lock, &until);
		if (h->stop)
			break;
		pthread_mutex_unlock(&h->lock);
		struct stat st;
		if (server_idle_ms(h->server) >= IDLE_CHECKPOINT_MS && stat(wal, &st) == 0 &&
		    st.st_size > 0) {
			char err[512];
			if (db == NULL &&
			    (db = db_open(h->config->db, 0, err, sizeof(err))) == NULL && !told) {
				log_warn("checkpoints: cannot open the database: %s", err);
				told = true;
			}
			if (db && db_checkpoint(db) == 0)
				log_debug("checkpoint: WAL of %lld bytes truncated",
					  (long long)st.st_size);
		}
		pthread_mutex_lock(&h->lock);
	}
	pthread_mutex_unlock(&h->lock);
	db_close(db);
	free(wal);
	return NULL;
}

struct housekeeping *
housekeeping_start(const struct config *c, const struct server *s)
{
	if (strcmp(c->db, ":memory:") == 0)
		return NULL;
	struct housekeeping *h = calloc(1, sizeof(*h));
	if (h == NULL)
		die("out of memory");
	h->config = c;
	h->server = s;
	pthread_mutex_init(&h->lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&h->cond, &ca);
	pthread_condattr_destroy(&ca);
	int rc = pthread_create(&h->thread, NULL, run, h);
	if (rc != 0) {
		log_warn("no idle checkpoints: %s", strerror(rc));
		pthread_cond_destroy(&h->cond);
		pthread_mutex_destroy(&h->lock);
		free(h);
		return NULL;
	}
	return h;
}

void
housekeeping_stop(struct housekeeping *h)
{
	if (h == NULL)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_signal(&h->cond);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
