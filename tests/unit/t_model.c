/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_model.c: the host model obeys its laws — creation as xend and libxl do
 * it (need, dom0 covering the whole shortfall or nothing, xend's growing
 * sleeps and retry count, libxl's 2 s waits and 128 MiB floor), xenballoond's
 * floor and 1/10 down-step, up at once as far as free memory allows, plain
 * guests keep their allocation, a working set that does not fit swaps, the
 * memory eater's duty cycle and its writers sharing the host's CPUs — and is
 * reproducible from its seed.  Every expected figure is worked out in the
 * comments from the laws, not read from a run. */
#include "harness.h"
#include "balloon_law.h"
#include "model.h"

#include <stdlib.h>

#define MIB 1024ULL
#define GIB (1024ULL * 1024ULL)

static struct xv_error err;

struct events {
	struct xv_model_event ev[64];
	unsigned n;
};

static void collect(void *ctx, const struct xv_model_event *ev)
{
	struct events *e = ctx;

	if (e->n < 64)
		e->ev[e->n++] = *ev;
}

static unsigned count_kind(const struct events *e, enum xv_model_event_kind kind)
{
	unsigned n = 0;

	for (unsigned i = 0; i < e->n; i++)
		n += e->ev[i].kind == kind;
	return n;
}

static struct xv_model_host host_of(uint64_t memory, uint64_t dom0, uint64_t floor, bool autoballoon,
				    enum xv_toolstack ts)
{
	struct xv_model_host h = {
		.memory_kib = memory, .xen_kib = 0, .dom0_kib = dom0, .dom0_floor_kib = floor,
		.dom0_autoballoon = autoballoon, .toolstack = ts, .cpus = 0,
	};
	return h;
}

static struct xv_model_profile profile_of(enum xv_model_image image, uint64_t memory, uint64_t maxmem)
{
	struct xv_model_profile p = { .image = image, .memory_kib = memory, .maxmem_kib = maxmem,
				      .vcpus = 2 };

	xv_model_profile_defaults(&p);
	return p;
}

static struct xv_model_params params(void)
{
	struct xv_model_params par;

	xv_model_params_defaults(&par);
	par.domain_overhead_kib = 0;
	/* a fixed boot time: the figures below count the seconds */
	par.boot_ms = 30000;
	par.boot_jitter_ms = 0;
	return par;
}

static uint64_t alloc_of(struct xv_model *m, int id)
{
	struct xv_model_guest_state g;

	if (xv_model_guest(m, id, &g))
		return UINT64_MAX;
	return g.alloc_kib;
}

static uint64_t free_of(struct xv_model *m)
{
	struct xv_model_host_state h;

	xv_model_host_state(m, &h);
	return h.free_kib;
}

static uint64_t dom0_of(struct xv_model *m)
{
	struct xv_model_host_state h;

	xv_model_host_state(m, &h);
	return h.dom0_kib;
}

DEF_TEST(libxl_need_and_no_autoballoon)
{
	struct xv_model_host h = host_of(8 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_LIBXL);
	struct xv_model_profile p = profile_of(XV_MODEL_PLAIN, 3 * GIB, 3 * GIB);
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, &p, 1, &par, 1);
	int id;

	/* libxl: 3 GiB + 1 MiB, rounded up to 2 MiB: 3 GiB + 2 MiB */
	EXPECT_EQ_U64(3 * GIB + 2 * MIB, xv_toolstack_need_kib(XV_TOOLSTACK_LIBXL, 3 * GIB, 3 * GIB));
	EXPECT_EQ_U64(4 * GIB + 2 * MIB, xv_toolstack_need_kib(XV_TOOLSTACK_LIBXL, 4 * GIB, 8 * GIB));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_U64(1 * GIB, free_of(m));
	/* without autoballoon xl builds at once, and the build fails */
	EXPECT_EQ_INT(-1, xv_model_create(m, 0, "g3", &id, &err));
	EXPECT_EQ_STR("cannot create 'g3': libxl: cannot allocate 3147776 KiB for the domain: Xen has "
		      "1048576 KiB free and autoballoon is off", err.msg);
	EXPECT_EQ_U64(0, xv_model_now_ms(m));
	EXPECT_EQ_INT(2, xv_model_guest_count(m));
	xv_model_free(m);
	return 0;
}

