/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plan.c: the plan file parser and its validation.
 *
 * Each section's keys are a table of lib/ini_file setters (struct
 * xv_ini_key); the line of every key is kept for the checks that can only be
 * made once the whole file is read (a floor above its dom0, a profile named
 * before it is defined, a key that is missing, a run too long to simulate). */
#include "plan.h"
#include "balloon_law.h"
#include "ini_file.h"
#include "model.h"
#include "num.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KIB_PER_MIB 1024ULL
#define KIB_PER_GIB (1024ULL * 1024ULL)

const char *xv_bench_image_name(enum xv_bench_image image)
{
	switch (image) {
	case XV_IMAGE_PLAIN:
		return "plain";
	case XV_IMAGE_CLEAN:
		return "clean";
	case XV_IMAGE_STRESS:
		return "stress";
	}
	return "?";
}

const char *xv_bench_proc_name(enum xv_bench_proc_kind kind)
{
	switch (kind) {
	case XV_PROC_GROUPS:
		return "groups";
	case XV_PROC_ONE_BY_ONE:
		return "one-by-one";
	case XV_PROC_RAMP:
		return "ramp";
	}
	return "?";
}

/* The defaults are lib/model.c's: each a published law or a measured figure,
 * docs/bench.md says which. */
void xv_bench_model_defaults(struct xv_bench_model_params *m)
{
	struct xv_model_params d;

	xv_model_params_defaults(&d);
	memset(m, 0, sizeof(*m));
	m->domain_overhead_kib = d.domain_overhead_kib;
	m->balloon_interval_ms = d.balloon_interval_ms;
	m->down_hysteresis = d.down_hysteresis;
	m->up_hysteresis = d.up_hysteresis;
	m->boot_ms = d.boot_ms;
	m->boot_jitter_ms = d.boot_jitter_ms;
	m->settle_tolerance_kib = d.settle_tolerance_kib;
	m->swap_quiet_ms = d.swap_quiet_ms;
}

static const enum xv_model_image model_images[] = {
	[XV_IMAGE_PLAIN] = XV_MODEL_PLAIN,
	[XV_IMAGE_CLEAN] = XV_MODEL_CLEAN,
	[XV_IMAGE_STRESS] = XV_MODEL_STRESS,
};

void xv_bench_profile_defaults(struct xv_bench_profile *p)
{
	struct xv_model_profile d = { .image = model_images[p->image], .memory_kib = p->memory_kib,
				      .maxmem_kib = p->maxmem_kib, .vcpus = p->vcpus };

	xv_model_profile_defaults(&d);
	p->kernel_kib = d.kernel_kib;
	p->reserve_kib = d.reserve_kib;
	p->base_memtotal = d.base_memtotal;
	p->committed_kib = d.committed_kib;
	p->resident_kib = d.resident_kib;
	p->floor_rule = !d.minmem_kib;
	p->floor_kib = d.minmem_kib;
	p->threads = d.threads;
	p->thread_alloc_kib = d.thread_alloc_kib;
	p->chunk_max_kib = d.chunk_max_kib;
	p->write_rate_kib_s = d.write_rate_kib_s;
	p->serial_writers = d.serial_writers;
	p->sleep_max_ms = d.sleep_max_ms;
	p->stack_kib = d.stack_kib;
}

void xv_bench_profile_to_model(const struct xv_bench_profile *b, struct xv_model_profile *p)
{
	memset(p, 0, sizeof(*p));
	p->image = model_images[b->image];
	p->memory_kib = b->memory_kib;
	p->maxmem_kib = b->maxmem_kib;
	p->vcpus = b->vcpus;
	p->kernel_kib = b->kernel_kib;
	p->reserve_kib = b->reserve_kib;
	p->base_memtotal = b->base_memtotal;
	p->committed_kib = b->committed_kib;
	p->resident_kib = b->resident_kib;
	p->minmem_kib = b->floor_rule ? 0 : b->floor_kib;
	p->threads = b->threads;
	p->thread_alloc_kib = b->thread_alloc_kib;
	p->chunk_max_kib = b->chunk_max_kib;
	p->write_rate_kib_s = b->write_rate_kib_s;
	p->serial_writers = b->serial_writers;
	p->sleep_max_ms = b->sleep_max_ms;
	p->stack_kib = b->stack_kib;
}

uint64_t xv_bench_xen_overhead_kib(uint64_t memory_kib)
{
	return xv_model_xen_overhead_kib(memory_kib);
}

uint64_t xv_bench_balloon_floor_kib(const struct xv_bench_profile *p)
{
	uint64_t memtotal = p->memory_kib > p->reserve_kib ? p->memory_kib - p->reserve_kib : 0;

	return xv_balloon_floor_kib(memtotal, p->floor_rule ? 0 : p->floor_kib);
}

