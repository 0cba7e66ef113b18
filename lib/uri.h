/* SPDX-License-Identifier: GPL-3.0-or-later */
/* uri.h: the URIs of remote sources, "scheme://[user@]host[:port][?k=v&k=v]".
 *
 * ssh://, xapi:// and ovs:// name a host the same way and take their
 * settings as query options, so an inventory line or a plugin's -s says all
 * there is to know about reaching a host:
 *
 *   xapi://monitor@pool1.example.org?password_file=/etc/xvmon/pool1.pw&ca_file=/etc/xvmon/pool1.pem
 *
 * Parsing is strict and does no I/O (it runs when an inventory loads): host
 * names are letters, digits, '-' and '.', or an IPv6 address in brackets;
 * users and option values keep to a small safe set of characters (values
 * reach an ssh command line and file names); every option must be one the
 * source knows, once.  A password is never taken from a URI: it would show
 * in process lists, inventories and logs. */
#ifndef XV_URI_H
#define XV_URI_H

#include <stddef.h>
#include "error.h"

struct xv_uri_option {
	char *key, *value;
};

struct xv_uri {
	char *user;    /* NULL: the source's default */
	char *host;    /* without brackets for IPv6 */
	unsigned port; /* 0: the source's default */
	struct xv_uri_option *options;
	size_t n_options;
};

/* Parses `arg`, what follows "scheme:" ("//host..."), into `u` (initialised
 * here; release it even on failure).  `keys` is the NULL-terminated list of
 * options the source takes.  Errors are XV_E_CONFIG and name the URI. */
int xv_uri_parse(const char *scheme, const char *arg, const char *const *keys, struct xv_uri *u,
		 struct xv_error *e);

void xv_uri_release(struct xv_uri *u);

/* The value of option `key`, or NULL when not given. */
const char *xv_uri_option(const struct xv_uri *u, const char *key);

/* A yes/no option (the INI vocabulary: yes/no, true/false, on/off, 1/0),
 * `def` when not given.  -1 with XV_E_CONFIG when the value is neither. */
int xv_uri_bool(const struct xv_uri *u, const char *scheme, const char *key, int def,
		struct xv_error *e);

/* "host" or "[v6]" with ":port" when `port` is not 0, for URLs and
 * messages; free() it. */
char *xv_uri_authority(const char *host, unsigned port);

#endif