DEF_TEST(libxl_dom0_gives_the_shortfall)
{
	struct xv_model_host h = host_of(8 * GIB, 2 * GIB, 0, true, XV_TOOLSTACK_LIBXL);
	struct xv_model_profile p = profile_of(XV_MODEL_PLAIN, 2560 * MIB, 2560 * MIB);
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, &p, 1, &par, 1);
	struct events ev = { .n = 0 };
	int id;

	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_U64(1 * GIB, free_of(m));
	/* need 2560 + 2 MiB, 1024 MiB free: dom0 (2048 MiB) is set to
	 * 2048 - 1538 = 510 MiB, reaches it, and xl looks again 2 s later */
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g3", &id, &err));
	EXPECT_EQ_INT(1, ev.n);
	EXPECT_EQ_INT(XV_MODEL_EV_DOM0_BALLOON, ev.ev[0].kind);
	EXPECT_EQ_U64(2 * GIB, ev.ev[0].value_kib);
	EXPECT_EQ_U64(510 * MIB, ev.ev[0].value2_kib);
	EXPECT_EQ_U64(510 * MIB, dom0_of(m));
	EXPECT_EQ_U64(2 * MIB, free_of(m));
	EXPECT_EQ_U64(2000, xv_model_now_ms(m));
	/* another 2562 MiB: dom0 would have to go to 510 - 2560 MiB, below
	 * libxl's 128 MiB: xl fails at once */
	EXPECT_EQ_INT(-1, xv_model_create(m, 0, "g4", &id, &err));
	EXPECT_EQ_STR("cannot create 'g4': libxl: new target 0 KiB for dom0 is below the minimum "
		      "threshold of 131072 KiB (need 2623488 KiB, 2048 KiB free)", err.msg);
	EXPECT_EQ_U64(2000, xv_model_now_ms(m));
	xv_model_free(m);
	return 0;
}

DEF_TEST(xend_dom0_all_or_nothing)
{
	/* 16 GiB host, dom0 2 GiB that may go down to 512 MiB: it can give
	 * at most 1536 MiB */
	struct xv_model_host h = host_of(16 * GIB, 2 * GIB, 512 * MIB, true, XV_TOOLSTACK_XEND);
	struct xv_model_profile p[2] = { profile_of(XV_MODEL_PLAIN, 4 * GIB, 4 * GIB),
					 profile_of(XV_MODEL_PLAIN, 5 * GIB, 5 * GIB) };
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, p, 2, &par, 1);
	struct events ev = { .n = 0 };
	int id;

	xv_model_set_event_sink(m, collect, &ev);
	/* xend: memory + 4 KiB per MiB of maxmem, rounded up to a MiB */
	EXPECT_EQ_U64(4 * GIB + 16 * MIB, xv_toolstack_need_kib(XV_TOOLSTACK_XEND, 4 * GIB, 4 * GIB));
	EXPECT_EQ_U64(1 * GIB + 4 * MIB, xv_toolstack_need_kib(XV_TOOLSTACK_XEND, 1 * GIB, 1000 * MIB));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g3", &id, &err));
	EXPECT_EQ_U64(2 * GIB, free_of(m));
	/* the 4th: 4112 MiB needed, 2048 free, short 2064 MiB > 1536: xend
	 * leaves dom0 alone; free memory never grows, so every look after
	 * the first is a retry; 2064 MiB is 2 whole GiB short, so the limit is 20 + 10 + 10 (added at the first two looks,
	 * while no retry is counted yet) = 40 retries: looks 2..41 count
	 * them, the 42nd gives up.  The 41 sleeps are 0.1 s, 0.2 s, ...,
	 * 4.1 s: 0.1 * (1 + ... + 41) = 86.1 s */
	EXPECT_EQ_INT(-1, xv_model_create(m, 0, "g4", &id, &err));
	EXPECT_EQ_STR("cannot create 'g4': xend: need 4210688 KiB, but dom0-min-mem is 524288 KiB "
		      "and shrinking dom0 to it would leave only 3670016 KiB free", err.msg);
	EXPECT_EQ_INT(0, ev.n);
	EXPECT_EQ_U64(86100, xv_model_now_ms(m));
	xv_model_free(m);

	return 0;
}

