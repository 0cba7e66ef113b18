/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snmp_poll.h: many snmp:// hosts at once, in one process.
 *
 * The fork-per-host poller (poller.h) pays a process and a net-snmp start-up
 * per host; an SNMP request is one UDP datagram, so here every host is a
 * net-snmp session and all of them wait in one poll() loop: the wall time
 * of a pool is about its slowest host's round trips, whatever its size.
 * Results mean what poller.h says (error codes, out_of_time, per-host and
 * overall deadlines), so the pool layer picks either (pool.c).
 *
 * The batch interface lets an event loop that also drives other requests
 * (ssh, XenAPI) take these in: start, then repeatedly add the batch's
 * descriptors to a poll() set and dispatch what became ready, then finish.
 *
 * Built on net-snmp's client library, loaded with dlopen() at the first use
 * (like the Xen libraries): a program that never reads an snmp:// URI does
 * not load it.  Without it every result is XV_E_UNSUPPORTED. */
#ifndef XV_SNMP_POLL_H
#define XV_SNMP_POLL_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "poller.h"

/* Fills results[0..n) (one per target, in order); every target must be an
 * snmp:// URI.  Returns when every host answered, failed or ran out of its
 * time, or at opt->deadline_ms.  `opt` may be NULL. */
void xv_snmp_poll(const struct xv_poll_target *targets, size_t n, const struct xv_poll_options *opt,
		  struct xv_poll_result *results);

struct xv_snmp_batch;

/* Starts a batch; results are filled as hosts finish.  Never NULL.  The
 * targets and results must outlive the batch. */
struct xv_snmp_batch *xv_snmp_batch_start(const struct xv_poll_target *targets, size_t n,
					  const struct xv_poll_options *opt,
					  struct xv_poll_result *results);

/* The descriptors to wait for (POLLIN) in fds[0..*n_fds) (the array is the
 * batch's, valid until the next call), and the monotonic time by which
 * xv_snmp_batch_dispatch() must be called even if none is ready. */
void xv_snmp_batch_wait(struct xv_snmp_batch *b, struct pollfd **fds, size_t *n_fds,
			uint64_t *wake_ms);

/* Reads the answers poll() found in fds (as returned by the last wait, with
 * revents set), sends the next requests, handles retransmissions and
 * deadlines, starts waiting hosts.  Returns true when every host is done. */
bool xv_snmp_batch_dispatch(struct xv_snmp_batch *b, const struct pollfd *fds, size_t n_fds);

/* Ends what is still running (out of time) and frees the batch. */
void xv_snmp_batch_finish(struct xv_snmp_batch *b);

#endif
