/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_bench_plan.c: the bench's plan parser never crashes or leaks, and
 * refuses with a located message; what it accepts is within the bounds. */
#include "fuzz.h"
#include "plan.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_bench_plan plan;
	char *text = malloc(size + 1);
	struct xv_error err;

	memcpy(text, data, size);
	text[size] = '\0';
	if (xv_bench_plan_load_string(&plan, "fuzz.ini", text, &err)) {
		FUZZ_ASSERT(!strncmp(err.msg, "fuzz.ini:", 9));
		FUZZ_ASSERT(err.code == XV_E_DATA);
	} else {
		/* an accepted plan is within every bound */
		struct xv_bench_cost cost;
		xv_bench_plan_cost(&plan, &cost);
		FUZZ_ASSERT(plan.proc.kind == XV_PROC_RAMP || (cost.sim_ms <= XV_BENCH_MAX_SIM_MS &&
							       cost.work <= XV_BENCH_MAX_WORK));
		FUZZ_ASSERT(plan.host.memory_kib <= XV_BENCH_HOST_MAX_KIB);
		xv_bench_plan_release(&plan);
	}
	free(text);
	return 0;
}
