/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xapi.h: XenAPI answers and records into one host's snapshot (no I/O).
 *
 * The xapi:// source (source_xapi.c) asks a pool master for the pool,
 * host, host_metrics, VM and VM_metrics objects, with one event.from call
 * (token "": every object as it is now) or, where event.from is unknown, one
 * get_all_records call per class.  This file reads those answers and builds
 * the snapshot of the host the URI names; the fuzz target feeds it replies.
 *
 * XenAPI conventions it follows (and checks): every answer is a struct
 * {Status: "Success", Value: ...} or {Status: "Failure", ErrorDescription:
 * [CODE, params...]}, not an XML-RPC fault; 64-bit integers are decimal
 * strings; references are "OpaqueRef:..." strings.
 *
 * From the records to the snapshot:
 *   host           hostname (else name_label), software_version["xen"],
 *                  cpu_info["cpu_count"] (else the number of host_CPUs)
 *   pool           the master's name (as above): the host's pool master
 *   host_metrics   memory_total, memory_free (bytes); live = false is the
 *                  host being down, as its master sees it
 *   VM             the VMs resident_on the host, Running or Paused (Halted and
 *                  Suspended ones are not domains), templates and snapshots
 *                  skipped; domid, name_label, uuid, memory_static_max (the
 *                  configured maximum), memory_target (the balloon target;
 *                  memory_dynamic_max when absent), VCPUs_at_startup; the
 *                  control domain is dom0
 *   VM_metrics     memory_actual (memory held now), VCPUs_number
 * What XenAPI does not say stays unknown: scrub and outstanding memory, swap
 * in use; a running domain is "running" (XenAPI does not tell running from
 * blocked); CPU time is 0.
 *
 * Every problem is XV_E_HOST with a message naming the object and field:
 * missing fields, wrong types, numbers that are not, a host the pool does
 * not have (a reply for another pool), unknown power states; a snapshot it
 * returns passes xv_snapshot_check(). */
#ifndef XV_XAPI_H
#define XV_XAPI_H

#include <stddef.h>
#include "error.h"
#include "snapshot.h"
#include "xmlrpc.h"

enum xv_xapi_class {
	XV_XAPI_POOL,
	XV_XAPI_HOST,
	XV_XAPI_HOST_METRICS,
	XV_XAPI_VM,
	XV_XAPI_VM_METRICS,
	XV_XAPI_CLASSES
};

/* The XenAPI name of a class ("pool", "host", "host_metrics", "VM",
 * "VM_metrics"). */
const char *xv_xapi_class_name(enum xv_xapi_class c);

struct xv_xapi_object {
	const char *ref;
	const struct xv_xmlrpc_value *record; /* a struct */
};

/* Objects by class; they point into replies the caller keeps. */
struct xv_xapi_tables {
	struct xv_xapi_object *objects[XV_XAPI_CLASSES];
	size_t n[XV_XAPI_CLASSES], alloc[XV_XAPI_CLASSES];
};

void xv_xapi_tables_init(struct xv_xapi_tables *t);
void xv_xapi_tables_release(struct xv_xapi_tables *t);

/* Reads a XenAPI answer: 0 with *value on Success; on Failure, -1 with
 * XV_E_HOST, "CODE: param, param" in the message and *failure the
 * ErrorDescription array (for the caller to act on HOST_IS_SLAVE,
 * SESSION_INVALID, MESSAGE_METHOD_UNKNOWN); -1 with *failure NULL for an
 * answer that is neither. */
int xv_xapi_result(const struct xv_xmlrpc_reply *r, const struct xv_xmlrpc_value **value,
		   const struct xv_xmlrpc_value **failure, struct xv_error *e);

/* The failure code (the first string of ErrorDescription), or "". */
const char *xv_xapi_failure_code(const struct xv_xmlrpc_value *failure);

/* Adds the objects of an event.from result (a struct with "events", or the
 * array of events older servers send) of the classes above. */
int xv_xapi_add_events(struct xv_xapi_tables *t, const struct xv_xmlrpc_value *batch,
		       struct xv_error *e);

/* Adds the result of CLASS.get_all_records (a struct: ref -> record). */
int xv_xapi_add_records(struct xv_xapi_tables *t, enum xv_xapi_class c,
			const struct xv_xmlrpc_value *map, struct xv_error *e);

/* Which host of the pool the snapshot is for: the one named `name`
 * (name_label, hostname or uuid: the URI's host= option), else the one at
 * `address` (the slave whose login was redirected to its master), else the
 * pool's master (the host that accepted the login). */
struct xv_xapi_which {
	const char *name;
	const char *address;
};

int xv_xapi_snapshot(const struct xv_xapi_tables *t, const struct xv_xapi_which *which,
		     struct xv_snapshot *snap, struct xv_error *e);

#endif
