/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_bench_plan.c: the bench's plan parser never crashes or leaks, and
 * refuses with a located message. */
#include "fuzz.h"
#include "plan.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_bench_plan plan;
	char *text = malloc(size + 1), err[1024];

	memcpy(text, data, size);
	text[size] = '\0';
	err[0] = '\0';
	if (xv_bench_plan_load_string(&plan, "fuzz.ini", text, err, sizeof(err)))
		FUZZ_ASSERT(!strncmp(err, "fuzz.ini:", 9));
	else
		xv_bench_plan_release(&plan);
	free(text);
	return 0;
}
