/* SPDX-License-Identifier: GPL-3.0-or-later */
/* deadline.c: the watchdog thread behind xv_deadline_start(). */
#include "deadline.h"
#include "clock.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* stop asked, or a hold released */
	pthread_t thread;
	bool armed, stopping;
	unsigned holds;
	uint64_t at_ms, budget_ms;
	char prog[64], option[32];
	char stage[512];
} dl = { .lock = PTHREAD_MUTEX_INITIALIZER };

static struct timespec monotonic_at(uint64_t ms)
{
	/* xv_monotonic_ms() is CLOCK_MONOTONIC in milliseconds */
	return (struct timespec){ (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
}

/* Waits on the condition until `at_ms` or until `done()` holds; with the
 * lock held.  Returns done(). */
static bool wait_until(uint64_t at_ms, bool (*done)(void))
{
	struct timespec ts = monotonic_at(at_ms);

	while (!done()) {
		int rc = pthread_cond_timedwait(&dl.cond, &dl.lock, &ts);
		if (rc == ETIMEDOUT)
			return done();
	}
	return true;
}

static bool stop_asked(void)
{
	return dl.stopping;
}

static bool free_to_end(void)
{
	return dl.stopping || dl.holds == 0;
}

static void *watch(void *unused)
{
	char msg[1024];
	int n;

	(void)unused;
	pthread_mutex_lock(&dl.lock);
	if (!wait_until(dl.at_ms, stop_asked))
		wait_until(dl.at_ms + XV_DEADLINE_GRACE_MS, free_to_end);
	if (dl.stopping) {
		pthread_mutex_unlock(&dl.lock);
		return NULL;
	}
	if (dl.budget_ms % 1000)
		n = snprintf(msg, sizeof(msg), "%s: out of time (%s %llums) while %s\n", dl.prog,
			     dl.option, (unsigned long long)dl.budget_ms, dl.stage);
	else
		n = snprintf(msg, sizeof(msg), "%s: out of time (%s %llus) while %s\n", dl.prog,
			     dl.option, (unsigned long long)(dl.budget_ms / 1000), dl.stage);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = (int)strlen(msg);
	if (write(STDERR_FILENO, msg, (size_t)n) < 0) {
		/* nothing more can be said */
	}
	/* Ends every thread, the one blocked in a read included. */
	_exit(EX_TEMPFAIL);
}

int xv_deadline_start(const char *prog, const char *option, uint64_t budget_ms,
		      struct xv_error *e)
{
	pthread_condattr_t ca;
	sigset_t all, old;
	int rc;

	if (dl.armed)
		return xv_error(e, XV_E_SOFTWARE, "the deadline is already armed");
	snprintf(dl.prog, sizeof(dl.prog), "%s", prog);
	snprintf(dl.option, sizeof(dl.option), "%s", option);
	snprintf(dl.stage, sizeof(dl.stage), "starting");
	dl.budget_ms = budget_ms;
	dl.at_ms = xv_monotonic_ms() + budget_ms;
	dl.stopping = false;
	dl.holds = 0;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&dl.cond, &ca);
	pthread_condattr_destroy(&ca);
	/* The thread inherits a full mask: process-directed signals (SIGTERM,
	 * SIGCHLD) keep going to the main thread, which may hold them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&dl.thread, NULL, watch, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		pthread_cond_destroy(&dl.cond);
		return xv_error(e, XV_E_LOCAL, "cannot start the watchdog of %s: %s", option,
				strerror(rc));
	}
	dl.armed = true;
	return 0;
}

uint64_t xv_deadline_at_ms(void)
{
	return dl.armed ? dl.at_ms : 0;
}

void xv_deadline_stage(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&dl.lock);
	va_start(ap, fmt);
	vsnprintf(dl.stage, sizeof(dl.stage), fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&dl.lock);
}

void xv_deadline_hold(void)
{
	pthread_mutex_lock(&dl.lock);
	dl.holds++;
	pthread_mutex_unlock(&dl.lock);
}

void xv_deadline_release(void)
{
	pthread_mutex_lock(&dl.lock);
	if (dl.holds)
		dl.holds--;
	if (dl.armed)
		pthread_cond_broadcast(&dl.cond);
	pthread_mutex_unlock(&dl.lock);
}

void xv_deadline_stop(void)
{
	if (!dl.armed)
		return;
	pthread_mutex_lock(&dl.lock);
	dl.stopping = true;
	pthread_cond_broadcast(&dl.cond);
	pthread_mutex_unlock(&dl.lock);
	pthread_join(dl.thread, NULL);
	pthread_cond_destroy(&dl.cond);
	dl.armed = false;
}
