/* SPDX-License-Identifier: GPL-3.0-or-later */
/* permille.h: ratios as integer tenths of a percent.
 *
 * Every ratio xvmon publishes (VM ratio, server ratio, their harmonic mean)
 * is computed here with integers and rounded down, so 2/3 is 66.6 and 1/1 VMs
 * with 3/5 hosts is exactly 75.0 in every output. */
#ifndef XV_PERMILLE_H
#define XV_PERMILLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A ratio in tenths of a percent (0-1000), rounded down, or undefined. */
struct xv_permille {
	bool defined;
	unsigned value;
};

/* floor(1000 num / den) for num <= den, den > 0. */
unsigned xv_permille_ratio(uint64_t num, uint64_t den);

/* The harmonic mean of up/expected and reachable/hosts, in tenths of a
 * percent rounded down: floor(2000 u h / (u H + h U)); 0 when u or h is 0.
 * Counts up to 2^24 each (XV_POOL_MAX_COUNT), so products fit 64 bits. */
unsigned xv_permille_hmean(uint64_t up, uint64_t expected, uint64_t reachable, uint64_t hosts);

/* "75.0" from 750 (at least 6 bytes). */
void xv_permille_format(unsigned permille, char *buf, size_t size);

#endif
