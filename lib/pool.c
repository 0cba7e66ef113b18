/* pool.c: inventory pool -> poll targets. */
#include "pool.h"
#include "util.h"

#include <stdlib.h>

void xv_pool_poll(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		  uint64_t deadline_ms, unsigned parallel, struct xv_poll_result *results)
{
	struct xv_poll_target *targets = xv_calloc(pool->n_hosts, sizeof(*targets));
	struct xv_poll_options opt = { .max_parallel = parallel ? parallel : pool->parallel,
				       .timeout_ms = pool->timeout_ms,
				       .deadline_ms = deadline_ms };

	for (size_t i = 0; i < pool->n_hosts; i++) {
		const struct xv_inv_host *h = &inv->hosts[pool->hosts[i]];
		targets[i] = (struct xv_poll_target){ h->name, h->uri, h->timeout_ms };
	}
	xv_poll(targets, pool->n_hosts, &opt, results);
	free(targets);
}
