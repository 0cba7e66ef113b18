/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_xen.c: the xen: source, the local hypervisor through libxenstat,
 * libxenctrl and xenstore.
 *
 * The Xen libraries are loaded with dlopen() when a xen: source is opened,
 * not linked: a plugin run on sim: (or a dom0 check that fails early) then
 * does not pay the loader cost of a dozen libraries at every start.
 *
 * Where each fact comes from (and the traps):
 *   host total/free, cpus, version   libxenstat node (bytes -> KiB)
 *   scrub / outstanding pages        xc_physinfo (pages -> KiB)
 *   domain state flags, memory held  libxenstat domain (flags, bytes)
 *   uuid                             xc_domain_getinfolist handle
 *   balloon target, configured max   xenstore memory/target, memory/static-max
 *                                    (KiB); NOT xenstat max_mem, which is the
 *                                    hypervisor's page limit (target + 1 MiB)
 *   per-vCPU CPU time                libxenstat vcpus
 *   domain uptime                    xenstore /vm/UUID/start_time, which libxl
 *                                    writes at creation (xl uptime reads it)
 *   hypervisor uptime                dom0's /proc/uptime: dom0 boots with Xen,
 *                                    the closest figure there is
 *   guest memory                     xenstore memory/meminfo and memory/vmstat,
 *                                    as a self-ballooning guest publishes them
 *                                    (xenballoond): the guest writes these, so
 *                                    they are parsed strictly and refused whole
 *                                    when they cannot be true
 *   network counters                 libxenstat networks (the vif as dom0 sees
 *                                    it: its rx is what the guest sent)
 *   disk counters                    sysfs of the block backend
 *                                    (/sys/bus/xen-backend/devices/vbd-D-N/
 *                                    statistics), not libxenstat's VBD collector:
 *                                    it stores rd_sect into the wr_sects field
 *                                    (rd_sects is never set), and fails the
 *                                    whole node when dom0 runs no block backend */
#include "source_impl.h"
#include "buf.h"
#include "file.h"
#include "guest_meminfo.h"
#include "json.h"
#include "num.h"
#include "util.h"
#include "xen_libxl.h"
#include "xl_config.h"

#include <stdlib.h>
#include <string.h>

#ifdef XV_HAVE_XEN

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <xenctrl.h>
#include <xenstat.h>
#include <xenstore.h>

/* The entry points we use, resolved by name from the sonames found at build
 * time (the Makefile reads them from the -dev symlinks). */
#define XEN_SYMBOLS(X)                                                         \
	X(stat, xenstat_init)                                                  \
	X(stat, xenstat_uninit)                                                \
	X(stat, xenstat_get_node)                                              \
	X(stat, xenstat_free_node)                                             \
	X(stat, xenstat_node_num_domains)                                      \
	X(stat, xenstat_node_domain_by_index)                                  \
	X(stat, xenstat_node_tot_mem)                                          \
	X(stat, xenstat_node_free_mem)                                         \
	X(stat, xenstat_node_num_cpus)                                         \
	X(stat, xenstat_node_xen_version)                                      \
	X(stat, xenstat_domain_id)                                             \
	X(stat, xenstat_domain_name)                                           \
	X(stat, xenstat_domain_cpu_ns)                                         \
	X(stat, xenstat_domain_num_vcpus)                                      \
	X(stat, xenstat_domain_cur_mem)                                        \
	X(stat, xenstat_domain_running)                                        \
	X(stat, xenstat_domain_blocked)                                        \
	X(stat, xenstat_domain_paused)                                         \
	X(stat, xenstat_domain_shutdown)                                       \
	X(stat, xenstat_domain_crashed)                                        \
	X(stat, xenstat_domain_dying)                                          \
	X(stat, xenstat_domain_vcpu)                                           \
	X(stat, xenstat_vcpu_ns)                                               \
	X(stat, xenstat_domain_num_networks)                                   \
	X(stat, xenstat_domain_network)                                        \
	X(stat, xenstat_network_rbytes)                                        \
	X(stat, xenstat_network_tbytes)                                        \
	X(stat, xenstat_network_rpackets)                                      \
	X(stat, xenstat_network_tpackets)                                      \
	X(ctrl, xc_interface_open)                                             \
	X(ctrl, xc_interface_close)                                            \
	X(ctrl, xc_physinfo)                                                   \
	X(ctrl, xc_domain_getinfolist)                                         \
	X(store, xs_open)                                                      \
	X(store, xs_close)                                                     \
	X(store, xs_read)

