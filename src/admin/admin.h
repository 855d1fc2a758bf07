/* admin.h - handlers of the coordinators' back office. */
#ifndef COEXIST_ADMIN_H
#define COEXIST_ADMIN_H

struct db;
struct request;

/* Messages waiting in the outbox, and those given up on (admin_store.c). 0 or -1. */
int admin_store_mail_counts(struct db *db, long long *waiting, long long *failed);
/* Responses submitted and in progress. 0 or -1. */
int admin_store_response_counts(struct db *db, long long *submitted, long long *draft);

/* GET /admin: figures and links for coordinators. */
void admin_dashboard(struct request *r);
/* GET /admin/users: people, their roles and status (admins). */
void admin_users(struct request *r);
/* POST /admin/users/{id}/role and /status: changes, audited; the last admin stays one. */
void admin_user_role(struct request *r);
void admin_user_status(struct request *r);
/* GET /admin/audit and /admin/audit.csv: the audit log, newest first, and its export. */
void admin_audit(struct request *r);
void admin_audit_csv(struct request *r);

#endif
