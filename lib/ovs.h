/* SPDX-License-Identifier: GPL-3.0-or-later */
/* ovs.h: Oracle VM 2.x agent answers into a snapshot (no I/O).
 *
 * The calls, their keys and how to change them are in source_ovs.c and
 * docs/sources.md.  Every problem is XV_E_HOST naming the call and key; a
 * snapshot it returns passes xv_snapshot_check(). */
#ifndef XV_OVS_H
#define XV_OVS_H

#include "error.h"
#include "snapshot.h"
#include "xmlrpc.h"

/* From the answers of get_host_info() (a "success:k=v;..." string),
 * list_vm() (an array of them) and get_master_ip() (NULL when it failed:
 * the master is then unknown) to the host's snapshot (initialised here,
 * empty on failure). */
int xv_ovs_snapshot(const struct xv_xmlrpc_value *host_info, const struct xv_xmlrpc_value *vms,
		    const struct xv_xmlrpc_value *master, struct xv_snapshot *snap,
		    struct xv_error *e);

#endif
