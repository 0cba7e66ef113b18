/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot.c: the host + domains model every tool reads. */
#include "snapshot.h"
#include "num.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void xv_snapshot_init(struct xv_snapshot *snap)
{
	memset(snap, 0, sizeof(*snap));
	snap->host.total_kib = XV_KIB_UNKNOWN;
	snap->host.free_kib = XV_KIB_UNKNOWN;
	snap->host.dom0_kib = XV_KIB_UNKNOWN;
	snap->host.scrub_kib = XV_KIB_UNKNOWN;
	snap->host.outstanding_kib = XV_KIB_UNKNOWN;
}

static int too_big(uint64_t kib)
{
	return kib != XV_KIB_UNKNOWN && kib > XV_KIB_MAX;
}

int xv_snapshot_check(const struct xv_snapshot *snap, struct xv_error *e)
{
	const struct xv_host *h = &snap->host;

	if (!h->name || !*h->name)
		return xv_error(e, XV_E_HOST, "the host reported no name");
	if (snap->n_domains > XV_MAX_DOMAINS)
		return xv_error(e, XV_E_HOST, "the host reported %zu domains, more than Xen allows",
				snap->n_domains);
	if (too_big(h->total_kib) || too_big(h->free_kib) || too_big(h->dom0_kib) ||
	    too_big(h->scrub_kib) || too_big(h->outstanding_kib))
		return xv_error(e, XV_E_HOST, "the host reported a memory size above 1 PiB");
	if (h->total_kib != XV_KIB_UNKNOWN && h->free_kib != XV_KIB_UNKNOWN &&
	    h->free_kib > h->total_kib)
		return xv_error(e, XV_E_HOST, "the host reported more free memory than it has");
	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		if (!d->name || !*d->name)
			return xv_error(e, XV_E_HOST, "the host reported domain %u without a name",
					d->id);
		if (too_big(d->cur_kib) || too_big(d->target_kib) || too_big(d->max_kib) ||
		    too_big(d->swap_used_kib))
			return xv_error(e, XV_E_HOST, "the host reported a memory size above 1 PiB "
					"for domain %u", d->id);
	}
	return 0;
}

void xv_snapshot_release(struct xv_snapshot *snap)
{
	for (size_t i = 0; i < snap->n_domains; i++)
		free(snap->domains[i].name);
	free(snap->domains);
	free(snap->host.name);
	free(snap->host.xen_version);
	free(snap->host.pool_master);
	xv_snapshot_init(snap);
}

struct xv_domain *xv_snapshot_add_domain(struct xv_snapshot *snap)
{
	struct xv_domain *d;

	snap->domains = xv_grow(snap->domains, sizeof(*snap->domains), snap->n_domains + 1,
				&snap->alloc_domains);
	d = &snap->domains[snap->n_domains++];
	memset(d, 0, sizeof(*d));
	d->cur_kib = XV_KIB_UNKNOWN;
	d->target_kib = XV_KIB_UNKNOWN;
	d->max_kib = XV_KIB_UNKNOWN;
	d->swap_used_kib = XV_KIB_UNKNOWN;
	return d;
}

const struct xv_domain *xv_snapshot_find_name(const struct xv_snapshot *snap, const char *name)
{
	for (size_t i = 0; i < snap->n_domains; i++)
		if (snap->domains[i].name && !strcmp(snap->domains[i].name, name))
			return &snap->domains[i];
	return NULL;
}

const struct xv_domain *xv_snapshot_find_uuid(const struct xv_snapshot *snap, const char *uuid)
{
	for (size_t i = 0; i < snap->n_domains; i++)
		if (!strcasecmp(snap->domains[i].uuid, uuid))
			return &snap->domains[i];
	return NULL;
}

const struct xv_domain *xv_snapshot_find_id(const struct xv_snapshot *snap, uint32_t id)
{
	for (size_t i = 0; i < snap->n_domains; i++)
		if (snap->domains[i].id == id)
			return &snap->domains[i];
	return NULL;
}

