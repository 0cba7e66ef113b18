/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_pool.c: pool availability, problems and perfdata.
 *
 * Every ratio is the report's integer (tenths of a percent); the state is
 * decided on exactly the value the text and the perfdata print. */
#include "pool_check.h"
#include "buf.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

/* How many names a status-line entry lists before "...". */
#define MAX_NAMES 3

void xv_pool_check_defaults(struct xv_pool_check_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	xv_range_parse("100:", XV_ALLOW_PERCENT, &cfg->availability.warning);
	xv_range_parse("90:", XV_ALLOW_PERCENT, &cfg->availability.critical);
	cfg->availability.has_warning = cfg->availability.has_critical = true;
	cfg->duplicate_state = XV_CRITICAL;
	cfg->unexpected_state = XV_WARNING;
	cfg->unmeasured_state = XV_CRITICAL;
}

static double percent(struct xv_permille p)
{
	return p.value / 10.0;
}

static enum xv_state ratio_state(const struct xv_thresholds *t, struct xv_permille p)
{
	struct xv_measure m = { .value = percent(p), .whole = 100 };

	if (!p.defined)
		return (t->has_warning || t->has_critical) ? XV_UNKNOWN : XV_OK;
	return xv_thresholds_check(t, &m);
}

/* An undefined ratio is left out: "U%" is not a number to Icinga 2. */
static void perf_ratio(struct xv_check *c, const char *label, struct xv_permille p,
		       const struct xv_thresholds *t)
{
	struct xv_perf perf = { .label = label, .value = percent(p), .uom = "%", .thresholds = t,
				.whole = 100, .has_min = true, .min = 0, .has_max = true,
				.max = 100 };

	if (p.defined)
		xv_check_perf(c, &perf);
}

static void perf_count(struct xv_check *c, const char *label, size_t n)
{
	struct xv_perf p = { .label = label, .value = (double)n, .uom = "", .has_min = true };
	xv_check_perf(c, &p);
}

/* The status-line state of a kind of problem. */
static enum xv_state kind_state(const struct xv_pool_check_config *cfg, enum xv_problem_kind k)
{
	switch (k) {
	case XV_PROBLEM_DUPLICATE:
		return cfg->duplicate_state;
	case XV_PROBLEM_UNEXPECTED:
		return cfg->unexpected_state;
	default:
		/* counted in the ratios, whose thresholds decide */
		return XV_OK;
	}
}

/* "2 hosts down (xen-a, xen-b)", "1 not up (db1 paused on xen-b)" */
static void summarize(struct xv_check *c, const struct xv_pool_problems *p,
		      const struct xv_pool_check_config *cfg)
{
	struct xv_buf b = XV_BUF_INIT;

	for (int k = 0; k < XV_PROBLEM_KINDS; k++) {
		size_t n = p->count[k], shown = 0;
		if (!n)
			continue;
		for (size_t i = 0; i < p->n && shown < MAX_NAMES; i++) {
			const struct xv_problem *it = &p->items[i];
			if (it->kind != (enum xv_problem_kind)k)
				continue;
			xv_buf_addf(&b, "%s%s", shown++ ? ", " : "", it->name);
		}
		const char *noun = k > XV_PROBLEM_HOST_UNASKED ? "" : n > 1 ? "hosts " : "host ";
		xv_check_add(c, kind_state(cfg, (enum xv_problem_kind)k), "%zu %s%s (%s%s)", n, noun,
			     xv_problem_label((enum xv_problem_kind)k), b.data,
			     n > MAX_NAMES ? ", ..." : "");
		xv_buf_reset(&b);
	}
	xv_buf_release(&b);
	for (size_t i = 0; i < p->n; i++)
		xv_check_detail(c, "%s %s %s: %s", xv_problem_subject(p->items[i].kind),
				p->items[i].name, xv_problem_label(p->items[i].kind),
				p->items[i].detail);
}

/* Why the poll is not a measurement, as the one status entry that counts. */
static void unmeasured(struct xv_check *c, const struct xv_inventory *inv,
		       const struct xv_inv_pool *pool, const struct xv_poll_result *results,
		       const struct xv_pool_report *r, const struct xv_pool_check_config *cfg)
{
	const struct xv_poll_result *first = &results[r->first_unasked];
	const char *host = inv->hosts[pool->hosts[r->first_unasked]].name;

	switch (r->verdict) {
	case XV_POOL_CHECKER_FAILED:
		xv_check_add(c, XV_UNKNOWN, "availability not measured: %zu of %zu hosts could not "
			     "be asked (%s: %s)", r->hosts_unasked, r->hosts_expected, host,
			     first->error.msg);
		break;
	case XV_POOL_OUT_OF_TIME:
		xv_check_add(c, cfg->unmeasured_state, "availability not measured: %zu of %zu hosts "
			     "unanswered when the check ran out of time (raise -t above their "
			     "timeout)", r->hosts_unasked, r->hosts_expected);
		break;
	case XV_POOL_NO_ANSWER:
		xv_check_add(c, cfg->unmeasured_state, "no host answered (%zu expected): the pool "
			     "is down, or this checker cannot reach it", r->hosts_expected);
		break;
	default:
		break;
	}
}