struct xen_api {
	void *stat, *ctrl, *store; /* dlopen handles */
#define DECLARE(lib, name) __typeof__(name) *name;
	XEN_SYMBOLS(DECLARE)
#undef DECLARE
};

struct xen_priv {
	struct xen_api api;
	xenstat_handle *xstat;
	xc_interface *xc;
	struct xs_handle *xs;
#if XV_HAVE_XENLIGHT
	/* libxl, for the actions: loaded and connected by the first one */
	struct xv_libxl lx;
	bool lx_loaded;
	libxl_ctx *ctx;
	struct xv_libxl_logger log;
#endif
};

/* libxenctrl logs to stderr unless given a logger; a plugin's stderr must
 * stay clean, and every failure is reported through our own message. */
static void quiet_vmessage(struct xentoollog_logger *logger, xentoollog_level level,
			   int errnoval, const char *context, const char *format, va_list al)
{
}

static void quiet_progress(struct xentoollog_logger *logger, const char *context,
			   const char *doing_what, int percent, unsigned long done,
			   unsigned long total)
{
}

static void quiet_destroy(struct xentoollog_logger *logger)
{
}

static xentoollog_logger quiet_logger = { quiet_vmessage, quiet_progress, quiet_destroy };

static const char *const privcmd_paths[] = { "/dev/xen/privcmd", "/proc/xen/privcmd" };

/* libxenstat prints with perror() when it cannot reach the hypervisor; check
 * first, ourselves, so the only output is our message. */
static int check_privcmd(struct xv_error *e)
{
	int saved = ENOENT;

	for (size_t i = 0; i < XV_ARRAY_SIZE(privcmd_paths); i++) {
		int fd = open(privcmd_paths[i], O_RDWR | O_CLOEXEC);
		if (fd >= 0) {
			close(fd);
			return 0;
		}
		if (errno != ENOENT)
			saved = errno;
	}
	if (saved == ENOENT)
		return xv_error(e, XV_E_CONFIG, "cannot open the Xen hypervisor interface: "
				      "/dev/xen/privcmd does not exist (is this a Xen dom0, "
				      "and are you root?)");
	return xv_error(e, XV_E_CONFIG, "cannot open the Xen hypervisor interface: /dev/xen/privcmd: "
			      "%s (is this a Xen dom0, and are you root?)", strerror(saved));
}