DEF_TEST(xend_dom0_covers_in_whole_mib)
{
	/* 12 GiB host, dom0 2 GiB, floor 196 MiB; two 5 GiB guests leave
	 * 12 - 2 - 10 = 0... use 4900 MiB guests: 12288 - 2048 - 9800 = 440
	 * MiB free.  A third guest of 1 GiB needs 1024 + 4 = 1028 MiB: short
	 * 588 MiB, dom0 can give 1852: its target becomes 2048 - 588 =
	 * 1460 MiB (already whole MiB) */
	struct xv_model_host h = host_of(12 * GIB, 2 * GIB, 196 * MIB, true, XV_TOOLSTACK_XEND);
	struct xv_model_profile p[2] = { profile_of(XV_MODEL_PLAIN, 4900 * MIB, 4900 * MIB),
					 profile_of(XV_MODEL_PLAIN, 1 * GIB, 1 * GIB) };
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, p, 2, &par, 1);
	struct events ev = { .n = 0 };
	int id;

	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g1", &id, &err));
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "g2", &id, &err));
	EXPECT_EQ_U64(440 * MIB, free_of(m));
	EXPECT_EQ_INT(0, xv_model_create(m, 1, "s1", &id, &err));
	EXPECT_EQ_INT(1, ev.n);
	EXPECT_EQ_U64(2 * GIB, ev.ev[0].value_kib);
	EXPECT_EQ_U64(1460 * MIB, ev.ev[0].value2_kib);
	/* the second look, 0.1 s later, found 1028 MiB free */
	EXPECT_EQ_U64(100, xv_model_now_ms(m));
	EXPECT_EQ_U64(4 * MIB, free_of(m));
	/* a shortfall that is not whole MiB: xend rounds dom0's target down */
	{
		uint64_t n = 0;
		EXPECT_TRUE(xv_toolstack_dom0_cover(XV_TOOLSTACK_XEND, 1460 * MIB, 100, 196 * MIB, &n));
		EXPECT_EQ_U64(1459 * MIB, n);
		EXPECT_TRUE(xv_toolstack_dom0_cover(XV_TOOLSTACK_LIBXL, 1460 * MIB, 100, 128 * MIB, &n));
		EXPECT_EQ_U64(1460 * MIB - 100, n);
		EXPECT_TRUE(!xv_toolstack_dom0_cover(XV_TOOLSTACK_XEND, 1460 * MIB, 1265 * MIB, 196 * MIB,
						     &n));
	}
	xv_model_free(m);
	return 0;
}

DEF_TEST(floor_and_descent)
{
	struct xv_model_host h = host_of(16 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_LIBXL);
	struct xv_model_profile p = profile_of(XV_MODEL_CLEAN, 4 * GIB, 4 * GIB);
	struct xv_model_params par = params();
	struct xv_model *m;
	struct events ev = { .n = 0 };
	uint64_t a, floor = 424 * MIB;
	int id;

	/* minmb() for MemTotal 4 GiB: 296 + 1048576 pages / 8192 = 424 MiB;
	 * for 1 GiB: 104 + 262144 / 2048 = 232 MiB; XENBALLOON_MINMEM wins */
	EXPECT_EQ_U64(424 * MIB, xv_balloon_floor_kib(4 * GIB, 0));
	EXPECT_EQ_U64(232 * MIB, xv_balloon_floor_kib(1 * GIB, 0));
	EXPECT_EQ_U64(40 * MIB + 256 / 4 * MIB, xv_balloon_floor_kib(256 * MIB, 0));
	EXPECT_EQ_U64(300 * MIB, xv_balloon_floor_kib(4 * GIB, 300 * MIB));
	/* the idle Committed_AS (380 MiB) is below the floor: 424 MiB */
	EXPECT_EQ_U64(floor, xv_model_idle_target_kib(&p));
	par.boot_jitter_ms = 0;
	m = xv_model_new(&h, &p, 1, &par, 1);
	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &id, &err));
	/* booting (30 s), then the daemon's first period within a second */
	xv_model_advance(m, 30000);
	EXPECT_EQ_U64(4 * GIB, alloc_of(m, id));
	xv_model_advance(m, 1000);
	/* down by a tenth of the gap in bytes, in whole pages: 4294967296 -
	 * 3760128 * 1024 / 10 = 3909930189 bytes = 954572 pages */
	a = (4 * GIB * 1024 - (4 * GIB - floor) * 1024 / 10) / 4096 * 4;
	EXPECT_EQ_U64(3818288, a);
	EXPECT_EQ_U64(a, alloc_of(m, id));
	xv_model_advance(m, 1000);
	a = (a * 1024 - (a - floor) * 1024 / 10) / 4096 * 4;
	EXPECT_EQ_U64(a, alloc_of(m, id));
	EXPECT_EQ_U64(16 * GIB - 1 * GIB - a, free_of(m));
	/* it comes down to the floor exactly, and stays */
	xv_model_advance(m, 600000);
	EXPECT_EQ_U64(floor, alloc_of(m, id));
	/* settled within 64 MiB after 39 periods: 3672 MiB * 0.9^38 = 66 MiB,
	 * * 0.9^39 = 60 MiB; the first at boot end + phase (1-1000 ms) */
	EXPECT_EQ_INT(1, count_kind(&ev, XV_MODEL_EV_SETTLED));
	EXPECT_TRUE(ev.ev[0].time_ms > 30000 + 38000 && ev.ev[0].time_ms <= 30000 + 39000);
	EXPECT_EQ_INT(39, xv_balloon_descent_periods(4 * GIB, floor, 64 * MIB, 10));
	xv_model_free(m);
	return 0;
}

