/* SPDX-License-Identifier: GPL-3.0-or-later */
/* metrics.c: the Prometheus text format, one family at a time. */
#include "metrics.h"
#include "text.h"
#include "util.h"

#include <string.h>

/* A sample's value, kept as the integer it is computed from. */
enum value_kind {
	V_INT,        /* a whole number */
	V_NS_SECONDS, /* nanoseconds, printed as seconds with 9 decimals */
	V_MILLI,      /* thousandths, printed with 3 decimals */
};

struct value {
	enum value_kind kind;
	uint64_t v;
};

static bool known_kib(uint64_t kib, struct value *out)
{
	if (kib == XV_KIB_UNKNOWN)
		return false;
	*out = (struct value){ V_INT, kib * 1024 }; /* at most 2^50 */
	return true;
}

static bool known_counter(uint64_t c, struct value *out)
{
	if (c == XV_COUNTER_UNKNOWN)
		return false;
	*out = (struct value){ V_INT, c };
	return true;
}

static bool kib_counter(uint64_t kib, struct value *out)
{
	if (kib == XV_COUNTER_UNKNOWN)
		return false;
	*out = (struct value){ V_INT, kib * 1024 }; /* at most 2^63 (XV_KIB_COUNTER_MAX) */
	return true;
}

static bool ns_counter(uint64_t ns, struct value *out)
{
	if (ns == XV_COUNTER_UNKNOWN)
		return false;
	*out = (struct value){ V_NS_SECONDS, ns };
	return true;
}

/* --- host families ------------------------------------------------------- */

#define HOST_FN(fn, expr)                                                                     \
	static bool fn(const struct xv_snapshot *s, struct value *out)                        \
	{                                                                                     \
		return expr;                                                                  \
	}
HOST_FN(host_total, known_kib(s->host.total_kib, out))
HOST_FN(host_free, known_kib(s->host.free_kib, out))
HOST_FN(host_dom0, known_kib(s->host.dom0_kib, out))
HOST_FN(host_scrub, known_kib(s->host.scrub_kib, out))
HOST_FN(host_outstanding, known_kib(s->host.outstanding_kib, out))
HOST_FN(host_ballooned, known_kib(xv_snapshot_ballooned_kib(s), out))
HOST_FN(host_cpus, s->host.cpus && (*out = (struct value){ V_INT, s->host.cpus }, true))
HOST_FN(host_overcommit, s->host.total_kib != XV_KIB_UNKNOWN && s->host.total_kib &&
	(*out = (struct value){ V_MILLI, xv_snapshot_overcommit_milli(s) }, true))
HOST_FN(host_vcpu_overcommit, s->host.cpus &&
	(*out = (struct value){ V_MILLI, xv_snapshot_vcpu_overcommit_milli(s) }, true))

static bool host_vcpus(const struct xv_snapshot *s, struct value *out)
{
	uint64_t n = 0;

	for (size_t i = 0; i < s->n_domains; i++)
		if (s->domains[i].id != 0)
			n += s->domains[i].vcpus;
	*out = (struct value){ V_INT, n };
	return true;
}

static const struct host_family {
	const char *name, *type, *help;
	bool (*get)(const struct xv_snapshot *s, struct value *out);
} host_families[] = {
	{ "xvmon_host_memory_total_bytes", "gauge", "Physical memory of the host.", host_total },
	{ "xvmon_host_memory_free_bytes", "gauge", "Memory free in the hypervisor.", host_free },
	{ "xvmon_host_dom0_memory_bytes", "gauge", "Memory held by domain 0.", host_dom0 },
	{ "xvmon_host_memory_scrub_bytes", "gauge", "Freed memory not yet scrubbed.", host_scrub },
	{ "xvmon_host_memory_outstanding_bytes", "gauge",
	  "Memory claimed for domains being built.", host_outstanding },
	{ "xvmon_host_memory_ballooned_bytes", "gauge",
	  "The guests' configured maximum less what they hold.", host_ballooned },
	{ "xvmon_host_memory_overcommit_ratio", "gauge",
	  "The guests' configured maximum over physical memory.", host_overcommit },
	{ "xvmon_host_cpus", "gauge", "Physical CPUs of the host.", host_cpus },
	{ "xvmon_host_vcpus", "gauge", "vCPUs of the guests (dom0 not counted).", host_vcpus },
	{ "xvmon_host_vcpu_overcommit_ratio", "gauge",
	  "Guest vCPUs over physical CPUs.", host_vcpu_overcommit },
};

