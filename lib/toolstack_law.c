/* SPDX-License-Identifier: GPL-3.0-or-later */
/* toolstack_law.c: xend's and libxl's creation and dom0 auto-balloon loops
 * (see toolstack_law.h for the sources). */
#include "toolstack_law.h"

#include <stdio.h>
#include <string.h>

#define KIB_PER_MIB 1024ULL
#define KIB_PER_GIB (1024ULL * 1024ULL)

/* xend balloon.py */
#define XEND_RETRY_LIMIT 20
#define XEND_RETRY_LIMIT_INCR 5
#define XEND_SLEEP_GROWTH_MS 100
/* xl freemem(): seconds of waiting for dom0 in all */
#define XL_CREDIT_MS 30000
/* libxl_wait_for_memory_target(ctx, 0, 10): a look every 2 s, 10 s without
 * progress at most */
#define XL_WAIT_STEP_MS 2000
#define XL_WAIT_SECS 10

static const char *const names[XV_TOOLSTACK_COUNT] = {
	[XV_TOOLSTACK_XEND] = "xend",
	[XV_TOOLSTACK_LIBXL] = "libxl",
};

const char *xv_toolstack_name(enum xv_toolstack ts)
{
	return (unsigned)ts < XV_TOOLSTACK_COUNT ? names[ts] : "?";
}

int xv_toolstack_parse(const char *name, enum xv_toolstack *out)
{
	if (!strcmp(name, "xend")) {
		*out = XV_TOOLSTACK_XEND;
		return 0;
	}
	if (!strcmp(name, "libxl") || !strcmp(name, "xl")) {
		*out = XV_TOOLSTACK_LIBXL;
		return 0;
	}
	return -1;
}

uint64_t xv_toolstack_need_kib(enum xv_toolstack ts, uint64_t memory_kib, uint64_t maxmem_kib)
{
	uint64_t need;

	if (ts == XV_TOOLSTACK_XEND) {
		/* _initDomain(): memory + shadow (0 for PV) + vtd_mem, 4 KiB
		 * per MiB of static maximum rounded up to a MiB */
		uint64_t vtd = 4 * (maxmem_kib / KIB_PER_MIB);
		vtd = (vtd + KIB_PER_MIB - 1) / KIB_PER_MIB * KIB_PER_MIB;
		return memory_kib + vtd;
	}
	/* libxl__domain_need_memory_calculate(): target + shadow + iommu (0
	 * for PV without passthrough) + LIBXL_PV_EXTRA_MEMORY, rounded up to
	 * 2 MiB */
	need = memory_kib + 1024;
	if (need % 2048)
		need += 2048 - need % 2048;
	return need;
}

uint64_t xv_toolstack_dom0_floor_kib(enum xv_toolstack ts, uint64_t configured_kib)
{
	if (ts == XV_TOOLSTACK_LIBXL && configured_kib < XV_LIBXL_MIN_DOM0_KIB)
		return XV_LIBXL_MIN_DOM0_KIB;
	return configured_kib;
}

bool xv_toolstack_dom0_cover(enum xv_toolstack ts, uint64_t dom0_kib, uint64_t short_kib,
			     uint64_t floor_kib, uint64_t *new_kib)
{
	uint64_t n;

	if (short_kib > dom0_kib)
		return false;
	n = dom0_kib - short_kib;
	if (n < floor_kib)
		return false;
	/* xend: dom0.setMemoryTarget(new_alloc / 1024), whole MiB */
	if (ts == XV_TOOLSTACK_XEND)
		n = n / KIB_PER_MIB * KIB_PER_MIB;
	*new_kib = n;
	return true;
}

void xv_creation_begin(struct xv_creation *c, const struct xv_toolstack_host *host,
		       uint64_t need_kib)
{
	memset(c, 0, sizeof(*c));
	c->host = *host;
	c->need_kib = need_kib;
	c->rlimit = XEND_RETRY_LIMIT;
	c->sleep_ms = XEND_SLEEP_GROWTH_MS;
	c->credit_ms = XL_CREDIT_MS;
}

static void wait_for(struct xv_creation *c, struct xv_creation_action *act, uint64_t ms)
{
	act->step = XV_CREATION_WAIT;
	act->wait_ms = ms;
	c->waited_ms += ms;
}

