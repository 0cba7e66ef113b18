/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_bench_model.c: the model obeys its physical laws — creation needs the
 * whole memory= at once, dom0 balloons toward its floor, self-ballooning
 * moves down by 1/10 of the gap per second and up at once as far as free
 * memory allows, plain guests keep their allocation, a working set that does
 * not fit swaps, the stress workload has the seed's duty cycle — and is
 * reproducible from its seed. */
#include "harness.h"
#include "model.h"

#include <stdlib.h>

#define MIB 1024ULL
#define GIB (1024ULL * 1024ULL)

static struct xv_error err;

struct events {
	struct xv_bench_event ev[64];
	unsigned n;
};

static void collect(void *ctx, const struct xv_bench_event *ev)
{
	struct events *e = ctx;

	if (e->n < 64)
		e->ev[e->n++] = *ev;
}

static unsigned count_kind(const struct events *e, enum xv_bench_event_kind kind)
{
	unsigned n = 0;

	for (unsigned i = 0; i < e->n; i++)
		n += e->ev[i].kind == kind;
	return n;
}

/* A plan around the given host and profile lines; the procedure is not used
 * by these tests but a plan must have one. */
static int plan_from(struct xv_bench_plan *p, const char *host, const char *profiles,
		     const char *model)
{
	char text[2048];

	snprintf(text, sizeof(text),
		 "[host]\n%s\n%s\n[procedure]\nkind = ramp\nprofile = a\nsamples = 1\ninterval = 1s\n"
		 "[model]\n%s\n",
		 host, profiles, model);
	if (xv_bench_plan_load_string(p, "t.ini", text, &err)) {
		printf("# %s\n", err.msg);
		return -1;
	}
	return 0;
}

static uint64_t alloc_of(struct xv_model *m, int id)
{
	struct xv_bench_guest_mem g;

	if (xv_model_guest(m, id, &g))
		return UINT64_MAX;
	return g.alloc_kib;
}

static uint64_t free_of(struct xv_model *m)
{
	struct xv_bench_host_mem h;

	xv_model_host(m, &h);
	return h.free_kib;
}

