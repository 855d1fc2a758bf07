/* num.h - strict parsing of whole numbers and calendar days from text (no project knowledge). */
#ifndef COEXIST_NUM_H
#define COEXIST_NUM_H

#include <stdbool.h>

/* Parses a decimal whole number: an optional '-' and 1 to 19 digits, nothing before or after.
 * True with the value in *out when it lies in min..max; false otherwise (*out untouched). */
bool num_parse(const char *s, long long min, long long max, long long *out);
/* Parses a day of the Gregorian calendar written YYYY-MM-DD (years 1000..9999), checking the
 * month's length and leap years. True with the parts when it is one; NULL parts are skipped. */
bool num_parse_date(const char *s, int *year, int *month, int *day);
/* True when s is a UTC time written YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ with valid parts. */
bool num_valid_utc_time(const char *s);

#endif
