/* app.h - the application every handler shares: settings, translations, templates, static
 * files, the vocabulary, the questionnaires, and the steps that cross modules. Made at start-up
 * (app.c) and read-only afterwards. Included by the domain modules for these resources; it
 * names no module's types beyond forward declarations. */
#ifndef COEXIST_APP_H
#define COEXIST_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "http/http.h"
#include "view/tmpl.h"

struct config;
struct static_set;
struct server;
struct mail_worker;
struct qdef;
struct vocab_set;
struct world_map;

/* The steps that cross modules (app/steps.c), called by the module where they start: a module
 * never calls another one above it, it asks the application. */
struct app_steps {
	/* A response was just submitted (inside its transaction): make or refresh the cases
	 * made from it, as its consents now allow. 0 or -1. */
	int (*response_submitted)(struct request *r, long long response_id);
	/* What a respondent reads after submitting: how their partnership compares (into ctx). */
	void (*response_feedback)(struct request *r, long long response_id, struct tval *ctx);
	/* A person confirmed the address they signed up with (inside the transaction): make the
	 * organisation they typed and make them its member. 0 or -1. */
	int (*address_confirmed)(struct request *r, long long user_id);
};

struct app {
	const struct config *config;
	struct i18n *i18n;
	struct tmpl_set *tmpl;
	struct static_set *statics;
	struct server *server;
	struct vocab_set *vocab;        /* data/vocab/ and data/countries.json */
	struct qdef *questionnaires[8]; /* data/questionnaires/ */
	size_t nquestionnaires;
	char *roles_json;         /* their roles, for SQL over campaigns (qdef_roles_json) */
	struct world_map *map;    /* data/map/countries.json */
	char *openapi;            /* data/openapi.json, served as it is */
	struct mail_worker *mail; /* delivery thread, when serving (NULL in commands) */
	unsigned char secret[32]; /* the instance secret (CSRF tokens), from the database */
	struct app_steps steps;
};

/* The application of a request. */
const struct app *app_of(const struct request *r);
/* The questionnaire of a key and version, or NULL. */
const struct qdef *app_questionnaire(const struct app *app, const char *key, int version);
/* Loads locale/, templates/, static/ and data/ from config->share and checks that every
 * template the route table names exists. -1 with a reason (file:line where known) in err. */
int app_load(struct app *app, const struct config *config, char *err, size_t errlen);
void app_free(struct app *app);

#endif
