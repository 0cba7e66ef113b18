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
	snap->host.uptime_ms = XV_UPTIME_UNKNOWN;
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
		const char *why;
		if (d->vcpus > XV_MAX_VCPUS)
			return xv_error(e, XV_E_HOST, "the host reported %u vcpus for domain %u, "
					"more than Xen allows", d->vcpus, d->id);
		if (too_big(d->cur_kib) || too_big(d->target_kib) || too_big(d->max_kib))
			return xv_error(e, XV_E_HOST, "the host reported a memory size above 1 PiB "
					"for domain %u", d->id);
		/* a domain without a detail knows no figure: nothing to refuse */
		if (d->detail && (why = xv_guest_memory_validate(&d->detail->guest)))
			return xv_error(e, XV_E_HOST, "the host passed on impossible guest memory "
					"figures for domain %u: %s", d->id, why);
	}
	return 0;
}

/* A block of names; the next is twice as big, up to NAME_CHUNK_MAX, so a
 * host of a few domains touches one small block. */
struct xv_name_chunk {
	struct xv_name_chunk *next;
	size_t used, size;
	char text[];
};

#define NAME_CHUNK_FIRST 512
#define NAME_CHUNK_MAX (64u << 10)

void xv_domain_name_set(struct xv_snapshot *snap, struct xv_domain *d, const char *name, size_t len)
{
	struct xv_name_chunk *c = snap->names;

	if (!c || c->size - c->used <= len) {
		size_t size = c ? c->size * 2 : NAME_CHUNK_FIRST;
		if (size > NAME_CHUNK_MAX)
			size = NAME_CHUNK_MAX;
		if (size <= len)
			size = len + 1;
		c = xv_malloc(sizeof(*c) + size);
		c->next = snap->names;
		c->used = 0;
		c->size = size;
		snap->names = c;
	}
	d->name = c->text + c->used;
	memcpy(d->name, name, len);
	d->name[len] = '\0';
	c->used += len + 1;
}

void xv_snapshot_release(struct xv_snapshot *snap)
{
	for (size_t i = 0; i < snap->n_domains; i++) {
		free(snap->domains[i].vcpu_ns);
		free(snap->domains[i].detail);
	}
	for (struct xv_name_chunk *c = snap->names, *next; c; c = next) {
		next = c->next;
		free(c);
	}
	free(snap->domains);
	free(snap->host.name);
	free(snap->host.xen_version);
	free(snap->host.pool_master);
	xv_snapshot_init(snap);
}

void xv_snapshot_reserve(struct xv_snapshot *snap, size_t n_domains)
{
	snap->domains = xv_reserve(snap->domains, sizeof(*snap->domains), n_domains,
				   &snap->alloc_domains);
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
	d->uptime_ms = XV_UPTIME_UNKNOWN;
	d->cpu_ns = XV_COUNTER_UNKNOWN;
	d->cpu_wait_ns = XV_COUNTER_UNKNOWN;
	return d;
}

/* "Nothing known" is tested by ANDing the figures together */
_Static_assert(XV_KIB_UNKNOWN == UINT64_MAX && XV_COUNTER_UNKNOWN == UINT64_MAX,
	       "unknown is all ones");

/* No guest figure known: every domain of a host whose guests publish
 * nothing, so it is asked once a domain, and cheaply. */
static bool no_guest_figures(const struct xv_guest_memory *g)
{
	return (g->total_kib & g->free_kib & g->available_kib & g->cached_kib & g->committed_kib &
		g->swap_total_kib & g->swap_used_kib & g->swap_in_kib & g->swap_out_kib) == UINT64_MAX;
}

static bool no_io_counters(const struct xv_domain_io *io)
{
	return (io->disk_read_bytes & io->disk_write_bytes & io->disk_read_ops &
		io->disk_write_ops & io->net_rx_bytes & io->net_tx_bytes & io->net_rx_packets &
		io->net_tx_packets) == UINT64_MAX;
}

/* Nothing known: what a domain without a detail reads as. */
#define GUEST_UNKNOWN(r)                                                                   \
	{ .report = (r), .total_kib = XV_KIB_UNKNOWN, .free_kib = XV_KIB_UNKNOWN,           \
	  .available_kib = XV_KIB_UNKNOWN, .cached_kib = XV_KIB_UNKNOWN,                    \
	  .committed_kib = XV_KIB_UNKNOWN, .swap_total_kib = XV_KIB_UNKNOWN,                \
	  .swap_used_kib = XV_KIB_UNKNOWN, .swap_in_kib = XV_COUNTER_UNKNOWN,               \
	  .swap_out_kib = XV_COUNTER_UNKNOWN }
