/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snmp_uri.h: the snmp:// source's URI, read without any I/O.
 *
 *   snmp://[COMMUNITY@]HOST[:PORT][?OPTION&OPTION...]        SNMPv2c
 *   snmp://USER@HOST[:PORT]?version=3&auth=SHA&auth_file=F   SNMPv3
 *
 * HOST is a name, an IPv4 address or an IPv6 address in brackets; PORT
 * defaults to 161, COMMUNITY to "public".  Options (docs/inventory.md):
 *
 *   version=2c|3               3 is implied by auth= or user=
 *   user=NAME                  the v3 security name (or USER@ in front)
 *   auth=MD5|SHA|SHA-224|SHA-256|SHA-384|SHA-512
 *   priv=DES|AES               needs auth=
 *   auth_file=PATH, priv_file=PATH   a passphrase in a file that only its
 *                              owner may read (checked when the source opens)
 *   auth_env=VAR, priv_env=VAR the passphrase in an environment variable
 *   timeout=DURATION           per request, default 1s
 *   retries=N                  default 2
 *   max_repetitions=N          GETBULK repetitions, default 25
 *
 * A passphrase is never taken in the URI itself: a URI reaches command
 * lines, process lists and logs. */
#ifndef XV_SNMP_URI_H
#define XV_SNMP_URI_H

#include <stdbool.h>
#include <stddef.h>
#include "error.h"

enum xv_snmp_auth {
	XV_SNMP_AUTH_NONE,
	XV_SNMP_AUTH_MD5,
	XV_SNMP_AUTH_SHA,
	XV_SNMP_AUTH_SHA224,
	XV_SNMP_AUTH_SHA256,
	XV_SNMP_AUTH_SHA384,
	XV_SNMP_AUTH_SHA512,
};

enum xv_snmp_priv {
	XV_SNMP_PRIV_NONE,
	XV_SNMP_PRIV_DES,
	XV_SNMP_PRIV_AES,
};

struct xv_snmp_uri {
	char host[256];       /* without brackets */
	unsigned port;
	int version;          /* 2 (v2c) or 3 */
	char community[256];  /* v2c */
	char user[256];       /* v3 */
	enum xv_snmp_auth auth;
	enum xv_snmp_priv priv;
	char auth_file[1024], auth_env[256];
	char priv_file[1024], priv_env[256];
	unsigned timeout_ms;
	unsigned retries;
	unsigned repetitions; /* max_repetitions= (net-snmp #defines max_repetitions) */
};

/* Parses `arg` (the URI after "snmp:") into `u`.  0, or -1 with `e`
 * (XV_E_CONFIG) naming the URI and what is wrong. */
int xv_snmp_uri_parse(const char *arg, struct xv_snmp_uri *u, struct xv_error *e);

/* "udp:HOST:PORT" or "udp6:[HOST]:PORT", net-snmp's peer name. */
void xv_snmp_uri_peer(const struct xv_snmp_uri *u, char *buf, size_t size);

#endif
