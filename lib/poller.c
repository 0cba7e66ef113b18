/* SPDX-License-Identifier: GPL-3.0-or-later */
/* poller.c: many hosts at once on one event loop, with deadlines.
 *
 * Every host is asked through the asynchronous interface (source_async.h):
 * network sources run in this process, thousands in flight; the others
 * (xen:, sim:) through the fork engine below, which runs the synchronous
 * source in a child process and reads its answer from a pipe.  Hosts that
 * cost a process (forked children, ssh clients) wait in one queue, limited
 * by max_parallel; the others in a second queue, limited by descriptors
 * only, so a slow fork queue never holds up network hosts.  That second
 * queue is cut into shards, each run by a thread of its own (xv_poll()). */
#include "poller.h"
#include "file.h"
#include "buf.h"
#include "loop.h"
#include "snapshot_wire.h"
#include "source_impl.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* The child's exit status when it ran out of memory (its die hook). */
#define CHILD_OOM 70

/* Descriptors kept for everything else the process does. */
#define FD_RESERVE 64

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

static void fail(struct xv_poll_result *r, enum xv_error_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct xv_poll_result *r, enum xv_error_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_verror(&r->error, code, fmt, ap);
	va_end(ap);
}

/* --- the fork engine: a synchronous source in a child process ----------- */

struct fork_child {
	struct xv_loop *loop;
	pid_t pid;
	int fd;
	struct xv_buf data;
	xv_async_done_fn *done;
	void *ctx;
};

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
	if (xv_source_snapshot(src, &snap, &e))
		xv_snapshot_answer_encode(NULL, &e, &out);
	else
		xv_snapshot_answer_encode(&snap, NULL, &out);
	(void)xv_file_write_all(fd, out.data, out.len); /* a parent gone away reads nothing */
	_exit(0);
}

static int fork_engine_new(struct xv_loop *loop, void **engine, struct xv_error *e)
{
	*engine = loop;
	return 0;
}

/* Reaps the child, whatever it is doing. */
static int reap(struct fork_child *as, bool kill_it)
{
	int status = 0;

	if (kill_it)
		kill(as->pid, SIGKILL);
	while (waitpid(as->pid, &status, 0) < 0 && errno == EINTR)
		;
	xv_loop_unwatch(as->loop, as->fd);
	close(as->fd);
	return status;
}

static void fork_finish(struct fork_child *c)
{
	/* the child closes its end only by exiting: waitpid() returns at once */
	int status = reap(c, false);
	struct xv_snapshot snap;
	struct xv_error e;
	int rc = xv_snapshot_answer_decode(c->data.data, c->data.len, &snap, &e);

	if (rc < 0 && WIFEXITED(status) && WEXITSTATUS(status) == CHILD_OOM)
		xv_error(&e, XV_E_LOCAL, "the poller for this host ran out of memory");
	else if (rc < 0 && WIFSIGNALED(status))
		xv_error(&e, XV_E_SOFTWARE, "the poller for this host died (signal %d)",
			 WTERMSIG(status));
	else if (rc < 0)
		xv_error(&e, XV_E_SOFTWARE, "the poller for this host sent a garbled answer");
	xv_buf_release(&c->data);
	c->done(c->ctx, rc == 0 ? &snap : NULL, &e);
	free(c);
}

static void on_child_readable(void *ctx, int fd, unsigned events)
{
	struct fork_child *as = ctx;
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n > 0) {
			xv_buf_add(&as->data, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		fork_finish(as); /* end of file, or an error: the child is done */
		return;
	}
}

static int fork_start(void *engine, const char *uri, uint64_t deadline_ms, xv_async_done_fn *done,
		      void *ctx, struct xv_async_snap **out, struct xv_error *e)
{
	struct xv_loop *loop = engine;
	struct fork_child *as;
	pid_t parent = getpid();
	int fds[2];

	if (pipe2(fds, O_CLOEXEC) < 0) {
		if (errno == EMFILE || errno == ENFILE)
			return XV_ASYNC_RETRY;
		return xv_error(e, XV_E_LOCAL, "cannot create a pipe: %s", strerror(errno));
	}
	as = xv_calloc(1, sizeof(*as));
	as->pid = fork();
	if (as->pid < 0) {
		int err = errno;
		close(fds[0]);
		close(fds[1]);
		free(as);
		if (err == EAGAIN || err == ENOMEM)
			return XV_ASYNC_RETRY;
		return xv_error(e, XV_E_LOCAL, "cannot fork: %s", strerror(err));
	}
	if (as->pid == 0) {
		close(fds[0]);
		child(fds[1], uri, parent);
	}
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	as->loop = loop;
	as->fd = fds[0];
	as->done = done;
	as->ctx = ctx;
	xv_buf_init(&as->data);
	if (xv_loop_watch(loop, as->fd, XV_LOOP_IN, on_child_readable, as, e)) {
		reap(as, true);
		free(as);
		return -1;
	}
	*out = (struct xv_async_snap *)as;
	return 0;
}

