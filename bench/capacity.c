/* SPDX-License-Identifier: GPL-3.0-or-later */
/* capacity.c: the capacity-planning sweep. */
#include "capacity.h"
#include "analysis.h"
#include "driver.h"
#include "num.h"
#include "runner.h"
#include "util.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

const char xv_bench_builtin_plan[] =
	"[plan]\n"
	"name = builtin\n"
	"description = the seed's host and images\n"
	"[host]\n"
	"memory = 48G\n"
	"cpus = 8\n"
	"toolstack = xend\n"
	"dom0_memory = 512M\n"
	"dom0_floor = 196M\n"
	"dom0_autoballoon = yes\n"
	"[profile plain]\n"
	"image = plain\n"
	"memory = 4G\n"
	"vcpus = 2\n"
	"[profile clean]\n"
	"image = clean\n"
	"memory = 4G\n"
	"vcpus = 2\n"
	"committed = 424M\n"
	"resident = 120M\n"
	"[profile stress]\n"
	"image = stress\n"
	"memory = 4G\n"
	"vcpus = 2\n"
	"committed = 424M\n"
	"resident = 120M\n"
	"[procedure]\n"
	"kind = ramp\n"
	"profile = stress\n"
	"settle = 3m\n"
	"samples = 4\n"
	"interval = 30s\n";

struct cell {
	int plain, onset, failure, safe;
	unsigned max;
};

/* One ramp; 0, 1 stopped, -1 error. */
static int sweep_cell(const struct xv_bench_capacity_opts *o, uint64_t host_kib, uint64_t size_kib,
		      const char *mix, uint64_t *work, struct cell *cell, struct xv_error *e)
{
	struct xv_bench_plan plan = *o->base; /* borrows the base's strings */
	struct xv_bench_driver drv;
	struct xv_bench_record rec = { NULL, NULL, 0, 0, 0, 0, false };
	struct xv_bench_results res;
	struct xv_bench_run_opts ro = { .seed = o->seed, .stop = o->stop, .work = work };
	int rc;

	plan.host.memory_kib = host_kib;
	plan.host.xen_kib = xv_bench_xen_overhead_kib(host_kib);
	plan.nstart = 0;
	plan.proc.kind = XV_PROC_RAMP;
	plan.proc.limit = XV_BENCH_MAX_GUESTS;
	plan.proc.stop_on_failure = true;
	if (xv_bench_mix_parse(&plan, mix, &plan.proc.mix, e)) {
		e->code = XV_E_USAGE;
		return -1;
	}
	for (unsigned i = 0; i < plan.proc.mix.count; i++) {
		struct xv_bench_profile *p = &plan.profiles[plan.proc.mix.profile[i]];
		struct xv_bench_profile d;

		p->memory_kib = p->maxmem_kib = size_kib;
		d = *p;
		xv_bench_profile_defaults(&d);
		p->kernel_kib = d.kernel_kib;
		if (!p->floor_rule && p->floor_kib > p->maxmem_kib)
			p->floor_kib = d.floor_kib;
	}
	memset(cell, 0, sizeof(*cell));
	cell->plain = cell->onset = cell->failure = cell->safe = -1;
	if (plan.host.xen_kib + plan.host.dom0_kib >= host_kib)
		return 0; /* nothing fits: a row of dashes */
	if (xv_bench_driver_open(&drv, xv_bench_driver_find("model"), "", &plan, o->seed)) {
		*e = drv.err;
		return -1;
	}
	rec.acc = xv_bench_acc_new(plan.nprofiles);
	rc = xv_bench_run(&plan, &drv, &ro, &rec, e);
	if (!rc) {
		xv_bench_acc_results(rec.acc, &plan, o->floor_set ? o->floor_kib : size_kib,
				     rec.interrupted, &res);
		cell->plain = res.max_plain;
		cell->onset = res.dom0_onset;
		cell->failure = res.first_failure;
		cell->safe = res.max_safe;
		cell->max = res.max_added;
		if (rec.interrupted)
			rc = 1;
		xv_bench_results_release(&res);
	}
	xv_bench_acc_free(rec.acc);
	xv_bench_driver_close(&drv);
	return rc;
}

static void count(struct xv_buf *out, int width, int v)
{
	if (v < 0)
		xv_buf_addf(out, " %*s", width, "-");
	else
		xv_buf_addf(out, " %*d", width, v);
}

int xv_bench_capacity(const struct xv_bench_capacity_opts *o, struct xv_buf *out,
		      struct xv_error *e)
{
	uint64_t work = 0; /* the whole sweep's model work */
	char a[32], b[32];

	if (o->floor_set) {
		xv_format_kib(o->floor_kib, a, sizeof(a));
		xv_buf_addf(out, "Safe guests: free memory stays >= %s and no guest swaps.\n", a);
	} else {
		xv_buf_adds(out, "Safe guests: free memory stays >= one guest's memory= (room to start "
				 "another) and no guest swaps.\n");
	}
	xv_format_kib(o->base->host.dom0_kib, a, sizeof(a));
	xv_format_kib(o->base->host.dom0_floor_kib, b, sizeof(b));
	xv_buf_addf(out, "Model driver, seed %" PRIu64 "; dom0 %s%s%s; guests one by one, %" PRIu64
			 " s apart, until a creation fails.\n\n",
		    o->seed, a, o->base->host.dom0_autoballoon ? " ballooning to " : "",
		    o->base->host.dom0_autoballoon ? b : " (no auto-ballooning)",
		    xv_bench_step_ms(o->base) / 1000);
	xv_buf_addf(out, "%-8s %-7s %-22s %8s %8s %8s %6s %7s\n", "host", "guest", "mix", "no-overc",
		    "dom0 at", "fails at", "safe", "safe/no");
	for (unsigned h = 0; h < o->nhosts; h++) {
		for (unsigned s = 0; s < o->nsizes; s++) {
			for (unsigned m = 0; m < o->nmixes; m++) {
				struct cell c;
				int rc = sweep_cell(o, o->hosts_kib[h], o->sizes_kib[s], o->mixes[m],
						    &work, &c, e);

				if (rc < 0) {
					xv_format_kib(o->hosts_kib[h], a, sizeof(a));
					xv_format_kib(o->sizes_kib[s], b, sizeof(b));
					xv_error_prefix(e, "host %s, guests of %s, mix '%s'", a, b,
							o->mixes[m]);
					return -1;
				}
				xv_format_kib(o->hosts_kib[h], a, sizeof(a));
				xv_format_kib(o->sizes_kib[s], b, sizeof(b));
				xv_buf_addf(out, "%-8s %-7s %-22s", a, b, o->mixes[m]);
				count(out, 8, c.plain);
				count(out, 8, c.onset);
				count(out, 8, c.failure);
				count(out, 6, c.safe);
				if (c.plain > 0 && c.safe >= 0)
					xv_buf_addf(out, " %6.1fx\n", (double)c.safe / c.plain);
				else
					xv_buf_addf(out, " %7s\n", "-");
				if (rc == 1)
					return 1;
			}
		}
	}
	xv_buf_adds(out, "\nno-overc: guests that fit without overcommitment (memory= each, dom0 at its floor);\n"
			 "dom0 at / fails at: guests running when dom0 first ballooned / a creation first failed.\n");
	return 0;
}
