/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_snmp_mib.c: a remote agent's answers into a snapshot.  A small fake
 * agent here holds a MIB tree and answers GET and GETBULK the way snmpd
 * does (next OID, repetitions, endOfMibView); then it is made to lie:
 * wrong types, missing cells, OIDs going backwards, someone else's MIB. */
#include "harness.h"
#include "snmp_mib.h"
#include "util.h"

#include <stdlib.h>

#define VM 1, 3, 6, 1, 2, 1, 236
#define XV 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 786

struct entry {
	struct xv_snmp_vb vb;
	unsigned char octets[64];
};

static struct entry tree[256];
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

static struct entry *put(enum xv_snmp_type type, uint64_t value, const char *text, size_t len,
			 const uint32_t *sub, size_t n)
{
	struct entry *e = &tree[n_tree++];

	memset(e, 0, sizeof(*e));
	memcpy(e->vb.oid.sub, sub, n * sizeof(*sub));
	e->vb.oid.len = n;
	e->vb.type = type;
	e->vb.integer = (int64_t)value;
	e->vb.number = value;
	if (text) {
		memcpy(e->octets, text, len);
		e->vb.octets_len = len;
	}
	return e;
}

#define PUT(type, value, text, len, ...)                                        \
	put(type, value, text, len, (const uint32_t[]){ __VA_ARGS__ },          \
	    sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

static const char uuid2[16] = { 0x4f, 0x1c, 0x0d, 0x6e, 0x8b, 0x3a, 0x4c, 0x51,
				0x9a, 0x47, 0x0e, 0x6b, 0x2d, 0x9f, 0x1a, 0x01 };

/* A host with Domain-0 (vmIndex 1, domid 0) and web (vmIndex 5, domid 3,
 * paused, 2 vCPUs, no swap figure), and other objects around. */
static void build_tree(void)
{
	n_tree = 0;
	PUT(XV_SNMP_OCTETS, 0, "Linux", 5, 1, 3, 6, 1, 2, 1, 1, 1, 0); /* sysDescr: before */
	PUT(XV_SNMP_OCTETS, 0, "Xen", 3, VM, 1, 1, 1, 0);
	PUT(XV_SNMP_OCTETS, 0, "4.17.3", 6, VM, 1, 1, 2, 0);
	PUT(XV_SNMP_TIMETICKS, 360000, NULL, 0, VM, 1, 1, 4, 0);
	PUT(XV_SNMP_INTEGER, 2, NULL, 0, VM, 1, 2, 0);
	PUT(XV_SNMP_OCTETS, 0, "Domain-0", 8, VM, 1, 4, 1, 2, 1);
	PUT(XV_SNMP_OCTETS, 0, "web", 3, VM, 1, 4, 1, 2, 5);
	PUT(XV_SNMP_OCTETS, 0, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16, VM, 1, 4, 1, 3, 1);
	PUT(XV_SNMP_OCTETS, 0, uuid2, 16, VM, 1, 4, 1, 3, 5);
	PUT(XV_SNMP_INTEGER, 4, NULL, 0, VM, 1, 4, 1, 6, 1);
	PUT(XV_SNMP_INTEGER, 8, NULL, 0, VM, 1, 4, 1, 6, 5);
	PUT(XV_SNMP_INTEGER, 8, NULL, 0, VM, 1, 4, 1, 9, 1);
	PUT(XV_SNMP_INTEGER, 2, NULL, 0, VM, 1, 4, 1, 9, 5);
	PUT(XV_SNMP_TIMETICKS, 360000, NULL, 0, VM, 1, 4, 1, 16, 1);
	PUT(XV_SNMP_TIMETICKS, 0, NULL, 0, VM, 1, 4, 1, 16, 5);
	PUT(XV_SNMP_COUNTER64, 81234500000ULL, NULL, 0, VM, 1, 4, 1, 17, 1);
	PUT(XV_SNMP_COUNTER64, 12500000, NULL, 0, VM, 1, 4, 1, 17, 5);
	PUT(XV_SNMP_COUNTER64, 6250000, NULL, 0, VM, 1, 5, 1, 2, 5, 1);
	PUT(XV_SNMP_COUNTER64, 6250000, NULL, 0, VM, 1, 5, 1, 2, 5, 2);
	PUT(XV_SNMP_INTEGER, 1, NULL, 0, VM, 1, 9, 0);
	PUT(XV_SNMP_INTEGER, 1, NULL, 0, XV, 1, 1, 2, 0);
	PUT(XV_SNMP_OCTETS, 0, "", 0, XV, 1, 1, 3, 0);
	PUT(XV_SNMP_OCTETS, 0, "xen01", 5, XV, 1, 2, 1, 0);
	PUT(XV_SNMP_COUNTER64, 33554432, NULL, 0, XV, 1, 2, 2, 0);
	PUT(XV_SNMP_COUNTER64, 8388608, NULL, 0, XV, 1, 2, 3, 0);
	PUT(XV_SNMP_COUNTER64, 2097152, NULL, 0, XV, 1, 2, 4, 0);
	PUT(XV_SNMP_COUNTER64, 0, NULL, 0, XV, 1, 2, 5, 0);
	/* outstanding: not instantiated */
	PUT(XV_SNMP_GAUGE32, 8, NULL, 0, XV, 1, 2, 7, 0);
	PUT(XV_SNMP_GAUGE32, 0, NULL, 0, XV, 1, 3, 1, 1, 1);
	PUT(XV_SNMP_GAUGE32, 3, NULL, 0, XV, 1, 3, 1, 1, 5);
	PUT(XV_SNMP_OCTETS, 0, "\x80", 1, XV, 1, 3, 1, 2, 1);
	PUT(XV_SNMP_OCTETS, 0, "\x60", 1, XV, 1, 3, 1, 2, 5);
	PUT(XV_SNMP_COUNTER64, 2097152, NULL, 0, XV, 1, 3, 1, 3, 1);
	PUT(XV_SNMP_COUNTER64, 4194304, NULL, 0, XV, 1, 3, 1, 3, 5);
	PUT(XV_SNMP_COUNTER64, 2097152, NULL, 0, XV, 1, 3, 1, 4, 1);
	PUT(XV_SNMP_COUNTER64, 3145728, NULL, 0, XV, 1, 3, 1, 4, 5);
	PUT(XV_SNMP_COUNTER64, 2097152, NULL, 0, XV, 1, 3, 1, 5, 1);
	PUT(XV_SNMP_COUNTER64, 8388608, NULL, 0, XV, 1, 3, 1, 5, 5);
	PUT(XV_SNMP_COUNTER64, 0, NULL, 0, XV, 1, 3, 1, 6, 1);
	PUT(XV_SNMP_COUNTER64, 1048576, NULL, 0, XV, 1, 3, 1, 6, 5);
	PUT(XV_SNMP_COUNTER64, 0, NULL, 0, XV, 1, 3, 1, 7, 1);
}

static struct entry *find_entry(const uint32_t *sub, size_t n)
{
	struct xv_snmp_oid o = { .len = n };

	memcpy(o.sub, sub, n * sizeof(*sub));
	for (size_t i = 0; i < n_tree; i++)
		if (!oid_cmp(&tree[i].vb.oid, &o))
			return &tree[i];
	return NULL;
}

#define FIND(...)                                                             \
	find_entry((const uint32_t[]){ __VA_ARGS__ },                           \
		   sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

static void drop_entry(struct entry *e)
{
	*e = tree[--n_tree];
}

/* The fake agent: a GET of the scalars, then GETBULKs of `reps`. */
static int walk(struct xv_snmp_reader *r, unsigned reps, int reorder, struct xv_error *e)
{
	size_t n;
	const struct xv_snmp_oid *scalars = xv_snmp_scalar_oids(&n);
	struct xv_snmp_vb vb[XV_SNMP_COLUMNS * 64];

	qsort(tree, n_tree, sizeof(*tree), by_oid);
	for (size_t i = 0; i < n_tree; i++)
		tree[i].vb.octets = tree[i].octets;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < n_tree && oid_cmp(&tree[k].vb.oid, &scalars[i]))
			k++;
		if (k < n_tree) {
			vb[i] = tree[k].vb;
		} else {
			memset(&vb[i], 0, sizeof(vb[i]));
			vb[i].oid = scalars[i];
			vb[i].type = XV_SNMP_NO_SUCH_OBJECT;
		}
	}
	if (xv_snmp_reader_scalars(r, vb, n, e))
		return -1;
	for (int rounds = 0; rounds < 100; rounds++) {
		struct xv_snmp_oid next[XV_SNMP_COLUMNS];
		size_t asked = xv_snmp_reader_next(r, next), m = 0;
		if (!asked)
			return 0;
		for (unsigned rep = 0; rep < reps; rep++) {
			for (size_t c = 0; c < asked; c++) {
				size_t k = 0;
				while (k < n_tree && oid_cmp(&tree[k].vb.oid, &next[c]) <= 0)
					k++;
				if (k < n_tree) {
					vb[m] = tree[k].vb;
				} else {
					memset(&vb[m], 0, sizeof(vb[m]));
					vb[m].oid = next[c];
					vb[m].type = XV_SNMP_END_OF_MIB_VIEW;
				}
				next[c] = vb[m].oid;
				m++;
			}
		}
		if (reorder && m > asked) { /* a broken agent: answers go backwards */
			struct xv_snmp_vb t = vb[0];
			vb[0] = vb[asked];
			vb[asked] = t;
		}
		if (xv_snmp_reader_bulk(r, asked, vb, m, e))
			return -1;
	}
	return xv_error(e, XV_E_SOFTWARE, "the walk does not end");
}