DEF_TEST(balloon_up_at_once_within_free_memory)
{
	struct xv_model_host h = host_of(6 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_LIBXL);
	struct xv_model_profile p[2] = { profile_of(XV_MODEL_CLEAN, 1 * GIB, 4 * GIB),
					 profile_of(XV_MODEL_PLAIN, 2 * GIB - 2 * MIB, 2 * GIB - 2 * MIB) };
	struct xv_model_params par = params();
	struct xv_model *m;
	int c, g;

	par.boot_ms = 0;
	m = xv_model_new(&h, p, 2, &par, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &c, &err));
	EXPECT_EQ_INT(0, xv_model_set_target(m, c, 3 * GIB, &err));
	xv_model_advance(m, 1001);
	EXPECT_EQ_U64(3 * GIB, alloc_of(m, c)); /* all of it in one period */
	EXPECT_EQ_INT(0, xv_model_create(m, 1, "p1", &g, &err));
	EXPECT_EQ_U64(2 * MIB, free_of(m));
	/* 2 MiB free: the balloon grows by that, and no further */
	EXPECT_EQ_INT(0, xv_model_set_target(m, c, 4 * GIB, &err));
	xv_model_advance(m, 5000);
	EXPECT_EQ_U64(3 * GIB + 2 * MIB, alloc_of(m, c));
	EXPECT_EQ_U64(0, free_of(m));
	/* memory comes back: it grows at once, as far as the target */
	EXPECT_EQ_INT(0, xv_model_destroy(m, g, &err));
	xv_model_advance(m, 1000);
	EXPECT_EQ_U64(4 * GIB, alloc_of(m, c));
	EXPECT_EQ_U64(1 * GIB, free_of(m));
	EXPECT_EQ_INT(-1, xv_model_set_target(m, c, 5 * GIB, &err));
	EXPECT_EQ_STR("target 5242880 KiB is above guest 0's maxmem of 4194304 KiB", err.msg);
	EXPECT_EQ_INT(-1, xv_model_destroy(m, g, &err));
	EXPECT_EQ_STR("no guest with id 1", err.msg);
	xv_model_free(m);
	return 0;
}

DEF_TEST(plain_keeps_its_allocation)
{
	struct xv_model_host h = host_of(16 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_XEND);
	struct xv_model_profile p = profile_of(XV_MODEL_PLAIN, 4 * GIB, 4 * GIB);
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, &p, 1, &par, 1);
	struct xv_model_guest_state g;
	int id;

	EXPECT_EQ_INT(0, xv_model_create(m, 0, "p1", &id, &err));
	xv_model_advance(m, 3600 * 1000);
	EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
	EXPECT_EQ_U64(4 * GIB, g.alloc_kib);
	EXPECT_TRUE(!g.ballooning && !g.booting);
	EXPECT_EQ_U64(0, g.swap_kib);
	EXPECT_EQ_INT(-1, xv_model_set_target(m, id, 1 * GIB, &err));
	EXPECT_EQ_STR("guest 0 runs a plain image: it has no balloon driver", err.msg);
	xv_model_free(m);
	return 0;
}

