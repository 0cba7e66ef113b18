/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_host.c: host memory and domain health. */
#include "host_check.h"
#include "buf.h"
#include "num.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* How many names a status-line entry lists before "...". */
#define MAX_NAMES 3

void xv_host_check_defaults(struct xv_host_check_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	xv_range_parse("10%:", XV_ALLOW_MEMORY, &cfg->free.warning);
	xv_range_parse("5%:", XV_ALLOW_MEMORY, &cfg->free.critical);
	cfg->free.has_warning = cfg->free.has_critical = true;
	cfg->crashed_state = XV_CRITICAL;
	cfg->shutdown_state = XV_WARNING;
	cfg->paused_state = XV_OK;
}

static double bytes(uint64_t kib)
{
	return (double)kib * 1024.0;
}

/* Adds "2 crashed (web3, db1)" for the domains in state `s`, if any (of
 * which `count` says how many there are: none, most often). */
static void report_state(struct xv_check *c, const struct xv_snapshot *snap, const size_t *count,
			 enum xv_dom_state s, const char *label, enum xv_state state)
{
	struct xv_buf names = XV_BUF_INIT;
	size_t n = 0;

	if (!count[s])
		return;
	for (size_t i = 0; i < snap->n_domains; i++) {
		if (xv_domain_state(&snap->domains[i]) != s)
			continue;
		if (n < MAX_NAMES)
			xv_buf_addf(&names, "%s%s", n ? ", " : "", snap->domains[i].name);
		n++;
	}
	if (n)
		xv_check_add(c, state, "%zu %s (%s%s)", n, label, names.data,
			     n > MAX_NAMES ? ", ..." : "");
	xv_buf_release(&names);
}

static void perf_count(struct xv_check *c, const char *label, double v,
		       const struct xv_thresholds *t)
{
	struct xv_perf p = { .label = label, .value = v, .uom = "", .thresholds = t,
			     .has_min = true, .min = 0 };
	xv_check_perf(c, &p);
}

static void perf_bytes(struct xv_check *c, const char *label, uint64_t kib,
		       const struct xv_thresholds *t, uint64_t total_kib)
{
	struct xv_perf p = { .label = label, .value = bytes(kib), .uom = "B", .thresholds = t,
			     .whole = bytes(total_kib), .has_min = true, .min = 0,
			     .has_max = total_kib != XV_KIB_UNKNOWN, .max = bytes(total_kib) };
	xv_check_perf(c, &p);
}

static void domain_details(struct xv_check *c, const struct xv_snapshot *snap, bool all)
{
	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		char flags[7], cur[32], max[32];

		if (!all && xv_domain_is_up(d))
			continue;
		xv_domain_flags_string(d->flags, flags);
		xv_format_kib(d->cur_kib, cur, sizeof(cur));
		if (d->max_kib == XV_KIB_UNKNOWN)
			strcpy(max, "unknown");
		else
			xv_format_kib(d->max_kib, max, sizeof(max));
		xv_check_detail(c, "%s (id %u) %s %s: %s of %s max, %u vcpus", d->name, d->id,
				flags, xv_dom_state_name(xv_domain_state(d)), cur, max, d->vcpus);
	}
}

/* Free memory in hundredths of a percent, rounded down: the one value the
 * text, the perfdata and a percent threshold all use. */
static uint64_t free_centi_pct(const struct xv_host *h)
{
	return h->free_kib * 10000 / h->total_kib; /* both <= 2^40 */
}

void xv_host_check_run(const struct xv_snapshot *snap, const struct xv_host_check_config *cfg,
		   struct xv_check *c)
{
	const struct xv_host *h = &snap->host;
	size_t count[XV_STATE_COUNT] = { 0 };
	size_t up = 0;
	char free_s[32], total_s[32], dom0_s[32], pct_s[32], ratio_s[32];
	bool mem_known = h->total_kib != XV_KIB_UNKNOWN && h->total_kib && h->free_kib != XV_KIB_UNKNOWN;
	double free_pct = mem_known ? free_centi_pct(h) / 100.0 : 0;
	double ratio = xv_snapshot_overcommit_milli(snap) / 1000.0;
	double vcpu_ratio = xv_snapshot_vcpu_overcommit_milli(snap) / 1000.0;
	uint64_t ballooned_kib = xv_snapshot_ballooned_kib(snap), vcpus = 0;
	struct xv_measure m;

