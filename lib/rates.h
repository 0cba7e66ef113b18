/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rates.h: CPU use and traffic from two readings of a domain's counters.
 *
 * A rate is the difference of a counter between the previous run's reading
 * (state_file.h) or an earlier snapshot of the same check, and now, over the
 * time between the snapshots.  Every rate is an integer computed here once,
 * rounded down; the plugin text, perfdata and thresholds use that integer:
 *
 *   CPU, CPU wait   tenths of a percent of the domain's vCPUs (1000 = every
 *                   vCPU busy the whole time); the host's CPU in tenths of a
 *                   percent of its physical CPUs
 *   swap            bytes per second moved to and from swap (in + out)
 *   disk, network   bytes per second
 *
 * No rate is made up: a domain with no earlier reading, one that restarted
 * (another domain id, or a counter that went down), or no time between the
 * readings has none. */
#ifndef XV_RATES_H
#define XV_RATES_H

#include <stdbool.h>
#include <stdint.h>
#include "snapshot.h"
#include "state_file.h"

enum xv_rate {
	XV_RATE_CPU,
	XV_RATE_CPU_WAIT,
	XV_RATE_SWAP,
	XV_RATE_DISK_READ,
	XV_RATE_DISK_WRITE,
	XV_RATE_NET_RX,
	XV_RATE_NET_TX,
	XV_RATE_COUNT
};

struct xv_rates {
	bool has[XV_RATE_COUNT];
	uint64_t value[XV_RATE_COUNT];
};

enum xv_rates_status {
	XV_RATES_MEASURED,    /* some or all rates are known */
	XV_RATES_NO_PREVIOUS, /* the domain was not seen before */
	XV_RATES_RESTARTED,   /* another domain id since, or a counter went down */
	XV_RATES_NO_INTERVAL, /* the snapshots are not in time order */
};

/* Rates of `d` read at `now_ms` against the earlier reading `prev` (may be
 * NULL).  Fills `out` (has[] false where unknown). */
enum xv_rates_status xv_rates_compute(const struct xv_state_vm *prev, const struct xv_domain *d,
				      uint64_t now_ms, struct xv_rates *out);

/* The host's CPU use between `prev` and `snap`: the CPU time every domain
 * (dom0 included) used, over the interval times the physical CPUs.  Domains
 * that started, stopped or restarted in between count for nothing (so it
 * errs low).  False when there is no earlier reading, no interval, or the
 * CPU count is unknown. */
bool xv_rates_host_cpu(const struct xv_state_file *prev, const struct xv_snapshot *snap,
		       unsigned *permille);

/* A state file holding `snap`'s counters at its time (sorted for lookup):
 * the earlier reading when a check samples twice itself. */
void xv_rates_reading(const struct xv_snapshot *snap, struct xv_state_file *out);

/* "cpu", "cpu_wait", "swap", "disk_read", "disk_write", "net_rx", "net_tx". */
const char *xv_rate_name(enum xv_rate r);

#endif
