/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot.h: what a source reports about one host at one moment.
 *
 * Memory is in KiB everywhere (names end in _kib).  XV_KIB_UNKNOWN marks a
 * value the source cannot provide (say, a balloon target over a protocol that
 * does not carry it); consumers must check for it before doing arithmetic.
 *
 * A snapshot owns every string it points to; they stay valid until
 * xv_snapshot_release().  Snapshots are plain data: safe to read from any
 * thread once taken, cheap to keep (the SNMP agent serves the last one). */
#ifndef XV_SNAPSHOT_H
#define XV_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define XV_KIB_UNKNOWN UINT64_MAX

/* Domain ids below DOMID_FIRST_RESERVED (0x7FF0): no host has more. */
#define XV_MAX_DOMAINS 0x7FF0

/* Xen reports a set of state flags, not one state: a paused domain can also
 * be blocked, a crashed one is also shut down.  These mirror libxenstat. */
enum xv_dom_flag {
	XV_DOM_RUNNING = 1u << 0,
	XV_DOM_BLOCKED = 1u << 1,
	XV_DOM_PAUSED = 1u << 2,
	XV_DOM_SHUTDOWN = 1u << 3, /* shut down for a reason other than a crash */
	XV_DOM_CRASHED = 1u << 4,
	XV_DOM_DYING = 1u << 5,
};

/* The one state a domain is reported in, worst first when flags combine. */
enum xv_dom_state {
	XV_STATE_CRASHED,
	XV_STATE_DYING,
	XV_STATE_SHUTDOWN,
	XV_STATE_PAUSED,
	XV_STATE_RUNNING,
	XV_STATE_BLOCKED,
	XV_STATE_NONE, /* no flag at all: Xen shows "------" (runnable, not on a CPU) */
	XV_STATE_COUNT
};

struct xv_domain {
	uint32_t id;
	char *name;
	char uuid[37];        /* canonical 8-4-4-4-12 lower-case hex */
	unsigned flags;       /* enum xv_dom_flag bits */
	uint64_t cur_kib;     /* memory the domain holds now */
	uint64_t target_kib;  /* balloon target (xenstore memory/target) */
	uint64_t max_kib;     /* configured maximum (xenstore memory/static-max) */
	unsigned vcpus;
	uint64_t cpu_ns;      /* cumulative CPU time */
	uint64_t swap_used_kib; /* guest swap in use, where the source knows it */
};

struct xv_host {
	char *name;
	char *xen_version;
	/* The pool master this host follows, as the host says (a host that is
	 * its own master names itself); NULL when the source cannot tell. */
	char *pool_master;
	uint64_t total_kib;
	uint64_t free_kib;
	uint64_t dom0_kib;        /* memory held by domain 0 (XV_KIB_UNKNOWN if none) */
	uint64_t scrub_kib;       /* freed pages not yet scrubbed */
	uint64_t outstanding_kib; /* claimed for domains being built */
	unsigned cpus;
};

struct xv_snapshot {
	struct xv_host host;
	struct xv_domain *domains; /* in source order; domain 0 first on Xen */
	size_t n_domains;
	size_t alloc_domains;
};

void xv_snapshot_init(struct xv_snapshot *snap);

/* Refuses what no Xen host reports, with XV_E_HOST: a host or domain without
 * a name, more than XV_MAX_DOMAINS domains, a memory figure above XV_KIB_MAX
 * (num.h), free memory above the total.  Every figure that passes can be
 * summed over all domains without overflow. */
int xv_snapshot_check(const struct xv_snapshot *snap, struct xv_error *e);
void xv_snapshot_release(struct xv_snapshot *snap);

/* Appends a zeroed domain (memory fields XV_KIB_UNKNOWN) and returns it; the
 * pointer is valid until the next append. */
struct xv_domain *xv_snapshot_add_domain(struct xv_snapshot *snap);

/* Lookups return a borrowed pointer or NULL.  Names are compared exactly;
 * UUIDs case-insensitively. */
const struct xv_domain *xv_snapshot_find_name(const struct xv_snapshot *snap, const char *name);
const struct xv_domain *xv_snapshot_find_uuid(const struct xv_snapshot *snap, const char *uuid);
const struct xv_domain *xv_snapshot_find_id(const struct xv_snapshot *snap, uint32_t id);

enum xv_dom_state xv_domain_state(const struct xv_domain *d);

/* "running", "blocked", "paused", "shutdown", "crashed", "dying", "none". */
const char *xv_dom_state_name(enum xv_dom_state s);
/* Up means running or blocked (an idle guest is blocked) and nothing worse. */
bool xv_domain_is_up(const struct xv_domain *d);
/* xl's six-character state column, e.g. "-b----", into buf[7]. */
void xv_domain_flags_string(unsigned flags, char buf[7]);

/* Parses "running", "blocked", "paused", "shutdown", "crashed", "dying" (one
 * name) into a flag; -1 if unknown. */
int xv_dom_flag_parse(const char *name, unsigned *flag);

/* True if `s` is a canonical UUID (any hex case); writes it lower-cased. */
bool xv_uuid_normalize(const char *s, char out[37]);

/* Sum of the guests' (not dom0's) configured maximum over physical memory,
 * in thousandths rounded to the nearest (0 when the total is unknown); a
 * guest whose maximum is unknown counts with its current memory.  The text,
 * the perfdata and the threshold all use this value. */
uint64_t xv_snapshot_overcommit_milli(const struct xv_snapshot *snap);

#endif
