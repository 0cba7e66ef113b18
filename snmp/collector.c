/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collector.c: refreshes in a child process, results through a pipe. */
#include "collector.h"
#include "file.h"
#include "clock.h"
#include "pool.h"
#include "snapshot_wire.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAGIC 0x52417678u /* "xvAR" */
#define MAX_MSG 4096

/* Beyond its own deadline the child gets this long to write its answer. */
#define GRACE_MS 2000

static void put_u32(struct xv_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	xv_buf_add(b, c, 4);
}

static int get_u32(const char **p, const char *end, uint32_t *v)
{
	const unsigned char *u = (const unsigned char *)*p;

	if (end - *p < 4)
		return -1;
	*v = (uint32_t)u[0] | (uint32_t)u[1] << 8 | (uint32_t)u[2] << 16 | (uint32_t)u[3] << 24;
	*p += 4;
	return 0;
}

void xva_results_encode(const struct xv_poll_result *r, size_t n, struct xv_buf *out)
{
	put_u32(out, MAGIC);
	put_u32(out, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		size_t msg_len = strnlen(r[i].error.msg, sizeof(r[i].error.msg));
		put_u32(out, (uint32_t)r[i].error.code);
		put_u32(out, r[i].out_of_time);
		put_u32(out, r[i].elapsed_ms);
		put_u32(out, (uint32_t)msg_len);
		xv_buf_add(out, r[i].error.msg, msg_len);
		if (r[i].error.code == XV_E_NONE) {
			struct xv_buf snap = XV_BUF_INIT;
			xv_snapshot_encode(&r[i].snap, &snap);
			put_u32(out, (uint32_t)snap.len);
			xv_buf_add(out, snap.data, snap.len);
			xv_buf_release(&snap);
		}
	}
}

int xva_results_decode(const char *data, size_t len, struct xv_poll_result *r, size_t n)
{
	const char *p = data, *end = data + len;
	uint32_t magic, count, code, oot, elapsed, msg_len, snap_len;

	if (get_u32(&p, end, &magic) || magic != MAGIC || get_u32(&p, end, &count) || count != n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (get_u32(&p, end, &code) || code > XV_E_TIMEOUT || get_u32(&p, end, &oot) ||
		    get_u32(&p, end, &elapsed) || get_u32(&p, end, &msg_len) ||
		    msg_len >= sizeof(r[i].error.msg) || (size_t)(end - p) < msg_len)
			return -1;
		r[i].error.code = (enum xv_error_code)code;
		r[i].error.line = 0;
		memcpy(r[i].error.msg, p, msg_len);
		r[i].error.msg[msg_len] = '\0';
		p += msg_len;
		r[i].out_of_time = oot != 0;
		r[i].elapsed_ms = elapsed;
		if (code != XV_E_NONE)
			continue;
		if (get_u32(&p, end, &snap_len) || (size_t)(end - p) < snap_len ||
		    xv_snapshot_decode(p, snap_len, &r[i].snap))
			return -1;
		p += snap_len;
	}
	return p == end ? 0 : -1;
}

void xva_collector_init(struct xva_collector *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	xv_buf_init(&c->data);
}

bool xva_collector_running(const struct xva_collector *c)
{
	return c->pid > 0;
}

static void __attribute__((noreturn)) child_die(const char *message)
{
	(void)message;
	_exit(70);
}

/* The child: poll, send, leave without running the agent's exit handlers
 * (which would talk to the AgentX master). */
