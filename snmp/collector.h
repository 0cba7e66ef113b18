/* SPDX-License-Identifier: GPL-3.0-or-later */
/* collector.h: take snapshots for the agent without ever blocking it.
 *
 * An AgentX subagent must answer its master within a second or so, while a
 * source may take its whole deadline (a hung host, a slow pool).  So each
 * refresh runs in a child process: it polls through lib/poller.h (one
 * target, or every host of an inventory through lib/pool.h), writes the
 * results to a pipe and exits; the agent's event loop watches the pipe like
 * any other descriptor and installs the results when they are complete.
 * The child uses no net-snmp state (the library is not safe to share), and
 * dies with the agent.
 *
 * Pure C, no net-snmp: the glue registers the descriptor. */
#ifndef XVA_COLLECTOR_H
#define XVA_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "buf.h"
#include "error.h"
#include "inventory.h"
#include "poller.h"

/* What to poll: one source, or every pool of an inventory. */
struct xva_collect_what {
	const char *uri;                 /* host mode, or NULL */
	const struct xv_inventory *inv;  /* pool mode, or NULL */
	unsigned timeout_ms;             /* host mode: the source's deadline;
					  * pool mode: the whole poll's */
};

struct xva_collector {
	pid_t pid;              /* 0: nothing running */
	int fd;
	struct xv_buf data;
	uint64_t started_ms;
	uint64_t deadline_ms;   /* the child is killed after this */
	size_t expected;        /* results the child will send */
};

void xva_collector_init(struct xva_collector *c);

/* Starts a child.  Returns its pipe's descriptor (to watch for reading), or
 * -1 with `e` set (XV_E_LOCAL: fork or pipe failed). */
int xva_collector_start(struct xva_collector *c, const struct xva_collect_what *what,
			struct xv_error *e);

/* Reads what the child sent so far.  1 when it has finished (the pipe is at
 * its end), 0 when more is to come. */
int xva_collector_read(struct xva_collector *c);

/* Reaps the child and decodes its results into `results[0..expected)`
 * (allocated here; free with xv_poll_results_free()).  A child that died,
 * was killed at its deadline or sent a garbled answer gives every result
 * that error (XV_E_TIMEOUT when killed at the deadline, else XV_E_SOFTWARE). */
struct xv_poll_result *xva_collector_finish(struct xva_collector *c, bool killed, size_t *n);

/* Kills and reaps a child that is still running (deadline, shutdown). */
void xva_collector_kill(struct xva_collector *c);

bool xva_collector_running(const struct xva_collector *c);

/* The encoding between the child and the agent, exposed for tests. */
void xva_results_encode(const struct xv_poll_result *r, size_t n, struct xv_buf *out);
int xva_results_decode(const char *data, size_t len, struct xv_poll_result *r, size_t n);

#endif
