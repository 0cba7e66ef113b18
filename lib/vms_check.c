/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vms_check.c: every VM of a host or a pool, evaluated alike. */
#include "vms_check.h"
#include "vm_check.h"
#include "buf.h"
#include "num.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xv_vms_check_defaults(struct xv_vms_check_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	xv_vm_check_state_defaults(cfg->state_for);
	cfg->no_guest_state = XV_OK;
	cfg->no_answer_state = XV_UNKNOWN;
	cfg->missing_state = XV_CRITICAL;
	cfg->duplicate_state = XV_CRITICAL;
	cfg->perfdata = XV_VMS_PERF_DEFAULT;
	cfg->max_named = 3;
}

static bool any_threshold(const struct xv_thresholds *t)
{
	return t->has_warning || t->has_critical;
}

static bool known(uint64_t kib)
{
	return kib != XV_KIB_UNKNOWN;
}

static double bytes(uint64_t kib)
{
	return (double)kib * 1024.0;
}

/* The name patterns alone (an expected VM seen nowhere has no state). */
static bool name_selected(const struct xv_vms_check_config *cfg, const char *name)
{
	bool included = cfg->n_include == 0;

	for (size_t i = 0; i < cfg->n_include && !included; i++)
		included = regexec(&cfg->include[i], name, 0, NULL, 0) == 0;
	if (!included)
		return false;
	for (size_t i = 0; i < cfg->n_exclude; i++)
		if (regexec(&cfg->exclude[i], name, 0, NULL, 0) == 0)
			return false;
	return true;
}

bool xv_vms_check_selects(const struct xv_vms_check_config *cfg, const struct xv_domain *d)
{
	unsigned state_bit = 1u << xv_domain_state(d);

	if (d->id == 0 && !cfg->dom0)
		return false;
	if ((cfg->include_states && !(cfg->include_states & state_bit)) ||
	    (cfg->exclude_states & state_bit))
		return false;
	return name_selected(cfg, d->name);
}

/* The VMs' texts, one after the other: a VM's parts are all added before
 * the next VM's (a buffer each, 1000 VMs took 5000 reallocations). */
struct texts {
	struct xv_buf lines;    /* the long-output lines, without line feeds */
	struct xv_buf problems; /* "crashed, cpu 97.5%": what is not OK */
};

/* [at, at + len) of one of the texts */
struct span {
	size_t at, len;
};

/* One selected VM, evaluated. */
struct vm {
	const struct xv_vms_host *host;
	const struct xv_domain *d;
	struct texts *texts;
	size_t order;          /* position in the hosts' listing, for stable output */
	enum xv_state state;   /* the worst of its parts */
	struct span line, problems;
	size_t hosts;          /* how many hosts report its name (a pool's split brain) */
	bool label_host;        /* its name is seen on several hosts */
	struct xv_rates rates;
	enum xv_rates_status rates_status;
	uint64_t gap_kib;       /* XV_KIB_UNKNOWN when unknown */
	uint64_t committed_permille; /* of its maximum; UINT64_MAX when unknown */
	uint64_t memory_permille;
};

/* A part of a VM's evaluation, the concatenation of the strings up to NULL:
 * into its line, and into its problems when not OK.  Strings rather than a
 * format: 8 parts of 1000 VMs are 8000 vsnprintf() setups otherwise, the
 * largest cost of the check after reading the snapshot. */
static void part(struct vm *v, enum xv_state s, const char *text, ...)
	__attribute__((sentinel));
static void part(struct vm *v, enum xv_state s, const char *text, ...)
{
	struct xv_buf *lines = &v->texts->lines, *problems = &v->texts->problems;
	va_list ap;
	size_t start;

	if (!v->line.len)
		v->line.at = lines->len;
	else
		xv_buf_adds(lines, ", ");
	start = lines->len;
	va_start(ap, text);
	for (const char *t = text; t; t = va_arg(ap, const char *))
		xv_buf_adds(lines, t);
	va_end(ap);
	v->line.len = lines->len - v->line.at;
	if (s != XV_OK) {
		if (!v->problems.len)
			v->problems.at = problems->len;
		else
			xv_buf_adds(problems, ", ");
		xv_buf_add(problems, lines->data + start, lines->len - start);
		v->problems.len = problems->len - v->problems.at;
		v->state = xv_state_worst(v->state, s);
	}
}

