/* SPDX-License-Identifier: GPL-3.0-or-later */
/* model.h: a simulation of one Xen host's memory and CPUs, from published
 * laws.
 *
 * The host has RAM, the hypervisor's own share, dom0 and guests.  Guests are
 * created the way the host's toolstack creates them (toolstack_law.h: xend's
 * or libxl's wait for free memory, dom0 shrunk by the whole shortfall or not
 * at all), boot, then run their image: plain guests keep what they were
 * given; clean and stress guests run xenballoond's self-balloon law
 * (balloon_law.h) once a second each, at their own phase; stress guests run
 * the seed's memory eater (threads that malloc, write a random chunk, free
 * and sleep), whose writers share the host's CPUs (Xen's credit scheduler:
 * equal weights, each domain at most its vCPUs, each vCPU at most a CPU).  A
 * guest whose working set does not fit its allocation swaps.
 *
 * The simulation is event-driven: a guest costs time only while something
 * about it changes (booting, ballooning toward its target, a workload), so a
 * host with ten thousand settled idle guests runs as fast as one with ten.
 * All randomness comes from the seed, per guest: the same configuration and
 * seed give the same run, and adding a guest does not change another's
 * workload.
 *
 * The bench (bench/, through its model driver) and check_xen_capacity (which
 * adopts a live host's guests and ramps new ones) both run this model. */
#ifndef XV_MODEL_H
#define XV_MODEL_H

#include "error.h"
#include "toolstack_law.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum xv_model_image {
	XV_MODEL_PLAIN,  /* no balloon driver: keeps its creation allocation */
	XV_MODEL_CLEAN,  /* idle, self-ballooning */
	XV_MODEL_STRESS, /* self-ballooning, runs the memory eater */
};

struct xv_model_host {
	uint64_t memory_kib;      /* physinfo total */
	uint64_t xen_kib;         /* what the hypervisor keeps for itself */
	uint64_t dom0_kib;        /* dom0's size at the start */
	uint64_t dom0_floor_kib;  /* the lowest the toolstack takes dom0 */
	bool dom0_autoballoon;
	enum xv_toolstack toolstack;
	unsigned cpus;            /* physical CPUs; 0: CPU time is not modelled */
};

/* A guest image and its workload.  Sizes KiB, times ms. */
struct xv_model_profile {
	enum xv_model_image image;
	uint64_t memory_kib;      /* memory= */
	uint64_t maxmem_kib;      /* maxmem= */
	unsigned vcpus;
	uint64_t kernel_kib;      /* the guest kernel's own memory (always resident) */
	uint64_t reserve_kib;     /* memory= less MemTotal at boot: what the kernel keeps
				   * out of MemTotal (0 on xenlinux 2.6.18) */
	bool base_memtotal;       /* the daemon steps from MemTotal (the 2008 script on a
				   * modern kernel) instead of the balloon's size */
	uint64_t committed_kib;   /* idle Committed_AS */
	uint64_t resident_kib;    /* idle userspace resident set */
	uint64_t minmem_kib;      /* XENBALLOON_MINMEM; 0: xenballoond's rule */
	/* the memory eater (stress images) */
	unsigned threads;
	uint64_t thread_alloc_kib;  /* malloc()ed per round, in Committed_AS at once */
	uint64_t chunk_max_kib;     /* written per round: uniform 1..this */
	uint64_t write_rate_kib_s;  /* per thread with a CPU of its own */
	bool serial_writers;        /* the writers draw from glibc rand(), whose lock
				     * lets one write at a time: together they use at
				     * most one CPU */
	uint64_t sleep_max_ms;      /* sleep: uniform whole seconds 0..this */
	uint64_t stack_kib;         /* per thread, committed for the life of the process */
};

struct xv_model_params {
	uint64_t domain_overhead_kib;  /* Xen's memory per domain besides its allocation */
	uint64_t balloon_interval_ms;  /* XENBALLOON_SELF_INTERVAL */
	unsigned down_hysteresis;      /* XENBALLOON_AUTO_DOWNHYSTERESIS */
	unsigned up_hysteresis;        /* XENBALLOON_AUTO_UPHYSTERESIS */
	uint64_t boot_ms;              /* creation to rc.local, shortest */
	uint64_t boot_jitter_ms;       /* plus uniform 0..this */
	uint64_t settle_tolerance_kib; /* "settled": this close to its idle target */
	uint64_t swap_quiet_ms;        /* a new swap onset after this long without */
};

/* The laws' defaults (xenballoond's, and the measured figures cited in
 * docs/bench.md). */
void xv_model_params_defaults(struct xv_model_params *p);

/* Fills the OS and workload of `p` for its image and maxmem. */
void xv_model_profile_defaults(struct xv_model_profile *p);

/* What the hypervisor keeps of a host of memory_kib (frame table, m2p). */
uint64_t xv_model_xen_overhead_kib(uint64_t memory_kib);

