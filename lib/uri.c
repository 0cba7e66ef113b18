/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uri.c: strict parsing of remote source URIs. */
#include "uri.h"
#include "ini_file.h"
#include "num.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest host name DNS allows, and a bound for the rest. */
#define MAX_HOST 253
#define MAX_PART 1024

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Users: what useradd takes, and nothing a shell or ssh would interpret. */
static bool user_char(char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '-';
}

static bool host_char(char c)
{
	return is_alnum(c) || c == '.' || c == '-';
}

/* Option values: paths, URIs of the remote side, names and numbers.  No
 * space, quote, '$', ';', '&', '|', '`', '\\', '*', '?': a value may reach
 * an ssh command line. */
static bool value_char(char c)
{
	return is_alnum(c) || (c && strchr("._-/:@+,=~", c));
}

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || c == '_';
}

void xv_uri_release(struct xv_uri *u)
{
	free(u->user);
	free(u->host);
	for (size_t i = 0; i < u->n_options; i++) {
		free(u->options[i].key);
		free(u->options[i].value);
	}
	free(u->options);
	memset(u, 0, sizeof(*u));
}

static int bad(struct xv_error *e, const char *scheme, const char *arg, const char *why)
{
	return xv_error(e, XV_E_CONFIG, "source '%s:%.200s': %s", scheme, arg, why);
}

static bool known_key(const char *const *keys, const char *key, size_t len)
{
	for (size_t i = 0; keys && keys[i]; i++)
		if (strlen(keys[i]) == len && !strncmp(keys[i], key, len))
			return true;
	return false;
}

static int parse_options(const char *scheme, const char *arg, const char *q,
			 const char *const *keys, struct xv_uri *u, struct xv_error *e)
{
	size_t alloc = 0;

	while (*q) {
		const char *amp = strchr(q, '&'), *end = amp ? amp : q + strlen(q);
		const char *eq = memchr(q, '=', (size_t)(end - q));
		size_t klen;
		char msg[512];

		if (!eq || eq == q)
			return bad(e, scheme, arg, "options are key=value, separated by '&'");
		klen = (size_t)(eq - q);
		for (size_t i = 0; i < klen; i++)
			if (!key_char(q[i]))
				return bad(e, scheme, arg, "an option name is lower-case letters and '_'");
		if ((klen == 8 && !strncmp(q, "password", 8)) || (klen == 4 && !strncmp(q, "pass", 4))) {
			snprintf(msg, sizeof(msg),
				 "a password in a URI would show in process lists, inventories and "
				 "logs: put it in a file only you can read and give "
				 "password_file=PATH, or set it in the environment");
			return bad(e, scheme, arg, msg);
		}
		if (!known_key(keys, q, klen)) {
			size_t len = 0;
			len += (size_t)snprintf(msg, sizeof(msg), "unknown option '%.*s' (%s: takes",
						(int)(klen > 64 ? 64 : klen), q, scheme);
			for (size_t i = 0; keys && keys[i] && len < sizeof(msg); i++)
				len += (size_t)snprintf(msg + len, sizeof(msg) - len, " %s", keys[i]);
			if (len < sizeof(msg))
				snprintf(msg + len, sizeof(msg) - len, ")");
			return bad(e, scheme, arg, msg);
		}
		for (size_t i = 0; i < u->n_options; i++)
			if (strlen(u->options[i].key) == klen && !strncmp(u->options[i].key, q, klen)) {
				snprintf(msg, sizeof(msg), "option '%.*s' is given twice", (int)klen, q);
				return bad(e, scheme, arg, msg);
			}
		for (const char *p = eq + 1; p < end; p++)
			if (!value_char(*p)) {
				snprintf(msg, sizeof(msg),
					 "option '%.*s': '%c' is not allowed in a value (letters, "
					 "digits and ._-/:@+,=~ only)", (int)klen, q,
					 *p >= 32 && *p < 127 ? *p : '?');
				return bad(e, scheme, arg, msg);
			}
		if (end == eq + 1) {
			snprintf(msg, sizeof(msg), "option '%.*s' has no value", (int)klen, q);
			return bad(e, scheme, arg, msg);
		}
		u->options = xv_grow(u->options, sizeof(*u->options), u->n_options + 1, &alloc);
		u->options[u->n_options].key = xv_strndup(q, klen);
		u->options[u->n_options].value = xv_strndup(eq + 1, (size_t)(end - eq - 1));
		u->n_options++;
		q = amp ? amp + 1 : end;
		if (amp && !*q)
			return bad(e, scheme, arg, "the options end with '&'");
	}
	return 0;
}

