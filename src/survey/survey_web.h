/* survey_web.h - the questionnaire's pages: start, sections, private links, review, submit. */
#ifndef COEXIST_SURVEY_WEB_H
#define COEXIST_SURVEY_WEB_H

#include "survey.h"
#include "view/tmpl.h"

struct request;

void survey_index(struct request *r);
void survey_start_page(struct request *r);
void survey_start(struct request *r);
void survey_link(struct request *r);
void survey_section(struct request *r);
void survey_section_save(struct request *r);
void survey_review(struct request *r);
void survey_submit(struct request *r);
void survey_thanks(struct request *r);

/* The answers a page of section s shows: a's, except that a question with an error (or, with
 * as_typed, every question of the section) shows what the form held, as typed, to be
 * corrected or sent again (survey_render.c). */
const struct answers *survey_shown_answers(struct request *r, const struct qdef *d, size_t s,
					   const struct answers *a, const struct qerror *errs,
					   size_t nerrs, bool as_typed);
/* The values of one question for the page template (survey_render.c). */
struct tval *survey_render_question(struct request *r, const struct qdef *d,
				    const struct vocab_set *v, const struct question *q,
				    const struct answers *a, const struct qerror *errs,
				    size_t nerrs);
/* A question's answer as text a person reads (option labels, joined), or NULL when none. */
const char *survey_answer_text(struct request *r, const struct vocab_set *v,
			       const struct question *q, const struct answers *a);
/* The answered questions of a section as a list of {label, value}. */
struct tval *survey_render_summary(struct request *r, const struct qdef *d,
				   const struct vocab_set *v, size_t section,
				   const struct answers *a);

#endif
