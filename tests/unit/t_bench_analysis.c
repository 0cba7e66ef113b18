/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_bench_analysis.c: the capacity report's numbers from known samples and
 * events — rows by guest count, ratio, safe count, footprint percentiles,
 * onsets and settle times, and the no-overcommitment count. */
#include "harness.h"
#include "analysis.h"
#include "util.h"

#define MIB 1024ULL
#define GIB (1024ULL * 1024ULL)

static struct xv_bench_sample *sample(struct xv_bench_data *d, unsigned added, uint64_t free_kib,
				      unsigned swapping)
{
	struct xv_bench_sample *s = xv_bench_data_add_sample(d);

	s->added = added;
	s->total_kib = 48 * GIB;
	s->free_kib = free_kib;
	s->memory_kib = added * 4 * GIB;
	s->swapping = swapping;
	s->dom0_kib = 512 * MIB - added * MIB;
	s->time_ms = d->nsamples * 1000;
	return s;
}

static void event(struct xv_bench_data *d, uint64_t t, enum xv_bench_event_kind kind, int guest,
		  unsigned added, const char *text)
{
	struct xv_bench_rec_event *e = xv_bench_data_add_event(d);

	e->time_ms = t;
	e->kind = kind;
	e->guest = guest;
	e->profile = guest >= 0 ? 0 : -1;
	e->added = added;
	e->text = text ? xv_strdup(text) : NULL;
}

DEF_TEST(rows_ratio_and_safe)
{
	struct xv_bench_data d;
	struct xv_bench_results r;

	xv_bench_data_init(&d);
	d.nprofiles = 1;
	sample(&d, 0, 46 * GIB, 0);
	sample(&d, 1, 40 * GIB, 0);
	sample(&d, 1, 44 * GIB, 0);
	sample(&d, 3, 36 * GIB, 0);
	sample(&d, 4, 3 * GIB, 0);  /* below a 4 GiB floor */
	sample(&d, 5, 10 * GIB, 1); /* swapping */
	xv_bench_analyze(&d, NULL, 4 * GIB, &r);
	EXPECT_EQ_INT(5, r.nrows);
	EXPECT_EQ_INT(1, r.rows[1].added);
	EXPECT_EQ_INT(2, r.rows[1].samples);
	EXPECT_EQ_DOUBLE(42.0 * GIB, r.rows[1].free_mean_kib);
	EXPECT_EQ_U64(40 * GIB, r.rows[1].free_min_kib);
	EXPECT_EQ_DOUBLE(6.0 * GIB, r.rows[1].used_mean_kib);
	/* allocated / used: 4 / 6 at one guest, 12 / 12 at three */
	EXPECT_EQ_DOUBLE(4.0 / 6.0, r.rows[1].ratio);
	EXPECT_EQ_DOUBLE(1.0, r.rows[2].ratio);
	EXPECT_EQ_DOUBLE((4.0 / 6.0 + 1.0 + 16.0 / 45.0 + 20.0 / 38.0) / 4.0, r.ratio_mean);
	EXPECT_EQ_DOUBLE(20.0 / 38.0, r.ratio_last);
	/* safe up to 3: at 4 free memory fell under the floor */
	EXPECT_EQ_INT(3, r.max_safe);
	EXPECT_EQ_INT(5, r.max_added);
	EXPECT_EQ_U64(507 * MIB, r.dom0_min_kib);
	EXPECT_EQ_INT(-1, r.max_plain);
	EXPECT_EQ_INT(-1, r.dom0_onset);
	xv_bench_results_release(&r);

	/* with no floor, only the swapping count is unsafe */
	xv_bench_analyze(&d, NULL, 0, &r);
	EXPECT_EQ_INT(4, r.max_safe);
	xv_bench_results_release(&r);
	xv_bench_data_release(&d);
	return 0;
}

