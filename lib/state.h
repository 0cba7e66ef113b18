/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state.h: the four plugin states and how they combine.
 *
 * Exit codes follow the Monitoring Plugins guidelines: OK 0, WARNING 1,
 * CRITICAL 2, UNKNOWN 3.  When sub-results combine, our ranking is
 *
 *     CRITICAL > UNKNOWN > WARNING > OK
 *
 * An UNKNOWN part means we could not see something, and what we could not see
 * may be anything up to a critical: it outranks a warning we did see.  A known
 * CRITICAL outranks a blind spot.  (monitoring-plugins ranks UNKNOWN below
 * WARNING; we chose differently on purpose.) */
#ifndef XV_STATE_H
#define XV_STATE_H

enum xv_state {
	XV_OK = 0,
	XV_WARNING = 1,
	XV_CRITICAL = 2,
	XV_UNKNOWN = 3,
};

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *xv_state_name(enum xv_state s);

/* Position in the ranking above: OK 0, WARNING 1, UNKNOWN 2, CRITICAL 3. */
int xv_state_rank(enum xv_state s);

/* The worse of two states, by the ranking above. */
enum xv_state xv_state_worst(enum xv_state a, enum xv_state b);

/* Parses a state name (case-insensitive) or its number 0-3; -1 if invalid. */
int xv_state_parse(const char *text, enum xv_state *out);

#endif
