/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_vm.c: one domain's state, memory and balloon. */
#include "vm_check.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

void xv_vm_check_state_defaults(enum xv_state state_for[XV_STATE_COUNT])
{
	state_for[XV_STATE_RUNNING] = XV_OK;
	state_for[XV_STATE_BLOCKED] = XV_OK;
	state_for[XV_STATE_NONE] = XV_OK;
	state_for[XV_STATE_PAUSED] = XV_WARNING;
	state_for[XV_STATE_CRASHED] = XV_CRITICAL;
	state_for[XV_STATE_DYING] = XV_CRITICAL;
	state_for[XV_STATE_SHUTDOWN] = XV_CRITICAL;
}

void xv_vm_check_defaults(struct xv_vm_check_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	xv_vm_check_state_defaults(cfg->state_for);
	cfg->missing_state = XV_CRITICAL;
}

static double bytes(uint64_t kib)
{
	return (double)kib * 1024.0;
}

static bool known(uint64_t kib)
{
	return kib != XV_KIB_UNKNOWN;
}

static void size_text(uint64_t kib, char *buf, size_t size)
{
	if (known(kib))
		xv_format_kib(kib, buf, size);
	else
		xv_strlcpy(buf, "unknown", size);
}

static void report_missing(const struct xv_snapshot *snap, const struct xv_vm_check_config *cfg,
			   struct xv_check *c)
{
	xv_check_subject(c, snap->host.name);
	if (cfg->name)
		xv_check_add(c, cfg->missing_state, "no domain named '%s' (%zu domains on the host)",
			     cfg->name, snap->n_domains);
	else
		xv_check_add(c, cfg->missing_state, "no domain with uuid %s (%zu domains on the host)",
			     cfg->uuid, snap->n_domains);
}

static void check_memory(const struct xv_domain *d, const struct xv_vm_check_config *cfg,
			 struct xv_check *c)
{
	char cur[32], max[32];
	struct xv_measure m = { .value = bytes(d->cur_kib),
				.whole = known(d->max_kib) ? bytes(d->max_kib) : 0 };

	if (!known(d->cur_kib)) {
		xv_check_add(c, cfg->memory.has_warning || cfg->memory.has_critical ? XV_UNKNOWN : XV_OK,
			     "memory unknown (the source does not report it)");
		return;
	}
	size_text(d->cur_kib, cur, sizeof(cur));
	size_text(d->max_kib, max, sizeof(max));
	xv_check_add(c, xv_thresholds_check(&cfg->memory, &m), "%s of %s max", cur, max);
}

static void check_balloon(const struct xv_domain *d, const struct xv_vm_check_config *cfg,
			  struct xv_check *c)
{
	char target[32], gap[32];
	uint64_t gap_kib;
	struct xv_measure m;

	if (!known(d->target_kib) || !known(d->cur_kib)) {
		if (cfg->gap.has_warning || cfg->gap.has_critical)
			xv_check_add(c, XV_UNKNOWN, "balloon target unknown (the source does not "
				     "report it)");
		return;
	}
	size_text(d->target_kib, target, sizeof(target));
	gap_kib = xv_domain_balloon_gap_kib(d);
	m = (struct xv_measure){ .value = bytes(gap_kib), .whole = bytes(d->target_kib) };
	if (gap_kib == 0) {
		xv_check_add(c, xv_thresholds_check(&cfg->gap, &m), "at target %s", target);
		return;
	}
	size_text(gap_kib, gap, sizeof(gap));
	xv_check_add(c, xv_thresholds_check(&cfg->gap, &m), "target %s (%s %s)", target, gap,
		     d->cur_kib > d->target_kib ? "above" : "below");
}

static void perf_bytes(struct xv_check *c, const char *label, uint64_t kib,
		       const struct xv_thresholds *t, uint64_t whole_kib, uint64_t max_kib)
{
	struct xv_perf p = { .label = label, .value = bytes(kib), .uom = "B", .thresholds = t,
			     .whole = known(whole_kib) ? bytes(whole_kib) : 0, .has_min = true,
			     .min = 0, .has_max = known(max_kib), .max = bytes(max_kib) };

	if (known(kib))
		xv_check_perf(c, &p);
}

void xv_vm_check_run(const struct xv_snapshot *snap, const struct xv_vm_check_config *cfg,
		 struct xv_check *c)
{
	const struct xv_domain *d = cfg->name ? xv_snapshot_find_name(snap, cfg->name)
					      : xv_snapshot_find_uuid(snap, cfg->uuid);
	enum xv_dom_state s;
	char subject[512], flags[7];

	if (!d) {
		report_missing(snap, cfg, c);
		return;
	}
	snprintf(subject, sizeof(subject), "%s (id %u) on %s", d->name, d->id, snap->host.name);
	xv_check_subject(c, subject);
	s = xv_domain_state(d);
	xv_check_add(c, cfg->state_for[s], "%s", xv_dom_state_name(s));
	check_memory(d, cfg, c);
	check_balloon(d, cfg, c);

	xv_domain_flags_string(d->flags, flags);
	if (cfg->verbose > 0) {
		if (d->cpu_ns != XV_COUNTER_UNKNOWN)
			xv_check_detail(c, "uuid %s, state %s, %u vcpus, %.1f s cpu", d->uuid, flags,
					d->vcpus, (double)d->cpu_ns / 1e9);
		else
			xv_check_detail(c, "uuid %s, state %s, %u vcpus, cpu time unknown", d->uuid,
					flags, d->vcpus);
		if (known(xv_domain_guest(d)->swap_used_kib)) {
			char swap[32];
			xv_format_kib(xv_domain_guest(d)->swap_used_kib, swap, sizeof(swap));
			xv_check_detail(c, "guest swap in use: %s", swap);
		}
	}

	if (cfg->verbose >= 2) {
		xv_check_describe_thresholds(c, "memory", &cfg->memory);
		xv_check_describe_thresholds(c, "balloon gap", &cfg->gap);
	}

	uint64_t gap_kib = xv_domain_balloon_gap_kib(d);
	perf_bytes(c, "mem_current", d->cur_kib, &cfg->memory, d->max_kib, d->max_kib);
	perf_bytes(c, "mem_target", d->target_kib, NULL, XV_KIB_UNKNOWN, d->max_kib);
	perf_bytes(c, "mem_max", d->max_kib, NULL, XV_KIB_UNKNOWN, XV_KIB_UNKNOWN);
	perf_bytes(c, "balloon_gap", gap_kib, &cfg->gap, d->target_kib, XV_KIB_UNKNOWN);
	if (known(xv_domain_guest(d)->swap_used_kib))
		perf_bytes(c, "swap_used", xv_domain_guest(d)->swap_used_kib, NULL, XV_KIB_UNKNOWN, XV_KIB_UNKNOWN);
	struct xv_perf vcpus = { .label = "vcpus", .value = d->vcpus, .uom = "", .has_min = true };
	xv_check_perf(c, &vcpus);
	if (d->cpu_ns != XV_COUNTER_UNKNOWN) {
		struct xv_perf cpu = { .label = "cpu_time",
				       .value = (double)(d->cpu_ns / 10000000) / 100.0, .uom = "c",
				       .has_min = true };
		xv_check_perf(c, &cpu);
	}
}
