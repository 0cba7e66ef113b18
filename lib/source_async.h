/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source_async.h: sources that keep many hosts in flight in one process.
 *
 * A source whose work is mostly waiting on the network (xapi://, ovs://,
 * ssh://, and snmp:// when it joins) provides these operations in its
 * struct xv_source_ops (`async`).  The poller (poller.h) then asks all of its
 * hosts from one process and one event loop (loop.h): thousands of requests
 * in flight cost a socket or a pipe each, not a process each.  Sources
 * without them (xen:, sim:) are asked the old way, a forked child per host,
 * which is right for library calls that block or are not thread-safe.
 * xv_source_snapshot() runs an asynchronous source on a private loop, so
 * single-host programs (the plugins) use the same code.
 *
 * The shape:
 *
 *   engine_new()   once per loop and source type: what the hosts share
 *                  (libcurl's multi handle; a net-snmp session list ...);
 *                  it registers descriptors and timers with the loop;
 *   start()        begins one host; returns at once;
 *   done()         (the caller's callback) runs exactly once per started
 *                  host, from inside xv_loop_run_once(), never from inside
 *                  start(): with the snapshot, or with the error;
 *   abandon()      the caller stops waiting for a host (its deadline came):
 *                  done() will not run for it; the source lets go of what it
 *                  can at once and may leave clean-up (a XenAPI logout) in
 *                  the loop;
 *   engine_busy()  clean-up still in flight: the caller keeps running the
 *                  loop while it is true, up to its clean-up deadline;
 *   engine_free()  stops whatever still runs and frees the engine.
 *
 * Rules for implementations: never block (no sleep, no blocking read, no
 * waitpid() on a process that may not have ended); keep every wait in the
 * loop.  The caller enforces `deadline_ms` (it calls abandon() then): use
 * it to bound what you start (connect timeouts, ssh's ConnectTimeout), and
 * give clean-up work its own short deadline (XV_ASYNC_CLEANUP_MS).
 * Classify every failure by code (error.h: the host's fault XV_E_HOST /
 * XV_E_TIMEOUT, a setting that can never work XV_E_CONFIG, this machine
 * XV_E_LOCAL, never reported as the host's).  If you hold a session on the
 * peer, end it on every path, abandon() included; a login still in flight
 * when abandoned is waited for (within the clean-up deadline) so that its
 * session can be ended too. */
#ifndef XV_SOURCE_ASYNC_H
#define XV_SOURCE_ASYNC_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "loop.h"
#include "snapshot.h"

struct xv_async_snap; /* one host in flight; each source defines its own */

/* `snap` (taken over by the callee, not yet checked with
 * xv_snapshot_check()) on success, NULL with `e` on failure. */
typedef void xv_async_done_fn(void *ctx, struct xv_snapshot *snap, const struct xv_error *e);

/* start() returns this when the machine is out of descriptors or processes
 * for now: the caller tries again when another host ends. */
#define XV_ASYNC_RETRY (-2)

struct xv_source_async_ops {
	int (*engine_new)(struct xv_loop *loop, void **engine, struct xv_error *e);
	/* `arg` is the URI after "scheme:" (checked by check() already).  0, or
	 * -1 with `e` set, or XV_ASYNC_RETRY; done() never runs after a
	 * failed start. */
	int (*start)(void *engine, const char *arg, uint64_t deadline_ms, xv_async_done_fn *done,
		     void *ctx, struct xv_async_snap **out, struct xv_error *e);
	void (*abandon)(struct xv_async_snap *as);
	bool (*engine_busy)(void *engine);
	void (*engine_free)(void *engine);
	/* Descriptors one host holds at most while in flight (the poller keeps
	 * the sum under the process's limit, which it raises to the hard one). */
	unsigned fds_per_host;
	/* Optional: the descriptors the host `arg` (what start() takes) needs,
	 * when the argument tells (a host reached at an address needs no
	 * resolver); otherwise fds_per_host. */
	unsigned (*fds_for)(const char *arg);
	/* The source runs a process per host (an ssh client): such hosts count
	 * against the poller's max_parallel like forked children. */
	bool process_per_host;
};

/* How long clean-up (logouts) may run after the answer is due, when the
 * caller gives no clean-up deadline of its own. */
#define XV_ASYNC_CLEANUP_MS 300

#endif