/* --- VM families ----------------------------------------------------------- */

#define VM_FN(fn, expr)                                                                       \
	static bool fn(const struct xv_domain *d, struct value *out)                          \
	{                                                                                     \
		return expr;                                                                  \
	}
VM_FN(vm_up, (*out = (struct value){ V_INT, xv_domain_is_up(d) }, true))
VM_FN(vm_memory, known_kib(d->cur_kib, out))
VM_FN(vm_target, known_kib(d->target_kib, out))
VM_FN(vm_max, known_kib(d->max_kib, out))
VM_FN(vm_vcpus, (*out = (struct value){ V_INT, d->vcpus }, true))
VM_FN(vm_cpu, ns_counter(d->cpu_ns, out))
VM_FN(vm_cpu_wait, ns_counter(d->cpu_wait_ns, out))
VM_FN(vm_guest_reported, (*out = (struct value){ V_INT, xv_domain_guest(d)->report == XV_GUEST_REPORTED }, true))
VM_FN(vm_guest_total, known_kib(xv_domain_guest(d)->total_kib, out))
VM_FN(vm_guest_free, known_kib(xv_domain_guest(d)->free_kib, out))
VM_FN(vm_guest_available, known_kib(xv_domain_guest(d)->available_kib, out))
VM_FN(vm_guest_cached, known_kib(xv_domain_guest(d)->cached_kib, out))
VM_FN(vm_guest_used, known_kib(xv_guest_used_kib(xv_domain_guest(d)), out))
VM_FN(vm_guest_committed, known_kib(xv_domain_guest(d)->committed_kib, out))
VM_FN(vm_guest_swap_total, known_kib(xv_domain_guest(d)->swap_total_kib, out))
VM_FN(vm_guest_swap_used, known_kib(xv_domain_guest(d)->swap_used_kib, out))
VM_FN(vm_guest_swap_in, kib_counter(xv_domain_guest(d)->swap_in_kib, out))
VM_FN(vm_guest_swap_out, kib_counter(xv_domain_guest(d)->swap_out_kib, out))
VM_FN(vm_disk_read, known_counter(xv_domain_io(d)->disk_read_bytes, out))
VM_FN(vm_disk_write, known_counter(xv_domain_io(d)->disk_write_bytes, out))
VM_FN(vm_disk_reads, known_counter(xv_domain_io(d)->disk_read_ops, out))
VM_FN(vm_disk_writes, known_counter(xv_domain_io(d)->disk_write_ops, out))
VM_FN(vm_net_rx, known_counter(xv_domain_io(d)->net_rx_bytes, out))
VM_FN(vm_net_tx, known_counter(xv_domain_io(d)->net_tx_bytes, out))
VM_FN(vm_net_rx_packets, known_counter(xv_domain_io(d)->net_rx_packets, out))
VM_FN(vm_net_tx_packets, known_counter(xv_domain_io(d)->net_tx_packets, out))

