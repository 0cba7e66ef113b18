/* SPDX-License-Identifier: GPL-3.0-or-later */
/* balloon_law.h: xenballoond's self-balloon law (version 080630), as one C
 * function.  Header only, so the static guest daemon (xvb-balloond), the
 * differential test's replay tool and the bench's model and libvirt driver
 * all compile the same code.
 *
 * What one period of the original daemon decides (its main loop body, with
 * minmb(), selftarget(), balloon_to_target() and the hysteresis functions),
 * from what it reads:
 *
 *   1. The high-water mark: if MemTotal is above the number kept in
 *      XENBALLOON_MAXMEMFILE (0 when the file is missing), it is stored.
 *   2. Mode: self-ballooning if xenstore memory/selfballoon is 1, else the
 *      configured XENBALLOON_SELF.  (memory/selfballoon = 0 does NOT turn a
 *      configured self-ballooning off: the 2008 script only tests for 1.)
 *      Otherwise directed ballooning, only with xenstore, and only when
 *      memory/target exists; without either, nothing is written.
 *   3. Target: self: selftarget = max(Committed_AS, floor), where the floor
 *      (minmb(), MiB) is XENBALLOON_MINMEM when non-zero, else the 2008
 *      balloon driver's minimum_target() rule applied to the high-water mark
 *      (mb = kb/1024, pages = kb/4):
 *          mb < 125:   8 + pages/512     mb < 500:   40 + pages/1024
 *          mb < 2000: 104 + pages/2048   else:      296 + pages/8192
 *      Directed: memory/target (KiB).  Quirk kept: a directed target of
 *      exactly 1 KiB is taken as "use selftarget" (balloon_to_target's $1 is
 *      both the flag and the value).
 *   4. Hysteresis, measured from `cur` (the 2008 script's MemTotal):
 *          cur > target: target = cur - (cur - target) / down  (down = 0: no
 *                        damping), down from memory/downhysteresis if set,
 *                        else XENBALLOON_AUTO_DOWNHYSTERESIS;
 *          cur < target: target = cur + (target - cur) / up, likewise.
 *      All in bytes, integer division as bash's 64-bit arithmetic does it.
 *   5. Output: the target in bytes (written to /proc/xen/balloon); with
 *      xenstore, memory/selftarget = target / 1024 (KiB, truncated).
 *   6. Interval: XENBALLOON_SELF_INTERVAL when self-ballooning, else
 *      XENBALLOON_INTERVAL; memory/interval overrides either.
 *
 * The one deliberate difference of xvb-balloond: `cur` is the balloon's own
 * idea of the domain's size (/sys/devices/system/xen_memory/xen_memory0/
 * info/current_kb), not MemTotal.  On a modern kernel MemTotal leaves out
 * what the kernel reserved at boot (its image, the struct page array: tens
 * of MiB), so a MemTotal base would make every down-step remove that reserve
 * on top of the 1/down of the gap, overshoot below the target and then step
 * back up; with current_kb the steps are those of a 2.6.18 guest, whose
 * /proc/xen/balloon counted the same pages it was given.  The floor's high-
 * water mark stays MemTotal, as in 2008.  The differential test passes the
 * same number as MemTotal to the original script and as `cur` here.
 *
 * The model engineer: call xvb_balloon_step() once per balloon period with
 * what the guest sees; it keeps no state but `st`. */
#ifndef XVB_BALLOON_LAW_H
#define XVB_BALLOON_LAW_H

#include <stdbool.h>
#include <stdint.h>

/* xenballoon.conf, with the 2008 defaults in xvb_balloon_conf_defaults(). */
struct xvb_balloon_conf {
	bool self;              /* XENBALLOON_SELF */
	int64_t self_interval;  /* XENBALLOON_SELF_INTERVAL, s */
	int64_t interval;       /* XENBALLOON_INTERVAL, s */
	int64_t down;           /* XENBALLOON_AUTO_DOWNHYSTERESIS */
	int64_t up;             /* XENBALLOON_AUTO_UPHYSTERESIS */
	int64_t minmem_mib;     /* XENBALLOON_MINMEM; 0: the rule */
	bool xenstore;          /* xenstore-* tools (here: the xenbus device) usable */
};