static int load_api(struct xen_api *api, struct xv_error *e)
{
	static const struct {
		const char *soname;
		size_t offset;
	} libs[] = {
		{ XV_SONAME_XENSTAT, offsetof(struct xen_api, stat) },
		{ XV_SONAME_XENCTRL, offsetof(struct xen_api, ctrl) },
		{ XV_SONAME_XENSTORE, offsetof(struct xen_api, store) },
	};

	for (size_t i = 0; i < XV_ARRAY_SIZE(libs); i++) {
		void **h = (void **)((char *)api + libs[i].offset);
		*h = dlopen(libs[i].soname, RTLD_NOW | RTLD_LOCAL);
		if (!*h)
			return xv_error(e, XV_E_UNSUPPORTED, "cannot load the Xen library %s: %s (install "
					      "Debian's xen-utils or libxen packages)",
					      libs[i].soname, dlerror());
	}
#define RESOLVE(lib, name)                                                            \
	api->name = (__typeof__(name) *)dlsym(api->lib, #name);                        \
	if (!api->name)                                                                \
		return xv_error(e, XV_E_UNSUPPORTED, "the Xen library lacks %s: %s", #name,    \
				dlerror());
	XEN_SYMBOLS(RESOLVE)
#undef RESOLVE
	return 0;
}

static void unload_api(struct xen_api *api)
{
	if (api->stat)
		dlclose(api->stat);
	if (api->ctrl)
		dlclose(api->ctrl);
	if (api->store)
		dlclose(api->store);
}

static void xen_close(struct xv_source *src)
{
	struct xen_priv *x = src->priv;

	if (!x)
		return;
	if (x->xstat)
		x->api.xenstat_uninit(x->xstat);
	if (x->xs)
		x->api.xs_close(x->xs);
	if (x->xc)
		x->api.xc_interface_close(x->xc);
#if XV_HAVE_XENLIGHT
	if (x->ctx)
		x->lx.libxl_ctx_free(x->ctx);
	if (x->lx_loaded)
		xv_libxl_unload(&x->lx);
#endif
	unload_api(&x->api);
	free(x);
	src->priv = NULL;
}

static int xen_check(const char *arg, struct xv_error *e)
{
	if (*arg)
		return xv_error(e, XV_E_CONFIG, "xen: takes no argument (got 'xen:%s'); it reads the "
				"local hypervisor", arg);
	return 0;
}

static int xen_open(struct xv_source *src, const char *arg, struct xv_error *e)
{
	struct xen_priv *x;

	if (xen_check(arg, e) || check_privcmd(e))
		return -1;
	x = src->priv = xv_calloc(1, sizeof(*x));
	if (load_api(&x->api, e))
		goto fail;
	/* Open our own handles first, quietly: if they work, libxenstat's own
	 * (opened with default, noisy loggers) will too. */
	x->xc = x->api.xc_interface_open(&quiet_logger, &quiet_logger, 0);
	if (!x->xc) {
		xv_error(e, XV_E_CONFIG, "cannot open the Xen hypervisor interface: %s (is this a "
			 "Xen dom0, and are you root?)", strerror(errno));
		goto fail;
	}
	x->xs = x->api.xs_open(0);
	if (!x->xs) {
		xv_error(e, XV_E_HOST, "cannot connect to xenstore: %s (is xenstored running?)",
			 strerror(errno));
		goto fail;
	}
	x->xstat = x->api.xenstat_init();
	if (!x->xstat) {
		xv_error(e, XV_E_HOST, "libxenstat cannot start: %s", strerror(errno));
		goto fail;
	}
	return 0;
fail:
	xen_close(src);
	return -1;
}

/* Reads a KiB value from xenstore; XV_KIB_UNKNOWN if absent or garbled. */
static uint64_t read_kib(struct xen_priv *x, unsigned domid, const char *leaf)
{
	char path[64];
	unsigned int len = 0;
	char *val, *end;
	unsigned long long kib;
	uint64_t out = XV_KIB_UNKNOWN;

	snprintf(path, sizeof(path), "/local/domain/%u/memory/%s", domid, leaf);
	val = x->api.xs_read(x->xs, XBT_NULL, path, &len);
	if (!val)
		return out;
	errno = 0;
	kib = strtoull(val, &end, 10);
	if (!errno && end != val && *end == '\0')
		out = kib;
	free(val);
	return out;
}

/* Milliseconds since the domain was created, from the start time (seconds
 * since the epoch, with a fraction) libxl keeps under the domain's /vm path. */
static uint64_t read_uptime_ms(struct xen_priv *x, unsigned domid, double now_s)
{
	char path[64], *vm, *start, *at;
	unsigned int len = 0;
	double t;
	uint64_t out = XV_UPTIME_UNKNOWN;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	vm = x->api.xs_read(x->xs, XBT_NULL, path, &len);
	if (!vm)
		return out;
	at = xv_asprintf("%s/start_time", vm);
	start = x->api.xs_read(x->xs, XBT_NULL, at, &len);
	if (start && xv_parse_double(start, &t) == XV_NUM_OK && t > 0 && t <= now_s)
		out = (uint64_t)((now_s - t) * 1000);
	free(start);
	free(at);
	free(vm);
	return out;
}

/* dom0's uptime in ms from /proc/uptime ("12345.67 54321.00"). */
static uint64_t host_uptime_ms(void)
{
	struct xv_buf b = XV_BUF_INIT;
	struct xv_error e;
	double s;
	uint64_t out = XV_UPTIME_UNKNOWN;

	if (xv_file_read("/proc/uptime", 4096, 1, &b, &e) == 0) {
		b.data[strcspn(b.data, " \n")] = '\0';
		if (xv_parse_double(b.data, &s) == XV_NUM_OK && s >= 0)
			out = (uint64_t)(s * 1000);
	}
	xv_buf_release(&b);
	return out;
}

/* The guest's published memory/meminfo and memory/vmstat.  Nothing
 * published: no report; anything that is not a meminfo, or figures that
 * cannot be true: refused (the guest wrote them; the host's snapshot must
 * not fail because of one guest). */
static void read_guest_memory(struct xen_priv *x, struct xv_domain *d)
{
	char path[64];
	unsigned int len = 0;
	char *val;
	const char *why;
	struct xv_guest_memory *g;

	snprintf(path, sizeof(path), "/local/domain/%u/memory/meminfo", d->id);
	val = x->api.xs_read(x->xs, XBT_NULL, path, &len);
	if (!val)
		return;
	g = &xv_domain_detail(d)->guest;
	if (xv_meminfo_parse(val, len, g, &why)) {
		xv_guest_memory_clear(g, XV_GUEST_REFUSED);
		free(val);
		return;
	}
	free(val);
	snprintf(path, sizeof(path), "/local/domain/%u/memory/vmstat", d->id);
	val = x->api.xs_read(x->xs, XBT_NULL, path, &len);
	if (val && xv_vmstat_parse(val, len, g, &why))
		xv_guest_memory_clear(g, XV_GUEST_REFUSED);
	free(val);
	if (xv_guest_memory_validate(g))
		xv_guest_memory_clear(g, XV_GUEST_REFUSED);
}

static void read_networks(struct xen_api *a, xenstat_domain *xd, struct xv_domain *d)
{
	unsigned n = a->xenstat_domain_num_networks(xd);

	for (unsigned i = 0; i < n; i++) {
		xenstat_network *net = a->xenstat_domain_network(xd, i);
		if (!net)
			continue;
		struct xv_domain_io *io = &xv_domain_detail(d)->io;
		/* dom0's vif receives what the guest sends */
		xv_counter_add(&io->net_tx_bytes, a->xenstat_network_rbytes(net));
		xv_counter_add(&io->net_rx_bytes, a->xenstat_network_tbytes(net));
		xv_counter_add(&io->net_tx_packets, a->xenstat_network_rpackets(net));
		xv_counter_add(&io->net_rx_packets, a->xenstat_network_tpackets(net));
	}
}

#define VBD_DIR "/sys/bus/xen-backend/devices"

/* One statistics file of a block backend: a decimal number and a newline. */
static bool read_stat(const char *dev, const char *leaf, uint64_t *out)
{
	char path[320], buf[32], *end;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), VBD_DIR "/%s/statistics/%s", dev, leaf);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	errno = 0;
	*out = strtoull(buf, &end, 10);
	return !errno && end != buf && (*end == '\n' || *end == '\0');
}