void xv_bench_format_ms(uint64_t ms, char *buf, size_t size)
{
	if (ms && ms % 3600000 == 0)
		snprintf(buf, size, "%lluh", (unsigned long long)(ms / 3600000));
	else if (ms && ms % 60000 == 0)
		snprintf(buf, size, "%llum", (unsigned long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(buf, size, "%llus", (unsigned long long)(ms / 1000));
	else
		snprintf(buf, size, "%llums", (unsigned long long)ms);
}

/* --- run cost --------------------------------------------------------------- */

/* Saturating arithmetic: a cost that would wrap is simply too large. */
static uint64_t sat_add(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
	uint64_t r;

	return __builtin_mul_overflow(a, b, &r) ? UINT64_MAX : r;
}

uint64_t xv_bench_guest_weight(const struct xv_bench_profile *p)
{
	return 1 + (uint64_t)p->threads;
}

/* The model costs a guest with an eater its weight at every balloon period;
 * any other guest only until it has booted and its balloon has come down
 * to its idle target (the model leaves settled guests alone). */
static uint64_t periodic_weight(const struct xv_bench_profile *p)
{
	return p->image == XV_IMAGE_STRESS && p->threads ? xv_bench_guest_weight(p) : 0;
}

static uint64_t once_cost(const struct xv_bench_plan *plan, const struct xv_bench_profile *p)
{
	struct xv_model_profile m;

	if (p->image == XV_IMAGE_PLAIN || periodic_weight(p))
		return 2;
	xv_bench_profile_to_model(p, &m);
	return 2 + xv_balloon_descent_periods(p->memory_kib, xv_model_idle_target_kib(&m), 0,
					      plan->model.down_hysteresis);
}

void xv_bench_plan_cost(const struct xv_bench_plan *plan, struct xv_bench_cost *cost)
{
	const struct xv_bench_procedure *proc = &plan->proc;
	uint64_t step_ms = sat_add(proc->settle_ms, sat_mul(proc->samples, proc->interval_ms));
	uint64_t periods = step_ms / plan->model.balloon_interval_ms + 1;
	uint64_t start = 0, start_weight = 0, heaviest = 0, dearest = 0, guests, gmin, gmax, steps;

	memset(cost, 0, sizeof(*cost));
	for (unsigned i = 0; i < plan->nstart; i++) {
		const struct xv_bench_profile *p = &plan->profiles[plan->start[i].profile];
		start += plan->start[i].count;
		start_weight = sat_add(start_weight, sat_mul(plan->start[i].count, periodic_weight(p)));
		cost->work = sat_add(cost->work, sat_mul(plan->start[i].count, once_cost(plan, p)));
	}
	for (unsigned i = 0; i < proc->mix.count; i++) {
		const struct xv_bench_profile *p = &plan->profiles[proc->mix.profile[i]];
		if (periodic_weight(p) > heaviest)
			heaviest = periodic_weight(p);
		if (once_cost(plan, p) > dearest)
			dearest = once_cost(plan, p);
	}
	/* Step 0 measures the [start] guests; each later step adds a group of
	 * group_min to group_max guests until `limit` were added.  At worst
	 * there are as many steps as with the smallest groups, each holding as
	 * many guests as with the largest.  Guest rows are written only when
	 * something changes: at most every live guest at every sample. */
	gmin = proc->group_min ? proc->group_min : 1;
	gmax = proc->group_max > gmin ? proc->group_max : gmin;
	steps = (proc->limit + gmin - 1) / gmin;
	cost->work = sat_add(cost->work, sat_mul(proc->limit, dearest));
	for (uint64_t step = 0; step <= steps; step++) {
		uint64_t added = step * gmax < proc->limit ? step * gmax : proc->limit;
		guests = start + added;
		cost->work = sat_add(cost->work, sat_mul(periods, sat_add(start_weight,
									 sat_mul(added, heaviest))));
		cost->guest_rows = sat_add(cost->guest_rows,
					   sat_mul(proc->samples, heaviest || start_weight ? guests : gmax + 1));
	}
	cost->sim_ms = sat_mul(steps + 1, step_ms);
	cost->host_rows = sat_mul(steps + 1, proc->samples);
}

/* --- parser state ------------------------------------------------------------ */

enum section {
	SEC_NONE,
	SEC_PLAN,
	SEC_HOST,
	SEC_PROFILE,
	SEC_START,
	SEC_PROCEDURE,
	SEC_REPORT,
	SEC_MODEL,
	SEC_GUEST,
	SEC_COUNT,
};

static const char *const section_names[SEC_COUNT] = {
	[SEC_NONE] = "", [SEC_PLAN] = "plan", [SEC_HOST] = "host",
	[SEC_PROFILE] = "profile", [SEC_START] = "start",
	[SEC_PROCEDURE] = "procedure", [SEC_REPORT] = "report", [SEC_MODEL] = "model",
	[SEC_GUEST] = "guest",
};

#define MAX_KEYS 20

/* The keys given in one section: xv_ini_set_key()'s bit set and their lines. */
struct given {
	xv_ini_seen seen;
	unsigned line[MAX_KEYS];
};

struct parse {
	struct xv_bench_plan *plan;
	enum section cur;
	int cur_profile;
	unsigned section_line[SEC_COUNT];
	struct given given[SEC_COUNT];
	unsigned profile_line[XV_BENCH_MAX_PROFILES];
	struct given profile_given[XV_BENCH_MAX_PROFILES];
	char mix[256];
	/* [start]: profile names may come before their sections */
	char start_name[XV_BENCH_MAX_PROFILES][XV_BENCH_NAME_MAX];
	unsigned start_line[XV_BENCH_MAX_PROFILES];
	unsigned start_count[XV_BENCH_MAX_PROFILES];
	unsigned nstart;
	unsigned last_line;
};

#define PS(user) ((struct parse *)(user))
#define PLAN(user) (PS(user)->plan)
#define PROFILE(user) (&PS(user)->plan->profiles[PS(user)->cur_profile])

/* --- values ------------------------------------------------------------------ */

static int bad_number(struct xv_ini *ini, const char *key, const char *value, const char *what,
		      enum xv_num_error e)
{
	if (value[0] == '-')
		return xv_ini_error(ini, "%s must not be negative: '%s'", key, value);
	return xv_ini_error(ini, "%s: '%s' is not %s (%s)", key, value, what, xv_num_strerror(e));
}

/* A size in [min, max] KiB; min 1 says "above zero". */
static int set_size(struct xv_ini *ini, const char *key, const char *v, uint64_t min, uint64_t max,
		    uint64_t *out)
{
	enum xv_num_error e;
	char limit[32];
	uint64_t u;

	if ((e = xv_parse_kib(v, &u)))
		return bad_number(ini, key, v, "a size", e);
	if (u == 0 && min > 0)
		return xv_ini_error(ini, "%s must be above zero", key);
	if (u < min) {
		xv_format_kib(min, limit, sizeof(limit));
		return xv_ini_error(ini, "%s: '%s' is below the minimum of %s", key, v, limit);
	}
	if (u > max) {
		xv_format_kib(max, limit, sizeof(limit));
		return xv_ini_error(ini, "%s: '%s' is above the limit of %s", key, v, limit);
	}
	*out = u;
	return 0;
}

/* A duration in [min, max] ms; min 1 says "above zero". */
static int set_duration(struct xv_ini *ini, const char *key, const char *v, uint64_t min,
			uint64_t max, uint64_t *out)
{
	enum xv_num_error e;
	char limit[32];
	uint64_t u;

	if ((e = xv_parse_duration_ms(v, &u)))
		return bad_number(ini, key, v, "a duration", e);
	if (u == 0 && min > 0)
		return xv_ini_error(ini, "%s must be above zero", key);
	if (u < min) {
		xv_bench_format_ms(min, limit, sizeof(limit));
		return xv_ini_error(ini, "%s: '%s' is below the minimum of %s", key, v, limit);
	}
	if (u > max) {
		xv_bench_format_ms(max, limit, sizeof(limit));
		return xv_ini_error(ini, "%s: '%s' is above the limit of %s", key, v, limit);
	}
	*out = u;
	return 0;
}

static int set_count(struct xv_ini *ini, const char *key, const char *v, unsigned min, unsigned max,
		     unsigned *out)
{
	enum xv_num_error e;
	uint64_t u;

	if ((e = xv_parse_u64(v, min, max, &u))) {
		if (e == XV_NUM_RANGE && v[0] != '-')
			return xv_ini_error(ini, "%s must be between %u and %u, not '%s'", key, min,
					    max, v);
		return bad_number(ini, key, v, "a whole number", e);
	}
	*out = (unsigned)u;
	return 0;
}

static int set_bool(struct xv_ini *ini, const char *key, const char *v, bool *out)
{
	int b;

	if (xv_ini_parse_bool(v, &b))
		return xv_ini_error(ini, "%s must be yes or no, not '%s'", key, v);
	*out = b;
	return 0;
}

static int set_text(const char *v, char **out)
{
	free(*out);
	*out = xv_strdup(v);
	return 0;
}

#define SIZE_MAX_KIB XV_BENCH_HOST_MAX_KIB
#define HOUR_MS (3600ULL * 1000)
#define DAY_MS (24 * HOUR_MS)

#define SETTER(fn, call)                                                    \
	static int fn(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)        \
	{                                                                   \
		return call;                                                \
	}

/* [plan] */
SETTER(plan_name, ((void)ini, set_text(v, &PLAN(user)->name)))
SETTER(plan_description, ((void)ini, set_text(v, &PLAN(user)->description)))

static int plan_seed(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	enum xv_num_error e;

	if ((e = xv_parse_u64(v, 0, UINT64_MAX, &PLAN(user)->seed)))
		return bad_number(ini, "seed", v, "a whole number", e);
	return 0;
}

static const struct xv_ini_key plan_keys[] = {
	{ "name", plan_name, 0, 0 },
	{ "description", plan_description, 0, 0 },
	{ "seed", plan_seed, 0, 0 },
};

/* [host] */
SETTER(host_memory, set_size(ini, "memory", v, XV_BENCH_HOST_MIN_KIB, XV_BENCH_HOST_MAX_KIB,
			     &PLAN(user)->host.memory_kib))
SETTER(host_xen, set_size(ini, "hypervisor_overhead", v, 0, SIZE_MAX_KIB, &PLAN(user)->host.xen_kib))
SETTER(host_dom0, set_size(ini, "dom0_memory", v, 1, SIZE_MAX_KIB, &PLAN(user)->host.dom0_kib))
SETTER(host_floor, set_size(ini, "dom0_floor", v, 1, SIZE_MAX_KIB, &PLAN(user)->host.dom0_floor_kib))
SETTER(host_auto, set_bool(ini, "dom0_autoballoon", v, &PLAN(user)->host.dom0_autoballoon))
SETTER(host_cpus, set_count(ini, "cpus", v, 0, 4096, &PLAN(user)->host.cpus))

static int host_toolstack(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (!strcmp(v, "xl") || xv_toolstack_parse(v, &PLAN(user)->host.toolstack))
		return xv_ini_error(ini, "toolstack must be xend or libxl, not '%s'", v);
	return 0;
}

enum { HK_MEMORY, HK_XEN, HK_DOM0, HK_FLOOR, HK_AUTO, HK_TOOLSTACK, HK_CPUS };
static const struct xv_ini_key host_keys[] = {
	[HK_MEMORY] = { "memory", host_memory, 0, 0 },
	[HK_XEN] = { "hypervisor_overhead", host_xen, 0, 0 },
	[HK_DOM0] = { "dom0_memory", host_dom0, 0, 0 },
	[HK_FLOOR] = { "dom0_floor", host_floor, 0, 0 },
	[HK_AUTO] = { "dom0_autoballoon", host_auto, 0, 0 },
	[HK_TOOLSTACK] = { "toolstack", host_toolstack, 0, 0 },
	[HK_CPUS] = { "cpus", host_cpus, 0, 0 },
};

/* [profile NAME] */
static int profile_image(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	for (int i = XV_IMAGE_PLAIN; i <= XV_IMAGE_STRESS; i++) {
		if (!strcmp(v, xv_bench_image_name((enum xv_bench_image)i))) {
			PROFILE(user)->image = (enum xv_bench_image)i;
			return 0;
		}
	}
	return xv_ini_error(ini, "image must be plain, clean or stress, not '%s'", v);
}

static int profile_floor(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct xv_bench_profile *p = PROFILE(user);
	enum xv_num_error e;

	if (!strcmp(v, "rule")) {
		p->floor_rule = true;
		return 0;
	}
	if ((e = xv_parse_kib(v, &p->floor_kib)))
		return bad_number(ini, "balloon_floor", v, "a size or 'rule'", e);
	p->floor_rule = false;
	return set_size(ini, "balloon_floor", v, 0, SIZE_MAX_KIB, &p->floor_kib);
}

SETTER(profile_memory, set_size(ini, "memory", v, XV_BENCH_GUEST_MIN_KIB, SIZE_MAX_KIB,
				&PROFILE(user)->memory_kib))
SETTER(profile_maxmem, set_size(ini, "maxmem", v, XV_BENCH_GUEST_MIN_KIB, SIZE_MAX_KIB,
				&PROFILE(user)->maxmem_kib))
SETTER(profile_vcpus, set_count(ini, "vcpus", v, 1, 512, &PROFILE(user)->vcpus))
SETTER(profile_kernel, set_size(ini, "kernel", v, 0, SIZE_MAX_KIB, &PROFILE(user)->kernel_kib))
SETTER(profile_committed, set_size(ini, "committed", v, 0, SIZE_MAX_KIB,
				   &PROFILE(user)->committed_kib))
SETTER(profile_resident, set_size(ini, "resident", v, 0, SIZE_MAX_KIB, &PROFILE(user)->resident_kib))
SETTER(profile_threads, set_count(ini, "threads", v, 0, 64, &PROFILE(user)->threads))
SETTER(profile_alloc, set_size(ini, "thread_alloc", v, 1, SIZE_MAX_KIB,
			       &PROFILE(user)->thread_alloc_kib))
SETTER(profile_chunk, set_size(ini, "chunk_max", v, 1, SIZE_MAX_KIB, &PROFILE(user)->chunk_max_kib))
SETTER(profile_rate, set_size(ini, "write_rate", v, 1, SIZE_MAX_KIB,
			      &PROFILE(user)->write_rate_kib_s))
/* at least a second: a thread that never sleeps would cost the model a
 * thousand steps a second */
SETTER(profile_sleep, set_duration(ini, "sleep_max", v, 1000, HOUR_MS, &PROFILE(user)->sleep_max_ms))
SETTER(profile_stack, set_size(ini, "stack", v, 0, SIZE_MAX_KIB, &PROFILE(user)->stack_kib))
SETTER(profile_reserve, set_size(ini, "reserve", v, 0, SIZE_MAX_KIB, &PROFILE(user)->reserve_kib))

static int profile_base(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (!strcmp(v, "allocation"))
		PROFILE(user)->base_memtotal = false;
	else if (!strcmp(v, "memtotal"))
		PROFILE(user)->base_memtotal = true;
	else
		return xv_ini_error(ini, "balloon_base must be allocation or memtotal, not '%s'", v);
	return 0;
}

static int profile_writer(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (!strcmp(v, "rand"))
		PROFILE(user)->serial_writers = true;
	else if (!strcmp(v, "xorshift"))
		PROFILE(user)->serial_writers = false;
	else
		return xv_ini_error(ini, "writer must be rand or xorshift, not '%s'", v);
	return 0;
}

enum {
	PK_IMAGE, PK_MEMORY, PK_MAXMEM, PK_VCPUS, PK_KERNEL, PK_RESERVE, PK_BASE, PK_COMMITTED,
	PK_RESIDENT, PK_FLOOR, PK_THREADS, PK_ALLOC, PK_CHUNK, PK_RATE, PK_WRITER, PK_SLEEP,
	PK_STACK, PK_COUNT,
	PK_FIRST_WORKLOAD = PK_THREADS,
};
static const struct xv_ini_key profile_keys[] = {
	[PK_IMAGE] = { "image", profile_image, 0, 0 },
	[PK_MEMORY] = { "memory", profile_memory, 0, 0 },
	[PK_MAXMEM] = { "maxmem", profile_maxmem, 0, 0 },
	[PK_VCPUS] = { "vcpus", profile_vcpus, 0, 0 },
	[PK_KERNEL] = { "kernel", profile_kernel, 0, 0 },
	[PK_RESERVE] = { "reserve", profile_reserve, 0, 0 },
	[PK_BASE] = { "balloon_base", profile_base, 0, 0 },
	[PK_COMMITTED] = { "committed", profile_committed, 0, 0 },
	[PK_RESIDENT] = { "resident", profile_resident, 0, 0 },
	[PK_FLOOR] = { "balloon_floor", profile_floor, 0, 0 },
	[PK_THREADS] = { "threads", profile_threads, 0, 0 },
	[PK_ALLOC] = { "thread_alloc", profile_alloc, 0, 0 },
	[PK_CHUNK] = { "chunk_max", profile_chunk, 0, 0 },
	[PK_RATE] = { "write_rate", profile_rate, 0, 0 },
	[PK_WRITER] = { "writer", profile_writer, 0, 0 },
	[PK_SLEEP] = { "sleep_max", profile_sleep, 0, 0 },
	[PK_STACK] = { "stack", profile_stack, 0, 0 },
};

/* [procedure] */
static int proc_kind(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	for (int i = XV_PROC_GROUPS; i <= XV_PROC_RAMP; i++) {
		if (!strcmp(v, xv_bench_proc_name((enum xv_bench_proc_kind)i))) {
			PLAN(user)->proc.kind = (enum xv_bench_proc_kind)i;
			return 0;
		}
	}
	return xv_ini_error(ini, "kind must be groups, one-by-one or ramp, not '%s'", v);
}

/* kept as text until every profile is known */
static int proc_profile(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (strlen(v) >= sizeof(PS(user)->mix))
		return xv_ini_error(ini, "profile list too long");
	xv_strlcpy(PS(user)->mix, v, sizeof(PS(user)->mix));
	return 0;
}

static int proc_group(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	struct xv_bench_procedure *proc = &PLAN(user)->proc;
	const char *dash = strchr(v, '-');
	char lo_text[16];
	uint64_t lo, hi;

	if (!dash || (size_t)(dash - v) >= sizeof(lo_text))
		goto bad;
	memcpy(lo_text, v, (size_t)(dash - v));
	lo_text[dash - v] = '\0';
	if (xv_parse_u64(lo_text, 1, 1000, &lo) || xv_parse_u64(dash + 1, lo, 1000, &hi))
		goto bad;
	proc->group_min = (unsigned)lo;
	proc->group_max = (unsigned)hi;
	return 0;
bad:
	return xv_ini_error(ini, "group must be MIN-MAX with 1 <= MIN <= MAX <= 1000, not '%s'", v);
}

static int proc_onfail(struct xv_ini *ini, void *user, const struct xv_ini_key *k, const char *v)
{
	if (!strcmp(v, "stop"))
		PLAN(user)->proc.stop_on_failure = true;
	else if (!strcmp(v, "continue"))
		PLAN(user)->proc.stop_on_failure = false;
	else
		return xv_ini_error(ini, "on_failure must be stop or continue, not '%s'", v);
	return 0;
}

SETTER(proc_limit, set_count(ini, "limit", v, 1, XV_BENCH_MAX_GUESTS, &PLAN(user)->proc.limit))
SETTER(proc_settle, set_duration(ini, "settle", v, 0, DAY_MS, &PLAN(user)->proc.settle_ms))
SETTER(proc_samples, set_count(ini, "samples", v, 1, 1000, &PLAN(user)->proc.samples))
SETTER(proc_interval, set_duration(ini, "interval", v, 1, DAY_MS, &PLAN(user)->proc.interval_ms))

enum { RK_KIND, RK_PROFILE, RK_LIMIT, RK_GROUP, RK_SETTLE, RK_SAMPLES, RK_INTERVAL, RK_ONFAIL };
static const struct xv_ini_key proc_keys[] = {
	[RK_KIND] = { "kind", proc_kind, 0, 0 },
	[RK_PROFILE] = { "profile", proc_profile, 0, 0 },
	[RK_LIMIT] = { "limit", proc_limit, 0, 0 },
	[RK_GROUP] = { "group", proc_group, 0, 0 },
	[RK_SETTLE] = { "settle", proc_settle, 0, 0 },
	[RK_SAMPLES] = { "samples", proc_samples, 0, 0 },
	[RK_INTERVAL] = { "interval", proc_interval, 0, 0 },
	[RK_ONFAIL] = { "on_failure", proc_onfail, 0, 0 },
};

/* [report] */
SETTER(report_floor, set_size(ini, "free_floor", v, 0, SIZE_MAX_KIB, &PLAN(user)->free_floor_kib))

static const struct xv_ini_key report_keys[] = {
	{ "free_floor", report_floor, 0, 0 },
};

/* [model] */
#define MODEL(user) (&PLAN(user)->model)
SETTER(model_overhead, set_size(ini, "domain_overhead", v, 0, 1ULL << 20,
				&MODEL(user)->domain_overhead_kib))
/* xenballoond counts whole seconds; a shorter period multiplies the work */
SETTER(model_interval, set_duration(ini, "balloon_interval", v, 1000, 10 * 60 * 1000ULL,
				    &MODEL(user)->balloon_interval_ms))
SETTER(model_down, set_count(ini, "down_hysteresis", v, 1, 1000, &MODEL(user)->down_hysteresis))
SETTER(model_up, set_count(ini, "up_hysteresis", v, 1, 1000, &MODEL(user)->up_hysteresis))
SETTER(model_boot, set_duration(ini, "boot_time", v, 0, HOUR_MS, &MODEL(user)->boot_ms))
SETTER(model_jitter, set_duration(ini, "boot_jitter", v, 0, HOUR_MS, &MODEL(user)->boot_jitter_ms))
SETTER(model_tolerance, set_size(ini, "settle_tolerance", v, 0, SIZE_MAX_KIB,
				 &MODEL(user)->settle_tolerance_kib))
SETTER(model_quiet, set_duration(ini, "swap_quiet", v, 0, DAY_MS, &MODEL(user)->swap_quiet_ms))

static const struct xv_ini_key model_keys[] = {
	{ "domain_overhead", model_overhead, 0, 0 },
	{ "balloon_interval", model_interval, 0, 0 },
	{ "down_hysteresis", model_down, 0, 0 },
	{ "up_hysteresis", model_up, 0, 0 },
	{ "boot_time", model_boot, 0, 0 },
	{ "boot_jitter", model_jitter, 0, 0 },
	{ "settle_tolerance", model_tolerance, 0, 0 },
	{ "swap_quiet", model_quiet, 0, 0 },
};

/* [guest]: what the real drivers (xen, libvirt) boot; the model ignores it.
 * The values go into an xl configuration's quoted strings and a libvirt
 * domain's XML, so a quote or backslash, which xl would read differently,
 * is refused here. */
static int set_boot_text(struct xv_ini *ini, const char *key, const char *v, char **out)
{
	if (!*v)
		return xv_ini_error(ini, "%s is empty", key);
	if (strpbrk(v, "\"\\"))
		return xv_ini_error(ini, "%s must not hold a quote or a backslash: '%s'", key, v);
	return set_text(v, out);
}

SETTER(guest_kernel, set_boot_text(ini, "kernel", v, &PLAN(user)->boot.kernel))
SETTER(guest_ramdisk, set_boot_text(ini, "ramdisk", v, &PLAN(user)->boot.ramdisk))
SETTER(guest_cmdline, set_boot_text(ini, "cmdline", v, &PLAN(user)->boot.cmdline))

enum { GK_KERNEL, GK_RAMDISK, GK_CMDLINE };
static const struct xv_ini_key guest_keys[] = {
	[GK_KERNEL] = { "kernel", guest_kernel, 0, 0 },
	[GK_RAMDISK] = { "ramdisk", guest_ramdisk, 0, 0 },
	[GK_CMDLINE] = { "cmdline", guest_cmdline, 0, 0 },
};

/* --- sections and keys -------------------------------------------------------- */

static int valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n >= XV_BENCH_NAME_MAX)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct parse *ps = user;
	unsigned line = xv_ini_line(ini);

	ps->last_line = line;
	ps->cur = SEC_NONE;
	if (!strncmp(section, "profile ", 8)) {
		const char *name = section + 8;
		while (*name == ' ')
			name++;
		if (!valid_name(name))
			return xv_ini_error(ini, "profile name '%s' must be 1-%d characters of a-z, 0-9, '-' and '_'",
					    name, XV_BENCH_NAME_MAX - 1);
		if (xv_bench_plan_profile(ps->plan, name) >= 0)
			return xv_ini_error(ini, "duplicate profile '%s'", name);
		if (ps->plan->nprofiles == XV_BENCH_MAX_PROFILES)
			return xv_ini_error(ini, "too many profiles (the limit is %d)", XV_BENCH_MAX_PROFILES);
		ps->cur = SEC_PROFILE;
		ps->cur_profile = (int)ps->plan->nprofiles++;
		xv_strlcpy(ps->plan->profiles[ps->cur_profile].name, name, XV_BENCH_NAME_MAX);
		ps->profile_line[ps->cur_profile] = line;
		return 0;
	}
	for (int s = SEC_PLAN; s < SEC_COUNT; s++) {
		if (s == SEC_PROFILE || strcmp(section, section_names[s]))
			continue;
		if (ps->section_line[s])
			return xv_ini_error(ini, "duplicate section [%s] (first at line %u)", section,
					    ps->section_line[s]);
		ps->section_line[s] = line;
		ps->cur = (enum section)s;
		return 0;
	}
	if (!strcmp(section, "profile"))
		return xv_ini_error(ini, "a profile section needs a name: [profile NAME]");
	return xv_ini_error(ini, "unknown section [%s]", section);
}