static void size_text(uint64_t kib, char *buf, size_t size)
{
	xv_format_kib(kib, buf, size);
}

/* "512 B/s", "2 MiB/s" (`buf` of RATE_TEXT bytes). */
#define RATE_TEXT 48
static void rate_text(uint64_t bytes_per_s, char *buf)
{
	size_t n;

	if (bytes_per_s < 1024) {
		n = xv_format_u64(bytes_per_s, buf);
		memcpy(buf + n, " B/s", 5);
		return;
	}
	xv_format_kib(bytes_per_s / 1024, buf, RATE_TEXT - 2);
	n = strlen(buf);
	memcpy(buf + n, "/s", 3);
}

/* "45 s", "12 min", "3 h". */
static void duration_text(uint64_t ms, char *buf, size_t size)
{
	uint64_t s = ms / 1000;

	if (s < 120)
		snprintf(buf, size, "%llu s", (unsigned long long)s);
	else if (s < 7200)
		snprintf(buf, size, "%llu min", (unsigned long long)(s / 60));
	else
		snprintf(buf, size, "%llu h", (unsigned long long)(s / 3600));
}

/* "93.7%" (`buf` of XV_U64_DIGITS + 3 bytes at least). */
static void permille_text(uint64_t permille, char *buf)
{
	size_t n = xv_format_u64(permille / 10, buf);

	buf[n++] = '.';
	buf[n++] = (char)('0' + permille % 10);
	buf[n++] = '%';
	buf[n] = '\0';
}

static double percent(uint64_t permille)
{
	return (double)permille / 10.0;
}

/* floor(1000 part / whole), or UINT64_MAX when whole is 0 or unknown;
 * both are at most XV_KIB_MAX (2^40): no overflow. */
static uint64_t permille_of(uint64_t part_kib, uint64_t whole_kib)
{
	if (!known(part_kib) || !known(whole_kib) || !whole_kib)
		return UINT64_MAX;
	return part_kib * 1000 / whole_kib;
}

static void eval_state(struct vm *v, const struct xv_vms_check_config *cfg)
{
	enum xv_dom_state s = xv_domain_state(v->d);

	part(v, cfg->state_for[s], xv_dom_state_name(s), NULL);
}

static void eval_memory(struct vm *v, const struct xv_vms_check_config *cfg)
{
	const struct xv_domain *d = v->d;
	char cur[32], max[32], pct[XV_U64_DIGITS + 3];
	struct xv_measure m;

	if (!known(d->cur_kib)) {
		part(v, any_threshold(&cfg->memory) ? XV_UNKNOWN : XV_OK, "memory unknown", NULL);
		return;
	}
	size_text(d->cur_kib, cur, sizeof(cur));
	v->memory_permille = permille_of(d->cur_kib, d->max_kib);
	m = (struct xv_measure){ .value = bytes(d->cur_kib),
				 .whole = known(d->max_kib) ? bytes(d->max_kib) : 0,
				 .has_percent = v->memory_permille != UINT64_MAX,
				 .percent = percent(v->memory_permille) };
	if (v->memory_permille == UINT64_MAX) {
		part(v, xv_thresholds_check(&cfg->memory, &m), "memory ", cur, NULL);
		return;
	}
	size_text(d->max_kib, max, sizeof(max));
	permille_text(v->memory_permille, pct);
	part(v, xv_thresholds_check(&cfg->memory, &m), "memory ", cur, " of ", max, " max (", pct,
	     ")", NULL);
}

