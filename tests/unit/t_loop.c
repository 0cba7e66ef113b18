/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_loop.c: the event loop: descriptors, timers in order, cancel and
 * re-arm, callbacks that unwatch others of the same batch. */
#include "harness.h"
#include "clock.h"
#include "loop.h"

#include <stdlib.h>
#include <unistd.h>

static char order[64];
static size_t n_order;

static void mark(void *ctx)
{
	order[n_order++] = *(const char *)ctx;
	order[n_order] = '\0';
}

DEF_TEST(timers_fire_in_order_and_once)
{
	struct xv_loop *loop;
	struct xv_loop_timer t[5];
	static const char names[] = "abcde";
	uint64_t now = xv_monotonic_ms();
	/* armed out of order; c is cancelled, d moved later than e */
	uint64_t when[] = { 30, 10, 20, 5, 40 };

	EXPECT_EQ_INT(0, xv_loop_new(&loop, NULL));
	n_order = 0;
	for (int i = 0; i < 5; i++) {
		xv_loop_timer_init(&t[i], mark, (void *)&names[i]);
		xv_loop_timer_arm(loop, &t[i], now + when[i]);
	}
	xv_loop_timer_cancel(loop, &t[2]);
	EXPECT_TRUE(!xv_loop_timer_armed(&t[2]));
	xv_loop_timer_arm(loop, &t[3], now + 50);
	while (xv_loop_timer_armed(&t[0]) || xv_loop_timer_armed(&t[1]) ||
	       xv_loop_timer_armed(&t[3]) || xv_loop_timer_armed(&t[4]))
		xv_loop_run_once(loop, UINT64_MAX);
	EXPECT_EQ_STR("baed", order);
	EXPECT_TRUE(xv_monotonic_ms() >= now + 50);
	xv_loop_free(loop);
	return 0;
}

/* Many timers in random order come out sorted (the heap), cancelled ones
 * not at all. */
static uint64_t fired_when[500];
static size_t n_fired;

static void record(void *ctx)
{
	fired_when[n_fired++] = ((struct xv_loop_timer *)ctx)->when_ms;
}

DEF_TEST(heap_order)
{
	struct xv_loop *loop;
	static struct xv_loop_timer t[500];
	uint64_t past = xv_monotonic_ms() - 2000;
	unsigned seed = 7;

	EXPECT_EQ_INT(0, xv_loop_new(&loop, NULL));
	for (int i = 0; i < 500; i++) {
		seed = seed * 1103515245 + 12345;
		xv_loop_timer_init(&t[i], record, &t[i]);
		xv_loop_timer_arm(loop, &t[i], past + (seed >> 16) % 1000);
	}
	for (int i = 0; i < 500; i += 3) /* a third, from anywhere in the heap */
		xv_loop_timer_cancel(loop, &t[i]);
	for (int i = 1; i < 500; i += 7) /* some moved, still in the past */
		xv_loop_timer_arm(loop, &t[i], past + 1000 + (unsigned)i);
	int armed = 0;
	for (int i = 0; i < 500; i++)
		armed += xv_loop_timer_armed(&t[i]);
	EXPECT_EQ_INT(500 - 167 + 24, armed); /* 24 of the moved had been cancelled */
	xv_loop_run_once(loop, 0);
	EXPECT_EQ_INT(armed, (int)n_fired);
	for (size_t i = 1; i < n_fired; i++)
		EXPECT_TRUE(fired_when[i] >= fired_when[i - 1]);
	for (int i = 0; i < 500; i++)
		EXPECT_TRUE(!xv_loop_timer_armed(&t[i]));
	xv_loop_free(loop);
	return 0;
}

struct pipe_ctx {
	struct xv_loop *loop;
	int fds[2][2];
	int reads;
};

/* The first readable descriptor's callback unwatches and closes the
 * other one, also ready in the same batch: it must not be called. */