/* Disk counters of every domain, from the block backends' sysfs entries
 * (vbd-DOMID-DEV).  No backend directory: no counters (a dom0 without
 * blkback, or guests without disks). */
static void read_vbds(struct xv_snapshot *snap)
{
	DIR *dir = opendir(VBD_DIR);
	struct dirent *de;

	if (!dir)
		return;
	while ((de = readdir(dir))) {
		unsigned domid, dev;
		char tail;
		uint64_t rd_req, wr_req, rd_sect, wr_sect;
		struct xv_domain *d;

		if (sscanf(de->d_name, "vbd-%u-%u%c", &domid, &dev, &tail) != 2)
			continue;
		d = (struct xv_domain *)xv_snapshot_find_id(snap, domid);
		if (!d || !read_stat(de->d_name, "rd_req", &rd_req) ||
		    !read_stat(de->d_name, "wr_req", &wr_req) ||
		    !read_stat(de->d_name, "rd_sect", &rd_sect) ||
		    !read_stat(de->d_name, "wr_sect", &wr_sect))
			continue;
		struct xv_domain_io *io = &xv_domain_detail(d)->io;
		xv_counter_add(&io->disk_read_ops, rd_req);
		xv_counter_add(&io->disk_write_ops, wr_req);
		xv_counter_add(&io->disk_read_bytes, rd_sect * 512);
		xv_counter_add(&io->disk_write_bytes, wr_sect * 512);
	}
	closedir(dir);
}

/* libxenstat's collectors print to stderr (a vif whose domain just went
 * away, an unreadable /proc file); a plugin's stderr must stay empty. */
static xenstat_node *get_node_quietly(struct xen_api *a, xenstat_handle *h, unsigned flags)
{
	xenstat_node *node;
	int saved_errno, null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	int saved = null_fd >= 0 ? fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3) : -1;

	fflush(stderr);
	if (saved >= 0)
		dup2(null_fd, STDERR_FILENO);
	node = a->xenstat_get_node(h, flags);
	saved_errno = errno;
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	if (null_fd >= 0)
		close(null_fd);
	errno = saved_errno;
	return node;
}