static int read_tree(unsigned reps, struct xv_snapshot *s, int *changed, struct xv_error *e)
{
	struct xv_snmp_reader *r = xv_snmp_reader_new("xen01:161");
	int rc = walk(r, reps, 0, e);

	*changed = 0;
	if (rc == 0)
		rc = xv_snmp_reader_finish(r, s, changed, e);
	else
		xv_snapshot_init(s);
	xv_snmp_reader_free(r);
	return rc;
}

DEF_TEST(a_whole_host)
{
	struct xv_snapshot s;
	struct xv_error e;
	int changed;

	/* whatever the repetitions, the same snapshot */
	for (unsigned reps = 1; reps <= 30; reps += 7) {
		build_tree();
		if (read_tree(reps, &s, &changed, &e))
			FAIL_AT("reps %u: %s", reps, e.msg);
		EXPECT_EQ_STR("xen01", s.host.name);
		EXPECT_EQ_STR("4.17.3", s.host.xen_version);
		EXPECT_EQ_U64(33554432, s.host.total_kib);
		EXPECT_EQ_U64(8388608, s.host.free_kib);
		EXPECT_EQ_U64(2097152, s.host.dom0_kib);
		EXPECT_EQ_U64(XV_KIB_UNKNOWN, s.host.outstanding_kib);
		EXPECT_EQ_INT(8, s.host.cpus);
		EXPECT_EQ_U64(3600000, s.host.uptime_ms);
		EXPECT_EQ_INT(2, s.n_domains);
		const struct xv_domain *d = &s.domains[1];
		EXPECT_EQ_STR("web", d->name);
		EXPECT_EQ_INT(3, d->id);
		EXPECT_EQ_STR("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01", d->uuid);
		EXPECT_EQ_INT(XV_DOM_BLOCKED | XV_DOM_PAUSED, d->flags);
		EXPECT_EQ_U64(4194304, d->cur_kib);
		EXPECT_EQ_U64(3145728, d->target_kib);
		EXPECT_EQ_U64(8388608, d->max_kib);
		EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_domain_guest(d)->swap_used_kib);
		EXPECT_EQ_INT(2, d->vcpus);
		EXPECT_EQ_U64(12500000000ULL, d->cpu_ns);
		EXPECT_EQ_U64(XV_UPTIME_UNKNOWN, d->uptime_ms); /* 0: not known */
		EXPECT_TRUE(d->vcpu_ns != NULL);
		EXPECT_EQ_U64(6250000000ULL, d->vcpu_ns[1]);
		EXPECT_EQ_STR("00000000-0000-0000-0000-000000000000", s.domains[0].uuid);
		EXPECT_TRUE(s.domains[0].vcpu_ns == NULL); /* 8 vCPUs, no rows */
		EXPECT_EQ_U64(0, xv_domain_guest(&s.domains[0])->swap_used_kib);
		xv_snapshot_release(&s);
	}
	return 0;
}