static void fork_abandon(struct xv_async_snap *snap)
{
	struct fork_child *as = (struct fork_child *)snap;

	reap(as, true);
	xv_buf_release(&as->data);
	free(as);
}

static bool fork_engine_busy(void *engine)
{
	return false;
}

static void fork_engine_free(void *engine)
{
}

/* The fork engine takes the whole URI (the child opens it as any source). */
static const struct xv_source_async_ops fork_ops = {
	.engine_new = fork_engine_new,
	.start = fork_start,
	.abandon = fork_abandon,
	.engine_busy = fork_engine_busy,
	.engine_free = fork_engine_free,
	.fds_per_host = 1,
	.process_per_host = true,
};

/* --- the poll ------------------------------------------------------------ */

/* Engines of one poll, created at their first host: the fork engine and
 * one per asynchronous source type. */
#define MAX_ENGINES 8

struct engine {
	const struct xv_source_async_ops *ops;
	void *engine;
	bool failed;
	struct xv_error error; /* why engine_new() failed */
};

struct host {
	struct poll *poll;
	size_t target;
	const struct xv_source_async_ops *ops;
	const char *arg; /* what ops->start() takes: inside the target's URI */
	struct engine *eng;
	struct xv_async_snap *as;
	struct xv_loop_timer timer;
	uint64_t started_ms, deadline_ms;
	bool cut_short; /* the overall deadline comes before the host's own */
	bool active;
	unsigned fds; /* descriptors it holds at most while in flight */
};

struct queue {
	size_t *items;
	size_t head, n;
};

struct poll {
	const struct xv_poll_target *targets;
	struct xv_poll_result *results;
	struct xv_loop *loop;
	struct host *hosts;
	struct engine engines[MAX_ENGINES];
	size_t n_engines;
	struct queue procs, light; /* targets not started yet */
	unsigned procs_active, max_procs;
	unsigned fds_active, max_fds;
	size_t max_active; /* the caller's max_parallel, or no limit */
	size_t active;
	unsigned timeout_ms;
	uint64_t overall;
	uint64_t cleanup_deadline; /* the caller's, or 0 */
	uint64_t latest_deadline; /* of the hosts started */
	bool out_of_time;
};

/* Each host costs descriptors; keep some for the rest.  The soft limit is
 * raised towards the hard one when more are wanted.  Returns how many the
 * poll may use. */
static unsigned fd_budget(uint64_t wanted)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)wanted + FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return 256;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want &&
	    (rl.rlim_max == RLIM_INFINITY || rl.rlim_max > rl.rlim_cur)) {
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want ? rl.rlim_max : want;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want)
		return wanted > UINT32_MAX ? UINT32_MAX : (unsigned)wanted;
	return rl.rlim_cur > FD_RESERVE + 16 ? (unsigned)(rl.rlim_cur - FD_RESERVE) : 16;
}

static struct engine *engine_for(struct poll *p, const struct xv_source_async_ops *ops)
{
	struct engine *eng;

	for (size_t i = 0; i < p->n_engines; i++)
		if (p->engines[i].ops == ops)
			return &p->engines[i];
	if (p->n_engines == MAX_ENGINES)
		xv_die("poller: too many source types"); /* a build with more sources */
	eng = &p->engines[p->n_engines++];
	eng->ops = ops;
	if (ops->engine_new(p->loop, &eng->engine, &eng->error)) {
		eng->failed = true;
		eng->engine = NULL;
	}
	return eng;
}

/* The engine and the argument it takes for a target: the source's own
 * asynchronous operations, or the fork engine with the whole URI. */
static const struct xv_source_async_ops *ops_for(const char *uri, const char **arg)
{
	const struct xv_source_ops *ops = xv_source_find_ops(uri, arg);

	if (ops && ops->async && xv_source_check_uri(uri, NULL) == 0)
		return ops->async;
	*arg = uri;
	return &fork_ops;
}

