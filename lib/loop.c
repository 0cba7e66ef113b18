/* SPDX-License-Identifier: GPL-3.0-or-later */
/* loop.c: epoll plus a timer heap.
 *
 * Watches are kept in an array indexed by descriptor number.  A callback may
 * unwatch or close any descriptor, including others whose events are still
 * pending in the same epoll batch: an event is delivered only if its
 * descriptor is still watched when its turn comes.  A descriptor closed and
 * reopened under the same number in between may see one spurious wake-up;
 * every callback works on non-blocking descriptors and takes EAGAIN in its
 * stride. */
#include "loop.h"
#include "clock.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#define BATCH 256

struct watch {
	xv_loop_fd_fn *fn;
	void *ctx;
	unsigned events;
	bool active;
};

struct xv_loop {
	int epfd;
	struct watch *watches; /* by descriptor */
	size_t alloc_watches;
	size_t n_watched;
	struct xv_loop_timer **heap;
	size_t n_timers, alloc_timers;
};

int xv_loop_new(struct xv_loop **out, struct xv_error *e)
{
	struct xv_loop *loop;
	int fd = epoll_create1(EPOLL_CLOEXEC);

	*out = NULL;
	if (fd < 0)
		return xv_error(e, XV_E_LOCAL, "cannot create an event loop: %s", strerror(errno));
	loop = xv_calloc(1, sizeof(*loop));
	loop->epfd = fd;
	*out = loop;
	return 0;
}

static uint32_t epoll_events(unsigned events)
{
	return (events & XV_LOOP_IN ? EPOLLIN : 0) | (events & XV_LOOP_OUT ? EPOLLOUT : 0);
}

int xv_loop_watch(struct xv_loop *loop, int fd, unsigned events, xv_loop_fd_fn *fn, void *ctx,
		  struct xv_error *e)
{
	struct epoll_event ev = { .events = epoll_events(events), .data.fd = fd };
	struct watch *w;
	bool known;

	if (fd < 0)
		return xv_error(e, XV_E_SOFTWARE, "event loop: watching descriptor %d", fd);
	if ((size_t)fd >= loop->alloc_watches) {
		size_t old = loop->alloc_watches;
		loop->watches = xv_grow(loop->watches, sizeof(*loop->watches), (size_t)fd + 1,
					&loop->alloc_watches);
		memset(loop->watches + old, 0, (loop->alloc_watches - old) * sizeof(*loop->watches));
	}
	w = &loop->watches[fd];
	known = w->active;
	if (epoll_ctl(loop->epfd, known ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, fd, &ev) < 0) {
		/* a descriptor closed without unwatching, then reused */
		if (known && errno == ENOENT && epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) == 0)
			goto ok;
		return xv_error(e, errno == EBADF || errno == EPERM ? XV_E_SOFTWARE : XV_E_LOCAL,
				"event loop: cannot watch descriptor %d: %s", fd, strerror(errno));
	}
ok:
	if (!known)
		loop->n_watched++;
	w->fn = fn;
	w->ctx = ctx;
	w->events = events;
	w->active = true;
	return 0;
}

/* The watch of `fd` if it has one, else NULL. */
static struct watch *watch_of(struct xv_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->alloc_watches || !loop->watches[fd].active)
		return NULL;
	return &loop->watches[fd];
}

void xv_loop_forget(struct xv_loop *loop, int fd)
{
	struct watch *w = watch_of(loop, fd);

	if (!w)
		return;
	w->active = false;
	loop->n_watched--;
}

void xv_loop_unwatch(struct xv_loop *loop, int fd)
{
	if (!watch_of(loop, fd))
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	xv_loop_forget(loop, fd);
}

size_t xv_loop_watched(const struct xv_loop *loop)
{
	return loop->n_watched;
}

/* --- timers: a binary min-heap on when_ms -------------------------------- */

void xv_loop_timer_init(struct xv_loop_timer *t, xv_loop_timer_fn *fn, void *ctx)
{
	t->fn = fn;
	t->ctx = ctx;
	t->when_ms = 0;
	t->slot = 0;
}