/* "NAME = N" in [start]: its keys are profile names, not a fixed table. */
static int start_key(struct xv_ini *ini, struct parse *ps, const char *key, const char *value)
{
	enum xv_num_error e;
	uint64_t n;

	for (unsigned i = 0; i < ps->nstart; i++)
		if (!strcmp(ps->start_name[i], key))
			return xv_ini_error(ini, "duplicate key '%s' in [start] (first at line %u)", key,
					    ps->start_line[i]);
	if (strlen(key) >= XV_BENCH_NAME_MAX || ps->nstart == XV_BENCH_MAX_PROFILES)
		return xv_ini_error(ini, "unknown profile '%s'", key);
	if ((e = xv_parse_u64(value, 0, XV_BENCH_MAX_GUESTS, &n))) {
		if (e == XV_NUM_RANGE && value[0] != '-')
			return xv_ini_error(ini, "%s must be between 0 and %d, not '%s'", key,
					    XV_BENCH_MAX_GUESTS, value);
		return bad_number(ini, key, value, "a guest count", e);
	}
	xv_strlcpy(ps->start_name[ps->nstart], key, XV_BENCH_NAME_MAX);
	ps->start_line[ps->nstart] = xv_ini_line(ini);
	ps->start_count[ps->nstart] = (unsigned)n;
	ps->nstart++;
	return 0;
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct parse *ps = user;
	const struct xv_ini_key *keys;
	struct given *given;
	size_t n, i;

	ps->last_line = xv_ini_line(ini);
	switch (ps->cur) {
	case SEC_NONE:
		return xv_ini_error(ini, "'%s' is outside any section", key);
	case SEC_START:
		return start_key(ini, ps, key, value);
	case SEC_PLAN:
		keys = plan_keys, n = XV_ARRAY_SIZE(plan_keys);
		break;
	case SEC_HOST:
		keys = host_keys, n = XV_ARRAY_SIZE(host_keys);
		break;
	case SEC_PROFILE:
		keys = profile_keys, n = XV_ARRAY_SIZE(profile_keys);
		break;
	case SEC_PROCEDURE:
		keys = proc_keys, n = XV_ARRAY_SIZE(proc_keys);
		break;
	case SEC_REPORT:
		keys = report_keys, n = XV_ARRAY_SIZE(report_keys);
		break;
	case SEC_MODEL:
		keys = model_keys, n = XV_ARRAY_SIZE(model_keys);
		break;
	case SEC_GUEST:
		keys = guest_keys, n = XV_ARRAY_SIZE(guest_keys);
		break;
	default:
		return xv_ini_error(ini, "internal error: section %d", (int)ps->cur);
	}
	given = ps->cur == SEC_PROFILE ? &ps->profile_given[ps->cur_profile] : &ps->given[ps->cur];
	for (i = 0; i < n && strcmp(keys[i].name, key); i++)
		;
	/* the table refuses a repeat too; this says where the first one was */
	if (i < n && given->line[i])
		return xv_ini_error(ini, "duplicate key '%s' in [%s] (first at line %u)", key,
				    section, given->line[i]);
	if (xv_ini_set_key(ini, keys, n, &given->seen, section, key, value, ps))
		return -1;
	given->line[i] = ps->last_line;
	return 0;
}