/* Breaks the tree with `mutate`, expects `msg` (after "xen01:161 "). */
static int expect_refused(void (*mutate)(void), const char *msg, int expect_changed)
{
	struct xv_snapshot s;
	struct xv_error e;
	int changed;

	build_tree();
	mutate();
	if (read_tree(10, &s, &changed, &e) != -1)
		FAIL_AT("accepted: %s", msg);
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	EXPECT_EQ_STR(msg, e.msg);
	EXPECT_EQ_INT(expect_changed, changed);
	EXPECT_EQ_INT(0, s.n_domains);
	return 0;
}

static void no_mibs(void)
{
	n_tree = 1; /* only sysDescr */
}
static void other_vm_mib(void)
{
	drop_entry(FIND(XV, 1, 1, 2, 0));
	drop_entry(FIND(XV, 1, 2, 1, 0));
}
static void stale(void)
{
	FIND(XV, 1, 1, 2, 0)->vb.integer = 2;
	struct entry *why = FIND(XV, 1, 1, 3, 0);
	memcpy(why->octets, "xenstat failed", 14);
	why->vb.octets_len = 14;
}
static void total_as_integer(void)
{
	FIND(XV, 1, 2, 2, 0)->vb.type = XV_SNMP_INTEGER;
}
static void flags_as_gauge(void)
{
	FIND(XV, 1, 3, 1, 2, 5)->vb.type = XV_SNMP_GAUGE32;
}
static void no_domid(void)
{
	drop_entry(FIND(XV, 1, 3, 1, 1, 5));
}
static void extra_row(void)
{
	PUT(XV_SNMP_COUNTER64, 1, NULL, 0, XV, 1, 3, 1, 3, 9);
}
static void fewer_rows(void)
{
	FIND(VM, 1, 2, 0)->vb.integer = 3;
}
static void bad_uuid(void)
{
	FIND(VM, 1, 4, 1, 3, 5)->vb.octets_len = 5;
}
static void huge_memory(void)
{
	FIND(XV, 1, 3, 1, 3, 5)->vb.number = 1ULL << 50;
}
static void long_index(void)
{
	PUT(XV_SNMP_OCTETS, 0, "x", 1, VM, 1, 4, 1, 2, 5, 1);
}

