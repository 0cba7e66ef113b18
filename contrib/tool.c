/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tool.c: the operator tools' shared steps (see tool.h). */
#include "tool.h"
#include "num.h"
#include "pool.h"
#include "util.h"

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

void tool_die(const struct xv_error *e)
{
	errx(xv_error_exit_code(e->code), "%s", e->msg);
}

void tool_hosts_from_inventory(struct tool_hosts *h, const char *path, const char *pool,
			       const char *host)
{
	struct xv_error e;

	memset(h, 0, sizeof(*h));
	if (!path)
		path = getenv("XVMON_INVENTORY");
	if (!path)
		path = DEFAULT_INVENTORY;
	h->have_inv = true;
	if (xv_inventory_load(path, &h->inv, &e)) {
		xv_inventory_release(&h->inv);
		tool_die(&e);
	}
	if (pool && !xv_inventory_pool(&h->inv, pool))
		errx(EX_USAGE, "no pool '%s' in %s", pool, path);
	h->pools = xv_calloc(h->inv.n_pools + 1, sizeof(*h->pools));
	for (size_t i = 0; i < h->inv.n_pools; i++)
		if (!pool || !strcmp(h->inv.pools[i].name, pool))
			h->pools[h->n_pools++] = &h->inv.pools[i];
	/* the order xv_pools_poll() answers in */
	h->names = xv_calloc(h->inv.n_hosts + 1, sizeof(*h->names));
	h->uris = xv_calloc(h->inv.n_hosts + 1, sizeof(*h->uris));
	h->wanted = xv_calloc(h->inv.n_hosts + 1, sizeof(*h->wanted));
	for (size_t j = 0; j < h->n_pools; j++) {
		for (size_t i = 0; i < h->pools[j]->n_hosts; i++) {
			const struct xv_inv_host *ih = &h->inv.hosts[h->pools[j]->hosts[i]];
			h->names[h->n] = ih->name;
			h->uris[h->n] = ih->uri;
			h->wanted[h->n] = !host || !strcmp(ih->name, host);
			h->n_wanted += h->wanted[h->n];
			h->n++;
		}
	}
	if (host && !h->n_wanted)
		errx(EX_USAGE, "no host '%s'%s%s in %s", host, pool ? " in pool " : "",
		     pool ? pool : "", path);
}

void tool_hosts_from_uris(struct tool_hosts *h, char **uris, size_t n)
{
	struct xv_error e;

	memset(h, 0, sizeof(*h));
	h->names = xv_calloc(n + 1, sizeof(*h->names));
	h->uris = xv_calloc(n + 1, sizeof(*h->uris));
	for (size_t i = 0; i < n; i++) {
		if (xv_source_check_uri(uris[i], &e))
			tool_die(&e);
		h->names[i] = h->uris[i] = uris[i];
	}
	h->n = n;
}

void tool_hosts_poll(struct tool_hosts *h, unsigned timeout_ms, unsigned parallel)
{
	if (h->have_inv) {
		struct xv_pools_poll_options opt = { .parallel = parallel, .timeout_ms = timeout_ms };
		size_t n = 0;
		h->results = xv_pools_poll(&h->inv, h->pools, h->n_pools, &opt, &n);
	} else {
		struct xv_poll_target *targets = xv_calloc(h->n + 1, sizeof(*targets));
		struct xv_poll_options opt = { .max_parallel = parallel, .timeout_ms = timeout_ms };
		for (size_t i = 0; i < h->n; i++) {
			targets[i].name = h->names[i];
			targets[i].uri = h->uris[i];
		}
		h->results = xv_calloc(h->n + 1, sizeof(*h->results));
		xv_poll(targets, h->n, &opt, h->results);
		free(targets);
		/* a host given by URI is called what it calls itself, once it answers */
		for (size_t i = 0; i < h->n; i++)
			if (h->results[i].error.code == XV_E_NONE && h->results[i].snap.host.name)
				h->names[i] = h->results[i].snap.host.name;
	}
	for (size_t i = 0; i < h->n; i++) {
		enum xv_host_outcome out;
		if (h->wanted && !h->wanted[i])
			continue;
		out = xv_poll_outcome(&h->results[i]);
		if (out == XV_HOST_UP)
			continue;
		h->silent++;
		if (out == XV_HOST_UNASKED && !h->results[i].out_of_time)
			h->local++;
		warnx("host %s: %s", h->names[i], h->results[i].error.msg);
	}
}

size_t tool_hosts_find(const struct tool_hosts *h, const char *name, size_t *where, size_t max)
{
	size_t found = 0;

	for (size_t i = 0; i < h->n; i++) {
		if ((h->wanted && !h->wanted[i]) || h->results[i].error.code != XV_E_NONE ||
		    !xv_snapshot_find_name(&h->results[i].snap, name))
			continue;
		if (found < max)
			where[found] = i;
		found++;
	}
	return found;
}

size_t tool_hosts_count(const struct tool_hosts *h)
{
	return h->wanted ? h->n_wanted : h->n;
}

size_t tool_find_one(const struct tool_hosts *h, const char *prog, const char *name)
{
	size_t where[8], n = tool_hosts_find(h, name, where, XV_ARRAY_SIZE(where));

	if (n == 1)
		return where[0];
	if (n > 1) {
		char list[512] = "";
		size_t len = 0;
		for (size_t i = 0; i < n && i < XV_ARRAY_SIZE(where); i++)
			len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
						i ? ", " : "", h->names[where[i]]);
		errx(EX_USAGE, "%s: found on %zu hosts (%s): split brain; name the host with -H",
		     name, n, list);
	}
	if (h->local)
		errx(EX_OSERR, "%s: not found, and %zu of %zu hosts could not be asked", name,
		     h->local, tool_hosts_count(h));
	if (h->silent)
		errx(EX_UNAVAILABLE, "%s: not found (%zu of %zu hosts did not answer)", name,
		     h->silent, tool_hosts_count(h));
	errx(1, "%s: not found on any of %zu hosts", name, tool_hosts_count(h));
}

unsigned tool_parse_duration(const char *opt, const char *arg, unsigned min_ms, unsigned max_ms,
			     void (*usage)(const char *why))
{
	uint64_t ms;
	char why[160];

	if (xv_parse_duration_ms(arg, &ms) || ms < min_ms || ms > max_ms) {
		snprintf(why, sizeof(why), "%s takes a duration like 30, 500ms or 2m (got '%s')", opt,
			 arg);
		usage(why);
	}
	return (unsigned)ms;
}

void tool_hosts_release(struct tool_hosts *h)
{
	if (h->results)
		xv_poll_results_free(h->results, h->n);
	free(h->names);
	free(h->uris);
	free(h->wanted);
	free(h->pools);
	if (h->have_inv)
		xv_inventory_release(&h->inv);
	memset(h, 0, sizeof(*h));
}