/* --- checks once the whole file is read ------------------------------------- */

static int need_key(struct xv_ini *ini, const struct given *g, unsigned idx, unsigned section_line,
		    const char *section, const struct xv_ini_key *table)
{
	if (g->line[idx])
		return 0;
	return xv_ini_error_at(ini, section_line, "[%s] has no '%s'", section, table[idx].name);
}

static int check_host(struct xv_ini *ini, struct parse *ps)
{
	struct xv_bench_host *h = &ps->plan->host;
	const struct given *g = &ps->given[SEC_HOST];
	unsigned sl = ps->section_line[SEC_HOST];
	char a[32], b[32];

	if (!sl)
		return xv_ini_error_at(ini, ps->last_line, "no [host] section in the plan");
	if (need_key(ini, g, HK_MEMORY, sl, "host", host_keys) ||
	    need_key(ini, g, HK_DOM0, sl, "host", host_keys) ||
	    need_key(ini, g, HK_AUTO, sl, "host", host_keys))
		return -1;
	if (h->dom0_autoballoon && need_key(ini, g, HK_FLOOR, sl, "host", host_keys))
		return -1;
	if (!g->line[HK_FLOOR])
		h->dom0_floor_kib = h->dom0_kib;
	/* Xen 4's; the seed's Xen 3.4 plans say xend */
	if (!g->line[HK_TOOLSTACK])
		h->toolstack = XV_TOOLSTACK_LIBXL;
	if (!g->line[HK_XEN])
		h->xen_kib = xv_bench_xen_overhead_kib(h->memory_kib);
	if (h->dom0_floor_kib > h->dom0_kib) {
		xv_format_kib(h->dom0_floor_kib, a, sizeof(a));
		xv_format_kib(h->dom0_kib, b, sizeof(b));
		return xv_ini_error_at(ini, g->line[HK_FLOOR],
				       "dom0_floor (%s) is above dom0_memory (%s)", a, b);
	}
	/* each is at most 16 TiB: the sum cannot wrap */
	if (h->xen_kib + h->dom0_kib >= h->memory_kib) {
		xv_format_kib(h->memory_kib, a, sizeof(a));
		return xv_ini_error_at(ini, g->line[HK_DOM0] > g->line[HK_XEN] ? g->line[HK_DOM0]
									     : g->line[HK_XEN],
				       "hypervisor overhead and dom0 leave nothing of the host's %s", a);
	}
	return 0;
}