static void heap_set(struct xv_loop *loop, size_t i, struct xv_loop_timer *t)
{
	loop->heap[i] = t;
	t->slot = i + 1;
}

static void sift_up(struct xv_loop *loop, size_t i)
{
	struct xv_loop_timer *t = loop->heap[i];

	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (loop->heap[parent]->when_ms <= t->when_ms)
			break;
		heap_set(loop, i, loop->heap[parent]);
		i = parent;
	}
	heap_set(loop, i, t);
}

static void sift_down(struct xv_loop *loop, size_t i)
{
	struct xv_loop_timer *t = loop->heap[i];
	size_t n = loop->n_timers;

	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && loop->heap[c + 1]->when_ms < loop->heap[c]->when_ms)
			c++;
		if (t->when_ms <= loop->heap[c]->when_ms)
			break;
		heap_set(loop, i, loop->heap[c]);
		i = c;
	}
	heap_set(loop, i, t);
}

void xv_loop_timer_cancel(struct xv_loop *loop, struct xv_loop_timer *t)
{
	size_t i;

	if (!t->slot)
		return;
	i = t->slot - 1;
	t->slot = 0;
	loop->n_timers--;
	if (i == loop->n_timers)
		return;
	struct xv_loop_timer *moved = loop->heap[loop->n_timers];
	heap_set(loop, i, moved);
	sift_up(loop, i);
	sift_down(loop, moved->slot - 1);
}

void xv_loop_timer_arm(struct xv_loop *loop, struct xv_loop_timer *t, uint64_t when_ms)
{
	xv_loop_timer_cancel(loop, t);
	t->when_ms = when_ms;
	loop->heap = xv_grow(loop->heap, sizeof(*loop->heap), loop->n_timers + 1,
			     &loop->alloc_timers);
	heap_set(loop, loop->n_timers++, t);
	sift_up(loop, t->slot - 1);
}

/* Runs every timer due at `now`, earliest first; timers armed by those
 * callbacks for `now` or earlier run too. */
static unsigned run_timers(struct xv_loop *loop, uint64_t now)
{
	unsigned ran = 0;

	while (loop->n_timers && loop->heap[0]->when_ms <= now) {
		struct xv_loop_timer *t = loop->heap[0];
		xv_loop_timer_cancel(loop, t);
		t->fn(t->ctx);
		ran++;
	}
	return ran;
}

unsigned xv_loop_run_once(struct xv_loop *loop, uint64_t until_ms)
{
	struct epoll_event ev[BATCH];
	uint64_t now = xv_monotonic_ms(), wake = until_ms;
	unsigned ran = 0;
	int n, wait_ms;

	if (loop->n_timers && loop->heap[0]->when_ms < wake)
		wake = loop->heap[0]->when_ms;
	if (wake <= now)
		wait_ms = 0;
	else if (wake == UINT64_MAX || wake - now > 60000)
		wait_ms = 60000;
	else
		wait_ms = (int)(wake - now);
	/* with nothing to wait for, sleep until the time asked (or a timer) */
	n = epoll_wait(loop->epfd, ev, BATCH, wait_ms);
	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;
		struct watch *w = &loop->watches[fd];
		unsigned events = 0;
		if (!w->active)
			continue; /* unwatched by an earlier callback of this batch */
		if (ev[i].events & EPOLLIN)
			events |= XV_LOOP_IN;
		if (ev[i].events & EPOLLOUT)
			events |= XV_LOOP_OUT;
		if (ev[i].events & (EPOLLERR | EPOLLHUP))
			events |= XV_LOOP_ERR;
		w->fn(w->ctx, fd, events);
		ran++;
	}
	return ran + run_timers(loop, xv_monotonic_ms());
}

void xv_loop_free(struct xv_loop *loop)
{
	if (!loop)
		return;
	for (size_t i = 0; i < loop->n_timers; i++)
		loop->heap[i]->slot = 0;
	close(loop->epfd);
	free(loop->watches);
	free(loop->heap);
	free(loop);
}