DEF_TEST(creation_needs_whole_memory)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 8G\nhypervisor_overhead = 0\ndom0_memory = 1G\n"
				   "dom0_autoballoon = no",
				   "[profile a]\nimage = plain\nmemory = 3G", "domain_overhead = 0"));
	m = xv_model_new(&p, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_U64(1 * GIB, free_of(m));
	/* 1 GiB free of the 3 needed: no dom0 ballooning, so after the retry
	 * window it fails, and the window has passed on the clock */
	EXPECT_EQ_INT(-1, xv_model_create(m, 0, "g3", &id, &err));
	EXPECT_EQ_STR("cannot create 'g3': it needs 3145728 KiB free, but with dom0 (auto-ballooning "
		      "off) at 1048576 KiB only 1048576 KiB are free after waiting 20 s", err.msg);
	EXPECT_EQ_U64(20000, xv_model_now_ms(m));
	EXPECT_EQ_INT(2, xv_model_guest_count(m));
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(domain_overhead_counts)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	int id;

	/* 3 GiB free holds three 1 GiB guests, but not with 1 MiB of Xen
	 * overhead each */
	EXPECT_EQ_INT(0, plan_from(&p, "memory = 4G\nhypervisor_overhead = 0\ndom0_memory = 1G\n"
				   "dom0_autoballoon = no",
				   "[profile a]\nimage = plain\nmemory = 1G", "domain_overhead = 1M"));
	m = xv_model_new(&p, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_U64(1022 * MIB, free_of(m));
	EXPECT_EQ_INT(-1, xv_model_create(m, 0, "g3", &id, &err));
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(dom0_balloons_toward_floor)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	struct events ev = { .n = 0 };
	struct xv_bench_host_mem h;
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 8G\nhypervisor_overhead = 0\ndom0_memory = 2G\n"
				   "dom0_floor = 512M\ndom0_autoballoon = yes",
				   "[profile a]\nimage = plain\nmemory = 2560M", "domain_overhead = 0"));
	m = xv_model_new(&p, 1);
	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_INT(0, ev.n);
	/* 1 GiB free, 2.5 GiB needed: dom0 gives exactly the 1.5 GiB short */
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g3", &id, &err));
	EXPECT_EQ_INT(1, ev.n);
	EXPECT_EQ_INT(XV_EV_DOM0_BALLOON, ev.ev[0].kind);
	EXPECT_EQ_U64(2 * GIB, ev.ev[0].value_kib);
	EXPECT_EQ_U64(512 * MIB, ev.ev[0].value2_kib);
	xv_model_host(m, &h);
	EXPECT_EQ_U64(512 * MIB, h.dom0_kib);
	EXPECT_EQ_U64(0, h.free_kib);
	EXPECT_EQ_INT(3, h.guests);
	/* at its floor dom0 has nothing left to give */
	EXPECT_EQ_INT(-1, xv_model_create(m, 0, "g4", &id, &err));
	EXPECT_EQ_STR("cannot create 'g4': it needs 2621440 KiB free, but with dom0 at its floor of "
		      "524288 KiB only 0 KiB are free after waiting 20 s", err.msg);
	EXPECT_EQ_INT(1, ev.n);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(self_balloon_down_by_a_tenth)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	uint64_t target = 380 * MIB, a;
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 16G\nhypervisor_overhead = 0\ndom0_memory = 1G\n"
				   "dom0_autoballoon = no",
				   "[profile a]\nimage = clean\nmemory = 4G", "domain_overhead = 0"));
	m = xv_model_new(&p, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &id, &err));
	/* booting (30 s): xenballoond is not running yet */
	xv_model_advance(m, 29000);
	EXPECT_EQ_U64(4 * GIB, alloc_of(m, id));
	/* the first period after boot: down by (4 GiB - 380 MiB) / 10 */
	xv_model_advance(m, 1000);
	a = 4 * GIB - (4 * GIB - target) / 10;
	EXPECT_EQ_U64(3813786, a);
	EXPECT_EQ_U64(a, alloc_of(m, id));
	xv_model_advance(m, 1000);
	a -= (a - target) / 10;
	EXPECT_EQ_U64(3471320, a);
	EXPECT_EQ_U64(a, alloc_of(m, id));
	EXPECT_EQ_U64(16 * GIB - 1 * GIB - a, free_of(m));
	/* idle, it settles at its Committed_AS (within the 10 KiB that an
	 * integer tenth of a smaller gap no longer moves) */
	xv_model_advance(m, 600000);
	EXPECT_TRUE(alloc_of(m, id) >= target && alloc_of(m, id) < target + 10);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(balloon_up_at_once_within_free_memory)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	int c, g;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 6G\nhypervisor_overhead = 0\ndom0_memory = 1G\n"
				   "dom0_autoballoon = no",
				   "[profile a]\nimage = clean\nmemory = 1G\nmaxmem = 4G\n"
				   "[profile p]\nimage = plain\nmemory = 2G",
				   "domain_overhead = 0\nboot_time = 0s"));
	m = xv_model_new(&p, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &c, &err));
	EXPECT_EQ_INT(0, xv_model_set_target(m, c, 3 * GIB, &err));
	xv_model_advance(m, 1000);
	EXPECT_EQ_U64(3 * GIB, alloc_of(m, c)); /* all of it in one period */
	EXPECT_EQ_INT(0, xv_model_create(m, 1, "p1", &g, &err));
	EXPECT_EQ_U64(0, free_of(m));
	/* no free memory: the balloon cannot grow */
	EXPECT_EQ_INT(0, xv_model_set_target(m, c, 4 * GIB, &err));
	xv_model_advance(m, 5000);
	EXPECT_EQ_U64(3 * GIB, alloc_of(m, c));
	/* memory comes back: it grows at once, as far as the target */
	EXPECT_EQ_INT(0, xv_model_destroy(m, g, &err));
	EXPECT_EQ_U64(2 * GIB, free_of(m));
	xv_model_advance(m, 1000);
	EXPECT_EQ_U64(4 * GIB, alloc_of(m, c));
	EXPECT_EQ_U64(1 * GIB, free_of(m));
	/* above maxmem is refused */
	EXPECT_EQ_INT(-1, xv_model_set_target(m, c, 5 * GIB, &err));
	EXPECT_EQ_STR("target 5242880 KiB is above guest 0's maxmem of 4194304 KiB", err.msg);
	EXPECT_EQ_INT(-1, xv_model_destroy(m, g, &err));
	EXPECT_EQ_STR("no guest with id 1", err.msg);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(plain_keeps_its_allocation)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	struct xv_bench_guest_mem g;
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 16G\ndom0_memory = 1G\ndom0_autoballoon = no",
				   "[profile a]\nimage = plain\nmemory = 4G", ""));
	m = xv_model_new(&p, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "p1", &id, &err));
	xv_model_advance(m, 3600 * 1000);
	EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
	EXPECT_EQ_U64(4 * GIB, g.alloc_kib);
	EXPECT_TRUE(!g.ballooning);
	EXPECT_EQ_U64(0, g.swap_kib);
	EXPECT_EQ_INT(-1, xv_model_set_target(m, id, 1 * GIB, &err));
	EXPECT_EQ_STR("guest 0 runs a plain image: it has no balloon driver", err.msg);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(working_set_beyond_allocation_swaps)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	struct events ev = { .n = 0 };
	struct xv_bench_guest_mem g;
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 16G\ndom0_memory = 1G\ndom0_autoballoon = no",
				   "[profile a]\nimage = clean\nmemory = 4G\nballoon_floor = 0", ""));
	m = xv_model_new(&p, 1);
	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &id, &err));
	/* directed below the working set (kernel 80 MiB + resident 120 MiB) */
	EXPECT_EQ_INT(0, xv_model_set_target(m, id, 100 * MIB, &err));
	xv_model_advance(m, 300 * 1000);
	EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
	EXPECT_EQ_U64(200 * MIB, g.ws_kib);
	EXPECT_TRUE(g.alloc_kib < 101 * MIB);
	EXPECT_EQ_U64(g.ws_kib - g.alloc_kib, g.swap_kib);
	EXPECT_EQ_INT(1, count_kind(&ev, XV_EV_SWAP_ON));
	/* back to self-ballooning: up at once to Committed_AS, no more swap */
	EXPECT_EQ_INT(0, xv_model_set_target(m, id, 0, &err));
	xv_model_advance(m, 1000);
	EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
	EXPECT_EQ_U64(380 * MIB, g.alloc_kib);
	EXPECT_EQ_U64(0, g.swap_kib);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

