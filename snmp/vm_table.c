/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_table.c: the VM-MIB's vmTable, one row per domain of the snapshot
 * served, indexed by the stable vmIndex (vm_index.h).  Values: vm_mib.h. */
#include "agent.h"
#include "clock.h"
#include "table.h"
#include "vm_mib.h"

#include <string.h>

static struct xva_agent *agent;
static struct xva_view *held; /* the view the cached rows show */

static const oid vm_table_oid[] = { XVA_VM_MIB, 1, 4 };

enum {
	COL_NAME = 2, COL_UUID, COL_OS_TYPE, COL_ADMIN_STATE, COL_OPER_STATE, COL_AUTO_START,
	COL_PERSISTENT, COL_CUR_CPU, COL_MIN_CPU, COL_MAX_CPU, COL_MEM_UNIT, COL_CUR_MEM,
	COL_MIN_MEM, COL_MAX_MEM, COL_UPTIME, COL_CPU_TIME,
};

/* VirtualMachineAutoStart / VirtualMachinePersistent: no source reports
 * them (xl keeps no persistent domain list). */
#define UNKNOWN_ENUM 1

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

static void cell(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
		 const struct xva_row *row, unsigned column)
{
	const struct xv_domain *d = row->item;
	struct xva_vm_mem mem;
	unsigned char uuid[16];

	switch (column) {
	case COL_NAME:
		xva_set_string(r, d->name);
		break;
	case COL_UUID: /* 16 octets from the canonical text form, or 0 when there is none */
		xva_set_octets(r, uuid, xva_uuid_octets(d->uuid, uuid));
		break;
	case COL_OS_TYPE:
		xva_set_string(r, ""); /* no source knows the guest's OS */
		break;
	case COL_ADMIN_STATE:
		xva_set_int(r, xva_admin_state(d));
		break;
	case COL_OPER_STATE:
		xva_set_int(r, xva_oper_state(d));
		break;
	case COL_AUTO_START:
	case COL_PERSISTENT:
		xva_set_int(r, UNKNOWN_ENUM);
		break;
	case COL_CUR_CPU:
	case COL_MAX_CPU:
		xva_set_int(r, (long)d->vcpus);
		break;
	case COL_MIN_CPU:
	case COL_MIN_MEM:
		xva_set_int(r, -1); /* no hard minimum */
		break;
	case COL_MEM_UNIT:
	case COL_CUR_MEM:
	case COL_MAX_MEM:
		xva_vm_memory(d, &mem);
		xva_set_int(r, column == COL_MEM_UNIT ? mem.unit
			       : column == COL_CUR_MEM ? mem.cur : mem.max);
		break;
	case COL_UPTIME:
		xva_set_unsigned(r, ASN_TIMETICKS,
				 xva_uptime_ticks(d->uptime_ms, xv_monotonic_ms() - held->taken_ms));
		break;
	case COL_CPU_TIME:
		if (d->cpu_ns == XV_COUNTER_UNKNOWN)
			xva_set_absent(reqinfo, r);
		else
			xva_set_counter64(r, d->cpu_ns / 1000);
		break;
	}
}

int xva_vm_table_init(struct xva_agent *a)
{
	struct xva_table_spec spec = {
		.name = "vmTable",
		.root = vm_table_oid,
		.root_len = OID_LENGTH(vm_table_oid),
		.index_type = { ASN_INTEGER },
		.n_indexes = 1,
		.min_column = COL_NAME,
		.max_column = COL_CPU_TIME,
		.cell = cell,
		.fill = fill,
		.drop = drop,
	};

	agent = a;
	return xva_table_register(&spec) ? 0 : -1;
}
