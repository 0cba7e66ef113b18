/* SPDX-License-Identifier: GPL-3.0-or-later */
/* clock.h: monotonic time and deadlines in milliseconds. */
#ifndef XV_CLOCK_H
#define XV_CLOCK_H

#include <stdint.h>

/* Milliseconds on the monotonic clock. */
uint64_t xv_monotonic_ms(void);

/* Milliseconds left until `deadline_ms` (0 when it has passed); UINT64_MAX
 * when deadline_ms is 0 (no deadline).  Never wraps. */
uint64_t xv_ms_left(uint64_t deadline_ms);

#endif
