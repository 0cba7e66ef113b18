/* SPDX-License-Identifier: GPL-3.0-or-later */
/* placement.c: the host with the most headroom for a new guest. */
#include "placement.h"

uint64_t xv_placement_available_kib(const struct xv_snapshot *snap, uint64_t dom0_floor_kib)
{
	uint64_t avail = snap->host.free_kib;

	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		if (d->id == 0) {
			if (dom0_floor_kib != XV_KIB_UNKNOWN && d->cur_kib > dom0_floor_kib)
				avail += d->cur_kib - dom0_floor_kib;
			continue;
		}
		/* a guest above its balloon target is giving the rest back */
		if (d->target_kib != XV_KIB_UNKNOWN && d->cur_kib > d->target_kib)
			avail += d->cur_kib - d->target_kib;
	}
	return avail; /* bounded: every figure is at most XV_KIB_MAX (snapshot check) */
}

long xv_placement_choose(const struct xv_snapshot *const *snaps, size_t n, uint64_t memory_kib,
			 uint64_t dom0_floor_kib, uint64_t *headroom_kib)
{
	uint64_t need = memory_kib + XV_DOMAIN_OVERHEAD_KIB, best_avail = 0;
	long best = -1;

	for (size_t i = 0; i < n; i++) {
		uint64_t avail;
		if (!snaps[i])
			continue;
		avail = xv_placement_available_kib(snaps[i], dom0_floor_kib);
		if (avail < need) {
			if (best < 0 && avail > best_avail)
				best_avail = avail;
			continue;
		}
		if (best < 0 || avail - need > *headroom_kib) {
			best = (long)i;
			*headroom_kib = avail - need;
		}
	}
	if (best < 0)
		*headroom_kib = best_avail;
	return best;
}
