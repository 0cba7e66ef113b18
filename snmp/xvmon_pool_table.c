/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon_pool_table.c: XVMON-MIB's xvmonPoolTable, one row per pool of the
 * inventory (its place in the file), with the figures of the last poll:
 * the report's integers (lib/pool_report.h), never recomputed here. */
#include "agent.h"
#include "clock.h"
#include "table.h"

static struct xva_agent *agent;

static const oid pool_table_oid[] = { XVA_XVMON_MIB, 1, 4 };

enum {
	COL_NAME = 2, COL_VERDICT, COL_VMS_EXPECTED, COL_VMS_UP, COL_HOSTS_EXPECTED, COL_HOSTS_UP,
	COL_VM_RATIO, COL_SERVER_RATIO, COL_AVAILABILITY, COL_POLL_AGE,
};

static int fill(struct xva_table *t, void *magic)
{
	for (size_t p = 0; p < agent->inv.n_pools; p++) {
		oid idx = p + 1;
		xva_table_add_row(t, &idx, &agent->pool.pools[p], p);
	}
	return 0;
}

/* xvmonPoolVerdict's numbers */
static long verdict(enum xv_pool_verdict v)
{
	switch (v) {
	case XV_POOL_MEASURED:
		return 1;
	case XV_POOL_NO_ANSWER:
		return 2;
	case XV_POOL_OUT_OF_TIME:
		return 3;
	case XV_POOL_CHECKER_FAILED:
		return 4;
	default:
		return 5;
	}
}

static void set_permille(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
			 struct xv_permille p)
{
	if (p.defined)
		xva_set_unsigned(r, ASN_UNSIGNED, p.value);
	else
		xva_set_absent(reqinfo, r);
}

static void cell(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		 const struct xva_row *row, unsigned column)
{
	const struct xva_pool_figures *f = row->item;

	if (column == COL_NAME) {
		xva_set_string(r, agent->pool.pool_name[row->sub]);
		return;
	}
	if (!f->polled) { /* nothing measured yet */
		xva_set_absent(reqinfo, r);
		return;
	}
	switch (column) {
	case COL_VERDICT:
		xva_set_int(r, verdict(f->verdict));
		break;
	case COL_VMS_EXPECTED:
		xva_set_unsigned(r, ASN_UNSIGNED, f->vms_expected);
		break;
	case COL_VMS_UP:
		xva_set_unsigned(r, ASN_UNSIGNED, f->vms_up);
		break;
	case COL_HOSTS_EXPECTED:
		xva_set_unsigned(r, ASN_UNSIGNED, f->hosts_expected);
		break;
	case COL_HOSTS_UP:
		xva_set_unsigned(r, ASN_UNSIGNED, f->hosts_up);
		break;
	case COL_VM_RATIO:
		set_permille(reqinfo, r, f->vm_ratio);
		break;
	case COL_SERVER_RATIO:
		set_permille(reqinfo, r, f->server_ratio);
		break;
	case COL_AVAILABILITY:
		set_permille(reqinfo, r, f->availability);
		break;
	case COL_POLL_AGE:
		xva_set_unsigned(r, ASN_UNSIGNED, (xv_monotonic_ms() - f->polled_ms) / 1000);
		break;
	}
}

int xva_xvmon_pool_table_init(struct xva_agent *a)
{
	struct xva_table_spec spec = {
		.name = "xvmonPoolTable",
		.root = pool_table_oid,
		.root_len = OID_LENGTH(pool_table_oid),
		.index_type = { ASN_UNSIGNED },
		.n_indexes = 1,
		.min_column = COL_NAME,
		.max_column = COL_POLL_AGE,
		.cell = cell,
		.fill = fill,
	};

	agent = a;
	return xva_table_register(&spec) ? 0 : -1;
}
