/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_toolstack_law.c: xend 3.4's balloon.free() and xl 4.17's freemem(),
 * look by look, against figures worked out from their sources: the need,
 * xend's growing sleeps and its retries counted only when free memory did
 * not grow, the 5 extra retries per GiB short added at every look before
 * the first retry, dom0 covering the whole shortfall or nothing, libxl's 2 s
 * waits, its 30 s credit and its 128 MiB dom0 floor. */
#include "harness.h"
#include "toolstack_law.h"

#define MIB 1024ULL
#define GIB (1024ULL * 1024ULL)

static const struct xv_toolstack_host xend = {
	.toolstack = XV_TOOLSTACK_XEND, .autoballoon = true, .total_kib = 48 * GIB,
	.dom0_floor_kib = 196 * MIB,
};

static const struct xv_toolstack_host xl = {
	.toolstack = XV_TOOLSTACK_LIBXL, .autoballoon = true, .total_kib = 3 * GIB,
	.dom0_floor_kib = XV_LIBXL_MIN_DOM0_KIB,
};

DEF_TEST(names)
{
	enum xv_toolstack ts;

	EXPECT_EQ_STR("xend", xv_toolstack_name(XV_TOOLSTACK_XEND));
	EXPECT_EQ_STR("libxl", xv_toolstack_name(XV_TOOLSTACK_LIBXL));
	EXPECT_EQ_INT(0, xv_toolstack_parse("xl", &ts));
	EXPECT_EQ_INT(XV_TOOLSTACK_LIBXL, ts);
	EXPECT_EQ_INT(-1, xv_toolstack_parse("xapi", &ts));
	EXPECT_EQ_U64(196 * MIB, xv_toolstack_dom0_floor_kib(XV_TOOLSTACK_XEND, 196 * MIB));
	/* libxl: 128 MiB at least, a site's higher floor kept */
	EXPECT_EQ_U64(128 * MIB, xv_toolstack_dom0_floor_kib(XV_TOOLSTACK_LIBXL, 64 * MIB));
	EXPECT_EQ_U64(196 * MIB, xv_toolstack_dom0_floor_kib(XV_TOOLSTACK_LIBXL, 196 * MIB));
	/* libxl: 255 MiB + 1 = 256, already a multiple of 2 */
	EXPECT_EQ_U64(256 * MIB, xv_toolstack_need_kib(XV_TOOLSTACK_LIBXL, 255 * MIB, 255 * MIB));
	/* xend: 128 MiB of maxmem: 512 KiB, rounded up to 1 MiB */
	EXPECT_EQ_U64(129 * MIB, xv_toolstack_need_kib(XV_TOOLSTACK_XEND, 128 * MIB, 128 * MIB));
	return 0;
}

DEF_TEST(xend_waits_while_free_memory_grows)
{
	struct xv_creation c;
	struct xv_creation_action act;
	uint64_t need = 4 * GIB + 16 * MIB, free_kib = 3 * GIB;

	xv_creation_begin(&c, &xend, need);
	/* short 1040 MiB (1 whole GiB) with a dom0 at its floor: no balloon;
	 * free memory grows by 1 MiB at each look, so no retry is counted
	 * and the limit grows by 5 at each of these looks */
	for (unsigned i = 1; i <= 10; i++) {
		xv_creation_look(&c, free_kib, 196 * MIB, &act);
		EXPECT_EQ_INT(XV_CREATION_WAIT, act.step);
		EXPECT_TRUE(!act.set_dom0);
		EXPECT_EQ_U64(100 * i, act.wait_ms);
		free_kib += MIB;
	}
	EXPECT_EQ_INT(0, c.retries);
	EXPECT_EQ_INT(20 + 10 * 5, c.rlimit);
	/* 5.5 s so far; now enough is free */
	EXPECT_EQ_U64(5500, c.waited_ms);
	xv_creation_look(&c, need, 196 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_BUILD, act.step);
	return 0;
}

DEF_TEST(xend_gives_up)
{
	struct xv_creation c;
	struct xv_creation_action act;
	unsigned looks = 0;

	/* short 512 MiB (0 whole GiB: 20 retries), dom0 512 MiB with floor
	 * 196: dom0 could give 316 MiB only: left alone.  Free memory never
	 * changes: looks 2..21 count the 20 retries, the 22nd gives up */
	xv_creation_begin(&c, &xend, 1 * GIB);
	do {
		xv_creation_look(&c, 512 * MIB, 512 * MIB, &act);
		looks++;
		EXPECT_TRUE(!act.set_dom0 || act.step == XV_CREATION_FAIL);
	} while (act.step == XV_CREATION_WAIT);
	EXPECT_EQ_INT(XV_CREATION_FAIL, act.step);
	EXPECT_EQ_INT(22, looks);
	/* 0.1 + 0.2 + ... + 2.1 s */
	EXPECT_EQ_U64(23100, c.waited_ms);
	EXPECT_EQ_STR("xend: need 1048576 KiB, but dom0-min-mem is 200704 KiB and shrinking dom0 to it would "
		      "leave only 847872 KiB free", act.message);
	return 0;
}

