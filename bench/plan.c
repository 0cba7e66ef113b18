/* plan.c: the plan file parser and its validation.
 *
 * Keys are described by tables (name, type, where it goes), so a section is
 * one loop and the line of every key is kept for checks that can only be made
 * once the whole file is read (a floor above its dom0, a profile named before
 * it is defined, a key that is missing). */
#include "plan.h"
#include "ini_file.h"
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

/* The defaults below are physical quantities; docs/bench.md gives each one's
 * reason and source.  None of them is fitted to an experiment's outcome. */
void xv_bench_model_defaults(struct xv_bench_model_params *m)
{
	memset(m, 0, sizeof(*m));
	m->domain_overhead_kib = 1 * KIB_PER_MIB;
	m->balloon_interval_ms = 1000;
	m->down_hysteresis = 10;
	m->up_hysteresis = 1;
	m->boot_ms = 30 * 1000;
	m->create_retry_ms = 20 * 1000;
	m->settle_tolerance_kib = 64 * KIB_PER_MIB;
	m->swap_quiet_ms = 60 * 1000;
}

/* Guest kernel memory: text, data and slab, plus the struct page array
 * (mem_map, 56 bytes per 4 KiB page) that a PV kernel sizes for its maximum
 * memory at boot and never gives back. */
#define GUEST_KERNEL_BASE_KIB (24 * KIB_PER_MIB)
#define MEM_MAP_BYTES_PER_PAGE 56

void xv_bench_profile_defaults(struct xv_bench_profile *p)
{
	uint64_t pages = p->maxmem_kib / 4;

	p->kernel_kib = GUEST_KERNEL_BASE_KIB + pages * MEM_MAP_BYTES_PER_PAGE / 1024;
	/* Oracle Enterprise Linux 5 PV template, idle: the seed's clean guests
	 * ballooned down to their Committed_AS, "around 400 MB". */
	p->committed_kib = 380 * KIB_PER_MIB;
	p->resident_kib = 120 * KIB_PER_MIB;
	p->floor_rule = false;
	p->floor_kib = p->kernel_kib;
	p->threads = 0;
	p->thread_alloc_kib = 0;
	p->chunk_max_kib = 0;
	p->write_rate_kib_s = 0;
	p->sleep_max_ms = 0;
	p->stack_kib = 0;
	if (p->image == XV_IMAGE_STRESS) {
		/* seed 2.4.4: 4 threads, 1 GB malloc()ed, up to 512 MB of
		 * random data written, freed, sleep up to 63 s. */
		p->threads = 4;
		p->thread_alloc_kib = 1 * KIB_PER_GIB;
		p->chunk_max_kib = 512 * KIB_PER_MIB;
		p->sleep_max_ms = 63 * 1000;
		/* one glibc rand() per byte: two locked instructions and
		 * random_r(), ~52 cycles or 23 ns on the 2.27 GHz Xeon
		 * L5520, so about 42 MiB/s per thread */
		p->write_rate_kib_s = 42 * KIB_PER_MIB;
		/* glibc sizes thread stacks by RLIMIT_STACK, 10 MiB on EL5 */
		p->stack_kib = 10 * KIB_PER_MIB;
	}
}

uint64_t xv_bench_xen_overhead_kib(uint64_t memory_kib)
{
	uint64_t pages = memory_kib / 4;

	/* Per 4 KiB page of RAM: 32 bytes of frame table (struct page_info),
	 * 8 of machine-to-phys table, 4 of its 32-bit compat copy; plus the
	 * hypervisor's text, heap and per-CPU data. */
	return pages * (32 + 8 + 4) / 1024 + 32 * KIB_PER_MIB;
}

