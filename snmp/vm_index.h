/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_index.h: stable vmIndex values for VMs, kept across agent restarts.
 *
 * RFC 7666 wants a VM's vmIndex to stay the same while the hypervisor runs;
 * a Xen domain id changes at every restart of the guest and a shut-off VM
 * has none, so the index cannot be the domid.  The map gives each VM (by
 * UUID) a small number the first time it is seen and keeps it: smallest
 * free numbers first, so the vmAffectedVMs bitmap stays short.  An entry not
 * seen for `retention_s` is forgotten and its number may be given again.
 *
 * With a state file the map is loaded at start and saved atomically
 * (lib/atomic_file.h) whenever it changes, so an agent restart keeps every
 * index.  A file that cannot be read or parsed is reported and the map
 * starts empty: the agent runs on, with new numbers.
 *
 * Pure C, no net-snmp: tests/unit/t_vm_index.c. */
#ifndef XVA_VM_INDEX_H
#define XVA_VM_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "error.h"

#define XVA_VM_INDEX_MAX 2147483647 /* VirtualMachineIndex is 1..2^31-1 */
#define XVA_VM_INDEX_MAX_ENTRIES 1000000
#define XVA_VM_INDEX_KEY_MAX 64

struct xva_vm_index;

/* `path` may be NULL (no persistence).  Never NULL. */
struct xva_vm_index *xva_vm_index_new(const char *path, uint64_t retention_s);
void xva_vm_index_free(struct xva_vm_index *m);

/* Reads the state file.  0 when it was read or does not exist yet; -1 with
 * `e` set when it exists but cannot be used (the map is then empty). */
int xva_vm_index_load(struct xva_vm_index *m, struct xv_error *e);

/* The index of `key` (a UUID, or any string without white space up to
 * XVA_VM_INDEX_KEY_MAX bytes), given now if new; marks it seen at `now`.
 * Returns 0 only when every index is taken (2^31 - 1 VMs). */
int32_t xva_vm_index_get(struct xva_vm_index *m, const char *key, time_t now);

/* Forgets entries not seen since `now - retention`.  Returns how many. */
size_t xva_vm_index_expire(struct xva_vm_index *m, time_t now);

/* Writes the state file if the map changed since the last save (a new
 * entry, one forgotten; last-seen times alone are saved with the next
 * change).  0, or -1 with `e` set (XV_E_CANTCREAT / XV_E_IO). */
int xva_vm_index_save(struct xva_vm_index *m, struct xv_error *e);

size_t xva_vm_index_count(const struct xva_vm_index *m);

#endif
