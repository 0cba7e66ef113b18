/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agent_model.c: the agent's data between refreshes, and what each one changed. */
#include "agent_model.h"
#include "buf.h"
#include "text.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xva_view *xva_view_ref(struct xva_view *v)
{
	if (v)
		v->refs++;
	return v;
}

void xva_view_unref(struct xva_view *v)
{
	if (!v || --v->refs)
		return;
	xv_snapshot_release(&v->snap);
	free(v->index);
	free(v->order);
	free(v);
}

/* An SnmpAdminString: UTF-8 without control characters, at most 255 bytes
 * (cut at a character boundary).  Returns a new string. */
static char *admin_string(const char *s)
{
	struct xv_buf clean = XV_BUF_INIT, out = XV_BUF_INIT;

	xv_text_clean(&clean, s ? s : "", XV_TEXT_DOCUMENT);
	for (size_t i = 0; i < clean.len; i++)
		if (clean.data[i] == '\t' || clean.data[i] == '\n' || clean.data[i] == '\r')
			clean.data[i] = ' ';
	xv_text_clip(&out, clean.data, XVA_ERROR_MAX);
	xv_buf_release(&clean);
	return xv_buf_detach(&out);
}

static void replace_admin_string(char **s)
{
	char *clean;

	if (!*s)
		return;
	clean = admin_string(*s);
	free(*s);
	*s = clean;
}

char *xva_public_uri(const char *uri)
{
	const char *sep = strstr(uri, "://");
	struct xv_buf b = XV_BUF_INIT;
	char *clean;

	if (!sep)
		return admin_string(uri);
	const char *auth = sep + 3;
	size_t auth_len = strcspn(auth, "/?#");
	const char *at = memchr(auth, '@', auth_len);
	xv_buf_add(&b, uri, (size_t)(auth - uri));
	if (at)
		auth_len -= (size_t)(at + 1 - auth), auth = at + 1;
	xv_buf_add(&b, auth, auth_len);
	clean = admin_string(b.data);
	xv_buf_release(&b);
	return clean;
}

void xva_host_model_init(struct xva_host_model *m, const char *uri, struct xva_vm_index *index)
{
	memset(m, 0, sizeof(*m));
	m->uri = xva_public_uri(uri);
	m->status = XVA_SOURCE_NONE;
	m->index = index;
}

void xva_host_model_release(struct xva_host_model *m)
{
	xva_view_unref(m->view);
	xva_vm_index_free(m->index);
	free(m->uri);
	memset(m, 0, sizeof(*m));
}

void xva_host_changes_release(struct xva_host_changes *c)
{
	free(c->events);
	xva_view_unref(c->old_view);
	memset(c, 0, sizeof(*c));
}

uint32_t xva_host_uptime_ticks(const struct xva_host_model *m, uint64_t now_ms)
{
	if (!m->view)
		return 0;
	return xva_uptime_ticks(m->view->snap.host.uptime_ms, now_ms - m->view->taken_ms);
}

struct keyed {
	char *key;
	size_t pos;
	bool repeat; /* the same key as an earlier domain */
};

