/* form.h - helpers for pages with forms: typed values kept, errors next to their field. */
#ifndef COEXIST_FORM_H
#define COEXIST_FORM_H

#include <stdbool.h>

#include "http/http.h"
#include "view/tmpl.h"

/* A form's context: starts with the CSRF token (made if needed) and the values typed. */
struct tval *form_ctx(struct request *r);
/* Sets "err_<field>" to the translation of key and counts the error. */
void form_error(struct request *r, struct tval *ctx, const char *field, const char *key);
/* True when form_error was called for this context. */
bool form_has_errors(const struct tval *ctx);
/* Copies the typed value of a field back into the context (never a password). */
void form_keep(struct request *r, struct tval *ctx, const char *field);
/* An address the outbox can deliver to: the one rule of base/email.h (email_valid). */
bool form_email_valid(const char *s);
/* A local path to go back to after signing in ("/x", not "//x"); else NULL. */
const char *form_local_path(const char *s);
#endif
