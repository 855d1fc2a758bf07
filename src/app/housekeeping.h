/* housekeeping.h - the database's care while the site serves (idle WAL checkpoints). */
#ifndef COEXIST_HOUSEKEEPING_H
#define COEXIST_HOUSEKEEPING_H

struct config;
struct server;
struct housekeeping;

/* Starts the thread that checkpoints and truncates the WAL once server s has been idle for a
 * second. NULL (and nothing to do) for a database in memory or when no thread can start. */
struct housekeeping *housekeeping_start(const struct config *c, const struct server *s);
/* Stops the thread and closes its connection (NULL is allowed). */
void housekeeping_stop(struct housekeeping *h);

#endif
