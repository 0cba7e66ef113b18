/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_mib.h: what the VM-MIB (RFC 7666) says about a snapshot's domains.
 *
 * The values every vmTable column and notification is filled with, and the
 * state changes between two snapshots that raise notifications.  Pure C,
 * no net-snmp: the tables (vm_table.c, ...) and notify.c print these values,
 * tests/unit/t_vm_mib.c checks them. */
#ifndef XVA_VM_MIB_H
#define XVA_VM_MIB_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "snapshot.h"

/* VirtualMachineOperState */
enum xva_oper {
	XVA_OPER_UNKNOWN = 1,
	XVA_OPER_OTHER = 2,
	XVA_OPER_PREPARING = 3,
	XVA_OPER_RUNNING = 4,
	XVA_OPER_SUSPENDING = 5,
	XVA_OPER_SUSPENDED = 6,
	XVA_OPER_RESUMING = 7,
	XVA_OPER_PAUSED = 8,
	XVA_OPER_MIGRATING = 9,
	XVA_OPER_SHUTTINGDOWN = 10,
	XVA_OPER_SHUTDOWN = 11,
	XVA_OPER_CRASHED = 12,
};

/* VirtualMachineAdminState */
enum xva_admin {
	XVA_ADMIN_RUNNING = 1,
	XVA_ADMIN_SUSPENDED = 2,
	XVA_ADMIN_PAUSED = 3,
	XVA_ADMIN_SHUTDOWN = 4,
};

/* The notifications (vmNotifications.N): per-VM N, bulk N + 10. */
enum xva_vm_note {
	XVA_NOTE_NONE = 0,
	XVA_NOTE_RUNNING = 1,
	XVA_NOTE_SHUTTINGDOWN = 2,
	XVA_NOTE_SHUTDOWN = 3,
	XVA_NOTE_PAUSED = 4,
	XVA_NOTE_SUSPENDING = 5,
	XVA_NOTE_SUSPENDED = 6,
	XVA_NOTE_RESUMING = 7,
	XVA_NOTE_MIGRATING = 8,
	XVA_NOTE_CRASHED = 9,
	XVA_NOTE_DELETED = 10,
};
#define XVA_NOTE_BULK_OFFSET 10
#define XVA_NOTE_KINDS 11 /* array size for per-kind tables, index 0 unused */

/* From Xen's flags, worst first as the plugins read them: crashed ->
 * crashed(12), dying -> shuttingdown(10), shut down -> shutdown(11), paused
 * -> paused(8); running, blocked (idle) and no flag (waiting for a CPU) ->
 * running(4). */
enum xva_oper xva_oper_state(const struct xv_domain *d);

/* What the domain is meant to be: paused(3) when paused, shutdown(4) when it
 * has stopped (shut down, crashed) or is being destroyed (dying), running(1)
 * otherwise.  Xen keeps no saved (suspended) domains in its list. */
enum xva_admin xva_admin_state(const struct xv_domain *d);

/* vmMemUnit, vmCurMem, vmMaxMem: KiB (unit 1024) while every figure fits an
 * Integer32 (2 TiB), else MiB (unit 1048576, rounded down).  max is -1 when
 * the source does not know the maximum, cur 0 when it does not know the
 * current size. */
struct xva_vm_mem {
	int32_t unit, cur, max;
};
void xva_vm_memory(const struct xv_domain *d, struct xva_vm_mem *out);

/* TimeTicks (centiseconds, modulo 2^32) of an uptime taken `age_ms` ago;
 * 0 when the uptime is XV_UPTIME_UNKNOWN. */
uint32_t xva_uptime_ticks(uint64_t uptime_ms, uint64_t age_ms);

/* The notification for entering `oper`, or XVA_NOTE_NONE (unknown, other,
 * preparing have none). */
enum xva_vm_note xva_note_for(enum xva_oper oper);

/* "vmRunning" ... "vmDeleted", "vmBulkRunning" ... for logs. */
const char *xva_note_name(int note);

/* A VM whose state changed between two snapshots. */
struct xva_vm_event {
	int32_t index;
	enum xva_vm_note note;
	enum xva_oper left;           /* the state the VM left (the varbind) */
	const struct xv_domain *d;    /* in the new snapshot; the old one when deleted */
};

/* Compares the domains of two snapshots by their vmIndex (`old_index` and
 * `new_index` run parallel to each snapshot's domains; 0 means no index,
 * and such a domain is left out).  A VM that appears in a notifiable state
 * raises that state's notification having left preparing(3) (Xen builds a
 * domain before it runs); one that disappears raises vmDeleted.  Returns
 * the number of events, in *out (free() it), in vmIndex order. */
size_t xva_vm_events(const struct xv_snapshot *old_snap, const int32_t *old_index,
		     const struct xv_snapshot *new_snap, const int32_t *new_index,
		     struct xva_vm_event **out);

/* vmUUID (UUIDorZero): the 16 octets of a canonical UUID, or 0 octets when
 * the text is not one.  Returns the length. */
size_t xva_uuid_octets(const char *uuid, unsigned char out[16]);

/* Sets vmIndex `index` in a VirtualMachineList: octet 1 covers 1-8, most
 * significant bit first; the buffer grows as needed. */
void xva_vm_list_add(struct xv_buf *list, int32_t index);

#endif
