/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon_vm_table.c: XVMON-MIB's xvmonVmTable, which AUGMENTS the VM-MIB's
 * vmTable (same rows, same vmIndex): Xen's domain id and state flags, and
 * the memory figures in exact KiB, the balloon target and gap included.  A
 * figure the source does not know is not instantiated. */
#include "agent.h"
#include "table.h"

static struct xva_agent *agent;
static struct xva_view *held;

static const oid xvmon_vm_table_oid[] = { XVA_XVMON_MIB, 1, 3 };

enum {
	COL_DOMAIN_ID = 1, COL_STATE_FLAGS, COL_CURRENT, COL_TARGET, COL_MAX, COL_GAP, COL_SWAP,
};

static int fill(struct xva_table *t, void *magic)
{
	held = xva_view_ref(agent->host.view);
	for (size_t k = 0; held && k < held->n_order; k++) {
		size_t i = held->order[k];
		oid idx = (oid)held->index[i];
		xva_table_add_row(t, &idx, &held->snap.domains[i], 0);
	}
	return 0;
}

static void drop(struct xva_table *t, void *magic)
{
	xva_view_unref(held);
	held = NULL;
}

/* BITS { running(0), blocked(1), paused(2), shutdown(3), crashed(4),
 * dying(5) }: bit 0 is the most significant bit of the first octet. */
static unsigned char flag_bits(unsigned flags)
{
	static const unsigned order[] = { XV_DOM_RUNNING, XV_DOM_BLOCKED, XV_DOM_PAUSED,
					  XV_DOM_SHUTDOWN, XV_DOM_CRASHED, XV_DOM_DYING };
	unsigned char b = 0;

	for (unsigned i = 0; i < 6; i++)
		if (flags & order[i])
			b |= (unsigned char)(0x80u >> i);
	return b;
}

static void set_kib(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, uint64_t kib)
{
	if (kib == XV_KIB_UNKNOWN)
		xva_set_absent(reqinfo, r);
	else
		xva_set_counter64(r, kib);
}

static void cell(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		 const struct xva_row *row, unsigned column)
{
	const struct xv_domain *d = row->item;
	unsigned char bits;

	switch (column) {
	case COL_DOMAIN_ID:
		xva_set_unsigned(r, ASN_UNSIGNED, d->id);
		break;
	case COL_STATE_FLAGS:
		bits = flag_bits(d->flags);
		xva_set_octets(r, &bits, 1);
		break;
	case COL_CURRENT:
		set_kib(reqinfo, r, d->cur_kib);
		break;
	case COL_TARGET:
		set_kib(reqinfo, r, d->target_kib);
		break;
	case COL_MAX:
		set_kib(reqinfo, r, d->max_kib);
		break;
	case COL_GAP:
		set_kib(reqinfo, r, xv_domain_balloon_gap_kib(d));
		break;
	case COL_SWAP:
		set_kib(reqinfo, r, xv_domain_guest(d)->swap_used_kib);
		break;
	}
}

int xva_xvmon_vm_table_init(struct xva_agent *a)
{
	struct xva_table_spec spec = {
		.name = "xvmonVmTable",
		.root = xvmon_vm_table_oid,
		.root_len = OID_LENGTH(xvmon_vm_table_oid),
		.index_type = { ASN_INTEGER },
		.n_indexes = 1,
		.min_column = COL_DOMAIN_ID,
		.max_column = COL_SWAP,
		.cell = cell,
		.fill = fill,
		.drop = drop,
	};

	agent = a;
	return xva_table_register(&spec) ? 0 : -1;
}