	xv_check_subject(c, h->name);
	for (size_t i = 0; i < snap->n_domains; i++) {
		count[xv_domain_state(&snap->domains[i])]++;
		up += xv_domain_is_up(&snap->domains[i]);
		if (snap->domains[i].id != 0)
			vcpus += snap->domains[i].vcpus;
	}

	/* problems first: the renderer sorts, but the order here is the order
	 * among equals */
	report_state(c, snap, count, XV_STATE_CRASHED, "crashed", cfg->crashed_state);
	report_state(c, snap, count, XV_STATE_DYING, "dying", cfg->crashed_state);
	report_state(c, snap, count, XV_STATE_SHUTDOWN, "shut down", cfg->shutdown_state);
	report_state(c, snap, count, XV_STATE_PAUSED, "paused", cfg->paused_state);

	if (mem_known) {
		xv_format_kib(h->free_kib, free_s, sizeof(free_s));
		xv_format_kib(h->total_kib, total_s, sizeof(total_s));
		m = (struct xv_measure){ .value = bytes(h->free_kib), .whole = bytes(h->total_kib),
					 .has_percent = true, .percent = free_pct };
		xv_format_double(free_pct, pct_s, sizeof(pct_s));
		xv_check_add(c, xv_thresholds_check(&cfg->free, &m), "free %s of %s (%s%%)", free_s,
			     total_s, pct_s);
	} else {
		xv_check_add(c, XV_UNKNOWN, "free memory unknown (the source does not report it)");
	}

	if (h->dom0_kib == XV_KIB_UNKNOWN) {
		if (cfg->dom0.has_warning || cfg->dom0.has_critical)
			xv_check_add(c, XV_UNKNOWN, "dom0 memory unknown");
	} else if (cfg->dom0.has_warning || cfg->dom0.has_critical) {
		xv_format_kib(h->dom0_kib, dom0_s, sizeof(dom0_s));
		m = (struct xv_measure){ .value = bytes(h->dom0_kib),
					 .whole = mem_known ? bytes(h->total_kib) : 0 };
		xv_check_add(c, xv_thresholds_check(&cfg->dom0, &m), "dom0 %s", dom0_s);
	}

	m = (struct xv_measure){ .value = (double)snap->n_domains };
	xv_check_add(c, xv_thresholds_check(&cfg->domains, &m), "%zu domain%s (%zu up)",
		     snap->n_domains, snap->n_domains == 1 ? "" : "s", up);

	m = (struct xv_measure){ .value = ratio };
	xv_format_double(ratio, ratio_s, sizeof(ratio_s));
	xv_check_add(c, xv_thresholds_check(&cfg->overcommit, &m), "overcommit %s", ratio_s);

	if (count[XV_STATE_NONE] && cfg->verbose > 0)
		xv_check_detail(c, "%zu domain%s runnable, waiting for a physical cpu",
				count[XV_STATE_NONE], count[XV_STATE_NONE] == 1 ? "" : "s");
	if (h->cpus) {
		xv_format_double(vcpu_ratio, ratio_s, sizeof(ratio_s));
		m = (struct xv_measure){ .value = vcpu_ratio };
		if (cfg->vcpus.has_warning || cfg->vcpus.has_critical)
			xv_check_add(c, xv_thresholds_check(&cfg->vcpus, &m), "%s vcpus per cpu",
				     ratio_s);
		else if (cfg->verbose > 0)
			xv_check_detail(c, "%s guest vcpus per physical cpu (%u cpus)", ratio_s, h->cpus);
	} else if (cfg->vcpus.has_warning || cfg->vcpus.has_critical) {
		xv_check_add(c, XV_UNKNOWN, "vcpus per cpu unknown (the source does not report "
			     "the host's cpus)");
	}
	if (ballooned_kib && cfg->verbose > 0) {
		char b[32];
		xv_format_kib(ballooned_kib, b, sizeof(b));
		xv_check_detail(c, "ballooned out of the guests: %s (their maximum less what they hold)",
				b);
	}

