/* host.h - which Host header values this server answers (against DNS rebinding). */
#ifndef COEXIST_HOST_H
#define COEXIST_HOST_H

#include <stdbool.h>
#include <stddef.h>

#define HOST_MAX_NAMES 8

/* The names a request may carry in its Host header, whatever the port. */
struct host_rule {
	char names[HOST_MAX_NAMES][256]; /* lower case; IPv6 literals with their brackets */
	size_t n;
	bool any_ip; /* the server listens on every address: any IP literal is one of ours */
};

enum host_verdict {
	HOST_OK,      /* one of ours */
	HOST_FOREIGN, /* well formed, but another site's name: 421 */
	HOST_INVALID, /* not a host[:port] at all: 400 */
};

/* Builds the rule from the listen address ("host:port", "[v6]:port") and the public URL
 * ("https://name[:port]/...", may be ""): their hosts, plus localhost, 127.0.0.1 and [::1].
 * A wildcard listen address (0.0.0.0, [::]) allows every IP literal. -1 with err when the
 * public URL has no host. */
int host_rule_init(struct host_rule *rule, const char *listen, const char *public_url, char *err,
		   size_t errlen);
/* Judges one Host header value ("name", "name:port", "[v6]:port"; case-insensitive, one trailing
 * dot allowed). */
enum host_verdict host_check(const struct host_rule *rule, const char *value);

#endif