static const struct xv_domain_detail unknown_detail = {
	.guest = GUEST_UNKNOWN(XV_GUEST_NONE),
	.io = { XV_COUNTER_UNKNOWN, XV_COUNTER_UNKNOWN, XV_COUNTER_UNKNOWN, XV_COUNTER_UNKNOWN,
		XV_COUNTER_UNKNOWN, XV_COUNTER_UNKNOWN, XV_COUNTER_UNKNOWN, XV_COUNTER_UNKNOWN },
};

void xv_domain_detail_clear(struct xv_domain_detail *x)
{
	*x = unknown_detail;
}

const struct xv_guest_memory *xv_domain_guest(const struct xv_domain *d)
{
	return d->detail ? &d->detail->guest : &unknown_detail.guest;
}

const struct xv_domain_io *xv_domain_io(const struct xv_domain *d)
{
	return d->detail ? &d->detail->io : &unknown_detail.io;
}

struct xv_domain_detail *xv_domain_detail(struct xv_domain *d)
{
	if (!d->detail) {
		d->detail = xv_malloc(sizeof(*d->detail));
		xv_domain_detail_clear(d->detail);
	}
	return d->detail;
}

void xv_domain_detail_set(struct xv_domain *d, const struct xv_domain_detail *x)
{
	/* no report, no figure, no counter: nothing to keep */
	if (!d->detail && x->guest.report == XV_GUEST_NONE && no_guest_figures(&x->guest) &&
	    no_io_counters(&x->io))
		return;
	*xv_domain_detail(d) = *x;
}

void xv_guest_memory_clear(struct xv_guest_memory *g, enum xv_guest_report report)
{
	*g = (struct xv_guest_memory)GUEST_UNKNOWN(report);
}

static bool known(uint64_t kib)
{
	return kib != XV_KIB_UNKNOWN;
}

/* `part` fits in `whole` (true when either is unknown). */
static bool within(uint64_t part, uint64_t whole)
{
	return !known(part) || !known(whole) || part <= whole;
}

const char *xv_guest_memory_validate(const struct xv_guest_memory *g)
{
	const uint64_t sizes[] = { g->total_kib, g->free_kib, g->available_kib, g->cached_kib,
				   g->committed_kib, g->swap_total_kib, g->swap_used_kib };
	bool any = false;

	if ((unsigned)g->report >= XV_GUEST_REPORT_COUNT)
		return "an unknown report kind";
	/* the common case first: no figures at all, valid whatever the kind */
	if (no_guest_figures(g))
		return NULL;
	for (size_t i = 0; i < XV_ARRAY_SIZE(sizes); i++) {
		if (too_big(sizes[i]))
			return "a size above 1 PiB";
		any |= known(sizes[i]);
	}
	for (int i = 0; i < 2; i++) {
		uint64_t c = i ? g->swap_out_kib : g->swap_in_kib;
		if (c != XV_COUNTER_UNKNOWN) {
			if (c > XV_KIB_COUNTER_MAX)
				return "a swap counter above 2^53 KiB";
			any = true;
		}
	}
	if (any && g->report != XV_GUEST_REPORTED)
		return "figures in a record that is not a report";
	if (!within(g->free_kib, g->total_kib))
		return "MemFree above MemTotal";
	if (!within(g->available_kib, g->total_kib))
		return "MemAvailable above MemTotal";
	if (!within(g->cached_kib, g->total_kib))
		return "the page cache above MemTotal";
	if (known(g->free_kib) && known(g->cached_kib) && !within(g->free_kib + g->cached_kib, g->total_kib))
		return "MemFree and the page cache together above MemTotal";
	if (!within(g->swap_used_kib, g->swap_total_kib))
		return "swap in use above SwapTotal";
	return NULL;
}

uint64_t xv_guest_used_kib(const struct xv_guest_memory *g)
{
	/* validated: free + cached <= total */
	if (!known(g->total_kib) || !known(g->free_kib) || !known(g->cached_kib) ||
	    g->free_kib + g->cached_kib > g->total_kib)
		return XV_KIB_UNKNOWN;
	return g->total_kib - g->free_kib - g->cached_kib;
}

