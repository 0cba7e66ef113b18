/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plan.h: what an experiment runs on, and how — read from an INI plan file.
 *
 * A plan names the host (RAM, hypervisor overhead, dom0 and its balloon),
 * guest profiles (size, image kind, workload), the guests running before the
 * experiment, the procedure (seed Test 1 groups, Test 2 one by one, or a ramp
 * until creation fails), what the report calls safe, and optionally model
 * parameters that override the documented defaults.
 *
 * Keys are read with lib/ini_file's key tables.  Every problem is reported
 * as "FILE:LINE: problem" and nothing else is done: a plan is either wholly
 * valid or rejected. */
#ifndef XV_BENCH_PLAN_H
#define XV_BENCH_PLAN_H

#include "error.h"
#include "toolstack_law.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XV_BENCH_MAX_PROFILES 16
#define XV_BENCH_NAME_MAX 32

enum xv_bench_image {
	XV_IMAGE_PLAIN,  /* no balloon driver: keeps its creation allocation */
	XV_IMAGE_CLEAN,  /* idle, self-ballooning (xenballoond) */
	XV_IMAGE_STRESS, /* self-ballooning, runs the memory-eating workload */
};

const char *xv_bench_image_name(enum xv_bench_image image);

/* The guest OS and workload of one profile.  Sizes in KiB, times in ms. */
struct xv_bench_profile {
	char name[XV_BENCH_NAME_MAX];
	enum xv_bench_image image;
	uint64_t memory_kib;    /* memory= : allocation at creation */
	uint64_t maxmem_kib;    /* maxmem= : the balloon's ceiling */
	unsigned vcpus;
	/* The guest OS (defaults: xv_bench_profile_defaults). */
	uint64_t kernel_kib;    /* kernel's own memory, never in Committed_AS */
	uint64_t reserve_kib;   /* memory= less MemTotal at boot (0: xenlinux 2.6.18) */
	bool base_memtotal;     /* the daemon steps from MemTotal, not the allocation */
	uint64_t committed_kib; /* idle Committed_AS of the image's userspace */
	uint64_t resident_kib;  /* idle userspace resident set */
	bool floor_rule;        /* balloon floor by xenballoond's rule (MINMEM=0) */
	uint64_t floor_kib;     /* else this floor (XENBALLOON_MINMEM) */
	/* The stress workload (seed 2.4.4). */
	unsigned threads;
	uint64_t thread_alloc_kib;   /* malloc()ed by each thread per round */
	uint64_t chunk_max_kib;      /* random data written: uniform 1..this */
	uint64_t write_rate_kib_s;   /* per thread with a CPU of its own */
	bool serial_writers;         /* writer = rand: glibc rand()'s lock, one at a time */
	uint64_t sleep_max_ms;       /* sleep: uniform whole seconds 0..this */
	uint64_t stack_kib;          /* per thread, committed for the process life */
};

struct xv_bench_host {
	uint64_t memory_kib;
	uint64_t xen_kib;        /* hypervisor overhead: frame table, m2p, heap */
	uint64_t dom0_kib;       /* dom0_mem= at boot */
	uint64_t dom0_floor_kib; /* dom0-min-mem */
	bool dom0_autoballoon;   /* enable-dom0-ballooning */
	enum xv_toolstack toolstack; /* whose creation and auto-balloon law */
	unsigned cpus;           /* physical CPUs (0: CPU time not modelled) */
};

enum xv_bench_proc_kind {
	XV_PROC_GROUPS,     /* seed Test 1: groups of MIN-MAX guests */
	XV_PROC_ONE_BY_ONE, /* seed Test 2: one guest at a time up to a limit */
	XV_PROC_RAMP,       /* one at a time until a creation fails */
};

const char *xv_bench_proc_name(enum xv_bench_proc_kind kind);

/* Which profiles the procedure adds, in proportion to their weights. */
struct xv_bench_mix {
	unsigned count;
	unsigned profile[XV_BENCH_MAX_PROFILES]; /* index into plan->profiles */
	unsigned weight[XV_BENCH_MAX_PROFILES];
};

struct xv_bench_procedure {
	enum xv_bench_proc_kind kind;
	struct xv_bench_mix mix;
	unsigned limit;          /* guests added at most (ramp: a safety cap) */
	unsigned group_min, group_max;
	uint64_t settle_ms;      /* wait after each creation step */
	unsigned samples;        /* samples per step */
	uint64_t interval_ms;    /* between samples */
	bool stop_on_failure;
};

/* Physical constants of the model; defaults in xv_bench_model_defaults(),
 * reasons in docs/bench.md. */
struct xv_bench_model_params {
	uint64_t domain_overhead_kib;  /* Xen heap per domain */
	uint64_t balloon_interval_ms;  /* xenballoond's period */
	unsigned down_hysteresis;      /* balloon down by 1/N of the gap per period */
	unsigned up_hysteresis;        /* up by 1/N (1: at once) */
	uint64_t boot_ms;              /* creation to rc.local, shortest */
	uint64_t boot_jitter_ms;       /* plus uniform 0..this */
	uint64_t settle_tolerance_kib; /* "settled": this close to the idle target */
	uint64_t swap_quiet_ms;        /* a new swap onset after this long without */
};

