/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_mib.c: VM-MIB values and state changes from snapshots. */
#include "vm_mib.h"
#include "num.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

enum xva_oper xva_oper_state(const struct xv_domain *d)
{
	switch (xv_domain_state(d)) {
	case XV_STATE_CRASHED:
		return XVA_OPER_CRASHED;
	case XV_STATE_DYING:
		return XVA_OPER_SHUTTINGDOWN;
	case XV_STATE_SHUTDOWN:
		return XVA_OPER_SHUTDOWN;
	case XV_STATE_PAUSED:
		return XVA_OPER_PAUSED;
	case XV_STATE_RUNNING:
	case XV_STATE_BLOCKED:
	case XV_STATE_NONE:
		return XVA_OPER_RUNNING;
	default:
		return XVA_OPER_UNKNOWN;
	}
}

enum xva_admin xva_admin_state(const struct xv_domain *d)
{
	switch (xva_oper_state(d)) {
	case XVA_OPER_PAUSED:
		return XVA_ADMIN_PAUSED;
	case XVA_OPER_CRASHED:
	case XVA_OPER_SHUTDOWN:
	case XVA_OPER_SHUTTINGDOWN:
		return XVA_ADMIN_SHUTDOWN;
	default:
		return XVA_ADMIN_RUNNING;
	}
}

void xva_vm_memory(const struct xv_domain *d, struct xva_vm_mem *out)
{
	uint64_t cur = d->cur_kib == XV_KIB_UNKNOWN ? 0 : d->cur_kib;
	uint64_t max = d->max_kib == XV_KIB_UNKNOWN ? 0 : d->max_kib;
	uint64_t div = 1;

	out->unit = 1024;
	if (cur > INT32_MAX || max > INT32_MAX) {
		/* 1 PiB (XV_KIB_MAX) in MiB is 2^30: always fits */
		out->unit = 1048576;
		div = 1024;
	}
	out->cur = (int32_t)(cur / div);
	out->max = d->max_kib == XV_KIB_UNKNOWN ? -1 : (int32_t)(max / div);
}

uint32_t xva_uptime_ticks(uint64_t uptime_ms, uint64_t age_ms)
{
	if (uptime_ms == XV_UPTIME_UNKNOWN)
		return 0;
	return (uint32_t)((uptime_ms + age_ms) / 10);
}

enum xva_vm_note xva_note_for(enum xva_oper oper)
{
	switch (oper) {
	case XVA_OPER_RUNNING:
		return XVA_NOTE_RUNNING;
	case XVA_OPER_SHUTTINGDOWN:
		return XVA_NOTE_SHUTTINGDOWN;
	case XVA_OPER_SHUTDOWN:
		return XVA_NOTE_SHUTDOWN;
	case XVA_OPER_PAUSED:
		return XVA_NOTE_PAUSED;
	case XVA_OPER_SUSPENDING:
		return XVA_NOTE_SUSPENDING;
	case XVA_OPER_SUSPENDED:
		return XVA_NOTE_SUSPENDED;
	case XVA_OPER_RESUMING:
		return XVA_NOTE_RESUMING;
	case XVA_OPER_MIGRATING:
		return XVA_NOTE_MIGRATING;
	case XVA_OPER_CRASHED:
		return XVA_NOTE_CRASHED;
	default:
		return XVA_NOTE_NONE;
	}
}

const char *xva_note_name(int note)
{
	static const char *const names[] = {
		"none", "vmRunning", "vmShuttingdown", "vmShutdown", "vmPaused",
		"vmSuspending", "vmSuspended", "vmResuming", "vmMigrating", "vmCrashed",
		"vmDeleted", "vmBulkRunning", "vmBulkShuttingdown", "vmBulkShutdown",
		"vmBulkPaused", "vmBulkSuspending", "vmBulkSuspended", "vmBulkResuming",
		"vmBulkMigrating", "vmBulkCrashed", "vmBulkDeleted",
	};

	return note >= 0 && (size_t)note < XV_ARRAY_SIZE(names) ? names[note] : "?";
}

/* A domain with its index, for sorting by index. */
struct indexed {
	int32_t index;
	const struct xv_domain *d;
};

static int by_index(const void *a, const void *b)
{
	const struct indexed *x = a, *y = b;
	return (x->index > y->index) - (x->index < y->index);
}

static struct indexed *sorted(const struct xv_snapshot *s, const int32_t *index, size_t *n)
{
	struct indexed *v = xv_calloc(s->n_domains ? s->n_domains : 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < s->n_domains; i++)
		if (index[i] > 0)
			v[(*n)++] = (struct indexed){ index[i], &s->domains[i] };
	xv_sort(v, *n, sizeof(*v), by_index);
	return v;
}

static void add(struct xva_vm_event **out, size_t *n, size_t *alloc, struct xva_vm_event ev)
{
	*out = xv_grow(*out, sizeof(**out), *n + 1, alloc);
	(*out)[(*n)++] = ev;
}

size_t xva_vm_events(const struct xv_snapshot *old_snap, const int32_t *old_index,
		     const struct xv_snapshot *new_snap, const int32_t *new_index,
		     struct xva_vm_event **out)
{
	size_t no, nn, i = 0, j = 0, n = 0, alloc = 0;
	struct indexed *o = sorted(old_snap, old_index, &no);
	struct indexed *w = sorted(new_snap, new_index, &nn);

	*out = NULL;
	/* a merge of two lists sorted by index */
	while (i < no || j < nn) {
		if (j >= nn || (i < no && o[i].index < w[j].index)) {
			add(out, &n, &alloc, (struct xva_vm_event){ o[i].index, XVA_NOTE_DELETED,
				  xva_oper_state(o[i].d), o[i].d });
			i++;
			continue;
		}
		enum xva_oper now = xva_oper_state(w[j].d);
		enum xva_oper before = XVA_OPER_PREPARING;
		if (i < no && o[i].index == w[j].index)
			before = xva_oper_state(o[i++].d);
		if (now != before && xva_note_for(now) != XVA_NOTE_NONE)
			add(out, &n, &alloc, (struct xva_vm_event){ w[j].index, xva_note_for(now),
				  before, w[j].d });
		j++;
	}
	free(o);
	free(w);
	return n;
}

void xva_vm_list_add(struct xv_buf *list, int32_t index)
{
	size_t octet = (size_t)(index - 1) / 8;

	if (index < 1)
		return;
	while (list->len <= octet)
		xv_buf_addch(list, '\0');
	list->data[octet] = (char)((unsigned char)list->data[octet] | (0x80u >> ((index - 1) % 8)));
}

size_t xva_uuid_octets(const char *uuid, unsigned char out[16])
{
	char canonical[37];
	size_t n = 0;

	if (!xv_uuid_normalize(uuid, canonical))
		return 0;
	for (const char *p = canonical; *p; p++) {
		if (*p == '-')
			continue;
		out[n++] = (unsigned char)(xv_hex_digit(p[0]) << 4 | xv_hex_digit(p[1]));
		p++;
	}
	return n;
}