DEF_TEST(footprint_percentiles)
{
	struct xv_bench_data d;
	struct xv_bench_results r;

	xv_bench_data_init(&d);
	d.nprofiles = 2;
	for (unsigned v = 1; v <= 100; v++) {
		struct xv_bench_gsample *g = xv_bench_data_add_gsample(&d);
		g->guest = v - 1;
		g->profile = 1;
		g->memory_kib = 4 * GIB;
		g->alloc_kib = v * MIB;
	}
	/* booting guests hold their whole memory=: not a footprint */
	xv_bench_data_add_gsample(&d)->booting = true;
	d.gsamples[100].guest = 100;
	d.gsamples[100].profile = 1;
	d.gsamples[100].alloc_kib = 4 * GIB;
	/* one sample counts each guest's allocation once */
	sample(&d, 0, 46 * GIB, 0)->time_ms = 0;
	xv_bench_analyze(&d, NULL, 0, &r);
	EXPECT_EQ_INT(0, r.foot[0].samples);
	EXPECT_EQ_INT(100, r.foot[1].samples);
	EXPECT_EQ_DOUBLE(50.5 * MIB, r.foot[1].mean_kib);
	EXPECT_EQ_U64(95 * MIB, r.foot[1].p95_kib);
	EXPECT_EQ_U64(100 * MIB, r.foot[1].max_kib);
	EXPECT_EQ_U64(4 * GIB, r.foot[1].memory_kib);
	xv_bench_results_release(&r);
	xv_bench_data_release(&d);
	return 0;
}

DEF_TEST(guest_rows_hold_until_changed)
{
	struct xv_bench_acc *a = xv_bench_acc_new(1);
	struct xv_bench_gsample g = { .time_ms = 0, .guest = 0, .profile = 0, .memory_kib = 4 * GIB,
				      .alloc_kib = 4 * GIB, .booting = true };
	struct xv_bench_sample s = { .total_kib = 48 * GIB, .free_kib = 40 * GIB, .added = 1 };
	struct xv_bench_rec_event destroy = { .kind = XV_EV_DESTROY, .guest = 1, .profile = 0 };
	struct xv_bench_results r;

	/* guest 0 boots (not counted), then holds 1 GiB for two samples and
	 * 424 MiB for three; guest 1 holds 2 GiB for one sample, then goes */
	xv_bench_acc_guest(a, &g);
	xv_bench_acc_sample(a, &s);
	g.booting = false;
	g.alloc_kib = 1 * GIB;
	xv_bench_acc_guest(a, &g);
	g.guest = 1;
	g.alloc_kib = 2 * GIB;
	xv_bench_acc_guest(a, &g);
	xv_bench_acc_sample(a, &s);
	xv_bench_acc_event(a, &destroy);
	xv_bench_acc_sample(a, &s);
	g.guest = 0;
	g.alloc_kib = 424 * MIB;
	xv_bench_acc_guest(a, &g);
	for (int i = 0; i < 3; i++)
		xv_bench_acc_sample(a, &s);
	xv_bench_acc_results(a, NULL, 0, false, &r);
	EXPECT_EQ_INT(6, r.foot[0].samples);
	EXPECT_EQ_DOUBLE((2.0 * GIB + 2.0 * GIB + 3.0 * 424 * MIB) / 6, r.foot[0].mean_kib);
	/* ranks: 424 x3, 1 GiB x2, 2 GiB x1: 95% of 6 is the 6th */
	EXPECT_EQ_U64(2 * GIB, r.foot[0].p95_kib);
	EXPECT_EQ_INT(6, r.rows[0].samples);
	xv_bench_results_release(&r);
	xv_bench_acc_free(a);
	return 0;
}