/* Domain uuids, which libxenstat does not carry, by domain id. */
static int fill_uuids(struct xen_priv *x, struct xv_snapshot *snap, struct xv_error *e)
{
	xc_domaininfo_t info[256];
	uint32_t first = 0;
	int n;

	do {
		n = x->api.xc_domain_getinfolist(x->xc, first, XV_ARRAY_SIZE(info), info);
		if (n < 0)
			return xv_error(e, XV_E_HOST, "cannot list domains: %s", strerror(errno));
		for (int i = 0; i < n; i++) {
			struct xv_domain *d = (struct xv_domain *)xv_snapshot_find_id(snap, info[i].domain);
			if (d)
				xv_uuid_format(info[i].handle, d->uuid);
			first = info[i].domain + 1;
		}
	} while (n == (int)XV_ARRAY_SIZE(info));
	return 0;
}

static int xen_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	struct xen_api *a = &x->api;
	xenstat_node *node;
	xc_physinfo_t phys = { 0 };
	struct utsname uts;
	unsigned n;
	const char *version;
	struct timespec now;
	int rc = -1;

	/* without network counters rather than without a snapshot */
	node = get_node_quietly(a, x->xstat, XENSTAT_XEN_VERSION | XENSTAT_VCPU | XENSTAT_NETWORK);
	if (!node)
		node = get_node_quietly(a, x->xstat, XENSTAT_XEN_VERSION | XENSTAT_VCPU);
	if (!node)
		return xv_error(e, XV_E_HOST, "cannot read the hypervisor's state: %s",
				strerror(errno));

	snap->host.name = xv_strdup(uname(&uts) == 0 ? uts.nodename : "localhost");
	version = a->xenstat_node_xen_version(node);
	snap->host.xen_version = xv_strdup(version && *version ? version : "unknown");
	snap->host.total_kib = a->xenstat_node_tot_mem(node) / 1024;
	snap->host.free_kib = a->xenstat_node_free_mem(node) / 1024;
	snap->host.cpus = a->xenstat_node_num_cpus(node);
	if (a->xc_physinfo(x->xc, &phys) == 0) {
		snap->host.scrub_kib = (uint64_t)phys.scrub_pages * (XC_PAGE_SIZE / 1024);
		snap->host.outstanding_kib = (uint64_t)phys.outstanding_pages * (XC_PAGE_SIZE / 1024);
	}

	snap->host.uptime_ms = host_uptime_ms();
	clock_gettime(CLOCK_REALTIME, &now);

	n = a->xenstat_node_num_domains(node);
	for (unsigned i = 0; i < n; i++) {
		xenstat_domain *xd = a->xenstat_node_domain_by_index(node, i);
		struct xv_domain *d;
		const char *name;
		char unnamed[32];

		if (!xd)
			continue;
		d = xv_snapshot_add_domain(snap);
		d->id = a->xenstat_domain_id(xd);
		name = a->xenstat_domain_name(xd);
		/* a dying domain may have lost its xenstore name already */
		if (!name || !*name) {
			snprintf(unnamed, sizeof(unnamed), "(domain %u)", d->id);
			name = unnamed;
		}
		xv_domain_name_set(snap, d, name, strlen(name));
		d->flags = (a->xenstat_domain_running(xd) ? XV_DOM_RUNNING : 0) |
			   (a->xenstat_domain_blocked(xd) ? XV_DOM_BLOCKED : 0) |
			   (a->xenstat_domain_paused(xd) ? XV_DOM_PAUSED : 0) |
			   (a->xenstat_domain_shutdown(xd) ? XV_DOM_SHUTDOWN : 0) |
			   (a->xenstat_domain_crashed(xd) ? XV_DOM_CRASHED : 0) |
			   (a->xenstat_domain_dying(xd) ? XV_DOM_DYING : 0);
		d->cur_kib = a->xenstat_domain_cur_mem(xd) / 1024;
		d->vcpus = a->xenstat_domain_num_vcpus(xd);
		d->cpu_ns = a->xenstat_domain_cpu_ns(xd);
		d->target_kib = read_kib(x, d->id, "target");
		d->max_kib = read_kib(x, d->id, "static-max");
		if (d->vcpus && d->vcpus <= XV_MAX_VCPUS) {
			d->vcpu_ns = xv_calloc(d->vcpus, sizeof(*d->vcpu_ns));
			for (unsigned k = 0; k < d->vcpus; k++) {
				xenstat_vcpu *v = a->xenstat_domain_vcpu(xd, k);
				d->vcpu_ns[k] = v ? a->xenstat_vcpu_ns(v) : 0;
			}
		}
		read_guest_memory(x, d);
		read_networks(a, xd, d);
		if (d->id == 0) {
			snap->host.dom0_kib = d->cur_kib;
			d->uptime_ms = snap->host.uptime_ms;
		} else {
			d->uptime_ms = read_uptime_ms(x, d->id,
						      (double)now.tv_sec + now.tv_nsec / 1e9);
		}
	}
	if (fill_uuids(x, snap, e))
		goto out;
	read_vbds(snap);
	rc = 0;
