/* dates.h - stored times (ISO 8601 UTC text) as a reader of each language writes them. */
#ifndef COEXIST_DATES_H
#define COEXIST_DATES_H

#include <time.h>

#include "i18n.h"

struct arena;

/* "4 décembre 2026" / "4 December 2026" from "2026-12-04" or "2026-12-04T18:36:00Z"; "" when
 * iso is not a day of the calendar. In the arena. */
const char *date_text(struct arena *a, enum lang lang, const char *iso);
/* The same with the time of day: "4 décembre 2026 à 18:36 UTC" / "4 December 2026, 18:36 UTC";
 * a bare day gives date_text's. */
const char *date_time_text(struct arena *a, enum lang lang, const char *iso);
/* A moment (t) as date_text writes it, the day being the one in UTC. */
const char *date_of(struct arena *a, enum lang lang, time_t t);

#endif
