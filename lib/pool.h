/* SPDX-License-Identifier: GPL-3.0-or-later */
/* pool.h: poll every host of one or more inventory pools at once. */
#ifndef XV_POOL_H
#define XV_POOL_H

#include <stddef.h>
#include <stdint.h>
#include "inventory.h"
#include "poller.h"

struct xv_pools_poll_options {
	uint64_t deadline_ms; /* xv_monotonic_ms() by which the whole poll ends; 0: none */
	unsigned parallel;    /* hosts at once; 0: the smallest setting among the pools
			       * (several pools share one pass: the most careful wins),
			       * else the poller's default */
	unsigned timeout_ms;  /* per host, overriding the inventory; 0: the host's
			       * own timeout, else its pool's */
	uint64_t cleanup_deadline_ms; /* when XenAPI logouts must stop (poller.h); 0:
				       * the poller's default */
};

/* Polls every host of pools[0 .. n_pools) in one parallel pass.  Returns the
 * results (malloc'ed, one per host: the hosts of pools[0] in the order of
 * pool->hosts, then those of pools[1], ...) and their number in *n_results;
 * free them with xv_poll_results_free().  `opt` may be NULL. */
struct xv_poll_result *xv_pools_poll(const struct xv_inventory *inv,
				     const struct xv_inv_pool *const *pools, size_t n_pools,
				     const struct xv_pools_poll_options *opt, size_t *n_results);

/* Releases and frees what xv_pools_poll() returned; accepts NULL. */
void xv_poll_results_free(struct xv_poll_result *results, size_t n);

#endif
