/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_ssh.c: ssh://[user@]host[:port][?options], any Xen host through
 * OpenSSH, the seed's way (SearchVM logged in to every host).
 *
 * The remote side is xvmon's own small program, run as
 *
 *   ssh -o BatchMode=yes -o ConnectTimeout=S [-F config] [-p port] [-l user] \
 *       -- host [sudo -n] xvmon-snapshot --wire V [source]
 *
 * with the user's own keys and known_hosts (BatchMode: never a prompt; an
 * unknown or changed host key fails).  xvmon-snapshot first prints one line,
 * "xvmon-snapshot WIRE_VERSION XVMON_VERSION", then the host's snapshot (or
 * its failure) in the wire format the poller's children use
 * (snapshot_wire.h).  A version other than ours is refused with both named;
 * a missing program, a sudo that wants a password and ssh's own failures
 * each get their own message.
 *
 * Hosts are asked without a process of ours per host: the ssh client is the
 * only process, its stdout and stderr are non-blocking pipes in the event
 * loop, its end is seen through a pidfd.  It runs in its own process group
 * and dies with us (PR_SET_PDEATHSIG).
 *
 * Options (docs/sources.md): config=FILE (ssh -F), command=PATH (the remote
 * program, default xvmon-snapshot), sudo=yes (sudo -n before it; the
 * sudoers line is in docs/sources.md), source=xen: or sim:FILE (what the
 * remote program reads; default xen:).
 *
 * Actions (source.h; xvm-stop, xvm-console through ssh://): shutdown,
 * destroy, pause, unpause and settle run the same remote program with
 * `--act ACTION --domain NAME`, which acts through the host's own source
 * (xen:: libxl, as xl does) and answers with the snapshot after it or the
 * failure's code and message; one ssh client, waited for on a loop of its
 * own.  The console is `ssh -t ... xl console NAME`, for the caller to run.
 * A domain name is the one word that comes from data: it reaches the
 * remote shell single-quoted (shell_quote()). */
#include "source_impl.h"
#include "buf.h"
#include "clock.h"
#include "snapshot_wire.h"
#include "uri.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SSH_DEFAULT_COMMAND "xvmon-snapshot"
/* What ssh may say on stderr that we keep (its last lines name the problem). */
#define MAX_STDERR 4096
/* A snapshot of the largest host is a few hundred KiB. */
#define MAX_STDOUT (64u << 20)
#define MAX_HEADER 128

static const char *const ssh_keys[] = { "config", "command", "sudo", "source", NULL };

static int ssh_check(const char *arg, struct xv_error *e)
{
	struct xv_uri u;
	const char *src;
	int rc = xv_uri_parse("ssh", arg, ssh_keys, &u, e);

	if (rc == 0 && xv_uri_bool(&u, "ssh", "sudo", 0, e) < 0)
		rc = -1;
	src = rc == 0 ? xv_uri_option(&u, "source") : NULL;
	if (src && strcmp(src, "xen:") && (strncmp(src, "sim:", 4) || !src[4]))
		rc = xv_error(e, XV_E_CONFIG, "source ssh://%s: option source: the remote program "
			      "reads xen: or sim:FILE, not '%s'", u.host, src);
	xv_uri_release(&u);
	return rc;
}

/* --- one host ------------------------------------------------------------ */

struct ssh_engine {
	struct xv_loop *loop;
	char *ssh_path; /* found once on $PATH: the child cannot search safely */
	struct ssh_host *hosts;
};

struct ssh_host {
	struct ssh_engine *eng;
	struct ssh_host *prev, *next;
	char *authority; /* for messages: "user@host:port" */
	pid_t pid;
	int out_fd, err_fd, pid_fd;
	bool exited;
	int status;
	struct xv_buf out, err;
	struct xv_loop_timer reap_timer; /* without a pidfd: polls for the exit */
	xv_async_done_fn *done;
	void *ctx;
};

static void close_fd(struct ssh_host *h, int *fd)
{
	if (*fd < 0)
		return;
	xv_loop_unwatch(h->eng->loop, *fd);
	close(*fd);
	*fd = -1;
}

static void host_free(struct ssh_host *h)
{
	struct ssh_engine *eng = h->eng;

	if (h->pid > 0 && !h->exited) {
		kill(-h->pid, SIGKILL);
		kill(h->pid, SIGKILL);
		while (waitpid(h->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	close_fd(h, &h->out_fd);
	close_fd(h, &h->err_fd);
	close_fd(h, &h->pid_fd);
	xv_loop_timer_cancel(eng->loop, &h->reap_timer);
	if (h->prev)
		h->prev->next = h->next;
	else
		eng->hosts = h->next;
	if (h->next)
		h->next->prev = h->prev;
	xv_buf_release(&h->out);
	xv_buf_release(&h->err);
	free(h->authority);
	free(h);
}

/* The last non-empty line ssh or the remote side wrote on stderr. */
static const char *last_line(struct xv_buf *b, char *line, size_t size)
{
	size_t end = b->len, start;

	while (end && (b->data[end - 1] == '\n' || b->data[end - 1] == '\r'))
		end--;
	start = end;
	while (start && b->data[start - 1] != '\n')
		start--;
	if (end - start >= size)
		start = end - (size - 1);
	memcpy(line, b->data + start, end - start);
	line[end - start] = '\0';
	return line;
}

/* From what ssh and the remote program left, the answer. */
static void conclude(struct ssh_host *h)
{
	struct xv_snapshot snap;
	struct xv_error e;
	char line[512];
	const char *nl = memchr(h->out.data, '\n', h->out.len < MAX_HEADER ? h->out.len : MAX_HEADER);
	int code = WIFEXITED(h->status) ? WEXITSTATUS(h->status) : -1;
	unsigned wire = 0;
	char version[64] = "";
	int rc = -1;

	last_line(&h->err, line, sizeof(line));
	if (!nl || sscanf(h->out.data, "xvmon-snapshot %u %63s", &wire, version) != 2) {
		if (WIFSIGNALED(h->status))
			xv_error(&e, XV_E_HOST, "ssh %s: ssh died (signal %d)", h->authority,
				 WTERMSIG(h->status));
		else if (code == 255)
			/* ssh's own failure: refused, unreachable, authentication, host key */
			xv_error(&e, strstr(line, "timed out") ? XV_E_TIMEOUT : XV_E_HOST,
				 "ssh %s: %s", h->authority, *line ? line : "ssh failed");
		else if (code == 127 || code == 126)
			xv_error(&e, XV_E_CONFIG, "ssh %s: the remote program is missing or cannot "
				 "run there (%s): install xvmon on the host, or give command=PATH",
				 h->authority, *line ? line : "exit 127");
		else if (strstr(line, "sudo"))
			xv_error(&e, XV_E_CONFIG, "ssh %s: sudo refused (%s): give the account the "
				 "sudoers line of docs/sources.md", h->authority, line);
		else
			xv_error(&e, XV_E_CONFIG, "ssh %s: the remote program answered without its "
				 "version line (exit %d%s%s): it is not xvmon-snapshot, or one older "
				 "than the version handshake", h->authority, code, *line ? ": " : "",
				 line);
		goto out;
	}
	if (wire != XV_SNAPSHOT_WIRE_VERSION) {
		xv_error(&e, XV_E_CONFIG, "ssh %s: the remote xvmon-snapshot (xvmon %s) writes "
			 "snapshot format %u, this program (xvmon %s) reads format %u: install the "
			 "same xvmon version on both sides", h->authority, version, wire,
			 XV_VERSION, XV_SNAPSHOT_WIRE_VERSION);
		goto out;
	}
	nl++;
	rc = xv_snapshot_answer_decode(nl, h->out.len - (size_t)(nl - h->out.data), &snap, &e);
	if (rc < 0)
		xv_error(&e, XV_E_HOST, "ssh %s: the remote xvmon-snapshot sent a garbled snapshot "
			 "(%zu bytes, exit %d)", h->authority, h->out.len, code);
	else if (rc == 1)
		xv_error_prefix(&e, "on %s", h->authority);
out:
	h->done(h->ctx, rc == 0 ? &snap : NULL, &e);
	host_free(h);
}

static void check_end(struct ssh_host *h)
{
	if (h->out_fd < 0 && h->err_fd < 0 && h->exited)
		conclude(h);
}

static void try_reap(struct ssh_host *h)
{
	int status;
	pid_t r;

	while ((r = waitpid(h->pid, &status, WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == h->pid) {
		h->exited = true;
		h->status = status;
		close_fd(h, &h->pid_fd);
	}
}

static void on_reap_timer(void *ctx)
{
	struct ssh_host *h = ctx;

	try_reap(h);
	if (!h->exited)
		xv_loop_timer_arm(h->eng->loop, &h->reap_timer, xv_monotonic_ms() + 10);
	check_end(h);
}

static void on_pidfd(void *ctx, int fd, unsigned events)
{
	struct ssh_host *h = ctx;

	try_reap(h);
	check_end(h);
}

static void on_output(void *ctx, int fd, unsigned events)
{
	struct ssh_host *h = ctx;
	bool is_out = fd == h->out_fd;
	struct xv_buf *b = is_out ? &h->out : &h->err;
	char chunk[16384];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			if (is_out && b->len + (size_t)n > MAX_STDOUT) {
				struct xv_error e;
				xv_error(&e, XV_E_HOST, "ssh %s: the remote side sends more than %u MiB",
					 h->authority, MAX_STDOUT >> 20);
				h->done(h->ctx, NULL, &e);
				host_free(h);
				return;
			}
			xv_buf_add(b, chunk, (size_t)n);
			/* stderr: keep the tail, where the reason is */
			if (!is_out && b->len > MAX_STDERR) {
				memmove(b->data, b->data + b->len - MAX_STDERR / 2, MAX_STDERR / 2);
				xv_buf_truncate(b, MAX_STDERR / 2);
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		break; /* end of file, or an error: nothing more comes */
	}
	close_fd(h, is_out ? &h->out_fd : &h->err_fd);
	if (h->out_fd < 0 && h->err_fd < 0 && !h->exited && h->pid_fd < 0 &&
	    !xv_loop_timer_armed(&h->reap_timer))
		on_reap_timer(h);
	else
		check_end(h);
}

static int ssh_engine_new(struct xv_loop *loop, void **out, struct xv_error *e)
{
	struct ssh_engine *eng = xv_calloc(1, sizeof(*eng));
	const char *path = getenv("PATH");
	char *copy = xv_strdup(path && *path ? path : "/usr/bin:/bin");

	eng->loop = loop;
	for (char *dir = strtok(copy, ":"); dir; dir = strtok(NULL, ":")) {
		char *candidate = xv_asprintf("%s/ssh", dir);
		if (access(candidate, X_OK) == 0) {
			eng->ssh_path = candidate;
			break;
		}
		free(candidate);
	}
	free(copy);
	if (!eng->ssh_path) {
		free(eng);
		*out = NULL;
		return xv_error(e, XV_E_LOCAL, "ssh:// needs the OpenSSH client, and there is no "
				"ssh on $PATH (install openssh-client)");
	}
	*out = eng;
	return 0;
}

/* The ssh command line; every string is ours or checked by xv_uri_parse()
 * (no character a shell on the remote side would interpret). */
/* `name` for the remote shell: one word, single-quoted. */
static char *shell_quote(const char *name)
{
	struct xv_buf b = XV_BUF_INIT;

	xv_buf_addch(&b, '\'');
	for (const char *p = name; *p; p++) {
		if (*p == '\'')
			xv_buf_adds(&b, "'\\''");
		else
			xv_buf_addch(&b, *p);
	}
	xv_buf_addch(&b, '\'');
	return xv_buf_detach(&b);
}

/* ssh's options and the host: argv[0 .. return value). */
static size_t ssh_options(const char *ssh_path, const struct xv_uri *u, unsigned connect_s,
			  bool terminal, char **argv)
{
	size_t n = 0;
	const char *config = xv_uri_option(u, "config");

	argv[n++] = xv_strdup(ssh_path);
	if (config) {
		argv[n++] = xv_strdup("-F");
		argv[n++] = xv_strdup(config);
	}
	argv[n++] = xv_strdup("-o");
	argv[n++] = xv_strdup("BatchMode=yes");
	argv[n++] = xv_strdup("-o");
	argv[n++] = xv_asprintf("ConnectTimeout=%u", connect_s);
	argv[n++] = xv_strdup("-o");
	argv[n++] = xv_strdup("LogLevel=ERROR");
	/* a terminal for a console; else none, and no agent or X11 forwarding */
	argv[n++] = xv_strdup(terminal ? "-t" : "-T");
	argv[n++] = xv_strdup("-a");
	argv[n++] = xv_strdup("-x");
	if (u->port) {
		argv[n++] = xv_strdup("-p");
		argv[n++] = xv_asprintf("%u", u->port);
	}
	if (u->user) {
		argv[n++] = xv_strdup("-l");
		argv[n++] = xv_strdup(u->user);
	}
	argv[n++] = xv_strdup("--");
	argv[n++] = xv_strdup(u->host);
	if (xv_uri_bool(u, "ssh", "sudo", 0, NULL)) {
		argv[n++] = xv_strdup("sudo");
		argv[n++] = xv_strdup("-n");
	}
	return n;
}

static char **command_line(const struct ssh_engine *eng, const struct xv_uri *u,
			   uint64_t deadline_ms, const char *action, const char *domain)
{
	char **argv = xv_calloc(40, sizeof(*argv));
	size_t n;
	uint64_t left = xv_ms_left(deadline_ms);
	unsigned connect_s = (unsigned)(left == UINT64_MAX ? 10 : (left + 999) / 1000);
	const char *command = xv_uri_option(u, "command");
	const char *source = xv_uri_option(u, "source");

	if (!connect_s)
		connect_s = 1;
	n = ssh_options(eng->ssh_path, u, connect_s, false, argv);
	argv[n++] = xv_strdup(command ? command : SSH_DEFAULT_COMMAND);
	/* the remote program ends itself by our deadline, should ssh not tell it */
	argv[n++] = xv_strdup("-t");
	argv[n++] = xv_asprintf("%u", connect_s + 1);
	argv[n++] = xv_strdup("--wire");
	argv[n++] = xv_asprintf("%u", XV_SNAPSHOT_WIRE_VERSION);
	if (action) {
		argv[n++] = xv_strdup("--act");
		argv[n++] = xv_strdup(action);
		argv[n++] = xv_strdup("--domain");
		argv[n++] = shell_quote(domain);
	}
	if (source)
		argv[n++] = xv_strdup(source);
	return argv;
}

static void free_argv(char **argv)
{
	for (size_t i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static int spawn(struct ssh_host *h, char **argv, struct xv_error *e)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, devnull = -1;
	pid_t parent = getpid();
	int rc = XV_ASYNC_RETRY;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0 ||
	    (devnull = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno != EMFILE && errno != ENFILE)
			rc = xv_error(e, XV_E_LOCAL, "cannot create a pipe for ssh: %s",
				      strerror(errno));
		goto fail;
	}
	h->pid = fork();
	if (h->pid < 0) {
		if (errno != EAGAIN && errno != ENOMEM)
			rc = xv_error(e, XV_E_LOCAL, "cannot fork ssh: %s", strerror(errno));
		goto fail;
	}
	if (h->pid == 0) {
		/* async-signal-safe calls only: the parent may have threads */
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		/* caught signals return to their defaults at execv() */
		dup2(devnull, STDIN_FILENO);
		dup2(out[1], STDOUT_FILENO);
		dup2(err[1], STDERR_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(h->pid, h->pid); /* also from here: no race with kill(-pid) */
	close(out[1]);
	close(err[1]);
	close(devnull);
	h->out_fd = out[0];
	h->err_fd = err[0];
	fcntl(h->out_fd, F_SETFL, O_NONBLOCK);
	fcntl(h->err_fd, F_SETFL, O_NONBLOCK);
	h->pid_fd = (int)syscall(SYS_pidfd_open, h->pid, 0);
	if (h->pid_fd >= 0)
		fcntl(h->pid_fd, F_SETFD, FD_CLOEXEC);
	return 0;
fail:
	for (int i = 0; i < 2; i++) {
		if (out[i] >= 0)
			close(out[i]);
		if (err[i] >= 0)
			close(err[i]);
	}
	if (devnull >= 0)
		close(devnull);
	h->pid = -1;
	return rc;
}

static int start_host(void *engine, const char *arg, uint64_t deadline_ms, const char *action,
		      const char *domain, xv_async_done_fn *done, void *ctx,
		      struct xv_async_snap **out, struct xv_error *e)
{
	struct ssh_engine *eng = engine;
	struct ssh_host *h = xv_calloc(1, sizeof(*h));
	struct xv_uri u;
	char **argv;
	int rc;

	h->eng = eng;
	h->out_fd = h->err_fd = h->pid_fd = -1;
	h->done = done;
	h->ctx = ctx;
	xv_buf_init(&h->out);
	xv_buf_init(&h->err);
	xv_loop_timer_init(&h->reap_timer, on_reap_timer, h);
	if (xv_uri_parse("ssh", arg, ssh_keys, &u, e)) {
		xv_uri_release(&u);
		free(h);
		return -1;
	}
	{
		char *hostport = xv_uri_authority(u.host, u.port);
		h->authority = xv_asprintf("%s%s%s", u.user ? u.user : "", u.user ? "@" : "",
					   hostport);
		free(hostport);
	}
	argv = command_line(eng, &u, deadline_ms, action, domain);
	xv_uri_release(&u);
	rc = spawn(h, argv, e);
	free_argv(argv);
	h->next = eng->hosts;
	if (eng->hosts)
		eng->hosts->prev = h;
	eng->hosts = h;
	if (rc) {
		host_free(h);
		return rc;
	}
	if (xv_loop_watch(eng->loop, h->out_fd, XV_LOOP_IN, on_output, h, e) ||
	    xv_loop_watch(eng->loop, h->err_fd, XV_LOOP_IN, on_output, h, e) ||
	    (h->pid_fd >= 0 && xv_loop_watch(eng->loop, h->pid_fd, XV_LOOP_IN, on_pidfd, h, e))) {
		host_free(h);
		return -1;
	}
	*out = (struct xv_async_snap *)h;
	return 0;
}

static int ssh_start(void *engine, const char *arg, uint64_t deadline_ms, xv_async_done_fn *done,
		     void *ctx, struct xv_async_snap **out, struct xv_error *e)
{
	return start_host(engine, arg, deadline_ms, NULL, NULL, done, ctx, out, e);
}

static void ssh_abandon(struct xv_async_snap *as)
{
	host_free((struct ssh_host *)as);
}

static bool ssh_engine_busy(void *engine)
{
	return false;
}

static void ssh_engine_free(void *engine)
{
	struct ssh_engine *eng = engine;

	while (eng->hosts)
		host_free(eng->hosts);
	free(eng->ssh_path);
	free(eng);
}

static const struct xv_source_async_ops ssh_async = {
	.engine_new = ssh_engine_new,
	.start = ssh_start,
	.abandon = ssh_abandon,
	.engine_busy = ssh_engine_busy,
	.engine_free = ssh_engine_free,
	.fds_per_host = 3, /* stdout, stderr, pidfd */
	.process_per_host = true,
};

/* --- actions ----------------------------------------------------------------- */

struct act_wait {
	bool done;
	struct xv_snapshot snap; /* the host after the action */
	struct xv_error *e;
	int rc;
};

static void on_act_done(void *ctx, struct xv_snapshot *snap, const struct xv_error *e)
{
	struct act_wait *w = ctx;

	w->done = true;
	if (snap) {
		w->snap = *snap;
		xv_snapshot_init(snap);
		w->rc = 0;
	} else {
		*w->e = *e;
		w->rc = -1;
	}
}

/* Runs the remote program with --act ACTION --domain NAME and waits for its
 * answer (by the source's deadline); *gone, if given, says whether the
 * domain is absent from the snapshot taken after the action. */
static int ssh_act(struct xv_source *src, const char *action, const char *name, bool *gone,
		   struct xv_error *e)
{
	uint64_t start = xv_monotonic_ms();
	uint64_t deadline = src->deadline_ms ? src->deadline_ms
					     : start + XV_SOURCE_DEFAULT_TIMEOUT_MS;
	struct act_wait w = { .e = e, .rc = -1 };
	struct xv_async_snap *as = NULL;
	struct xv_loop *loop = NULL;
	void *engine = NULL;
	int rc;

	xv_snapshot_init(&w.snap);
	if (xv_loop_new(&loop, e))
		return -1;
	if (ssh_engine_new(loop, &engine, e))
		goto out;
	rc = start_host(engine, src->arg, deadline, action, name, on_act_done, &w, &as, e);
	if (rc == XV_ASYNC_RETRY)
		xv_error(e, XV_E_LOCAL, "cannot start ssh: out of processes or descriptors");
	if (rc)
		goto out;
	while (!w.done && xv_monotonic_ms() < deadline)
		xv_loop_run_once(loop, deadline);
	if (!w.done) {
		ssh_abandon(as);
		xv_error(e, XV_E_TIMEOUT, "%s: no answer within %u ms", src->uri,
			 (unsigned)(deadline > start ? deadline - start : 0));
	} else if (w.rc == 0 && gone) {
		*gone = xv_snapshot_find_name(&w.snap, name) == NULL;
	}
out:
	if (engine)
		ssh_engine_free(engine);
	xv_loop_free(loop);
	xv_snapshot_release(&w.snap);
	return w.done ? w.rc : -1;
}

static int ssh_shutdown(struct xv_source *src, const char *name, struct xv_error *e)
{
	return ssh_act(src, "shutdown", name, NULL, e);
}

static int ssh_settle(struct xv_source *src, const char *name, bool *gone, struct xv_error *e)
{
	return ssh_act(src, "settle", name, gone, e);
}

static int ssh_destroy(struct xv_source *src, const char *name, struct xv_error *e)
{
	return ssh_act(src, "destroy", name, NULL, e);
}

static int ssh_pause(struct xv_source *src, const char *name, bool pause, struct xv_error *e)
{
	return ssh_act(src, pause ? "pause" : "unpause", name, NULL, e);
}

/* The console: `ssh -t ... xl console NAME`, run by the caller on its
 * terminal (xl attaches to the domain's text console there). */
static int ssh_console(struct xv_source *src, const char *name, struct xv_console *out,
		       struct xv_error *e)
{
	struct xv_uri u;
	char *ssh_path = NULL;
	size_t n;
	void *engine = NULL;

	if (xv_uri_parse("ssh", src->arg, ssh_keys, &u, e)) {
		xv_uri_release(&u);
		return -1;
	}
	/* the engine finds ssh on $PATH as for a snapshot */
	if (ssh_engine_new(NULL, &engine, e)) {
		xv_uri_release(&u);
		return -1;
	}
	ssh_path = ((struct ssh_engine *)engine)->ssh_path;
	out->argv = xv_calloc(40, sizeof(*out->argv));
	n = ssh_options(ssh_path, &u, 10, true, out->argv);
	out->argv[n++] = xv_strdup("xl");
	out->argv[n++] = xv_strdup("console");
	out->argv[n++] = shell_quote(name);
	ssh_engine_free(engine);
	xv_uri_release(&u);
	return 0;
}

const struct xv_source_ops xv_source_ssh_ops = {
	.scheme = "ssh",
	.check = ssh_check,
	.async = &ssh_async,
	.shutdown = ssh_shutdown,
	.settle = ssh_settle,
	.destroy = ssh_destroy,
	.pause = ssh_pause,
	.console = ssh_console,
};
