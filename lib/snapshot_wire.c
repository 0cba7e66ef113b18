/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_wire.c: snapshot encoding for child processes and remote hosts. */
#include "snapshot_wire.h"
#include "util.h"

#include <stdint.h>
#include <string.h>

/* The version is in the magic, "xvV" and the version as a digit ("xvV3"):
 * a reader refuses another version's bytes whole (snapshot_wire.h). */
#define WIRE_MAGIC (0x00567678u | (uint32_t)('0' + XV_SNAPSHOT_WIRE_VERSION) << 24)

/* An answer: one tag byte, then the encoded snapshot, or the error code as
 * one byte and the message. */
#define TAG_SNAPSHOT 'S'
#define TAG_ERROR 'E'
#define MAX_STRING (1u << 20)
#define MAX_DOMAINS (1u << 20)

static void put_u32(struct xv_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };
	xv_buf_add(b, c, 4);
}

static void put_u64(struct xv_buf *b, uint64_t v)
{
	put_u32(b, (uint32_t)v);
	put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(struct xv_buf *b, const char *s)
{
	if (!s) {
		put_u32(b, UINT32_MAX);
		return;
	}
	put_u32(b, (uint32_t)strlen(s));
	xv_buf_adds(b, s);
}

void xv_snapshot_encode(const struct xv_snapshot *snap, struct xv_buf *out)
{
	const struct xv_host *h = &snap->host;

	put_u32(out, WIRE_MAGIC);
	put_u64(out, snap->time_ms);
	put_str(out, h->name);
	put_str(out, h->xen_version);
	put_str(out, h->pool_master);
	put_u64(out, h->total_kib);
	put_u64(out, h->free_kib);
	put_u64(out, h->dom0_kib);
	put_u64(out, h->scrub_kib);
	put_u64(out, h->outstanding_kib);
	put_u32(out, h->cpus);
	put_u64(out, h->uptime_ms);
	put_u32(out, (uint32_t)snap->n_domains);
	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		const struct xv_guest_memory *g = xv_domain_guest(d);
		const struct xv_domain_io *io = xv_domain_io(d);
		put_u32(out, d->id);
		put_str(out, d->name);
		xv_buf_add(out, d->uuid, 36);
		put_u32(out, d->flags);
		put_u64(out, d->cur_kib);
		put_u64(out, d->target_kib);
		put_u64(out, d->max_kib);
		put_u32(out, d->vcpus);
		put_u64(out, d->cpu_ns);
		put_u64(out, d->cpu_wait_ns);
		put_u32(out, (uint32_t)g->report);
		put_u64(out, g->total_kib);
		put_u64(out, g->free_kib);
		put_u64(out, g->available_kib);
		put_u64(out, g->cached_kib);
		put_u64(out, g->committed_kib);
		put_u64(out, g->swap_total_kib);
		put_u64(out, g->swap_used_kib);
		put_u64(out, g->swap_in_kib);
		put_u64(out, g->swap_out_kib);
		put_u64(out, io->disk_read_bytes);
		put_u64(out, io->disk_write_bytes);
		put_u64(out, io->disk_read_ops);
		put_u64(out, io->disk_write_ops);
		put_u64(out, io->net_rx_bytes);
		put_u64(out, io->net_tx_bytes);
		put_u64(out, io->net_rx_packets);
		put_u64(out, io->net_tx_packets);
		put_u64(out, d->uptime_ms);
		put_u32(out, d->vcpu_ns ? d->vcpus : 0);
		for (unsigned k = 0; d->vcpu_ns && k < d->vcpus; k++)
			put_u64(out, d->vcpu_ns[k]);
	}
}

struct reader {
	const unsigned char *p, *end;
	int bad;
};

static uint32_t get_u32(struct reader *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
	    (uint32_t)r->p[3] << 24;
	r->p += 4;
	return v;
}

static uint64_t get_u64(struct reader *r)
{
	uint64_t lo = get_u32(r);
	return lo | (uint64_t)get_u32(r) << 32;
}

/* A string where it lies in the message: its length, or -1 for none (or a
 * bad one, which sets r->bad). */
static long get_str_at(struct reader *r, const char **at)
{
	uint32_t len = get_u32(r);

	if (r->bad || len == UINT32_MAX)
		return -1;
	if (len > MAX_STRING || (size_t)(r->end - r->p) < len || memchr(r->p, '\0', len)) {
		r->bad = 1;
		return -1;
	}
	*at = (const char *)r->p;
	r->p += len;
	return len;
}

static char *get_str(struct reader *r)
{
	const char *at;
	long len = get_str_at(r, &at);

	return len < 0 ? NULL : xv_strndup(at, (size_t)len);
}

