/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_libvirt.c: the libvirt:URI source, a host managed by libvirt (KVM
 * or QEMU guests; Xen through libvirt's libxl driver too).
 *
 * libvirt is loaded with dlopen() when a libvirt: source is opened, like the
 * Xen libraries: a plugin run on sim: or xen: does not pay for loading it.
 * The connection is read-only: monitoring changes nothing.
 *
 * One round trip gives every running domain (virConnectGetAllDomainStats):
 *
 *   state flags       state.state, mapped to Xen's flags (table below)
 *   memory held       balloon.current (the balloon's actual size, KiB)
 *   configured max    balloon.maximum (KiB)
 *   balloon target    unknown: libvirt keeps the size a balloon was last
 *                     seen at (its currentMemory follows the balloon's
 *                     events), not the target it was asked for
 *   guest memory      balloon.available (MemTotal), .unused (MemFree),
 *                     .usable (MemAvailable), .disk_caches, .swap_in and
 *                     .swap_out (KiB): the virtio balloon driver's statistics,
 *                     which the guest writes; present only when the guest's
 *                     driver reports them (<stats period='N'/>).  No
 *                     Committed_AS or swap size: virtio does not carry them
 *   cpu time          cpu.time (ns); vcpu.current
 *   cpu wait          vcpu.N.delay summed: time runnable vCPU threads waited
 *                     for a host CPU (Linux schedstat)
 *   disk, network     block.N.{rd,wr}.{bytes,reqs}, net.N.{rx,tx}.{bytes,pkts},
 *                     summed over devices (net seen from the guest)
 *
 * Only running domains are listed (virConnectListAllDomains' active ones),
 * as Xen lists the domains that exist: a defined but shut-off guest is
 * configuration, not a domain. */
#include "source_impl.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* libvirt:URI: URI is a libvirt connection URI, "driver[+transport]://[host]/path[?query]"
 * (qemu:///system, qemu+ssh://root@kvm1/system, xen:///system,
 * test:///default).  Checked without I/O, whether or not libvirt is compiled
 * in, so an inventory is judged the same everywhere. */
static int libvirt_check_syntax(const char *arg, struct xv_error *e)
{
	const char *p = arg, *sep = strstr(arg, "://");

	if (!*arg)
		return xv_error(e, XV_E_CONFIG, "libvirt: needs a libvirt URI, as in "
				"libvirt:qemu:///system");
	if (!sep || sep == arg)
		return xv_error(e, XV_E_CONFIG, "libvirt:%s: not a libvirt URI (expected "
				"driver[+transport]://[host]/path, as in libvirt:qemu:///system)", arg);
	for (; p < sep; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '+' ||
		      *p == '-' || *p == '_'))
			return xv_error(e, XV_E_CONFIG, "libvirt:%s: the driver name may hold only "
					"a-z, 0-9, '+', '-' and '_'", arg);
	for (p = arg; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f)
			return xv_error(e, XV_E_CONFIG, "libvirt:%s: a URI has no spaces or control "
					"characters", arg);
	return 0;
}

#ifdef XV_HAVE_LIBVIRT

#include <dlfcn.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <stdio.h>

#define LIBVIRT_SYMBOLS(X)                                                     \
	X(virSetErrorFunc)                                                     \
	X(virGetLastError)                                                     \
	X(virConnectOpenReadOnly)                                              \
	X(virConnectClose)                                                     \
	X(virConnectGetHostname)                                               \
	X(virConnectGetType)                                                   \
	X(virConnectGetVersion)                                                \
	X(virNodeGetInfo)                                                      \
	X(virNodeGetFreeMemory)                                                \
	X(virConnectGetAllDomainStats)                                         \
	X(virDomainStatsRecordListFree)                                        \
	X(virDomainGetName)                                                    \
	X(virDomainGetID)                                                      \
	X(virDomainGetUUIDString)

struct virt_api {
	void *lib;
#define DECLARE(name) __typeof__(name) *name;
	LIBVIRT_SYMBOLS(DECLARE)
#undef DECLARE
};

struct virt_priv {
	struct virt_api api;
	virConnectPtr conn;
};

/* libvirt prints every error on stderr unless given a handler; a plugin's
 * stderr stays empty, and errors are read back with virGetLastError(). */
static void quiet_errors(void *data, virErrorPtr err)
{
}

static int load_api(struct virt_api *api, struct xv_error *e)
{
	api->lib = dlopen(XV_SONAME_LIBVIRT, RTLD_NOW | RTLD_LOCAL);
	if (!api->lib)
		return xv_error(e, XV_E_UNSUPPORTED, "cannot load libvirt (%s): %s (install Debian's "
				"libvirt0)", XV_SONAME_LIBVIRT, dlerror());
#define RESOLVE(name)                                                                   \
	api->name = (__typeof__(name) *)dlsym(api->lib, #name);                          \
	if (!api->name)                                                                  \
		return xv_error(e, XV_E_UNSUPPORTED, "libvirt lacks %s: %s", #name, dlerror());
	LIBVIRT_SYMBOLS(RESOLVE)
#undef RESOLVE
	api->virSetErrorFunc(NULL, quiet_errors);
	return 0;
}

/* The last libvirt error as ours: a driver this libvirt does not have or a
 * malformed URI can never work (CONFIG); anything else is the host's. */
static int virt_error(struct virt_priv *v, const char *what, struct xv_error *e)
{
	virErrorPtr err = v->api.virGetLastError ? v->api.virGetLastError() : NULL;
	const char *msg = err && err->message ? err->message : "unknown error";
	enum xv_error_code code = XV_E_HOST;

	if (err && (err->code == VIR_ERR_NO_CONNECT || err->code == VIR_ERR_INVALID_ARG ||
		    err->code == VIR_ERR_NO_SUPPORT))
		code = XV_E_CONFIG;
	return xv_error(e, code, "%s: %s", what, msg);
}

static void virt_close(struct xv_source *src)
{
	struct virt_priv *v = src->priv;

	if (!v)
		return;
	if (v->conn)
		v->api.virConnectClose(v->conn);
	if (v->api.lib)
		dlclose(v->api.lib);
	free(v);
	src->priv = NULL;
}

static int virt_open(struct xv_source *src, const char *arg, struct xv_error *e)
{
	struct virt_priv *v;

	if (libvirt_check_syntax(arg, e))
		return -1;
	v = src->priv = xv_calloc(1, sizeof(*v));
	if (load_api(&v->api, e))
		goto fail;
	v->conn = v->api.virConnectOpenReadOnly(arg);
	if (!v->conn) {
		char what[512];
		snprintf(what, sizeof(what), "cannot connect to libvirt at '%s'", arg);
		virt_error(v, what, e);
		goto fail;
	}
	return 0;
fail:
	virt_close(src);
	return -1;
}

/* libvirt's states are one value; ours are Xen's flags. */
static unsigned state_flags(int state)
{
	switch (state) {
	case VIR_DOMAIN_RUNNING:
		return XV_DOM_RUNNING;
	case VIR_DOMAIN_BLOCKED:
		return XV_DOM_BLOCKED;
	case VIR_DOMAIN_PAUSED:
	case VIR_DOMAIN_PMSUSPENDED: /* suspended to RAM: not running either */
		return XV_DOM_PAUSED;
	case VIR_DOMAIN_SHUTDOWN:    /* being shut down */
		return XV_DOM_DYING;
	case VIR_DOMAIN_SHUTOFF:
		return XV_DOM_SHUTDOWN;
	case VIR_DOMAIN_CRASHED:
		return XV_DOM_CRASHED;
	default:                     /* VIR_DOMAIN_NOSTATE */
		return 0;
	}
}

/* A typed parameter's value as an unsigned number; false for other types. */
static bool number(const virTypedParameter *p, uint64_t *out)
{
	switch (p->type) {
	case VIR_TYPED_PARAM_INT:
		if (p->value.i < 0)
			return false;
		*out = (uint64_t)p->value.i;
		return true;
	case VIR_TYPED_PARAM_UINT:
		*out = p->value.ui;
		return true;
	case VIR_TYPED_PARAM_LLONG:
		if (p->value.l < 0)
			return false;
		*out = (uint64_t)p->value.l;
		return true;
	case VIR_TYPED_PARAM_ULLONG:
		*out = p->value.ul;
		return true;
	default:
		return false;
	}
}

/* "vcpu.3.delay" -> true with *rest "delay" when `field` is PREFIX.N.REST. */
static bool indexed(const char *field, const char *prefix, const char **rest)
{
	size_t n = strlen(prefix);
	const char *p = field + n;

	if (strncmp(field, prefix, n) || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p != '.')
		return false;
	*rest = p + 1;
	return true;
}

/* Fills `d` from one domain's statistics. */
static void fill_domain(const virDomainStatsRecord *rec, struct xv_domain *d)
{
	struct xv_domain_detail x;
	struct xv_guest_memory *g = &x.guest;
	bool reported = false;

	xv_domain_detail_clear(&x);
	for (int i = 0; i < rec->nparams; i++) {
		const virTypedParameter *p = &rec->params[i];
		const char *f = p->field, *rest;
		uint64_t v;

		if (!number(p, &v))
			continue;
		if (!strcmp(f, "state.state"))
			d->flags = state_flags((int)v);
		else if (!strcmp(f, "cpu.time"))
			d->cpu_ns = v;
		else if (!strcmp(f, "vcpu.current"))
			d->vcpus = (unsigned)v;
		else if (!strcmp(f, "balloon.current"))
			d->cur_kib = v;
		else if (!strcmp(f, "balloon.maximum"))
			d->max_kib = v;
		else if (!strcmp(f, "balloon.available"))
			g->total_kib = v, reported = true;
		else if (!strcmp(f, "balloon.unused"))
			g->free_kib = v, reported = true;
		else if (!strcmp(f, "balloon.usable"))
			g->available_kib = v, reported = true;
		else if (!strcmp(f, "balloon.disk_caches"))
			g->cached_kib = v, reported = true;
		else if (!strcmp(f, "balloon.swap_in"))
			g->swap_in_kib = v, reported = true;
		else if (!strcmp(f, "balloon.swap_out"))
			g->swap_out_kib = v, reported = true;
		else if (indexed(f, "vcpu.", &rest) && !strcmp(rest, "delay"))
			xv_counter_add(&d->cpu_wait_ns, v);
		else if (indexed(f, "block.", &rest)) {
			if (!strcmp(rest, "rd.bytes"))
				xv_counter_add(&x.io.disk_read_bytes, v);
			else if (!strcmp(rest, "wr.bytes"))
				xv_counter_add(&x.io.disk_write_bytes, v);
			else if (!strcmp(rest, "rd.reqs"))
				xv_counter_add(&x.io.disk_read_ops, v);
			else if (!strcmp(rest, "wr.reqs"))
				xv_counter_add(&x.io.disk_write_ops, v);
		} else if (indexed(f, "net.", &rest)) {
			if (!strcmp(rest, "rx.bytes"))
				xv_counter_add(&x.io.net_rx_bytes, v);
			else if (!strcmp(rest, "tx.bytes"))
				xv_counter_add(&x.io.net_tx_bytes, v);
			else if (!strcmp(rest, "rx.pkts"))
				xv_counter_add(&x.io.net_rx_packets, v);
			else if (!strcmp(rest, "tx.pkts"))
				xv_counter_add(&x.io.net_tx_packets, v);
		}
	}
	if (reported)
		g->report = XV_GUEST_REPORTED;
	/* the guest wrote these: refuse them whole rather than pass on the
	 * impossible (and fail the host's snapshot) */
	if (reported && xv_guest_memory_validate(g))
		xv_guest_memory_clear(g, XV_GUEST_REFUSED);
	xv_domain_detail_set(d, &x);
}

/* Sizes libvirt reports beyond what any host has would fail the whole
 * snapshot check: only the guest's own figures are the guest's fault. */
static int virt_host(struct virt_priv *v, struct xv_snapshot *snap, struct xv_error *e)
{
	struct virt_api *a = &v->api;
	virNodeInfo node;
	unsigned long long free_bytes;
	unsigned long version = 0;
	const char *type;
	char *hostname;

	if (a->virNodeGetInfo(v->conn, &node) < 0)
		return virt_error(v, "cannot read the host's memory and cpus", e);
	hostname = a->virConnectGetHostname(v->conn);
	if (!hostname)
		return virt_error(v, "cannot read the host's name", e);
	snap->host.name = xv_strdup(hostname);
	free(hostname);
	snap->host.total_kib = node.memory;
	snap->host.cpus = node.cpus;
	free_bytes = a->virNodeGetFreeMemory(v->conn);
	if (free_bytes)
		snap->host.free_kib = free_bytes / 1024;
	type = a->virConnectGetType(v->conn);
	if (a->virConnectGetVersion(v->conn, &version) < 0)
		version = 0;
	snap->host.xen_version = xv_asprintf("%s %lu.%lu.%lu", type ? type : "libvirt",
					     version / 1000000, version / 1000 % 1000, version % 1000);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct xv_domain *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int virt_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	struct virt_priv *v = src->priv;
	struct virt_api *a = &v->api;
	virDomainStatsRecordPtr *recs = NULL;
	unsigned groups = VIR_DOMAIN_STATS_STATE | VIR_DOMAIN_STATS_CPU_TOTAL |
			  VIR_DOMAIN_STATS_BALLOON | VIR_DOMAIN_STATS_VCPU |
			  VIR_DOMAIN_STATS_INTERFACE | VIR_DOMAIN_STATS_BLOCK;
	int n;

	if (virt_host(v, snap, e))
		return -1;
	n = a->virConnectGetAllDomainStats(v->conn, groups, &recs,
					   VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE);
	if (n < 0)
		return virt_error(v, "cannot read the domains' statistics", e);
	for (int i = 0; i < n; i++) {
		struct xv_domain *d = xv_snapshot_add_domain(snap);
		const char *name = a->virDomainGetName(recs[i]->dom);
		unsigned id = a->virDomainGetID(recs[i]->dom);
		char uuid[VIR_UUID_STRING_BUFLEN];

		if (!name || !*name)
			name = "(no name)";
		xv_domain_name_set(snap, d, name, strlen(name));
		d->id = id == (unsigned)-1 ? 0 : id;
		if (a->virDomainGetUUIDString(recs[i]->dom, uuid) == 0)
			xv_uuid_normalize(uuid, d->uuid);
		fill_domain(recs[i], d);
		if (d->id == 0 && !strcmp(d->name, "Domain-0"))
			snap->host.dom0_kib = d->cur_kib;
	}
	a->virDomainStatsRecordListFree(recs);
	/* libvirt's order is its hash table's: list by id, as Xen does */
	xv_sort(snap->domains, snap->n_domains, sizeof(*snap->domains), by_id);
	return 0;
}

static int virt_check(const char *arg, struct xv_error *e)
{
	return libvirt_check_syntax(arg, e);
}

const struct xv_source_ops xv_source_libvirt_ops = {
	.scheme = "libvirt",
	.check = virt_check,
	.open = virt_open,
	.snapshot = virt_snapshot,
	.close = virt_close,
};

#else /* !XV_HAVE_LIBVIRT */

static int virt_unavailable(const char *arg, struct xv_error *e)
{
	if (libvirt_check_syntax(arg, e))
		return -1;
	return xv_error(e, XV_E_UNSUPPORTED, "libvirt: support is not compiled in (build xvmon "
			"with libvirt-dev installed)");
}

const struct xv_source_ops xv_source_libvirt_ops = {
	.scheme = "libvirt",
	.check = virt_unavailable,
};

#endif
