/* SPDX-License-Identifier: GPL-3.0-or-later */
/* permille.c: integer ratios in tenths of a percent. */
#include "permille.h"

#include <stdio.h>

unsigned xv_permille_ratio(uint64_t num, uint64_t den)
{
	return den ? (unsigned)(num * 1000 / den) : 0;
}

unsigned xv_permille_hmean(uint64_t u, uint64_t U, uint64_t h, uint64_t H)
{
	/* 2 (u/U)(h/H) / (u/U + h/H) = 2uh / (uH + hU); with counts below 2^24
	 * the products stay below 2^59 */
	if (!u || !h)
		return 0;
	return (unsigned)(2000 * u * h / (u * H + h * U));
}

void xv_permille_format(unsigned permille, char *buf, size_t size)
{
	snprintf(buf, size, "%u.%u", permille / 10, permille % 10);
}
