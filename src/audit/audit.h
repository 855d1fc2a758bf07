/* audit.h - who changed what, when: the audit log of coordinators' and admins' changes. */
#ifndef COEXIST_AUDIT_H
#define COEXIST_AUDIT_H

#include <stddef.h>

struct arena;
struct db;

/* Who made a change: a person (their id and address at the time) or, with id 0, the shell. */
struct audit_who {
	long long id;
	const char *email;
};
/* The person signed in (a const struct user *, from auth.h) as the author of a change. */
#define AUDIT_BY(u) ((struct audit_who){(u)->id, (u)->email})
/* A change made from the shell (`coexist user ...`, imports, consent withdrawn by a sending). */
#define AUDIT_SHELL ((struct audit_who){0, "(shell)"})

/* Texts are allocated in the arena given to the store: never NULL, "" when empty. */
struct audit_entry {
	long long id;
	const char *at;
	long long actor_id; /* 0: the shell or a person since erased */
	const char *actor_email;
	const char *action;
	const char *entity;
	long long entity_id;
	const char *detail;
};

/* Records one change made by who. 0 or -1. */
int audit_store_add(struct db *db, struct audit_who who, const char *action, const char *entity,
		    long long entity_id, const char *detail);
/* Calls fn for entries, newest first, with id below before_id (0: from the newest); at most
 * limit entries, their texts in a. Returns the number given, or -1. */
int audit_store_list(struct db *db, long long before_id, int limit, struct arena *a,
		     void (*fn)(void *ctx, const struct audit_entry *e), void *ctx);

#endif
