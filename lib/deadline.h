/* SPDX-License-Identifier: GPL-3.0-or-later */
/* deadline.h: one bound on a whole run of a tool, enforced even while a read
 * blocks.
 *
 * A tool started by a timer (xvmon-sls, xvm-search) must end: an inventory
 * on a hung NFS server, a VM repository whose read never returns or a full
 * pipe on standard output would otherwise hold it forever, and runs would
 * pile up.  xv_deadline_start() starts a watchdog thread (all signals
 * blocked, so signals still reach the main thread) that sleeps until the
 * deadline, then writes one line naming what the run was doing and ends the
 * process with EX_TEMPFAIL (75).  Ending the process from a thread works
 * where a signal handler cannot: the kernel kills the other threads with
 * SIGKILL, which interrupts the killable waits of NFS and of FUSE file
 * systems that honour interrupts, while a handler would only run once the
 * read returned.  (A read that even SIGKILL cannot end, in a file system that
 * never answers, holds the process until it returns.)
 *
 * A window that must not be cut in half (renaming a pool's three feeds) is
 * held with xv_deadline_hold(): an expiry meanwhile waits for
 * xv_deadline_release(), at most XV_DEADLINE_GRACE_MS, then ends the run all
 * the same. */
#ifndef XV_DEADLINE_H
#define XV_DEADLINE_H

#include <stdint.h>
#include "error.h"

#define XV_DEADLINE_GRACE_MS 5000

/* Arms the deadline `budget_ms` from now.  `prog` starts the message,
 * `option` names the setting to change ("-t").  Returns 0, or -1 with e set
 * (XV_E_LOCAL: no thread could be started).  Once per process. */
int xv_deadline_start(const char *prog, const char *option, uint64_t budget_ms,
		      struct xv_error *e);

/* When the run ends, on the monotonic clock (xv_monotonic_ms()); 0 when no
 * deadline is armed. */
uint64_t xv_deadline_at_ms(void);

/* Says what the run is doing now, for the message ("reading the inventory
 * 'x.ini'"); cut at 512 bytes. */
void xv_deadline_stage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void xv_deadline_hold(void);
void xv_deadline_release(void);

/* Disarms and joins the watchdog (before a normal exit). */
void xv_deadline_stop(void);

#endif
