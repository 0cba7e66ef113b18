/* SPDX-License-Identifier: GPL-3.0-or-later */
/* toolstack_law.h: how a Xen toolstack creates a guest on a host that is
 * short of free memory, and how far it shrinks dom0 to make room.
 *
 * Two toolstacks, read from their sources (xen-project/xen):
 *
 * xend (Xen 3.4, the seed's Oracle VM 2.2; tools/python/xen/xend/balloon.py
 * free() and XendDomainInfo.py _constructDomain()/_initDomain() at tag
 * 3.4.0-rc3):
 *   - before the domain exists it makes sure 4 MiB are free; then it needs
 *     memory= plus 4 KiB per MiB of maxmem (the VT-d page-table reserve,
 *     rounded up to a MiB) free at once;
 *   - it looks at free memory, sleeping 0.1 s, 0.2 s, 0.3 s, ... between
 *     looks (the sleep grows while fewer than 40 retries were counted);
 *   - a look counts as a retry only if free memory did not grow since the
 *     previous look; it gives up after 20 retries plus 5 for every whole GiB
 *     it was short (added again at every look while no retry is counted);
 *   - with enable-dom0-ballooning it sets dom0's target to dom0's size less
 *     the whole shortfall, rounded down to a MiB, only if that stays at or
 *     above dom0-min-mem: dom0 covers all of the shortfall or none of it;
 *   - if the guest cannot fit even with dom0 at its minimum (memory >= total
 *     - dom0-min-mem) it fails at once.
 *
 * libxl + xl (Xen 4.17; tools/xl/xl_vmcontrol.c freemem(),
 * tools/libs/light/libxl_mem.c at RELEASE-4.17.0):
 *   - it needs memory= + 1 MiB (LIBXL_PV_EXTRA_MEMORY) rounded up to 2 MiB;
 *   - with autoballoon it sets dom0's target to its current target less the
 *     shortfall; a target below 128 MiB (LIBXL_MIN_DOM0_MEM), or below the
 *     higher floor a site keeps, is an error and the creation fails at once;
 *   - it then waits for dom0 to reach the target (libxl_wait_for_memory_
 *     target: looks every 2 s, gives up after 10 s without progress) and
 *     looks again, for 30 s of such waiting in all;
 *   - without autoballoon it builds at once, and the build fails if Xen
 *     cannot give the domain its memory.
 *
 * Neither toolstack pauses other guests while it waits: the guests that
 * the seed paused during Test 1 were paused by hand.
 *
 * The model drives a creation look by look (xv_creation_look()); the
 * capacity prediction uses the same need and dom0 rules. */
#ifndef XV_TOOLSTACK_LAW_H
#define XV_TOOLSTACK_LAW_H

#include <stdbool.h>
#include <stdint.h>

enum xv_toolstack {
	XV_TOOLSTACK_XEND,  /* xend, Xen 3.x */
	XV_TOOLSTACK_LIBXL, /* xl over libxl, Xen 4.x */
	XV_TOOLSTACK_COUNT
};

/* "xend", "libxl". */
const char *xv_toolstack_name(enum xv_toolstack ts);
/* Parses "xend", "libxl" (or "xl"); -1 if unknown. */
int xv_toolstack_parse(const char *name, enum xv_toolstack *out);

/* libxl's LIBXL_MIN_DOM0_MEM. */
#define XV_LIBXL_MIN_DOM0_KIB (128ULL * 1024)

struct xv_toolstack_host {
	enum xv_toolstack toolstack;
	bool autoballoon;        /* xend enable-dom0-ballooning, xl.conf autoballoon */
	uint64_t total_kib;      /* physinfo total memory */
	uint64_t dom0_floor_kib; /* xv_toolstack_dom0_floor_kib() */
};

/* Free memory the toolstack waits for before it builds a PV guest of
 * memory_kib (maxmem_kib its maximum). */
uint64_t xv_toolstack_need_kib(enum xv_toolstack ts, uint64_t memory_kib, uint64_t maxmem_kib);

/* The lowest dom0 the toolstack sets: what xend was configured with
 * (dom0-min-mem); for libxl its constant 128 MiB, or a higher floor the
 * site keeps (xvmon-bench's Xen driver enforces the plan's, as a wrapper
 * around xl would). */
uint64_t xv_toolstack_dom0_floor_kib(enum xv_toolstack ts, uint64_t configured_kib);

/* dom0's size after it covers short_kib for a creation: true and *new_kib
 * when dom0 can give all of it without going below floor_kib (xend rounds
 * the new target down to a whole MiB), false when the toolstack leaves dom0
 * alone (xend) or refuses (libxl). */
bool xv_toolstack_dom0_cover(enum xv_toolstack ts, uint64_t dom0_kib, uint64_t short_kib,
			     uint64_t floor_kib, uint64_t *new_kib);

/* One creation, look by look. */
enum xv_creation_step {
	XV_CREATION_BUILD, /* enough is free: build the guest now */
	XV_CREATION_WAIT,  /* wait wait_ms, then look again */
	XV_CREATION_FAIL,  /* give up: message says why */
};

struct xv_creation_action {
	enum xv_creation_step step;
	bool set_dom0;            /* set dom0's balloon target first */
	uint64_t dom0_target_kib;
	uint64_t wait_ms;
	char message[256];
};

struct xv_creation {
	struct xv_toolstack_host host;
	uint64_t need_kib;
	uint64_t waited_ms;
	bool started;
	/* xend's loop */
	unsigned retries, rlimit;
	uint64_t sleep_ms;
	bool have_last_free, have_new_alloc, have_last_new_alloc;
	uint64_t last_free_kib, last_new_alloc_kib, dom0_alloc_kib, first_free_kib;
	int64_t new_alloc_kib;
	/* xl's loop */
	int64_t credit_ms;
	bool waiting;             /* in libxl_wait_for_memory_target() */
	uint64_t dom0_target_kib, prev_dom0_kib;
	int wait_left_s;
	uint64_t wait_start_ms;
};

/* Starts a creation that needs need_kib free (xv_toolstack_need_kib(), or
 * xend's 4 MiB pre-reservation). */
void xv_creation_begin(struct xv_creation *c, const struct xv_toolstack_host *host,
		       uint64_t need_kib);

/* One look at the host: free memory now and dom0's current size (its
 * balloon target is taken to be reached when it is set: dom0's driver gives
 * pages back in milliseconds).  Fills `act`. */
void xv_creation_look(struct xv_creation *c, uint64_t free_kib, uint64_t dom0_kib,
		      struct xv_creation_action *act);

#endif