static int check_profile(struct xv_ini *ini, struct parse *ps, unsigned i)
{
	struct xv_bench_profile *p = &ps->plan->profiles[i];
	struct xv_bench_profile d;
	const struct given *g = &ps->profile_given[i];
	unsigned sl = ps->profile_line[i];
	char sec[XV_BENCH_NAME_MAX + 16], a[32], b[32];

	snprintf(sec, sizeof(sec), "profile %s", p->name);
	if (need_key(ini, g, PK_IMAGE, sl, sec, profile_keys) ||
	    need_key(ini, g, PK_MEMORY, sl, sec, profile_keys))
		return -1;
	if (!g->line[PK_MAXMEM])
		p->maxmem_kib = p->memory_kib;
	if (!g->line[PK_VCPUS])
		p->vcpus = 1;
	if (p->maxmem_kib < p->memory_kib) {
		xv_format_kib(p->maxmem_kib, a, sizeof(a));
		xv_format_kib(p->memory_kib, b, sizeof(b));
		return xv_ini_error_at(ini, g->line[PK_MAXMEM], "maxmem (%s) is below memory (%s)", a, b);
	}
	if (p->memory_kib >= ps->plan->host.memory_kib) {
		xv_format_kib(p->memory_kib, a, sizeof(a));
		xv_format_kib(ps->plan->host.memory_kib, b, sizeof(b));
		return xv_ini_error_at(ini, g->line[PK_MEMORY], "memory (%s) does not fit in the host's %s",
				       a, b);
	}
	if (p->image != XV_IMAGE_STRESS) {
		for (unsigned k = PK_FIRST_WORKLOAD; k < PK_COUNT; k++)
			if (g->line[k])
				return xv_ini_error_at(ini, g->line[k],
						       "'%s' applies to stress images only, and '%s' is %s",
						       profile_keys[k].name, p->name,
						       xv_bench_image_name(p->image));
	}
	if (p->image == XV_IMAGE_PLAIN && (g->line[PK_FLOOR] || g->line[PK_BASE]))
		return xv_ini_error_at(ini, g->line[PK_FLOOR] ? g->line[PK_FLOOR] : g->line[PK_BASE],
				       "'%s' is a plain image: it has no balloon driver", p->name);

	/* Fill what the plan left out from the image's defaults. */
	d = *p;
	xv_bench_profile_defaults(&d);
#define DEFAULT(key, field) \
	if (!g->line[key])  \
		p->field = d.field
	DEFAULT(PK_KERNEL, kernel_kib);
	DEFAULT(PK_RESERVE, reserve_kib);
	DEFAULT(PK_BASE, base_memtotal);
	DEFAULT(PK_COMMITTED, committed_kib);
	DEFAULT(PK_RESIDENT, resident_kib);
	DEFAULT(PK_THREADS, threads);
	DEFAULT(PK_ALLOC, thread_alloc_kib);
	DEFAULT(PK_CHUNK, chunk_max_kib);
	DEFAULT(PK_RATE, write_rate_kib_s);
	DEFAULT(PK_WRITER, serial_writers);
	DEFAULT(PK_SLEEP, sleep_max_ms);
	DEFAULT(PK_STACK, stack_kib);
#undef DEFAULT
	if (!g->line[PK_FLOOR]) {
		p->floor_rule = d.floor_rule;
		p->floor_kib = d.floor_kib;
	}
	if (p->reserve_kib >= p->memory_kib) {
		xv_format_kib(p->reserve_kib, a, sizeof(a));
		xv_format_kib(p->memory_kib, b, sizeof(b));
		return xv_ini_error_at(ini, g->line[PK_RESERVE], "reserve (%s) leaves nothing of memory (%s)",
				       a, b);
	}
	if (p->kernel_kib + p->resident_kib > p->memory_kib) {
		xv_format_kib(p->memory_kib, a, sizeof(a));
		return xv_ini_error_at(ini, g->line[PK_MEMORY] ? g->line[PK_MEMORY] : sl,
				       "memory (%s) cannot hold the guest kernel and its resident userspace",
				       a);
	}
	if (!p->floor_rule && p->floor_kib > p->maxmem_kib) {
		xv_format_kib(p->floor_kib, a, sizeof(a));
		xv_format_kib(p->maxmem_kib, b, sizeof(b));
		return xv_ini_error_at(ini, g->line[PK_FLOOR], "balloon_floor (%s) is above maxmem (%s)",
				       a, b);
	}
	return 0;
}

