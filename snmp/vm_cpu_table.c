/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_cpu_table.c: the VM-MIB's vmCpuTable, one row per vCPU (vmIndex,
 * vmCpuIndex from 1) with its CPU time in microseconds.  A domain whose
 * source gives no per-vCPU times has rows only when it has one vCPU (its
 * time is the domain's): the column has no "unknown" value to show. */
#include "agent.h"
#include "table.h"

static struct xva_agent *agent;
static struct xva_view *held;

static const oid vm_cpu_table_oid[] = { XVA_VM_MIB, 1, 5 };

#define COL_CORE_TIME 2

static int fill(struct xva_table *t, void *magic)
{
	held = xva_view_ref(agent->host.view);
	for (size_t k = 0; held && k < held->n_order; k++) {
		size_t i = held->order[k];
		const struct xv_domain *d = &held->snap.domains[i];
		/* without per-vCPU times, a one-vCPU domain's time is the domain's */
		unsigned n = d->vcpu_ns                                        ? d->vcpus
			     : d->vcpus == 1 && d->cpu_ns != XV_COUNTER_UNKNOWN ? 1
										 : 0;
		for (unsigned c = 0; c < n; c++) {
			oid idx[2] = { (oid)held->index[i], c + 1 };
			xva_table_add_row(t, idx, d, c);
		}
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

	(void)reqinfo;
	(void)column; /* the only one */
	xva_set_counter64(r, (d->vcpu_ns ? d->vcpu_ns[row->sub] : d->cpu_ns) / 1000);
}

int xva_vm_cpu_table_init(struct xva_agent *a)
{
	struct xva_table_spec spec = {
		.name = "vmCpuTable",
		.root = vm_cpu_table_oid,
		.root_len = OID_LENGTH(vm_cpu_table_oid),
		.index_type = { ASN_INTEGER, ASN_INTEGER },
		.n_indexes = 2,
		.min_column = COL_CORE_TIME,
		.max_column = COL_CORE_TIME,
		.cell = cell,
		.fill = fill,
		.drop = drop,
	};

	agent = a;
	return xva_table_register(&spec) ? 0 : -1;
}