static void host_end(struct host *h)
{
	struct poll *p = h->poll;

	xv_loop_timer_cancel(p->loop, &h->timer);
	h->active = false;
	h->as = NULL;
	p->active--;
	p->fds_active -= h->fds;
	if (h->eng->ops->process_per_host)
		p->procs_active--;
}

static void on_host_done(void *ctx, struct xv_snapshot *snap, const struct xv_error *e)
{
	struct host *h = ctx;
	struct xv_poll_result *r = &h->poll->results[h->target];

	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - h->started_ms);
	if (snap && xv_snapshot_check(snap, &r->error) == 0) {
		r->snap = *snap;
		xv_error_clear(&r->error);
	} else if (snap) {
		xv_snapshot_release(snap);
	} else {
		r->error = *e;
	}
	host_end(h);
}

static void expire(struct host *h)
{
	struct xv_poll_result *r = &h->poll->results[h->target];
	/* the message names the deadline, not the (noisier) time measured */
	unsigned allowed = (unsigned)(h->deadline_ms - h->started_ms);

	h->eng->ops->abandon(h->as);
	r->elapsed_ms = (unsigned)(xv_monotonic_ms() - h->started_ms);
	r->out_of_time = h->cut_short;
	if (h->cut_short)
		fail(r, XV_E_TIMEOUT, "no answer within %u ms, when the check ran out of time",
		     allowed);
	else
		fail(r, XV_E_TIMEOUT, "no answer within %u ms", allowed);
	host_end(h);
}

static void on_host_deadline(void *ctx)
{
	expire(ctx);
}

/* Starts target i.  1: started (or failed for good, result set); 0: not
 * now, out of resources: try again when a host ends. */
static int start(struct poll *p, size_t i)
{
	const struct xv_poll_target *t = &p->targets[i];
	struct xv_poll_result *r = &p->results[i];
	struct host *h = &p->hosts[i];
	const struct xv_source_async_ops *ops = h->ops;
	struct xv_error e;
	int rc;

	h->poll = p;
	h->target = i;
	h->eng = engine_for(p, ops);
	if (h->eng->failed) {
		r->error = h->eng->error;
		return 1;
	}
	h->started_ms = xv_monotonic_ms();
	h->deadline_ms = h->started_ms + (t->timeout_ms ? t->timeout_ms : p->timeout_ms);
	h->cut_short = p->overall && h->deadline_ms > p->overall;
	if (h->cut_short)
		h->deadline_ms = p->overall > h->started_ms ? p->overall : h->started_ms;
	rc = ops->start(h->eng->engine, h->arg, h->deadline_ms, on_host_done, h, &h->as, &e);
	if (rc == XV_ASYNC_RETRY) {
		if (p->active)
			return 0;
		fail(r, XV_E_LOCAL, "cannot start a poller: out of processes or descriptors");
		return 1;
	}
	if (rc) {
		r->error = e;
		return 1;
	}
	h->active = true;
	if (h->deadline_ms > p->latest_deadline)
		p->latest_deadline = h->deadline_ms;
	p->active++;
	p->fds_active += h->fds;
	if (ops->process_per_host)
		p->procs_active++;
	xv_loop_timer_init(&h->timer, on_host_deadline, h);
	xv_loop_timer_arm(p->loop, &h->timer, h->deadline_ms);
	return 1;
}

static bool fits(const struct poll *p, const struct host *h)
{
	if (p->active >= p->max_active)
		return false;
	if (h->ops->process_per_host && p->procs_active >= p->max_procs)
		return false;
	return p->fds_active + h->fds <= p->max_fds || !p->active;
}

/* Starts what the limits allow from one queue, in order. */
static void fill(struct poll *p, struct queue *q)
{
	if (p->overall && xv_monotonic_ms() >= p->overall)
		p->out_of_time = true;
	while (q->head < q->n && !p->out_of_time) {
		size_t i = q->items[q->head];
		if (!fits(p, &p->hosts[i]))
			return;
		if (!start(p, i))
			return;
		q->head++;
	}
}

static void on_overall_deadline(void *ctx)
{
	struct poll *p = ctx;
	struct queue *queues[] = { &p->procs, &p->light };

	p->out_of_time = true;
	for (size_t k = 0; k < XV_ARRAY_SIZE(queues); k++) {
		struct queue *q = queues[k];
		for (; q->head < q->n; q->head++) {
			struct xv_poll_result *r = &p->results[q->items[q->head]];
			fail(r, XV_E_TIMEOUT, "not asked: the check ran out of time");
			r->out_of_time = true;
		}
	}
}

