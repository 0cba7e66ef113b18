/* SPDX-License-Identifier: GPL-3.0-or-later */
/* poller.h: snapshot many hosts at once, each with its own deadline.
 *
 * Network sources (ssh://, xapi://, ovs://: source_async.h) are asked from
 * this process on event loops, thousands in flight at once, limited only
 * by descriptors (the soft limit is raised to the hard one when needed)
 * unless the caller sets a limit.  Those that need no process of their own
 * (xapi://, ovs://) are shared out among threads, one loop each, one per
 * processor: a host costs a few hundred microseconds of CPU (TCP, TLS,
 * HTTP, XML), which one core spends on ten thousand hosts in seconds.
 * Local sources (xen:, sim:) are asked in a child process each (the seed's
 * SearchVM forked per host for the same reason): a library call that hangs
 * costs one deadline and is then killed, one that crashes takes nobody with
 * it, and libraries that are not thread-safe need no care.  At most
 * XV_POLL_DEFAULT_PARALLEL processes run at once (forked children and ssh
 * clients), or `max_parallel` hosts of any kind when set;
 * results are read as they arrive, so memory is linear in hosts and
 * domains.
 *
 * The call returns by the earliest of: every host answered or timed out, or
 * the overall deadline, then clean-up: the XenAPI logouts of the sessions
 * opened, each within its host's deadline or XV_ASYNC_CLEANUP_MS past it
 * (cleanup_deadline_ms cuts it); nothing it started outlives it (children are killed
 * and reaped, and die with the caller if it dies first). */
#ifndef XV_POLLER_H
#define XV_POLLER_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "clock.h"
#include "error.h"
#include "snapshot.h"

#define XV_POLL_DEFAULT_PARALLEL 256
/* Network hosts a thread of its own is worth (see xv_poll_options.threads):
 * fewer cost one core about a tenth of a second, less than their round
 * trips take anyway. */
#define XV_POLL_SHARD_HOSTS 256
#define XV_POLL_MAX_THREADS 64
#define XV_POLL_DEFAULT_TIMEOUT_MS 10000

struct xv_poll_target {
	const char *name;    /* for messages */
	const char *uri;     /* a source URI */
	unsigned timeout_ms; /* this host's deadline from its start; 0: the default */
};

/* What became of one host.  The error's code says whose fault a failure is:
 * XV_E_HOST and XV_E_TIMEOUT are the host's (it is down), anything else is
 * the checker's (a local resource, a configuration that cannot work, a bug),
 * and a host the overall deadline cut short was not given its own time. */
struct xv_poll_result {
	struct xv_error error;   /* code XV_E_NONE: snap holds the answer */
	bool out_of_time;        /* ended by the overall deadline, not its own */
	struct xv_snapshot snap; /* when the error code is XV_E_NONE */
	unsigned elapsed_ms;
};

enum xv_host_outcome {
	XV_HOST_UP,      /* it answered */
	XV_HOST_DOWN,    /* it failed, or was silent for its whole deadline */
	XV_HOST_UNASKED, /* the checker could not ask it, or ran out of time first */
};

enum xv_host_outcome xv_poll_outcome(const struct xv_poll_result *r);

struct xv_poll_options {
	unsigned max_parallel; /* hosts asked at once, whatever their source; 0: at
				* most XV_POLL_DEFAULT_PARALLEL processes (forked
				* children, ssh clients) and network hosts as many as
				* descriptors allow */
	unsigned timeout_ms;   /* default per-host deadline; 0: XV_POLL_DEFAULT_TIMEOUT_MS */
	uint64_t deadline_ms;  /* xv_monotonic_ms() by which the whole poll ends; 0: none */
	uint64_t cleanup_deadline_ms; /* when clean-up (logouts) must stop; 0: at most
				       * XV_ASYNC_CLEANUP_MS after the last host's deadline */
	unsigned threads;      /* threads the network hosts are shared out among;
				* 0: one per processor this process may use, as
				* long as each has XV_POLL_SHARD_HOSTS hosts or more
				* (and as much of max_parallel) */
};

/* Fills results[0..n) (one per target, in order).  Never fails as a whole:
 * every problem is a host's result, with its code. */
void xv_poll(const struct xv_poll_target *targets, size_t n, const struct xv_poll_options *opt,
	     struct xv_poll_result *results);

void xv_poll_result_release(struct xv_poll_result *r);

#endif
