/* SPDX-License-Identifier: GPL-3.0-or-later */
/* balloon_law.c: xenballoond's self-balloon law (see balloon_law.h). */
#include "balloon_law.h"

#define KIB_PER_MIB 1024ULL
#define PAGE_KIB 4ULL

uint64_t xv_balloon_floor_kib(uint64_t memtotal_hw_kib, uint64_t minmem_kib)
{
	uint64_t mb = memtotal_hw_kib / KIB_PER_MIB, pages = memtotal_hw_kib / PAGE_KIB, floor_mb;

	if (minmem_kib)
		return minmem_kib / KIB_PER_MIB * KIB_PER_MIB;
	/* minmb(): the ranges are the balloon driver's minimum_target(),
	 * shifted because "a VM with memory=1024 gets somewhat less than
	 * 1024MB" of MemTotal */
	if (mb < 125)
		floor_mb = 8 + (pages >> 9);
	else if (mb < 500)
		floor_mb = 40 + (pages >> 10);
	else if (mb < 2000)
		floor_mb = 104 + (pages >> 11);
	else
		floor_mb = 296 + (pages >> 13);
	return floor_mb * KIB_PER_MIB;
}

uint64_t xv_balloon_settled_kib(uint64_t committed_kib, uint64_t memtotal_hw_kib,
				uint64_t minmem_kib, uint64_t maxmem_kib)
{
	uint64_t t = xv_balloon_selftarget_kib(committed_kib,
					       xv_balloon_floor_kib(memtotal_hw_kib, minmem_kib));

	return t < maxmem_kib ? t : maxmem_kib;
}

unsigned xv_balloon_descent_periods(uint64_t alloc_kib, uint64_t target_kib, uint64_t tolerance_kib,
				    unsigned down)
{
	unsigned n = 0;

	/* the gap shrinks by 1/down each period: at most a few hundred
	 * periods from any size to any tolerance of a page or more */
	while (alloc_kib > target_kib + tolerance_kib && n < 100000) {
		uint64_t next = xv_balloon_step_kib(alloc_kib, target_kib, down, 1);

		if (next >= alloc_kib)
			break;
		alloc_kib = next;
		n++;
	}
	return n;
}