/* Runs one shard to its end: its hosts, then their clean-up. */
static void poll_run(struct poll *p)
{
	struct queue *queues[] = { &p->procs, &p->light };
	struct xv_loop_timer overall_timer;
	struct xv_error e;
	uint64_t cleanup_by;

	if (xv_loop_new(&p->loop, &e)) {
		for (size_t k = 0; k < XV_ARRAY_SIZE(queues); k++)
			for (size_t j = 0; j < queues[k]->n; j++)
				fail(&p->results[queues[k]->items[j]], e.code,
				     "cannot start a poller: %s", e.msg);
		return;
	}
	xv_loop_timer_init(&overall_timer, on_overall_deadline, p);
	if (p->overall)
		xv_loop_timer_arm(p->loop, &overall_timer, p->overall);
	for (;;) {
		fill(p, &p->light);
		fill(p, &p->procs);
		if (p->out_of_time) {
			/* only this shard's hosts: the others belong to other threads */
			for (size_t k = 0; k < XV_ARRAY_SIZE(queues); k++)
				for (size_t j = 0; j < queues[k]->head; j++) {
					struct host *h = &p->hosts[queues[k]->items[j]];
					if (h->active)
						expire(h);
				}
			on_overall_deadline(p); /* and whatever is still queued */
		}
		if (!p->active && p->light.head == p->light.n && p->procs.head == p->procs.n)
			break;
		xv_loop_run_once(p->loop, UINT64_MAX);
	}
	xv_loop_timer_cancel(p->loop, &overall_timer);

	/* clean-up (logouts) runs until done: each has its own deadline, the
	 * host's, or XV_ASYNC_CLEANUP_MS past it; the caller may cut it */
	cleanup_by = (p->latest_deadline > xv_monotonic_ms() ? p->latest_deadline
							     : xv_monotonic_ms()) +
		     XV_ASYNC_CLEANUP_MS;
	if (p->cleanup_deadline && p->cleanup_deadline < cleanup_by)
		cleanup_by = p->cleanup_deadline;
	for (;;) {
		bool busy = false;
		for (size_t i = 0; i < p->n_engines; i++)
			if (!p->engines[i].failed &&
			    p->engines[i].ops->engine_busy(p->engines[i].engine))
				busy = true;
		if (!busy || xv_monotonic_ms() >= cleanup_by)
			break;
		xv_loop_run_once(p->loop, cleanup_by);
	}
	for (size_t i = 0; i < p->n_engines; i++)
		if (!p->engines[i].failed)
			p->engines[i].ops->engine_free(p->engines[i].engine);
	xv_loop_free(p->loop);
}

static const int fault_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGABRT, SIGSYS };

static void *shard_thread(void *arg)
{
	xv_heap_thread_use_huge_pages(); /* libcurl's memory, mostly: 11 KB a host */
	poll_run(arg);
	return NULL;
}

/* How many threads share the network hosts out: one per processor this
 * process may run on, but none with fewer than XV_POLL_SHARD_HOSTS hosts
 * (a thread costs more than it saves on a few), and none below an
 * explicit limit's share. */
static size_t shard_count(size_t light, const struct xv_poll_options *opt)
{
	cpu_set_t cpus;
	size_t n = 1, most = light / XV_POLL_SHARD_HOSTS;

	if (opt->max_parallel && opt->max_parallel / XV_POLL_SHARD_HOSTS < most)
		most = opt->max_parallel / XV_POLL_SHARD_HOSTS;
	if (opt->threads) {
		n = opt->threads;
		if (n > light)
			n = light;
		if (opt->max_parallel && n > opt->max_parallel)
			n = opt->max_parallel;
	} else {
		if (!sched_getaffinity(0, sizeof(cpus), &cpus))
			n = (size_t)CPU_COUNT(&cpus);
		if (n > most)
			n = most;
	}
	if (n > XV_POLL_MAX_THREADS)
		n = XV_POLL_MAX_THREADS;
	return n ? n : 1;
}

void xv_poll(const struct xv_poll_target *targets, size_t n, const struct xv_poll_options *opt,
	     struct xv_poll_result *results)
{
	struct xv_poll_options none = { 0 };
	struct poll *shards;
	pthread_t threads[XV_POLL_MAX_THREADS];
	struct host *hosts;
	struct queue procs = { 0 }, light = { 0 };
	size_t n_shards, started = 1, first;
	uint64_t light_fds = 0, proc_fds, max_fds;
	unsigned max_procs, timeout_ms;
	sigset_t all, old;