DEF_TEST(xend_covers_with_dom0)
{
	struct xv_creation c;
	struct xv_creation_action act;

	/* short 300 MiB + 5 KiB, dom0 512 MiB: target 512 - 300 MiB - 5 KiB
	 * rounded down to 211 MiB */
	xv_creation_begin(&c, &xend, 1 * GIB);
	xv_creation_look(&c, 724 * MIB - 5, 512 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_WAIT, act.step);
	EXPECT_TRUE(act.set_dom0);
	EXPECT_EQ_U64(211 * MIB, act.dom0_target_kib);
	/* dom0 reached it: free 1 GiB + 1019 KiB */
	xv_creation_look(&c, 1 * GIB + 1019, 211 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_BUILD, act.step);
	/* a guest that cannot fit even with dom0 at its minimum: at once */
	xv_creation_begin(&c, &xend, 48 * GIB - 196 * MIB);
	xv_creation_look(&c, 1 * GIB, 512 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_FAIL, act.step);
	EXPECT_EQ_U64(0, c.waited_ms);
	return 0;
}

DEF_TEST(xend_without_ballooning)
{
	struct xv_toolstack_host h = xend;
	struct xv_creation c;
	struct xv_creation_action act;

	h.autoballoon = false;
	xv_creation_begin(&c, &h, 1 * GIB);
	do
		xv_creation_look(&c, 512 * MIB, 4 * GIB, &act);
	while (act.step == XV_CREATION_WAIT);
	EXPECT_EQ_STR("xend: not enough free memory and dom0 ballooning is off: need 1048576 KiB, have "
		      "524288 KiB", act.message);
	return 0;
}

DEF_TEST(xl_loop)
{
	struct xv_creation c;
	struct xv_creation_action act;
	uint64_t need = 256 * MIB;

	/* 100 MiB free, dom0 768 MiB: target 768 - 156 = 612 MiB */
	xv_creation_begin(&c, &xl, need);
	xv_creation_look(&c, 100 * MIB, 768 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_WAIT, act.step);
	EXPECT_TRUE(act.set_dom0);
	EXPECT_EQ_U64(612 * MIB, act.dom0_target_kib);
	EXPECT_EQ_U64(2000, act.wait_ms);
	/* dom0 has not moved yet: progress from "nothing" counts, wait on */
	xv_creation_look(&c, 100 * MIB, 700 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_WAIT, act.step);
	EXPECT_TRUE(!act.set_dom0);
	/* there; but a guest took 50 MiB meanwhile: another round from the
	 * target: 612 - 50 = 562 MiB */
	xv_creation_look(&c, 206 * MIB, 612 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_WAIT, act.step);
	EXPECT_EQ_U64(562 * MIB, act.dom0_target_kib);
	xv_creation_look(&c, 256 * MIB, 562 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_BUILD, act.step);
	EXPECT_EQ_U64(6000, c.waited_ms);
	/* dom0 that does not move for 10 s: xl gives up */
	xv_creation_begin(&c, &xl, need);
	xv_creation_look(&c, 100 * MIB, 768 * MIB, &act);
	for (unsigned i = 0; i < 5; i++) {
		xv_creation_look(&c, 100 * MIB, 768 * MIB, &act);
		EXPECT_EQ_INT(XV_CREATION_WAIT, act.step);
	}
	xv_creation_look(&c, 100 * MIB, 768 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_FAIL, act.step);
	EXPECT_EQ_STR("xl: failed to free memory for the domain: dom0 did not reach 626688 KiB", act.message);
	/* below 128 MiB: refused at once */
	xv_creation_begin(&c, &xl, need);
	xv_creation_look(&c, 100 * MIB, 200 * MIB, &act);
	EXPECT_EQ_INT(XV_CREATION_FAIL, act.step);
	EXPECT_EQ_STR("libxl: new target 45056 KiB for dom0 is below the minimum threshold of 131072 KiB "
		      "(need 262144 KiB, 102400 KiB free)", act.message);
	return 0;
}

DEF_TEST(xl_credit)
{
	struct xv_creation c;
	struct xv_creation_action act;
	uint64_t dom0 = 8 * GIB;
	unsigned rounds = 0;

	/* a host where every freed MiB is taken at once: dom0 shrinks by the
	 * whole 256 MiB shortfall every round, 2 s each, until the 30 s of
	 * credit are spent: 15 rounds, then xl gives up */
	xv_creation_begin(&c, &xl, 256 * MIB);
	for (;;) {
		xv_creation_look(&c, 0, dom0, &act);
		if (act.set_dom0) {
			dom0 = act.dom0_target_kib;
			rounds++;
		}
		if (act.step != XV_CREATION_WAIT)
			break;
	}
	EXPECT_EQ_INT(XV_CREATION_FAIL, act.step);
	EXPECT_EQ_INT(15, rounds);
	EXPECT_EQ_U64(8 * GIB - 15 * 256 * MIB, dom0);
	EXPECT_EQ_STR("xl: failed to free memory for the domain: need 262144 KiB, 0 KiB free after 30 s",
		      act.message);
	/* with a 2 GiB dom0 the floor comes first: 7 rounds leave 256 MiB,
	 * the 8th would go to 0 */
	xv_creation_begin(&c, &xl, 256 * MIB);
	dom0 = 2 * GIB;
	rounds = 0;
	for (;;) {
		xv_creation_look(&c, 0, dom0, &act);
		if (act.set_dom0) {
			dom0 = act.dom0_target_kib;
			rounds++;
		}
		if (act.step != XV_CREATION_WAIT)
			break;
	}
	EXPECT_EQ_INT(7, rounds);
	EXPECT_EQ_U64(256 * MIB, dom0);
	return 0;
}

int main(void)
{
	RUN_TEST(names);
	RUN_TEST(xend_waits_while_free_memory_grows);
	RUN_TEST(xend_gives_up);
	RUN_TEST(xend_covers_with_dom0);
	RUN_TEST(xend_without_ballooning);
	RUN_TEST(xl_loop);
	RUN_TEST(xl_credit);
	END_TEST;
}