static const struct vm_family {
	const char *name, *type, *help;
	bool (*get)(const struct xv_domain *d, struct value *out);
} vm_families[] = {
	{ "xvmon_vm_up", "gauge", "1 when the domain runs or is blocked (idle).", vm_up },
	{ "xvmon_vm_memory_bytes", "gauge", "Memory the domain holds.", vm_memory },
	{ "xvmon_vm_memory_target_bytes", "gauge", "The domain's balloon target.", vm_target },
	{ "xvmon_vm_memory_max_bytes", "gauge", "The domain's configured maximum.", vm_max },
	{ "xvmon_vm_vcpus", "gauge", "vCPUs of the domain.", vm_vcpus },
	{ "xvmon_vm_cpu_seconds_total", "counter", "CPU time the domain used.", vm_cpu },
	{ "xvmon_vm_cpu_wait_seconds_total", "counter",
	  "Time the domain's vCPUs were runnable but waited for a physical CPU.", vm_cpu_wait },
	{ "xvmon_vm_guest_memory_reported", "gauge",
	  "1 when the guest publishes its memory figures (and they could be true).",
	  vm_guest_reported },
	{ "xvmon_vm_guest_memory_total_bytes", "gauge", "MemTotal as the guest sees it.",
	  vm_guest_total },
	{ "xvmon_vm_guest_memory_free_bytes", "gauge", "MemFree in the guest.", vm_guest_free },
	{ "xvmon_vm_guest_memory_available_bytes", "gauge", "MemAvailable in the guest.",
	  vm_guest_available },
	{ "xvmon_vm_guest_memory_cached_bytes", "gauge", "Buffers and page cache in the guest.",
	  vm_guest_cached },
	{ "xvmon_vm_guest_memory_used_bytes", "gauge",
	  "Memory the guest uses: MemTotal less free, buffers and cache.", vm_guest_used },
	{ "xvmon_vm_guest_committed_bytes", "gauge", "Committed_AS in the guest.",
	  vm_guest_committed },
	{ "xvmon_vm_guest_swap_total_bytes", "gauge", "Swap space of the guest.",
	  vm_guest_swap_total },
	{ "xvmon_vm_guest_swap_used_bytes", "gauge", "Swap in use in the guest.",
	  vm_guest_swap_used },
	{ "xvmon_vm_guest_swap_in_bytes_total", "counter", "Read back from swap by the guest.",
	  vm_guest_swap_in },
	{ "xvmon_vm_guest_swap_out_bytes_total", "counter", "Written to swap by the guest.",
	  vm_guest_swap_out },
	{ "xvmon_vm_disk_read_bytes_total", "counter", "Bytes read from the domain's disks.",
	  vm_disk_read },
	{ "xvmon_vm_disk_written_bytes_total", "counter", "Bytes written to the domain's disks.",
	  vm_disk_write },
	{ "xvmon_vm_disk_reads_total", "counter", "Read requests of the domain's disks.",
	  vm_disk_reads },
	{ "xvmon_vm_disk_writes_total", "counter", "Write requests of the domain's disks.",
	  vm_disk_writes },
	{ "xvmon_vm_network_receive_bytes_total", "counter", "Bytes the domain received.",
	  vm_net_rx },
	{ "xvmon_vm_network_transmit_bytes_total", "counter", "Bytes the domain sent.",
	  vm_net_tx },
	{ "xvmon_vm_network_receive_packets_total", "counter", "Packets the domain received.",
	  vm_net_rx_packets },
	{ "xvmon_vm_network_transmit_packets_total", "counter", "Packets the domain sent.",
	  vm_net_tx_packets },
};

/* --- pool families ----------------------------------------------------------- */

static bool ratio(const struct xv_permille *p, struct value *out)
{
	if (!p->defined)
		return false;
	*out = (struct value){ V_MILLI, p->value }; /* tenths of a percent = thousandths */
	return true;
}

#define POOL_FN(fn, expr)                                                                     \
	static bool fn(const struct xv_pool_report *r, struct value *out)                     \
	{                                                                                     \
		return expr;                                                                  \
	}
POOL_FN(pool_measured, (*out = (struct value){ V_INT, r->verdict == XV_POOL_MEASURED }, true))
POOL_FN(pool_availability, r->verdict == XV_POOL_MEASURED && ratio(&r->availability, out))
POOL_FN(pool_vm_ratio, r->verdict == XV_POOL_MEASURED && ratio(&r->vm_ratio, out))
POOL_FN(pool_server_ratio, r->verdict == XV_POOL_MEASURED && ratio(&r->server_ratio, out))
POOL_FN(pool_hosts, (*out = (struct value){ V_INT, r->hosts_expected }, true))
POOL_FN(pool_hosts_up, (*out = (struct value){ V_INT, r->hosts_up }, true))
POOL_FN(pool_vms, (*out = (struct value){ V_INT, r->vms_expected }, true))
POOL_FN(pool_vms_up, (*out = (struct value){ V_INT, r->vms_up }, true))
POOL_FN(pool_vms_missing, (*out = (struct value){ V_INT, r->n_missing }, true))
POOL_FN(pool_vms_duplicate, (*out = (struct value){ V_INT, r->n_duplicates }, true))
POOL_FN(pool_vms_unexpected, (*out = (struct value){ V_INT, r->n_unexpected }, true))

