/* orgs.h - organisations: NGOs, companies, clusters, universities, networks. */
#ifndef COEXIST_ORGS_H
#define COEXIST_ORGS_H

#include <stdbool.h>
#include <stddef.h>

struct db;

struct org {
	long long id;
	char name[256];
	char kind[32];
	char country[8];
	char description[4096];
	char updated_at[24];
};

/* The kinds of organisation, as stored (labels are translations "org.kind.<code>"). */
extern const char *const org_kinds[];
bool org_kind_valid(const char *code);

/* Creates an organisation; returns its id or -1. */
long long orgs_store_create(struct db *db, const char *name, const char *kind,
                            const char *country, const char *description);
/* 1 found, 0 not, -1 error. */
int orgs_store_get(struct db *db, long long id, struct org *out);
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
