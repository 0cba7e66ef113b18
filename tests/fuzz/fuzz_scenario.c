/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_scenario.c: the scenario parser never crashes or leaks, and every
 * scenario it accepts describes a host Xen could produce. */
#include "fuzz.h"
#include "num.h"
#include "scenario.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_snapshot s;
	struct xv_error err;
	uint64_t used = 0;

	if (xv_scenario_parse("fuzz.sim", (const char *)data, size, &s, NULL, &err)) {
		FUZZ_ASSERT(err.code == XV_E_DATA && err.line > 0); /* a refusal says where */
		FUZZ_ASSERT(!strncmp(err.msg, "fuzz.sim:", 9));
		FUZZ_ASSERT(s.n_domains == 0);
		return 0;
	}
	FUZZ_ASSERT(s.n_domains >= 1 && s.domains[0].id == 0);
	FUZZ_ASSERT(s.host.dom0_kib == s.domains[0].cur_kib);
	for (size_t i = 0; i < s.n_domains; i++) {
		const struct xv_domain *d = &s.domains[i];
		used += d->cur_kib;
		FUZZ_ASSERT(d->max_kib == XV_KIB_UNKNOWN || d->cur_kib <= d->max_kib);
		FUZZ_ASSERT(strlen(d->uuid) == 36);
		FUZZ_ASSERT(d->cur_kib <= XV_KIB_MAX);
		for (size_t j = 0; j < i && i < 64; j++)
			FUZZ_ASSERT(s.domains[j].id != d->id && strcmp(s.domains[j].name, d->name));
	}
	FUZZ_ASSERT(!xv_snapshot_check(&s, &err)); /* what a sim: source may hand out */
	FUZZ_ASSERT(used + s.host.free_kib <= s.host.total_kib);
	xv_snapshot_release(&s);
	return 0;
}