	domain_details(c, snap, cfg->verbose > 0);
	if (cfg->verbose >= 2) {
		xv_check_describe_thresholds(c, "free memory", &cfg->free);
		xv_check_describe_thresholds(c, "dom0 memory", &cfg->dom0);
		xv_check_describe_thresholds(c, "domains", &cfg->domains);
		xv_check_describe_thresholds(c, "overcommit", &cfg->overcommit);
		xv_check_describe_thresholds(c, "vcpus per cpu", &cfg->vcpus);
		xv_check_describe_thresholds(c, "cpu", &cfg->cpu);
		xv_check_detail(c, "config: crashed or dying %s, shut down %s, paused %s",
				xv_state_name(cfg->crashed_state), xv_state_name(cfg->shutdown_state),
				xv_state_name(cfg->paused_state));
	}

	if (h->total_kib != XV_KIB_UNKNOWN)
		perf_bytes(c, "mem_total", h->total_kib, NULL, XV_KIB_UNKNOWN);
	if (mem_known) {
		perf_bytes(c, "mem_free", h->free_kib, &cfg->free, h->total_kib);
		struct xv_perf p = { .label = "mem_free_pct", .value = free_pct, .uom = "%",
				     .thresholds = &cfg->free, .whole = bytes(h->total_kib),
				     .has_min = true, .min = 0, .has_max = true, .max = 100 };
		xv_check_perf(c, &p);
	}
	if (h->scrub_kib != XV_KIB_UNKNOWN)
		perf_bytes(c, "mem_scrub", h->scrub_kib, NULL, h->total_kib);
	if (h->outstanding_kib != XV_KIB_UNKNOWN)
		perf_bytes(c, "mem_outstanding", h->outstanding_kib, NULL, h->total_kib);
	if (h->dom0_kib != XV_KIB_UNKNOWN)
		perf_bytes(c, "dom0_mem", h->dom0_kib, &cfg->dom0, h->total_kib);
	perf_count(c, "domains", (double)snap->n_domains, &cfg->domains);
	/* a runnable domain waiting for a CPU ("------") counts as running */
	perf_count(c, "domains_running", (double)(count[XV_STATE_RUNNING] + count[XV_STATE_NONE]), NULL);
	perf_count(c, "domains_blocked", (double)count[XV_STATE_BLOCKED], NULL);
	perf_count(c, "domains_paused", (double)count[XV_STATE_PAUSED], NULL);
	perf_count(c, "domains_shutdown", (double)count[XV_STATE_SHUTDOWN], NULL);
	perf_count(c, "domains_crashed", (double)count[XV_STATE_CRASHED], NULL);
	perf_count(c, "domains_dying", (double)count[XV_STATE_DYING], NULL);
	if (h->total_kib != XV_KIB_UNKNOWN && h->total_kib) {
		struct xv_perf p = { .label = "overcommit", .value = ratio, .uom = "",
				     .thresholds = &cfg->overcommit, .has_min = true, .min = 0 };
		xv_check_perf(c, &p);
		perf_bytes(c, "mem_ballooned", ballooned_kib, NULL, XV_KIB_UNKNOWN);
	}
	perf_count(c, "vcpus", (double)vcpus, NULL);
	if (h->cpus) {
		struct xv_perf p = { .label = "vcpu_overcommit", .value = vcpu_ratio, .uom = "",
				     .thresholds = &cfg->vcpus, .has_min = true, .min = 0 };
		xv_check_perf(c, &p);
	}
	perf_count(c, "domains_waiting", (double)count[XV_STATE_NONE], NULL);
}

void xv_host_check_cpu(unsigned permille, const struct xv_host_check_config *cfg,
		       struct xv_check *c)
{
	double pct = permille / 10.0;
	char text[32];
	struct xv_measure m = { .value = pct, .has_percent = true, .percent = pct };
	struct xv_perf p = { .label = "cpu", .value = pct, .uom = "%", .thresholds = &cfg->cpu,
			     .whole = 100, .has_min = true, .min = 0, .has_max = true, .max = 100 };

	snprintf(text, sizeof(text), "%u.%u%%", permille / 10, permille % 10);
	xv_check_add(c, xv_thresholds_check(&cfg->cpu, &m), "cpu %s", text);
	xv_check_perf(c, &p);
}
