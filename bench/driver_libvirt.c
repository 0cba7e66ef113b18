/* SPDX-License-Identifier: GPL-3.0-or-later */
/* driver_libvirt.c: the bench on a libvirt host (libvirt:URI, e.g.
 * libvirt:qemu:///system): QEMU guests with a virtio memory balloon, and
 * xenballoond's law played from the host.
 *
 *   create      a transient domain (virDomainCreateXML) of type 'qemu' (TCG:
 *               no /dev/kvm needed; ../shared/FACTS.md) booting the plan's
 *               [guest] kernel and initramfs with the profile's image and
 *               workload on the command line, <memory> = maxmem,
 *               <currentMemory> = memory, a virtio balloon reporting its
 *               statistics every second.
 *   balloon     KVM guests have no xenstore and no self-balloon daemon: the
 *               driver runs the law (balloon_law.h, the function xvb-balloond
 *               runs in Xen guests) for every clean and stress guest once a
 *               balloon period, from virDomainMemoryStats, and sets the
 *               result with virDomainSetMemoryFlags(LIVE).  Inputs:
 *                 MemTotal      "available" (the guest's MemTotal)
 *                 cur           "actual" (the balloon's current size)
 *                 Committed_AS  not in the virtio statistics: "available" -
 *                               "usable" (MemTotal - MemAvailable, memory the
 *                               guest cannot give back) stands in for it
 *               so the floor rule, hysteresis and interval are xenballoond's,
 *               the target is what the guest uses rather than what it
 *               committed (a little lower for an idle guest).
 *   host        virNodeGetInfo (total), virNodeGetFreeMemory (free); no dom0:
 *               dom0_kib is 0 and the host's own use is in xen_kib.
 *   guest       allocation = "actual"; "rss" is what QEMU really holds.
 *   names       the libvirt domain is called xvbPID-NAME (other runs and
 *               domains may share the host).
 *
 * libvirt is loaded with dlopen() when the driver is opened (see
 * driver_xen.c for why).  Its default error handler prints to stderr: the
 * driver installs a silent one and reports virGetLastErrorMessage(). */
#include "driver.h"
#include "clock.h"
#include "plan.h"
#include "guest/balloon_law.h"
#include "buf.h"
#include "text.h"
#include "util.h"

#ifdef XV_BENCH_LIBVIRT

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

#define VIRT_SYMBOLS(X)                                                        \
	X(virConnectOpen)                                                      \
	X(virConnectClose)                                                     \
	X(virDomainCreateXML)                                                  \
	X(virDomainDestroy)                                                    \
	X(virDomainFree)                                                       \
	X(virDomainSetMemoryFlags)                                             \
	X(virDomainMemoryStats)                                                \
	X(virNodeGetInfo)                                                      \
	X(virNodeGetFreeMemory)                                                \
	X(virGetLastErrorMessage)                                              \
	X(virSetErrorFunc)

struct api {
	void *lib;
#define DECLARE(name) __typeof__(name) *name;
	VIRT_SYMBOLS(DECLARE)
#undef DECLARE
};

struct guest {
	virDomainPtr dom;
	unsigned profile;
	bool alive, ready, settled, swapping;
	uint64_t actual_kib, available_kib, usable_kib, rss_kib, swap_out_kib, target_kib;
	int64_t max_memtotal_kib;
	struct xvb_balloon_state law;
	uint64_t next_period_ms, last_swap_ms;
};

struct virt {
	struct api api;
	virConnectPtr conn;
	const struct xv_bench_plan *plan;
	struct xvb_balloon_conf conf;
	struct guest *guests;
	size_t nguests, guests_alloc;
	uint64_t t0_ms;
};

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The driver's failure in drv->err (XV_E_HOST: libvirt or the host refused;
 * the runner records a creation refused so and goes on). */
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

static const char *said(struct virt *v)
{
	const char *m = v->api.virGetLastErrorMessage();

	return m && *m ? m : "no detail from libvirt";
}

