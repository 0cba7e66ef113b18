/* check_pool.c: pool availability, problems and perfdata. */
#include "check_pool.h"
#include "buf.h"
#include "util.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define MAX_NAMES 3

void xv_pool_check_defaults(struct xv_pool_check_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	xv_range_parse("100:", XV_ALLOW_PERCENT, &cfg->availability.warning);
	xv_range_parse("90:", XV_ALLOW_PERCENT, &cfg->availability.critical);
	cfg->availability.has_warning = cfg->availability.has_critical = true;
	cfg->duplicate_state = XV_CRITICAL;
	cfg->unexpected_state = XV_WARNING;
}

static double pct(double ratio)
{
	return round(ratio * 100000) / 1000; /* three decimals, as perfdata */
}

static enum xv_state ratio_state(const struct xv_thresholds *t, bool defined, double ratio)
{
	struct xv_measure m = { pct(ratio), 100 };

	if (!defined)
		return (t->has_warning || t->has_critical) ? XV_UNKNOWN : XV_OK;
	return xv_thresholds_check(t, &m);
}

static void perf_ratio(struct xv_check *c, const char *label, bool defined, double ratio,
		       const struct xv_thresholds *t)
{
	struct xv_perf p = { .label = label, .value = pct(ratio), .uom = "%", .thresholds = t,
			     .whole = 100, .has_min = true, .min = 0, .has_max = true, .max = 100,
			     .unknown = !defined };
	xv_check_perf(c, &p);
}

static void perf_count(struct xv_check *c, const char *label, size_t n)
{
	struct xv_perf p = { .label = label, .value = (double)n, .uom = "", .has_min = true };
	xv_check_perf(c, &p);
}

/* "db3, db4, web9, ..." from a list of names */
static void name_list(struct xv_buf *b, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n && i < MAX_NAMES; i++)
		xv_buf_addf(b, "%s%s", i ? ", " : "", names[i]);
	if (n > MAX_NAMES)
		xv_buf_adds(b, ", ...");
}

static const char *host_name(const struct xv_inventory *inv, size_t i)
{
	return inv->hosts[i].name;
}

static void report_problems(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
			    const struct xv_poll_result *results, const struct xv_pool_report *r,
			    const struct xv_pool_check_config *cfg, struct xv_check *c)
{
	struct xv_buf b = XV_BUF_INIT;

	if (r->n_down_hosts) {
		const char *names[MAX_NAMES];
		for (size_t i = 0; i < r->n_down_hosts && i < MAX_NAMES; i++)
			names[i] = host_name(inv, r->down_hosts[i]);
		name_list(&b, names, r->n_down_hosts);
		xv_check_add(c, XV_OK, "%zu host%s down (%s)", r->n_down_hosts,
			     r->n_down_hosts > 1 ? "s" : "", b.data);
		xv_buf_reset(&b);
	}
	if (r->n_missing) {
		name_list(&b, r->missing, r->n_missing);
		xv_check_add(c, XV_OK, "%zu missing (%s)", r->n_missing, b.data);
		xv_buf_reset(&b);
	}
	if (r->n_not_up) {
		for (size_t i = 0; i < r->n_not_up && i < MAX_NAMES; i++)
			xv_buf_addf(&b, "%s%s %s", i ? ", " : "", r->not_up[i].vm,
				    xv_dom_state_name(r->not_up[i].state));
		if (r->n_not_up > MAX_NAMES)
			xv_buf_adds(&b, ", ...");
		xv_check_add(c, XV_OK, "%zu not up (%s)", r->n_not_up, b.data);
		xv_buf_reset(&b);
	}
	if (r->n_duplicates) {
		const char *names[MAX_NAMES];
		for (size_t i = 0; i < r->n_duplicates && i < MAX_NAMES; i++)
			names[i] = r->duplicates[i].vm;
		name_list(&b, names, r->n_duplicates);
		xv_check_add(c, cfg->duplicate_state, "%zu on several hosts (%s)", r->n_duplicates,
			     b.data);
		xv_buf_reset(&b);
	}
	if (r->n_unexpected) {
		for (size_t i = 0; i < r->n_unexpected && i < MAX_NAMES; i++)
			xv_buf_addf(&b, "%s%s on %s", i ? ", " : "", r->unexpected[i].vm,
				    host_name(inv, r->unexpected[i].host));
		if (r->n_unexpected > MAX_NAMES)
			xv_buf_adds(&b, ", ...");
		xv_check_add(c, cfg->unexpected_state, "%zu unexpected (%s)", r->n_unexpected, b.data);
		xv_buf_reset(&b);
	}
	xv_buf_release(&b);

	/* long output: every problem, one per line */
	for (size_t i = 0; i < pool->n_hosts; i++) {
		const struct xv_poll_result *res = &results[i];
		if (res->status != XV_POLL_OK)
			xv_check_detail(c, "host %s %s: %s", host_name(inv, pool->hosts[i]),
					xv_poll_status_name(res->status), res->error);
	}
	for (size_t i = 0; i < r->n_missing; i++)
		xv_check_detail(c, "vm %s missing: not running on any host that answered%s",
				r->missing[i], r->n_down_hosts ? " (it may be on a host that did not)" : "");
	for (size_t i = 0; i < r->n_not_up; i++)
		xv_check_detail(c, "vm %s %s on %s", r->not_up[i].vm,
				xv_dom_state_name(r->not_up[i].state), host_name(inv, r->not_up[i].host));
	for (size_t i = 0; i < r->n_duplicates; i++) {
		struct xv_buf hosts = XV_BUF_INIT;
		const struct xv_duplicate *d = &r->duplicates[i];
		for (size_t k = 0; k < d->n; k++)
			xv_buf_addf(&hosts, "%s%s (%s)", k ? ", " : "",
				    host_name(inv, r->seen[d->first + k].host),
				    xv_dom_state_name(r->seen[d->first + k].state));
		xv_check_detail(c, "vm %s on %zu hosts: %s", d->vm, d->n, hosts.data);
		xv_buf_release(&hosts);
	}
	for (size_t i = 0; i < r->n_unexpected; i++)
		xv_check_detail(c, "vm %s unexpected: %s on %s, not in the inventory",
				r->unexpected[i].vm, xv_dom_state_name(r->unexpected[i].state),
				host_name(inv, r->unexpected[i].host));
	if (cfg->verbose > 0)
		for (size_t i = 0; i < r->n_seen; i++)
			xv_check_detail(c, "%s on %s: %s", r->seen[i].vm, host_name(inv, r->seen[i].host),
					xv_dom_state_name(r->seen[i].state));
}