/* Whether the gap alerts at one level, and since when (0: it does not). */
static uint64_t since(bool alerts, uint64_t before_ms, uint64_t now_ms)
{
	if (!alerts)
		return 0;
	return before_ms && before_ms <= now_ms ? before_ms : now_ms;
}

static void eval_gap(struct vm *v, const struct xv_vms_check_config *cfg,
		     const struct xv_state_vm *prev, struct xv_state_vm *next)
{
	const struct xv_domain *d = v->d;
	uint64_t now = v->host->snap->time_ms;
	char gap[32], target[32], lasted[32], wait[32];
	const char *side;
	bool warn, crit;
	double value;
	enum xv_state s;
	struct xv_measure m;

	v->gap_kib = XV_KIB_UNKNOWN;
	if (!known(d->target_kib) || !known(d->cur_kib)) {
		if (any_threshold(&cfg->gap))
			part(v, XV_UNKNOWN, "balloon target unknown", NULL);
		return;
	}
	v->gap_kib = d->cur_kib > d->target_kib ? d->cur_kib - d->target_kib
						: d->target_kib - d->cur_kib;
	size_text(d->target_kib, target, sizeof(target));
	m = (struct xv_measure){ .value = bytes(v->gap_kib), .whole = bytes(d->target_kib) };
	s = xv_thresholds_check(&cfg->gap, &m);
	if (s == XV_UNKNOWN) { /* a percent of a zero target */
		part(v, s, "balloon target 0", NULL);
		return;
	}
	warn = cfg->gap.has_warning && xv_range_value(&cfg->gap.warning, &m, &value) &&
	       xv_range_alerts(&cfg->gap.warning, value);
	crit = cfg->gap.has_critical && xv_range_value(&cfg->gap.critical, &m, &value) &&
	       xv_range_alerts(&cfg->gap.critical, value);
	next->gap_warning_since_ms = since(warn, prev ? prev->gap_warning_since_ms : 0, now);
	next->gap_critical_since_ms = since(crit, prev ? prev->gap_critical_since_ms : 0, now);
	if (v->gap_kib == 0) {
		part(v, s, "at target ", target, NULL);
		return;
	}
	size_text(v->gap_kib, gap, sizeof(gap));
	side = d->cur_kib > d->target_kib ? " above target " : " below target ";
	if (s == XV_OK || !cfg->gap_for_ms) {
		part(v, s, "balloon ", gap, side, target, NULL);
		return;
	}
	/* alert only once the gap lasted: the longest-lasting level that has */
	uint64_t crit_for = crit ? now - next->gap_critical_since_ms : 0;
	uint64_t warn_for = warn ? now - next->gap_warning_since_ms : 0;
	uint64_t lasted_ms = crit ? crit_for : warn_for;
	if (crit && crit_for >= cfg->gap_for_ms)
		s = XV_CRITICAL;
	else if (warn && warn_for >= cfg->gap_for_ms)
		s = XV_WARNING;
	else
		s = XV_OK;
	if (s == XV_WARNING)
		lasted_ms = warn_for;
	duration_text(lasted_ms, lasted, sizeof(lasted));
	if (s != XV_OK) {
		part(v, s, "balloon ", gap, side, target, " for ", lasted, NULL);
		return;
	}
	duration_text(cfg->gap_for_ms, wait, sizeof(wait));
	part(v, XV_OK, "balloon ", gap, side, target, " for ", lasted, " (alerts after ", wait, ")",
	     NULL);
}

