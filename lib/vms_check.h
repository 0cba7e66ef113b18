/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vms_check.h: every VM of one host, or of a pool, in one check.
 *
 * check_xen_vms (one host) and check_xen_pool --vms (every host of a pool)
 * evaluate each selected domain the same way: its state, its memory against
 * its maximum, its balloon's distance from its target (optionally only once
 * that has lasted a given time), what the guest says about its memory
 * (Committed_AS against the most it can have, swapping), and its CPU use.
 * Each VM's state is the worst of these; the check's status line names the
 * worst VMs, worst first, and counts the rest; the long output has one line
 * per VM, problems first.  Per-VM perfdata is labelled NAME_METRIC
 * ('web1_mem'), or NAME@HOST_METRIC for a VM seen on two hosts of a pool.
 *
 * Rates and balloon durations need the previous run: the caller loads it
 * (state_file.h), passes it in, and saves what the run leaves in `next`. */
#ifndef XV_VMS_CHECK_H
#define XV_VMS_CHECK_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "check.h"
#include "range.h"
#include "rates.h"
#include "snapshot.h"
#include "state_file.h"

/* Per-VM perfdata groups. */
enum {
	XV_VMS_PERF_MEM = 1u << 0,   /* NAME_mem: current memory (B) */
	XV_VMS_PERF_GAP = 1u << 1,   /* NAME_gap: balloon distance from target (B) */
	XV_VMS_PERF_CPU = 1u << 2,   /* NAME_cpu: % of its vCPUs */
	XV_VMS_PERF_GUEST = 1u << 3, /* NAME_used, NAME_committed, NAME_swap_used (B),
				      * NAME_swap_Bps (bytes per second) */
	XV_VMS_PERF_IO = 1u << 4,    /* NAME_cpu_wait (%), NAME_disk_read_Bps,
				      * NAME_disk_write_Bps, NAME_net_rx_Bps, NAME_net_tx_Bps */
	XV_VMS_PERF_DEFAULT = XV_VMS_PERF_MEM | XV_VMS_PERF_GAP | XV_VMS_PERF_CPU,
};

struct xv_vms_check_config {
	/* Selection: a name must match one include pattern (when any is given)
	 * and no exclude pattern; its state (bit per enum xv_dom_state) must be
	 * in include_states (when not 0) and not in exclude_states.  Domain 0
	 * only with `dom0`. */
	regex_t *include, *exclude;
	size_t n_include, n_exclude;
	unsigned include_states, exclude_states;
	bool dom0;

	enum xv_state state_for[XV_STATE_COUNT]; /* by domain state */
	struct xv_thresholds memory;    /* current memory: bytes or % of its maximum */
	struct xv_thresholds gap;       /* |current - target|: bytes or % of target */
	uint64_t gap_for_ms;            /* the gap alerts once it lasted this long */
	struct xv_thresholds committed; /* Committed_AS: bytes or % of its maximum */
	struct xv_thresholds swap;      /* swap traffic in + out, bytes per second */
	struct xv_thresholds cpu;       /* percent of its vCPUs */
	enum xv_state no_guest_state;   /* a guest threshold meets a VM without figures */
	enum xv_state no_answer_state;  /* a host of the pool that did not answer */
	enum xv_state missing_state;    /* an expected VM seen nowhere (pool) */
	enum xv_state duplicate_state;  /* a VM seen on several hosts (pool) */
	unsigned perfdata;              /* XV_VMS_PERF_* */
	size_t max_named;               /* problem VMs named in the status line */
	int verbose;
};

/* Defaults: every state but dom0; running, blocked and runnable OK, paused
 * WARNING, crashed, dying and shut down CRITICAL; no thresholds; a missing
 * guest figure OK (said once); a silent host UNKNOWN; a missing VM, or one
 * on several hosts, CRITICAL;
 * perfdata XV_VMS_PERF_DEFAULT; three VMs named. */
void xv_vms_check_defaults(struct xv_vms_check_config *cfg);

/* Whether a domain is selected. */
bool xv_vms_check_selects(const struct xv_vms_check_config *cfg, const struct xv_domain *d);

/* One host's answer: `snap` NULL when it did not answer (`why` says why). */
struct xv_vms_host {
	const char *name;
	const struct xv_snapshot *snap;
	const char *why;
};

struct xv_vms_input {
	const struct xv_vms_host *hosts;
	size_t n_hosts;
	bool pool;                  /* name each VM's host; subject is the pool */
	const char *subject;        /* the status line's subject */
	/* The earlier reading rates are computed against (the previous run, or
	 * the check's own first sample), and the previous run for balloon
	 * durations; either may be NULL. */
	const struct xv_state_file *rate_base;
	const struct xv_state_file *previous;
	const char *const *missing; /* expected VMs seen nowhere (pool) */
	size_t n_missing;
};

/* Evaluates every selected VM into `out`, and fills `next` (initialised by
 * the caller) with what the next run needs: each selected VM's counters and
 * balloon-gap times at this snapshot's time. */
void xv_vms_check_run(const struct xv_vms_input *in, const struct xv_vms_check_config *cfg,
		      struct xv_state_file *next, struct xv_check *out);

#endif