	if (!opt)
		opt = &none;
	timeout_ms = opt->timeout_ms ? opt->timeout_ms : XV_POLL_DEFAULT_TIMEOUT_MS;
	/* an explicit limit holds for every host; the default only for
	 * processes, network hosts being limited by descriptors alone */
	max_procs = opt->max_parallel ? opt->max_parallel : XV_POLL_DEFAULT_PARALLEL;
	for (size_t i = 0; i < n; i++) {
		memset(&results[i], 0, sizeof(results[i]));
		xv_snapshot_init(&results[i].snap);
		fail(&results[i], XV_E_SOFTWARE, "not polled");
	}
	hosts = xv_calloc(n ? n : 1, sizeof(*hosts));
	procs.items = xv_calloc(n ? n : 1, sizeof(size_t));
	light.items = xv_calloc(n ? n : 1, sizeof(size_t));
	for (size_t i = 0; i < n; i++) {
		const struct xv_source_async_ops *ops = ops_for(targets[i].uri, &hosts[i].arg);
		struct queue *q = ops->process_per_host ? &procs : &light;
		q->items[q->n++] = i;
		hosts[i].ops = ops;
		hosts[i].fds = ops->fds_for ? ops->fds_for(hosts[i].arg) : ops->fds_per_host;
		if (!ops->process_per_host)
			light_fds += hosts[i].fds;
	}
	proc_fds = (uint64_t)(procs.n < max_procs ? procs.n : max_procs) * 3;
	max_fds = fd_budget(light_fds + proc_fds);
	/* a process costs at least one descriptor: never more than fit */
	if (max_procs > max_fds)
		max_procs = (unsigned)max_fds;

	/* Shard k (k >= 1) asks the k-th slice of the network hosts from its
	 * own thread; shard 0, the calling thread, the last slice and every
	 * host that costs a process (a child's death signal follows the thread
	 * that forked it, and libraries called in children are not thread-safe,
	 * so they stay where they always were).  Each shard has its own loop,
	 * engines and share of the limits; results and hosts are shared, each
	 * entry touched by its shard alone. */
	n_shards = shard_count(light.n, opt);
	shards = xv_calloc(n_shards, sizeof(*shards));
	first = 0;
	for (size_t k = 1; k <= n_shards; k++) {
		struct poll *p = &shards[k % n_shards];
		size_t len = light.n / n_shards + (k <= light.n % n_shards);
		size_t weight = len + (k == n_shards ? procs.n : 0);
		p->targets = targets;
		p->results = results;
		p->hosts = hosts;
		p->light.items = light.items + first;
		p->light.n = len;
		p->timeout_ms = timeout_ms;
		p->overall = opt->deadline_ms;
		p->cleanup_deadline = opt->cleanup_deadline_ms;
		p->max_procs = max_procs;
		p->max_active = opt->max_parallel ? opt->max_parallel / n_shards : SIZE_MAX;
		/* descriptors short: each shard its share, by hosts */
		p->max_fds = (unsigned)(light_fds + proc_fds <= max_fds
						 ? max_fds
						 : max_fds * weight / (light.n + procs.n));
		if (p->max_fds < 1)
			p->max_fds = 1;
		first += len;
	}
	shards[0].procs = procs;
	if (opt->max_parallel)
		shards[0].max_active += opt->max_parallel % n_shards;

	/* signals sent to the process are the calling thread's (a plugin's
	 * alarm, a daemon's TERM); those of a fault stay with the thread */
	sigfillset(&all);
	for (size_t k = 0; k < XV_ARRAY_SIZE(fault_signals); k++)
		sigdelset(&all, fault_signals[k]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (; started < n_shards; started++) {
		if (pthread_create(&threads[started], NULL, shard_thread, &shards[started]))
			break;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	/* a thread that could not start leaves its hosts, and those of the
	 * shards after it (the next slices, up to shard 0's), to shard 0 */
	if (started < n_shards)
		shards[0].light.items = shards[started].light.items;
	for (size_t k = started; k < n_shards; k++) {
		shards[0].light.n += shards[k].light.n;
		if (light_fds + proc_fds > max_fds) /* shares: otherwise it has all */
			shards[0].max_fds += shards[k].max_fds;
		if (opt->max_parallel)
			shards[0].max_active += shards[k].max_active;
	}
	poll_run(&shards[0]);
	for (size_t k = 1; k < started; k++)
		pthread_join(threads[k], NULL);
	free(shards);
	free(hosts);
	free(procs.items);
	free(light.items);
}