/* What the guest says: used, committed against its maximum, swap. */
static void eval_guest(struct vm *v, const struct xv_vms_check_config *cfg)
{
	const struct xv_guest_memory *g = xv_domain_guest(v->d);
	uint64_t whole_kib = known(v->d->max_kib) ? v->d->max_kib : v->d->cur_kib;
	char a[32], b[32], pct[XV_U64_DIGITS + 3];

	v->committed_permille = UINT64_MAX;
	if (g->report != XV_GUEST_REPORTED) {
		/* said once for all VMs (report_guest_data()), and here only
		 * when a threshold asked for the figures */
		bool asked = any_threshold(&cfg->committed) || any_threshold(&cfg->swap);
		if (g->report == XV_GUEST_REFUSED)
			part(v, asked ? cfg->no_guest_state : XV_OK,
			     "guest figures refused (they cannot be true)", NULL);
		else if (asked)
			part(v, cfg->no_guest_state, "no guest memory figures", NULL);
		return;
	}
	if (known(xv_guest_used_kib(g))) {
		size_text(xv_guest_used_kib(g), a, sizeof(a));
		size_text(g->total_kib, b, sizeof(b));
		part(v, XV_OK, "guest uses ", a, " of ", b, NULL);
	}
	if (known(g->committed_kib)) {
		struct xv_measure m;
		v->committed_permille = permille_of(g->committed_kib, whole_kib);
		m = (struct xv_measure){ .value = bytes(g->committed_kib),
					 .whole = known(whole_kib) ? bytes(whole_kib) : 0,
					 .has_percent = v->committed_permille != UINT64_MAX,
					 .percent = percent(v->committed_permille) };
		size_text(g->committed_kib, a, sizeof(a));
		if (v->committed_permille != UINT64_MAX) {
			size_text(whole_kib, b, sizeof(b));
			permille_text(v->committed_permille, pct);
			part(v, xv_thresholds_check(&cfg->committed, &m), "committed ", a, " of ", b,
			     " (", pct, ")", NULL);
		} else {
			part(v, xv_thresholds_check(&cfg->committed, &m), "committed ", a, NULL);
		}
	} else if (any_threshold(&cfg->committed)) {
		part(v, cfg->no_guest_state, "no Committed_AS", NULL);
	}
	if (known(g->swap_used_kib)) {
		size_text(g->swap_used_kib, a, sizeof(a));
		part(v, XV_OK, "swap used ", a, NULL);
	}
}

/* `prev`: the VM's record in `base`, NULL when it has none. */
static void eval_rates(struct vm *v, const struct xv_vms_check_config *cfg,
		       const struct xv_state_file *base, const struct xv_state_vm *prev)
{
	char text[RATE_TEXT];
	struct xv_measure m;

	v->rates_status = xv_rates_compute(prev, v->d, v->host->snap->time_ms, &v->rates);
	/* a first run is said once, by the caller; a VM's own story here */
	if (base && base->time_ms && v->rates_status == XV_RATES_NO_PREVIOUS)
		part(v, XV_OK, "new since the last reading (no rates yet)", NULL);
	else if (v->rates_status == XV_RATES_RESTARTED)
		part(v, XV_OK, "restarted since the last reading (no rates)", NULL);
	if (v->rates.has[XV_RATE_CPU]) {
		uint64_t p = v->rates.value[XV_RATE_CPU];
		m = (struct xv_measure){ .value = percent(p), .has_percent = true,
					 .percent = percent(p) };
		permille_text(p, text);
		part(v, xv_thresholds_check(&cfg->cpu, &m), "cpu ", text, NULL);
	}
	if (v->rates.has[XV_RATE_CPU_WAIT] && v->rates.value[XV_RATE_CPU_WAIT]) {
		permille_text(v->rates.value[XV_RATE_CPU_WAIT], text);
		part(v, XV_OK, "waited for a cpu ", text, NULL);
	}
	if (v->rates.has[XV_RATE_SWAP]) {
		uint64_t r = v->rates.value[XV_RATE_SWAP];
		m = (struct xv_measure){ .value = (double)r };
		rate_text(r, text);
		part(v, xv_thresholds_check(&cfg->swap, &m), "swapping ", text, NULL);
	}
}

/* --- perfdata ------------------------------------------------------------ */

/* One perfdata value labelled NAME_METRIC: `label` holds "NAME_" (or
 * "NAME@HOST_"), `prefix` bytes, built once per VM. */
