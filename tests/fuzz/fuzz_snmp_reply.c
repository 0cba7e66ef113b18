/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_snmp_reply.c: the snmp:// source's reading of a remote agent
 * (lib/snmp_mib.c) never crashes or leaks on any MIB tree an agent could
 * serve.  The input describes the tree; a fake agent answers the GET and
 * the GETBULKs from it as snmpd would.  What the reader accepts is a
 * snapshot whose domains are unique and in domain id order. */
#include "fuzz.h"
#include "snmp_mib.h"
#include "snapshot.h"

#include <string.h>

#define MAX_ENTRIES 128

struct entry {
	struct xv_snmp_vb vb;
	unsigned char octets[32];
};

static struct entry tree[MAX_ENTRIES];
static size_t n_tree;

static int oid_cmp(const struct xv_snmp_oid *a, const struct xv_snmp_oid *b)
{
	for (size_t i = 0; i < a->len && i < b->len; i++)
		if (a->sub[i] != b->sub[i])
			return a->sub[i] < b->sub[i] ? -1 : 1;
	return (a->len > b->len) - (a->len < b->len);
}

static int by_oid(const void *a, const void *b)
{
	return oid_cmp(&((const struct entry *)a)->vb.oid, &((const struct entry *)b)->vb.oid);
}

/* Bases the entries hang from: VM-MIB and XVMON-MIB objects and tables. */
static const struct {
	uint32_t sub[16];
	size_t len;
	size_t indexes;
} bases[] = {
	{ { 1, 3, 6, 1, 2, 1, 236, 1 }, 8, 1 },                        /* vmObjects.x.0 */
	{ { 1, 3, 6, 1, 2, 1, 236, 1, 4, 1 }, 10, 1 },                 /* vmEntry */
	{ { 1, 3, 6, 1, 2, 1, 236, 1, 5, 1 }, 10, 2 },                 /* vmCpuEntry */
	{ { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 786, 1 }, 11, 2 },     /* XVMON scalars */
	{ { 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 786, 1, 3, 1 }, 13, 1 }, /* xvmonVmEntry */
	{ { 1, 3, 6, 1, 2, 1, 236, 1, 1 }, 9, 1 },                     /* vmHypervisor.x.0 */
};

/* entry: base, column, index1, index2, type, length, value bytes */
static void parse(const uint8_t *d, size_t size)
{
	size_t p = 0;

	n_tree = 0;
	while (p + 6 <= size && n_tree < MAX_ENTRIES) {
		unsigned base = d[p] % (sizeof(bases) / sizeof(bases[0]));
		struct entry *e = &tree[n_tree];
		size_t len = d[p + 5] % sizeof(e->octets);
		memset(e, 0, sizeof(*e));
		memcpy(e->vb.oid.sub, bases[base].sub, bases[base].len * sizeof(uint32_t));
		e->vb.oid.len = bases[base].len;
		e->vb.oid.sub[e->vb.oid.len++] = d[p + 1] % 20;
		/* scalars end in .0 when the byte says so */
		e->vb.oid.sub[e->vb.oid.len++] = base == 0 || base == 5 ? (d[p + 2] & 1 ? 0 : d[p + 2])
								  : d[p + 2];
		if (bases[base].indexes == 2)
			e->vb.oid.sub[e->vb.oid.len++] = base == 3 ? (d[p + 3] & 1 ? 0 : d[p + 3]) : d[p + 3];
		e->vb.type = (enum xv_snmp_type)(d[p + 4] % (XV_SNMP_OTHER + 1));
		p += 6;
		if (p + len > size)
			len = size - p;
		memcpy(e->octets, d + p, len);
		e->vb.octets_len = len;
		for (size_t i = 0; i < len && i < 8; i++)
			e->vb.number = e->vb.number << 8 | d[p + i];
		e->vb.integer = (int64_t)e->vb.number;
		p += len;
		n_tree++;
	}
	qsort(tree, n_tree, sizeof(*tree), by_oid);
	/* an agent has one value per OID */
	size_t kept = 0;
	for (size_t i = 0; i < n_tree; i++)
		if (!kept || oid_cmp(&tree[kept - 1].vb.oid, &tree[i].vb.oid))
			tree[kept++] = tree[i];
	n_tree = kept;
	for (size_t i = 0; i < n_tree; i++)
		tree[i].vb.octets = tree[i].octets;
}

static void answer(const struct xv_snmp_oid *want, int next, struct xv_snmp_vb *out)
{
	for (size_t k = 0; k < n_tree; k++) {
		int c = oid_cmp(&tree[k].vb.oid, want);
		if (next ? c > 0 : c == 0) {
			*out = tree[k].vb;
			return;
		}
	}
	memset(out, 0, sizeof(*out));
	out->oid = *want;
	out->type = next ? XV_SNMP_END_OF_MIB_VIEW : XV_SNMP_NO_SUCH_OBJECT;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xv_snmp_reader *r = xv_snmp_reader_new("fuzz:161");
	struct xv_snmp_vb vb[XV_SNMP_COLUMNS * 8];
	struct xv_snapshot snap;
	struct xv_error e;
	size_t n;
	const struct xv_snmp_oid *scalars = xv_snmp_scalar_oids(&n);
	unsigned reps = size ? 1 + data[0] % 8 : 1;
	int changed, done = 0;

	parse(size ? data + 1 : data, size ? size - 1 : 0);
	for (size_t i = 0; i < n; i++)
		answer(&scalars[i], 0, &vb[i]);
	if (xv_snmp_reader_scalars(r, vb, n, &e))
		goto out;
	for (int round = 0; round < 1000; round++) {
		struct xv_snmp_oid next[XV_SNMP_COLUMNS];
		size_t asked = xv_snmp_reader_next(r, next), m = 0;
		if (!asked) {
			done = 1;
			break;
		}
		for (unsigned rep = 0; rep < reps; rep++)
			for (size_t c = 0; c < asked; c++) {
				answer(&next[c], 1, &vb[m]);
				next[c] = vb[m++].oid;
			}
		if (xv_snmp_reader_bulk(r, asked, vb, m, &e))
			goto out;
	}
	/* the tree is finite and every answer moves on: the walk ends */
	FUZZ_ASSERT(done);
	if (xv_snmp_reader_finish(r, &snap, &changed, &e) == 0) {
		for (size_t i = 1; i < snap.n_domains; i++)
			FUZZ_ASSERT(snap.domains[i - 1].id < snap.domains[i].id);
		for (size_t i = 0; i < snap.n_domains; i++)
			FUZZ_ASSERT(snap.domains[i].name != NULL);
	}
	xv_snapshot_release(&snap);
out:
	xv_snmp_reader_free(r);
	return 0;
}