static void verbose_details(struct xv_check *c, const struct xv_inventory *inv,
			    const struct xv_inv_pool *pool, const struct xv_poll_result *results,
			    const struct xv_pool_report *r, const struct xv_pool_check_config *cfg)
{
	if (cfg->verbose >= 1)
		for (size_t i = 0; i < r->n_seen; i++)
			xv_check_detail(c, "%s on %s: %s", r->seen[i].vm,
					inv->hosts[r->seen[i].host].name,
					xv_dom_state_name(r->seen[i].state));
	if (cfg->verbose >= 2) {
		xv_check_detail(c, "config: inventory %s, pool %s: %zu hosts, %zu VMs expected",
				inv->path, pool->name, pool->n_hosts, pool->n_vms);
		xv_check_describe_thresholds(c, "availability", &cfg->availability);
		xv_check_describe_thresholds(c, "vm ratio", &cfg->vm_ratio);
		xv_check_describe_thresholds(c, "server ratio", &cfg->server_ratio);
	}
	if (cfg->verbose >= 3)
		for (size_t i = 0; i < pool->n_hosts; i++)
			xv_check_detail(c, "debug: host %s (%s): %u ms, %s",
					inv->hosts[pool->hosts[i]].name, inv->hosts[pool->hosts[i]].uri,
					results[i].elapsed_ms,
					results[i].error.code == XV_E_NONE
						? "answered" : xv_error_code_name(results[i].error.code));
}

void xv_pool_check_run(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		   const struct xv_poll_result *results, const struct xv_pool_report *r,
		   const struct xv_pool_check_config *cfg, unsigned poll_ms, struct xv_check *c)
{
	struct xv_pool_problems problems;
	char pct[16];
	bool measured = r->verdict == XV_POOL_MEASURED;

	xv_check_subject(c, pool->name);
	if (r->verdict == XV_POOL_EMPTY) {
		xv_check_add(c, XV_UNKNOWN, "the pool expects no hosts and no VMs: nothing to "
			     "measure (check the inventory)");
		return;
	}
	if (measured) {
		xv_permille_format(r->availability.value, pct, sizeof(pct));
		xv_check_add(c, ratio_state(&cfg->availability, r->availability),
			     "availability %s%%", pct);
		xv_check_add(c, ratio_state(&cfg->vm_ratio, r->vm_ratio), "%zu/%zu VMs up",
			     r->vms_up, r->vms_expected);
		xv_check_add(c, ratio_state(&cfg->server_ratio, r->server_ratio),
			     "%zu/%zu hosts answered", r->hosts_up, r->hosts_expected);
	} else {
		unmeasured(c, inv, pool, results, r, cfg);
	}
	xv_pool_problems_build(inv, pool, results, r, &problems);
	summarize(c, &problems, cfg);
	xv_pool_problems_release(&problems);
	verbose_details(c, inv, pool, results, r, cfg);

	if (measured) {
		perf_ratio(c, "availability", r->availability, &cfg->availability);
		perf_ratio(c, "vm_ratio", r->vm_ratio, &cfg->vm_ratio);
		perf_ratio(c, "server_ratio", r->server_ratio, &cfg->server_ratio);
	}
	perf_count(c, "hosts", r->hosts_expected);
	perf_count(c, "hosts_reachable", r->hosts_up);
	perf_count(c, "hosts_down", r->hosts_down);
	perf_count(c, "vms", r->vms_expected);
	if (measured) {
		perf_count(c, "vms_up", r->vms_up);
		perf_count(c, "vms_missing", r->n_missing);
		perf_count(c, "vms_not_up", r->n_not_up);
		perf_count(c, "vms_duplicate", r->n_duplicates);
		perf_count(c, "vms_unexpected", r->n_unexpected);
	}
	struct xv_perf t = { .label = "poll_time", .value = poll_ms / 1000.0, .uom = "s",
			     .has_min = true };
	xv_check_perf(c, &t);
}