static const char stress_profile[] = "[profile a]\nimage = stress\nmemory = 4G\nvcpus = 2";

DEF_TEST(stress_workload_duty_cycle)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	struct xv_bench_guest_mem g;
	const uint64_t base = 380 * MIB + 4 * 10 * MIB; /* Committed_AS + 4 stacks */
	double active = 0, alloc = 0;
	unsigned n = 0, swapping = 0;
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 64G\ndom0_memory = 1G\ndom0_autoballoon = no",
				   stress_profile, ""));
	m = xv_model_new(&p, 3);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "s1", &id, &err));
	xv_model_advance(m, 60 * 1000);
	for (unsigned s = 0; s < 10 * 3600; s++) {
		uint64_t k;
		xv_model_advance(m, 1000);
		EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
		/* Committed_AS moves in whole 1 GiB allocations */
		EXPECT_TRUE(g.committed_kib >= base);
		k = (g.committed_kib - base) / GIB;
		EXPECT_EQ_U64(base + k * GIB, g.committed_kib);
		EXPECT_TRUE(k <= 4);
		/* up at once: the balloon never lags its target on a roomy host */
		EXPECT_TRUE(g.alloc_kib >= g.target_kib);
		active += (double)k;
		alloc += (double)g.alloc_kib;
		swapping += g.swap_kib > 0;
		n++;
	}
	/* each thread writes on average 256 MiB at 42 MiB/s (6.1 s), then
	 * sleeps 31.5 s on average: active 16% of the time */
	active /= 4.0 * n;
	printf("# duty %.4f, mean allocation %.0f MiB\n", active, alloc / n / MIB);
	EXPECT_TRUE(active > 0.145 && active < 0.18);
	/* the balloon decays slowly after each free: it holds more than the
	 * mean Committed_AS */
	EXPECT_TRUE(alloc / n > (double)base + 4 * active * GIB);
	EXPECT_EQ_INT(0, swapping);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

