/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_pool.h: evaluate a pool for check_xen_pool. */
#ifndef XV_POOL_CHECK_H
#define XV_POOL_CHECK_H

#include "pool_problems.h"
#include "check.h"
#include "range.h"

struct xv_pool_check_config {
	struct xv_thresholds availability; /* percent, 0-100 */
	struct xv_thresholds vm_ratio;     /* percent */
	struct xv_thresholds server_ratio; /* percent */
	enum xv_state duplicate_state;     /* a VM on two hosts at once */
	enum xv_state unexpected_state;    /* a VM up that the inventory does not list */
	/* When the poll measured nothing: no host answered, or the check's own
	 * deadline cut hosts short.  The plugin's -t SECONDS:STATE. */
	enum xv_state unmeasured_state;
	int verbose;
};

/* Defaults: availability warning below 100%, critical below 90%; duplicates
 * CRITICAL (two copies of a VM write to the same disks); unexpected VMs
 * WARNING; a poll that measured nothing CRITICAL. */
void xv_pool_check_defaults(struct xv_pool_check_config *cfg);

void xv_pool_check_run(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		   const struct xv_poll_result *results, const struct xv_pool_report *report,
		   const struct xv_pool_check_config *cfg, unsigned poll_ms, struct xv_check *out);

#endif
