/* qdef_priv.h - what the files of the questionnaire engine share: where a question sits, and
 * the indexing of roles once a definition is parsed. */
#ifndef COEXIST_QDEF_PRIV_H
#define COEXIST_QDEF_PRIV_H

#include <stdbool.h>
#include <stddef.h>

#include "qdef.h"

struct arena;

/* Where a question sits: at the top of a section, in a group's fields, in a multi's details. */
enum qplace { QP_QUESTION, QP_FIELD, QP_DETAIL };

/* The name of a type ("single"). */
const char *qdef_type_name(enum qtype t);
/* Fills d->roles and d->role_keys (keys in ar) from the roles the questions were given, and
 * refuses a role given twice, given to a question of a type it does not take or out of its
 * place, or given without the role it goes with. False with "name: key: reason" in err. */
bool qrole_index(struct qdef *d, struct arena *ar, const char *name, char *err, size_t errlen);

#endif
