/* SPDX-License-Identifier: GPL-3.0-or-later */
/* feed.h: what the three SLS feeds of a pool say, before any format.
 *
 * From a pool's availability report this builds, for the feeds ID_vm (VM
 * ratio), ID_pm (server ratio) and ID (harmonic mean of the two), the
 * availability, the service status, the description, the human-readable
 * information and the numbers.  The writers (xsls, legacy, json) only lay
 * these out; every decision lives here, and docs/sls.md states them:
 *
 * - Availability is published in percent with one decimal, rounded down
 *   (tenths of a percent, computed with integers: 2/3 is 66.6): a feed
 *   never shows more than was measured, and 100.0 means everything
 *   expected is up.
 * - status: "available" at 100.0, "unavailable" at 0.0 or when the poll
 *   failed, "degraded" in between.
 * - A ratio that is undefined (no VMs expected: the VM ratio; no hosts: the
 *   server ratio) has no feed; the combined feed then follows the other
 *   ratio, as in availability.h.  Nothing expected at all: no feed.
 * - The poll failed when the pool has hosts and none of them answered:
 *   then nothing is known, not even whether the pool or the exporter's
 *   network is down.  Such an update is only published on request, as
 *   "unavailable" without an availability figure. */
#ifndef XV_SLS_FEED_H
#define XV_SLS_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "pool_report.h"
#include "inventory.h"
#include "poller.h"

/* Names listed per kind of problem in availabilityinfo; the counts in the
 * data section are always complete. */
#define XV_SLS_MAX_NAMES 20
#define XV_SLS_MAX_NUMBERS 16

enum xv_sls_kind {
	XV_SLS_VM,  /* ID_vm: VMs up / VMs expected */
	XV_SLS_PM,  /* ID_pm: hosts that answered / hosts expected */
	XV_SLS_ALL, /* ID: harmonic mean */
};
#define XV_SLS_KINDS 3

enum xv_sls_status {
	XV_SLS_AVAILABLE,
	XV_SLS_DEGRADED,
	XV_SLS_UNAVAILABLE,
};

struct xv_sls_number {
	const char *name;  /* static: vm_ratio, hosts, ... */
	const char *desc;  /* static */
	char value[32];    /* an xs:decimal / JSON number: "75.0", "4", "0.012" */
	const char *group; /* a count's kind, "hosts" or "vms" (legacy grp); NULL */
};

struct xv_sls_feed {
	enum xv_sls_kind kind;
	char *id;               /* ID, ID_vm or ID_pm; owned */
	bool defined;           /* false: no document (the ratio is undefined) */
	bool has_availability;  /* false: a status-only ("unavailable") update */
	unsigned permille;      /* availability in tenths of a percent */
	enum xv_sls_status status;
	char *desc;             /* availabilitydesc; owned, raw (clean before writing) */
	char *info;             /* availabilityinfo; owned, raw */
};

struct xv_sls_update {
	const char *pool;          /* borrowed from the inventory */
	const char *contact;       /* borrowed; NULL when not configured */
	const char *webpage;       /* borrowed; NULL when not configured */
	struct timespec timestamp; /* when the poll ended (CLOCK_REALTIME) */
	bool poll_failed;          /* no host answered (XV_POOL_NO_ANSWER) */
	struct xv_sls_feed feeds[XV_SLS_KINDS];
	struct xv_sls_number numbers[XV_SLS_MAX_NUMBERS];
	size_t n_numbers;
};

enum xv_sls_status xv_sls_status_of(unsigned permille);
const char *xv_sls_status_name(enum xv_sls_status s);

/* Fills `u` for `pool` (feeds named after `id`) from the poll results and
 * their report, which must be a measurement or XV_POOL_NO_ANSWER.  `poll_ms` is how long the poll took.  Release with
 * xv_sls_update_release(); u borrows from inv. */
void xv_sls_update_build(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
			 const char *id, const struct xv_poll_result *results,
			 const struct xv_pool_report *r, struct timespec timestamp, unsigned poll_ms,
			 struct xv_sls_update *u);

void xv_sls_update_release(struct xv_sls_update *u);

/* "", "_vm" or "_pm". */
const char *xv_sls_suffix(enum xv_sls_kind kind);

#endif
