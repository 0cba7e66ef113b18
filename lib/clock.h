/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clock.h: monotonic time, wall-clock time, deadlines and sleeping in milliseconds. */
#ifndef XV_CLOCK_H
#define XV_CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock. */
uint64_t xv_monotonic_ms(void);

/* Wall-clock milliseconds since the epoch: for what is kept between runs
 * (the monotonic clock starts again at every boot). */
uint64_t xv_realtime_ms(void);

/* Sleeps the whole of `ms`, even across signals that interrupt nanosleep(). */
void xv_sleep_ms(uint64_t ms);

/* Milliseconds left until `deadline_ms` (0 when it has passed); UINT64_MAX
 * when deadline_ms is 0 (no deadline).  Never wraps. */
uint64_t xv_ms_left(uint64_t deadline_ms);

#endif