const char *xv_guest_report_name(enum xv_guest_report r)
{
	switch (r) {
	case XV_GUEST_REPORTED:
		return "reported";
	case XV_GUEST_REFUSED:
		return "refused";
	default:
		return "none";
	}
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

void xv_uuid_format(const unsigned char bytes[16], char out[37])
{
	/* where each byte's two digits go, and the digits of every byte: by
	 * hand, not snprintf, which was a third of the time a scenario of
	 * thousands of domains took to load */
	static const unsigned char at[16] = { 0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34 };
	static const char pairs[] =
		"000102030405060708090a0b0c0d0e0f"
		"101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f"
		"303132333435363738393a3b3c3d3e3f"
		"404142434445464748494a4b4c4d4e4f"
		"505152535455565758595a5b5c5d5e5f"
		"606162636465666768696a6b6c6d6e6f"
		"707172737475767778797a7b7c7d7e7f"
		"808182838485868788898a8b8c8d8e8f"
		"909192939495969798999a9b9c9d9e9f"
		"a0a1a2a3a4a5a6a7a8a9aaabacadaeaf"
		"b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
		"c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
		"d0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
		"e0e1e2e3e4e5e6e7e8e9eaebecedeeef"
		"f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

	for (int i = 0; i < 16; i++)
		memcpy(out + at[i], pairs + 2 * bytes[i], 2);
	out[8] = out[13] = out[18] = out[23] = '-';
	out[36] = '\0';
}

uint64_t xv_uuid_key(const char *uuid)
{
	uint64_t key;

	memcpy(&key, uuid, sizeof(key));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	key = __builtin_bswap64(key); /* the first character the most significant */
#endif
	return key;
}

bool xv_uuid_normalize(const char *s, char out[37])
{
	char tmp[37];

	for (int i = 0; i < 36; i++) {
		int h;
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			tmp[i] = '-';
			continue;
		}
		if ((h = xv_hex_digit(s[i])) < 0)
			return false;
		tmp[i] = "0123456789abcdef"[h];
	}
	if (s[36] != '\0')
		return false;
	tmp[36] = '\0';
	memcpy(out, tmp, 37);
	return true;
}

uint64_t xv_domain_balloon_gap_kib(const struct xv_domain *d)
{
	if (d->cur_kib == XV_KIB_UNKNOWN || d->target_kib == XV_KIB_UNKNOWN)
		return XV_KIB_UNKNOWN;
	return d->cur_kib > d->target_kib ? d->cur_kib - d->target_kib : d->target_kib - d->cur_kib;
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

uint64_t xv_snapshot_vcpu_overcommit_milli(const struct xv_snapshot *snap)
{
	uint64_t vcpus = 0, cpus = snap->host.cpus;

	if (!cpus)
		return 0;
	for (size_t i = 0; i < snap->n_domains; i++)
		if (snap->domains[i].id != 0)
			vcpus += snap->domains[i].vcpus;
	/* at most 2^15 domains of 2^32 vcpus: 1000 * vcpus fits */
	return (vcpus * 1000 + cpus / 2) / cpus;
}

uint64_t xv_snapshot_ballooned_kib(const struct xv_snapshot *snap)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < snap->n_domains; i++) {
		const struct xv_domain *d = &snap->domains[i];
		if (d->id != 0 && known(d->max_kib) && known(d->cur_kib) && d->max_kib > d->cur_kib)
			sum += d->max_kib - d->cur_kib;
	}
	return sum;
}

uint64_t xv_domain_counter(const struct xv_domain *d, enum xv_counter c)
{
	switch (c) {
	case XV_CTR_CPU_NS:
		return d->cpu_ns;
	case XV_CTR_CPU_WAIT_NS:
		return d->cpu_wait_ns;
	case XV_CTR_SWAP_IN_KIB:
		return xv_domain_guest(d)->swap_in_kib;
	case XV_CTR_SWAP_OUT_KIB:
		return xv_domain_guest(d)->swap_out_kib;
	case XV_CTR_DISK_READ_BYTES:
		return xv_domain_io(d)->disk_read_bytes;
	case XV_CTR_DISK_WRITE_BYTES:
		return xv_domain_io(d)->disk_write_bytes;
	case XV_CTR_DISK_READ_OPS:
		return xv_domain_io(d)->disk_read_ops;
	case XV_CTR_DISK_WRITE_OPS:
		return xv_domain_io(d)->disk_write_ops;
	case XV_CTR_NET_RX_BYTES:
		return xv_domain_io(d)->net_rx_bytes;
	case XV_CTR_NET_TX_BYTES:
		return xv_domain_io(d)->net_tx_bytes;
	case XV_CTR_NET_RX_PACKETS:
		return xv_domain_io(d)->net_rx_packets;
	case XV_CTR_NET_TX_PACKETS:
		return xv_domain_io(d)->net_tx_packets;
	default:
		return XV_COUNTER_UNKNOWN;
	}
}

void xv_counter_add(uint64_t *counter, uint64_t v)
{
	*counter = (*counter == XV_COUNTER_UNKNOWN ? 0 : *counter) + v;
}

const char *xv_counter_name(enum xv_counter c)
{
	static const char *const names[XV_CTR_COUNT] = {
		"cpu_ns", "cpu_wait_ns", "swap_in_kib", "swap_out_kib", "disk_read_bytes",
		"disk_write_bytes", "disk_read_ops", "disk_write_ops", "net_rx_bytes",
		"net_tx_bytes", "net_rx_packets", "net_tx_packets",
	};

	return (unsigned)c < XV_CTR_COUNT ? names[c] : "unknown";
}