/* Allocation of guest 0 every second for an hour, into out[3600]. */
static void trajectory(const struct xv_bench_plan *p, uint64_t seed, bool second_guest, uint64_t *out)
{
	struct xv_model *m = xv_model_new(p, seed);
	int id;

	xv_model_create(m, 0, "s1", &id, &err);
	for (unsigned s = 0; s < 3600; s++) {
		if (second_guest && s == 600)
			xv_model_create(m, 0, "s2", &id, &err);
		xv_model_advance(m, 1000);
		out[s] = alloc_of(m, 0);
	}
	xv_model_free(m);
}

DEF_TEST(reproducible_from_seed)
{
	static uint64_t a[3600], b[3600], c[3600], d[3600];
	struct xv_bench_plan p;
	unsigned differ = 0;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 64G\ndom0_memory = 1G\ndom0_autoballoon = no",
				   stress_profile, ""));
	trajectory(&p, 5, false, a);
	trajectory(&p, 5, false, b);
	trajectory(&p, 6, false, c);
	/* each guest has its own random stream: a neighbour changes nothing
	 * while memory is plentiful */
	trajectory(&p, 5, true, d);
	for (unsigned s = 0; s < 3600; s++) {
		EXPECT_EQ_U64(a[s], b[s]);
		EXPECT_EQ_U64(a[s], d[s]);
		differ += a[s] != c[s];
	}
	EXPECT_TRUE(differ > 1000);
	xv_bench_plan_release(&p);
	return 0;
}

DEF_TEST(settled_event)
{
	struct xv_bench_plan p;
	struct xv_model *m;
	struct events ev = { .n = 0 };
	int id;

	EXPECT_EQ_INT(0, plan_from(&p, "memory = 16G\ndom0_memory = 1G\ndom0_autoballoon = no",
				   "[profile a]\nimage = clean\nmemory = 4G", ""));
	m = xv_model_new(&p, 1);
	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &id, &err));
	xv_model_advance(m, 600 * 1000);
	EXPECT_EQ_INT(1, count_kind(&ev, XV_EV_SETTLED));
	/* boot 30 s, then the gap (3716 MiB) shrinks by a tenth a second
	 * until it is within 64 MiB: 39 periods, the first at the end of
	 * boot, so at 30 + 38 s */
	EXPECT_EQ_U64(68000, ev.ev[0].time_ms);
	EXPECT_TRUE(ev.ev[0].value_kib <= (380 + 64) * MIB);
	xv_model_free(m);
	xv_bench_plan_release(&p);
	return 0;
}

int main(void)
{
	RUN_TEST(creation_needs_whole_memory);
	RUN_TEST(domain_overhead_counts);
	RUN_TEST(dom0_balloons_toward_floor);
	RUN_TEST(self_balloon_down_by_a_tenth);
	RUN_TEST(balloon_up_at_once_within_free_memory);
	RUN_TEST(plain_keeps_its_allocation);
	RUN_TEST(working_set_beyond_allocation_swaps);
	RUN_TEST(stress_workload_duty_cycle);
	RUN_TEST(reproducible_from_seed);
	RUN_TEST(settled_event);
	END_TEST;
}
