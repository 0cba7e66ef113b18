/* SPDX-License-Identifier: GPL-3.0-or-later */
/* poller.c: parallel snapshots in child processes, with deadlines. */
#include "poller.h"
#include "buf.h"
#include "snapshot_wire.h"
#include "source.h"
#include "util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* What a child sends: one tag byte, then the encoded snapshot, or the error
 * code as one byte and the message. */
#define TAG_SNAPSHOT 'S'
#define TAG_ERROR 'E'

/* The child's exit status when it ran out of memory (its die hook). */
#define CHILD_OOM 70

struct slot {
	pid_t pid;
	int fd;
	size_t target;
	uint64_t started_ms, deadline_ms; /* deadline_ms >= started_ms */
	bool cut_short; /* the overall deadline comes before the host's own */
	struct xv_buf data;
};

enum xv_host_outcome xv_poll_outcome(const struct xv_poll_result *r)
{
	if (r->error.code == XV_E_NONE)
		return XV_HOST_UP;
	if (r->out_of_time || !xv_error_is_remote(r->error.code))
		return XV_HOST_UNASKED;
	return XV_HOST_DOWN;
}

void xv_poll_result_release(struct xv_poll_result *r)
{
	xv_snapshot_release(&r->snap);
}

static void write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= (size_t)n;
	}
}

static void __attribute__((noreturn)) child_die(const char *message)
{
	(void)message;
	_exit(CHILD_OOM);
}

/* The child: take the snapshot, send it, leave without running the
 * parent's exit handlers or flushing its stdio buffers. */
static void __attribute__((noreturn)) child(int fd, const char *uri, pid_t parent)
{
	struct xv_source *src;
	struct xv_snapshot snap;
	struct xv_buf out = XV_BUF_INIT;
	struct xv_error e;
	int devnull;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1); /* the parent died before prctl took effect */
	signal(SIGALRM, SIG_DFL);
	/* Nothing a source or its libraries print may reach the parent's
	 * output (a plugin's stdout is its status line), nor its die hook. */
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
	xv_set_die_hook(child_die);
	src = xv_source_new(uri);
	if (xv_source_snapshot(src, &snap, &e)) {
		xv_buf_addch(&out, TAG_ERROR);
		xv_buf_addch(&out, (char)e.code);
		xv_buf_adds(&out, e.msg);
	} else {
		xv_buf_addch(&out, TAG_SNAPSHOT);
		xv_snapshot_encode(&snap, &out);
	}
	write_all(fd, out.data, out.len);
	_exit(0);
}

/* Each child costs the parent one descriptor; keep some for the rest.  The
 * soft limit is raised towards the hard one when more are wanted. */
static unsigned fd_budget(unsigned wanted)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= (rlim_t)wanted + 64)
		return wanted;
	if (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > rl.rlim_cur) {
		rlim_t want = (rlim_t)wanted + 64;
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
		if (setrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= want)
			return wanted;
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	return rl.rlim_cur > 80 ? (unsigned)(rl.rlim_cur - 64) : 16;
}

static void fail(struct xv_poll_result *r, enum xv_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct xv_poll_result *r, enum xv_error_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_verror(&r->error, code, fmt, ap);
	va_end(ap);
}

/* Starts the child for one target.  0: started; -1: the target failed;
 * -2: out of processes or descriptors for now, try again when a child ends. */
static int start(struct slot *s, size_t target, const struct xv_poll_target *t,
		 unsigned timeout_ms, uint64_t overall, struct xv_poll_result *r)
{
	int fds[2];
	pid_t parent = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0) {
		if (errno == EMFILE || errno == ENFILE)
			return -2;
		fail(r, XV_E_LOCAL, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		if (e == EAGAIN || e == ENOMEM)
			return -2;
		fail(r, XV_E_LOCAL, "cannot fork: %s", strerror(e));
		return -1;
	}
	if (s->pid == 0) {
		close(fds[0]);
		child(fds[1], t->uri, parent);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	s->fd = fds[0];
	s->target = target;
	s->started_ms = xv_monotonic_ms();
	s->deadline_ms = s->started_ms + (t->timeout_ms ? t->timeout_ms : timeout_ms);
	s->cut_short = overall && s->deadline_ms > overall;
	if (s->cut_short)
		s->deadline_ms = overall > s->started_ms ? overall : s->started_ms;
	xv_buf_init(&s->data);
	return 0;
}

/* Reaps the child, whatever it is doing. */
static int reap(struct slot *s, bool kill_it)
{
	int status = 0;

	if (kill_it)
		kill(s->pid, SIGKILL);
	while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(s->fd);
	s->fd = -1;
	return status;
}

static void finish(struct slot *s, struct xv_poll_result *r)
{
	int status = reap(s, false);
	const char *d = s->data.data;
	size_t len = s->data.len;

	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - s->started_ms);
	if (len && d[0] == TAG_SNAPSHOT && xv_snapshot_decode(d + 1, len - 1, &r->snap) == 0) {
		xv_error_clear(&r->error);
	} else if (len > 2 && d[0] == TAG_ERROR && d[1] > XV_E_NONE && d[1] <= XV_E_TIMEOUT) {
		fail(r, (enum xv_error_code)d[1], "%s", d + 2);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OOM) {
		fail(r, XV_E_LOCAL, "the poller for this host ran out of memory");
	} else if (WIFSIGNALED(status)) {
		fail(r, XV_E_SOFTWARE, "the poller for this host died (signal %d)", WTERMSIG(status));
	} else {
		fail(r, XV_E_SOFTWARE, "the poller for this host sent a garbled answer");
	}
	xv_buf_release(&s->data);
}