/* What xenstore holds under the guest's memory/ (has_*: the key exists). */
struct xvb_balloon_xs {
	bool has_selfballoon, has_target, has_down, has_up, has_interval;
	int64_t selfballoon, target_kib, down, up, interval;
};

/* What one period reads from the guest. */
struct xvb_balloon_input {
	int64_t memtotal_kib;   /* /proc/meminfo MemTotal */
	int64_t committed_kib;  /* /proc/meminfo Committed_AS */
	int64_t cur_kib;        /* the hysteresis base (2008: MemTotal) */
	struct xvb_balloon_xs xs;
};

/* What persists between periods: XENBALLOON_MAXMEMFILE's content. */
struct xvb_balloon_state {
	int64_t maxmem_kib;     /* 0: the file does not exist yet */
};

struct xvb_balloon_decision {
	bool self;              /* this period self-ballooned */
	bool write;             /* a target was written */
	int64_t target_bytes;   /* what was written to the balloon */
	bool publish;           /* memory/selftarget was written */
	int64_t selftarget_kib; /* its value */
	int64_t floor_mib;      /* minmb() of this period (self only) */
	int64_t interval;       /* seconds until the next period */
	bool died;              /* up-hysteresis 0: the 2008 loop dies here */
};

static inline void xvb_balloon_conf_defaults(struct xvb_balloon_conf *c)
{
	c->self = false;
	c->self_interval = 1;
	c->interval = 1;
	c->down = 10;
	c->up = 1;
	c->minmem_mib = 0;
	c->xenstore = true;
}

/* minmb(): the floor in MiB for a high-water mark of maxmem_kib. */
static inline int64_t xvb_balloon_floor_mib(int64_t minmem_mib, int64_t maxmem_kib)
{
	int64_t mb = maxmem_kib / 1024, pages = maxmem_kib / 4;

	if (minmem_mib != 0)
		return minmem_mib;
	if (mb < 125)
		return 8 + (pages >> 9);
	if (mb < 500)
		return 40 + (pages >> 10);
	if (mb < 2000)
		return 104 + (pages >> 11);
	return 296 + (pages >> 13);
}

/* One period of xenballoond's main loop. */
static inline void xvb_balloon_step(const struct xvb_balloon_conf *c,
				    const struct xvb_balloon_input *in,
				    struct xvb_balloon_state *st, struct xvb_balloon_decision *d)
{
	const struct xvb_balloon_xs *xs = &in->xs;
	int64_t tgt = 0, cur;
	bool act = false;

	d->self = false;
	d->write = false;
	d->publish = false;
	d->target_bytes = 0;
	d->selftarget_kib = 0;
	d->floor_mib = 0;
	d->died = false;
	if (in->memtotal_kib > st->maxmem_kib)
		st->maxmem_kib = in->memtotal_kib;
	d->interval = c->interval;
	if ((c->xenstore && xs->has_selfballoon && xs->selfballoon == 1) || c->self) {
		d->self = true;
		act = true;
		tgt = -1; /* selftarget */
		d->interval = c->self_interval;
	} else if (c->xenstore && xs->has_target) {
		act = true;
		tgt = xs->target_kib == 1 ? -1 : xs->target_kib * 1024;
	}
	if (act) {
		if (tgt < 0) {
			int64_t floor_bytes;

			d->floor_mib = xvb_balloon_floor_mib(c->minmem_mib, st->maxmem_kib);
			floor_bytes = d->floor_mib * 1024 * 1024;
			tgt = in->committed_kib * 1024;
			if (tgt < floor_bytes)
				tgt = floor_bytes;
		}
		cur = in->cur_kib * 1024;
		if (cur > tgt) {
			int64_t down = c->xenstore && xs->has_down ? xs->down : c->down;
			if (down != 0)
				tgt = cur - (cur - tgt) / down;
		} else if (cur < tgt) {
			int64_t up = c->xenstore && xs->has_up ? xs->up : c->up;
			/* a division by zero ends the 2008 daemon: bash
			 * aborts the loop, nothing more is ever written */
			if (up == 0) {
				d->died = true;
				return;
			}
			tgt = cur + (tgt - cur) / up;
		}
		d->write = true;
		d->target_bytes = tgt;
		if (c->xenstore) {
			d->publish = true;
			d->selftarget_kib = tgt / 1024;
		}
	}
	if (c->xenstore && xs->has_interval)
		d->interval = xs->interval;
}

#endif
