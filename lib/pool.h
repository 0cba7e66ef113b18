/* pool.h: poll every host of an inventory pool at once. */
#ifndef XV_POOL_H
#define XV_POOL_H

#include <stdint.h>
#include "inventory.h"
#include "poller.h"

/* Fills results[0 .. pool->n_hosts) in the order of pool->hosts, each host
 * with its own timeout (host, then pool, setting), the whole poll ending by
 * `deadline_ms` (xv_monotonic_ms(); 0 for none).  `parallel` overrides the
 * pool's setting when not 0.  Release each result. */
void xv_pool_poll(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		  uint64_t deadline_ms, unsigned parallel, struct xv_poll_result *results);

#endif