int xv_snapshot_decode(const void *data, size_t len, struct xv_snapshot *snap)
{
	struct reader r = { data, (const unsigned char *)data + len, 0 };
	struct xv_host *h = &snap->host;
	uint32_t n;

	xv_snapshot_init(snap);
	if (get_u32(&r) != WIRE_MAGIC)
		return -1;
	snap->time_ms = get_u64(&r);
	h->name = get_str(&r);
	h->xen_version = get_str(&r);
	h->pool_master = get_str(&r);
	h->total_kib = get_u64(&r);
	h->free_kib = get_u64(&r);
	h->dom0_kib = get_u64(&r);
	h->scrub_kib = get_u64(&r);
	h->outstanding_kib = get_u64(&r);
	h->cpus = get_u32(&r);
	h->uptime_ms = get_u64(&r);
	n = get_u32(&r);
	if (n > MAX_DOMAINS)
		r.bad = 1;
	for (uint32_t i = 0; i < n && !r.bad; i++) {
		struct xv_domain *d = xv_snapshot_add_domain(snap);
		struct xv_domain_detail x;
		const char *name;
		long name_len;

		d->id = get_u32(&r);
		name_len = get_str_at(&r, &name);
		if (r.bad || name_len < 0 || r.end - r.p < 36) {
			r.bad = 1;
			break;
		}
		xv_domain_name_set(snap, d, name, (size_t)name_len);
		memcpy(d->uuid, r.p, 36);
		d->uuid[36] = '\0';
		r.p += 36;
		d->flags = get_u32(&r);
		d->cur_kib = get_u64(&r);
		d->target_kib = get_u64(&r);
		d->max_kib = get_u64(&r);
		d->vcpus = get_u32(&r);
		d->cpu_ns = get_u64(&r);
		d->cpu_wait_ns = get_u64(&r);
		/* an out-of-range report kind is refused by xv_snapshot_check() */
		x.guest.report = (enum xv_guest_report)get_u32(&r);
		x.guest.total_kib = get_u64(&r);
		x.guest.free_kib = get_u64(&r);
		x.guest.available_kib = get_u64(&r);
		x.guest.cached_kib = get_u64(&r);
		x.guest.committed_kib = get_u64(&r);
		x.guest.swap_total_kib = get_u64(&r);
		x.guest.swap_used_kib = get_u64(&r);
		x.guest.swap_in_kib = get_u64(&r);
		x.guest.swap_out_kib = get_u64(&r);
		x.io.disk_read_bytes = get_u64(&r);
		x.io.disk_write_bytes = get_u64(&r);
		x.io.disk_read_ops = get_u64(&r);
		x.io.disk_write_ops = get_u64(&r);
		x.io.net_rx_bytes = get_u64(&r);
		x.io.net_tx_bytes = get_u64(&r);
		x.io.net_rx_packets = get_u64(&r);
		x.io.net_tx_packets = get_u64(&r);
		xv_domain_detail_set(d, &x);
		d->uptime_ms = get_u64(&r);
		uint32_t n_vcpu = get_u32(&r);
		if (r.bad || (n_vcpu && n_vcpu != d->vcpus) || n_vcpu > XV_MAX_VCPUS ||
		    (size_t)(r.end - r.p) / 8 < n_vcpu) {
			r.bad = 1;
			break;
		}
		if (n_vcpu)
			d->vcpu_ns = xv_calloc(n_vcpu, sizeof(*d->vcpu_ns));
		for (uint32_t k = 0; k < n_vcpu; k++)
			d->vcpu_ns[k] = get_u64(&r);
	}
	if (r.bad || r.p != r.end) {
		xv_snapshot_release(snap);
		return -1;
	}
	return 0;
}

void xv_snapshot_answer_encode(const struct xv_snapshot *snap, const struct xv_error *e,
			       struct xv_buf *out)
{
	if (snap) {
		xv_buf_addch(out, TAG_SNAPSHOT);
		xv_snapshot_encode(snap, out);
		return;
	}
	xv_buf_addch(out, TAG_ERROR);
	xv_buf_addch(out, (char)e->code);
	xv_buf_adds(out, e->msg);
}

int xv_snapshot_answer_decode(const void *data, size_t len, struct xv_snapshot *snap,
			      struct xv_error *e)
{
	const char *d = data;

	xv_snapshot_init(snap);
	if (len && d[0] == TAG_SNAPSHOT)
		return xv_snapshot_decode(d + 1, len - 1, snap) == 0 ? 0 : -1;
	if (len > 2 && d[0] == TAG_ERROR && d[1] > XV_E_NONE && d[1] <= XV_E_TIMEOUT &&
	    !memchr(d + 2, '\0', len - 2)) {
		xv_error(e, (enum xv_error_code)d[1], "%.*s", (int)(len - 2 > 1000 ? 1000 : len - 2),
			 d + 2);
		return 1;
	}
	return -1;
}
