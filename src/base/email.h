/* email.h - one rule for e-mail addresses: what every form accepts is what the outbox delivers. */
#ifndef COEXIST_EMAIL_H
#define COEXIST_EMAIL_H

#include <stdbool.h>

#define EMAIL_MAX_BYTES 254 /* the longest address an SMTP path carries (RFC 5321) */

/* True when s is one bare address, local@domain, that a message can be sent to:
 * - at most 254 bytes, valid UTF-8, no blank, no control character (so never CR or LF);
 * - a local part of at most 64 bytes made of dot-separated runs of letters, digits,
 *   ! # $ % & ' * + / = ? ^ _ ` { | } ~ - and non-ASCII characters (RFC 6531); quoted local
 *   parts, comments and display names are refused, and so are commas, semicolons, angle
 *   brackets, colons and backslashes, which would make it a list or a header of its own;
 * - a domain of at least two dot-separated labels of letters, digits, hyphens (not at either
 *   end) or non-ASCII characters (an IDN, converted by the transport), each of 1 to 63 bytes,
 *   the last one not all digits; address literals ([192.0.2.1]) are refused.
 * NULL is refused. */
bool email_valid(const char *s);

#endif