static void __attribute__((noreturn)) child(int fd, const struct xva_collect_what *what,
					    pid_t parent)
{
	struct xv_buf out = XV_BUF_INIT;
	struct xv_poll_result *r = NULL;
	size_t n = 0;
	int devnull;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
		dup2(devnull, STDERR_FILENO);
		if (devnull > STDERR_FILENO)
			close(devnull);
	}
	/* The AgentX socket and the log stay with the agent: keep only the
	 * pipe (moved to 3) and stdio. */
	if (fd != 3) {
		dup2(fd, 3);
		fd = 3;
	}
	fcntl(fd, F_SETFD, 0);
	close_range(4, ~0U, 0);
	xv_set_die_hook(child_die);

	if (what->uri) {
		struct xv_poll_target t = { what->uri, what->uri, what->timeout_ms };
		struct xv_poll_options opt = { .timeout_ms = what->timeout_ms };
		n = 1;
		r = xv_calloc(1, sizeof(*r));
		xv_poll(&t, 1, &opt, r);
	} else {
		const struct xv_inventory *inv = what->inv;
		const struct xv_inv_pool **pools = xv_calloc(inv->n_pools ? inv->n_pools : 1,
							     sizeof(*pools));
		struct xv_pools_poll_options opt = {
			.deadline_ms = xv_monotonic_ms() + what->timeout_ms,
		};
		for (size_t i = 0; i < inv->n_pools; i++)
			pools[i] = &inv->pools[i];
		r = xv_pools_poll(inv, pools, inv->n_pools, &opt, &n);
		free(pools);
	}
	xva_results_encode(r, n, &out);
	(void)xv_file_write_all(fd, out.data, out.len); /* a parent gone away reads nothing */
	_exit(0);
}

int xva_collector_start(struct xva_collector *c, const struct xva_collect_what *what,
			struct xv_error *e)
{
	int fds[2];
	pid_t parent = getpid();

	if (pipe2(fds, O_CLOEXEC) < 0)
		return xv_error(e, XV_E_LOCAL, "cannot create a pipe: %s", strerror(errno));
	c->pid = fork();
	if (c->pid < 0) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		c->pid = 0;
		return xv_error(e, XV_E_LOCAL, "cannot fork: %s", strerror(err));
	}
	if (c->pid == 0) {
		close(fds[0]);
		child(fds[1], what, parent);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	c->fd = fds[0];
	xv_buf_reset(&c->data);
	c->started_ms = xv_monotonic_ms();
	c->deadline_ms = c->started_ms + what->timeout_ms + GRACE_MS;
	if (what->uri) {
		c->expected = 1;
	} else {
		c->expected = 0;
		for (size_t i = 0; i < what->inv->n_pools; i++)
			c->expected += what->inv->pools[i].n_hosts;
	}
	return c->fd;
}

int xva_collector_read(struct xva_collector *c)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(c->fd, chunk, sizeof(chunk));
		if (n > 0) {
			xv_buf_add(&c->data, chunk, (size_t)n);
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : 1;
	}
}

static int reap(struct xva_collector *c, bool kill_it)
{
	int status = 0;

	if (kill_it)
		kill(c->pid, SIGKILL);
	while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR)
		;
	close(c->fd);
	c->fd = -1;
	c->pid = 0;
	return status;
}

struct xv_poll_result *xva_collector_finish(struct xva_collector *c, bool killed, size_t *n)
{
	struct xv_poll_result *r = xv_calloc(c->expected ? c->expected : 1, sizeof(*r));
	unsigned elapsed = (unsigned)(xv_monotonic_ms() - c->started_ms);
	int status = reap(c, killed);
	const char *why = NULL;

	for (size_t i = 0; i < c->expected; i++)
		xv_snapshot_init(&r[i].snap);
	if (killed)
		why = "the poll did not end by its deadline";
	else if (WIFSIGNALED(status))
		why = "the poller died";
	else if (xva_results_decode(c->data.data, c->data.len, r, c->expected))
		why = "the poller sent a garbled answer";
	if (why) {
		for (size_t i = 0; i < c->expected; i++) {
			xv_snapshot_release(&r[i].snap);
			r[i].out_of_time = killed;
			r[i].elapsed_ms = elapsed;
			xv_error(&r[i].error, killed ? XV_E_TIMEOUT : XV_E_SOFTWARE, "%s", why);
		}
	}
	xv_buf_release(&c->data);
	*n = c->expected;
	return r;
}

void xva_collector_kill(struct xva_collector *c)
{
	if (c->pid > 0)
		reap(c, true);
	xv_buf_release(&c->data);
}