out:
	a->xenstat_free_node(node);
	return rc;
}


#if XV_HAVE_XENLIGHT
/* --- actions, through libxl as xl does them -------------------------------- */

/* libxl's context, made by the first action (a snapshot never pays for it). */
static int xl_ready(struct xen_priv *x, struct xv_error *e)
{
	int rc;

	if (x->ctx)
		return 0;
	if (!x->lx_loaded) {
		if (xv_libxl_load(&x->lx, e)) {
			xv_libxl_unload(&x->lx);
			return -1;
		}
		x->lx_loaded = true;
	}
	xv_libxl_logger_init(&x->log);
	rc = x->lx.libxl_ctx_alloc(&x->ctx, LIBXL_VERSION, 0, &x->log.base);
	if (rc) {
		x->ctx = NULL;
		return xv_error(e, XV_E_HOST, "libxl cannot start (error %d)%s%s", rc,
				*x->log.last ? ": " : "", x->log.last);
	}
	return 0;
}

/* What libxl said about its last failure, or its error number. */
static const char *xl_why(struct xen_priv *x, int rc, char *buf, size_t size)
{
	if (*x->log.last)
		snprintf(buf, size, "%s", x->log.last);
	else
		snprintf(buf, size, "libxl error %d", rc);
	x->log.last[0] = '\0';
	return buf;
}

static int xl_domid(struct xen_priv *x, const char *name, uint32_t *domid, struct xv_error *e)
{
	struct utsname uts;

	if (xl_ready(x, e))
		return -1;
	x->log.last[0] = '\0';
	if (x->lx.libxl_name_to_domid(x->ctx, name, domid) || *domid == 0)
		return xv_error(e, XV_E_DATA, "no domain '%s' on %s", name,
				uname(&uts) == 0 ? uts.nodename : "this host");
	return 0;
}

static int xl_failed(struct xen_priv *x, int rc, const char *what, const char *name,
		     struct xv_error *e)
{
	char why[440];

	if (rc == ERROR_DOMAIN_NOTFOUND)
		return xv_error(e, XV_E_DATA, "cannot %s '%s': it no longer exists", what, name);
	return xv_error(e, XV_E_HOST, "cannot %s '%s': %s", what, name, xl_why(x, rc, why,
									     sizeof(why)));
}

static int xen_shutdown(struct xv_source *src, const char *name, struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	uint32_t domid;
	int rc;

	if (xl_domid(x, name, &domid, e))
		return -1;
	rc = x->lx.libxl_domain_shutdown(x->ctx, domid, NULL);
	/* an HVM guest without PV drivers: the ACPI power button, as xl does */
	if (rc == ERROR_NOPARAVIRT)
		rc = x->lx.libxl_send_trigger(x->ctx, domid, LIBXL_TRIGGER_POWER, 0, NULL);
	return rc ? xl_failed(x, rc, "shut down", name, e) : 0;
}

/* A domain that shut down stays until its toolstack acts on it: xl leaves a
 * process per domain that applies on_poweroff/on_reboot/on_crash.  Domains
 * created through libxl directly (xvm-create) have none, so when the action
 * for the reason it shut down is "destroy", we apply it as xl would. */
