/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clock.c: monotonic and wall-clock milliseconds, and sleeping. */
#include "clock.h"

#include <errno.h>
#include <time.h>

uint64_t xv_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t xv_realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

uint64_t xv_ms_left(uint64_t deadline_ms)
{
	uint64_t now;

	if (!deadline_ms)
		return UINT64_MAX;
	now = xv_monotonic_ms();
	return deadline_ms > now ? deadline_ms - now : 0;
}

void xv_sleep_ms(uint64_t ms)
{
	struct timespec left = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&left, &left) && errno == EINTR)
		;
}