/* Where a guest of profile p settles when idle: xenballoond's target for its
 * idle Committed_AS (plain: memory=). */
uint64_t xv_model_idle_target_kib(const struct xv_model_profile *p);

/* Events the model reports as they happen. */
enum xv_model_event_kind {
	XV_MODEL_EV_DOM0_BALLOON, /* dom0 shrank: value before, value2 after */
	XV_MODEL_EV_SWAP_ON,      /* a guest began swapping: value KiB not fitting */
	XV_MODEL_EV_SETTLED,      /* a guest came down to its idle target: value alloc */
};

struct xv_model_event {
	uint64_t time_ms;
	enum xv_model_event_kind kind;
	int guest;   /* -1 for dom0 */
	int profile; /* -1 for dom0 and adopted guests */
	uint64_t value_kib, value2_kib;
};

typedef void (*xv_model_event_fn)(void *ctx, const struct xv_model_event *ev);

struct xv_model;

/* The configuration is copied; profiles[] must stay valid (the model points
 * at them). */
struct xv_model *xv_model_new(const struct xv_model_host *host,
			      const struct xv_model_profile *profiles, unsigned nprofiles,
			      const struct xv_model_params *params, uint64_t seed);
void xv_model_free(struct xv_model *m);

void xv_model_set_event_sink(struct xv_model *m, xv_model_event_fn fn, void *ctx);

/* Creates a guest of `profile` as the host's toolstack would: time passes
 * while it waits for memory.  0 and *id, or -1 with e: XV_E_HOST "cannot
 * create 'NAME': the toolstack's reason" when the host has no room,
 * XV_E_SOFTWARE for a profile that does not exist. */
int xv_model_create(struct xv_model *m, unsigned profile, const char *name, int *id,
		    struct xv_error *e);

/* A guest already running on a live host (check_xen_capacity). */
struct xv_model_adopted {
	uint64_t alloc_kib;       /* what it holds now */
	uint64_t maxmem_kib;
	bool ballooning;          /* runs the self-balloon law */
	uint64_t committed_kib;   /* its Committed_AS, held as it is */
	uint64_t memtotal_hw_kib; /* its highest MemTotal (floor rule) */
	uint64_t working_kib;     /* what it must keep resident (swap check) */
	uint64_t target_kib;      /* a directed target in force, or 0 */
};
int xv_model_adopt(struct xv_model *m, const struct xv_model_adopted *a, int *id);

/* Directed balloon target (KiB); 0 returns the guest to self-ballooning.
 * -1 with e: XV_E_UNSUPPORTED for a plain guest (no balloon driver),
 * XV_E_DATA above its maxmem, XV_E_SOFTWARE for a guest that is not there. */
int xv_model_set_target(struct xv_model *m, int id, uint64_t target_kib, struct xv_error *e);
int xv_model_destroy(struct xv_model *m, int id, struct xv_error *e);

/* The host now.  Per-profile sums cover the guests of plan profiles. */
#define XV_MODEL_MAX_PROFILES 16
struct xv_model_host_state {
	uint64_t total_kib, free_kib, xen_kib, dom0_kib;
	uint64_t guests_kib;       /* Σ allocation + per-domain overhead */
	uint64_t memory_kib;       /* Σ memory= */
	uint64_t swap_kib;         /* Σ working set not fitting */
	unsigned guests, booting, swapping;
	unsigned cpu_demand_milli; /* CPUs the domains want, thousandths */
	unsigned cpu_used_milli;   /* CPUs they get */
	unsigned waiting;          /* domains runnable but waiting for a CPU */
	unsigned count[XV_MODEL_MAX_PROFILES];
	uint64_t alloc_kib[XV_MODEL_MAX_PROFILES];
};
void xv_model_host_state(const struct xv_model *m, struct xv_model_host_state *out);

struct xv_model_guest_state {
	uint64_t memory_kib, maxmem_kib;
	uint64_t alloc_kib, target_kib, committed_kib, ws_kib, swap_kib;
	int profile;               /* -1: adopted */
	bool booting, ballooning;
};
int xv_model_guest(const struct xv_model *m, int id, struct xv_model_guest_state *out);

/* Guests whose figures changed since the previous call (every guest
 * created since, the first time).  The array is the model's, valid until
 * the next call that changes the model. */
void xv_model_changed(struct xv_model *m, const int **ids, size_t *n);

/* Runs the simulation forward by `ms`. */
void xv_model_advance(struct xv_model *m, uint64_t ms);
uint64_t xv_model_now_ms(const struct xv_model *m);

/* The work done so far: guest-periods, each weighted by 1 + the guest's
 * eater threads (a settled idle guest costs nothing). */
uint64_t xv_model_work(const struct xv_model *m);

/* Guests ever created or adopted (ids 0..n-1; destroyed ones stay counted). */
unsigned xv_model_guest_count(const struct xv_model *m);

#endif