static int xen_settle(struct xv_source *src, const char *name, bool *gone, struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	libxl_dominfo info;
	libxl_domain_config dc;
	libxl_action_on_shutdown action;
	uint32_t domid;
	int rc = 0;

	*gone = false;
	if (xl_ready(x, e))
		return -1;
	/* gone meanwhile: xl's own process for it was quicker */
	if (x->lx.libxl_name_to_domid(x->ctx, name, &domid)) {
		*gone = true;
		return 0;
	}
	x->lx.libxl_dominfo_init(&info);
	x->lx.libxl_domain_config_init(&dc);
	rc = x->lx.libxl_domain_info(x->ctx, &info, domid);
	if (rc || !info.shutdown) {
		*gone = rc == ERROR_DOMAIN_NOTFOUND;
		rc = 0;
		goto out;
	}
	/* no stored configuration: not a libxl domain (XAPI's), not ours to settle */
	if (x->lx.libxl_retrieve_domain_configuration(x->ctx, domid, &dc, NULL))
		goto out;
	switch (info.shutdown_reason) {
	case LIBXL_SHUTDOWN_REASON_POWEROFF:
		action = dc.on_poweroff;
		break;
	case LIBXL_SHUTDOWN_REASON_CRASH:
		action = dc.on_crash;
		break;
	case LIBXL_SHUTDOWN_REASON_WATCHDOG:
		action = dc.on_watchdog;
		break;
	default:
		goto out;
	}
	if (action != LIBXL_ACTION_ON_SHUTDOWN_DESTROY)
		goto out;
	rc = x->lx.libxl_domain_destroy(x->ctx, domid, NULL);
	if (rc == ERROR_DOMAIN_NOTFOUND || rc == 0) {
		*gone = true; /* by us, or by xl's own process first */
		rc = 0;
	} else {
		rc = xl_failed(x, rc, "destroy the shut down domain", name, e);
	}
out:
	x->lx.libxl_domain_config_dispose(&dc);
	x->lx.libxl_dominfo_dispose(&info);
	return rc;
}

static int xen_destroy(struct xv_source *src, const char *name, struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	uint32_t domid;
	int rc;

	if (xl_domid(x, name, &domid, e))
		return -1;
	rc = x->lx.libxl_domain_destroy(x->ctx, domid, NULL);
	return rc ? xl_failed(x, rc, "destroy", name, e) : 0;
}

static int xen_pause(struct xv_source *src, const char *name, bool pause, struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	uint32_t domid;
	int rc;

	if (xl_domid(x, name, &domid, e))
		return -1;
	rc = pause ? x->lx.libxl_domain_pause(x->ctx, domid, NULL)
		   : x->lx.libxl_domain_unpause(x->ctx, domid, NULL);
	return rc ? xl_failed(x, rc, pause ? "pause" : "unpause", name, e) : 0;
}

static int xen_create(struct xv_source *src, const char *config, struct xv_created *out,
		      struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	struct xv_buf text = XV_BUF_INIT;
	struct xv_xl_config keys = { 0 };
	libxl_domain_config dc;
	libxl_device_nic *nics = NULL;
	uint32_t domid = INVALID_DOMID, existing;
	int n = 0, rc = -1, xrc;
	bool built = false;

	if (xl_ready(x, e))
		return -1;
	if (xv_file_read(config, 1024 * 1024, 1, &text, e) ||
	    xv_xl_config_parse(config, text.data, text.len, &keys, e))
		goto out;
	built = true;
	if (xv_libxl_config_build(&x->lx, config, text.data, text.len, &keys, &dc, e))
		goto out;
	if (!x->lx.libxl_name_to_domid(x->ctx, dc.c_info.name, &existing)) {
		xv_error(e, XV_E_DATA, "a domain '%s' already exists (domain %u)", dc.c_info.name,
			 existing);
		goto out;
	}
	x->log.last[0] = '\0';
	/* libxl leaves the new domain paused, as the interface wants it */
	xrc = x->lx.libxl_domain_create_new(x->ctx, &dc, &domid, NULL, NULL);
	if (xrc) {
		char why[440];
		xv_error(e, XV_E_HOST, "cannot create '%s' from %s: %s", dc.c_info.name, config,
			 xl_why(x, xrc, why, sizeof(why)));
		goto out;
	}
	out->name = xv_strdup(dc.c_info.name);
	out->id = domid;
	/* the MACs libxl generated, as the backends now hold them */
	nics = x->lx.libxl_device_nic_list(x->ctx, domid, &n);
	if (n != dc.num_nics || (n && !nics)) {
		xv_error(e, XV_E_HOST, "'%s' was created (domain %u, paused) but libxl lists %d of "
			 "its %d network interfaces", dc.c_info.name, domid, n, dc.num_nics);
		goto out;
	}
	out->macs = xv_calloc((size_t)n + 1, sizeof(*out->macs));
	for (int i = 0; i < n; i++) {
		const uint8_t *m = nics[i].mac;
		out->macs[out->n_macs++] = xv_asprintf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
						       m[2], m[3], m[4], m[5]);
	}
	rc = 0;
out:
	if (nics)
		x->lx.libxl_device_nic_list_free(nics, n);
	if (built)
		x->lx.libxl_domain_config_dispose(&dc);
	xv_xl_config_release(&keys);
	xv_buf_release(&text);
	return rc;
}

