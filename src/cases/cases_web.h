/* cases_web.h - handlers of cases: public pages, open data, and the coordinators' curation. */
#ifndef COEXIST_CASES_WEB_H
#define COEXIST_CASES_WEB_H

struct request;

/* Labels of codes for the request's language (a case_label_fn for the PDFs). */
const char *cases_label(void *ctx, const char *kind, const char *code);

void cases_catalogue(struct request *r);
void cases_page(struct request *r);
void cases_sheet(struct request *r);
void cases_contact(struct request *r);
void cases_map(struct request *r);

void cases_api_list(struct request *r);
void cases_api_one(struct request *r);
void cases_api_openapi(struct request *r);

void cases_admin_list(struct request *r);
void cases_admin_create(struct request *r);
void cases_admin_edit(struct request *r);
void cases_admin_save(struct request *r);
void cases_admin_state(struct request *r);
void cases_admin_booklet(struct request *r);

#endif
