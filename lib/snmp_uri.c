/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snmp_uri.c: snmp:// URIs, strictly. */
#include "snmp_uri.h"
#include "num.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_PORT 161
#define DEFAULT_TIMEOUT_MS 1000
#define DEFAULT_RETRIES 2
#define DEFAULT_REPETITIONS 25

/* Copies s[0..len) into out, %XX decoded; -1 if malformed, too long or
 * holding a NUL or a control character. */
static int decode(const char *s, size_t len, char *out, size_t size)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int hi = xv_hex_digit(s[i + 1]), lo = xv_hex_digit(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || n + 1 >= size)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}

static int bad(struct xv_error *e, const char *arg, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct xv_error *e, const char *arg, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xv_error(e, XV_E_CONFIG, "snmp:%s: %s", arg, msg);
}

static int parse_auth(const char *v, enum xv_snmp_auth *a)
{
	static const struct {
		const char *name;
		enum xv_snmp_auth auth;
	} names[] = {
		{ "MD5", XV_SNMP_AUTH_MD5 },       { "SHA", XV_SNMP_AUTH_SHA },
		{ "SHA-1", XV_SNMP_AUTH_SHA },     { "SHA-224", XV_SNMP_AUTH_SHA224 },
		{ "SHA-256", XV_SNMP_AUTH_SHA256 }, { "SHA-384", XV_SNMP_AUTH_SHA384 },
		{ "SHA-512", XV_SNMP_AUTH_SHA512 },
	};

	for (size_t i = 0; i < XV_ARRAY_SIZE(names); i++) {
		if (!strcasecmp(v, names[i].name)) {
			*a = names[i].auth;
			return 0;
		}
	}
	return -1;
}

static int parse_priv(const char *v, enum xv_snmp_priv *p)
{
	if (!strcasecmp(v, "DES"))
		*p = XV_SNMP_PRIV_DES;
	else if (!strcasecmp(v, "AES") || !strcasecmp(v, "AES-128") || !strcasecmp(v, "AES128"))
		*p = XV_SNMP_PRIV_AES;
	else
		return -1;
	return 0;
}

/* One "key=value" of the query. */
static int option(const char *arg, struct xv_snmp_uri *u, const char *key, const char *v,
		  bool *version_given, struct xv_error *e)
{
	uint64_t n;

	if (!strcmp(key, "version")) {
		if (!strcmp(v, "2c") || !strcmp(v, "2"))
			u->version = 2;
		else if (!strcmp(v, "3"))
			u->version = 3;
		else
			return bad(e, arg, "version '%s': use 2c or 3", v);
		*version_given = true;
	} else if (!strcmp(key, "user")) {
		xv_strlcpy(u->user, v, sizeof(u->user));
	} else if (!strcmp(key, "auth")) {
		if (parse_auth(v, &u->auth))
			return bad(e, arg, "auth '%s': use MD5, SHA, SHA-224, SHA-256, SHA-384 or "
				   "SHA-512", v);
	} else if (!strcmp(key, "priv")) {
		if (parse_priv(v, &u->priv))
			return bad(e, arg, "priv '%s': use DES or AES", v);
	} else if (!strcmp(key, "auth_file")) {
		xv_strlcpy(u->auth_file, v, sizeof(u->auth_file));
	} else if (!strcmp(key, "priv_file")) {
		xv_strlcpy(u->priv_file, v, sizeof(u->priv_file));
	} else if (!strcmp(key, "auth_env")) {
		xv_strlcpy(u->auth_env, v, sizeof(u->auth_env));
	} else if (!strcmp(key, "priv_env")) {
		xv_strlcpy(u->priv_env, v, sizeof(u->priv_env));
	} else if (!strcmp(key, "timeout")) {
		if (xv_parse_duration_ms(v, &n) || n < 10 || n > 60000)
			return bad(e, arg, "timeout '%s': a duration from 10ms to 60s", v);
		u->timeout_ms = (unsigned)n;
	} else if (!strcmp(key, "retries")) {
		if (xv_parse_u64(v, 0, 10, &n))
			return bad(e, arg, "retries '%s': a number from 0 to 10", v);
		u->retries = (unsigned)n;
	} else if (!strcmp(key, "max_repetitions")) {
		if (xv_parse_u64(v, 1, 1000, &n))
			return bad(e, arg, "max_repetitions '%s': a number from 1 to 1000", v);
		u->repetitions = (unsigned)n;
	} else if (!strcmp(key, "auth_pass") || !strcmp(key, "priv_pass") ||
		   !strcmp(key, "password") || !strcmp(key, "passphrase")) {
		return bad(e, arg, "'%s': a passphrase is never taken in a URI (it would show in "
			   "process lists and logs); use auth_file=/priv_file= (a file only its owner "
			   "can read) or auth_env=/priv_env=", key);
	} else {
		return bad(e, arg, "unknown option '%s' (version, user, auth, priv, auth_file, "
			   "priv_file, auth_env, priv_env, timeout, retries, max_repetitions)", key);
	}
	return 0;
}

