/* routes.c - every URL of the site, one line each, with the inputs each one accepts. */
#include "admin/admin.h"
#include "app.h"
#include "auth/auth.h"
#include "cases/cases_web.h"
#include "learn/learn.h"
#include "orgs/orgs.h"
#include "exchange/export.h"
#include "responses/responses.h"
#include "survey/survey_web.h"
#include "routes.h"

/* Declared inputs (router.h): anything else is dropped before the handler runs, and what is
 * kept reaches it checked and parsed (req_int, req_ints, req_cursor). */
/* One line a kind, as the fields below are read. */
/* clang-format off */
#define TEXT(name, max) {name, FIELD_TEXT, 0, max, NULL, 0, false}
#define INT(name, lo, hi) {name, FIELD_INT, lo, hi, NULL, 0, false}
#define INT_REQUIRED(name, lo, hi) {name, FIELD_INT, lo, hi, NULL, 0, true}
#define INTS(name, lo, hi, most) {name, FIELD_INT, lo, hi, NULL, most, false}
#define ENUM(name, ...) {name, FIELD_ENUM, 0, 0, (const char *const[]){__VA_ARGS__, NULL}, 0, false}
#define DATE(name) {name, FIELD_DATE, 0, 0, NULL, 0, false}
#define CURSOR(name) {name, FIELD_CURSOR, 1, ID_MAX, NULL, 0, false}
#define TOKEN(name, lo, hi) {name, FIELD_TOKEN, lo, hi, NULL, 0, false}
#define END {NULL, 0, 0, 0, NULL, 0, false}
/* clang-format on */

#define ID_MAX (1LL << 53) /* row ids: what a JSON number holds exactly */

/* Fields every route accepts: the display language (a link, any page), the CSRF token of forms. */
const struct field_spec app_global_fields[] = {
	ENUM("lang", "fr", "en"),
	TOKEN("csrf", 1, 64),
	END,
};

/* The {parameters} of the patterns below: a path whose parameter fails its check matches no
 * route (404). Tokens and slugs are only checked for shape here; their handlers look them up
 * (an unknown link gets its own page). */
const struct field_spec app_params[] = {
	INT("id", 1, ID_MAX), INT("n", 1, 99), /* a questionnaire section, from 1 */
	TOKEN("slug", 1, 64), TOKEN("token", 1, 64), END,
};

static const struct field_spec f_signup[] = {TEXT("email", 254),
					     TEXT("name", 120),
					     TEXT("org_name", 200),
					     TEXT("org_kind", 32),
					     TEXT("password", 1024),
					     TEXT("password2", 1024),
					     END};
static const struct field_spec f_signin_q[] = {TEXT("next", 512),
					       ENUM("done", "confirmed", "reset"), END};
static const struct field_spec f_signin[] = {TEXT("email", 254), TEXT("password", 1024),
					     TEXT("next", 512), END};
static const struct field_spec f_email[] = {TEXT("email", 254), END};
static const struct field_spec f_newpw[] = {TEXT("password", 1024), TEXT("password2", 1024), END};
static const struct field_spec f_org_q[] = {ENUM("done", "saved"), END};
static const struct field_spec f_org[] = {TEXT("name", 200), TEXT("description", 4000), END};
static const struct field_spec f_users_q[] = {INT("after", 1, ID_MAX),
					      ENUM("done", "role", "status", "last_admin"), END};
static const struct field_spec f_role[] = {ENUM("role", "member", "coordinator", "admin"), END};
static const struct field_spec f_status[] = {ENUM("status", "active", "disabled"), END};
static const struct field_spec f_audit_q[] = {INT("before", 1, ID_MAX), END};
static const struct field_spec f_saved_q[] = {ENUM("saved", "1"), END};
/* A questionnaire page: these, and the fields its definition declares (checked by qdef). */
static const struct field_spec f_section[] = {
	INT_REQUIRED("rev", 0, 1L << 30), ENUM("action", "prev", "save", "next", "autosave"), END};
static const struct field_spec f_booklet[] = {INTS("case", 1, ID_MAX, 200), TEXT("title", 200),
					      END};
static const struct field_spec f_responses_q[] = {ENUM("status", "", "draft", "submitted"),
						  INT("campaign", 1, ID_MAX),
						  TEXT("sector", 40),
						  TEXT("country", 2),
						  DATE("from"),
						  DATE("to"),
						  INT("before", 1, ID_MAX),
						  END};
static const struct field_spec f_export_q[] = {INT("campaign", 1, ID_MAX), END};
static const struct field_spec f_response_q[] = {
	ENUM("done", "locked", "unlocked", "note", "partner", "partner_unknown"), END};