static void expire(struct slot *s, struct xv_poll_result *r)
{
	/* the message names the deadline, not the (noisier) time measured */
	unsigned allowed = (unsigned)(s->deadline_ms - s->started_ms);

	reap(s, true);
	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - s->started_ms);
	r->out_of_time = s->cut_short;
	if (s->cut_short)
		fail(r, XV_E_TIMEOUT, "no answer within %u ms, when the check ran out of time",
		     allowed);
	else
		fail(r, XV_E_TIMEOUT, "no answer within %u ms", allowed);
	xv_buf_release(&s->data);
}

/* Reads what is there; returns 1 at end of file, 0 otherwise. */
static int drain(struct slot *s)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(s->fd, chunk, sizeof(chunk));
		if (n > 0) {
			xv_buf_add(&s->data, chunk, (size_t)n);
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : 1;
	}
}

void xv_poll(const struct xv_poll_target *targets, size_t n, const struct xv_poll_options *opt,
	     struct xv_poll_result *results)
{
	unsigned max = fd_budget(opt && opt->max_parallel ? opt->max_parallel : XV_POLL_DEFAULT_PARALLEL);
	unsigned timeout_ms = opt && opt->timeout_ms ? opt->timeout_ms : XV_POLL_DEFAULT_TIMEOUT_MS;
	uint64_t overall = opt ? opt->deadline_ms : 0;
	struct slot *slots = xv_calloc(max, sizeof(*slots));
	struct pollfd *pfd = xv_calloc(max, sizeof(*pfd));
	unsigned *pfd_slot = xv_calloc(max, sizeof(*pfd_slot));
	size_t next = 0, active = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		xv_snapshot_init(&results[i].snap);
		fail(&results[i], XV_E_SOFTWARE, "not polled");
	}
	for (unsigned i = 0; i < max; i++)
		slots[i].fd = -1;

	while (next < n || active) {
		uint64_t now = xv_monotonic_ms(), wake = UINT64_MAX;
		nfds_t nfds = 0;

		/* fill free slots, unless the whole poll is out of time */
		for (unsigned i = 0; i < max && next < n && !(overall && now >= overall); i++) {
			int rc;
			if (slots[i].fd >= 0)
				continue;
			rc = start(&slots[i], next, &targets[next], timeout_ms, overall, &results[next]);
			if (rc == -2 && active)
				break; /* wait for a child to end and free its process */
			if (rc == -2)
				fail(&results[next], XV_E_LOCAL, "cannot start a poller: %s",
				     strerror(errno));
			if (rc == 0)
				active++;
			next++;
		}
		if (overall && now >= overall) {
			for (; next < n; next++) {
				fail(&results[next], XV_E_TIMEOUT, "not asked: the check ran out of time");
				results[next].out_of_time = true;
			}
		}
		if (!active)
			break;

		for (unsigned i = 0; i < max; i++) {
			if (slots[i].fd < 0)
				continue;
			pfd[nfds].fd = slots[i].fd;
			pfd[nfds].events = POLLIN;
			pfd[nfds].revents = 0;
			pfd_slot[nfds] = i;
			nfds++;
			if (slots[i].deadline_ms < wake)
				wake = slots[i].deadline_ms;
		}
		int wait_ms = wake <= now ? 0 : (int)(wake - now > 60000 ? 60000 : wake - now);
		if (poll(pfd, nfds, wait_ms) < 0 && errno != EINTR)
			break; /* cannot happen with valid fds; the loop below reaps */

		now = xv_monotonic_ms();
		for (nfds_t k = 0; k < nfds; k++) {
			struct slot *s = &slots[pfd_slot[k]];
			if (pfd[k].revents && drain(s)) {
				finish(s, &results[s->target]);
				active--;
			} else if (now >= s->deadline_ms) {
				expire(s, &results[s->target]);
				active--;
			}
		}
	}
	/* only reached with children left if poll() failed: never leave any */
	for (unsigned i = 0; i < max; i++) {
		if (slots[i].fd >= 0) {
			expire(&slots[i], &results[slots[i].target]);
		}
	}
	free(slots);
	free(pfd);
	free(pfd_slot);
}
