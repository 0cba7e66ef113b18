/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_balloon_law.c: xenballoond 080630's decisions, worked out by hand from
 * the script (../shared/lab/src/xenballoond-080630): minmb()'s four ranges
 * and XENBALLOON_MINMEM, selftarget(), balloon_to_target()'s hysteresis in
 * bytes with bash's integer division, the driver's whole pages. */
#include "harness.h"
#include "balloon_law.h"

#define MIB 1024ULL
#define GIB (1024ULL * 1024ULL)

DEF_TEST(floor_ranges)
{
	/* mb < 125: 8 + pages / 512: 100 MiB = 25600 pages: 8 + 50 = 58 */
	EXPECT_EQ_U64(58 * MIB, xv_balloon_floor_kib(100 * MIB, 0));
	/* mb < 500: 40 + pages / 1024: 256 MiB = 65536 pages: 40 + 64 */
	EXPECT_EQ_U64(104 * MIB, xv_balloon_floor_kib(256 * MIB, 0));
	/* mb < 2000: 104 + pages / 2048: 1 GiB: 104 + 128 = 232 */
	EXPECT_EQ_U64(232 * MIB, xv_balloon_floor_kib(1 * GIB, 0));
	/* else 296 + pages / 8192: 4 GiB: 296 + 128 = 424 (the seed's xentop:
	 * 434176 KiB) */
	EXPECT_EQ_U64(434176, xv_balloon_floor_kib(4 * GIB, 0));
	/* the range edges: 124 MiB is still the first, 125 the second */
	EXPECT_EQ_U64((8 + 31744 / 512) * MIB, xv_balloon_floor_kib(124 * MIB, 0));
	EXPECT_EQ_U64((40 + 32000 / 1024) * MIB, xv_balloon_floor_kib(125 * MIB, 0));
	/* 1999 MiB + 1023 KiB: mb = 1999, still below 2000; pages = 511999:
	 * 104 + 249 = 353 */
	EXPECT_EQ_U64(353 * MIB, xv_balloon_floor_kib(1999 * MIB + 1023, 0));
	/* XENBALLOON_MINMEM (whole MiB) wins */
	EXPECT_EQ_U64(300 * MIB, xv_balloon_floor_kib(4 * GIB, 300 * MIB));
	EXPECT_EQ_U64(300 * MIB, xv_balloon_floor_kib(4 * GIB, 300 * MIB + 100));
	return 0;
}

DEF_TEST(selftarget)
{
	EXPECT_EQ_U64(424 * MIB, xv_balloon_selftarget_kib(380 * MIB, 424 * MIB));
	EXPECT_EQ_U64(1404 * MIB, xv_balloon_selftarget_kib(1404 * MIB, 424 * MIB));
	/* settled: capped at maxmem */
	EXPECT_EQ_U64(4 * GIB, xv_balloon_settled_kib(5 * GIB, 4 * GIB, 0, 4 * GIB));
	EXPECT_EQ_U64(424 * MIB, xv_balloon_settled_kib(380 * MIB, 4 * GIB, 0, 4 * GIB));
	return 0;
}

DEF_TEST(step)
{
	/* down: 1/10 of the gap, in bytes: base 1 GiB, target 424 MiB: gap
	 * 600 MiB = 629145600 B, /10 = 62914560 B; 1073741824 - 62914560 =
	 * 1010827264 B = 246784 pages = 987136 KiB */
	EXPECT_EQ_U64(987136, xv_balloon_step_kib(1 * GIB, 424 * MIB, 10, 1));
	/* a gap of 13 KiB: 13312 / 10 = 1331 B; the page with it goes too */
	EXPECT_EQ_U64(400 * MIB - 4, xv_balloon_step_kib(400 * MIB, 400 * MIB - 13, 10, 1));
	/* up: at once with up = 1, half way with up = 2 */
	EXPECT_EQ_U64(2 * GIB, xv_balloon_step_kib(1 * GIB, 2 * GIB, 10, 1));
	EXPECT_EQ_U64(1536 * MIB, xv_balloon_step_kib(1 * GIB, 2 * GIB, 10, 2));
	/* at the target: stays */
	EXPECT_EQ_U64(424 * MIB, xv_balloon_step_kib(424 * MIB, 424 * MIB, 10, 1));
	/* a target not on a page: the driver rounds down */
	EXPECT_EQ_U64(424 * MIB, xv_balloon_step_kib(424 * MIB, 424 * MIB + 3, 10, 1));
	/* down hysteresis 1: at once */
	EXPECT_EQ_U64(424 * MIB, xv_balloon_step_kib(4 * GIB, 424 * MIB, 1, 1));
	return 0;
}

DEF_TEST(descent)
{
	/* 4 GiB to 424 MiB within 64 MiB: 3672 MiB * 0.9^39 = 60 MiB */
	EXPECT_EQ_INT(39, xv_balloon_descent_periods(4 * GIB, 424 * MIB, 64 * MIB, 10));
	EXPECT_EQ_INT(0, xv_balloon_descent_periods(424 * MIB, 424 * MIB, 0, 10));
	EXPECT_EQ_INT(1, xv_balloon_descent_periods(4 * GIB, 424 * MIB, 64 * MIB, 1));
	return 0;
}

int main(void)
{
	RUN_TEST(floor_ranges);
	RUN_TEST(selftarget);
	RUN_TEST(step);
	RUN_TEST(descent);
	END_TEST;
}
