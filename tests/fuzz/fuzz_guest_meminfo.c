/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_guest_meminfo.c: what a guest publishes never crashes the parsers, and
 * whatever they accept is a record xv_snapshot_check() would accept. */
#include "fuzz.h"
#include "guest_meminfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_guest_memory g;
	const char *why = NULL;

	xv_guest_memory_clear(&g, XV_GUEST_NONE);
	if (xv_meminfo_parse((const char *)data, size, &g, &why) == 0) {
		FUZZ_ASSERT(g.report == XV_GUEST_REPORTED);
		FUZZ_ASSERT(g.total_kib != XV_KIB_UNKNOWN);
		/* the vmstat parser on the same bytes may add counters */
		(void)xv_vmstat_parse((const char *)data, size, &g, &why);
		/* may still be refused as a whole (free above total): never crash */
		(void)xv_guest_memory_validate(&g);
	} else {
		FUZZ_ASSERT(why != NULL);
		FUZZ_ASSERT(g.report == XV_GUEST_NONE);
	}
	return 0;
}