static int parse_query(const char *arg, const char *q, struct xv_snmp_uri *u, struct xv_error *e)
{
	bool version_given = false;
	char key[64], value[1024];

	while (*q) {
		size_t len = strcspn(q, "&");
		const char *eq = memchr(q, '=', len);
		if (!eq || eq == q)
			return bad(e, arg, "%s", "options are key=value, separated by '&'");
		if (decode(q, (size_t)(eq - q), key, sizeof(key)) ||
		    decode(eq + 1, len - (size_t)(eq + 1 - q), value, sizeof(value)))
			return bad(e, arg, "%s", "malformed option (bad %-escape, control character "
				   "or too long)");
		if (!*value)
			return bad(e, arg, "option '%s' has no value", key);
		if (option(arg, u, key, value, &version_given, e))
			return -1;
		q += len;
		if (*q == '&')
			q++;
	}
	if (!version_given && (u->auth != XV_SNMP_AUTH_NONE || u->user[0]))
		u->version = 3;
	return 0;
}

int xv_snmp_uri_parse(const char *arg, struct xv_snmp_uri *u, struct xv_error *e)
{
	const char *p, *auth_end, *at, *host, *host_end, *query;
	uint64_t port;

	memset(u, 0, sizeof(*u));
	u->port = DEFAULT_PORT;
	u->version = 2;
	u->timeout_ms = DEFAULT_TIMEOUT_MS;
	u->retries = DEFAULT_RETRIES;
	u->repetitions = DEFAULT_REPETITIONS;
	xv_strlcpy(u->community, "public", sizeof(u->community));

	if (strncmp(arg, "//", 2))
		return bad(e, arg, "%s", "expected snmp://[COMMUNITY@]HOST[:PORT][?OPTIONS]");
	p = arg + 2;
	auth_end = p + strcspn(p, "/?#");
	if (*auth_end == '/' && auth_end[1] != '\0' && auth_end[1] != '?')
		return bad(e, arg, "%s", "a path is not part of an snmp:// URI");
	if (*auth_end == '#')
		return bad(e, arg, "%s", "a fragment ('#') is not part of an snmp:// URI");
	query = *auth_end == '?' ? auth_end + 1 : auth_end[0] == '/' && auth_end[1] == '?'
						  ? auth_end + 2 : NULL;
	at = NULL;
	for (const char *c = p; c < auth_end; c++)
		if (*c == '@')
			at = c;
	char userinfo[256] = "";
	if (at && decode(p, (size_t)(at - p), userinfo, sizeof(userinfo)))
		return bad(e, arg, "%s", "malformed community or user (bad %-escape, control "
			   "character or too long)");
	host = at ? at + 1 : p;
	if (*host == '[') {
		host_end = memchr(host, ']', (size_t)(auth_end - host));
		if (!host_end)
			return bad(e, arg, "%s", "an IPv6 address needs a closing ']'");
		if ((size_t)(host_end - host - 1) >= sizeof(u->host) || host_end == host + 1)
			return bad(e, arg, "%s", "bad IPv6 address");
		memcpy(u->host, host + 1, (size_t)(host_end - host - 1));
		u->host[host_end - host - 1] = '\0';
		for (const char *c = u->host; *c; c++)
			if (xv_hex_digit(*c) < 0 && *c != ':' && *c != '.')
				return bad(e, arg, "bad character in IPv6 address '%s'", u->host);
		host_end++;
	} else {
		host_end = host;
		while (host_end < auth_end && *host_end != ':')
			host_end++;
		if (host_end == host)
			return bad(e, arg, "%s", "no host");
		if ((size_t)(host_end - host) >= sizeof(u->host))
			return bad(e, arg, "%s", "host name too long");
		memcpy(u->host, host, (size_t)(host_end - host));
		u->host[host_end - host] = '\0';
		for (const char *c = u->host; *c; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
			      (*c >= '0' && *c <= '9') || *c == '-' || *c == '.' || *c == '_'))
				return bad(e, arg, "bad character in host name '%s'", u->host);
	}
	if (host_end < auth_end) {
		char digits[16];
		size_t len = (size_t)(auth_end - host_end - 1);
		if (*host_end != ':' || len == 0 || len >= sizeof(digits))
			return bad(e, arg, "%s", "expected :PORT after the host");
		memcpy(digits, host_end + 1, len);
		digits[len] = '\0';
		if (xv_parse_u64(digits, 1, 65535, &port))
			return bad(e, arg, "port '%s': a number from 1 to 65535", digits);
		u->port = (unsigned)port;
	}
	if (query && parse_query(arg, query, u, e))
		return -1;
	if (u->version == 3) {
		if (at && !u->user[0])
			xv_strlcpy(u->user, userinfo, sizeof(u->user));
		if (!u->user[0])
			return bad(e, arg, "%s", "SNMPv3 needs a user (USER@HOST or user=)");
		if (u->auth == XV_SNMP_AUTH_NONE && u->priv != XV_SNMP_PRIV_NONE)
			return bad(e, arg, "%s", "priv= needs auth= (SNMPv3 has no privacy without "
				   "authentication)");
		if (u->auth != XV_SNMP_AUTH_NONE && !u->auth_file[0] == !u->auth_env[0])
			return bad(e, arg, "%s", "auth= needs exactly one of auth_file= and auth_env=");
		if (u->priv != XV_SNMP_PRIV_NONE && !u->priv_file[0] == !u->priv_env[0])
			return bad(e, arg, "%s", "priv= needs exactly one of priv_file= and priv_env=");
		if (u->auth == XV_SNMP_AUTH_NONE && (u->auth_file[0] || u->auth_env[0]))
			return bad(e, arg, "%s", "auth_file=/auth_env= without auth=");
		if (u->priv == XV_SNMP_PRIV_NONE && (u->priv_file[0] || u->priv_env[0]))
			return bad(e, arg, "%s", "priv_file=/priv_env= without priv=");
	} else {
		if (u->user[0] || u->auth || u->priv || u->auth_file[0] || u->auth_env[0] ||
		    u->priv_file[0] || u->priv_env[0])
			return bad(e, arg, "%s", "user and auth/priv options are SNMPv3's: add "
				   "version=3");
		if (at) {
			if (!userinfo[0])
				return bad(e, arg, "%s", "empty community before '@'");
			xv_strlcpy(u->community, userinfo, sizeof(u->community));
		}
	}
	return 0;
}

void xv_snmp_uri_peer(const struct xv_snmp_uri *u, char *buf, size_t size)
{
	if (strchr(u->host, ':'))
		snprintf(buf, size, "udp6:[%s]:%u", u->host, u->port);
	else
		snprintf(buf, size, "udp:%s:%u", u->host, u->port);
}
