/* num.c - strict parsing of whole numbers and calendar days from text (no project knowledge). */
#include "num.h"

#include <stddef.h>
#include <string.h>

bool
num_parse(const char *s, long long min, long long max, long long *out)
{
	if (s == NULL)
		return false;
	bool neg = *s == '-';
	if (neg)
		s++;
	size_t n = 0;
	unsigned long long v = 0;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n == 19)
			return false;
		v = v * 10 + (unsigned)(s[n] - '0'); /* 19 digits fit in 64 unsigned bits */
	}
	if (n == 0 || v > (unsigned long long)9223372036854775807LL)
		return false;
	long long x = neg ? -(long long)v : (long long)v;
	if (x < min || x > max)
		return false;
	*out = x;
	return true;
}

/* n digits at s as a number, or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static bool
date_parts(const char *s, int *year, int *month, int *day)
{
	if (strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return false;
	int y = digits(s, 4), m = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1000 || m < 1 || m > 12 || d < 1)
		return false;
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > days[m - 1] + (m == 2 && leap))
		return false;
	if (year)
		*year = y;
	if (month)
		*month = m;
	if (day)
		*day = d;
	return true;
}

bool
num_parse_date(const char *s, int *year, int *month, int *day)
{
	return s && strlen(s) == 10 && date_parts(s, year, month, day);
}

bool
num_valid_utc_time(const char *s)
{
	if (s == NULL || !date_parts(s, NULL, NULL, NULL))
		return false;
	size_t n = strlen(s);
	if (n == 10)
		return true;
	if (n != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return false;
	int h = digits(s + 11, 2), mi = digits(s + 14, 2), se = digits(s + 17, 2);
	return h >= 0 && h < 24 && mi >= 0 && mi < 60 && se >= 0 && se < 61;
}
