/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_range.c: the range parser never crashes, and whatever it accepts
 * prints back to a range that parses to the same thing. */
#include "fuzz.h"
#include "buf.h"
#include "range.h"

#include <math.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256];
	struct xv_range r, again;
	struct xv_buf b = XV_BUF_INIT;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (xv_range_parse(text, XV_ALLOW_MEMORY, &r) != XV_RANGE_OK)
		return 0;
	FUZZ_ASSERT(r.start_infinite || r.end_infinite || r.start <= r.end);
	xv_range_format(&r, 1, false, &b);
	FUZZ_ASSERT(xv_range_parse(b.data, XV_ALLOW_MEMORY, &again) == XV_RANGE_OK);
	FUZZ_ASSERT(again.alert_inside == r.alert_inside);
	FUZZ_ASSERT(again.start_infinite == r.start_infinite);
	FUZZ_ASSERT(again.end_infinite == r.end_infinite);
	/* printed with at most six decimals: equal to that precision */
	FUZZ_ASSERT(r.start_infinite || fabs(again.start - r.start) <= 1e-6 * (1 + fabs(r.start)));
	FUZZ_ASSERT(r.end_infinite || fabs(again.end - r.end) <= 1e-6 * (1 + fabs(r.end)));
	xv_buf_release(&b);
	return 0;
}