enum xv_dom_state xv_domain_state(const struct xv_domain *d)
{
	/* Worst first: a crashed domain also has its vcpus blocked, a paused
	 * one may be blocked too; what matters is the worst thing true of it. */
	if (d->flags & XV_DOM_CRASHED)
		return XV_STATE_CRASHED;
	if (d->flags & XV_DOM_DYING)
		return XV_STATE_DYING;
	if (d->flags & XV_DOM_SHUTDOWN)
		return XV_STATE_SHUTDOWN;
	if (d->flags & XV_DOM_PAUSED)
		return XV_STATE_PAUSED;
	if (d->flags & XV_DOM_RUNNING)
		return XV_STATE_RUNNING;
	if (d->flags & XV_DOM_BLOCKED)
		return XV_STATE_BLOCKED;
	return XV_STATE_NONE;
}

static const char *const state_names[XV_STATE_COUNT] = {
	[XV_STATE_CRASHED] = "crashed", [XV_STATE_DYING] = "dying",
	[XV_STATE_SHUTDOWN] = "shutdown", [XV_STATE_PAUSED] = "paused",
	[XV_STATE_RUNNING] = "running", [XV_STATE_BLOCKED] = "blocked",
	[XV_STATE_NONE] = "none",
};

const char *xv_dom_state_name(enum xv_dom_state s)
{
	return (unsigned)s < XV_STATE_COUNT ? state_names[s] : "none";
}

bool xv_domain_is_up(const struct xv_domain *d)
{
	enum xv_dom_state s = xv_domain_state(d);

	/* "none" is a runnable domain waiting for a CPU: xl shows "------" for
	 * it and it is as alive as a running one. */
	return s == XV_STATE_RUNNING || s == XV_STATE_BLOCKED || s == XV_STATE_NONE;
}

void xv_domain_flags_string(unsigned flags, char buf[7])
{
	/* xl's column order: r b p s c d */
	static const struct {
		unsigned flag;
		char c;
	} cols[6] = {
		{ XV_DOM_RUNNING, 'r' }, { XV_DOM_BLOCKED, 'b' }, { XV_DOM_PAUSED, 'p' },
		{ XV_DOM_SHUTDOWN | XV_DOM_CRASHED, 's' }, { XV_DOM_CRASHED, 'c' }, { XV_DOM_DYING, 'd' },
	};

	for (int i = 0; i < 6; i++)
		buf[i] = (flags & cols[i].flag) ? cols[i].c : '-';
	buf[6] = '\0';
}

int xv_dom_flag_parse(const char *name, unsigned *flag)
{
	static const struct {
		const char *name;
		unsigned flag;
	} names[] = {
		{ "running", XV_DOM_RUNNING }, { "blocked", XV_DOM_BLOCKED },
		{ "paused", XV_DOM_PAUSED },   { "shutdown", XV_DOM_SHUTDOWN },
		{ "crashed", XV_DOM_CRASHED }, { "dying", XV_DOM_DYING },
	};

	for (size_t i = 0; i < XV_ARRAY_SIZE(names); i++) {
		if (!strcmp(name, names[i].name)) {
			*flag = names[i].flag;
			return 0;
		}
	}
	return -1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool xv_uuid_normalize(const char *s, char out[37])
{
	char tmp[37];

	for (int i = 0; i < 36; i++) {
		bool dash = i == 8 || i == 13 || i == 18 || i == 23;
		if (dash ? s[i] != '-' : hexval(s[i]) < 0)
			return false;
		tmp[i] = dash ? '-' : "0123456789abcdef"[hexval(s[i])];
	}
	if (s[36] != '\0')
		return false;
	tmp[36] = '\0';
	memcpy(out, tmp, 37);
	return true;
}

uint64_t xv_snapshot_overcommit_milli(const struct xv_snapshot *snap)
{
	uint64_t sum_kib = 0, total = snap->host.total_kib;

	if (!total || total == XV_KIB_UNKNOWN)
		return 0;
	/* each figure is at most XV_KIB_MAX (xv_snapshot_check): no overflow */
	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		if (d->id == 0)
			continue;
		if (d->max_kib != XV_KIB_UNKNOWN)
			sum_kib += d->max_kib;
		else if (d->cur_kib != XV_KIB_UNKNOWN)
			sum_kib += d->cur_kib;
	}
	/* round(1000 sum / total) without 1000 sum overflowing */
	return sum_kib / total * 1000 + ((sum_kib % total) * 1000 + total / 2) / total;
}
