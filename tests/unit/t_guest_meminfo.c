/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_guest_meminfo.c: a guest's published meminfo and vmstat, good and bad. */
#include "harness.h"
#include "buf.h"
#include "file.h"
#include "guest_meminfo.h"
#include "num.h"

static int load(const char *path, struct xv_buf *b)
{
	struct xv_error e;

	return xv_file_read(path, 65536, 1, b, &e);
}

DEF_TEST(real_meminfo_and_vmstat)
{
	struct xv_buf mi = XV_BUF_INIT, vm = XV_BUF_INIT;
	struct xv_guest_memory g;
	const char *why = NULL;

	EXPECT_EQ_INT(0, load("tests/data/guest/meminfo-6.1.txt", &mi));
	EXPECT_EQ_INT(0, load("tests/data/guest/vmstat-6.1.txt", &vm));
	xv_guest_memory_clear(&g, XV_GUEST_NONE);
	if (xv_meminfo_parse(mi.data, mi.len, &g, &why))
		FAIL_AT("refused: %s", why);
	EXPECT_EQ_INT(XV_GUEST_REPORTED, g.report);
	EXPECT_EQ_U64(449836, g.total_kib);
	EXPECT_EQ_U64(101204, g.free_kib);
	EXPECT_EQ_U64(241516, g.available_kib);
	EXPECT_EQ_U64(2112 + 150040, g.cached_kib);
	EXPECT_EQ_U64(309876, g.committed_kib);
	EXPECT_EQ_U64(262140, g.swap_total_kib);
	EXPECT_EQ_U64(262140 - 258044, g.swap_used_kib);
	EXPECT_EQ_U64(449836 - 101204 - 2112 - 150040, xv_guest_used_kib(&g));
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, g.swap_in_kib);
	/* the vmstat file has no newline at its end, as `xenstore-write "$(cat ...)"` sends it */
	if (xv_vmstat_parse(vm.data, vm.len, &g, &why))
		FAIL_AT("refused: %s", why);
	EXPECT_EQ_U64(1500 * 4, g.swap_in_kib);
	EXPECT_EQ_U64(2600 * 4, g.swap_out_kib);
	EXPECT_TRUE(xv_guest_memory_validate(&g) == NULL);
	xv_buf_release(&mi);
	xv_buf_release(&vm);
	return 0;
}

DEF_TEST(partial_meminfo)
{
	struct xv_guest_memory g;
	const char *why = NULL;
	const char *old = "MemTotal: 1000 kB\nMemFree: 10 kB\nCached: 5 kB\n"; /* a 2.6.18 kernel */

	xv_guest_memory_clear(&g, XV_GUEST_NONE);
	EXPECT_EQ_INT(0, xv_meminfo_parse(old, strlen(old), &g, &why));
	EXPECT_EQ_U64(1000, g.total_kib);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, g.available_kib); /* no MemAvailable before Linux 3.14 */
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, g.cached_kib);    /* no Buffers: no page cache figure */
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, g.committed_kib);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, g.swap_used_kib);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_guest_used_kib(&g));
	return 0;
}

DEF_TEST(hostile_texts)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "", "no MemTotal" },
		{ "MemFree: 5 kB\n", "no MemTotal" },
		{ "MemTotal: 5 kB\nMemTotal: 6 kB\n", "a figure given twice" },
		{ "MemTotal: 5\n", "a figure without its kB unit" },
		{ "MemTotal: 5 MB\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal: -5 kB\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal:5 kB\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal: 5 kB\n\nMemFree: 1 kB\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal: 5 kB\r\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal: 5 kB \n", "a line that is not 'Name: number kB'" },
		{ "Mem Total: 5 kB\n", "a line that is not 'Name: number kB'" },
		{ "<html>\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal: 99999999999999999999999 kB\n", "a line that is not 'Name: number kB'" },
		{ "MemTotal: 1099511627777 kB\n", "a size above 1 PiB" },
		{ "MemTotal: 10 kB\nSwapTotal: 1 kB\nSwapFree: 2 kB\n", "SwapFree above SwapTotal" },
	};
	struct xv_guest_memory g;
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xv_guest_memory_clear(&g, XV_GUEST_NONE);
		why = NULL;
		if (xv_meminfo_parse(bad[i].text, strlen(bad[i].text), &g, &why) != -1)
			FAIL_AT("accepted case %zu", i);
		if (!why || strcmp(why, bad[i].why))
			FAIL_AT("case %zu: expected \"%s\", got \"%s\"", i, bad[i].why, why ? why : "(null)");
		EXPECT_EQ_INT(XV_GUEST_NONE, g.report); /* untouched */
		EXPECT_EQ_U64(XV_KIB_UNKNOWN, g.total_kib);
	}
	/* a NUL inside: the line does not have the form */
	EXPECT_EQ_INT(-1, xv_meminfo_parse("MemTotal: 5 kB\0x\n", 17, &g, &why));
	/* longer than a xenstore value */
	char big[XV_MEMINFO_MAX_BYTES + 2];
	memset(big, 'a', sizeof(big));
	EXPECT_EQ_INT(-1, xv_meminfo_parse(big, sizeof(big), &g, &why));
	EXPECT_EQ_STR("longer than a xenstore value", why);

	xv_guest_memory_clear(&g, XV_GUEST_REPORTED);
	EXPECT_EQ_INT(-1, xv_vmstat_parse("pswpin 1\npswpin 2\n", 18, &g, &why));
	EXPECT_EQ_STR("a counter given twice", why);
	EXPECT_EQ_INT(-1, xv_vmstat_parse("pswpin: 1\n", 10, &g, &why));
	EXPECT_EQ_STR("a line that is not 'name number'", why);
	EXPECT_EQ_INT(-1, xv_vmstat_parse("pswpout 2251799813685249\n", 25, &g, &why));
	EXPECT_EQ_STR("a swap counter above 2^53 KiB", why);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, g.swap_in_kib); /* untouched */
	/* a selection without the swap lines: counters stay unknown */
	EXPECT_EQ_INT(0, xv_vmstat_parse("nr_free_pages 5\n", 16, &g, &why));
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, g.swap_out_kib);
	return 0;
}

int main(void)
{
	RUN_TEST(real_meminfo_and_vmstat);
	RUN_TEST(partial_meminfo);
	RUN_TEST(hostile_texts);
	END_TEST;
}