void xv_check_pool(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		   const struct xv_poll_result *results, const struct xv_pool_report *r,
		   const struct xv_pool_check_config *cfg, unsigned poll_ms, struct xv_check *c)
{
	xv_check_subject(c, pool->name);
	if (!r->availability_defined) {
		xv_check_add(c, XV_UNKNOWN, "the pool expects no hosts and no VMs: nothing to "
			     "measure (check the inventory)");
		return;
	}
	if (r->vm_ratio_defined || r->server_ratio_defined)
		/* truncated, not rounded: 99.96% must not read as 100.0% */
		xv_check_add(c, ratio_state(&cfg->availability, true, r->availability),
			     "availability %.1f%%", floor(1000 * r->availability) / 10);
	xv_check_add(c, ratio_state(&cfg->vm_ratio, r->vm_ratio_defined, r->vm_ratio),
		     "%zu/%zu VMs up", r->vms_up, r->vms_expected);
	xv_check_add(c, ratio_state(&cfg->server_ratio, r->server_ratio_defined, r->server_ratio),
		     "%zu/%zu hosts answered", r->hosts_reachable, r->hosts_expected);
	report_problems(inv, pool, results, r, cfg, c);

	perf_ratio(c, "availability", true, r->availability, &cfg->availability);
	perf_ratio(c, "vm_ratio", r->vm_ratio_defined, r->vm_ratio, &cfg->vm_ratio);
	perf_ratio(c, "server_ratio", r->server_ratio_defined, r->server_ratio, &cfg->server_ratio);
	perf_count(c, "hosts", r->hosts_expected);
	perf_count(c, "hosts_reachable", r->hosts_reachable);
	perf_count(c, "vms", r->vms_expected);
	perf_count(c, "vms_up", r->vms_up);
	perf_count(c, "vms_missing", r->n_missing);
	perf_count(c, "vms_not_up", r->n_not_up);
	perf_count(c, "vms_duplicate", r->n_duplicates);
	perf_count(c, "vms_unexpected", r->n_unexpected);
	struct xv_perf t = { .label = "poll_time", .value = poll_ms / 1000.0, .uom = "s",
			     .has_min = true };
	xv_check_perf(c, &t);
}
