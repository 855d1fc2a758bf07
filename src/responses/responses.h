/* responses.h - the coordinators' side of collection: listing, reading, locking, notes, links
 * between partner views, campaigns' dates, exports. */
#ifndef COEXIST_RESPONSES_H
#define COEXIST_RESPONSES_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct db;
struct request;

struct response_filter {
	const char *status;    /* "draft", "submitted" or NULL */
	long long campaign;    /* 0: any */
	const char *sector;    /* an option code of the sectors question, or NULL */
	const char *country;   /* an ISO code of the countries question, or NULL */
	const char *from, *to; /* YYYY-MM-DD of the last change, from included, to excluded */
};

/* Texts in the arena given to the store: never NULL, "" when empty. */
struct response_row {
	long long id, partner_of;
	bool submitted, locked;
	const char *campaign;         /* the campaign's slug */
	const char *org_name, *title; /* as the respondent typed them, "" when not yet */
	const char *created_at, *updated_at;
};

/* Calls fn for responses matching f, newest first, with id below before (0: from the newest),
 * at most limit, their texts in a; the organisation, title, sectors and countries are the
 * answers of those roles in each campaign's questionnaire (roles: qdef_roles_json of the loaded
 * ones). Returns the number given, or -1. */
int responses_store_list(struct db *db, const char *roles, const struct response_filter *f,
			 long long before, int limit, struct arena *a,
			 void (*fn)(void *ctx, const struct response_row *row), void *ctx);

/* Texts in the arena given to the store: never NULL, "" when empty. */
struct response_note {
	long long id;
	const char *author; /* the author's address, "" when the account was erased */
	const char *body;
	const char *created_at;
};

/* Adds a coordinator's note to a response. 0 or -1. */
int responses_store_note_add(struct db *db, long long response_id, long long author_id,
			     const char *body);
/* Calls fn for the notes of a response, oldest first, their texts in a. Returns how many, or
 * -1. */
int responses_store_notes(struct db *db, long long response_id, struct arena *a,
			  void (*fn)(void *ctx, const struct response_note *n), void *ctx);

/* Handlers (responses_web.c). */
void responses_list(struct request *r);
void responses_view(struct request *r);
void responses_lock(struct request *r);
void responses_note(struct request *r);
void responses_partner(struct request *r);
void campaigns_list(struct request *r);
void campaigns_dates(struct request *r);
void campaigns_create(struct request *r);

#endif
