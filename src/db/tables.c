/* tables.c - every store's statement table by its slot (db_tables), for what looks at all the
 * SQL of the program at once: the query-plan test. */
#include "db.h"

const struct db_table *const db_tables[DB_STORE__MAX] = {
	[DB_STORE_META] = &meta_store_table,           [DB_STORE_USERS] = &users_store_table,
	[DB_STORE_SESSIONS] = &session_store_table,    [DB_STORE_TOKENS] = &tokens_store_table,
	[DB_STORE_THROTTLE] = &throttle_store_table,   [DB_STORE_AUDIT] = &audit_store_table,
	[DB_STORE_ORGS] = &orgs_store_table,           [DB_STORE_MAIL] = &mail_store_table,
	[DB_STORE_ADMIN] = &admin_store_table,         [DB_STORE_SURVEY] = &survey_store_table,
	[DB_STORE_RESPONSES] = &responses_store_table, [DB_STORE_EXPORT] = &export_store_table,
	[DB_STORE_LEARN] = &learn_store_table,         [DB_STORE_CASES] = &cases_store_table,
	[DB_STORE_RATE] = &rate_store_table,           [DB_STORE_SEARCH] = &search_store_table,
	[DB_STORE_BACKUP] = &backup_store_table,
};