static const struct field_spec f_lock[] = {ENUM("locked", "0", "1"), END};
static const struct field_spec f_note[] = {TEXT("body", 4000), END};
static const struct field_spec f_partner[] = {INT("partner", 0, ID_MAX), END}; /* 0: unlink */
static const struct field_spec f_campaigns_q[] = {
	ENUM("done", "dates", "bad_dates", "created", "bad_campaign", "slug_taken"), END};
static const struct field_spec f_dates[] = {TEXT("opens", 10), TEXT("closes", 10),
					    TEXT("contact_name", 120), TEXT("contact_email", 254),
					    END};
static const struct field_spec f_insight_q[] = {TEXT("sector", 40),
						TEXT("region", 8),
						TEXT("type", 40),
						INT("from", 1900, 2100),
						INT("to", 1900, 2100),
						ENUM("partly", "failure", "success"),
						ENUM("running", "1"),
						TEXT("item", 80),
						ENUM("outcome", "success", "failure"),
						ENUM("x", "1"),
						END};
static const struct field_spec f_cases_q[] = {TEXT("q", 200),
					      ENUM("sort", "relevance", "date"),
					      CURSOR("after"),
					      INT("at", 0, 500),
					      TEXT("sector", 40),
					      TEXT("country", 2),
					      TEXT("region", 8),
					      TEXT("type", 40),
					      TEXT("resource", 40),
					      TEXT("stage", 40),
					      TEXT("outcome", 40),
					      TEXT("sdg", 8),
					      TEXT("kind", 40),
					      ENUM("view", "africa", "world"),
					      END};
static const struct field_spec f_case_q[] = {ENUM("done", "sent"), END};
static const struct field_spec f_contact[] = {TEXT("name", 120), TEXT("email", 254),
					      TEXT("message", 3000), END};
static const struct field_spec f_done_q[] = {TEXT("done", 40), END};
static const struct field_spec f_case_edit[] = {
	TEXT("title_fr", 200),     TEXT("title_en", 200),    TEXT("summary_fr", 4000),
	TEXT("summary_en", 4000),  TEXT("results_fr", 4000), TEXT("results_en", 4000),
	TEXT("lessons_fr", 4000),  TEXT("lessons_en", 4000), TEXT("org_name", 200),
	TEXT("partner_name", 200), ENUM("reviewed", "1"),    END};
static const struct field_spec f_case_state[] = {
	ENUM("state", "draft", "review", "published", "archived"), END};
static const struct field_spec f_campaign[] = {
	TOKEN("slug", 2, 40),      TEXT("title_fr", 200),      TEXT("title_en", 200),
	TEXT("questionnaire", 64), TEXT("opens", 10),          TEXT("closes", 10),
	TEXT("contact_name", 120), TEXT("contact_email", 254), END};

#define T(...) ((const char *const[]){__VA_ARGS__, NULL})
#define MEMBER ROLE_MEMBER
#define COORD  ROLE_COORDINATOR
#define ADMIN  ROLE_ADMIN

