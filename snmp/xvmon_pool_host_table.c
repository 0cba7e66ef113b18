/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon_pool_host_table.c: XVMON-MIB's xvmonPoolHostTable, one row per host
 * of the inventory (its place in the file): how its last poll went, and
 * the figures of its last answer. */
#include "agent.h"
#include "clock.h"
#include "table.h"

static struct xva_agent *agent;

static const oid host_table_oid[] = { XVA_XVMON_MIB, 1, 5 };

enum {
	COL_NAME = 2, COL_POOL, COL_STATUS, COL_ERROR, COL_FREE, COL_TOTAL, COL_DOMAINS,
	COL_SNAPSHOT_AGE,
};

static int fill(struct xva_table *t, void *magic)
{
	for (size_t i = 0; i < agent->inv.n_hosts; i++) {
		oid idx = i + 1;
		xva_table_add_row(t, &idx, &agent->pool.hosts[i], i);
	}
	return 0;
}

/* xvmonPoolHostStatus's numbers */
static long status(enum xv_host_outcome o)
{
	return o == XV_HOST_UP ? 1 : o == XV_HOST_DOWN ? 2 : 3;
}

static void set_kib(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, bool known,
		    uint64_t kib)
{
	if (!known || kib == XV_KIB_UNKNOWN)
		xva_set_absent(reqinfo, r);
	else
		xva_set_counter64(r, kib);
}

static void cell(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		 const struct xva_row *row, unsigned column)
{
	const struct xva_pool_host *ph = row->item;

	switch (column) {
	case COL_NAME:
		xva_set_string(r, agent->pool.host_name[row->sub]);
		break;
	case COL_POOL:
		xva_set_unsigned(r, ASN_UNSIGNED, agent->inv.hosts[row->sub].pool + 1);
		break;
	case COL_STATUS:
		if (ph->polled)
			xva_set_int(r, status(ph->outcome));
		else
			xva_set_absent(reqinfo, r);
		break;
	case COL_ERROR:
		xva_set_string(r, ph->error);
		break;
	case COL_FREE:
		set_kib(reqinfo, r, ph->answered, ph->free_kib);
		break;
	case COL_TOTAL:
		set_kib(reqinfo, r, ph->answered, ph->total_kib);
		break;
	case COL_DOMAINS:
		if (ph->answered)
			xva_set_unsigned(r, ASN_UNSIGNED, ph->domains);
		else
			xva_set_absent(reqinfo, r);
		break;
	case COL_SNAPSHOT_AGE:
		if (ph->answered)
			xva_set_unsigned(r, ASN_UNSIGNED,
					 (xv_monotonic_ms() - ph->answered_ms) / 1000);
		else
			xva_set_absent(reqinfo, r);
		break;
	}
}

int xva_xvmon_pool_host_table_init(struct xva_agent *a)
{
	struct xva_table_spec spec = {
		.name = "xvmonPoolHostTable",
		.root = host_table_oid,
		.root_len = OID_LENGTH(host_table_oid),
		.index_type = { ASN_UNSIGNED },
		.n_indexes = 1,
		.min_column = COL_NAME,
		.max_column = COL_SNAPSHOT_AGE,
		.cell = cell,
		.fill = fill,
	};

	agent = a;
	return xva_table_register(&spec) ? 0 : -1;
}