DEF_TEST(safe_stops_at_swap_onsets_and_failures)
{
	struct xv_bench_data d;
	struct xv_bench_results r;

	xv_bench_data_init(&d);
	d.nprofiles = 1;
	for (unsigned k = 0; k <= 6; k++)
		sample(&d, k, 20 * GIB, 0);
	/* a guest swapped between the samples taken with 4 guests: 3 is
	 * the most that is safe, though no sample saw it swap */
	event(&d, 4500, XV_EV_SWAP_ON, 0, 4, NULL);
	xv_bench_analyze(&d, NULL, 4 * GIB, &r);
	EXPECT_EQ_INT(3, r.max_safe);
	xv_bench_results_release(&r);
	/* a creation failed with 5 running: 5 cannot start one more, which a
	 * floor of one guest demands; without a floor it does not count */
	d.nevents = 0;
	event(&d, 5500, XV_EV_CREATE_FAILED, 0, 5, "no room");
	xv_bench_analyze(&d, NULL, 4 * GIB, &r);
	EXPECT_EQ_INT(4, r.max_safe);
	xv_bench_results_release(&r);
	xv_bench_analyze(&d, NULL, 0, &r);
	EXPECT_EQ_INT(6, r.max_safe);
	xv_bench_results_release(&r);
	xv_bench_data_release(&d);
	return 0;
}

DEF_TEST(onsets_and_settling)
{
	struct xv_bench_data d;
	struct xv_bench_results r;

	xv_bench_data_init(&d);
	d.nprofiles = 1;
	xv_bench_data_add_guest(&d, "a");
	xv_bench_data_add_guest(&d, "b");
	event(&d, 1000, XV_EV_CREATE, 0, 1, NULL);
	event(&d, 61000, XV_EV_SETTLED, 0, 1, NULL);
	event(&d, 100000, XV_EV_CREATE, 1, 2, NULL);
	event(&d, 190000, XV_EV_SETTLED, 1, 2, NULL);
	event(&d, 200000, XV_EV_DOM0_BALLOON, -1, 26, NULL);
	event(&d, 210000, XV_EV_DOM0_BALLOON, -1, 27, NULL);
	event(&d, 220000, XV_EV_SWAP_ON, 1, 28, NULL);
	event(&d, 230000, XV_EV_CREATE_FAILED, 1, 29, "no room");
	event(&d, 240000, XV_EV_CREATE_FAILED, 1, 29, "still none");
	xv_bench_analyze(&d, NULL, 0, &r);
	EXPECT_EQ_INT(26, r.dom0_onset);
	EXPECT_EQ_INT(2, r.dom0_steps);
	EXPECT_EQ_INT(28, r.first_swap);
	EXPECT_EQ_INT(29, r.first_failure);
	EXPECT_EQ_STR("no room", r.first_failure_text);
	EXPECT_EQ_INT(2, r.failures);
	EXPECT_EQ_INT(2, r.created);
	EXPECT_EQ_INT(2, r.foot[0].settled);
	EXPECT_EQ_DOUBLE(75000.0, r.foot[0].settle_mean_ms);
	EXPECT_EQ_U64(90000, r.foot[0].settle_max_ms);
	EXPECT_EQ_U64(240000, r.sim_ms);
	xv_bench_results_release(&r);
	xv_bench_data_release(&d);
	return 0;
}

DEF_TEST(no_overcommitment_count)
{
	static const char text[] =
		"[host]\nmemory = 48G\ndom0_memory = 512M\ndom0_floor = 196M\ndom0_autoballoon = yes\n"
		"[profile big]\nimage = plain\nmemory = 4G\n[profile small]\nimage = plain\nmemory = 1G\n"
		"[procedure]\nkind = ramp\nprofile = big\nsamples = 1\ninterval = 1s\n";
	struct xv_bench_plan p;
	struct xv_error err;

	EXPECT_EQ_INT(0, xv_bench_plan_load_string(&p, "p.ini", text, &err));
	/* 48 GiB - 560 MiB hypervisor - 196 MiB dom0 = 48396 MiB; 4097 MiB each */
	EXPECT_EQ_INT(11, xv_bench_max_plain(&p, &p.profiles[0]));
	EXPECT_EQ_INT(47, xv_bench_max_plain(&p, &p.profiles[1]));
	xv_bench_plan_release(&p);
	return 0;
}

int main(void)
{
	RUN_TEST(rows_ratio_and_safe);
	RUN_TEST(footprint_percentiles);
	RUN_TEST(guest_rows_hold_until_changed);
	RUN_TEST(safe_stops_at_swap_onsets_and_failures);
	RUN_TEST(onsets_and_settling);
	RUN_TEST(no_overcommitment_count);
	END_TEST;
}
