/* audit.h - who changed what, when: the audit log of coordinators' and admins' changes. */
#ifndef COEXIST_AUDIT_H
#define COEXIST_AUDIT_H

#include <stddef.h>

struct db;
struct user;

struct audit_entry {
	long long id;
	char at[24];
	long long actor_id; /* 0: the shell or a person since erased */
	char actor_email[256];
	char action[64];
	char entity[32];
	long long entity_id;
	char detail[512];
};

/* Records one change. actor NULL means the shell (`coexist user ...`). 0 or -1. */
int audit_store_add(struct db *db, const struct user *actor, const char *action,
                    const char *entity, long long entity_id, const char *detail);
/* Calls fn for entries, newest first, with id below before_id (0: from the newest); at most
 * limit entries. Returns the number given, or -1. */
int audit_store_list(struct db *db, long long before_id, int limit,
                     void (*fn)(void *ctx, const struct audit_entry *e), void *ctx);

#endif