/* The diagnosis at the end of xend's free(), reworded. */
static void xend_fail(struct xv_creation *c, struct xv_creation_action *act, uint64_t free_kib)
{
	const struct xv_toolstack_host *h = &c->host;

	act->step = XV_CREATION_FAIL;
	if (!h->autoballoon) {
		snprintf(act->message, sizeof(act->message),
			 "xend: not enough free memory and dom0 ballooning is off: need %llu KiB, "
			 "have %llu KiB", (unsigned long long)c->need_kib,
			 (unsigned long long)free_kib);
	} else if (c->new_alloc_kib < (int64_t)h->dom0_floor_kib) {
		uint64_t could = free_kib + c->dom0_alloc_kib;

		could = could > h->dom0_floor_kib ? could - h->dom0_floor_kib : 0;
		snprintf(act->message, sizeof(act->message),
			 "xend: need %llu KiB, but dom0-min-mem is %llu KiB and shrinking dom0 to it "
			 "would leave only %llu KiB free", (unsigned long long)c->need_kib,
			 (unsigned long long)h->dom0_floor_kib, (unsigned long long)could);
	} else {
		/* xend puts dom0's target back to its size */
		act->set_dom0 = true;
		act->dom0_target_kib = c->dom0_alloc_kib / KIB_PER_MIB * KIB_PER_MIB;
		snprintf(act->message, sizeof(act->message),
			 "xend: not enough memory is available, and dom0 cannot be shrunk any further "
			 "(need %llu KiB, %llu KiB free)", (unsigned long long)c->need_kib,
			 (unsigned long long)free_kib);
	}
}

static void xend_look(struct xv_creation *c, uint64_t free_kib, uint64_t dom0_kib,
		      struct xv_creation_action *act)
{
	const struct xv_toolstack_host *h = &c->host;

	if (!c->started) {
		uint64_t ceiling = h->autoballoon ? h->total_kib - h->dom0_floor_kib
						  : h->total_kib - dom0_kib;
		c->started = true;
		c->dom0_alloc_kib = dom0_kib;
		c->first_free_kib = free_kib;
		/* a guest that cannot fit even with dom0 at its minimum:
		 * give up as if every retry had been made */
		if (h->total_kib <= h->dom0_floor_kib || c->need_kib >= ceiling)
			c->retries = c->rlimit;
	}
	if (c->retries >= c->rlimit) {
		/* the message quotes the last look before the loop ended */
		xend_fail(c, act, c->have_last_free ? c->last_free_kib : c->first_free_kib);
		return;
	}
	if (free_kib >= c->need_kib) {
		act->step = XV_CREATION_BUILD;
		return;
	}
	/* "if retries == 0": at every look until a retry is counted */
	if (c->retries == 0)
		c->rlimit += (unsigned)((c->need_kib - free_kib) / KIB_PER_GIB) * XEND_RETRY_LIMIT_INCR;
	if (h->autoballoon) {
		uint64_t new_kib;

		c->dom0_alloc_kib = dom0_kib;
		c->new_alloc_kib = (int64_t)dom0_kib - (int64_t)(c->need_kib - free_kib);
		c->have_new_alloc = true;
		if (c->new_alloc_kib >= (int64_t)h->dom0_floor_kib &&
		    (!c->have_last_new_alloc || (uint64_t)c->new_alloc_kib != c->last_new_alloc_kib) &&
		    xv_toolstack_dom0_cover(XV_TOOLSTACK_XEND, dom0_kib, c->need_kib - free_kib,
					    h->dom0_floor_kib, &new_kib)) {
			act->set_dom0 = true;
			act->dom0_target_kib = new_kib;
			c->last_new_alloc_kib = (uint64_t)c->new_alloc_kib;
			c->have_last_new_alloc = true;
		}
	}
	wait_for(c, act, c->sleep_ms);
	/* after the sleep: the bookkeeping uses this look's free memory */
	if (c->retries < 2 * XEND_RETRY_LIMIT)
		c->sleep_ms += XEND_SLEEP_GROWTH_MS;
	if (c->have_last_free && c->last_free_kib >= free_kib)
		c->retries++;
	c->last_free_kib = free_kib;
	c->have_last_free = true;
}

