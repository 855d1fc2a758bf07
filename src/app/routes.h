/* routes.h - every page of the site (the route table, routes.c), the gate before them all
 * (gate.c), and the site's own pages (site_web.c). */
#ifndef COEXIST_ROUTES_H
#define COEXIST_ROUTES_H

#include "http/http.h"

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
/* The fields every route accepts (the display language, the CSRF token of forms). */
extern const struct field_spec app_global_fields[];

/* Closes a worker's database connection (the server's slot_free). */
void app_slot_free(void *slot);
/* The gate before every handler (gate.c): the worker's database connection, the language, the
 * session, CSRF and Origin on POST, then the route's role (visitors are sent to sign in, others
 * get 403). */
void app_gate(struct request *r);
/* After every handler: a transaction left open is rolled back and the answer becomes a 500. */
void app_after(struct request *r);

/* Handlers of the site itself (site_web.c). */
void site_home(struct request *r);
void site_healthz(struct request *r);
void site_metrics(struct request *r);
void site_static(struct request *r);
void site_favicon(struct request *r);
/* The account page: the person and their organisation (account_web.c). */
void app_account(struct request *r);

#endif