static void perf(struct xv_check *c, struct xv_buf *label, size_t prefix, const char *metric,
		 double value, const char *uom, const struct xv_thresholds *t, double whole,
		 bool has_max, double max)
{
	struct xv_perf p = { .value = value, .uom = uom, .thresholds = t, .whole = whole,
			     .has_min = true, .min = 0, .has_max = has_max, .max = max };

	xv_buf_truncate(label, prefix);
	xv_buf_adds(label, metric);
	p.label = label->data;
	xv_check_perf(c, &p);
}

/* `label` is scratch space, reused from VM to VM. */
static void vm_perfdata(struct xv_check *c, const struct vm *v, const struct xv_vms_check_config *cfg,
			struct xv_buf *label)
{
	const struct xv_domain *d = v->d;
	const struct xv_guest_memory *g = xv_domain_guest(d);
	unsigned groups = cfg->perfdata;
	static const struct {
		enum xv_rate rate;
		const char *metric;
	} traffic[] = {
		{ XV_RATE_DISK_READ, "disk_read_Bps" }, { XV_RATE_DISK_WRITE, "disk_write_Bps" },
		{ XV_RATE_NET_RX, "net_rx_Bps" },       { XV_RATE_NET_TX, "net_tx_Bps" },
	};
	size_t n;

	xv_buf_reset(label);
	xv_buf_adds(label, d->name);
	if (v->label_host) {
		xv_buf_addch(label, '@');
		xv_buf_adds(label, v->host->name);
	}
	xv_buf_addch(label, '_');
	n = label->len;

	if ((groups & XV_VMS_PERF_MEM) && known(d->cur_kib))
		perf(c, label, n, "mem", bytes(d->cur_kib), "B", &cfg->memory,
		     known(d->max_kib) ? bytes(d->max_kib) : 0, known(d->max_kib), bytes(d->max_kib));
	if ((groups & XV_VMS_PERF_GAP) && known(v->gap_kib))
		perf(c, label, n, "gap", bytes(v->gap_kib), "B", &cfg->gap, bytes(d->target_kib), false, 0);
	if ((groups & XV_VMS_PERF_CPU) && v->rates.has[XV_RATE_CPU])
		perf(c, label, n, "cpu", percent(v->rates.value[XV_RATE_CPU]), "%", &cfg->cpu, 100, false, 0);
	if (groups & XV_VMS_PERF_GUEST) {
		uint64_t whole = known(d->max_kib) ? d->max_kib : d->cur_kib;
		if (known(xv_guest_used_kib(g)))
			perf(c, label, n, "used", bytes(xv_guest_used_kib(g)), "B", NULL, 0, true,
			     bytes(g->total_kib));
		if (known(g->committed_kib))
			perf(c, label, n, "committed", bytes(g->committed_kib), "B", &cfg->committed,
			     known(whole) ? bytes(whole) : 0, false, 0);
		if (known(g->swap_used_kib))
			perf(c, label, n, "swap_used", bytes(g->swap_used_kib), "B", NULL, 0,
			     known(g->swap_total_kib), bytes(g->swap_total_kib));
		if (v->rates.has[XV_RATE_SWAP])
			perf(c, label, n, "swap_Bps", (double)v->rates.value[XV_RATE_SWAP], "", &cfg->swap, 0,
			     false, 0);
	}
	if (groups & XV_VMS_PERF_IO) {
		if (v->rates.has[XV_RATE_CPU_WAIT])
			perf(c, label, n, "cpu_wait", percent(v->rates.value[XV_RATE_CPU_WAIT]), "%", NULL, 0,
			     false, 0);
		for (size_t i = 0; i < XV_ARRAY_SIZE(traffic); i++)
			if (v->rates.has[traffic[i].rate])
				perf(c, label, n, traffic[i].metric, (double)v->rates.value[traffic[i].rate], "",
				     NULL, 0, false, 0);
	}
}

/* --- the whole check ----------------------------------------------------- */

