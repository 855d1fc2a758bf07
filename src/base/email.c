/* email.c - one rule for e-mail addresses: what every form accepts is what the outbox delivers. */
#include "email.h"

#include <string.h>

#include "utf8.h"

#define LOCAL_MAX 64 /* bytes of the local part (RFC 5321, 4.5.3.1.1) */
#define LABEL_MAX 63 /* bytes of one domain label (RFC 1035) */

/* The printable ASCII an unquoted local part may hold besides letters and digits (RFC 5322
 * atext). None of them can end a header, start a list or open a display name. */
static bool
atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL);
}

/* Length of the UTF-8 sequence at s (already known to be valid) when it is a character an
 * address may hold: not a C1 control, not a space or an invisible separator. 0 otherwise. */
static size_t
non_ascii(const unsigned char *s)
{
	unsigned cp;
	size_t n;
	if (s[0] < 0xE0) {
		cp = ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
		n = 2;
	} else if (s[0] < 0xF0) {
		cp = ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
		n = 3;
	} else {
		cp = ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) |
		     (s[3] & 0x3Fu);
		n = 4;
	}
	if (cp <= 0xA0 || cp == 0xAD || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200F) ||
	    (cp >= 0x2028 && cp <= 0x202F) || (cp >= 0x205F && cp <= 0x206F) || cp == 0x3000 ||
	    cp == 0xFEFF)
		return 0;
	return n;
}

static bool
local_ok(const unsigned char *s, size_t n)
{
	if (n == 0 || n > LOCAL_MAX || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n;) {
		if (s[i] == '.') {
			if (s[i + 1] == '.')
				return false;
			i++;
		} else if (s[i] >= 0x80) {
			size_t k = non_ascii(s + i);
			if (k == 0)
				return false;
			i += k;
		} else if (atext(s[i])) {
			i++;
		} else {
			return false;
		}
	}
	return true;
}

static bool
domain_ok(const unsigned char *s, size_t n)
{
	size_t labels = 0;
	const unsigned char *label = s;
	bool digits_only = true;
	for (size_t i = 0; i <= n;) {
		if (i == n || s[i] == '.') {
			size_t len = (size_t)(s + i - label);
			if (len == 0 || len > LABEL_MAX || label[0] == '-' || label[len - 1] == '-')
				return false;
			labels++;
			if (i == n)
				break;
			label = s + i + 1;
			digits_only = true;
			i++;
		} else if (s[i] >= 0x80) {
			size_t k = non_ascii(s + i);
			if (k == 0)
				return false;
			digits_only = false;
			i += k;
		} else if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			   s[i] == '-') {
			digits_only = false;
			i++;
		} else if (s[i] >= '0' && s[i] <= '9') {
			i++;
		} else {
			return false;
		}
	}
	/* One label is a host of the local network; an all-digit last label is an IP address. */
	return labels >= 2 && !digits_only;
}

bool
email_valid(const char *s)
{
	if (s == NULL)
		return false;
	size_t n = strlen(s);
	if (n < 3 || n > EMAIL_MAX_BYTES || !utf8_valid(s, n))
		return false;
	const char *at = strchr(s, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return false;
	const unsigned char *u = (const unsigned char *)s;
	size_t local = (size_t)(at - s);
	return local_ok(u, local) && domain_ok(u + local + 1, n - local - 1);
}
