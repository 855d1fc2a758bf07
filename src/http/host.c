/* host.c - which Host header values this server answers (against DNS rebinding). */
#include "host.h"
#include "base/ascii.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* Copies the host of "name[:port]" or "[v6][:port]" (len bytes) into out, lower case, brackets
 * kept, one trailing dot dropped. false when it is not well formed. */
static bool
split_host(const char *v, size_t len, char *out, size_t outlen)
{
	size_t hl;
	if (len > 0 && v[0] == '[') {
		const char *close = memchr(v, ']', len);
		if (close == NULL)
			return false;
		hl = (size_t)(close - v) + 1;
	} else {
		const char *colon = memchr(v, ':', len);
		hl = colon ? (size_t)(colon - v) : len;
	}
	/* What follows the host can only be ":" and a port number. */
	const char *rest = v + hl;
	size_t rl = len - hl;
	if (rl > 0) {
		if (rest[0] != ':' || rl < 2 || rl > 6)
			return false;
		for (size_t i = 1; i < rl; i++)
			if (!ascii_is_digit(rest[i]))
				return false;
	}
	if (hl == 0 || hl >= outlen)
		return false;
	for (size_t i = 0; i < hl; i++)
		out[i] = ascii_tolower(v[i]);
	out[hl] = '\0';
	if (out[0] == '[') {
		char inner[INET6_ADDRSTRLEN + 1];
		struct in6_addr a6;
		if (hl < 3 || hl - 2 >= sizeof(inner))
			return false;
		memcpy(inner, out + 1, hl - 2);
		inner[hl - 2] = '\0';
		return inet_pton(AF_INET6, inner, &a6) == 1;
	}
	if (hl > 1 && out[hl - 1] == '.')
		out[--hl] = '\0';
	for (size_t i = 0; i < hl; i++) {
		char c = out[i];
		if (!((c >= 'a' && c <= 'z') || ascii_is_digit(c) || c == '-' || c == '.' ||
		      c == '_'))
			return false;
	}
	return true;
}

static bool
is_ip_literal(const char *host)
{
	struct in_addr a4;
	return host[0] == '[' || inet_pton(AF_INET, host, &a4) == 1;
}

static void
add_name(struct host_rule *rule, const char *name)
{
	for (size_t i = 0; i < rule->n; i++)
		if (strcmp(rule->names[i], name) == 0)
			return;
	if (rule->n < HOST_MAX_NAMES)
		snprintf(rule->names[rule->n++], sizeof(rule->names[0]), "%s", name);
}

int
host_rule_init(struct host_rule *rule, const char *listen, const char *public_url, char *err,
	       size_t errlen)
{
	memset(rule, 0, sizeof(*rule));
	/* Loopback names are always ours: tools on this machine, and a reverse proxy passing its
	 * own upstream name (nginx sends "127.0.0.1:8080" unless told otherwise). */
	add_name(rule, "localhost");
	add_name(rule, "127.0.0.1");
	add_name(rule, "[::1]");
	char host[256];
	if (split_host(listen, strlen(listen), host, sizeof(host))) {
		if (strcmp(host, "0.0.0.0") == 0 || strcmp(host, "[::]") == 0)
			rule->any_ip = true;
		else
			add_name(rule, host);
	}
	if (public_url[0] == '\0')
		return 0;
	const char *p = strstr(public_url, "://");
	size_t len = p ? strcspn(p + 3, "/?#") : 0;
	if (p == NULL || memchr(p + 3, '@', len) || !split_host(p + 3, len, host, sizeof(host))) {
		snprintf(
			err, errlen,
			"auth.public_url: expected an address such as https://coexist.example.org, "
			"got '%s'",
			public_url);
		return -1;
	}
	add_name(rule, host);
	return 0;
}

enum host_verdict
host_check(const struct host_rule *rule, const char *value)
{
	char host[256];
	if (value == NULL || !split_host(value, strlen(value), host, sizeof(host)))
		return HOST_INVALID;
	for (size_t i = 0; i < rule->n; i++)
		if (strcmp(rule->names[i], host) == 0)
			return HOST_OK;
	if (rule->any_ip && is_ip_literal(host))
		return HOST_OK;
	return HOST_FOREIGN;
}
