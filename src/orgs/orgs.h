/* orgs.h - organisations: NGOs, companies, clusters, universities, networks. */
#ifndef COEXIST_ORGS_H
#define COEXIST_ORGS_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct db;

/* Texts are allocated in the arena given to the store: never NULL, "" when empty. */
struct org {
	long long id;
	const char *name;
	const char *kind;
	const char *country;
	const char *description;
	const char *updated_at;
};

/* Creates an organisation; returns its id or -1. */
long long orgs_store_create(struct db *db, const char *name, const char *kind, const char *country,
			    const char *description);
/* Fills out, its texts in a; 1 found, 0 not, -1 error. */
int orgs_store_get(struct db *db, long long id, struct arena *a, struct org *out);
/* Changes name and description. 0 or -1. */
int orgs_store_update(struct db *db, long long id, const char *name, const char *description);
/* Number of organisations, or -1. */
long long orgs_store_count(struct db *db);

struct request;
/* GET /orgs/{id}: the page of one's own organisation (any, for coordinators); 404 otherwise. */
void orgs_page(struct request *r);
/* POST /orgs/{id}: changes its name and description (audited when a coordinator does it). */
void orgs_save(struct request *r);

#endif