/* A graphical console (an HVM guest's VNC server, as xenstore publishes it)
 * is an endpoint; otherwise the text console, `xl console DOMID`: the domain
 * id, never the name, reaches the command. */
static int xen_console(struct xv_source *src, const char *name, struct xv_console *out,
		       struct xv_error *e)
{
	struct xen_priv *x = src->priv;
	char path[80], *port, *listen;
	unsigned int len;
	uint32_t domid;
	uint64_t p;

	if (xl_domid(x, name, &domid, e))
		return -1;
	snprintf(path, sizeof(path), "/local/domain/%u/console/vnc-port", domid);
	port = x->api.xs_read(x->xs, XBT_NULL, path, &len);
	if (port && !xv_parse_u64(port, 1, 65535, &p)) {
		snprintf(path, sizeof(path), "/local/domain/%u/console/vnc-listen", domid);
		listen = x->api.xs_read(x->xs, XBT_NULL, path, &len);
		/* a server on every address is reached here on loopback */
		bool any = !listen || !*listen || !strcmp(listen, "0.0.0.0") || !strcmp(listen, "::");
		out->endpoint = strchr(any ? "" : listen, ':')
					? xv_asprintf("vnc://[%s]:%u", listen, (unsigned)p)
					: xv_asprintf("vnc://%s:%u", any ? "127.0.0.1" : listen,
						      (unsigned)p);
		free(listen);
	} else {
		out->argv = xv_calloc(4, sizeof(*out->argv));
		out->argv[0] = xv_strdup("xl");
		out->argv[1] = xv_strdup("console");
		out->argv[2] = xv_asprintf("%u", domid);
	}
	free(port);
	return 0;
}

/* Every domain's configuration as libxl stores it (what xl list -l prints),
 * as one JSON object by name: enough to recreate them. */
static int xen_export(struct xv_source *src, struct xv_export *exp, struct xv_error *e)
{
	struct xv_buf *out = &exp->data;
	struct xen_priv *x = src->priv;
	libxl_dominfo *doms;
	int n = 0;
	size_t written = 0;

	if (xl_ready(x, e))
		return -1;
	doms = x->lx.libxl_list_domain(x->ctx, &n);
	if (!doms)
		return xv_error(e, XV_E_HOST, "cannot list the domains through libxl");
	xv_buf_add(out, "{\n", 2);
	for (int i = 0; i < n; i++) {
		libxl_domain_config dc;
		char *json;

		if (doms[i].domid == 0)
			continue;
		x->lx.libxl_domain_config_init(&dc);
		/* a domain libxl did not create has no stored configuration */
		if (!x->lx.libxl_retrieve_domain_configuration(x->ctx, doms[i].domid, &dc, NULL) &&
		    dc.c_info.name && (json = x->lx.libxl_domain_config_to_json(x->ctx, &dc))) {
			xv_buf_adds(out, written++ ? ",\n" : "");
			xv_json_add_quoted(out, dc.c_info.name);
			xv_buf_addf(out, ": %s", json);
			free(json);
		}
		x->lx.libxl_domain_config_dispose(&dc);
	}
	xv_buf_add(out, "\n}\n", 3);
	x->lx.libxl_dominfo_list_free(doms, n);
	exp->file_name = xv_strdup("xl-domains.json");
	return 0;
}
#endif /* XV_HAVE_XENLIGHT */

const struct xv_source_ops xv_source_xen_ops = {
	.scheme = "xen",
	.check = xen_check,
	.open = xen_open,
	.snapshot = xen_snapshot,
	.close = xen_close,
#if XV_HAVE_XENLIGHT
	.shutdown = xen_shutdown,
	.settle = xen_settle,
	.destroy = xen_destroy,
	.pause = xen_pause,
	.create = xen_create,
	.console = xen_console,
	.export_config = xen_export,
#endif
};

#else /* !XV_HAVE_XEN */

/* Refused when the URI is checked, so an inventory naming xen: hosts fails
 * to load on a build that cannot read them. */
static int xen_unavailable(const char *arg, struct xv_error *e)
{
	return xv_error(e, XV_E_UNSUPPORTED, "xen: support is not compiled in (build xvmon "
			"with libxen-dev installed)");
}

const struct xv_source_ops xv_source_xen_ops = {
	.scheme = "xen",
	.check = xen_unavailable,
};

#endif