static const struct pool_family {
	const char *name, *type, *help;
	bool (*get)(const struct xv_pool_report *r, struct value *out);
} pool_families[] = {
	{ "xvmon_pool_measured", "gauge",
	  "1 when the poll measured the pool (every host answered or was down by its own fault).",
	  pool_measured },
	{ "xvmon_pool_availability_ratio", "gauge",
	  "Harmonic mean of the VM ratio and the server ratio (0-1, rounded down to 0.001).",
	  pool_availability },
	{ "xvmon_pool_vm_ratio", "gauge", "Expected VMs up over expected VMs.", pool_vm_ratio },
	{ "xvmon_pool_server_ratio", "gauge", "Hosts that answered over expected hosts.",
	  pool_server_ratio },
	{ "xvmon_pool_hosts", "gauge", "Hosts the inventory expects.", pool_hosts },
	{ "xvmon_pool_hosts_up", "gauge", "Hosts that answered.", pool_hosts_up },
	{ "xvmon_pool_vms", "gauge", "VMs the inventory expects.", pool_vms },
	{ "xvmon_pool_vms_up", "gauge", "Expected VMs up.", pool_vms_up },
	{ "xvmon_pool_vms_missing", "gauge", "Expected VMs seen on no host that answered.",
	  pool_vms_missing },
	{ "xvmon_pool_vms_duplicate", "gauge", "VMs seen on several hosts at once.",
	  pool_vms_duplicate },
	{ "xvmon_pool_vms_unexpected", "gauge", "VMs up that the inventory does not expect.",
	  pool_vms_unexpected },
};

/* --- writing ------------------------------------------------------------------ */

void xv_metrics_label_value(struct xv_buf *out, const char *value)
{
	struct xv_buf clean = XV_BUF_INIT;

	xv_text_clean(&clean, value, XV_TEXT_DOCUMENT);
	for (const char *p = clean.data; *p; p++) {
		if (*p == '\\')
			xv_buf_adds(out, "\\\\");
		else if (*p == '"')
			xv_buf_adds(out, "\\\"");
		else if (*p == '\n')
			xv_buf_adds(out, "\\n");
		else
			xv_buf_addch(out, *p);
	}
	xv_buf_release(&clean);
}

static void label(struct xv_buf *out, bool *first, const char *name, const char *value)
{
	xv_buf_addf(out, "%s%s=\"", *first ? "{" : ",", name);
	xv_metrics_label_value(out, value);
	xv_buf_addch(out, '"');
	*first = false;
}

static void host_labels(struct xv_buf *out, const struct xv_metrics_host *h, bool *first)
{
	if (h->pool)
		label(out, first, "pool", h->pool);
	label(out, first, "host", h->name);
}

static void vm_labels(struct xv_buf *out, const struct xv_metrics_host *h,
		      const struct xv_domain *d, bool *first)
{
	host_labels(out, h, first);
	label(out, first, "vm", d->name);
	label(out, first, "uuid", d->uuid);
}

static void put_value(struct xv_buf *out, const struct value *v)
{
	switch (v->kind) {
	case V_NS_SECONDS:
		xv_buf_addf(out, " %llu.%09llu\n", (unsigned long long)(v->v / 1000000000),
			    (unsigned long long)(v->v % 1000000000));
		break;
	case V_MILLI:
		xv_buf_addf(out, " %llu.%03llu\n", (unsigned long long)(v->v / 1000),
			    (unsigned long long)(v->v % 1000));
		break;
	default:
		xv_buf_addf(out, " %llu\n", (unsigned long long)v->v);
	}
}