static void quiet_errors(void *user, virErrorPtr error)
{
}

static void virt_close(struct xv_bench_driver *drv)
{
	struct virt *v = drv->priv;

	if (!v)
		return;
	for (size_t i = 0; i < v->nguests; i++) {
		if (v->guests[i].alive)
			v->api.virDomainDestroy(v->guests[i].dom);
		if (v->guests[i].dom)
			v->api.virDomainFree(v->guests[i].dom);
	}
	if (v->conn)
		v->api.virConnectClose(v->conn);
	if (v->api.lib)
		dlclose(v->api.lib);
	free(v->guests);
	free(v);
	drv->priv = NULL;
}

static int virt_open(struct xv_bench_driver *drv, const struct xv_bench_plan *plan, uint64_t seed)
{
	struct virt *v;

	if (!*drv->arg)
		return fail(drv, XV_E_USAGE, "libvirt needs a connection URI: libvirt:URI, e.g. libvirt:qemu:///system");
	if (!plan->boot.kernel)
		return fail(drv, XV_E_CONFIG, "%s: the libvirt driver needs a [guest] section with the guest's kernel",
			    plan->path ? plan->path : "the plan");
	v = drv->priv = xv_calloc(1, sizeof(*v));
	v->plan = plan;
	v->api.lib = dlopen(XV_SONAME_LIBVIRT, RTLD_NOW | RTLD_LOCAL);
	if (!v->api.lib) {
		fail(drv, XV_E_UNSUPPORTED, "cannot load %s: %s (install Debian's libvirt0)", XV_SONAME_LIBVIRT, dlerror());
		goto fail;
	}
#define RESOLVE(name)                                                                  \
	v->api.name = (__typeof__(name) *)dlsym(v->api.lib, #name);                     \
	if (!v->api.name) {                                                            \
		fail(drv, XV_E_UNSUPPORTED, "libvirt lacks %s: %s", #name, dlerror());                   \
		goto fail;                                                             \
	}
	VIRT_SYMBOLS(RESOLVE)
#undef RESOLVE
	v->api.virSetErrorFunc(NULL, quiet_errors);
	v->conn = v->api.virConnectOpen(drv->arg);
	if (!v->conn) {
		fail(drv, XV_E_HOST, "cannot connect to libvirt at '%s': %s", drv->arg, said(v));
		goto fail;
	}
	/* xenballoon.conf's defaults, self-ballooning, the plan's period and
	 * hysteresis; no xenstore */
	xvb_balloon_conf_defaults(&v->conf);
	v->conf.self = true;
	v->conf.xenstore = false;
	v->conf.down = plan->model.down_hysteresis;
	v->conf.up = plan->model.up_hysteresis;
	v->conf.self_interval = (int64_t)(plan->model.balloon_interval_ms / 1000);
	if (v->conf.self_interval < 1)
		v->conf.self_interval = 1;
	v->t0_ms = mono_ms();
	return 0;
fail:
	virt_close(drv);
	return -1;
}

static uint64_t virt_now_ms(struct xv_bench_driver *drv)
{
	struct virt *v = drv->priv;

	return mono_ms() - v->t0_ms;
}

static void emit(struct xv_bench_driver *drv, enum xv_bench_event_kind kind, int guest, int profile,
		 uint64_t v1, uint64_t v2)
{
	struct xv_bench_event ev = { .time_ms = virt_now_ms(drv), .kind = kind, .guest = guest,
				     .profile = profile, .value_kib = v1, .value2_kib = v2 };

	xv_bench_driver_emit(drv, &ev);
}

/* XML text: cleaned as any document text, then escaped. */
static void add_xml(struct xv_buf *b, const char *s)
{
	struct xv_buf clean = XV_BUF_INIT;

	xv_text_clean(&clean, s, XV_TEXT_DOCUMENT);
	xv_text_escape_markup(b, clean.data);
	xv_buf_release(&clean);
}

static char *domain_xml(const struct xv_bench_plan *plan, const struct xv_bench_profile *p, const char *name)
{
	struct xv_buf b = XV_BUF_INIT;
	char cmd[1024];
	int n;

	n = snprintf(cmd, sizeof(cmd), "%s xvb.image=%s", plan->boot.cmdline ? plan->boot.cmdline : "",
		     xv_bench_image_name(p->image));
	if (p->image == XV_IMAGE_STRESS && n > 0 && (size_t)n < sizeof(cmd))
		snprintf(cmd + n, sizeof(cmd) - (size_t)n,
			 " xvb.threads=%u xvb.alloc=%" PRIu64 "K xvb.chunk=uniform:1K:%" PRIu64
			 "K xvb.sleep=uniform:0:%" PRIu64,
			 p->threads, p->thread_alloc_kib, p->chunk_max_kib, p->sleep_max_ms / 1000);
	/* the host may run other domains, other runs: ours are xvbPID-NAME */
	xv_buf_addf(&b, "<domain type='qemu'>\n  <name>xvb%ld-", (long)getpid());
	add_xml(&b, name);
	xv_buf_addf(&b, "</name>\n  <memory unit='KiB'>%" PRIu64 "</memory>\n"
		    "  <currentMemory unit='KiB'>%" PRIu64 "</currentMemory>\n  <vcpu>%u</vcpu>\n"
		    "  <os>\n    <type arch='x86_64' machine='pc'>hvm</type>\n    <kernel>",
		    p->maxmem_kib, p->memory_kib, p->vcpus);
	add_xml(&b, plan->boot.kernel);
	xv_buf_adds(&b, "</kernel>\n");
	if (plan->boot.ramdisk) {
		xv_buf_adds(&b, "    <initrd>");
		add_xml(&b, plan->boot.ramdisk);
		xv_buf_adds(&b, "</initrd>\n");
	}
	xv_buf_adds(&b, "    <cmdline>");
	add_xml(&b, cmd);
	xv_buf_adds(&b, "</cmdline>\n  </os>\n"
		    "  <on_poweroff>destroy</on_poweroff>\n  <on_reboot>destroy</on_reboot>\n"
		    "  <on_crash>destroy</on_crash>\n  <devices>\n"
		    "    <memballoon model='virtio'><stats period='1'/></memballoon>\n"
		    "  </devices>\n</domain>\n");
	return b.data;
}

static int virt_create(struct xv_bench_driver *drv, unsigned profile, const char *name, int *id)
{
	struct virt *v = drv->priv;
	const struct xv_bench_profile *p = &v->plan->profiles[profile];
	char *xml = domain_xml(v->plan, p, name);
	virDomainPtr dom = v->api.virDomainCreateXML(v->conn, xml, 0);
	struct guest *g;

	free(xml);
	if (!dom)
		return fail(drv, XV_E_HOST, "cannot create '%s': %s", name, said(v));
	v->guests = xv_grow(v->guests, sizeof(*v->guests), v->nguests + 1, &v->guests_alloc);
	g = &v->guests[v->nguests];
	memset(g, 0, sizeof(*g));
	g->dom = dom;
	g->profile = profile;
	g->alive = true;
	g->actual_kib = p->memory_kib;
	g->target_kib = p->memory_kib;
	*id = (int)v->nguests++;
	return 0;
}

/* Reads one guest's balloon statistics; runs the law when its period is due. */
static int poll_guest(struct xv_bench_driver *drv, size_t i)
{
	struct virt *v = drv->priv;
	struct guest *g = &v->guests[i];
	const struct xv_bench_profile *p = &v->plan->profiles[g->profile];
	virDomainMemoryStatStruct st[VIR_DOMAIN_MEMORY_STAT_NR];
	int n = v->api.virDomainMemoryStats(g->dom, st, VIR_DOMAIN_MEMORY_STAT_NR, 0);
	uint64_t swap_out = g->swap_out_kib, last_update = 0, now;
	bool had = g->ready;

	if (n < 0)
		return fail(drv, XV_E_HOST, "cannot read the balloon statistics of guest %zu: %s", i, said(v));
	for (int k = 0; k < n; k++) {
		switch (st[k].tag) {
		case VIR_DOMAIN_MEMORY_STAT_ACTUAL_BALLOON: g->actual_kib = st[k].val; break;
		case VIR_DOMAIN_MEMORY_STAT_AVAILABLE: g->available_kib = st[k].val; break;
		case VIR_DOMAIN_MEMORY_STAT_USABLE: g->usable_kib = st[k].val; break;
		case VIR_DOMAIN_MEMORY_STAT_RSS: g->rss_kib = st[k].val; break;
		case VIR_DOMAIN_MEMORY_STAT_SWAP_OUT: g->swap_out_kib = st[k].val; break;
		case VIR_DOMAIN_MEMORY_STAT_LAST_UPDATE: last_update = st[k].val; break;
		default: break;
		}
	}
	/* the guest's balloon driver reports once it runs: that is "up" */
	g->ready = last_update > 0 && g->available_kib > 0;
	if (!g->ready)
		return 0;
	if ((int64_t)g->available_kib > g->max_memtotal_kib)
		g->max_memtotal_kib = (int64_t)g->available_kib;
	now = virt_now_ms(drv);
	if (had && g->swap_out_kib > swap_out) {
		if (!g->swapping && (!g->last_swap_ms || now - g->last_swap_ms >= v->plan->model.swap_quiet_ms))
			emit(drv, XV_EV_SWAP_ON, (int)i, (int)g->profile, g->swap_out_kib - swap_out, 0);
		g->swapping = true;
		g->last_swap_ms = now;
	} else {
		g->swapping = false;
	}
	if (p->image == XV_IMAGE_PLAIN)
		return 0;
	if (now >= g->next_period_ms) {
		struct xvb_balloon_input in;
		struct xvb_balloon_decision d;

		memset(&in, 0, sizeof(in));
		in.memtotal_kib = (int64_t)g->available_kib;
		in.committed_kib = g->available_kib > g->usable_kib ? (int64_t)(g->available_kib - g->usable_kib) : 0;
		in.cur_kib = (int64_t)g->actual_kib;
		xvb_balloon_step(&v->conf, &in, &g->law, &d);
		if (d.write) {
			uint64_t t = (uint64_t)(d.target_bytes / 1024);
			if (t > p->maxmem_kib)
				t = p->maxmem_kib;
			if (t != g->target_kib &&
			    v->api.virDomainSetMemoryFlags(g->dom, t, VIR_DOMAIN_AFFECT_LIVE))
				return fail(drv, XV_E_HOST, "cannot set the balloon of guest %zu to %" PRIu64 " KiB: %s", i, t,
					    said(v));
			g->target_kib = t;
		}
		g->next_period_ms = now + (uint64_t)d.interval * 1000;
		if (!g->settled) {
			int64_t idle = xvb_balloon_floor_mib(0, g->max_memtotal_kib) * 1024;
			if (in.committed_kib > idle)
				idle = in.committed_kib;
			if (g->actual_kib <= (uint64_t)idle + v->plan->model.settle_tolerance_kib &&
			    g->actual_kib < p->memory_kib) {
				g->settled = true;
				emit(drv, XV_EV_SETTLED, (int)i, (int)g->profile, g->actual_kib, (uint64_t)idle);
			}
		}
	}
	return 0;
}

static int poll_all(struct xv_bench_driver *drv)
{
	struct virt *v = drv->priv;

	for (size_t i = 0; i < v->nguests; i++)
		if (v->guests[i].alive && poll_guest(drv, i))
			return -1;
	return 0;
}

static int virt_set_target(struct xv_bench_driver *drv, int id, uint64_t target_kib)
{
	struct virt *v = drv->priv;
	struct guest *g;

	if (id < 0 || (size_t)id >= v->nguests || !v->guests[id].alive)
		return fail(drv, XV_E_SOFTWARE, "no guest with id %d", id);
	g = &v->guests[id];
	if (!target_kib)
		return 0; /* the law takes over again at its next period */
	if (v->api.virDomainSetMemoryFlags(g->dom, target_kib, VIR_DOMAIN_AFFECT_LIVE))
		return fail(drv, XV_E_HOST, "cannot set the balloon of guest %d: %s", id, said(v));
	g->target_kib = target_kib;
	return 0;
}

static int virt_destroy(struct xv_bench_driver *drv, int id)
{
	struct virt *v = drv->priv;

	if (id < 0 || (size_t)id >= v->nguests || !v->guests[id].alive)
		return fail(drv, XV_E_SOFTWARE, "no guest with id %d", id);
	if (v->api.virDomainDestroy(v->guests[id].dom))
		return fail(drv, XV_E_HOST, "cannot destroy guest %d: %s", id, said(v));
	v->guests[id].alive = false;
	return 0;
}

static int virt_read_host(struct xv_bench_driver *drv, struct xv_bench_host_mem *out)
{
	struct virt *v = drv->priv;
	virNodeInfo info;
	unsigned long long free_bytes;

	memset(out, 0, sizeof(*out));
	if (v->api.virNodeGetInfo(v->conn, &info))
		return fail(drv, XV_E_HOST, "cannot read the host's memory: %s", said(v));
	free_bytes = v->api.virNodeGetFreeMemory(v->conn);
	if (poll_all(drv))
		return -1;
	out->total_kib = info.memory;
	out->free_kib = free_bytes / 1024;
	for (size_t i = 0; i < v->nguests; i++) {
		if (!v->guests[i].alive)
			continue;
		out->guests++;
		out->guests_kib += v->guests[i].rss_kib;
		if (!v->guests[i].ready)
			out->booting++;
	}
	/* the host's own use (no dom0 on KVM) */
	if (out->total_kib > out->free_kib + out->guests_kib)
		out->xen_kib = out->total_kib - out->free_kib - out->guests_kib;
	return 0;
}

static int virt_read_guest(struct xv_bench_driver *drv, int id, struct xv_bench_guest_mem *out)
{
	struct virt *v = drv->priv;
	const struct xv_bench_profile *p;
	struct guest *g;

	if (id < 0 || (size_t)id >= v->nguests || !v->guests[id].alive)
		return fail(drv, XV_E_SOFTWARE, "no guest with id %d", id);
	g = &v->guests[id];
	p = &v->plan->profiles[g->profile];
	out->memory_kib = p->memory_kib;
	out->maxmem_kib = p->maxmem_kib;
	out->alloc_kib = g->actual_kib;
	out->target_kib = g->target_kib;
	out->committed_kib = g->available_kib > g->usable_kib ? g->available_kib - g->usable_kib : 0;
	out->ws_kib = out->committed_kib;
	out->swap_kib = 0;
	out->booting = !g->ready;
	out->ballooning = p->image != XV_IMAGE_PLAIN;
	return 0;
}

static int virt_wait(struct xv_bench_driver *drv, uint64_t ms)
{
	uint64_t until = virt_now_ms(drv) + ms;

	for (;;) {
		uint64_t now = virt_now_ms(drv);

		if (now >= until)
			return 0;
		xv_sleep_ms(until - now < 1000 ? until - now : 1000);
		if (poll_all(drv))
			return -1;
	}
}

const struct xv_bench_driver_ops xv_bench_libvirt_driver = {
	.name = "libvirt",
	.summary = "libvirt:URI, QEMU guests with a virtio balloon, xenballoond's law played from the host",
	.open = virt_open,
	.create = virt_create,
	.set_target = virt_set_target,
	.destroy = virt_destroy,
	.read_host = virt_read_host,
	.read_guest = virt_read_guest,
	.wait = virt_wait,
	.now_ms = virt_now_ms,
	.close = virt_close,
};

#endif /* XV_BENCH_LIBVIRT */
