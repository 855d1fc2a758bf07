/* app.h - what every handler shares: configuration, templates, catalogues, static files. */
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

struct app {
	const struct config *config;
	struct i18n *i18n;
	struct tmpl_set *tmpl;
	struct static_set *statics;
	struct server *server;
	struct vocab_set *vocab;   /* data/vocab/ and data/countries.json */
	struct qdef *questionnaires[8]; /* data/questionnaires/ */
	size_t nquestionnaires;
	struct world_map *map;     /* data/map/countries.json */
	char *openapi;             /* data/openapi.json, served as it is */
	struct mail_worker *mail;  /* delivery thread, when serving (NULL in commands) */
	unsigned char secret[32]; /* the instance secret (CSRF tokens), from the database */
};

/* Loads locale/, templates/ and static/ from config->share and checks that every template
 * the route table names exists. -1 with a reason (file:line where known) in err. */
int app_load(struct app *app, const struct config *config, char *err, size_t errlen);
void app_free(struct app *app);
/* The questionnaire of a key and version, or NULL. */
const struct qdef *app_questionnaire(const struct app *app, const char *key, int version);
/* The application of a request. */
const struct app *app_of(const struct request *r);

/* The pages of the site; the route table (routes.c) has one line for each. */
enum route_id {
	ROUTE_HOME,
	ROUTE_HEALTHZ,
	ROUTE_METRICS,
	ROUTE_STATIC,
	ROUTE_FAVICON,
	ROUTE_SIGNUP_FORM,
	ROUTE_SIGNUP,
	ROUTE_CONFIRM_FORM,
	ROUTE_CONFIRM,
	ROUTE_SIGNIN_FORM,
	ROUTE_SIGNIN,
	ROUTE_SIGNOUT,
	ROUTE_FORGOT_FORM,
	ROUTE_FORGOT,
	ROUTE_RESET_FORM,
	ROUTE_RESET,
	ROUTE_ACCOUNT,
	ROUTE_ORG,
	ROUTE_ORG_SAVE,
	ROUTE_ADMIN,
	ROUTE_ADMIN_USERS,
	ROUTE_ADMIN_ROLE,
	ROUTE_ADMIN_STATUS,
	ROUTE_ADMIN_AUDIT,
	ROUTE_AUDIT_CSV,
	ROUTE_SURVEY_INDEX,
	ROUTE_SURVEY_START_PAGE,
	ROUTE_SURVEY_START,
	ROUTE_SURVEY_REVIEW,
	ROUTE_SURVEY_SUBMIT,
	ROUTE_SURVEY_THANKS,
	ROUTE_SURVEY_SECTION,
	ROUTE_SURVEY_SAVE,
	ROUTE_SURVEY_LINK,
	ROUTE_RESPONSES,
	ROUTE_RESPONSES_CSV,
	ROUTE_RESPONSES_XLSX,
	ROUTE_RESPONSES_JSON,
	ROUTE_RESPONSE,
	ROUTE_RESPONSE_LOCK,
	ROUTE_RESPONSE_NOTE,
	ROUTE_RESPONSE_PARTNER,
	ROUTE_CAMPAIGNS,
	ROUTE_CAMPAIGN_DATES,
	ROUTE_CAMPAIGN_CREATE,
	ROUTE_INSIGHTS,
	ROUTE_INSIGHT_CASES,
	ROUTE_INSIGHTS_PDF,
	ROUTE_INSIGHTS_XLSX,
	ROUTE_LEARN,
	ROUTE_CASES,
	ROUTE_CASES_MAP,
	ROUTE_CASE,
	ROUTE_CASE_SHEET,
	ROUTE_CASE_CONTACT,
	ROUTE_API_OPENAPI,
	ROUTE_API_CASES,
	ROUTE_API_CASE,
	ROUTE_ADMIN_CASES,
	ROUTE_CASE_CREATE,
	ROUTE_BOOKLET,
	ROUTE_ADMIN_CASE,
	ROUTE_ADMIN_CASE_SAVE,
	ROUTE_ADMIN_CASE_STATE,
	ROUTE__MAX
};

extern const struct route app_routes[ROUTE__MAX];
/* The {parameters} of the route table's patterns, each with its check (routes.c). */
extern const struct field_spec app_params[];

/* Renders template name as the body of the layout and answers 200 (or status) with HTML.
 * title_key is a translation key; ctx may be NULL. */
void page_render(struct request *r, int status, const char *name, const char *title_key,
		 struct tval *ctx);
/* The site's error page (an http_error_page). */
void page_error(struct request *r, int status);
/* The translation of key in the request's language. */
const char *page_t(const struct request *r, const char *key);

/* The gate before every handler (gate.c): finds the session, checks CSRF and Origin on POST,
 * then the route's role (visitors are sent to sign in, others get 403). */
void web_gate(struct request *r);
/* The cookie name for "session" or "csrf" (with the __Host- prefix over HTTPS). */
const char *web_cookie_name(const struct request *r, const char *base);
/* Sets a cookie (HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS); max_age 0 deletes it. */
void web_set_cookie(struct request *r, const char *base, const char *value, long max_age);
/* Makes sure the page has a CSRF token for its forms (a visitor gets a pre-session cookie). */
void web_csrf_ensure(struct request *r);

/* Handlers of the site itself (site_web.c). */
void site_home(struct request *r);
void site_healthz(struct request *r);
void site_metrics(struct request *r);
void site_static(struct request *r);
void site_favicon(struct request *r);

#endif