static void header(struct xv_buf *out, const char *name, const char *type, const char *help)
{
	xv_buf_addf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* A family with its samples; none at all (no source has the figure): left
 * out whole. */
static void family(struct xv_buf *out, const char *name, const char *type, const char *help,
		   const struct xv_buf *samples)
{
	if (!samples->len)
		return;
	header(out, name, type, help);
	xv_buf_add(out, samples->data, samples->len);
}

static void write_hosts(const struct xv_metrics_input *in, struct xv_buf *out)
{
	struct xv_buf samples = XV_BUF_INIT;
	struct value v;

	header(out, "xvmon_host_up", "gauge", "1 when the host answered the poll.");
	for (size_t i = 0; i < in->n_hosts; i++) {
		bool first = true;
		xv_buf_adds(out, "xvmon_host_up");
		host_labels(out, &in->hosts[i], &first);
		xv_buf_addf(out, "} %d\n", in->hosts[i].snap != NULL);
	}
	header(out, "xvmon_host_info", "gauge", "The hypervisor's version, as a label.");
	for (size_t i = 0; i < in->n_hosts; i++) {
		const struct xv_snapshot *s = in->hosts[i].snap;
		bool first = true;
		if (!s)
			continue;
		xv_buf_adds(out, "xvmon_host_info");
		host_labels(out, &in->hosts[i], &first);
		label(out, &first, "version", s->host.xen_version ? s->host.xen_version : "unknown");
		xv_buf_adds(out, "} 1\n");
	}
	for (size_t f = 0; f < XV_ARRAY_SIZE(host_families); f++) {
		const struct host_family *hf = &host_families[f];
		xv_buf_reset(&samples);
		for (size_t i = 0; i < in->n_hosts; i++) {
			bool first = true;
			if (!in->hosts[i].snap || !hf->get(in->hosts[i].snap, &v))
				continue;
			xv_buf_adds(&samples, hf->name);
			host_labels(&samples, &in->hosts[i], &first);
			xv_buf_addch(&samples, '}');
			put_value(&samples, &v);
		}
		family(out, hf->name, hf->type, hf->help, &samples);
	}
	header(out, "xvmon_host_domains", "gauge", "Domains by state (dom0 included).");
	for (size_t i = 0; i < in->n_hosts; i++) {
		const struct xv_snapshot *s = in->hosts[i].snap;
		size_t count[XV_STATE_COUNT] = { 0 };
		if (!s)
			continue;
		for (size_t k = 0; k < s->n_domains; k++)
			count[xv_domain_state(&s->domains[k])]++;
		for (int st = 0; st < XV_STATE_COUNT; st++) {
			bool first = true;
			xv_buf_adds(out, "xvmon_host_domains");
			host_labels(out, &in->hosts[i], &first);
			label(out, &first, "state", xv_dom_state_name((enum xv_dom_state)st));
			xv_buf_addf(out, "} %zu\n", count[st]);
		}
	}
	xv_buf_release(&samples);
}

static void write_vms(const struct xv_metrics_input *in, struct xv_buf *out)
{
	struct xv_buf samples = XV_BUF_INIT;
	struct value v;

	/* each domain's state as a set: 1 for the one it is in */
	header(out, "xvmon_vm_state", "gauge",
	       "1 for the domain's state (the worst of Xen's flags), 0 for the others.");
	for (size_t i = 0; i < in->n_hosts; i++) {
		const struct xv_snapshot *s = in->hosts[i].snap;
		for (size_t k = 0; s && k < s->n_domains; k++) {
			enum xv_dom_state now = xv_domain_state(&s->domains[k]);
			for (int st = 0; st < XV_STATE_COUNT; st++) {
				bool first = true;
				xv_buf_adds(out, "xvmon_vm_state");
				vm_labels(out, &in->hosts[i], &s->domains[k], &first);
				label(out, &first, "state", xv_dom_state_name((enum xv_dom_state)st));
				xv_buf_addf(out, "} %d\n", (int)now == st);
			}
		}
	}
	for (size_t f = 0; f < XV_ARRAY_SIZE(vm_families); f++) {
		const struct vm_family *vf = &vm_families[f];
		xv_buf_reset(&samples);
		for (size_t i = 0; i < in->n_hosts; i++) {
			const struct xv_snapshot *s = in->hosts[i].snap;
			for (size_t k = 0; s && k < s->n_domains; k++) {
				bool first = true;
				if (!vf->get(&s->domains[k], &v))
					continue;
				xv_buf_adds(&samples, vf->name);
				vm_labels(&samples, &in->hosts[i], &s->domains[k], &first);
				xv_buf_addch(&samples, '}');
				put_value(&samples, &v);
			}
		}
		family(out, vf->name, vf->type, vf->help, &samples);
	}
	xv_buf_release(&samples);
}

static void write_pools(const struct xv_metrics_input *in, struct xv_buf *out)
{
	struct xv_buf samples = XV_BUF_INIT;
	struct value v;

	if (!in->n_pools)
		return;
	for (size_t f = 0; f < XV_ARRAY_SIZE(pool_families); f++) {
		const struct pool_family *pf = &pool_families[f];
		xv_buf_reset(&samples);
		for (size_t i = 0; i < in->n_pools; i++) {
			bool first = true;
			if (!pf->get(in->pools[i].report, &v))
				continue;
			xv_buf_adds(&samples, pf->name);
			label(&samples, &first, "pool", in->pools[i].name);
			xv_buf_addch(&samples, '}');
			put_value(&samples, &v);
		}
		family(out, pf->name, pf->type, pf->help, &samples);
	}
	xv_buf_release(&samples);
}

void xv_metrics_write(const struct xv_metrics_input *in, struct xv_buf *out)
{
	write_hosts(in, out);
	write_vms(in, out);
	write_pools(in, out);
	header(out, "xvmon_metrics_generated_timestamp_seconds", "gauge",
	       "When xvmon-metrics wrote these figures.");
	xv_buf_addf(out, "xvmon_metrics_generated_timestamp_seconds %llu.%03llu\n",
		    (unsigned long long)(in->generated_ms / 1000),
		    (unsigned long long)(in->generated_ms % 1000));
}