static void on_read(void *ctx, int fd, unsigned events)
{
	struct pipe_ctx *p = ctx;
	char c;

	p->reads++;
	if (read(fd, &c, 1) != 1)
		abort();
	for (int i = 0; i < 2; i++)
		if (p->fds[i][0] != fd && p->fds[i][0] >= 0) {
			xv_loop_unwatch(p->loop, p->fds[i][0]);
			close(p->fds[i][0]);
			p->fds[i][0] = -1;
		}
}

DEF_TEST(unwatch_inside_a_batch)
{
	struct pipe_ctx p = { .reads = 0 };

	EXPECT_EQ_INT(0, xv_loop_new(&p.loop, NULL));
	for (int i = 0; i < 2; i++) {
		EXPECT_EQ_INT(0, pipe(p.fds[i]));
		EXPECT_EQ_INT(1, (int)write(p.fds[i][1], "x", 1));
		EXPECT_EQ_INT(0, xv_loop_watch(p.loop, p.fds[i][0], XV_LOOP_IN, on_read, &p, NULL));
	}
	EXPECT_EQ_INT(2, (int)xv_loop_watched(p.loop));
	xv_loop_run_once(p.loop, xv_monotonic_ms() + 1000);
	EXPECT_EQ_INT(1, p.reads);
	EXPECT_EQ_INT(1, (int)xv_loop_watched(p.loop));
	/* nothing more: the wait ends at the time asked */
	uint64_t t0 = xv_monotonic_ms();
	EXPECT_EQ_INT(0, (int)xv_loop_run_once(p.loop, t0 + 50));
	EXPECT_TRUE(xv_monotonic_ms() >= t0 + 50);
	for (int i = 0; i < 2; i++) {
		if (p.fds[i][0] >= 0) {
			xv_loop_unwatch(p.loop, p.fds[i][0]);
			close(p.fds[i][0]);
		}
		close(p.fds[i][1]);
	}
	xv_loop_free(p.loop);
	return 0;
}

DEF_TEST(bad_descriptor)
{
	struct xv_loop *loop;
	struct xv_error e;

	EXPECT_EQ_INT(0, xv_loop_new(&loop, NULL));
	EXPECT_EQ_INT(-1, xv_loop_watch(loop, 987, XV_LOOP_IN, on_read, NULL, &e));
	EXPECT_EQ_INT(XV_E_SOFTWARE, e.code);
	EXPECT_CONTAINS("cannot watch descriptor 987", e.msg);
	xv_loop_unwatch(loop, 987); /* harmless */
	xv_loop_forget(loop, 987);
	xv_loop_forget(loop, -1);
	EXPECT_EQ_INT(0, (int)xv_loop_watched(loop));
	xv_loop_free(loop);
	return 0;
}

/* A forgotten descriptor is no longer counted, once however often it is
 * forgotten (the caller closes it). */
DEF_TEST(forget_then_close)
{
	struct xv_loop *loop;
	struct xv_error e;
	int fds[2];

	EXPECT_EQ_INT(0, xv_loop_new(&loop, NULL));
	EXPECT_EQ_INT(0, pipe(fds));
	EXPECT_EQ_INT(0, xv_loop_watch(loop, fds[0], XV_LOOP_IN, on_read, NULL, &e));
	EXPECT_EQ_INT(1, (int)xv_loop_watched(loop));
	xv_loop_forget(loop, fds[0]);
	EXPECT_EQ_INT(0, (int)xv_loop_watched(loop));
	xv_loop_forget(loop, fds[0]); /* twice: counted once */
	EXPECT_EQ_INT(0, (int)xv_loop_watched(loop));
	close(fds[0]);
	close(fds[1]);
	xv_loop_free(loop);
	return 0;
}

int main(void)
{
	RUN_TEST(timers_fire_in_order_and_once);
	RUN_TEST(heap_order);
	RUN_TEST(unwatch_inside_a_batch);
	RUN_TEST(forget_then_close);
	RUN_TEST(bad_descriptor);
	END_TEST;
}
