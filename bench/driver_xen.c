/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver_xen.c: the bench on a real Xen host, through libxl as `xl` does it.
 *
 *   create      an xl configuration is written for the profile (the plan's
 *               [guest] kernel, ramdisk and command line, the profile's
 *               memory, maxmem and vcpus, its image and workload on the
 *               command line), parsed with libxlutil and turned into a
 *               libxl_domain_config the way xl reads those keys; then xl
 *               4.17's freemem() (dom0 auto-ballooning, below), the domain
 *               is built paused, its limit raised to maxmem (libxl leaves it
 *               at memory + 1 MiB, so a self-ballooning guest could never
 *               grow), the memory/ keys xenballoond writes are made writable
 *               by the guest (libxl creates memory/ read-only for it), and
 *               the domain is unpaused.
 *   dom0        when the plan says dom0_autoballoon, freemem() as xl 4.17:
 *               need = libxl_domain_need_memory(); while free < need, lower
 *               dom0's target by the shortfall (libxl_set_memory_target,
 *               relative) and wait as libxl_wait_for_memory_target(dom0,
 *               10 s) does (capped: see wait_dom0), within a credit of 30 s
 *               of waiting; plus the plan's
 *               dom0_floor (xl has none in 4.17; libxl refuses below
 *               128 MiB): a shortfall that would take dom0 below it fails
 *               the creation at once, with the figures.
 *   set_target  libxl_set_memory_target (the guest's balloon driver follows
 *               xenstore memory/target; a self-ballooning xvb-balloond
 *               overrides it at its next period, as xenballoond did).
 *   sample      host: xc_physinfo (total, free), libxenstat (each domain's
 *               current memory); guests: libxenstat, and xenstore memory/
 *               target, selftarget, meminfo (Committed_AS, MemTotal,
 *               MemAvailable, swap) and vmstat (pswpout, oom_kill) as
 *               xvb-balloond publishes them.
 *   time        the real clock; wait() sleeps in 1 s steps and reads the
 *               guests at each, so swap onsets, OOM kills and balloons
 *               settling are stamped to the second.
 *
 * The Xen libraries are loaded with dlopen() when the driver is opened, like
 * lib/source_xen.c: one xvmon-bench binary serves the model, Xen and libvirt
 * hosts, and needs none of their libraries to run the model (in the lab's
 * dom0 there is no libvirt; on a planning laptop, no Xen).  libxl's ABI is
 * tied to the Xen release it was built with (4.17 here): the sonames pin it.
 *
 * Per-second trace: with XVMON_BENCH_TRACE_DIR set, every reading (once a
 * second while waiting, and at each sample) is also appended to
 * trace-host.csv (free memory, dom0's size and target) and trace-guests.csv
 * (each guest's allocation, xenstore target, selftarget, Committed_AS,
 * MemTotal, MemAvailable, swap in use, pswpout, oom_kill), which the runner's
 * samples (taken at the plan's interval only) do not keep.
 *
 * Guest fields the guest has not published yet (before xvb-balloond runs,
 * and always for a plain image, which has no daemon) are read as
 * XV_BENCH_UNKNOWN where the runner allows it: committed and target fall
 * back to memory= and xenstore's target. */
#include "driver.h"
#include "clock.h"
#include "plan.h"
#include "guest/balloon_law.h"
#include "util.h"

#ifdef XV_BENCH_XEN

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxl.h>
#include <libxl_utils.h>
#include <libxlutil.h>
#include <xenctrl.h>
#include <xenstat.h>
#include <xenstore.h>

#define XEN_SYMBOLS(X)                                                         \
	X(xl, libxl_ctx_alloc)                                                 \
	X(xl, libxl_ctx_free)                                                  \
	X(xl, libxl_domain_config_init)                                        \
	X(xl, libxl_domain_config_dispose)                                     \
	X(xl, libxl_domain_build_info_init_type)                               \
	X(xl, libxl_bitmap_alloc)                                              \
	X(xl, libxl_bitmap_set)                                                \
	X(xl, libxl_domain_need_memory)                                        \
	X(xl, libxl_get_free_memory)                                           \
	X(xl, libxl_get_memory_target)                                         \
	X(xl, libxl_set_memory_target)                                         \
	X(xl, libxl_domain_create_new)                                         \
	X(xl, libxl_domain_setmaxmem)                                          \
	X(xl, libxl_domain_pause)                                              \
	X(xl, libxl_domain_unpause)                                            \
	X(xl, libxl_domain_destroy)                                            \
	X(xlu, xlu_cfg_init)                                                   \
	X(xlu, xlu_cfg_readdata)                                               \
	X(xlu, xlu_cfg_get_string)                                             \
	X(xlu, xlu_cfg_get_long)                                               \
	X(xlu, xlu_cfg_destroy)                                                \
	X(stat, xenstat_init)                                                  \
	X(stat, xenstat_uninit)                                                \
	X(stat, xenstat_get_node)                                              \
	X(stat, xenstat_free_node)                                             \
	X(stat, xenstat_node_num_domains)                                      \
	X(stat, xenstat_node_domain_by_index)                                  \
	X(stat, xenstat_domain_id)                                             \
	X(stat, xenstat_domain_cur_mem)                                        \
	X(ctrl, xc_interface_open)                                             \
	X(ctrl, xc_interface_close)                                            \
	X(ctrl, xc_physinfo)                                                   \
	X(store, xs_open)                                                      \
	X(store, xs_close)                                                     \
	X(store, xs_read)                                                      \
	X(store, xs_write)                                                     \
	X(store, xs_set_permissions)

struct api {
	void *xl, *xlu, *stat, *ctrl, *store;
#define DECLARE(lib, name) __typeof__(name) *name;
	XEN_SYMBOLS(DECLARE)
#undef DECLARE
};

/* libxl and libxenctrl report through a logger: keep the last error for
 * our own message, print nothing. */
struct logger {
	xentoollog_logger vtable;
	char last[400];
};

struct guest {
	char name[64];
	uint32_t domid;
	unsigned profile;
	bool alive, ready, settled, swapping;
	uint64_t created_ms, last_swap_ms;
	/* what was last read */
	uint64_t alloc_kib, target_kib, selftarget_kib;
	int64_t memtotal_kib, max_memtotal_kib, avail_kib, committed_kib, swap_used_kib;
	uint64_t pswpout, oom_kills;
	bool have_meminfo, have_vmstat;
};

struct xen {
	struct api api;
	struct logger log;
	libxl_ctx *ctx;
	xc_interface *xc;
	struct xs_handle *xs;
	xenstat_handle *xstat;
	const struct xv_bench_plan *plan;
	struct guest *guests;
	size_t nguests, guests_alloc;
	uint64_t t0_ms;
	uint64_t dom0_start_target_kib;
	bool dom0_lowered;
	FILE *trace_host, *trace_guests;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void log_vmessage(struct xentoollog_logger *lg, xentoollog_level level, int errnoval,
			 const char *context, const char *format, va_list al)
{
	struct logger *l = (struct logger *)lg;
	int n;

	if (level < XTL_ERROR)
		return;
	n = vsnprintf(l->last, sizeof(l->last), format, al);
	if (n > 0 && errnoval > 0 && (size_t)n < sizeof(l->last))
		snprintf(l->last + n, sizeof(l->last) - (size_t)n, ": %s", strerror(errnoval));
}

static void log_progress(struct xentoollog_logger *lg, const char *context, const char *doing_what,
			 int percent, unsigned long done, unsigned long total)
{
}

static void log_destroy(struct xentoollog_logger *lg)
{
}

/* The driver's failure in drv->err.  XV_E_HOST is the hypervisor refusing
 * or failing (a creation without memory: the runner records it and goes
 * on); the other codes stop the run. */
static int fail(struct xv_bench_driver *drv, enum xv_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(struct xv_bench_driver *drv, enum xv_error_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_verror(&drv->err, code, fmt, ap);
	va_end(ap);
	return -1;
}

/* "...: libxl's last error" when it left one. */
static const char *libxl_said(struct xen *x)
{
	return x->log.last[0] ? x->log.last : "no detail from libxl";
}

static int load_api(struct xv_bench_driver *drv, struct api *api)
{
	static const struct {
		const char *soname;
		size_t offset;
	} libs[] = {
		{ XV_SONAME_XENLIGHT, offsetof(struct api, xl) },
		{ XV_SONAME_XLUTIL, offsetof(struct api, xlu) },
		{ XV_SONAME_XENSTAT, offsetof(struct api, stat) },
		{ XV_SONAME_XENCTRL, offsetof(struct api, ctrl) },
		{ XV_SONAME_XENSTORE, offsetof(struct api, store) },
	};

	for (size_t i = 0; i < XV_ARRAY_SIZE(libs); i++) {
		void **h = (void **)((char *)api + libs[i].offset);
		*h = dlopen(libs[i].soname, RTLD_NOW | RTLD_LOCAL);
		if (!*h)
			return fail(drv, XV_E_UNSUPPORTED, "cannot load the Xen library %s: %s (install Debian's xen-utils)",
				    libs[i].soname, dlerror());
	}
#define RESOLVE(lib, name)                                                              \
	api->name = (__typeof__(name) *)dlsym(api->lib, #name);                          \
	if (!api->name)                                                                  \
		return fail(drv, XV_E_UNSUPPORTED, "the Xen library lacks %s: %s", #name, dlerror());
	XEN_SYMBOLS(RESOLVE)
#undef RESOLVE
	return 0;
}

static void xen_close(struct xv_bench_driver *drv)
{
	struct xen *x = drv->priv;

	if (!x)
		return;
	if (x->ctx) {
		for (size_t i = 0; i < x->nguests; i++)
			if (x->guests[i].alive)
				x->api.libxl_domain_destroy(x->ctx, x->guests[i].domid, NULL);
		/* dom0 gets back what auto-ballooning took, as a fresh host */
		if (x->dom0_lowered)
			x->api.libxl_set_memory_target(x->ctx, 0, (int64_t)x->dom0_start_target_kib, 0, 0);
		x->api.libxl_ctx_free(x->ctx);
	}
	if (x->trace_host)
		fclose(x->trace_host);
	if (x->trace_guests)
		fclose(x->trace_guests);
	if (x->xstat)
		x->api.xenstat_uninit(x->xstat);
	if (x->xs)
		x->api.xs_close(x->xs);
	if (x->xc)
		x->api.xc_interface_close(x->xc);
	if (x->api.xl)
		dlclose(x->api.xl);
	if (x->api.xlu)
		dlclose(x->api.xlu);
	if (x->api.stat)
		dlclose(x->api.stat);
	if (x->api.ctrl)
		dlclose(x->api.ctrl);
	if (x->api.store)
		dlclose(x->api.store);
	free(x->guests);
	free(x);
	drv->priv = NULL;
}

static int xen_open(struct xv_bench_driver *drv, const struct xv_bench_plan *plan, uint64_t seed)
{
	struct xen *x;
	int fd;

	if (*drv->arg)
		return fail(drv, XV_E_USAGE, "xen takes no argument (got 'xen:%s'): it drives the local hypervisor",
			    drv->arg);
	if (!plan->boot.kernel)
		return fail(drv, XV_E_CONFIG, "%s: the xen driver needs a [guest] section with the guest's kernel",
			    plan->path ? plan->path : "the plan");
	if (plan->host.toolstack != XV_TOOLSTACK_LIBXL)
		return fail(drv, XV_E_CONFIG, "%s: the xen driver creates guests through libxl: [host] "
			    "toolstack = %s is for the model only", plan->path ? plan->path : "the plan",
			    xv_toolstack_name(plan->host.toolstack));
	for (unsigned i = 0; i < plan->nprofiles; i++)
		if (plan->profiles[i].memory_kib % 1024 || plan->profiles[i].maxmem_kib % 1024)
			return fail(drv, XV_E_CONFIG, "profile '%s': xl takes memory and maxmem in whole MiB",
				    plan->profiles[i].name);
	/* libxenstat and libxencall print to stderr when there is no
	 * hypervisor: find out first, quietly */
	fd = open("/dev/xen/privcmd", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return fail(drv, XV_E_CONFIG, "cannot open /dev/xen/privcmd: %s (is this a Xen dom0, and are you root?)",
			    strerror(errno));
	close(fd);
	x = drv->priv = xv_calloc(1, sizeof(*x));
	x->plan = plan;
	x->log.vtable.vmessage = log_vmessage;
	x->log.vtable.progress = log_progress;
	x->log.vtable.destroy = log_destroy;
	if (load_api(drv, &x->api))
		goto fail;
	x->xc = x->api.xc_interface_open(&x->log.vtable, &x->log.vtable, 0);
	if (!x->xc) {
		fail(drv, XV_E_HOST, "cannot open the hypervisor interface: %s", strerror(errno));
		goto fail;
	}
	x->xs = x->api.xs_open(0);
	if (!x->xs) {
		fail(drv, XV_E_HOST, "cannot connect to xenstore: %s (is xenstored running?)", strerror(errno));
		goto fail;
	}
	x->xstat = x->api.xenstat_init();
	if (!x->xstat) {
		fail(drv, XV_E_HOST, "libxenstat cannot start: %s", strerror(errno));
		goto fail;
	}
	if (x->api.libxl_ctx_alloc(&x->ctx, LIBXL_VERSION, 0, &x->log.vtable)) {
		x->ctx = NULL;
		fail(drv, XV_E_HOST, "cannot start libxl: %s", libxl_said(x));
		goto fail;
	}
	if (x->api.libxl_get_memory_target(x->ctx, 0, &x->dom0_start_target_kib)) {
		fail(drv, XV_E_HOST, "cannot read dom0's memory target: %s", libxl_said(x));
		goto fail;
	}
	if (getenv("XVMON_BENCH_TRACE_DIR") && *getenv("XVMON_BENCH_TRACE_DIR")) {
		const char *dir = getenv("XVMON_BENCH_TRACE_DIR");
		char *h = xv_asprintf("%s/trace-host.csv", dir), *g = xv_asprintf("%s/trace-guests.csv", dir);
		x->trace_host = fopen(h, "w");
		x->trace_guests = fopen(g, "w");
		if (!x->trace_host || !x->trace_guests)
			fail(drv, XV_E_CANTCREAT, "cannot write the trace in '%s': %s", dir, strerror(errno));
		free(h);
		free(g);
		if (!x->trace_host || !x->trace_guests)
			goto fail;
		fputs("time_s,free_kib,dom0_kib,dom0_target_kib,guests\n", x->trace_host);
		fputs("time_s,guest,domid,profile,alloc_kib,target_kib,selftarget_kib,committed_kib,"
		      "memtotal_kib,available_kib,swap_used_kib,pswpout,oom_kill\n", x->trace_guests);
	}
	x->t0_ms = mono_ms();
	return 0;
fail:
	xen_close(drv);
	return -1;
}

static uint64_t xen_now_ms(struct xv_bench_driver *drv)
{
	struct xen *x = drv->priv;

	return mono_ms() - x->t0_ms;
}

static void emit(struct xv_bench_driver *drv, enum xv_bench_event_kind kind, int guest, int profile,
		 uint64_t v1, uint64_t v2, const char *text)
{
	struct xv_bench_event ev = { .time_ms = xen_now_ms(drv), .kind = kind, .guest = guest,
				     .profile = profile, .value_kib = v1, .value2_kib = v2, .text = text };

	xv_bench_driver_emit(drv, &ev);
}

/* --- reading ---------------------------------------------------------------- */

static char *xs_get(struct xen *x, uint32_t domid, const char *leaf)
{
	char path[96];
	unsigned int len = 0;

	snprintf(path, sizeof(path), "/local/domain/%u/%s", domid, leaf);
	return x->api.xs_read(x->xs, XBT_NULL, path, &len);
}

static bool xs_get_u64(struct xen *x, uint32_t domid, const char *leaf, uint64_t *v)
{
	char *s = xs_get(x, domid, leaf), *end;
	bool ok = false;

	if (s) {
		errno = 0;
		*v = strtoull(s, &end, 10);
		ok = !errno && end != s && !*end;
		free(s);
	}
	return ok;
}

/* "Name:   123 kB" lines of meminfo, "name 123" of vmstat. */
static bool field(const char *text, const char *name, int64_t *v)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, name, n) && (p[n] == ':' || p[n] == ' ')) {
			*v = strtoll(p + n + 1, NULL, 10);
			return true;
		}
	}
	return false;
}

static void read_guest_store(struct xen *x, struct guest *g)
{
	char *s;
	int64_t v;

	if (!xs_get_u64(x, g->domid, "memory/target", &g->target_kib))
		g->target_kib = x->plan->profiles[g->profile].memory_kib;
	if (!xs_get_u64(x, g->domid, "memory/selftarget", &g->selftarget_kib))
		g->selftarget_kib = 0;
	if (!g->ready) {
		s = xs_get(x, g->domid, "data/xvb-ready");
		if (s) {
			g->ready = true;
			free(s);
		}
	}
	s = xs_get(x, g->domid, "memory/meminfo");
	if (s) {
		int64_t st = 0, sf = 0;
		g->have_meminfo = field(s, "MemTotal", &g->memtotal_kib) &&
				  field(s, "Committed_AS", &g->committed_kib);
		if (!field(s, "MemAvailable", &g->avail_kib))
			g->avail_kib = 0;
		if (field(s, "SwapTotal", &st) && field(s, "SwapFree", &sf) && st >= sf)
			g->swap_used_kib = st - sf;
		if (g->memtotal_kib > g->max_memtotal_kib)
			g->max_memtotal_kib = g->memtotal_kib;
		free(s);
	}
	s = xs_get(x, g->domid, "memory/vmstat");
	if (s) {
		g->have_vmstat = true;
		if (field(s, "pswpout", &v))
			g->pswpout = (uint64_t)v;
		if (field(s, "oom_kill", &v))
			g->oom_kills = (uint64_t)v;
		free(s);
	}
}

/* Every live guest's allocation (libxenstat) and published figures, with the
 * events they imply.  dom0_kib and others_kib are filled when non-NULL. */
static int poll_guests(struct xv_bench_driver *drv, uint64_t *dom0_kib, uint64_t *domains_kib)
{
	struct xen *x = drv->priv;
	xenstat_node *node = x->api.xenstat_get_node(x->xstat, 0);
	uint64_t dom0_seen = 0;
	unsigned n;

	if (!node)
		return fail(drv, XV_E_HOST, "libxenstat cannot read the domains: %s", strerror(errno));
	for (size_t i = 0; i < x->nguests; i++)
		x->guests[i].alloc_kib = 0;
	if (domains_kib)
		*domains_kib = 0;
	n = x->api.xenstat_node_num_domains(node);
	for (unsigned k = 0; k < n; k++) {
		xenstat_domain *d = x->api.xenstat_node_domain_by_index(node, k);
		unsigned id = x->api.xenstat_domain_id(d);
		uint64_t kib = x->api.xenstat_domain_cur_mem(d) / 1024;

		if (id == 0)
			dom0_seen = kib;
		if (domains_kib)
			*domains_kib += kib;
		for (size_t i = 0; i < x->nguests; i++)
			if (x->guests[i].alive && x->guests[i].domid == id)
				x->guests[i].alloc_kib = kib;
	}
	x->api.xenstat_free_node(node);
	if (dom0_kib)
		*dom0_kib = dom0_seen;
	if (x->trace_host) {
		xc_physinfo_t info;
		uint64_t target = 0;
		unsigned alive = 0;
		memset(&info, 0, sizeof(info));
		x->api.xc_physinfo(x->xc, &info);
		x->api.libxl_get_memory_target(x->ctx, 0, &target);
		for (size_t i = 0; i < x->nguests; i++)
			alive += x->guests[i].alive;
		fprintf(x->trace_host, "%.3f,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u\n",
			(double)xen_now_ms(drv) / 1000, (uint64_t)info.free_pages * 4, dom0_seen, target, alive);
	}
	for (size_t i = 0; i < x->nguests; i++) {
		struct guest *g = &x->guests[i];
		const struct xv_bench_profile *p = &x->plan->profiles[g->profile];
		uint64_t pswpout = g->pswpout, ooms = g->oom_kills, now;
		bool had_vmstat = g->have_vmstat;

		if (!g->alive)
			continue;
		read_guest_store(x, g);
		now = xen_now_ms(drv);
		if (x->trace_guests)
			fprintf(x->trace_guests,
				"%.3f,%s,%u,%s,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRId64 ",%" PRId64 ",%" PRId64
				",%" PRId64 ",%" PRIu64 ",%" PRIu64 "\n",
				(double)now / 1000, g->name, g->domid, p->name, g->alloc_kib, g->target_kib,
				g->selftarget_kib, g->have_meminfo ? g->committed_kib : -1,
				g->have_meminfo ? g->memtotal_kib : -1, g->have_meminfo ? g->avail_kib : -1,
				g->swap_used_kib, g->pswpout, g->oom_kills);
		if (had_vmstat && g->pswpout > pswpout) {
			if (!g->swapping && (!g->last_swap_ms || now - g->last_swap_ms >= x->plan->model.swap_quiet_ms))
				emit(drv, XV_EV_SWAP_ON, (int)i, (int)g->profile,
				     (uint64_t)g->swap_used_kib, (g->pswpout - pswpout) * 4, NULL);
			g->swapping = true;
			g->last_swap_ms = now;
		} else if (had_vmstat) {
			g->swapping = false;
		}
		if (had_vmstat && g->oom_kills > ooms)
			emit(drv, XV_EV_OOM_KILL, (int)i, (int)g->profile, g->oom_kills, 0, NULL);
		/* settled: the balloon came down to the law's idle target,
		 * max(Committed_AS, floor), within the plan's tolerance */
		if (p->image != XV_IMAGE_PLAIN && !g->settled && g->have_meminfo && g->alloc_kib) {
			int64_t idle = xvb_balloon_floor_mib(0, g->max_memtotal_kib) * 1024;
			if (g->committed_kib > idle)
				idle = g->committed_kib;
			if (g->alloc_kib <= (uint64_t)idle + x->plan->model.settle_tolerance_kib &&
			    g->alloc_kib < p->memory_kib) {
				g->settled = true;
				emit(drv, XV_EV_SETTLED, (int)i, (int)g->profile, g->alloc_kib, (uint64_t)idle,
				     NULL);
			}
		}
	}
	if (x->trace_host) {
		fflush(x->trace_host);
		fflush(x->trace_guests);
	}
	return 0;
}

static int xen_read_host(struct xv_bench_driver *drv, struct xv_bench_host_mem *out)
{
	struct xen *x = drv->priv;
	xc_physinfo_t info;
	uint64_t dom0 = 0, domains = 0, used;

	memset(out, 0, sizeof(*out));
	memset(&info, 0, sizeof(info));
	if (x->api.xc_physinfo(x->xc, &info))
		return fail(drv, XV_E_HOST, "xc_physinfo failed: %s", strerror(errno));
	if (poll_guests(drv, &dom0, &domains))
		return -1;
	out->total_kib = info.total_pages * 4;
	out->free_kib = info.free_pages * 4;
	out->dom0_kib = dom0;
	for (size_t i = 0; i < x->nguests; i++) {
		if (!x->guests[i].alive)
			continue;
		out->guests++;
		out->guests_kib += x->guests[i].alloc_kib;
		if (!x->guests[i].ready)
			out->booting++;
	}
	/* what no domain holds and is not free: the hypervisor's own, the
	 * per-domain overheads included (Xen does not say per domain) */
	used = out->free_kib + domains;
	out->xen_kib = out->total_kib > used ? out->total_kib - used : 0;
	return 0;
}

static int xen_read_guest(struct xv_bench_driver *drv, int id, struct xv_bench_guest_mem *out)
{
	struct xen *x = drv->priv;
	const struct xv_bench_profile *p;
	struct guest *g;

	if (id < 0 || (size_t)id >= x->nguests || !x->guests[id].alive)
		return fail(drv, XV_E_SOFTWARE, "no guest with id %d", id);
	g = &x->guests[id];
	p = &x->plan->profiles[g->profile];
	out->memory_kib = p->memory_kib;
	out->maxmem_kib = p->maxmem_kib;
	out->alloc_kib = g->alloc_kib;
	/* the target the guest's balloon is driven to: its daemon's when it
	 * self-balloons, else the toolstack's */
	out->target_kib = g->selftarget_kib ? g->selftarget_kib : g->target_kib;
	out->committed_kib = g->have_meminfo ? (uint64_t)g->committed_kib : p->committed_kib;
	/* in use: what MemAvailable says cannot be given back, plus swap */
	out->ws_kib = g->have_meminfo && g->memtotal_kib > g->avail_kib
			      ? (uint64_t)(g->memtotal_kib - g->avail_kib + g->swap_used_kib)
			      : 0;
	out->swap_kib = (uint64_t)g->swap_used_kib;
	out->booting = !g->ready;
	out->ballooning = p->image != XV_IMAGE_PLAIN;
	return 0;
}

static int xen_wait(struct xv_bench_driver *drv, uint64_t ms)
{
	uint64_t until = xen_now_ms(drv) + ms;

	for (;;) {
		uint64_t now = xen_now_ms(drv);

		if (now >= until)
			return 0;
		xv_sleep_ms(until - now < 1000 ? until - now : 1000);
		if (poll_guests(drv, NULL, NULL))
			return -1;
	}
}

/* --- creating --------------------------------------------------------------- */

/* The guest's kernel command line: the plan's, then what the guest's init
 * (tests/lab/guest-init.sh) reads: the image and the stress workload. */
static void guest_cmdline(const struct xv_bench_plan *plan, const struct xv_bench_profile *p,
			  char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s xvb.image=%s", plan->boot.cmdline ? plan->boot.cmdline : "",
			 xv_bench_image_name(p->image));

	if (p->image == XV_IMAGE_STRESS && n > 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n,
			 " xvb.threads=%u xvb.alloc=%" PRIu64 "K xvb.chunk=uniform:1K:%" PRIu64
			 "K xvb.sleep=uniform:0:%" PRIu64,
			 p->threads, p->thread_alloc_kib, p->chunk_max_kib, p->sleep_max_ms / 1000);
}

/* The xl configuration of a profile's guest, as an operator would write it. */
static char *xl_config(const struct xv_bench_plan *plan, const struct xv_bench_profile *p,
		       const char *name)
{
	char cmdline[1024];

	guest_cmdline(plan, p, cmdline, sizeof(cmdline));
	return xv_asprintf("name = \"%s\"\n"
			   "type = \"pv\"\n"
			   "kernel = \"%s\"\n"
			   "%s%s%s"
			   "extra = \"%s\"\n"
			   "memory = %" PRIu64 "\n"
			   "maxmem = %" PRIu64 "\n"
			   "vcpus = %u\n"
			   "on_crash = \"preserve\"\n",
			   name, plan->boot.kernel, plan->boot.ramdisk ? "ramdisk = \"" : "",
			   plan->boot.ramdisk ? plan->boot.ramdisk : "", plan->boot.ramdisk ? "\"\n" : "",
			   cmdline, p->memory_kib / 1024, p->maxmem_kib / 1024, p->vcpus);
}

/* What xl's parse_config_data() does with these keys. */
static int config_from_xl(struct xv_bench_driver *drv, const char *text, const char *name,
			  libxl_domain_config *dc)
{
	struct xen *x = drv->priv;
	XLU_Config *cfg = x->api.xlu_cfg_init(stderr, name);
	const char *s;
	long l;
	int rc = -1, e;

	if (!cfg)
		return fail(drv, XV_E_LOCAL, "libxlutil cannot start: %s", strerror(errno));
	if ((e = x->api.xlu_cfg_readdata(cfg, text, (int)strlen(text)))) {
		fail(drv, XV_E_SOFTWARE, "xl configuration of '%s' refused: %s", name, strerror(e));
		goto out;
	}
	dc->c_info.type = LIBXL_DOMAIN_TYPE_PV;
	if (x->api.xlu_cfg_get_string(cfg, "type", &s, 0) || strcmp(s, "pv")) {
		fail(drv, XV_E_SOFTWARE, "xl configuration of '%s': only type = \"pv\" is supported", name);
		goto out;
	}
	x->api.libxl_domain_build_info_init_type(&dc->b_info, LIBXL_DOMAIN_TYPE_PV);
	if (x->api.xlu_cfg_get_string(cfg, "name", &s, 0)) {
		fail(drv, XV_E_SOFTWARE, "xl configuration of '%s' has no name", name);
		goto out;
	}
	dc->c_info.name = xv_strdup(s);
	if (!x->api.xlu_cfg_get_string(cfg, "kernel", &s, 0))
		dc->b_info.kernel = xv_strdup(s);
	if (!x->api.xlu_cfg_get_string(cfg, "ramdisk", &s, 0))
		dc->b_info.ramdisk = xv_strdup(s);
	if (!x->api.xlu_cfg_get_string(cfg, "extra", &s, 0))
		dc->b_info.cmdline = xv_strdup(s);
	if (x->api.xlu_cfg_get_long(cfg, "memory", &l, 0) || l <= 0) {
		fail(drv, XV_E_SOFTWARE, "xl configuration of '%s' has no memory", name);
		goto out;
	}
	dc->b_info.target_memkb = dc->b_info.max_memkb = (uint64_t)l * 1024;
	if (!x->api.xlu_cfg_get_long(cfg, "maxmem", &l, 0))
		dc->b_info.max_memkb = (uint64_t)l * 1024;
	if (x->api.xlu_cfg_get_long(cfg, "vcpus", &l, 0) || l < 1)
		l = 1;
	dc->b_info.max_vcpus = (int)l;
	if (x->api.libxl_bitmap_alloc(x->ctx, &dc->b_info.avail_vcpus, (int)l)) {
		fail(drv, XV_E_LOCAL, "cannot allocate the vcpu map of '%s'", name);
		goto out;
	}
	libxl_bitmap_set_none(&dc->b_info.avail_vcpus);
	for (long i = 0; i < l; i++)
		x->api.libxl_bitmap_set(&dc->b_info.avail_vcpus, (int)i);
	if (!x->api.xlu_cfg_get_string(cfg, "on_crash", &s, 0) && !strcmp(s, "preserve"))
		dc->on_crash = LIBXL_ACTION_ON_SHUTDOWN_PRESERVE;
	rc = 0;
out:
	x->api.xlu_cfg_destroy(cfg);
	return rc;
}

/* libxl_wait_for_memory_target(dom0, wait_secs), its rule read from Xen 4.17:
 * every 2 s, dom0's current memory; a rise fails, no change costs 2 s of
 * wait_secs, a fall is free; done when it is at or below its target.  Two
 * differences: the guests are read (and traced) at each look, and the wait is
 * capped at 60 s in all.  libxl's is not: a dom0 that keeps freeing a few
 * pages every 2 s (one short of memory, its balloon scraping page by page)
 * holds xl's creation for as long as that lasts; the lab showed it (minutes
 * with dom0 near its floor, its root file system in RAM).  0 reached, -1 not;
 * *cur_kib is dom0's size at the end. */
static int wait_dom0(struct xv_bench_driver *drv, int wait_secs, uint64_t *cur_kib)
{
	struct xen *x = drv->priv;
	uint64_t target, cur = 0, prev = UINT64_MAX, deadline = xen_now_ms(drv) + 60000;

	if (x->api.libxl_get_memory_target(x->ctx, 0, &target))
		return -1;
	do {
		xv_sleep_ms(2000);
		if (poll_guests(drv, &cur, NULL))
			return -1;
		*cur_kib = cur;
		if (cur > prev)
			return -1;
		if (cur == prev)
			wait_secs -= 2;
		prev = cur;
	} while (wait_secs > 0 && cur > target && xen_now_ms(drv) < deadline);
	return cur <= target ? 0 : -1;
}

/* xl 4.17's freemem(), with the plan's dom0 floor (see the top). */
static int freemem(struct xv_bench_driver *drv, libxl_domain_config *dc, const char *name)
{
	struct xen *x = drv->priv;
	const struct xv_bench_host *host = &x->plan->host;
	double credit = 30;
	uint64_t need, free_kib, target, dom0_kib = 0;

	x->log.last[0] = '\0';
	if (x->api.libxl_domain_need_memory(x->ctx, dc, INVALID_DOMID, &need))
		return fail(drv, XV_E_HOST, "cannot create '%s': libxl cannot say how much memory it needs: %s", name,
			    libxl_said(x));
	for (;;) {
		time_t start;

		if (x->api.libxl_get_free_memory(x->ctx, &free_kib))
			return fail(drv, XV_E_HOST, "cannot create '%s': cannot read free memory: %s", name,
				    libxl_said(x));
		if (free_kib >= need)
			return 0;
		if (!host->dom0_autoballoon)
			return fail(drv, XV_E_HOST, "cannot create '%s': it needs %" PRIu64 " KiB, %" PRIu64
				    " KiB are free and dom0 auto-ballooning is off", name, need, free_kib);
		if (credit <= 0)
			return fail(drv, XV_E_HOST, "cannot create '%s': it needs %" PRIu64 " KiB, only %" PRIu64
				    " KiB are free after 30 s of dom0 ballooning without progress", name,
				    need, free_kib);
		if (x->api.libxl_get_memory_target(x->ctx, 0, &target))
			return fail(drv, XV_E_HOST, "cannot read dom0's target: %s", libxl_said(x));
		if (target < host->dom0_floor_kib + (need - free_kib))
			return fail(drv, XV_E_HOST, "cannot create '%s': it needs %" PRIu64 " KiB, %" PRIu64
				    " KiB are free, and dom0 (target %" PRIu64 " KiB) cannot give %" PRIu64
				    " KiB without going below its floor of %" PRIu64 " KiB",
				    name, need, free_kib, target, need - free_kib, host->dom0_floor_kib);
		if (x->api.libxl_set_memory_target(x->ctx, 0, (int64_t)free_kib - (int64_t)need, 1, 0))
			return fail(drv, XV_E_HOST, "cannot lower dom0's target: %s", libxl_said(x));
		x->dom0_lowered = true;
		emit(drv, XV_EV_DOM0_BALLOON, -1, -1, target, target - (need - free_kib), NULL);
		start = time(NULL);
		if (wait_dom0(drv, 10, &dom0_kib))
			return fail(drv, XV_E_HOST, "cannot create '%s': it needs %" PRIu64 " KiB, %" PRIu64 " KiB were free, "
				    "and dom0 did not come down to its new target of %" PRIu64 " KiB (it holds %"
				    PRIu64 " KiB)", name, need, free_kib, target - (need - free_kib), dom0_kib);
		credit -= difftime(time(NULL), start);
	}
}

/* The memory/ keys xenballoond writes, made the guest's own: libxl creates
 * memory/ read-only for the guest, xend let xenballoond write there. */
static void open_memory_keys(struct xen *x, uint32_t domid)
{
	static const char *const keys[] = { "selftarget", "meminfo", "vmstat", "uptime", "stress" };
	struct xs_permissions perm = { domid, XS_PERM_NONE };
	char path[96];

	for (size_t i = 0; i < XV_ARRAY_SIZE(keys); i++) {
		snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", domid, keys[i]);
		if (x->api.xs_write(x->xs, XBT_NULL, path, "", 0))
			x->api.xs_set_permissions(x->xs, XBT_NULL, path, &perm, 1);
	}
}

static int xen_create(struct xv_bench_driver *drv, unsigned profile, const char *name, int *id)
{
	struct xen *x = drv->priv;
	const struct xv_bench_profile *p = &x->plan->profiles[profile];
	libxl_domain_config dc;
	uint32_t domid = (uint32_t)INVALID_DOMID;
	char *text = xl_config(x->plan, p, name);
	struct guest *g;
	int rc = -1;

	x->api.libxl_domain_config_init(&dc);
	if (config_from_xl(drv, text, name, &dc) || freemem(drv, &dc, name))
		goto out;
	x->log.last[0] = '\0';
	if (x->api.libxl_domain_create_new(x->ctx, &dc, &domid, NULL, NULL)) {
		fail(drv, XV_E_HOST, "cannot create '%s': %s", name, libxl_said(x));
		if (domid != (uint32_t)INVALID_DOMID)
			x->api.libxl_domain_destroy(x->ctx, domid, NULL);
		goto out;
	}
	/* created paused: raise the limit and open the keys before it runs */
	if (p->maxmem_kib > p->memory_kib &&
	    x->api.libxl_domain_setmaxmem(x->ctx, domid, p->maxmem_kib)) {
		fail(drv, XV_E_HOST, "cannot raise '%s' to maxmem: %s", name, libxl_said(x));
		x->api.libxl_domain_destroy(x->ctx, domid, NULL);
		goto out;
	}
	open_memory_keys(x, domid);
	if (x->api.libxl_domain_unpause(x->ctx, domid, NULL)) {
		fail(drv, XV_E_HOST, "cannot unpause '%s': %s", name, libxl_said(x));
		x->api.libxl_domain_destroy(x->ctx, domid, NULL);
		goto out;
	}
	x->guests = xv_grow(x->guests, sizeof(*x->guests), x->nguests + 1, &x->guests_alloc);
	g = &x->guests[x->nguests];
	memset(g, 0, sizeof(*g));
	xv_strlcpy(g->name, name, sizeof(g->name));
	g->domid = domid;
	g->profile = profile;
	g->alive = true;
	g->created_ms = xen_now_ms(drv);
	g->alloc_kib = p->memory_kib;
	*id = (int)x->nguests++;
	rc = 0;
out:
	x->api.libxl_domain_config_dispose(&dc);
	free(text);
	return rc;
}

static int xen_set_target(struct xv_bench_driver *drv, int id, uint64_t target_kib)
{
	struct xen *x = drv->priv;
	struct guest *g;

	if (id < 0 || (size_t)id >= x->nguests || !x->guests[id].alive)
		return fail(drv, XV_E_SOFTWARE, "no guest with id %d", id);
	g = &x->guests[id];
	if (!target_kib)
		target_kib = x->plan->profiles[g->profile].memory_kib;
	x->log.last[0] = '\0';
	if (x->api.libxl_set_memory_target(x->ctx, g->domid, (int64_t)target_kib, 0, 1))
		return fail(drv, XV_E_HOST, "cannot set the target of domain %u: %s", g->domid, libxl_said(x));
	return 0;
}

static int xen_destroy(struct xv_bench_driver *drv, int id)
{
	struct xen *x = drv->priv;
	struct guest *g;

	if (id < 0 || (size_t)id >= x->nguests || !x->guests[id].alive)
		return fail(drv, XV_E_SOFTWARE, "no guest with id %d", id);
	g = &x->guests[id];
	x->log.last[0] = '\0';
	if (x->api.libxl_domain_destroy(x->ctx, g->domid, NULL))
		return fail(drv, XV_E_HOST, "cannot destroy domain %u: %s", g->domid, libxl_said(x));
	g->alive = false;
	return 0;
}

const struct xv_bench_driver_ops xv_bench_xen_driver = {
	.name = "xen",
	.summary = "the local Xen host through libxl, as xl does (run in dom0, as root)",
	.open = xen_open,
	.create = xen_create,
	.set_target = xen_set_target,
	.destroy = xen_destroy,
	.read_host = xen_read_host,
	.read_guest = xen_read_guest,
	.wait = xen_wait,
	.now_ms = xen_now_ms,
	.close = xen_close,
};

#endif /* XV_BENCH_XEN */