DEF_TEST(wrong_answers)
{
	int rc = 0;

	rc |= expect_refused(no_mibs, "the agent at xen01:161 serves neither the VM-MIB nor "
			     "XVMON-MIB (is xvmon-agentx running under its snmpd, and does the snmpd "
			     "view include mib-2.236 and the XVMON subtree?)", 0);
	rc |= expect_refused(other_vm_mib, "the agent at xen01:161 serves a VM-MIB without "
			     "XVMON-MIB: another agent's, which xvmon cannot read", 0);
	rc |= expect_refused(stale, "the agent at xen01:161 serves stale data: its source failed: "
			     "xenstat failed", 0);
	rc |= expect_refused(total_as_integer, "the agent at xen01:161 answered "
			     "xvmonHostTotalMemory.0 as an INTEGER, not a Counter64", 0);
	rc |= expect_refused(flags_as_gauge, "the agent at xen01:161 answered xvmonVmStateFlags.5 "
			     "as a Gauge32, not an OCTET STRING", 0);
	rc |= expect_refused(no_domid, "the agent at xen01:161 has no xvmonVmDomainId for VM 5 "
			     "(vmName 'web'): a truncated or foreign table", 1);
	rc |= expect_refused(extra_row, "the agent at xen01:161 answered xvmonVmCurrentMemory.9 "
			     "for a VM its vmName column does not have", 1);
	rc |= expect_refused(fewer_rows, "the agent at xen01:161 reports 3 VMs but its vmTable has "
			     "2 rows (it changed during the walk)", 1);
	rc |= expect_refused(bad_uuid, "the agent at xen01:161: VM 5: vmUUID is neither 16 octets "
			     "nor empty", 0);
	rc |= expect_refused(huge_memory, "the agent at xen01:161: VM 5: a memory size above 1 PiB",
			     0);
	rc |= expect_refused(long_index, "the agent at xen01:161 answered vmName.5.1 with a "
			     "malformed index", 0);
	return rc;
}

DEF_TEST(backwards_and_empty)
{
	struct xv_snmp_reader *r;
	struct xv_error e;
	struct xv_snmp_oid next[XV_SNMP_COLUMNS];

	build_tree();
	r = xv_snmp_reader_new("xen01:161");
	EXPECT_EQ_INT(-1, walk(r, 3, 1, &e));
	EXPECT_EQ_INT(XV_E_HOST, e.code);
	EXPECT_TRUE(strstr(e.msg, "out of order (a walk must move forward)") != NULL);
	xv_snmp_reader_free(r);

	/* an answer with nothing in it */
	build_tree();
	r = xv_snmp_reader_new("xen01:161");
	walk(r, 1, 0, &e);
	xv_snmp_reader_free(r);
	r = xv_snmp_reader_new("xen01:161");
	size_t asked = xv_snmp_reader_next(r, next);
	EXPECT_EQ_INT(XV_SNMP_COLUMNS, asked);
	EXPECT_EQ_INT(-1, xv_snmp_reader_bulk(r, asked, NULL, 0, &e));
	EXPECT_EQ_STR("the agent at xen01:161 answered a GETBULK with nothing", e.msg);
	xv_snmp_reader_free(r);
	return 0;
}

int main(void)
{
	RUN_TEST(a_whole_host);
	RUN_TEST(wrong_answers);
	RUN_TEST(backwards_and_empty);
	END_TEST;
}
