/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loop.h: a small event loop: file descriptors and timers, on epoll.
 *
 * One loop serves everything a poll has in flight in one process: the pipes
 * of forked children, ssh clients' pipes, libcurl's sockets, and whatever
 * other asynchronous source joins later (source_async.h).  Callbacks run from
 * xv_loop_run_once(), never from inside the calls that register them.
 *
 *   struct xv_loop *loop;
 *   if (xv_loop_new(&loop, &e)) ...
 *   xv_loop_watch(loop, fd, XV_LOOP_IN, on_readable, ctx, &e);
 *   xv_loop_timer_init(&t, on_deadline, ctx);
 *   xv_loop_timer_arm(loop, &t, xv_monotonic_ms() + 500);
 *   while (!done)
 *           xv_loop_run_once(loop, UINT64_MAX);
 *   xv_loop_free(loop);
 *
 * Any number of descriptors (epoll, not select: no FD_SETSIZE ceiling) and
 * timers (a binary heap); a timer is owned by its caller, embedded in its
 * own structure.  Not thread-safe: one loop, one thread. */
#ifndef XV_LOOP_H
#define XV_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"

/* Events a watch asks for and a callback receives (ERR comes unasked: an
 * error or hang-up on the descriptor). */
#define XV_LOOP_IN 1u
#define XV_LOOP_OUT 2u
#define XV_LOOP_ERR 4u

struct xv_loop;

typedef void xv_loop_fd_fn(void *ctx, int fd, unsigned events);
typedef void xv_loop_timer_fn(void *ctx);

struct xv_loop_timer {
	xv_loop_timer_fn *fn;
	void *ctx;
	uint64_t when_ms;
	size_t slot; /* place in the heap + 1; 0: not armed */
};

/* 0, or -1 with XV_E_LOCAL (no epoll instance: out of descriptors). */
int xv_loop_new(struct xv_loop **loop, struct xv_error *e);

/* Watches `fd` for `events` (XV_LOOP_IN and/or XV_LOOP_OUT; 0 keeps it
 * registered for errors only), or changes what is watched on a descriptor
 * already watched.  0, or -1 with XV_E_LOCAL. */
int xv_loop_watch(struct xv_loop *loop, int fd, unsigned events, xv_loop_fd_fn *fn, void *ctx,
		  struct xv_error *e);

/* Stops watching `fd` (call it before closing the descriptor).  Harmless
 * if it is not watched. */
void xv_loop_unwatch(struct xv_loop *loop, int fd);

/* Forgets `fd`, which the caller closes right after and shares with no
 * other process (none forked since it was opened): closing it takes it out
 * of the epoll set, one system call less than xv_loop_unwatch(). */
void xv_loop_forget(struct xv_loop *loop, int fd);

void xv_loop_timer_init(struct xv_loop_timer *t, xv_loop_timer_fn *fn, void *ctx);

/* Arms (or moves) the timer to fire at `when_ms` (xv_monotonic_ms()); it
 * fires once.  A time in the past fires on the next run. */
void xv_loop_timer_arm(struct xv_loop *loop, struct xv_loop_timer *t, uint64_t when_ms);
void xv_loop_timer_cancel(struct xv_loop *loop, struct xv_loop_timer *t);

static inline bool xv_loop_timer_armed(const struct xv_loop_timer *t)
{
	return t->slot != 0;
}

/* Waits until a watched descriptor is ready, a timer is due, or
 * `until_ms` (xv_monotonic_ms(); UINT64_MAX: no limit) passes, then runs
 * the callbacks that are due.  Returns the number of callbacks run. */
unsigned xv_loop_run_once(struct xv_loop *loop, uint64_t until_ms);

/* Descriptors watched now. */
size_t xv_loop_watched(const struct xv_loop *loop);

/* Accepts NULL.  Closes nothing it was given: owners close their fds. */
void xv_loop_free(struct xv_loop *loop);

#endif
