/* SPDX-License-Identifier: GPL-3.0-or-later */
/* placement.h: which host takes a new guest.
 *
 * The bench's creation arithmetic (bench/model.c, docs/bench.md) on a live
 * snapshot: a guest needs its whole memory= plus the per-domain overhead
 * free at once; a host can make that much free from its free memory, dom0
 * ballooning down to its floor, and the guests that hold more than their
 * balloon targets giving the difference back.  The host with the most
 * headroom left after the new guest wins (ties: the first given).
 *
 * This is the one place placement is decided; when the capacity arithmetic
 * moves into lib/ for check_xen_capacity, this function calls it. */
#ifndef XV_PLACEMENT_H
#define XV_PLACEMENT_H

#include <stddef.h>
#include <stdint.h>
#include "snapshot.h"

/* The bench's per-domain overhead (Xen heap per domain), 1 MiB. */
#define XV_DOMAIN_OVERHEAD_KIB 1024

/* Memory the host can make free for a new guest, in KiB.  `dom0_floor_kib`:
 * how far dom0 may balloon down (XV_KIB_UNKNOWN: not at all, dom0_mem fixed). */
uint64_t xv_placement_available_kib(const struct xv_snapshot *snap, uint64_t dom0_floor_kib);

/* Index of the snapshot with the most headroom for a guest of `memory_kib`,
 * or -1 if none has room; *headroom_kib is the winner's available memory
 * less the guest's need (or, with -1, the best available figure). NULL
 * entries are hosts that did not answer. */
long xv_placement_choose(const struct xv_snapshot *const *snaps, size_t n, uint64_t memory_kib,
			 uint64_t dom0_floor_kib, uint64_t *headroom_kib);

#endif
