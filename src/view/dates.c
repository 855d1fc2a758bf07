/* dates.c - stored times (ISO 8601 UTC text) as a reader of each language writes them. */
#include "dates.h"

#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/num.h"

static const char *const months[LANG__MAX][12] = {
	[LANG_FR] = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		     "septembre", "octobre", "novembre", "décembre"},
	[LANG_EN] = {"January", "February", "March", "April", "May", "June", "July", "August",
		     "September", "October", "November", "December"},
};

/* The day of "YYYY-MM-DD…", or false. */
static bool
day_of(const char *iso, int *y, int *m, int *d)
{
	char day[11];
	if (iso == NULL || strlen(iso) < 10)
		return false;
	memcpy(day, iso, 10);
	day[10] = '\0';
	return num_parse_date(day, y, m, d);
}

const char *
date_text(struct arena *a, enum lang lang, const char *iso)
{
	int y, m, d;
	if (!day_of(iso, &y, &m, &d))
		return "";
	/* French writes the first of the month "1er". */
	if (lang == LANG_FR && d == 1)
		return arena_printf(a, "1er %s %d", months[lang][m - 1], y);
	return arena_printf(a, "%d %s %d", d, months[lang][m - 1], y);
}

const char *
date_time_text(struct arena *a, enum lang lang, const char *iso)
{
	const char *day = date_text(a, lang, iso);
	if (day[0] == '\0' || !num_valid_utc_time(iso) || strlen(iso) != 20)
		return day;
	return arena_printf(a, lang == LANG_FR ? "%s à %.5s UTC" : "%s, %.5s UTC", day, iso + 11);
}

const char *
date_of(struct arena *a, enum lang lang, time_t t)
{
	struct tm tm;
	char iso[16];
	if (gmtime_r(&t, &tm) == NULL || strftime(iso, sizeof(iso), "%Y-%m-%d", &tm) == 0)
		return "";
	return date_text(a, lang, iso);
}