static void xl_look(struct xv_creation *c, uint64_t free_kib, uint64_t dom0_kib,
		    struct xv_creation_action *act)
{
	const struct xv_toolstack_host *h = &c->host;
	int64_t new_target;

	if (!c->started) {
		c->started = true;
		c->dom0_target_kib = dom0_kib;
	}
	if (!h->autoballoon) {
		/* freemem() returns at once; the build takes what is free */
		if (free_kib >= c->need_kib) {
			act->step = XV_CREATION_BUILD;
			return;
		}
		act->step = XV_CREATION_FAIL;
		snprintf(act->message, sizeof(act->message),
			 "libxl: cannot allocate %llu KiB for the domain: Xen has %llu KiB free and "
			 "autoballoon is off", (unsigned long long)c->need_kib,
			 (unsigned long long)free_kib);
		return;
	}
	if (c->waiting) {
		/* libxl_wait_for_memory_target(), after one 2 s sleep */
		if (dom0_kib > c->prev_dom0_kib) {
			act->step = XV_CREATION_FAIL;
			snprintf(act->message, sizeof(act->message),
				 "libxl: dom0 grew while it was asked to shrink to %llu KiB",
				 (unsigned long long)c->dom0_target_kib);
			return;
		}
		if (dom0_kib == c->prev_dom0_kib)
			c->wait_left_s -= XL_WAIT_STEP_MS / 1000;
		c->prev_dom0_kib = dom0_kib;
		if (c->wait_left_s > 0 && dom0_kib > c->dom0_target_kib) {
			wait_for(c, act, XL_WAIT_STEP_MS);
			return;
		}
		if (dom0_kib > c->dom0_target_kib) {
			act->step = XV_CREATION_FAIL;
			snprintf(act->message, sizeof(act->message),
				 "xl: failed to free memory for the domain: dom0 did not reach %llu KiB",
				 (unsigned long long)c->dom0_target_kib);
			return;
		}
		/* credit -= difftime(time(NULL), start): whole seconds */
		c->credit_ms -= (int64_t)((c->waited_ms - c->wait_start_ms) / 1000 * 1000);
		c->waiting = false;
	}
	if (free_kib >= c->need_kib) {
		act->step = XV_CREATION_BUILD;
		return;
	}
	if (c->credit_ms <= 0) {
		act->step = XV_CREATION_FAIL;
		snprintf(act->message, sizeof(act->message),
			 "xl: failed to free memory for the domain: need %llu KiB, %llu KiB free "
			 "after %llu s", (unsigned long long)c->need_kib,
			 (unsigned long long)free_kib, (unsigned long long)(c->waited_ms / 1000));
		return;
	}
	/* libxl_set_memory_target(ctx, 0, free - need, relative = 1) */
	new_target = (int64_t)c->dom0_target_kib - (int64_t)(c->need_kib - free_kib);
	if (new_target < 0)
		new_target = 0;
	if (new_target < (int64_t)h->dom0_floor_kib) {
		act->step = XV_CREATION_FAIL;
		snprintf(act->message, sizeof(act->message),
			 "libxl: new target %lld KiB for dom0 is below the minimum threshold of %llu KiB "
			 "(need %llu KiB, %llu KiB free)", (long long)new_target,
			 (unsigned long long)h->dom0_floor_kib, (unsigned long long)c->need_kib,
			 (unsigned long long)free_kib);
		return;
	}
	c->dom0_target_kib = (uint64_t)new_target;
	act->set_dom0 = true;
	act->dom0_target_kib = c->dom0_target_kib;
	c->waiting = true;
	c->wait_left_s = XL_WAIT_SECS;
	c->prev_dom0_kib = UINT64_MAX;
	c->wait_start_ms = c->waited_ms;
	wait_for(c, act, XL_WAIT_STEP_MS);
}

void xv_creation_look(struct xv_creation *c, uint64_t free_kib, uint64_t dom0_kib,
		      struct xv_creation_action *act)
{
	memset(act, 0, sizeof(*act));
	if (c->host.toolstack == XV_TOOLSTACK_XEND)
		xend_look(c, free_kib, dom0_kib, act);
	else
		xl_look(c, free_kib, dom0_kib, act);
}