int xv_uri_parse(const char *scheme, const char *arg, const char *const *keys, struct xv_uri *u,
		 struct xv_error *e)
{
	const char *p = arg, *q, *at, *host, *host_end;
	size_t len = strlen(arg);

	memset(u, 0, sizeof(*u));
	if (len > MAX_PART)
		return bad(e, scheme, arg, "too long");
	if (strncmp(p, "//", 2))
		return xv_error(e, XV_E_CONFIG, "source '%s:%.200s': expected %s://[USER@]HOST[:PORT]",
				scheme, arg, scheme);
	p += 2;
	q = strchr(p, '?');
	if (!q)
		q = p + strlen(p);
	at = memchr(p, '@', (size_t)(q - p));
	if (at) {
		if (at == p)
			return bad(e, scheme, arg, "the user before '@' is empty");
		if (memchr(p, ':', (size_t)(at - p)))
			return bad(e, scheme, arg, "no password in a URI: it would show in process "
				   "lists, inventories and logs; give password_file=PATH (a file "
				   "only you can read) or set it in the environment");
		for (const char *c = p; c < at; c++)
			if (!user_char(*c))
				return bad(e, scheme, arg, "a user name is letters, digits, '.', '_' and '-'");
		if (*p == '-')
			return bad(e, scheme, arg, "a user name cannot start with '-'");
		u->user = xv_strndup(p, (size_t)(at - p));
		p = at + 1;
	}
	if (*p == '[') {
		const char *close = memchr(p, ']', (size_t)(q - p));
		if (!close || close == p + 1)
			return bad(e, scheme, arg, "an IPv6 address needs its closing ']'");
		for (const char *c = p + 1; c < close; c++)
			if (!(is_alnum(*c) || *c == ':' || *c == '.'))
				return bad(e, scheme, arg, "not an IPv6 address between '[' and ']'");
		host = p + 1;
		host_end = close;
		p = close + 1;
	} else {
		host = p;
		while (p < q && *p != ':')
			p++;
		host_end = p;
		if (host == host_end)
			return bad(e, scheme, arg, "no host");
		for (const char *c = host; c < host_end; c++)
			if (!host_char(*c))
				return bad(e, scheme, arg, "a host name is letters, digits, '-' and '.'");
		if (*host == '-' || *host == '.')
			return bad(e, scheme, arg, "a host name cannot start with '-' or '.'");
	}
	if ((size_t)(host_end - host) > MAX_HOST)
		return bad(e, scheme, arg, "the host name is too long");
	u->host = xv_strndup(host, (size_t)(host_end - host));
	if (p < q) {
		uint64_t port;
		char digits[8];
		if (*p != ':' || (size_t)(q - p - 1) >= sizeof(digits))
			return bad(e, scheme, arg, "expected ':PORT' after the host");
		memcpy(digits, p + 1, (size_t)(q - p - 1));
		digits[q - p - 1] = '\0';
		if (xv_parse_u64(digits, 1, 65535, &port))
			return bad(e, scheme, arg, "the port is a number from 1 to 65535");
		u->port = (unsigned)port;
	}
	if (*q == '?') {
		if (!q[1])
			return bad(e, scheme, arg, "nothing after '?'");
		return parse_options(scheme, arg, q + 1, keys, u, e);
	}
	return 0;
}

const char *xv_uri_option(const struct xv_uri *u, const char *key)
{
	for (size_t i = 0; i < u->n_options; i++)
		if (!strcmp(u->options[i].key, key))
			return u->options[i].value;
	return NULL;
}

int xv_uri_bool(const struct xv_uri *u, const char *scheme, const char *key, int def,
		struct xv_error *e)
{
	const char *v = xv_uri_option(u, key);
	int b;

	if (!v)
		return def;
	if (xv_ini_parse_bool(v, &b))
		return xv_error(e, XV_E_CONFIG, "source %s://%s: option %s: '%s' is not yes or no",
				scheme, u->host, key, v);
	return b;
}

char *xv_uri_authority(const char *host, unsigned port)
{
	bool v6 = strchr(host, ':') != NULL;

	if (port)
		return xv_asprintf(v6 ? "[%s]:%u" : "%s:%u", host, port);
	return xv_asprintf(v6 ? "[%s]" : "%s", host);
}
