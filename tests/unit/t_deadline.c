/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_deadline.c: the watchdog ends a run blocked in a read with one line and
 * exit 75, waits for a held window, and stays silent once stopped. */
#include "harness.h"
#include "clock.h"
#include "deadline.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct outcome {
	int status;
	unsigned elapsed_ms;
	char err[1024];
};

/* Runs `body` in a child whose stderr is collected. */
static void in_child(void (*body)(void), struct outcome *o)
{
	int p[2];
	uint64_t start = xv_monotonic_ms();
	pid_t pid;
	ssize_t n, got = 0;

	if (pipe(p))
		abort();
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 2);
		body();
		_exit(0);
	}
	close(p[1]);
	while ((n = read(p[0], o->err + got, sizeof(o->err) - 1 - (size_t)got)) > 0)
		got += n;
	o->err[got] = '\0';
	close(p[0]);
	waitpid(pid, &o->status, 0);
	o->elapsed_ms = (unsigned)(xv_monotonic_ms() - start);
}

/* Blocks in read() on a pipe nobody writes: only the deadline ends it. */
static void blocked_read(void)
{
	int p[2];
	char c;

	if (pipe(p) || xv_deadline_start("prog", "-t", 200, NULL))
		_exit(1);
	xv_deadline_stage("reading '%s'", "the pipe");
	if (read(p[0], &c, 1) >= 0)
		_exit(2);
	_exit(3);
}

DEF_TEST(blocked_read_ends_with_75)
{
	struct outcome o;

	in_child(blocked_read, &o);
	EXPECT_TRUE(WIFEXITED(o.status));
	EXPECT_EQ_INT(75, WEXITSTATUS(o.status));
	EXPECT_EQ_STR("prog: out of time (-t 200ms) while reading 'the pipe'\n", o.err);
	EXPECT_TRUE(o.elapsed_ms >= 200);
	return 0;
}

/* A window held across the deadline finishes first. */
static void held_window(void)
{
	struct timespec ts = { 0, 400 * 1000000L };

	if (xv_deadline_start("prog", "-t", 1000, NULL))
		_exit(1);
	xv_deadline_stage("renaming");
	xv_deadline_hold();
	nanosleep(&ts, NULL);
	nanosleep(&ts, NULL);
	nanosleep(&ts, NULL); /* 1.2 s: the deadline passed meanwhile */
	if (write(2, "released\n", 9) < 0)
		_exit(4);
	xv_deadline_release();
	pause();
	_exit(5);
}

DEF_TEST(held_window_finishes_first)
{
	struct outcome o;

	in_child(held_window, &o);
	EXPECT_TRUE(WIFEXITED(o.status));
	EXPECT_EQ_INT(75, WEXITSTATUS(o.status));
	EXPECT_EQ_STR("released\nprog: out of time (-t 1s) while renaming\n", o.err);
	EXPECT_TRUE(o.elapsed_ms >= 1200);
	return 0;
}

/* Stopped in time: nothing is said, the program's own status stands; the
 * thread holds no signal the program expects. */
static void stopped_in_time(void)
{
	struct timespec ts = { 0, 300 * 1000000L };

	if (xv_deadline_start("prog", "-t", 200, NULL))
		_exit(1);
	xv_deadline_stop();
	nanosleep(&ts, NULL);
	if (xv_deadline_at_ms() != 0)
		_exit(6);
	_exit(0);
}

static void signals_reach_main(void)
{
	sigset_t set;
	int sig = 0;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (xv_deadline_start("prog", "-t", 5000, NULL))
		_exit(1);
	kill(getpid(), SIGUSR1); /* process-directed: only main may take it */
	sigwait(&set, &sig);
	xv_deadline_stop();
	_exit(sig == SIGUSR1 ? 0 : 7);
}

DEF_TEST(stopped_in_time_is_silent)
{
	struct outcome o;

	in_child(stopped_in_time, &o);
	EXPECT_TRUE(WIFEXITED(o.status));
	EXPECT_EQ_INT(0, WEXITSTATUS(o.status));
	EXPECT_EQ_STR("", o.err);
	in_child(signals_reach_main, &o);
	EXPECT_TRUE(WIFEXITED(o.status));
	EXPECT_EQ_INT(0, WEXITSTATUS(o.status));
	return 0;
}

int main(void)
{
	RUN_TEST(blocked_read_ends_with_75);
	RUN_TEST(held_window_finishes_first);
	RUN_TEST(stopped_in_time_is_silent);
	END_TEST;
}