int xv_bench_mix_parse(const struct xv_bench_plan *plan, const char *text, struct xv_bench_mix *mix,
		       struct xv_error *e)
{
	char *copy = xv_strdup(text), *save = NULL, *tok;
	int rc = -1;

	mix->count = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon, *end;
		uint64_t w = 1;
		int idx;

		while (*tok == ' ')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && end[-1] == ' ')
			*--end = '\0';
		colon = strchr(tok, ':');
		if (colon) {
			*colon++ = '\0';
			if (xv_parse_u64(colon, 1, 1000, &w)) {
				xv_error(e, XV_E_DATA, "weight of '%s' must be a whole number from 1 to "
					 "1000, not '%s'", tok, colon);
				goto out;
			}
		}
		idx = xv_bench_plan_profile(plan, tok);
		if (idx < 0) {
			xv_error(e, XV_E_DATA, "unknown profile '%s'", tok);
			goto out;
		}
		for (unsigned i = 0; i < mix->count; i++) {
			if (mix->profile[i] == (unsigned)idx) {
				xv_error(e, XV_E_DATA, "profile '%s' is listed twice", tok);
				goto out;
			}
		}
		mix->profile[mix->count] = (unsigned)idx;
		mix->weight[mix->count] = (unsigned)w;
		mix->count++;
	}
	if (!mix->count) {
		xv_error(e, XV_E_DATA, "no profile named");
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int check_procedure(struct xv_ini *ini, struct parse *ps)
{
	struct xv_bench_procedure *proc = &ps->plan->proc;
	const struct given *g = &ps->given[SEC_PROCEDURE];
	unsigned sl = ps->section_line[SEC_PROCEDURE];
	unsigned start = 0;
	struct xv_error e;

	if (!sl)
		return xv_ini_error_at(ini, ps->last_line, "no [procedure] section in the plan");
	if (need_key(ini, g, RK_KIND, sl, "procedure", proc_keys) ||
	    need_key(ini, g, RK_PROFILE, sl, "procedure", proc_keys) ||
	    need_key(ini, g, RK_SAMPLES, sl, "procedure", proc_keys) ||
	    need_key(ini, g, RK_INTERVAL, sl, "procedure", proc_keys))
		return -1;
	if (proc->kind != XV_PROC_RAMP && need_key(ini, g, RK_LIMIT, sl, "procedure", proc_keys))
		return -1;
	if (proc->kind == XV_PROC_GROUPS && need_key(ini, g, RK_GROUP, sl, "procedure", proc_keys))
		return -1;
	if (proc->kind != XV_PROC_GROUPS && g->line[RK_GROUP])
		return xv_ini_error_at(ini, g->line[RK_GROUP], "group applies to kind = groups only");
	/* each count is at most XV_BENCH_MAX_GUESTS: the sum cannot wrap */
	for (unsigned i = 0; i < ps->plan->nstart; i++)
		start += ps->plan->start[i].count;
	/* a ramp stops at its first failure; its limit is only a safety cap */
	if (proc->kind == XV_PROC_RAMP && !g->line[RK_LIMIT])
		proc->limit = start < XV_BENCH_MAX_GUESTS ? XV_BENCH_MAX_GUESTS - start : 1;
	if (start + proc->limit > XV_BENCH_MAX_GUESTS)
		return xv_ini_error_at(ini, g->line[RK_LIMIT] ? g->line[RK_LIMIT]
							      : ps->section_line[SEC_START],
				       "the %u [start] guests and a limit of %u make %u guests: the "
				       "limit is %d", start, proc->limit, start + proc->limit,
				       XV_BENCH_MAX_GUESTS);
	if (!g->line[RK_ONFAIL])
		proc->stop_on_failure = proc->kind == XV_PROC_RAMP;
	if (proc->kind != XV_PROC_GROUPS)
		proc->group_min = proc->group_max = 1;
	if (xv_bench_mix_parse(ps->plan, ps->mix, &proc->mix, &e))
		return xv_ini_error_at(ini, g->line[RK_PROFILE], "profile: %s", e.msg);
	return 0;
}

/* A run whose end can be foreseen (every kind but a ramp) is refused here
 * when it would pass a bound; a ramp is watched by the runner. */
static int check_cost(struct xv_ini *ini, struct parse *ps)
{
	const struct xv_bench_procedure *proc = &ps->plan->proc;
	unsigned sl = ps->section_line[SEC_PROCEDURE];
	struct xv_bench_cost cost;

	if (proc->kind == XV_PROC_RAMP)
		return 0;
	xv_bench_plan_cost(ps->plan, &cost);
	if (cost.sim_ms > XV_BENCH_MAX_SIM_MS)
		return xv_ini_error_at(ini, sl, "the procedure could take %llu days of driver time: "
				       "the limit is %llu days (lower limit, settle, samples or "
				       "interval)", (unsigned long long)(cost.sim_ms / DAY_MS),
				       XV_BENCH_MAX_SIM_MS / DAY_MS);
	if (cost.work > XV_BENCH_MAX_WORK)
		return xv_ini_error_at(ini, sl, "the procedure would cost the model %llu guest-periods:"
				       " the limit is %llu (lower limit, settle or samples)",
				       (unsigned long long)cost.work, XV_BENCH_MAX_WORK);
	if (cost.guest_rows > XV_BENCH_MAX_GUEST_ROWS)
		return xv_ini_error_at(ini, sl, "the procedure would record %llu guest samples: the "
				       "limit is %llu (lower limit or samples)",
				       (unsigned long long)cost.guest_rows, XV_BENCH_MAX_GUEST_ROWS);
	if (cost.host_rows > XV_BENCH_MAX_HOST_ROWS)
		return xv_ini_error_at(ini, sl, "the procedure would record %llu host samples: the "
				       "limit is %llu (lower limit or samples)",
				       (unsigned long long)cost.host_rows, XV_BENCH_MAX_HOST_ROWS);
	return 0;
}

static int check_start(struct xv_ini *ini, struct parse *ps)
{
	for (unsigned i = 0; i < ps->nstart; i++) {
		int idx = xv_bench_plan_profile(ps->plan, ps->start_name[i]);
		if (idx < 0)
			return xv_ini_error_at(ini, ps->start_line[i], "unknown profile '%s'",
					       ps->start_name[i]);
		if (!ps->start_count[i])
			continue;
		ps->plan->start[ps->plan->nstart].profile = (unsigned)idx;
		ps->plan->start[ps->plan->nstart].count = ps->start_count[i];
		ps->plan->nstart++;
	}
	return 0;
}

/* The end callback: the checks that need the whole file. */
static int check(struct xv_ini *ini, void *user)
{
	struct parse *ps = user;

	ps->plan->proc_line = ps->section_line[SEC_PROCEDURE];
	if (check_host(ini, ps))
		return -1;
	if (!ps->plan->nprofiles)
		return xv_ini_error_at(ini, ps->last_line, "no [profile NAME] section in the plan");
	for (unsigned i = 0; i < ps->plan->nprofiles; i++)
		if (check_profile(ini, ps, i))
			return -1;
	if (check_start(ini, ps) || check_procedure(ini, ps) || check_cost(ini, ps))
		return -1;
	/* a [guest] section is there for a real driver: without a kernel it boots nothing */
	if (ps->section_line[SEC_GUEST] &&
	    need_key(ini, &ps->given[SEC_GUEST], GK_KERNEL, ps->section_line[SEC_GUEST], "guest", guest_keys))
		return -1;
	return 0;
}

static void plan_init(struct xv_bench_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
	plan->seed = 1;
	xv_bench_model_defaults(&plan->model);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static int finish(struct xv_bench_plan *plan, int rc, const char *path)
{
	if (rc) {
		xv_bench_plan_release(plan);
		return -1;
	}
	plan->path = xv_strdup(path);
	if (!plan->name) {
		const char *b = base_name(path), *dot = strrchr(b, '.');
		plan->name = dot && dot != b ? xv_strndup(b, (size_t)(dot - b)) : xv_strdup(b);
	}
	return 0;
}

static const struct xv_ini_callbacks callbacks = { on_section, on_key, check };

/* A plan is a few kilobytes; a megabyte is plenty. */
#define PLAN_MAX_BYTES (1u << 20)

int xv_bench_plan_load(struct xv_bench_plan *plan, const char *path, struct xv_error *e)
{
	struct parse ps = { .plan = plan };

	plan_init(plan);
	return finish(plan, xv_ini_parse_file(path, PLAN_MAX_BYTES, &callbacks, &ps, e), path);
}

int xv_bench_plan_load_string(struct xv_bench_plan *plan, const char *name, const char *text,
			      struct xv_error *e)
{
	struct parse ps = { .plan = plan };

	plan_init(plan);
	return finish(plan, xv_ini_parse_string(name, text, strlen(text), &callbacks, &ps, e), name);
}

void xv_bench_plan_release(struct xv_bench_plan *plan)
{
	if (!plan)
		return;
	free(plan->path);
	free(plan->name);
	free(plan->description);
	free(plan->boot.kernel);
	free(plan->boot.ramdisk);
	free(plan->boot.cmdline);
	plan_init(plan);
}

int xv_bench_plan_profile(const struct xv_bench_plan *plan, const char *name)
{
	for (unsigned i = 0; i < plan->nprofiles; i++)
		if (!strcmp(plan->profiles[i].name, name))
			return (int)i;
	return -1;
}