DEF_TEST(working_set_beyond_allocation_swaps)
{
	struct xv_model_host h = host_of(16 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_XEND);
	struct xv_model_profile p = profile_of(XV_MODEL_CLEAN, 4 * GIB, 4 * GIB);
	struct xv_model_params par = params();
	struct xv_model *m;
	struct events ev = { .n = 0 };
	struct xv_model_guest_state g;
	int id;

	m = xv_model_new(&h, &p, 1, &par, 1);
	xv_model_set_event_sink(m, collect, &ev);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "c1", &id, &err));
	/* directed below the working set: kernel (24 MiB + 56 B per page of
	 * 4 GiB = 80 MiB) + idle resident 120 MiB = 200 MiB */
	EXPECT_EQ_INT(0, xv_model_set_target(m, id, 100 * MIB, &err));
	xv_model_advance(m, 300 * 1000);
	EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
	EXPECT_EQ_U64(200 * MIB, g.ws_kib);
	EXPECT_EQ_U64(100 * MIB, g.alloc_kib);
	EXPECT_EQ_U64(100 * MIB, g.swap_kib);
	EXPECT_EQ_INT(1, count_kind(&ev, XV_MODEL_EV_SWAP_ON));
	/* back to self-ballooning: up at once to the floor, no more swap */
	EXPECT_EQ_INT(0, xv_model_set_target(m, id, 0, &err));
	xv_model_advance(m, 1000);
	EXPECT_EQ_INT(0, xv_model_guest(m, id, &g));
	EXPECT_EQ_U64(424 * MIB, g.alloc_kib);
	EXPECT_EQ_U64(0, g.swap_kib);
	xv_model_free(m);
	return 0;
}

DEF_TEST(stress_duty_cycle)
{
	struct xv_model_host h = host_of(64 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_XEND);
	struct xv_model_profile p = profile_of(XV_MODEL_STRESS, 4 * GIB, 4 * GIB);
	struct xv_model_params par = params();
	struct xv_model *m;
	struct xv_model_guest_state g;
	const uint64_t base = 380 * MIB + 4 * 10 * MIB; /* Committed_AS + 4 stacks */
	double active = 0;
	unsigned n = 0, swapping = 0;
	int id;

	/* four threads on four vCPUs, no CPU contention, a generator of
	 * their own (no lock): each writes at the full rate */
	p.vcpus = 4;
	p.serial_writers = false;
	p.write_rate_kib_s = 64 * MIB;
	m = xv_model_new(&h, &p, 1, &par, 3);
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
		active += (double)k;
		swapping += g.swap_kib > 0;
		n++;
	}
	/* each thread writes on average 256 MiB at 64 MiB/s (4 s), then
	 * sleeps 31.5 s on average: active 4 / 35.5 = 11.3% of the time */
	active /= 4.0 * n;
	printf("# duty %.4f\n", active);
	EXPECT_TRUE(active > 0.10 && active < 0.125);
	EXPECT_EQ_INT(0, swapping);
	xv_model_free(m);
	return 0;
}

DEF_TEST(writers_share_the_cpus)
{
	struct xv_model_host h = host_of(64 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_LIBXL);
	struct xv_model_profile p = profile_of(XV_MODEL_STRESS, 2 * GIB, 2 * GIB);
	struct xv_model_params par = params();
	struct xv_model_host_state s;
	struct xv_model *m;
	int id;

	h.cpus = 2;
	par.boot_ms = 10000;
	/* rand()'s lock: four busy threads use one CPU between them */
	m = xv_model_new(&h, &p, 1, &par, 1);
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "s1", &id, &err));
	xv_model_advance(m, 11000);
	xv_model_host_state(m, &s);
	EXPECT_EQ_INT(1000, s.cpu_demand_milli);
	xv_model_free(m);

	p.serial_writers = false;
	m = xv_model_new(&h, &p, 1, &par, 1);
	/* one guest: its four threads wake at boot end and want its two
	 * vCPUs; the host has two: nobody waits */
	EXPECT_EQ_INT(0, xv_model_create(m, 0, "s1", &id, &err));
	xv_model_advance(m, 11000);
	xv_model_host_state(m, &s);
	EXPECT_EQ_INT(2000, s.cpu_demand_milli);
	EXPECT_EQ_INT(2000, s.cpu_used_milli);
	EXPECT_EQ_INT(0, s.waiting);
	xv_model_free(m);

	/* three guests created together, all threads busy after boot: each
	 * wants 2 CPUs, 6 in all; the 2 CPUs are shared equally, 2/3 each,
	 * and all three domains wait */
	m = xv_model_new(&h, &p, 1, &par, 1);
	for (int i = 0; i < 3; i++)
		EXPECT_EQ_INT(0, xv_model_create(m, 0, "s", &id, &err));
	xv_model_advance(m, 11000);
	xv_model_host_state(m, &s);
	EXPECT_EQ_INT(6000, s.cpu_demand_milli);
	EXPECT_EQ_INT(1998, s.cpu_used_milli);
	EXPECT_EQ_INT(3, s.waiting);
	xv_model_free(m);
	return 0;
}