uint64_t xv_bench_balloon_floor_kib(const struct xv_bench_profile *p)
{
	uint64_t mib, pages;

	if (!p->floor_rule)
		return p->floor_kib;
	/* xenballoond's default (XENBALLOON_MINMEM=0), taken from the balloon
	 * driver's minimum_target(): piecewise linear in the guest's memory,
	 * ending in a 1/32 slope. */
	mib = p->maxmem_kib / KIB_PER_MIB;
	pages = p->maxmem_kib / 4;
	if (mib < 125)
		mib = 8 + (pages >> 9);
	else if (mib < 500)
		mib = 40 + (pages >> 10);
	else if (mib < 2000)
		mib = 104 + (pages >> 11);
	else
		mib = 296 + (pages >> 13);
	return mib * KIB_PER_MIB;
}

void xv_bench_format_kib(uint64_t kib, char *buf, size_t size)
{
	if (kib && kib % KIB_PER_GIB == 0)
		snprintf(buf, size, "%llu GiB", (unsigned long long)(kib / KIB_PER_GIB));
	else if (kib && kib % KIB_PER_MIB == 0)
		snprintf(buf, size, "%llu MiB", (unsigned long long)(kib / KIB_PER_MIB));
	else
		snprintf(buf, size, "%llu KiB", (unsigned long long)kib);
}

/* --- key tables ------------------------------------------------------------ */

enum ktype {
	K_SIZE,     /* uint64_t KiB, >= 0 */
	K_SIZE_POS, /* uint64_t KiB, > 0 */
	K_DURATION, /* uint64_t ms */
	K_DURATION_POS,
	K_COUNT,    /* unsigned in [min, max] */
	K_SEED,     /* uint64_t, any */
	K_BOOL,     /* bool: yes/no */
	K_TEXT,     /* char *, owned */
	K_IMAGE,    /* enum xv_bench_image */
	K_FLOOR,    /* size or "rule" */
	K_KIND,     /* enum xv_bench_proc_kind */
	K_MIX,      /* kept as text until profiles are known */
	K_GROUP,    /* MIN-MAX */
	K_ONFAIL,   /* stop | continue */
};

struct key {
	const char *name;
	enum ktype type;
	size_t off;
	unsigned min, max; /* K_COUNT */
};

#define MAX_KEYS 16

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

