/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snmp_mib.h: a remote host's VM-MIB and XVMON-MIB answers into a snapshot.
 *
 * The snmp:// source asks an xvmon-agentx (through its snmpd) in two
 * phases: one GET of the scalars (xv_snmp_scalar_oids), then GETBULKs that
 * walk every needed column in parallel (xv_snmp_reader_next) until each has
 * left its column.  This module turns the answers into a snapshot and knows
 * nothing of net-snmp: varbinds come in as struct xv_snmp_vb, so it is
 * tested (t_snmp_mib) and fuzzed (fuzz_snmp_reply) without a network.
 *
 * Every answer is checked: types, OIDs that must increase within a column,
 * rows present in every required column, figures within what a snapshot
 * may hold.  Anything else is the host's fault: XV_E_HOST, with a message
 * that names the object.  What the agent does not instantiate (a balloon
 * target it does not know) is XV_KIB_UNKNOWN. */
#ifndef XV_SNMP_MIB_H
#define XV_SNMP_MIB_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "snapshot.h"

#define XV_SNMP_MAX_OID 32

enum xv_snmp_type {
	XV_SNMP_INTEGER,
	XV_SNMP_OCTETS,
	XV_SNMP_OBJECT_ID,
	XV_SNMP_COUNTER32,
	XV_SNMP_GAUGE32,
	XV_SNMP_TIMETICKS,
	XV_SNMP_COUNTER64,
	XV_SNMP_NO_SUCH_OBJECT,
	XV_SNMP_NO_SUCH_INSTANCE,
	XV_SNMP_END_OF_MIB_VIEW,
	XV_SNMP_OTHER,
};

struct xv_snmp_oid {
	uint32_t sub[XV_SNMP_MAX_OID];
	size_t len;
};

/* One varbind of an answer.  `octets` is borrowed for the call. */
struct xv_snmp_vb {
	struct xv_snmp_oid oid;
	enum xv_snmp_type type;
	int64_t integer;            /* INTEGER */
	uint64_t number;            /* Counter32, Gauge32, TimeTicks, Counter64 */
	const unsigned char *octets; /* OCTET STRING */
	size_t octets_len;
};

/* The scalars to GET first, in order; *n is set to their number. */
const struct xv_snmp_oid *xv_snmp_scalar_oids(size_t *n);

struct xv_snmp_reader;

/* `peer` names the host in messages ("xen01:161"). */
struct xv_snmp_reader *xv_snmp_reader_new(const char *peer);
void xv_snmp_reader_free(struct xv_snmp_reader *r);

/* The answer to the GET, varbinds in xv_snmp_scalar_oids() order. */
int xv_snmp_reader_scalars(struct xv_snmp_reader *r, const struct xv_snmp_vb *vb, size_t n,
			   struct xv_error *e);

/* The OIDs of the next GETBULK (every column still being walked, from where
 * it is); returns their number, 0 when the walk is complete.  `out` has room
 * for XV_SNMP_COLUMNS. */
#define XV_SNMP_COLUMNS 12
size_t xv_snmp_reader_next(const struct xv_snmp_reader *r, struct xv_snmp_oid *out);

/* Feeds the answer to the GETBULK of `asked` OIDs: repetitions one after
 * the other, possibly cut short by the agent. */
int xv_snmp_reader_bulk(struct xv_snmp_reader *r, size_t asked, const struct xv_snmp_vb *vb,
			size_t n, struct xv_error *e);

/* Builds the snapshot (initialised here; release it even on failure) once
 * the walk is complete; domains are in domain id order, as Xen lists them.
 * Checks the rows agree with the agent's vmNumber: when they do not, the
 * table changed during the walk and -1 comes with XV_E_HOST and
 * *changed set, so the caller may walk again. */
int xv_snmp_reader_finish(struct xv_snmp_reader *r, struct xv_snapshot *snap, int *changed,
			  struct xv_error *e);

/* Varbinds the reader has taken in (for bounding a walk). */
size_t xv_snmp_reader_count(const struct xv_snmp_reader *r);

#endif
