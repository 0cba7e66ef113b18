/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_inventory.c: the inventory parser never crashes or leaks, refuses
 * with a located message, and what it accepts is consistent. */
#include "fuzz.h"
#include "inventory.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_inventory inv;
	struct xv_error err;
	size_t hosts = 0;

	/* relative repositories resolve under a directory that does not exist,
	 * so the fuzzer cannot wander the file system */
	if (xv_inventory_parse("fuzz.ini", "/nonexistent-xvmon-fuzz", (const char *)data, size, &inv,
			       &err)) {
		FUZZ_ASSERT(!strncmp(err.msg, "fuzz.ini:", 9));
		FUZZ_ASSERT(err.code != XV_E_NONE && err.line > 0);
		FUZZ_ASSERT(inv.n_pools == 0 && inv.n_hosts == 0);
		xv_inventory_release(&inv);
		return 0;
	}
	FUZZ_ASSERT(inv.n_pools > 0);
	for (size_t i = 0; i < inv.n_pools; i++) {
		const struct xv_inv_pool *p = &inv.pools[i];
		hosts += p->n_hosts;
		for (size_t j = 1; j < p->n_vms; j++)
			FUZZ_ASSERT(strcmp(p->vms[j - 1], p->vms[j]) < 0); /* sorted, unique */
		for (size_t j = 0; j < p->n_vms; j++)
			FUZZ_ASSERT(xv_inv_pool_expects(p, p->vms[j]));
		for (size_t j = 0; j < p->n_hosts; j++)
			FUZZ_ASSERT(inv.hosts[p->hosts[j]].pool == i);
	}
	FUZZ_ASSERT(hosts == inv.n_hosts);
	for (size_t i = 0; i < inv.n_hosts; i++)
		FUZZ_ASSERT(inv.hosts[i].uri && strchr(inv.hosts[i].uri, ':'));
	xv_inventory_release(&inv);
	return 0;
}
