/* plan.h: what an experiment runs on, and how — read from an INI plan file.
 *
 * A plan names the host (RAM, hypervisor overhead, dom0 and its balloon),
 * guest profiles (size, image kind, workload), the guests running before the
 * experiment, the procedure (seed Test 1 groups, Test 2 one by one, or a ramp
 * until creation fails), what the report calls safe, and optionally model
 * parameters that override the documented defaults.
 *
 * Every problem is reported as "FILE:LINE: problem" and nothing else is done:
 * a plan is either wholly valid or rejected. */
#ifndef XV_BENCH_PLAN_H
#define XV_BENCH_PLAN_H

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
	uint64_t committed_kib; /* idle Committed_AS of the image's userspace */
	uint64_t resident_kib;  /* idle userspace resident set */
	bool floor_rule;        /* balloon floor by xenballoond's rule of thumb */
	uint64_t floor_kib;     /* else this floor (XENBALLOON_MINMEM) */
	/* The stress workload (seed 2.4.4). */
	unsigned threads;
	uint64_t thread_alloc_kib;   /* malloc()ed by each thread per round */
	uint64_t chunk_max_kib;      /* random data written: uniform 1..this */
	uint64_t write_rate_kib_s;   /* per thread */
	uint64_t sleep_max_ms;       /* sleep: uniform whole seconds 0..this */
	uint64_t stack_kib;          /* per thread, committed for the process life */
};

struct xv_bench_host {
	uint64_t memory_kib;
	uint64_t xen_kib;        /* hypervisor overhead: frame table, m2p, heap */
	uint64_t dom0_kib;       /* dom0_mem= at boot */
	uint64_t dom0_floor_kib; /* dom0-min-mem */
	bool dom0_autoballoon;   /* enable-dom0-ballooning */
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
	uint64_t boot_ms;              /* creation to rc.local */
	uint64_t create_retry_ms;      /* how long xend waits for memory */
	uint64_t settle_tolerance_kib; /* "settled": this close to the idle target */
	uint64_t swap_quiet_ms;        /* a new swap onset after this long without */
};

void xv_bench_model_defaults(struct xv_bench_model_params *m);

/* Fills the OS and workload fields of `p` for its image and maxmem. */
void xv_bench_profile_defaults(struct xv_bench_profile *p);

/* The hypervisor overhead of a host of `memory_kib` (frame table, m2p). */
uint64_t xv_bench_xen_overhead_kib(uint64_t memory_kib);

/* The self-balloon floor of a guest; by rule: xenballoond's rule of thumb. */
uint64_t xv_bench_balloon_floor_kib(const struct xv_bench_profile *p);

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
	struct xv_bench_guest_boot boot;
};

/* Parses and validates a plan.  0, or -1 with "FILE:LINE: problem" in err;
 * on failure the plan holds nothing to release. */
int xv_bench_plan_load(struct xv_bench_plan *plan, const char *path, char *err, size_t errlen);

/* Same, from text in memory; `name` stands for the path in messages. */
int xv_bench_plan_load_string(struct xv_bench_plan *plan, const char *name, const char *text,
			      char *err, size_t errlen);

void xv_bench_plan_release(struct xv_bench_plan *plan);

/* Parses "NAME[:WEIGHT], ..." against the plan's profiles.  0, or -1 and a
 * message (without file and line) in err. */
int xv_bench_mix_parse(const struct xv_bench_plan *plan, const char *text, struct xv_bench_mix *mix,
		       char *err, size_t errlen);

/* Index of the profile called `name`, or -1. */
int xv_bench_plan_profile(const struct xv_bench_plan *plan, const char *name);

/* "4 GiB", "196 MiB", "1000 KiB": sizes for people, exact, in the C locale. */
void xv_bench_format_kib(uint64_t kib, char *buf, size_t size);

#endif