/* sorted[0..n) worst first, VMs of one state in the order listed (vms[]
 * is): a counting sort over the four ranks, not qsort()'s n log n calls. */
static void sort_worst_first(struct vm **sorted, struct vm *vms, size_t n)
{
	size_t at[5] = { 0 };

	for (size_t i = 0; i < n; i++)
		at[4 - xv_state_rank(vms[i].state)]++;
	for (size_t r = 0, sum = 0; r < 5; r++) {
		size_t c = at[r];
		at[r] = sum;
		sum += c;
	}
	for (size_t i = 0; i < n; i++)
		sorted[at[4 - xv_state_rank(vms[i].state)]++] = &vms[i];
}

/* A VM whose name several hosts report (a pool's split brain) is labelled
 * with its host too, so no two perfdata labels are the same.  Names are
 * gathered in a hash table: first[i] is the first VM named as vms[i]. */
static void mark_repeated_names(struct vm *vms, size_t n)
{
	size_t cap = 16;
	uint32_t *slot, *first;

	while (cap < 2 * n)
		cap *= 2;
	slot = xv_calloc(cap, sizeof(*slot)); /* a VM's index + 1; 0: free */
	first = xv_malloc((n ? n : 1) * sizeof(*first));
	for (size_t i = 0; i < n; i++) {
		size_t k = (size_t)xv_hash_str(vms[i].d->name) & (cap - 1);
		while (slot[k] && strcmp(vms[slot[k] - 1].d->name, vms[i].d->name))
			k = (k + 1) & (cap - 1);
		if (!slot[k])
			slot[k] = (uint32_t)i + 1;
		first[i] = slot[k] - 1;
		vms[first[i]].hosts++;
	}
	/* two copies of one VM writing to the same disks, or two VMs a pool
	 * cannot tell apart */
	for (size_t i = 0; i < n; i++) {
		if (vms[first[i]].hosts < 2)
			continue;
		vms[i].hosts = vms[first[i]].hosts;
		vms[i].label_host = true;
	}
	free(slot);
	free(first);
}

static void eval_repeated_name(struct vm *v, const struct xv_vms_check_config *cfg)
{
	char count[XV_U64_DIGITS + 1];

	if (v->hosts < 2)
		return;
	xv_format_u64(v->hosts, count);
	part(v, cfg->duplicate_state, "on ", count, " hosts at once", NULL);
}

static void report_silent_hosts(const struct xv_vms_input *in, const struct xv_vms_check_config *cfg,
				struct xv_check *c)
{
	struct xv_buf names = XV_BUF_INIT;
	size_t n = 0;

	for (size_t h = 0; h < in->n_hosts; h++) {
		if (in->hosts[h].snap)
			continue;
		xv_check_detail(c, "host %s: no answer (%s): its VMs are not checked", in->hosts[h].name,
				in->hosts[h].why ? in->hosts[h].why : "unknown reason");
		if (n < 3)
			xv_buf_addf(&names, "%s%s", n ? ", " : "", in->hosts[h].name);
		n++;
	}
	if (n)
		xv_check_add(c, cfg->no_answer_state, "%zu host%s did not answer (%s%s)", n,
			     n == 1 ? "" : "s", names.data, n > 3 ? ", ..." : "");
	xv_buf_release(&names);
}

static void report_missing(const struct xv_vms_input *in, const struct xv_vms_check_config *cfg,
			   struct xv_check *c)
{
	struct xv_buf names = XV_BUF_INIT;
	size_t n = 0;

	for (size_t i = 0; i < in->n_missing; i++) {
		if (!name_selected(cfg, in->missing[i]))
			continue;
		xv_check_detail(c, "%s: missing (not on any host that answered)", in->missing[i]);
		if (n < 3)
			xv_buf_addf(&names, "%s%s", n ? ", " : "", in->missing[i]);
		n++;
	}
	if (n)
		xv_check_add(c, cfg->missing_state, "%zu missing (%s%s)", n, names.data,
			     n > 3 ? ", ..." : "");
	xv_buf_release(&names);
}

