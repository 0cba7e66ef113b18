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

/* What a child sends: one tag byte, then the encoded snapshot or a message. */
#define TAG_SNAPSHOT 'S'
#define TAG_ERROR 'E'

struct slot {
	pid_t pid;
	int fd;
	size_t target;
	uint64_t started_ms, deadline_ms;
	struct xv_buf data;
};

uint64_t xv_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

const char *xv_poll_status_name(enum xv_poll_status s)
{
	switch (s) {
	case XV_POLL_OK:
		return "ok";
	case XV_POLL_TIMEOUT:
		return "timed out";
	case XV_POLL_FAILED:
		return "failed";
	}
	return "failed";
}

void xv_poll_result_release(struct xv_poll_result *r)
{
	free(r->error);
	r->error = NULL;
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

/* The child: take the snapshot, send it, leave without running the
 * parent's exit handlers or flushing its stdio buffers. */
static void __attribute__((noreturn)) child(int fd, const char *uri, pid_t parent)
{
	struct xv_source *src;
	struct xv_snapshot snap;
	struct xv_buf out = XV_BUF_INIT;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1); /* the parent died before prctl took effect */
	signal(SIGALRM, SIG_DFL);
	src = xv_source_new(uri);
	if (xv_source_snapshot(src, &snap)) {
		xv_buf_addch(&out, TAG_ERROR);
		xv_buf_adds(&out, xv_source_strerror(src));
	} else {
		xv_buf_addch(&out, TAG_SNAPSHOT);
		xv_snapshot_encode(&snap, &out);
	}
	write_all(fd, out.data, out.len);
	_exit(0);
}

static unsigned fd_budget(unsigned wanted)
{
	struct rlimit rl;

	/* each child costs the parent one descriptor; keep some for the rest */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur < (rlim_t)wanted + 64)
		wanted = rl.rlim_cur > 80 ? (unsigned)(rl.rlim_cur - 64) : 16;
	return wanted;
}

static void fail(struct xv_poll_result *r, enum xv_poll_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct xv_poll_result *r, enum xv_poll_status status, const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	free(r->error);
	va_start(ap, fmt);
	r->error = xv_vasprintf(fmt, ap);
	va_end(ap);
}

static int start(struct slot *s, size_t target, const struct xv_poll_target *t,
		 unsigned timeout_ms, uint64_t overall, struct xv_poll_result *r)
{
	int fds[2];
	pid_t parent = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0) {
		fail(r, XV_POLL_FAILED, "cannot create a pipe: %s", strerror(errno));
		return -1;
	}
	s->pid = fork();
	if (s->pid < 0) {
		fail(r, XV_POLL_FAILED, "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
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
	if (overall && s->deadline_ms > overall)
		s->deadline_ms = overall;
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

	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - s->started_ms);
	if (s->data.len && s->data.data[0] == TAG_SNAPSHOT &&
	    xv_snapshot_decode(s->data.data + 1, s->data.len - 1, &r->snap) == 0) {
		r->status = XV_POLL_OK;
	} else if (s->data.len && s->data.data[0] == TAG_ERROR) {
		fail(r, XV_POLL_FAILED, "%s", s->data.data + 1);
	} else if (WIFSIGNALED(status)) {
		fail(r, XV_POLL_FAILED, "the poller for this host died (signal %d)", WTERMSIG(status));
	} else {
		fail(r, XV_POLL_FAILED, "the poller for this host sent a garbled answer");
	}
	xv_buf_release(&s->data);
}

static void expire(struct slot *s, struct xv_poll_result *r, uint64_t overall)
{
	/* the message names the deadline, not the (noisier) time measured */
	unsigned allowed = (unsigned)(s->deadline_ms - s->started_ms);

	reap(s, true);
	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - s->started_ms);
	if (overall && s->deadline_ms >= overall)
		fail(r, XV_POLL_TIMEOUT, "no answer within %u ms (the check ran out of time)",
		     allowed);
	else
		fail(r, XV_POLL_TIMEOUT, "no answer within %u ms", allowed);
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
		results[i].status = XV_POLL_FAILED;
	}
	for (unsigned i = 0; i < max; i++)
		slots[i].fd = -1;

	while (next < n || active) {
		uint64_t now = xv_monotonic_ms(), wake = UINT64_MAX;
		nfds_t nfds = 0;

		/* fill free slots, unless the whole poll is out of time */
		for (unsigned i = 0; i < max && next < n && !(overall && now >= overall); i++) {
			if (slots[i].fd >= 0)
				continue;
			if (start(&slots[i], next, &targets[next], timeout_ms, overall, &results[next]) == 0)
				active++;
			next++;
		}
		if (overall && now >= overall) {
			for (; next < n; next++)
				fail(&results[next], XV_POLL_TIMEOUT, "not polled: the check ran out of time");
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
				expire(s, &results[s->target], overall);
				active--;
			}
		}
	}
	/* only reached with children left if poll() failed: never leave any */
	for (unsigned i = 0; i < max; i++) {
		if (slots[i].fd >= 0) {
			expire(&slots[i], &results[slots[i].target], overall);
		}
	}
	free(slots);
	free(pfd);
	free(pfd_slot);
}