static int by_key_then_pos(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static const struct xva_view *sort_view;

static int by_vm_index(const void *a, const void *b)
{
	int32_t x = sort_view->index[*(const size_t *)a], y = sort_view->index[*(const size_t *)b];
	return (x > y) - (x < y);
}

/* Gives every domain its vmIndex: by UUID; a UUID seen twice in one
 * snapshot (a domain being destroyed while its successor is built) makes
 * the later one "UUID/DOMID"; no UUID at all makes "domid:N". */
static bool assign_indexes(struct xva_view *v, struct xva_vm_index *map, time_t now)
{
	size_t n = v->snap.n_domains;
	struct keyed *k = xv_calloc(n ? n : 1, sizeof(*k));
	bool full = false;

	v->index = xv_calloc(n ? n : 1, sizeof(*v->index));
	v->order = xv_calloc(n ? n : 1, sizeof(*v->order));
	for (size_t i = 0; i < n; i++) {
		const struct xv_domain *d = &v->snap.domains[i];
		k[i].key = d->uuid[0] ? xv_strdup(d->uuid) : xv_asprintf("domid:%u", d->id);
		k[i].pos = i;
	}
	xv_sort(k, n, sizeof(*k), by_key_then_pos);
	for (size_t i = 1; i < n; i++)
		k[i].repeat = !strcmp(k[i].key, k[i - 1].key);
	for (size_t i = 1; i < n; i++) {
		if (!k[i].repeat)
			continue;
		char *renamed = xv_asprintf("%s/%u", k[i].key, v->snap.domains[k[i].pos].id);
		free(k[i].key);
		k[i].key = renamed;
	}
	/* new VMs get numbers in snapshot order (Xen's: by domain id) */
	char **by_pos = xv_calloc(n ? n : 1, sizeof(*by_pos));
	for (size_t i = 0; i < n; i++)
		by_pos[k[i].pos] = k[i].key;
	for (size_t i = 0; i < n; i++) {
		v->index[i] = xva_vm_index_get(map, by_pos[i], now);
		full |= !v->index[i];
		free(by_pos[i]);
	}
	free(by_pos);
	for (size_t i = 0; i < n; i++)
		if (v->index[i])
			v->order[v->n_order++] = i;
	sort_view = v;
	xv_sort(v->order, v->n_order, sizeof(*v->order), by_vm_index);
	sort_view = NULL;
	free(k);
	return full;
}

/* Whether the set of vmIndex values differs (a row created or deleted). */
static bool rows_changed(const struct xva_view *a, const struct xva_view *b)
{
	if (!a || a->n_order != b->n_order)
		return true;
	for (size_t k = 0; k < a->n_order; k++)
		if (a->index[a->order[k]] != b->index[b->order[k]])
			return true;
	return false;
}

void xva_host_model_install(struct xva_host_model *m, struct xv_poll_result *r,
			    uint64_t now_ms, time_t wall_now, struct xva_host_changes *changes)
{
	struct xva_view *v;

	memset(changes, 0, sizeof(*changes));
	if (r->error.code != XV_E_NONE) {
		char *msg = admin_string(r->error.msg);
		xv_strlcpy(m->error, msg, sizeof(m->error));
		free(msg);
		m->status = m->view ? XVA_SOURCE_STALE : XVA_SOURCE_NONE;
		if (!m->failure_announced)
			changes->source_failed = m->failure_announced = true;
		return;
	}

	v = xv_calloc(1, sizeof(*v));
	v->refs = 1;
	v->snap = r->snap;
	xv_snapshot_init(&r->snap);
	v->taken_ms = now_ms;
	replace_admin_string(&v->snap.host.name);
	replace_admin_string(&v->snap.host.xen_version);
	for (size_t i = 0; i < v->snap.n_domains; i++) {
		/* the snapshot keeps its domains' names: the clean one is added */
		struct xv_domain *d = &v->snap.domains[i];
		char *clean;

		if (!d->name)
			continue;
		clean = admin_string(d->name);
		xv_domain_name_set(&v->snap, d, clean, strlen(clean));
		free(clean);
	}
	changes->index_full = assign_indexes(v, m->index, wall_now);
	xva_vm_index_expire(m->index, wall_now);

	if (m->view)
		changes->n_events = xva_vm_events(&m->view->snap, m->view->index, &v->snap, v->index,
						  &changes->events);
	if (rows_changed(m->view, v))
		m->last_change_ticks = xva_uptime_ticks(v->snap.host.uptime_ms, 0);
	changes->source_recovered = m->failure_announced;
	m->failure_announced = false;
	m->status = XVA_SOURCE_OK;
	m->error[0] = '\0';
	changes->old_view = m->view; /* deleted VMs' events point into it */
	m->view = v;
	m->generation++;
}

/* --- pool mode ------------------------------------------------------------ */

void xva_pool_model_init(struct xva_pool_model *m, const struct xv_inventory *inv,
			 unsigned threshold_permille)
{
	memset(m, 0, sizeof(*m));
	m->inv = inv;
	m->hosts = xv_calloc(inv->n_hosts ? inv->n_hosts : 1, sizeof(*m->hosts));
	m->pools = xv_calloc(inv->n_pools ? inv->n_pools : 1, sizeof(*m->pools));
	m->pool_name = xv_calloc(inv->n_pools ? inv->n_pools : 1, sizeof(*m->pool_name));
	m->host_name = xv_calloc(inv->n_hosts ? inv->n_hosts : 1, sizeof(*m->host_name));
	for (size_t i = 0; i < inv->n_pools; i++)
		m->pool_name[i] = admin_string(inv->pools[i].name);
	for (size_t i = 0; i < inv->n_hosts; i++)
		m->host_name[i] = admin_string(inv->hosts[i].name);
	m->threshold = threshold_permille;
}

void xva_pool_model_release(struct xva_pool_model *m)
{
	for (size_t i = 0; m->inv && i < m->inv->n_pools; i++)
		free(m->pool_name[i]);
	for (size_t i = 0; m->inv && i < m->inv->n_hosts; i++)
		free(m->host_name[i]);
	free(m->pool_name);
	free(m->host_name);
	free(m->hosts);
	free(m->pools);
	memset(m, 0, sizeof(*m));
}

static void add_event(struct xva_pool_event **ev, size_t *n, size_t *alloc,
		      enum xva_pool_note note, size_t which)
{
	*ev = xv_grow(*ev, sizeof(**ev), *n + 1, alloc);
	(*ev)[(*n)++] = (struct xva_pool_event){ note, which };
}

static void install_host(struct xva_pool_host *h, const struct xv_poll_result *r, uint64_t now_ms,
			 size_t which, struct xva_pool_event **ev, size_t *n, size_t *alloc)
{
	h->polled = true;
	h->outcome = xv_poll_outcome(r);
	if (h->outcome == XV_HOST_UP) {
		h->error[0] = '\0';
		h->answered = true;
		h->free_kib = r->snap.host.free_kib;
		h->total_kib = r->snap.host.total_kib;
		h->domains = r->snap.n_domains;
		h->answered_ms = now_ms;
		if (h->down == XVA_ALARM_RAISED)
			add_event(ev, n, alloc, XVA_POOL_HOST_RECOVERED, which);
		h->down = XVA_ALARM_CLEAR;
		return;
	}
	char *msg = admin_string(r->error.msg);
	xv_strlcpy(h->error, msg, sizeof(h->error));
	free(msg);
	/* a host the agent could not ask says nothing about the host */
	if (h->outcome == XV_HOST_DOWN && h->down != XVA_ALARM_RAISED) {
		add_event(ev, n, alloc, XVA_POOL_HOST_FAILED, which);
		h->down = XVA_ALARM_RAISED;
	}
}

struct xva_pool_event *xva_pool_model_install(struct xva_pool_model *m,
					      const struct xv_poll_result *r, size_t n_results,
					      uint64_t now_ms, size_t *n)
{
	struct xva_pool_event *ev = NULL;
	size_t alloc = 0, k = 0;

	*n = 0;
	for (size_t p = 0; p < m->inv->n_pools; p++) {
		const struct xv_inv_pool *pool = &m->inv->pools[p];
		struct xva_pool_figures *f = &m->pools[p];
		struct xv_pool_report rep;

		if (k + pool->n_hosts > n_results)
			break; /* cannot happen: the poll answers every host */
		xv_pool_report_build(pool, r + k, &rep);
		f->polled = true;
		f->verdict = rep.verdict;
		f->vms_expected = rep.vms_expected;
		f->vms_up = rep.vms_up;
		f->hosts_expected = rep.hosts_expected;
		f->hosts_up = rep.hosts_up;
		f->vm_ratio = rep.vm_ratio;
		f->server_ratio = rep.server_ratio;
		f->availability = rep.availability;
		f->polled_ms = now_ms;
		/* only a measurement can cross the threshold */
		if ((rep.verdict == XV_POOL_MEASURED || rep.verdict == XV_POOL_NO_ANSWER) &&
		    rep.availability.defined) {
			bool below = rep.availability.value < m->threshold;
			if (below && f->low != XVA_ALARM_RAISED) {
				add_event(&ev, n, &alloc, XVA_POOL_LOW, p);
				f->low = XVA_ALARM_RAISED;
			} else if (!below) {
				if (f->low == XVA_ALARM_RAISED)
					add_event(&ev, n, &alloc, XVA_POOL_NORMAL, p);
				f->low = XVA_ALARM_CLEAR;
			}
		}
		xv_pool_report_release(&rep);
		for (size_t i = 0; i < pool->n_hosts; i++)
			install_host(&m->hosts[pool->hosts[i]], &r[k + i], now_ms, pool->hosts[i], &ev,
				     n, &alloc);
		k += pool->n_hosts;
	}
	m->generation++;
	return ev;
}
