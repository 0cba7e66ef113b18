/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_xapi_reply.c: an XML-RPC reply from a XenAPI (or Oracle VM agent)
 * peer, turned into a snapshot, never crashes or leaks; whatever it accepts
 * passes xv_snapshot_check() and names the host asked for; whatever it
 * refuses is the host's fault (XV_E_HOST), never ours.
 *
 * The input is one event.from answer; the same bytes are also read as a
 * get_host_info answer with itself as list_vm (the ovs:// path). */
#include "fuzz.h"
#include "ovs.h"
#include "xapi.h"
#include "xmlrpc.h"

#include <string.h>

static void check_refusal(const struct xv_error *e)
{
	FUZZ_ASSERT(e->code == XV_E_HOST);
	FUZZ_ASSERT(e->msg[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_xmlrpc_reply r;
	const struct xv_xmlrpc_value *value, *failure;
	struct xv_xapi_tables t;
	struct xv_xapi_which master = { NULL, NULL }, named = { "xen-b", NULL };
	struct xv_snapshot snap;
	struct xv_error e;

	if (xv_xmlrpc_parse((const char *)data, size, &r, &e)) {
		check_refusal(&e);
		return 0;
	}
	FUZZ_ASSERT(r.value != NULL);
	if (xv_xapi_result(&r, &value, &failure, &e) == 0) {
		xv_xapi_tables_init(&t);
		if (xv_xapi_add_events(&t, value, &e) == 0) {
			if (xv_xapi_snapshot(&t, &master, &snap, &e) == 0) {
				FUZZ_ASSERT(xv_snapshot_check(&snap, &e) == 0);
				xv_snapshot_release(&snap);
			} else {
				check_refusal(&e);
				FUZZ_ASSERT(snap.n_domains == 0 && !snap.host.name);
			}
			if (xv_xapi_snapshot(&t, &named, &snap, &e) == 0) {
				FUZZ_ASSERT(xv_snapshot_check(&snap, &e) == 0);
				xv_snapshot_release(&snap);
			} else {
				check_refusal(&e);
			}
		} else {
			check_refusal(&e);
		}
		xv_xapi_tables_release(&t);
	} else {
		check_refusal(&e);
	}
	if (xv_ovs_snapshot(r.value, r.value, r.value, &snap, &e) == 0) {
		FUZZ_ASSERT(xv_snapshot_check(&snap, &e) == 0);
		xv_snapshot_release(&snap);
	} else {
		check_refusal(&e);
	}
	xv_xmlrpc_reply_release(&r);
	return 0;
}
