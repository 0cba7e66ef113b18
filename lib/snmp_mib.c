/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snmp_mib.c: VM-MIB + XVMON-MIB answers -> snapshot, every answer checked. */
#include "snmp_mib.h"
#include "num.h"
#include "util.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VM_MIB 1, 3, 6, 1, 2, 1, 236
#define XVMON_MIB 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 786
#define VM_MIB_LEN 7
#define XVMON_MIB_LEN 10

/* No host has more: every domain's columns and a vCPU table of 4096 vCPUs
 * for each of a thousand domains. */
#define MAX_CELLS ((size_t)XV_MAX_DOMAINS * 12 + (1u << 22))

/* --- the GET --------------------------------------------------------------- */

enum scalar {
	S_HV_SOFTWARE, S_HV_VERSION, S_HV_UPTIME, S_VM_NUMBER, S_STATUS, S_ERROR, S_HOST_NAME,
	S_TOTAL, S_FREE, S_DOM0, S_SCRUB, S_OUTSTANDING, S_CPUS, S_COUNT
};

static const struct {
	const char *name;
	struct xv_snmp_oid oid;
	enum xv_snmp_type type;
	bool optional;
} scalars[S_COUNT] = {
	[S_HV_SOFTWARE] = { "vmHvSoftware.0", { { VM_MIB, 1, 1, 1, 0 }, VM_MIB_LEN + 4 }, XV_SNMP_OCTETS, false },
	[S_HV_VERSION] = { "vmHvVersion.0", { { VM_MIB, 1, 1, 2, 0 }, VM_MIB_LEN + 4 }, XV_SNMP_OCTETS, false },
	[S_HV_UPTIME] = { "vmHvUpTime.0", { { VM_MIB, 1, 1, 4, 0 }, VM_MIB_LEN + 4 }, XV_SNMP_TIMETICKS, false },
	[S_VM_NUMBER] = { "vmNumber.0", { { VM_MIB, 1, 2, 0 }, VM_MIB_LEN + 3 }, XV_SNMP_INTEGER, false },
	[S_STATUS] = { "xvmonSourceStatus.0", { { XVMON_MIB, 1, 1, 2, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_INTEGER, false },
	[S_ERROR] = { "xvmonSourceError.0", { { XVMON_MIB, 1, 1, 3, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_OCTETS, false },
	[S_HOST_NAME] = { "xvmonHostName.0", { { XVMON_MIB, 1, 2, 1, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_OCTETS, false },
	[S_TOTAL] = { "xvmonHostTotalMemory.0", { { XVMON_MIB, 1, 2, 2, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, false },
	[S_FREE] = { "xvmonHostFreeMemory.0", { { XVMON_MIB, 1, 2, 3, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, false },
	[S_DOM0] = { "xvmonHostDom0Memory.0", { { XVMON_MIB, 1, 2, 4, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, true },
	[S_SCRUB] = { "xvmonHostScrubMemory.0", { { XVMON_MIB, 1, 2, 5, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, true },
	[S_OUTSTANDING] = { "xvmonHostOutstandingMemory.0", { { XVMON_MIB, 1, 2, 6, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, true },
	[S_CPUS] = { "xvmonHostCpus.0", { { XVMON_MIB, 1, 2, 7, 0 }, XVMON_MIB_LEN + 4 }, XV_SNMP_GAUGE32, false },
};

const struct xv_snmp_oid *xv_snmp_scalar_oids(size_t *n)
{
	static struct xv_snmp_oid oids[S_COUNT];

	for (size_t i = 0; i < S_COUNT; i++)
		oids[i] = scalars[i].oid;
	*n = S_COUNT;
	return oids;
}

/* --- the columns walked ---------------------------------------------------- */

enum column {
	C_NAME, C_UUID, C_CUR_CPU, C_UPTIME, C_CPU_TIME, C_DOMID, C_FLAGS, C_CUR_MEM,
	C_TARGET, C_MAX, C_SWAP, C_CORE_TIME, C_COUNT
};

static const struct {
	const char *name;
	struct xv_snmp_oid prefix;
	enum xv_snmp_type type;
	size_t index_len;
	bool required;
} columns[C_COUNT] = {
	[C_NAME] = { "vmName", { { VM_MIB, 1, 4, 1, 2 }, VM_MIB_LEN + 4 }, XV_SNMP_OCTETS, 1, true },
	[C_UUID] = { "vmUUID", { { VM_MIB, 1, 4, 1, 3 }, VM_MIB_LEN + 4 }, XV_SNMP_OCTETS, 1, true },
	[C_CUR_CPU] = { "vmCurCpuNumber", { { VM_MIB, 1, 4, 1, 9 }, VM_MIB_LEN + 4 }, XV_SNMP_INTEGER, 1, true },
	[C_UPTIME] = { "vmUpTime", { { VM_MIB, 1, 4, 1, 16 }, VM_MIB_LEN + 4 }, XV_SNMP_TIMETICKS, 1, true },
	[C_CPU_TIME] = { "vmCpuTime", { { VM_MIB, 1, 4, 1, 17 }, VM_MIB_LEN + 4 }, XV_SNMP_COUNTER64, 1, false },
	[C_DOMID] = { "xvmonVmDomainId", { { XVMON_MIB, 1, 3, 1, 1 }, XVMON_MIB_LEN + 4 }, XV_SNMP_GAUGE32, 1, true },
	[C_FLAGS] = { "xvmonVmStateFlags", { { XVMON_MIB, 1, 3, 1, 2 }, XVMON_MIB_LEN + 4 }, XV_SNMP_OCTETS, 1, true },
	[C_CUR_MEM] = { "xvmonVmCurrentMemory", { { XVMON_MIB, 1, 3, 1, 3 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, 1, true },
	[C_TARGET] = { "xvmonVmTargetMemory", { { XVMON_MIB, 1, 3, 1, 4 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, 1, false },
	[C_MAX] = { "xvmonVmMaxMemory", { { XVMON_MIB, 1, 3, 1, 5 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, 1, false },
	[C_SWAP] = { "xvmonVmSwapUsed", { { XVMON_MIB, 1, 3, 1, 7 }, XVMON_MIB_LEN + 4 }, XV_SNMP_COUNTER64, 1, false },
	[C_CORE_TIME] = { "vmCpuCoreTime", { { VM_MIB, 1, 5, 1, 2 }, VM_MIB_LEN + 4 }, XV_SNMP_COUNTER64, 2, false },
};

struct cell {
	uint32_t idx[2];
	int64_t integer;
	uint64_t number;
	char *text;
	size_t text_len;
};

struct walk {
	struct xv_snmp_oid last;
	bool done;
	struct cell *cells;
	size_t n, alloc;
};

struct xv_snmp_reader {
	char *peer;
	bool scalars_done;
	char *hv_version, *host_name;
	uint64_t hv_uptime_cs;
	int64_t vm_number;
	uint64_t kib[5]; /* total, free, dom0, scrub, outstanding */
	unsigned cpus;
	struct walk col[C_COUNT];
	size_t cells;
};

struct xv_snmp_reader *xv_snmp_reader_new(const char *peer)
{
	struct xv_snmp_reader *r = xv_calloc(1, sizeof(*r));

	r->peer = xv_strdup(peer);
	for (size_t c = 0; c < C_COUNT; c++)
		r->col[c].last = columns[c].prefix;
	return r;
}

void xv_snmp_reader_free(struct xv_snmp_reader *r)
{
	if (!r)
		return;
	for (size_t c = 0; c < C_COUNT; c++) {
		for (size_t i = 0; i < r->col[c].n; i++)
			free(r->col[c].cells[i].text);
		free(r->col[c].cells);
	}
	free(r->hv_version);
	free(r->host_name);
	free(r->peer);
	free(r);
}

size_t xv_snmp_reader_count(const struct xv_snmp_reader *r)
{
	return r->cells;
}

static const char *type_name(enum xv_snmp_type t)
{
	static const char *const names[] = {
		"an INTEGER", "an OCTET STRING", "an OBJECT IDENTIFIER", "a Counter32", "a Gauge32",
		"a TimeTicks", "a Counter64", "noSuchObject", "noSuchInstance", "endOfMibView",
		"of another type",
	};
	return (unsigned)t < XV_ARRAY_SIZE(names) ? names[t] : "of another type";
}

static int oid_equal(const struct xv_snmp_oid *a, const struct xv_snmp_oid *b)
{
	return a->len == b->len && !memcmp(a->sub, b->sub, a->len * sizeof(a->sub[0]));
}

static int oid_cmp(const struct xv_snmp_oid *a, const struct xv_snmp_oid *b)
{
	for (size_t i = 0; i < a->len && i < b->len; i++)
		if (a->sub[i] != b->sub[i])
			return a->sub[i] < b->sub[i] ? -1 : 1;
	return (a->len > b->len) - (a->len < b->len);
}

static int under(const struct xv_snmp_oid *o, const struct xv_snmp_oid *prefix)
{
	return o->len > prefix->len && !memcmp(o->sub, prefix->sub, prefix->len * sizeof(o->sub[0]));
}

/* A copy of an OCTET STRING as text: refused if it holds a NUL byte. */
static char *text_of(const struct xv_snmp_vb *vb)
{
	if (memchr(vb->octets, '\0', vb->octets_len))
		return NULL;
	return xv_strndup((const char *)vb->octets, vb->octets_len);
}

static int scalar_error(struct xv_snmp_reader *r, struct xv_error *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int scalar_error(struct xv_snmp_reader *r, struct xv_error *e, const char *fmt, ...)
{
	char msg[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return xv_error(e, XV_E_HOST, "the agent at %s %s", r->peer, msg);
}

static bool missing(const struct xv_snmp_vb *vb)
{
	return vb->type == XV_SNMP_NO_SUCH_OBJECT || vb->type == XV_SNMP_NO_SUCH_INSTANCE;
}

int xv_snmp_reader_scalars(struct xv_snmp_reader *r, const struct xv_snmp_vb *vb, size_t n,
			   struct xv_error *e)
{
	if (n != S_COUNT)
		return scalar_error(r, e, "answered %zu values to a GET of %d", n, S_COUNT);
	for (size_t i = 0; i < S_COUNT; i++)
		if (!oid_equal(&vb[i].oid, &scalars[i].oid))
			return scalar_error(r, e, "answered a GET of %s with another object",
					    scalars[i].name);
	if (missing(&vb[S_HV_SOFTWARE]) && missing(&vb[S_HOST_NAME]))
		return scalar_error(r, e, "serves neither the VM-MIB nor XVMON-MIB (is xvmon-agentx "
				    "running under its snmpd, and does the snmpd view include "
				    "mib-2.236 and the XVMON subtree?)");
	if (missing(&vb[S_HV_SOFTWARE]))
		return scalar_error(r, e, "serves XVMON-MIB but not the VM-MIB (the snmpd view "
				    "hides mib-2.236?)");
	if (missing(&vb[S_STATUS]))
		return scalar_error(r, e, "serves a VM-MIB without XVMON-MIB: another agent's, "
				    "which xvmon cannot read");
	if (vb[S_STATUS].type == XV_SNMP_INTEGER && vb[S_STATUS].integer != 1) {
		char *why = vb[S_ERROR].type == XV_SNMP_OCTETS ? text_of(&vb[S_ERROR]) : NULL;
		int rc;
		if (vb[S_STATUS].integer == 2)
			rc = scalar_error(r, e, "serves stale data: its source failed: %s",
					  why && *why ? why : "(no reason given)");
		else if (vb[S_STATUS].integer == 3)
			rc = scalar_error(r, e, "has no snapshot of its host yet%s%s",
					  why && *why ? ": " : "", why ? why : "");
		else
			rc = scalar_error(r, e, "reports an unknown xvmonSourceStatus %" PRId64,
					  vb[S_STATUS].integer);
		free(why);
		return rc;
	}
	if (missing(&vb[S_HOST_NAME]))
		return scalar_error(r, e, "serves no XVMON-MIB host objects (an xvmon-agentx that "
				    "watches only pools?)");
	for (size_t i = 0; i < S_COUNT; i++) {
		if (missing(&vb[i]) && scalars[i].optional)
			continue;
		if (vb[i].type != scalars[i].type)
			return scalar_error(r, e, "answered %s as %s, not %s", scalars[i].name,
					    type_name(vb[i].type), type_name(scalars[i].type));
	}
	r->hv_version = text_of(&vb[S_HV_VERSION]);
	r->host_name = text_of(&vb[S_HOST_NAME]);
	if (!r->hv_version || !r->host_name)
		return scalar_error(r, e, "answered a name with a NUL byte");
	r->hv_uptime_cs = vb[S_HV_UPTIME].number;
	r->vm_number = vb[S_VM_NUMBER].integer;
	if (r->vm_number < 0 || r->vm_number > XV_MAX_DOMAINS)
		return scalar_error(r, e, "reports %" PRId64 " VMs", r->vm_number);
	for (size_t k = 0; k < 5; k++) {
		const struct xv_snmp_vb *v = &vb[S_TOTAL + k];
		r->kib[k] = missing(v) ? XV_KIB_UNKNOWN : v->number;
		if (r->kib[k] != XV_KIB_UNKNOWN && r->kib[k] > XV_KIB_MAX)
			return scalar_error(r, e, "reports %s of %" PRIu64 " KiB, above 1 PiB",
					    scalars[S_TOTAL + k].name, r->kib[k]);
	}
	if (vb[S_CPUS].number > 65536)
		return scalar_error(r, e, "reports %" PRIu64 " CPUs", vb[S_CPUS].number);
	r->cpus = (unsigned)vb[S_CPUS].number;
	r->scalars_done = true;
	return 0;
}

size_t xv_snmp_reader_next(const struct xv_snmp_reader *r, struct xv_snmp_oid *out)
{
	size_t n = 0;

	for (size_t c = 0; c < C_COUNT; c++)
		if (!r->col[c].done)
			out[n++] = r->col[c].last;
	return n;
}

static int column_error(struct xv_snmp_reader *r, struct xv_error *e, size_t c,
			const struct xv_snmp_vb *vb, const char *what)
{
	char idx[64] = "";
	const struct xv_snmp_oid *p = &columns[c].prefix;

	for (size_t i = p->len; vb && i < vb->oid.len && strlen(idx) < sizeof(idx) - 12; i++)
		snprintf(idx + strlen(idx), sizeof(idx) - strlen(idx), ".%u", vb->oid.sub[i]);
	return xv_error(e, XV_E_HOST, "the agent at %s answered %s%s %s", r->peer, columns[c].name,
			idx, what);
}

/* One varbind of column c: the column ends, or a cell is added. */
static int take(struct xv_snmp_reader *r, size_t c, const struct xv_snmp_vb *vb, bool *ended,
		struct xv_error *e)
{
	struct walk *w = &r->col[c];
	struct cell *cell;
	char what[96];

	if (vb->type == XV_SNMP_END_OF_MIB_VIEW || !under(&vb->oid, &columns[c].prefix)) {
		*ended = true;
		return 0;
	}
	if (oid_cmp(&vb->oid, &w->last) <= 0)
		return column_error(r, e, c, vb, "out of order (a walk must move forward)");
	if (vb->oid.len != columns[c].prefix.len + columns[c].index_len)
		return column_error(r, e, c, vb, "with a malformed index");
	for (size_t i = 0; i < columns[c].index_len; i++)
		if (vb->oid.sub[columns[c].prefix.len + i] < 1 ||
		    vb->oid.sub[columns[c].prefix.len + i] > INT32_MAX)
			return column_error(r, e, c, vb, "with an index out of range");
	if (vb->type != columns[c].type) {
		snprintf(what, sizeof(what), "as %s, not %s", type_name(vb->type),
			 type_name(columns[c].type));
		return column_error(r, e, c, vb, what);
	}
	if (++r->cells > MAX_CELLS)
		return column_error(r, e, c, vb, "beyond the most rows any host has");
	w->cells = xv_grow(w->cells, sizeof(*w->cells), w->n + 1, &w->alloc);
	cell = &w->cells[w->n++];
	memset(cell, 0, sizeof(*cell));
	for (size_t i = 0; i < columns[c].index_len; i++)
		cell->idx[i] = vb->oid.sub[columns[c].prefix.len + i];
	cell->integer = vb->integer;
	cell->number = vb->number;
	if (vb->type == XV_SNMP_OCTETS) {
		cell->text = xv_malloc(vb->octets_len + 1);
		memcpy(cell->text, vb->octets, vb->octets_len);
		cell->text[vb->octets_len] = '\0';
		cell->text_len = vb->octets_len;
	}
	w->last = vb->oid;
	return 0;
}

int xv_snmp_reader_bulk(struct xv_snmp_reader *r, size_t asked, const struct xv_snmp_vb *vb,
			size_t n, struct xv_error *e)
{
	size_t active[C_COUNT], n_active = 0;
	bool ended[C_COUNT] = { false };

	for (size_t c = 0; c < C_COUNT; c++)
		if (!r->col[c].done)
			active[n_active++] = c;
	if (asked != n_active || !asked)
		return xv_error(e, XV_E_SOFTWARE, "snmp: a GETBULK of %zu columns for %zu walking",
				asked, n_active);
	if (n == 0)
		return xv_error(e, XV_E_HOST, "the agent at %s answered a GETBULK with nothing",
				r->peer);
	for (size_t i = 0; i < n; i++) {
		size_t k = i % asked, c = active[k];
		if (ended[k])
			continue;
		if (take(r, c, &vb[i], &ended[k], e))
			return -1;
	}
	for (size_t k = 0; k < n_active; k++)
		if (ended[k])
			r->col[active[k]].done = true;
	return 0;
}

/* The cell of vmIndex `idx` in a column sorted by index (a walk's order). */
static const struct cell *find(const struct walk *w, uint32_t idx)
{
	size_t lo = 0, hi = w->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->cells[mid].idx[0] == idx)
			return &w->cells[mid];
		if (w->cells[mid].idx[0] < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static unsigned flags_of(const struct cell *c)
{
	static const unsigned order[] = { XV_DOM_RUNNING, XV_DOM_BLOCKED, XV_DOM_PAUSED,
					  XV_DOM_SHUTDOWN, XV_DOM_CRASHED, XV_DOM_DYING };
	unsigned flags = 0;

	for (unsigned i = 0; i < 6 && c->text_len; i++)
		if ((unsigned char)c->text[0] & (0x80u >> i))
			flags |= order[i];
	return flags;
}

static int by_domid(const void *a, const void *b)
{
	const struct xv_domain *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

int xv_snmp_reader_finish(struct xv_snmp_reader *r, struct xv_snapshot *snap, int *changed,
			  struct xv_error *e)
{
	const struct walk *names = &r->col[C_NAME];
	struct xv_host *h = &snap->host;

	xv_snapshot_init(snap);
	*changed = 0;
	if (!r->scalars_done)
		return xv_error(e, XV_E_SOFTWARE, "snmp: no scalars before the walk");
	for (size_t c = 0; c < C_COUNT; c++)
		if (!r->col[c].done)
			return xv_error(e, XV_E_SOFTWARE, "snmp: the walk of %s is not over",
					columns[c].name);
	/* every cell's row exists, every row has the required cells */
	for (size_t c = 1; c < C_COUNT; c++) {
		for (size_t i = 0; i < r->col[c].n; i++) {
			if (!find(names, r->col[c].cells[i].idx[0])) {
				*changed = 1;
				return xv_error(e, XV_E_HOST, "the agent at %s answered %s.%u for a VM "
						"its vmName column does not have", r->peer,
						columns[c].name, r->col[c].cells[i].idx[0]);
			}
		}
		if (!columns[c].required)
			continue;
		for (size_t i = 0; i < names->n; i++) {
			if (!find(&r->col[c], names->cells[i].idx[0])) {
				*changed = 1;
				return xv_error(e, XV_E_HOST, "the agent at %s has no %s for VM %u "
						"(vmName '%s'): a truncated or foreign table", r->peer,
						columns[c].name, names->cells[i].idx[0],
						names->cells[i].text);
			}
		}
	}
	if ((int64_t)names->n != r->vm_number) {
		*changed = 1;
		return xv_error(e, XV_E_HOST, "the agent at %s reports %" PRId64 " VMs but its vmTable "
				"has %zu rows (it changed during the walk)", r->peer, r->vm_number,
				names->n);
	}

	h->name = xv_strdup(r->host_name);
	h->xen_version = *r->hv_version ? xv_strdup(r->hv_version) : NULL;
	h->total_kib = r->kib[0];
	h->free_kib = r->kib[1];
	h->dom0_kib = r->kib[2];
	h->scrub_kib = r->kib[3];
	h->outstanding_kib = r->kib[4];
	h->cpus = r->cpus;
	h->uptime_ms = r->hv_uptime_cs ? r->hv_uptime_cs * 10 : XV_UPTIME_UNKNOWN;

	for (size_t i = 0; i < names->n; i++) {
		uint32_t idx = names->cells[i].idx[0];
		const struct cell *uuid = find(&r->col[C_UUID], idx);
		const struct cell *cpus = find(&r->col[C_CUR_CPU], idx);
		const struct cell *up = find(&r->col[C_UPTIME], idx);
		const struct cell *cpu = find(&r->col[C_CPU_TIME], idx);
		const struct cell *domid = find(&r->col[C_DOMID], idx);
		const struct cell *flags = find(&r->col[C_FLAGS], idx);
		const struct cell *cur = find(&r->col[C_CUR_MEM], idx);
		const struct cell *target = find(&r->col[C_TARGET], idx);
		const struct cell *max = find(&r->col[C_MAX], idx);
		const struct cell *swap = find(&r->col[C_SWAP], idx);
		struct xv_domain *d;
		const char *what = NULL;

		if (memchr(names->cells[i].text, '\0', names->cells[i].text_len))
			what = "vmName holds a NUL byte";
		else if (uuid->text_len != 0 && uuid->text_len != 16)
			what = "vmUUID is neither 16 octets nor empty";
		else if (domid->number > 0x7FEF)
			what = "xvmonVmDomainId is not a Xen domain id";
		else if (flags->text_len > 1)
			what = "xvmonVmStateFlags is longer than its six bits";
		else if (cpus->integer < 0 || cpus->integer > XV_MAX_VCPUS)
			what = "vmCurCpuNumber is out of range";
		else if (cpu && cpu->number > UINT64_MAX / 1000)
			what = "vmCpuTime is out of range";
		if (what) {
			xv_error(e, XV_E_HOST, "the agent at %s: VM %u: %s", r->peer, idx, what);
			goto fail;
		}
		d = xv_snapshot_add_domain(snap);
		d->id = (uint32_t)domid->number;
		xv_domain_name_set(snap, d, names->cells[i].text, strlen(names->cells[i].text));
		if (uuid->text_len == 16) {
			xv_uuid_format((const unsigned char *)uuid->text, d->uuid);
		}
		d->flags = flags_of(flags);
		d->cur_kib = cur->number;
		d->target_kib = target ? target->number : XV_KIB_UNKNOWN;
		d->max_kib = max ? max->number : XV_KIB_UNKNOWN;
		if (swap) { /* the guest's own figure, the only one XVMON-MIB carries */
			struct xv_guest_memory *g = &xv_domain_detail(d)->guest;
			g->report = XV_GUEST_REPORTED;
			g->swap_used_kib = swap->number;
		}
		d->vcpus = (unsigned)cpus->integer;
		d->cpu_ns = cpu ? cpu->number * 1000 : XV_COUNTER_UNKNOWN;
		d->uptime_ms = up->number ? up->number * 10 : XV_UPTIME_UNKNOWN;
		if (d->cur_kib > XV_KIB_MAX || (d->target_kib != XV_KIB_UNKNOWN && d->target_kib > XV_KIB_MAX) ||
		    (d->max_kib != XV_KIB_UNKNOWN && d->max_kib > XV_KIB_MAX) ||
		    (xv_domain_guest(d)->swap_used_kib != XV_KIB_UNKNOWN &&
		     xv_domain_guest(d)->swap_used_kib > XV_KIB_MAX)) {
			xv_error(e, XV_E_HOST, "the agent at %s: VM %u: a memory size above 1 PiB",
				 r->peer, idx);
			goto fail;
		}
	}
	/* per-vCPU times: a domain's rows 1..vcpus, all of them, or none used */
	const struct walk *core = &r->col[C_CORE_TIME];
	for (size_t i = 0, k = 0; i < snap->n_domains && k <= core->n; i++) {
		uint32_t idx = names->cells[i].idx[0];
		struct xv_domain *d = &snap->domains[i];
		size_t first;
		while (k < core->n && core->cells[k].idx[0] < idx)
			k++;
		first = k;
		while (k < core->n && core->cells[k].idx[0] == idx)
			k++;
		if (k - first != d->vcpus || !d->vcpus)
			continue;
		bool contiguous = true;
		for (size_t j = first; j < k; j++)
			contiguous &= core->cells[j].idx[1] == j - first + 1 &&
				      core->cells[j].number <= UINT64_MAX / 1000;
		if (!contiguous)
			continue;
		d->vcpu_ns = xv_calloc(d->vcpus, sizeof(*d->vcpu_ns));
		for (size_t j = first; j < k; j++)
			d->vcpu_ns[j - first] = core->cells[j].number * 1000;
	}
	xv_sort(snap->domains, snap->n_domains, sizeof(*snap->domains), by_domid);
	for (size_t i = 1; i < snap->n_domains; i++) {
		if (snap->domains[i].id == snap->domains[i - 1].id) {
			xv_error(e, XV_E_HOST, "the agent at %s reports domain id %u twice", r->peer,
				 snap->domains[i].id);
			goto fail;
		}
	}
	return 0;
fail:
	xv_snapshot_release(snap);
	return -1;
}