/* Allocation of guest 0 every second for an hour, into out[3600]. */
static void trajectory(uint64_t seed, bool second_guest, uint64_t *out)
{
	struct xv_model_host h = host_of(64 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_XEND);
	struct xv_model_profile p = profile_of(XV_MODEL_STRESS, 4 * GIB, 4 * GIB);
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, &p, 1, &par, seed);
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
	unsigned differ = 0;

	trajectory(5, false, a);
	trajectory(5, false, b);
	trajectory(6, false, c);
	/* each guest has its own random stream: a neighbour changes nothing
	 * while memory and CPUs are plentiful */
	trajectory(5, true, d);
	for (unsigned s = 0; s < 3600; s++) {
		EXPECT_EQ_U64(a[s], b[s]);
		EXPECT_EQ_U64(a[s], d[s]);
		differ += a[s] != c[s];
	}
	EXPECT_TRUE(differ > 1000);
	return 0;
}

DEF_TEST(adopted_guests)
{
	struct xv_model_host h = host_of(16 * GIB, 1 * GIB, 1 * GIB, false, XV_TOOLSTACK_LIBXL);
	struct xv_model_params par = params();
	struct xv_model *m = xv_model_new(&h, NULL, 0, &par, 1);
	struct xv_model_adopted fixed = { .alloc_kib = 2 * GIB, .maxmem_kib = 2 * GIB,
					  .working_kib = 500 * MIB };
	struct xv_model_adopted self = { .alloc_kib = 2 * GIB, .maxmem_kib = 4 * GIB, .ballooning = true,
					 .committed_kib = 700 * MIB, .memtotal_hw_kib = 2 * GIB,
					 .working_kib = 300 * MIB };
	const int *ids;
	size_t n;
	int a, b;

	EXPECT_EQ_INT(0, xv_model_adopt(m, &fixed, &a));
	EXPECT_EQ_INT(0, xv_model_adopt(m, &self, &b));
	EXPECT_EQ_U64(11 * GIB, free_of(m));
	xv_model_changed(m, &ids, &n);
	EXPECT_EQ_INT(2, n);
	/* the self-ballooning one comes down to its Committed_AS, 700 MiB,
	 * above its floor (MemTotal 2 GiB: 296 + 524288 / 8192 = 360 MiB) */
	EXPECT_EQ_U64(360 * MIB, xv_balloon_floor_kib(2 * GIB, 0));
	xv_model_advance(m, 300 * 1000);
	EXPECT_EQ_U64(2 * GIB, alloc_of(m, a));
	EXPECT_EQ_U64(700 * MIB, alloc_of(m, b));
	xv_model_changed(m, &ids, &n);
	EXPECT_EQ_INT(1, n);
	EXPECT_EQ_INT(b, ids[0]);
	/* settled: nothing changes any more */
	xv_model_advance(m, 300 * 1000);
	xv_model_changed(m, &ids, &n);
	EXPECT_EQ_INT(0, n);
	xv_model_free(m);
	return 0;
}

int main(void)
{
	RUN_TEST(libxl_need_and_no_autoballoon);
	RUN_TEST(libxl_dom0_gives_the_shortfall);
	RUN_TEST(xend_dom0_all_or_nothing);
	RUN_TEST(xend_dom0_covers_in_whole_mib);
	RUN_TEST(floor_and_descent);
	RUN_TEST(balloon_up_at_once_within_free_memory);
	RUN_TEST(plain_keeps_its_allocation);
	RUN_TEST(working_set_beyond_allocation_swaps);
	RUN_TEST(stress_duty_cycle);
	RUN_TEST(writers_share_the_cpus);
	RUN_TEST(reproducible_from_seed);
	RUN_TEST(adopted_guests);
	END_TEST;
}