/* Says once, not per VM, which guests report nothing about their memory. */
static void report_guest_data(struct vm **vms, size_t n, struct xv_check *c)
{
	size_t none = 0, refused = 0;
	struct xv_buf names = XV_BUF_INIT;

	for (size_t i = 0; i < n; i++) {
		enum xv_guest_report r = xv_domain_guest(vms[i]->d)->report;
		if (r == XV_GUEST_REPORTED)
			continue;
		if (r == XV_GUEST_REFUSED)
			refused++;
		else
			none++;
		if (none + refused <= 3)
			xv_buf_addf(&names, "%s%s", none + refused > 1 ? ", " : "", vms[i]->d->name);
	}
	if (!none && !refused)
		goto out;
	xv_check_detail(c, "no guest memory figures from %zu of %zu VMs (%s%s): %zu publish none "
			"(no self-balloon daemon or balloon driver statistics), %zu published "
			"figures that cannot be true", none + refused, n, names.data,
			none + refused > 3 ? ", ..." : "", none, refused);
out:
	xv_buf_release(&names);
}

static void summary(struct vm **sorted, size_t n, const struct xv_vms_check_config *cfg,
		    struct xv_check *c)
{
	size_t count[4] = { 0 }, named = 0, rest = 0;
	enum xv_state rest_state = XV_OK;

	for (size_t i = 0; i < n; i++) {
		const struct vm *v = sorted[i];
		count[v->state]++;
		if (v->state == XV_OK)
			continue;
		if (named < cfg->max_named) {
			xv_check_add(c, v->state, "%s%s%s %.*s", v->d->name, v->label_host ? "@" : "",
				     v->label_host ? v->host->name : "", (int)v->problems.len,
				     v->texts->problems.data + v->problems.at);
			named++;
		} else {
			rest++;
			rest_state = xv_state_worst(rest_state, v->state);
		}
	}
	if (rest)
		xv_check_add(c, rest_state, "%zu more VM%s with problems", rest, rest == 1 ? "" : "s");
	struct xv_buf counts_text = XV_BUF_INIT;
	static const enum xv_state order[] = { XV_CRITICAL, XV_UNKNOWN, XV_WARNING, XV_OK };
	for (size_t i = 0; i < XV_ARRAY_SIZE(order); i++)
		if (count[order[i]])
			xv_buf_addf(&counts_text, "%s%zu %s", counts_text.len ? ", " : "",
				    count[order[i]], order[i] == XV_OK ? "ok" :
				    order[i] == XV_WARNING ? "warning" :
				    order[i] == XV_CRITICAL ? "critical" : "unknown");
	if (n)
		xv_check_add(c, XV_OK, "%zu VM%s (%s)", n, n == 1 ? "" : "s", counts_text.data);
	else
		xv_check_add(c, XV_OK, "no VMs selected");
	xv_buf_release(&counts_text);
	struct xv_perf p = { .uom = "", .has_min = true };
	static const struct {
		const char *label;
		enum xv_state state;
	} counts[] = { { "vms_ok", XV_OK }, { "vms_warning", XV_WARNING },
		       { "vms_critical", XV_CRITICAL }, { "vms_unknown", XV_UNKNOWN } };
	p.label = "vms";
	p.value = (double)n;
	xv_check_perf(c, &p);
	for (size_t i = 0; i < XV_ARRAY_SIZE(counts); i++) {
		p.label = counts[i].label;
		p.value = (double)count[counts[i].state];
		xv_check_perf(c, &p);
	}
}