/* A table a reader takes in at a glance: kept aligned by hand. */
/* clang-format off */
/* method, pattern, handler, flags, least role, templates it renders, declared inputs */
const struct route app_routes[ROUTE__MAX] = {
	[ROUTE_HOME]         = {"GET",  "/",                        site_home,         ROUTE_PUBLIC, 0,      T("app/home"),        NULL},
	[ROUTE_HEALTHZ]      = {"GET",  "/healthz",                 site_healthz,      ROUTE_BARE,   0,      NULL,             NULL},
	[ROUTE_METRICS]      = {"GET",  "/metrics",                 site_metrics,      ROUTE_BARE,   0,      NULL,             NULL},
	[ROUTE_STATIC]       = {"GET",  "/static/*",                site_static,       ROUTE_BARE,   0,      NULL,             NULL},
	[ROUTE_FAVICON]      = {"GET",  "/favicon.ico",             site_favicon,      ROUTE_BARE,   0,      NULL,             NULL},
	[ROUTE_SIGNUP_FORM]  = {"GET",  "/signup",                  auth_signup_form,  0,            0,      T("auth/signup"),      NULL},
	[ROUTE_SIGNUP]       = {"POST", "/signup",                  auth_signup,       0,            0,      T("auth/signup", "web/message"), f_signup},
	[ROUTE_CONFIRM_FORM] = {"GET",  "/confirm/{token}",         auth_confirm_form, 0,            0,      T("auth/confirm", "web/message"), NULL},
	[ROUTE_CONFIRM]      = {"POST", "/confirm/{token}",         auth_confirm,      0,            0,      T("web/message"),     NULL},
	[ROUTE_SIGNIN_FORM]  = {"GET",  "/signin",                  auth_signin_form,  0,            0,      T("auth/signin"),      f_signin_q},
	[ROUTE_SIGNIN]       = {"POST", "/signin",                  auth_signin,       0,            0,      T("auth/signin", "web/message"), f_signin},
	[ROUTE_SIGNOUT]      = {"POST", "/signout",                 auth_signout,      0,            0,      NULL,             NULL},
	[ROUTE_FORGOT_FORM]  = {"GET",  "/forgot",                  auth_forgot_form,  0,            0,      T("auth/forgot"),      NULL},
	[ROUTE_FORGOT]       = {"POST", "/forgot",                  auth_forgot,       0,            0,      T("auth/forgot", "web/message"), f_email},
	[ROUTE_RESET_FORM]   = {"GET",  "/reset/{token}",           auth_reset_form,   0,            0,      T("auth/reset", "web/message"), NULL},
	[ROUTE_RESET]        = {"POST", "/reset/{token}",           auth_reset,        0,            0,      T("auth/reset", "web/message"), f_newpw},
	[ROUTE_ACCOUNT]      = {"GET",  "/account",                 app_account,       0,            MEMBER, T("app/account"),     NULL},
	[ROUTE_ORG]          = {"GET",  "/orgs/{id}",               orgs_page,         0,            MEMBER, T("orgs/org"),         f_org_q},
	[ROUTE_ORG_SAVE]     = {"POST", "/orgs/{id}",               orgs_save,         0,            MEMBER, T("orgs/org"),         f_org},
	[ROUTE_ADMIN]        = {"GET",  "/admin",                   admin_dashboard,   0,            COORD,  T("admin/dashboard"),       NULL},
	[ROUTE_ADMIN_USERS]  = {"GET",  "/admin/users",             admin_users,       0,            ADMIN,  T("admin/users"), f_users_q},
	[ROUTE_ADMIN_ROLE]   = {"POST", "/admin/users/{id}/role",   admin_user_role,   0,            ADMIN,  NULL,             f_role},
	[ROUTE_ADMIN_STATUS] = {"POST", "/admin/users/{id}/status", admin_user_status, 0,            ADMIN,  NULL,             f_status},
	[ROUTE_ADMIN_AUDIT]  = {"GET",  "/admin/audit",             admin_audit,       0,            ADMIN,  T("admin/audit"), f_audit_q},
	[ROUTE_AUDIT_CSV]    = {"GET",  "/admin/audit.csv",         admin_audit_csv,   0,            ADMIN,  NULL,             NULL},
	[ROUTE_SURVEY_INDEX] = {"GET",  "/survey",                  survey_index,      0,            0,      T("survey/index"), NULL},
	[ROUTE_SURVEY_START_PAGE] = {"GET", "/survey/{slug}",       survey_start_page, 0,            0,      T("survey/start", "survey/closed"), NULL},
	[ROUTE_SURVEY_START] = {"POST", "/survey/{slug}/start",     survey_start,      0,            0,      NULL,             NULL},
	[ROUTE_SURVEY_REVIEW] = {"GET", "/survey/{slug}/review",    survey_review,     0,            0,      T("survey/review"), NULL},
	[ROUTE_SURVEY_SUBMIT] = {"POST", "/survey/{slug}/submit",   survey_submit,     0,            0,      T("survey/review", "web/message"), NULL},
	[ROUTE_SURVEY_THANKS] = {"GET", "/survey/{slug}/thanks",    survey_thanks,     0,            0,      T("survey/thanks"), NULL},
	[ROUTE_SURVEY_SECTION] = {"GET", "/survey/{slug}/{n}",      survey_section,    0,            0,      T("survey/section"), f_saved_q},
	[ROUTE_SURVEY_SAVE]  = {"POST", "/survey/{slug}/{n}",       survey_section_save, ROUTE_FORM_DEFINED, 0, T("survey/section", "web/message"), f_section},
	[ROUTE_SURVEY_LINK]  = {"GET",  "/r/{token}",               survey_link,       0,            0,      T("web/message"),     NULL},
	[ROUTE_RESPONSES]    = {"GET",  "/admin/responses",         responses_list,    0,            COORD,  T("responses/list"), f_responses_q},
	[ROUTE_RESPONSES_CSV] = {"GET", "/admin/responses.csv",     responses_export_csv,  0,        COORD,  NULL,             f_export_q},
	[ROUTE_RESPONSES_XLSX] = {"GET", "/admin/responses.xlsx",   responses_export_xlsx, 0,        COORD,  NULL,             f_export_q},
	[ROUTE_RESPONSES_JSON] = {"GET", "/admin/responses.json",   responses_export_json, 0,        COORD,  NULL,             f_export_q},
	[ROUTE_RESPONSE]     = {"GET",  "/admin/responses/{id}",    responses_view,    0,            COORD,  T("responses/response"), f_response_q},
	[ROUTE_RESPONSE_LOCK] = {"POST", "/admin/responses/{id}/lock", responses_lock, 0,            COORD,  NULL,             f_lock},
	[ROUTE_RESPONSE_NOTE] = {"POST", "/admin/responses/{id}/notes", responses_note, 0,           COORD,  NULL,             f_note},
	[ROUTE_RESPONSE_PARTNER] = {"POST", "/admin/responses/{id}/partner", responses_partner, 0,   COORD,  NULL,             f_partner},
	[ROUTE_CAMPAIGNS]    = {"GET",  "/admin/campaigns",         campaigns_list,    0,            COORD,  T("responses/campaigns"), f_campaigns_q},
	[ROUTE_CAMPAIGN_DATES] = {"POST", "/admin/campaigns/{id}/dates", campaigns_dates, 0,         COORD,  NULL,             f_dates},
	[ROUTE_INSIGHTS]     = {"GET",  "/admin/insights",          learn_admin,       0,            COORD,  T("learn/admin"), f_insight_q},
	[ROUTE_INSIGHT_CASES] = {"GET", "/admin/insights/cases",    learn_admin_cases, 0,            COORD,  T("learn/admin_cases"), f_insight_q},
	[ROUTE_INSIGHTS_PDF] = {"GET",  "/admin/insights.pdf",      learn_admin_pdf,   0,            COORD,  NULL,             f_insight_q},
	[ROUTE_INSIGHTS_XLSX] = {"GET", "/admin/insights.xlsx",     learn_admin_xlsx,  0,            COORD,  NULL,             f_insight_q},
	[ROUTE_LEARN]        = {"GET",  "/learn",                   learn_public,      ROUTE_PUBLIC, 0,      T("learn/public"),       f_insight_q},
	[ROUTE_CASES]        = {"GET",  "/cases",                   cases_catalogue,   ROUTE_PUBLIC, 0,      T("cases/catalogue"),       f_cases_q},
	[ROUTE_CASES_MAP]    = {"GET",  "/cases/map",               cases_map,         ROUTE_PUBLIC, 0,      T("cases/map"),   f_cases_q},
	[ROUTE_CASE]         = {"GET",  "/cases/{id}",              cases_page,        0,            0,      T("cases/case"),        f_case_q},
	[ROUTE_CASE_SHEET]   = {"GET",  "/cases/{id}/sheet.pdf",    cases_sheet,       ROUTE_PUBLIC, 0,      NULL,             NULL},
	[ROUTE_CASE_CONTACT] = {"POST", "/cases/{id}/contact",      cases_contact,     0,            0,      T("web/message"),     f_contact},
	[ROUTE_API_OPENAPI]  = {"GET",  "/api/v1/openapi.json",     cases_api_openapi, ROUTE_BARE,   0,      NULL,             NULL},
	[ROUTE_API_CASES]    = {"GET",  "/api/v1/cases",            cases_api_list,    ROUTE_PUBLIC, 0,      NULL,             f_cases_q},
	[ROUTE_API_CASE]     = {"GET",  "/api/v1/cases/{id}",       cases_api_one,     ROUTE_PUBLIC, 0,      NULL,             NULL},
	[ROUTE_ADMIN_CASES]  = {"GET",  "/admin/cases",             cases_admin_list,  0,            COORD,  T("cases/admin_list"), f_done_q},
	[ROUTE_CASE_CREATE]  = {"POST", "/admin/responses/{id}/case", cases_admin_create, 0,         COORD,  NULL,             NULL},
	[ROUTE_BOOKLET]      = {"POST", "/admin/cases/booklet",     cases_admin_booklet, 0,            COORD,  NULL,             f_booklet},
	[ROUTE_ADMIN_CASE]   = {"GET",  "/admin/cases/{id}",        cases_admin_edit,  0,            COORD,  T("cases/admin_edit"),  f_done_q},
	[ROUTE_ADMIN_CASE_SAVE] = {"POST", "/admin/cases/{id}",     cases_admin_save,  0,            COORD,  NULL,             f_case_edit},
	[ROUTE_ADMIN_CASE_STATE] = {"POST", "/admin/cases/{id}/state", cases_admin_state, 0,         COORD,  NULL,             f_case_state},
	[ROUTE_CAMPAIGN_CREATE] = {"POST", "/admin/campaigns",      campaigns_create,  0,            COORD,  NULL,             f_campaign},
};
/* clang-format on */
