/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state.c: plugin states. */
#include "state.h"

#include <strings.h>

static const char *const names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };
/* rank[state]: higher is worse (see state.h for why UNKNOWN sits above WARNING) */
static const int rank[] = { 0, 1, 3, 2 };

const char *xv_state_name(enum xv_state s)
{
	return (unsigned)s < 4 ? names[s] : "UNKNOWN";
}

int xv_state_rank(enum xv_state s)
{
	return rank[s & 3];
}

enum xv_state xv_state_worst(enum xv_state a, enum xv_state b)
{
	return xv_state_rank(a) >= xv_state_rank(b) ? a : b;
}

int xv_state_parse(const char *text, enum xv_state *out)
{
	for (int i = 0; i < 4; i++) {
		if (!strcasecmp(text, names[i]) || (text[0] == '0' + i && !text[1])) {
			*out = (enum xv_state)i;
			return 0;
		}
	}
	return -1;
}
