/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tool.h: what the operator tools share: an inventory's hosts polled at once
 * (the xvm-search way), a VM found on them, sysexits, err(3) messages. */
#ifndef XV_CONTRIB_TOOL_H
#define XV_CONTRIB_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include "inventory.h"
#include "poller.h"
#include "source.h"
#include "xv_paths.h"

#define DEFAULT_INVENTORY XV_DEFAULT_INVENTORY

/* Hosts to ask, and their answers once polled. */
struct tool_hosts {
	struct xv_inventory inv;
	bool have_inv;
	const char **names;   /* display names: the inventory's, or the URI */
	const char **uris;
	size_t n;
	bool *wanted;         /* NULL: every host; else only these count (-H) */
	size_t n_wanted;
	const struct xv_inv_pool **pools; /* polled together, as xvm-search does */
	size_t n_pools;
	struct xv_poll_result *results;
	size_t silent;        /* did not answer (any reason) */
	size_t local;         /* of those, not asked through our own fault */
};

/* Loads the inventory (path NULL: $XVMON_INVENTORY, then the default) or
 * exits with its sysexits code.  `pool` and `host` narrow the hosts (NULL:
 * all); an unknown pool or host exits 64. */
void tool_hosts_from_inventory(struct tool_hosts *h, const char *path, const char *pool,
			       const char *host);

/* Hosts that count (all, or the one -H named). */
size_t tool_hosts_count(const struct tool_hosts *h);

/* Hosts named by source URIs on the command line (each checked: 78 if one
 * can never work). */
void tool_hosts_from_uris(struct tool_hosts *h, char **uris, size_t n);

/* Polls every host at once (xv_pools_poll() for an inventory); warns once
 * per host that counts and did not answer. */
void tool_hosts_poll(struct tool_hosts *h, unsigned timeout_ms, unsigned parallel);

/* Indices of the hosts whose answer has a domain `name` (at most max). */
size_t tool_hosts_find(const struct tool_hosts *h, const char *name, size_t *where, size_t max);

void tool_hosts_release(struct tool_hosts *h);

/* Finds the one host running `name`, or exits: 1 when every host answered
 * and none has it, 69 when some did not answer, 71 when some could not be
 * asked (our fault: never reported as the VM's absence), 64 when it runs on
 * several hosts (split brain: name the host with -H). */
size_t tool_find_one(const struct tool_hosts *h, const char *prog, const char *name);

/* Exits with the sysexits code of `e`, printing its message. */
void tool_die(const struct xv_error *e) __attribute__((noreturn));

/* Duration option ("5", "500ms", "2m") within [min_ms, max_ms], or exits 64. */
unsigned tool_parse_duration(const char *opt, const char *arg, unsigned min_ms, unsigned max_ms,
			     void (*usage)(const char *why));

#endif