/* "NAME[ on HOST] (id N, FLAGS, STATE): LINE", built in `scratch`. */
static void vm_line(struct xv_check *c, const struct vm *v, bool pool, struct xv_buf *scratch)
{
	char flags[7];

	xv_domain_flags_string(v->d->flags, flags);
	xv_buf_reset(scratch);
	xv_buf_adds(scratch, v->d->name);
	if (pool) {
		xv_buf_adds(scratch, " on ");
		xv_buf_adds(scratch, v->host->name);
	}
	xv_buf_adds(scratch, " (id ");
	xv_buf_add_u64(scratch, v->d->id);
	xv_buf_adds(scratch, ", ");
	xv_buf_adds(scratch, flags);
	xv_buf_adds(scratch, ", ");
	xv_buf_adds(scratch, xv_state_name(v->state));
	xv_buf_adds(scratch, "): ");
	xv_buf_add(scratch, v->texts->lines.data + v->line.at, v->line.len);
	xv_check_detail_text(c, scratch->data);
}

void xv_vms_check_run(const struct xv_vms_input *in, const struct xv_vms_check_config *cfg,
		      struct xv_state_file *next, struct xv_check *c)
{
	struct vm *vms = NULL;
	struct vm **sorted;
	struct texts texts = { XV_BUF_INIT, XV_BUF_INIT };
	struct xv_buf label = XV_BUF_INIT;
	size_t n = 0, alloc = 0, order = 0, all = 0, start;

	if (in->subject)
		xv_check_subject(c, in->subject);
	for (size_t h = 0; h < in->n_hosts; h++)
		all += in->hosts[h].snap ? in->hosts[h].snap->n_domains : 0;
	vms = xv_reserve(vms, sizeof(*vms), all, &alloc);
	for (size_t h = 0; h < in->n_hosts; h++) {
		const struct xv_snapshot *snap = in->hosts[h].snap;
		for (size_t i = 0; snap && i < snap->n_domains; i++, order++) {
			const struct xv_domain *d = &snap->domains[i];
			if (!xv_vms_check_selects(cfg, d))
				continue;
			vms = xv_grow(vms, sizeof(*vms), n + 1, &alloc);
			memset(&vms[n], 0, sizeof(vms[n]));
			vms[n].host = &in->hosts[h];
			vms[n].d = d;
			vms[n].order = order;
			vms[n].texts = &texts;
			n++;
		}
	}
	sorted = xv_calloc(n ? n : 1, sizeof(*sorted));
	mark_repeated_names(vms, n);
	for (size_t i = 0; i < n; i++) {
		struct vm *v = &vms[i];
		const struct xv_state_vm *prev =
			in->previous ? xv_state_file_find(in->previous, v->d->uuid) : NULL;
		/* the rates' base is usually the previous run: looked up once */
		const struct xv_state_vm *base =
			in->rate_base == in->previous ? prev :
			in->rate_base ? xv_state_file_find(in->rate_base, v->d->uuid) : NULL;
		struct xv_state_vm *kept = xv_state_file_add(next, v->d, v->host->snap->time_ms);

		eval_state(v, cfg);
		eval_memory(v, cfg);
		eval_gap(v, cfg, prev, kept);
		eval_guest(v, cfg);
		eval_rates(v, cfg, in->rate_base, base);
		eval_repeated_name(v, cfg);
		if (i == 0) {
			xv_buf_reserve_like(&texts.lines, 0, 1, n);
			xv_buf_reserve_like(&texts.problems, 0, 1, n);
		}
	}
	sort_worst_first(sorted, vms, n);

	report_silent_hosts(in, cfg, c);
	report_missing(in, cfg, c);
	summary(sorted, n, cfg, c);
	report_guest_data(sorted, n, c);
	start = c->details.len;
	for (size_t i = 0; i < n; i++) {
		vm_line(c, sorted[i], in->pool, &label);
		if (i == 0)
			xv_buf_reserve_like(&c->details, start, 1, n);
	}
	start = c->perf.len;
	for (size_t i = 0; i < n; i++) {
		vm_perfdata(c, &vms[i], cfg, &label);
		if (i == 0)
			xv_buf_reserve_like(&c->perf, start, 1, n);
	}
	xv_buf_release(&label);
	xv_buf_release(&texts.lines);
	xv_buf_release(&texts.problems);
	free(sorted);
	free(vms);
}
