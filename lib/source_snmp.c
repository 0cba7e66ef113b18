/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_snmp.c: the snmp:// source, a remote host's xvmon-agentx read
 * through its snmpd (VM-MIB + XVMON-MIB, see docs/mib.md).
 *
 * The URI is checked without I/O (snmp_uri.h); the reading itself is the
 * many-hosts engine (snmp_poll.h) with one host, so a plugin and a pool poll
 * read a host the same way.  A host that does not answer is XV_E_TIMEOUT,
 * one that answers wrongly (another MIB, wrong types, a truncated table, a
 * stale source) XV_E_HOST; a URI that can never work XV_E_CONFIG. */
#include "source_impl.h"
#include "snmp_poll.h"
#include "snmp_uri.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* A lone read has no poll deadline: net-snmp's timeout and retries bound
 * each request, and a plugin's -t bounds the whole. */
#define LONE_DEADLINE_MS (3600u * 1000)

static int snmp_check(const char *arg, struct xv_error *e)
{
	struct xv_snmp_uri u;

#if !XV_HAVE_NETSNMP
	return xv_error(e, XV_E_UNSUPPORTED, "snmp: support is not compiled in (build xvmon "
			"with libsnmp-dev installed)");
#endif
	return xv_snmp_uri_parse(arg, &u, e);
}

#if XV_HAVE_NETSNMP

static int snmp_open(struct xv_source *src, const char *arg, struct xv_error *e)
{
	return snmp_check(arg, e);
}

static int snmp_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	struct xv_poll_target t = { src->uri, src->uri, LONE_DEADLINE_MS };
	struct xv_poll_result r;

	xv_snmp_poll(&t, 1, NULL, &r);
	if (r.error.code != XV_E_NONE) {
		*e = r.error;
		xv_poll_result_release(&r);
		return -1;
	}
	xv_snapshot_release(snap);
	*snap = r.snap;
	return 0;
}

const struct xv_source_ops xv_source_snmp_ops = {
	.scheme = "snmp",
	.check = snmp_check,
	.open = snmp_open,
	.snapshot = snmp_snapshot,
};

#else

const struct xv_source_ops xv_source_snmp_ops = {
	.scheme = "snmp",
	.check = snmp_check,
};

#endif