void xv_bench_model_defaults(struct xv_bench_model_params *m);

/* Fills the OS and workload fields of `p` for its image and maxmem. */
void xv_bench_profile_defaults(struct xv_bench_profile *p);

/* The hypervisor overhead of a host of `memory_kib` (frame table, m2p). */
uint64_t xv_bench_xen_overhead_kib(uint64_t memory_kib);

/* The self-balloon floor of a guest when it has booted: XENBALLOON_MINMEM,
 * or xenballoond's rule for its MemTotal. */
uint64_t xv_bench_balloon_floor_kib(const struct xv_bench_profile *p);

/* The model's view of a profile (lib/model.h). */
struct xv_model_profile;
void xv_bench_profile_to_model(const struct xv_bench_profile *p, struct xv_model_profile *out);

/* What a real driver boots (the [guest] section): the kernel and initramfs
 * that carry the guest programs of bench/guest/, and the kernel command line
 * they start with; the drivers add the profile's image and workload to it.
 * The model ignores it.  Paths are on the host that runs the driver. */
struct xv_bench_guest_boot {
	char *kernel;
	char *ramdisk;
	char *cmdline;
};

struct xv_bench_start {
	unsigned profile;
	unsigned count;
};

struct xv_bench_plan {
	char *path;
	char *name;
	char *description;
	uint64_t seed;
	struct xv_bench_host host;
	unsigned nprofiles;
	struct xv_bench_profile profiles[XV_BENCH_MAX_PROFILES];
	unsigned nstart;
	struct xv_bench_start start[XV_BENCH_MAX_PROFILES];
	struct xv_bench_procedure proc;
	uint64_t free_floor_kib; /* report: "safe" keeps at least this free */
	struct xv_bench_model_params model;
	unsigned proc_line;      /* of [procedure], for messages about the whole run */
	struct xv_bench_guest_boot boot;
};

/* Parses and validates a plan: 0, or -1 with e set (XV_E_NOINPUT when the
 * file cannot be read, XV_E_DATA with "FILE:LINE: problem" for anything in
 * it); on failure the plan holds nothing to release. */
int xv_bench_plan_load(struct xv_bench_plan *plan, const char *path, struct xv_error *e);

/* Same, from text in memory; `name` stands for the path in messages. */
int xv_bench_plan_load_string(struct xv_bench_plan *plan, const char *name, const char *text,
			      struct xv_error *e);

void xv_bench_plan_release(struct xv_bench_plan *plan);

/* Parses "NAME[:WEIGHT], ..." against the plan's profiles.  0, or -1 with a
 * message without file and line (code XV_E_DATA). */
int xv_bench_mix_parse(const struct xv_bench_plan *plan, const char *text, struct xv_bench_mix *mix,
		       struct xv_error *e);

/* Index of the profile called `name`, or -1. */
int xv_bench_plan_profile(const struct xv_bench_plan *plan, const char *name);

/* "24h", "5m", "30s", "250ms": a duration for messages, exact. */
void xv_bench_format_ms(uint64_t ms, char *buf, size_t size);

/* --- how much a run may ask -----------------------------------------------
 *
 * Every value of a plan is bounded, and so is a run as a whole, so that no
 * plan or option makes xvmon-bench compute for hours or fill memory: the
 * plan loader refuses what it can foresee (every procedure but a ramp), the
 * runner stops a run that reaches a bound (a ramp's end cannot be foreseen),
 * keeping what was measured.  docs/bench.md lists the bounds and why. */
#define XV_BENCH_HOST_MIN_KIB (256ULL << 10)  /* 256 MiB */
#define XV_BENCH_HOST_MAX_KIB (16ULL << 30)   /* 16 TiB: Xen 4.17's largest host */
#define XV_BENCH_GUEST_MIN_KIB (32ULL << 10)  /* 32 MiB: a PV Linux guest boots in no less */
#define XV_BENCH_MAX_GUESTS 10000             /* guests on the host at once */
#define XV_BENCH_MAX_SIM_MS (7ULL * 24 * 3600 * 1000) /* a week of driver time */
/* Model work: balloon periods times guests, each guest weighted 1 + its
 * stress threads; the model does about ten million a second. */
#define XV_BENCH_MAX_WORK 500000000ULL
#define XV_BENCH_MAX_GUEST_ROWS 1000000ULL    /* guests.csv rows */
#define XV_BENCH_MAX_HOST_ROWS 100000ULL      /* samples.csv rows */
#define XV_BENCH_MAX_EVENTS 1000000ULL        /* events.csv rows */

/* What a run can cost, foreseen from its plan. */
struct xv_bench_cost {
	uint64_t sim_ms, work, guest_rows, host_rows;
};

/* The weight of one guest of `p` in XV_BENCH_MAX_WORK. */
uint64_t xv_bench_guest_weight(const struct xv_bench_profile *p);

/* The most a run of `plan` can cost when it runs to its limit (a ramp
 * usually stops long before).  Saturates at UINT64_MAX instead of wrapping. */
void xv_bench_plan_cost(const struct xv_bench_plan *plan, struct xv_bench_cost *cost);

#endif
