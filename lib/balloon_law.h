/* SPDX-License-Identifier: GPL-3.0-or-later */
/* balloon_law.h: how a self-ballooning Xen guest moves its balloon.
 *
 * The law is xenballoond's (version 080630, the in-guest daemon the seed's
 * guests ran; ../shared/lab/src/xenballoond-080630), applied to what the
 * guest kernel reports.  The bench's model and check_xen_capacity both call
 * these functions, so the simulation and the live prediction use one law.
 *
 * One period of the daemon (XENBALLOON_SELF_INTERVAL, 1 s):
 *
 *   floor  = minmb(): XENBALLOON_MINMEM if set, else a piecewise-linear rule
 *            of the highest MemTotal the guest has seen (the daemon stores it
 *            in XENBALLOON_MAXMEMFILE), 296 MiB + 1/32 of it above 2000 MB;
 *   target = max(Committed_AS, floor)                        (selftarget());
 *   write  = base - (base - target) / down   when base > target,
 *            base + (target - base) / up     when base < target,
 *   in bytes with integer division, as bash computes it; the kernel's
 *   balloon driver takes the written bytes in whole 4 KiB pages.
 *
 * `base` is MemTotal in the 2008 script.  In the xenlinux 2.6.18 kernels the
 * seed's guests ran, the balloon driver sets MemTotal to its current
 * allocation at boot and after every change (totalram_pages =
 * bs.current_pages; xen-project/xen, linux-2.6-xen-sparse/drivers/xen/
 * balloon/balloon.c before c58e445d1c), so there the base is the allocation
 * and the high-water mark is memory= (4 GiB: floor 424 MiB, the seed's
 * xentop's 434176 KiB).  A modern kernel's MemTotal leaves out what it
 * reserved at boot; xvmon's own daemon (bench/guest) steps from the balloon's
 * current size and keeps MemTotal for the high-water mark. */
#ifndef XV_BALLOON_LAW_H
#define XV_BALLOON_LAW_H

#include <stdint.h>

/* xenballoond's defaults (xenballoon.conf-080630). */
#define XV_BALLOON_DOWN_HYSTERESIS 10
#define XV_BALLOON_UP_HYSTERESIS 1
#define XV_BALLOON_INTERVAL_MS 1000

/* minmb(), in KiB: the floor of a guest whose highest MemTotal so far is
 * memtotal_hw_kib; minmem_kib (XENBALLOON_MINMEM, whole MiB) wins when it is
 * not 0. */
uint64_t xv_balloon_floor_kib(uint64_t memtotal_hw_kib, uint64_t minmem_kib);

/* selftarget(): max(Committed_AS, floor). */
static inline uint64_t xv_balloon_selftarget_kib(uint64_t committed_kib, uint64_t floor_kib)
{
	return committed_kib > floor_kib ? committed_kib : floor_kib;
}

/* balloon_to_target(): the allocation the daemon asks for this period, from
 * its base and the target, in KiB rounded down to whole 4 KiB pages (what the
 * driver does with the bytes it is given).  down and up count as 1 below 1.
 * Inline: the model calls it for every guest every second. */
static inline uint64_t xv_balloon_step_kib(uint64_t base_kib, uint64_t target_kib, unsigned down,
					   unsigned up)
{
	/* bytes, as the script's $(( )) arithmetic; sizes up to XV_KIB_MAX
	 * (2^40 KiB) stay far below 2^63 bytes */
	uint64_t cur = base_kib * 1024, tgt = target_kib * 1024;

	if (cur > tgt)
		tgt = cur - (cur - tgt) / (down ? down : 1);
	else if (cur < tgt)
		tgt = cur + (tgt - cur) / (up ? up : 1);
	/* the driver: target_bytes >> PAGE_SHIFT */
	return tgt / 4096 * 4;
}

/* Where a guest holding `alloc_kib` settles when its Committed_AS stays at
 * committed_kib: the self-balloon target, never above maxmem (the balloon
 * cannot grow past the domain's maximum).  memtotal_hw_kib is the guest's
 * highest MemTotal (its memory= less what the kernel reserves at boot). */
uint64_t xv_balloon_settled_kib(uint64_t committed_kib, uint64_t memtotal_hw_kib,
				uint64_t minmem_kib, uint64_t maxmem_kib);

/* Seconds of daemon periods until a guest at alloc_kib, stepping down toward
 * target_kib from its allocation (base = allocation), comes within
 * tolerance_kib of the target; 0 if it already is.  The closed form of
 * repeated xv_balloon_step_kib(), used to predict settle times. */
unsigned xv_balloon_descent_periods(uint64_t alloc_kib, uint64_t target_kib, uint64_t tolerance_kib,
				    unsigned down);

#endif