#define PLAN(f) offsetof(struct xv_bench_plan, f)
static const struct key plan_keys[] = {
	{ "name", K_TEXT, PLAN(name), 0, 0 },
	{ "description", K_TEXT, PLAN(description), 0, 0 },
	{ "seed", K_SEED, PLAN(seed), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

#define HOST(f) offsetof(struct xv_bench_host, f)
enum { HK_MEMORY, HK_XEN, HK_DOM0, HK_FLOOR, HK_AUTO };
static const struct key host_keys[] = {
	[HK_MEMORY] = { "memory", K_SIZE_POS, HOST(memory_kib), 0, 0 },
	[HK_XEN] = { "hypervisor_overhead", K_SIZE, HOST(xen_kib), 0, 0 },
	[HK_DOM0] = { "dom0_memory", K_SIZE_POS, HOST(dom0_kib), 0, 0 },
	[HK_FLOOR] = { "dom0_floor", K_SIZE_POS, HOST(dom0_floor_kib), 0, 0 },
	[HK_AUTO] = { "dom0_autoballoon", K_BOOL, HOST(dom0_autoballoon), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

#define PROF(f) offsetof(struct xv_bench_profile, f)
enum {
	PK_IMAGE, PK_MEMORY, PK_MAXMEM, PK_VCPUS, PK_KERNEL, PK_COMMITTED, PK_RESIDENT,
	PK_FLOOR, PK_THREADS, PK_ALLOC, PK_CHUNK, PK_RATE, PK_SLEEP, PK_STACK,
	PK_FIRST_WORKLOAD = PK_THREADS,
};
static const struct key profile_keys[] = {
	[PK_IMAGE] = { "image", K_IMAGE, PROF(image), 0, 0 },
	[PK_MEMORY] = { "memory", K_SIZE_POS, PROF(memory_kib), 0, 0 },
	[PK_MAXMEM] = { "maxmem", K_SIZE_POS, PROF(maxmem_kib), 0, 0 },
	[PK_VCPUS] = { "vcpus", K_COUNT, PROF(vcpus), 1, 512 },
	[PK_KERNEL] = { "kernel", K_SIZE, PROF(kernel_kib), 0, 0 },
	[PK_COMMITTED] = { "committed", K_SIZE, PROF(committed_kib), 0, 0 },
	[PK_RESIDENT] = { "resident", K_SIZE, PROF(resident_kib), 0, 0 },
	[PK_FLOOR] = { "balloon_floor", K_FLOOR, PROF(floor_kib), 0, 0 },
	[PK_THREADS] = { "threads", K_COUNT, PROF(threads), 0, 64 },
	[PK_ALLOC] = { "thread_alloc", K_SIZE_POS, PROF(thread_alloc_kib), 0, 0 },
	[PK_CHUNK] = { "chunk_max", K_SIZE_POS, PROF(chunk_max_kib), 0, 0 },
	[PK_RATE] = { "write_rate", K_SIZE_POS, PROF(write_rate_kib_s), 0, 0 },
	[PK_SLEEP] = { "sleep_max", K_DURATION, PROF(sleep_max_ms), 0, 0 },
	[PK_STACK] = { "stack", K_SIZE, PROF(stack_kib), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

#define PROC(f) offsetof(struct xv_bench_procedure, f)
enum { RK_KIND, RK_PROFILE, RK_LIMIT, RK_GROUP, RK_SETTLE, RK_SAMPLES, RK_INTERVAL, RK_ONFAIL };
static const struct key proc_keys[] = {
	[RK_KIND] = { "kind", K_KIND, PROC(kind), 0, 0 },
	[RK_PROFILE] = { "profile", K_MIX, 0, 0, 0 },
	[RK_LIMIT] = { "limit", K_COUNT, PROC(limit), 1, 100000 },
	[RK_GROUP] = { "group", K_GROUP, 0, 0, 0 },
	[RK_SETTLE] = { "settle", K_DURATION, PROC(settle_ms), 0, 0 },
	[RK_SAMPLES] = { "samples", K_COUNT, PROC(samples), 1, 100000 },
	[RK_INTERVAL] = { "interval", K_DURATION_POS, PROC(interval_ms), 0, 0 },
	[RK_ONFAIL] = { "on_failure", K_ONFAIL, PROC(stop_on_failure), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

static const struct key report_keys[] = {
	{ "free_floor", K_SIZE, PLAN(free_floor_kib), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

#define MODEL(f) offsetof(struct xv_bench_model_params, f)
static const struct key model_keys[] = {
	{ "domain_overhead", K_SIZE, MODEL(domain_overhead_kib), 0, 0 },
	{ "balloon_interval", K_DURATION_POS, MODEL(balloon_interval_ms), 0, 0 },
	{ "down_hysteresis", K_COUNT, MODEL(down_hysteresis), 1, 1000 },
	{ "up_hysteresis", K_COUNT, MODEL(up_hysteresis), 1, 1000 },
	{ "boot_time", K_DURATION, MODEL(boot_ms), 0, 0 },
	{ "create_retry", K_DURATION, MODEL(create_retry_ms), 0, 0 },
	{ "settle_tolerance", K_SIZE, MODEL(settle_tolerance_kib), 0, 0 },
	{ "swap_quiet", K_DURATION, MODEL(swap_quiet_ms), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* [guest]: what the real drivers (xen, libvirt) boot. */
#define BOOT(f) offsetof(struct xv_bench_guest_boot, f)
static const struct key guest_keys[] = {
	{ "kernel", K_TEXT, BOOT(kernel), 0, 0 },
	{ "ramdisk", K_TEXT, BOOT(ramdisk), 0, 0 },
	{ "cmdline", K_TEXT, BOOT(cmdline), 0, 0 },
	{ NULL, 0, 0, 0, 0 },
};

/* --- parser state ------------------------------------------------------------ */

struct parse {
	struct xv_bench_plan *plan;
	const char *path;
	char *err;
	size_t errlen;
	enum section cur;
	int cur_profile;
	unsigned last_line;
	unsigned section_line[SEC_COUNT];
	unsigned key_line[SEC_COUNT][MAX_KEYS];
	unsigned profile_line[XV_BENCH_MAX_PROFILES];
	unsigned profile_key_line[XV_BENCH_MAX_PROFILES][MAX_KEYS];
	/* [start] and procedure.profile name profiles that may come later */
	unsigned nstart;
	char start_name[XV_BENCH_MAX_PROFILES][XV_BENCH_NAME_MAX];
	unsigned start_line[XV_BENCH_MAX_PROFILES];
	unsigned start_count[XV_BENCH_MAX_PROFILES];
	char mix[256];
};

/* After parsing: the same "FILE:LINE: problem" form as the INI layer. */
static int fail_at(struct parse *ps, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail_at(struct parse *ps, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->path, line);

	if (n > 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

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

static int bad_number(struct xv_ini *ini, const char *key, const char *value, const char *what,
		      enum xv_num_error e)
{
	if (value[0] == '-')
		return xv_ini_error(ini, "%s must not be negative: '%s'", key, value);
	return xv_ini_error(ini, "%s: '%s' is not %s (%s)", key, value, what, xv_num_strerror(e));
}

static int parse_value(struct parse *ps, struct xv_ini *ini, void *base, const struct key *k,
		       const char *value)
{
	char *field = (char *)base + k->off;
	enum xv_num_error e;
	uint64_t u;

	switch (k->type) {
	case K_SIZE:
	case K_SIZE_POS:
		if ((e = xv_parse_kib(value, &u)))
			return bad_number(ini, k->name, value, "a size", e);
		if (k->type == K_SIZE_POS && u == 0)
			return xv_ini_error(ini, "%s must be above zero", k->name);
		*(uint64_t *)field = u;
		return 0;
	case K_DURATION:
	case K_DURATION_POS:
		if ((e = xv_parse_duration_ms(value, &u)))
			return bad_number(ini, k->name, value, "a duration", e);
		if (k->type == K_DURATION_POS && u == 0)
			return xv_ini_error(ini, "%s must be above zero", k->name);
		*(uint64_t *)field = u;
		return 0;
	case K_COUNT:
		if ((e = xv_parse_u64(value, k->min, k->max, &u))) {
			if (e == XV_NUM_RANGE && value[0] != '-')
				return xv_ini_error(ini, "%s must be between %u and %u, not '%s'",
						    k->name, k->min, k->max, value);
			return bad_number(ini, k->name, value, "a whole number", e);
		}
		*(unsigned *)field = (unsigned)u;
		return 0;
	case K_SEED:
		if ((e = xv_parse_u64(value, 0, UINT64_MAX, &u)))
			return bad_number(ini, k->name, value, "a whole number", e);
		*(uint64_t *)field = u;
		return 0;
	case K_BOOL:
		if (!strcmp(value, "yes") || !strcmp(value, "true") || !strcmp(value, "on"))
			*(bool *)field = true;
		else if (!strcmp(value, "no") || !strcmp(value, "false") || !strcmp(value, "off"))
			*(bool *)field = false;
		else
			return xv_ini_error(ini, "%s must be yes or no, not '%s'", k->name, value);
		return 0;
	case K_TEXT:
		free(*(char **)field);
		*(char **)field = xv_strdup(value);
		return 0;
	case K_IMAGE:
		for (int i = XV_IMAGE_PLAIN; i <= XV_IMAGE_STRESS; i++) {
			if (!strcmp(value, xv_bench_image_name((enum xv_bench_image)i))) {
				*(enum xv_bench_image *)field = (enum xv_bench_image)i;
				return 0;
			}
		}
		return xv_ini_error(ini, "image must be plain, clean or stress, not '%s'", value);
	case K_FLOOR: {
		struct xv_bench_profile *p = base;
		if (!strcmp(value, "rule")) {
			p->floor_rule = true;
			return 0;
		}
		if ((e = xv_parse_kib(value, &u)))
			return bad_number(ini, k->name, value, "a size or 'rule'", e);
		p->floor_rule = false;
		p->floor_kib = u;
		return 0;
	}
	case K_KIND:
		for (int i = XV_PROC_GROUPS; i <= XV_PROC_RAMP; i++) {
			if (!strcmp(value, xv_bench_proc_name((enum xv_bench_proc_kind)i))) {
				*(enum xv_bench_proc_kind *)field = (enum xv_bench_proc_kind)i;
				return 0;
			}
		}
		return xv_ini_error(ini, "kind must be groups, one-by-one or ramp, not '%s'", value);
	case K_MIX:
		if (strlen(value) >= sizeof(ps->mix))
			return xv_ini_error(ini, "profile list too long");
		xv_strlcpy(ps->mix, value, sizeof(ps->mix));
		return 0;
	case K_GROUP: {
		unsigned lo, hi;
		int n = 0;
		struct xv_bench_procedure *proc = base;
		if (sscanf(value, "%u-%u%n", &lo, &hi, &n) != 2 || value[n] || value[0] < '0' ||
		    value[0] > '9' || lo < 1 || lo > hi || hi > 1000)
			return xv_ini_error(ini, "group must be MIN-MAX with 1 <= MIN <= MAX <= 1000, not '%s'",
					    value);
		proc->group_min = lo;
		proc->group_max = hi;
		return 0;
	}
	case K_ONFAIL:
		if (!strcmp(value, "stop"))
			*(bool *)field = true;
		else if (!strcmp(value, "continue"))
			*(bool *)field = false;
		else
			return xv_ini_error(ini, "on_failure must be stop or continue, not '%s'", value);
		return 0;
	}
	return xv_ini_error(ini, "internal error: key type %d", (int)k->type);
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct parse *ps = user;
	const struct key *table = NULL;
	unsigned *lines = NULL;
	void *base = NULL;
	unsigned line = xv_ini_line(ini);

	ps->last_line = line;
	switch (ps->cur) {
	case SEC_NONE:
		return xv_ini_error(ini, "'%s' is outside any section", key);
	case SEC_PLAN:
		table = plan_keys, base = ps->plan;
		break;
	case SEC_HOST:
		table = host_keys, base = &ps->plan->host;
		break;
	case SEC_PROFILE:
		table = profile_keys, base = &ps->plan->profiles[ps->cur_profile];
		lines = ps->profile_key_line[ps->cur_profile];
		break;
	case SEC_PROCEDURE:
		table = proc_keys, base = &ps->plan->proc;
		break;
	case SEC_REPORT:
		table = report_keys, base = ps->plan;
		break;
	case SEC_MODEL:
		table = model_keys, base = &ps->plan->model;
		break;
	case SEC_GUEST:
		table = guest_keys, base = &ps->plan->boot;
		break;
	case SEC_START: {
		uint64_t n;
		enum xv_num_error e;
		for (unsigned i = 0; i < ps->nstart; i++)
			if (!strcmp(ps->start_name[i], key))
				return xv_ini_error(ini, "duplicate key '%s' in [start] (first at line %u)",
						    key, ps->start_line[i]);
		if (strlen(key) >= XV_BENCH_NAME_MAX || ps->nstart == XV_BENCH_MAX_PROFILES)
			return xv_ini_error(ini, "unknown profile '%s'", key);
		if ((e = xv_parse_u64(value, 0, 10000, &n)))
			return bad_number(ini, key, value, "a guest count", e);
		xv_strlcpy(ps->start_name[ps->nstart], key, XV_BENCH_NAME_MAX);
		ps->start_line[ps->nstart] = line;
		ps->start_count[ps->nstart] = (unsigned)n;
		ps->nstart++;
		return 0;
	}
	case SEC_COUNT:
		break;
	}
	if (!lines)
		lines = ps->key_line[ps->cur];
	for (unsigned i = 0; table && table[i].name; i++) {
		if (strcmp(table[i].name, key))
			continue;
		if (lines[i])
			return xv_ini_error(ini, "duplicate key '%s' in [%s] (first at line %u)", key,
					    section, lines[i]);
		lines[i] = line;
		return parse_value(ps, ini, base, &table[i], value);
	}
	return xv_ini_error(ini, "unknown key '%s' in [%s]", key, section);
}

/* --- checks once the whole file is read ------------------------------------- */

static int need_key(struct parse *ps, const unsigned *lines, unsigned idx, unsigned section_line,
		    const char *section, const struct key *table)
{
	if (lines[idx])
		return 0;
	return fail_at(ps, section_line, "[%s] has no '%s'", section, table[idx].name);
}

static int check_host(struct parse *ps)
{
	struct xv_bench_host *h = &ps->plan->host;
	const unsigned *lines = ps->key_line[SEC_HOST];
	unsigned sl = ps->section_line[SEC_HOST];
	char a[32], b[32];

	if (!sl)
		return fail_at(ps, ps->last_line, "no [host] section in the plan");
	if (need_key(ps, lines, HK_MEMORY, sl, "host", host_keys) ||
	    need_key(ps, lines, HK_DOM0, sl, "host", host_keys) ||
	    need_key(ps, lines, HK_AUTO, sl, "host", host_keys))
		return -1;
	if (h->dom0_autoballoon && need_key(ps, lines, HK_FLOOR, sl, "host", host_keys))
		return -1;
	if (!lines[HK_FLOOR])
		h->dom0_floor_kib = h->dom0_kib;
	if (!lines[HK_XEN])
		h->xen_kib = xv_bench_xen_overhead_kib(h->memory_kib);
	if (h->dom0_floor_kib > h->dom0_kib) {
		xv_bench_format_kib(h->dom0_floor_kib, a, sizeof(a));
		xv_bench_format_kib(h->dom0_kib, b, sizeof(b));
		return fail_at(ps, lines[HK_FLOOR], "dom0_floor (%s) is above dom0_memory (%s)", a, b);
	}
	if (h->xen_kib + h->dom0_kib >= h->memory_kib) {
		xv_bench_format_kib(h->memory_kib, a, sizeof(a));
		return fail_at(ps, lines[HK_DOM0] > lines[HK_XEN] ? lines[HK_DOM0] : lines[HK_XEN],
			       "hypervisor overhead and dom0 leave nothing of the host's %s", a);
	}
	return 0;
}

static int check_profile(struct parse *ps, unsigned i)
{
	struct xv_bench_profile *p = &ps->plan->profiles[i];
	struct xv_bench_profile d;
	const unsigned *lines = ps->profile_key_line[i];
	unsigned sl = ps->profile_line[i];
	char sec[XV_BENCH_NAME_MAX + 16], a[32], b[32];

	snprintf(sec, sizeof(sec), "profile %s", p->name);
	if (need_key(ps, lines, PK_IMAGE, sl, sec, profile_keys) ||
	    need_key(ps, lines, PK_MEMORY, sl, sec, profile_keys))
		return -1;
	if (!lines[PK_MAXMEM])
		p->maxmem_kib = p->memory_kib;
	if (!lines[PK_VCPUS])
		p->vcpus = 1;
	if (p->maxmem_kib < p->memory_kib) {
		xv_bench_format_kib(p->maxmem_kib, a, sizeof(a));
		xv_bench_format_kib(p->memory_kib, b, sizeof(b));
		return fail_at(ps, lines[PK_MAXMEM], "maxmem (%s) is below memory (%s)", a, b);
	}
	if (p->memory_kib >= ps->plan->host.memory_kib) {
		xv_bench_format_kib(p->memory_kib, a, sizeof(a));
		xv_bench_format_kib(ps->plan->host.memory_kib, b, sizeof(b));
		return fail_at(ps, lines[PK_MEMORY], "memory (%s) does not fit in the host's %s", a, b);
	}
	if (p->image != XV_IMAGE_STRESS) {
		for (unsigned k = PK_FIRST_WORKLOAD; profile_keys[k].name; k++)
			if (lines[k])
				return fail_at(ps, lines[k], "'%s' applies to stress images only, and '%s' is %s",
					       profile_keys[k].name, p->name, xv_bench_image_name(p->image));
	}
	if (p->image == XV_IMAGE_PLAIN && lines[PK_FLOOR])
		return fail_at(ps, lines[PK_FLOOR], "'%s' is a plain image: it has no balloon driver",
			       p->name);

	/* Fill what the plan left out from the image's defaults. */
	d = *p;
	xv_bench_profile_defaults(&d);
#define DEFAULT(key, field) \
	if (!lines[key])    \
		p->field = d.field
	DEFAULT(PK_KERNEL, kernel_kib);
	DEFAULT(PK_COMMITTED, committed_kib);
	DEFAULT(PK_RESIDENT, resident_kib);
	DEFAULT(PK_THREADS, threads);
	DEFAULT(PK_ALLOC, thread_alloc_kib);
	DEFAULT(PK_CHUNK, chunk_max_kib);
	DEFAULT(PK_RATE, write_rate_kib_s);
	DEFAULT(PK_SLEEP, sleep_max_ms);
	DEFAULT(PK_STACK, stack_kib);
#undef DEFAULT
	if (!lines[PK_FLOOR]) {
		p->floor_rule = false;
		p->floor_kib = p->kernel_kib;
	}
	if (p->kernel_kib + p->resident_kib > p->memory_kib) {
		xv_bench_format_kib(p->memory_kib, a, sizeof(a));
		return fail_at(ps, lines[PK_MEMORY] ? lines[PK_MEMORY] : sl,
			       "memory (%s) cannot hold the guest kernel and its resident userspace", a);
	}
	if (!p->floor_rule && p->floor_kib > p->maxmem_kib) {
		xv_bench_format_kib(p->floor_kib, a, sizeof(a));
		xv_bench_format_kib(p->maxmem_kib, b, sizeof(b));
		return fail_at(ps, lines[PK_FLOOR], "balloon_floor (%s) is above maxmem (%s)", a, b);
	}
	return 0;
}

int xv_bench_mix_parse(const struct xv_bench_plan *plan, const char *text, struct xv_bench_mix *mix,
		       char *err, size_t errlen)
{
	char *copy = xv_strdup(text), *save = NULL, *tok;
	int rc = -1;

	mix->count = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon, *end;
		unsigned long w = 1;
		int idx;

		while (*tok == ' ')
			tok++;
		end = tok + strlen(tok);
		while (end > tok && end[-1] == ' ')
			*--end = '\0';
		colon = strchr(tok, ':');
		if (colon) {
			char *e;
			*colon++ = '\0';
			if (*colon < '1' || *colon > '9' || (w = strtoul(colon, &e, 10)) > 1000 || *e) {
				snprintf(err, errlen, "weight of '%s' must be a whole number from 1 to 1000, not '%s'",
					 tok, colon);
				goto out;
			}
		}
		idx = xv_bench_plan_profile(plan, tok);
		if (idx < 0) {
			snprintf(err, errlen, "unknown profile '%s'", tok);
			goto out;
		}
		for (unsigned i = 0; i < mix->count; i++) {
			if (mix->profile[i] == (unsigned)idx) {
				snprintf(err, errlen, "profile '%s' is listed twice", tok);
				goto out;
			}
		}
		mix->profile[mix->count] = (unsigned)idx;
		mix->weight[mix->count] = (unsigned)w;
		mix->count++;
	}
	if (!mix->count) {
		snprintf(err, errlen, "no profile named");
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int resolve_mix(struct parse *ps)
{
	char msg[256];

	if (xv_bench_mix_parse(ps->plan, ps->mix, &ps->plan->proc.mix, msg, sizeof(msg)))
		return fail_at(ps, ps->key_line[SEC_PROCEDURE][RK_PROFILE], "profile: %s", msg);
	return 0;
}

static int check_procedure(struct parse *ps)
{
	struct xv_bench_procedure *proc = &ps->plan->proc;
	const unsigned *lines = ps->key_line[SEC_PROCEDURE];
	unsigned sl = ps->section_line[SEC_PROCEDURE];

	if (!sl)
		return fail_at(ps, ps->last_line, "no [procedure] section in the plan");
	if (need_key(ps, lines, RK_KIND, sl, "procedure", proc_keys) ||
	    need_key(ps, lines, RK_PROFILE, sl, "procedure", proc_keys) ||
	    need_key(ps, lines, RK_SAMPLES, sl, "procedure", proc_keys) ||
	    need_key(ps, lines, RK_INTERVAL, sl, "procedure", proc_keys))
		return -1;
	if (proc->kind != XV_PROC_RAMP && need_key(ps, lines, RK_LIMIT, sl, "procedure", proc_keys))
		return -1;
	if (proc->kind == XV_PROC_GROUPS && need_key(ps, lines, RK_GROUP, sl, "procedure", proc_keys))
		return -1;
	if (proc->kind != XV_PROC_GROUPS && lines[RK_GROUP])
		return fail_at(ps, lines[RK_GROUP], "group applies to kind = groups only");
	if (proc->kind == XV_PROC_RAMP && !lines[RK_LIMIT])
		proc->limit = 10000;
	if (!lines[RK_ONFAIL])
		proc->stop_on_failure = proc->kind == XV_PROC_RAMP;
	if (proc->kind != XV_PROC_GROUPS)
		proc->group_min = proc->group_max = 1;
	return resolve_mix(ps);
}

static int check_start(struct parse *ps)
{
	for (unsigned i = 0; i < ps->nstart; i++) {
		int idx = xv_bench_plan_profile(ps->plan, ps->start_name[i]);
		if (idx < 0)
			return fail_at(ps, ps->start_line[i], "unknown profile '%s'", ps->start_name[i]);
		if (!ps->start_count[i])
			continue;
		ps->plan->start[ps->plan->nstart].profile = (unsigned)idx;
		ps->plan->start[ps->plan->nstart].count = ps->start_count[i];
		ps->plan->nstart++;
	}
	return 0;
}

static int check(struct parse *ps)
{
	if (check_host(ps))
		return -1;
	if (!ps->plan->nprofiles)
		return fail_at(ps, ps->last_line, "no [profile NAME] section in the plan");
	for (unsigned i = 0; i < ps->plan->nprofiles; i++)
		if (check_profile(ps, i))
			return -1;
	if (check_start(ps) || check_procedure(ps))
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

static int finish(struct parse *ps, int rc, const char *path)
{
	struct xv_bench_plan *plan = ps->plan;

	if (!rc)
		rc = check(ps);
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

static const struct xv_ini_callbacks callbacks = { on_section, on_key, NULL };

int xv_bench_plan_load(struct xv_bench_plan *plan, const char *path, char *err, size_t errlen)
{
	struct parse ps = { .plan = plan, .path = path, .err = err, .errlen = errlen };

	struct xv_error e;
	int rc;

	plan_init(plan);
	rc = xv_ini_parse_file(path, 1u << 20, &callbacks, &ps, &e);
	if (rc)
		xv_strlcpy(err, e.msg, errlen);
	return finish(&ps, rc, path);
}

int xv_bench_plan_load_string(struct xv_bench_plan *plan, const char *name, const char *text,
			      char *err, size_t errlen)
{
	struct parse ps = { .plan = plan, .path = name, .err = err, .errlen = errlen };

	struct xv_error e;
	int rc;

	plan_init(plan);
	rc = xv_ini_parse_string(name, text, strlen(text), &callbacks, &ps, &e);
	if (rc)
		xv_strlcpy(err, e.msg, errlen);
	return finish(&ps, rc, name);
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
