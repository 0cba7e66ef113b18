/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vm_hypervisor.c: the VM-MIB's scalars (vmHypervisor group, vmNumber,
 * vmTableLastChange) and its two read-write notification switches. */
#include "agent.h"
#include "clock.h"
#include "table.h"

#include <string.h>

static struct xva_agent *agent;

static const oid hypervisor_oid[] = { XVA_VM_MIB, 1, 1 };
static const oid vm_number_oid[] = { XVA_VM_MIB, 1, 2 };
static const oid last_change_oid[] = { XVA_VM_MIB, 1, 3 };
static const oid per_vm_oid[] = { XVA_VM_MIB, 1, 9 };
static const oid bulk_oid[] = { XVA_VM_MIB, 1, 10 };

/* Xen has no enterprise OID of its own: zeroDotZero, "unknown" in SMIv2. */
static const oid zero_dot_zero[] = { 0, 0 };

enum { HV_SOFTWARE = 1, HV_VERSION = 2, HV_OBJECT_ID = 3, HV_UPTIME = 4 };

static int hypervisor_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			      netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct xva_view *v = agent->host.view;

	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		/* the scalar group helper leaves the object's sub-id before .0 */
		switch (r->requestvb->name[r->requestvb->name_length - 2]) {
		case HV_SOFTWARE:
			xva_set_string(r, "Xen");
			break;
		case HV_VERSION:
			xva_set_string(r, v && v->snap.host.xen_version ? v->snap.host.xen_version : "");
			break;
		case HV_OBJECT_ID:
			xva_set_oid(r, zero_dot_zero, OID_LENGTH(zero_dot_zero));
			break;
		case HV_UPTIME:
			xva_set_unsigned(r, ASN_TIMETICKS,
					 xva_host_uptime_ticks(&agent->host, xv_monotonic_ms()));
			break;
		default:
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int counts_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct xva_view *v = agent->host.view;
	bool number = reginfo->rootoid[reginfo->rootoid_len - 2] /* before .0 */ == 2;

	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (number)
			xva_set_int(r, v ? (long)v->n_order : 0);
		else
			xva_set_unsigned(r, ASN_TIMETICKS, agent->host.last_change_ticks);
	}
	return SNMP_ERR_NOERROR;
}

/* The switches: TruthValue true(1) / false(2), read-write, not kept across
 * a restart (the MIB says so): the configuration file sets the start value. */
static int switch_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
			  netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	bool bulk = reginfo->rootoid[reginfo->rootoid_len - 2] /* before .0 */ == 10;
	bool *value = bulk ? &agent->bulk_notes : &agent->per_vm_notes;
	static bool saved;

	for (netsnmp_request_info *r = requests; r; r = r->next) {
		switch (reqinfo->mode) {
		case MODE_GET:
			xva_set_int(r, *value ? 1 : 2);
			break;
		case MODE_SET_RESERVE1: {
			int rc = netsnmp_check_vb_truthvalue(r->requestvb);
			if (rc != SNMP_ERR_NOERROR)
				netsnmp_set_request_error(reqinfo, r, rc);
			break;
		}
		case MODE_SET_ACTION:
			saved = *value;
			*value = *r->requestvb->val.integer == 1;
			break;
		case MODE_SET_UNDO:
			*value = saved;
			break;
		case MODE_SET_COMMIT:
			xva_log(LOG_NOTICE, "%s set to %s", bulk ? "vmBulkNotificationsEnabled"
				: "vmPerVMNotificationsEnabled", *value ? "true" : "false");
			break;
		default:
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

static int reg_scalar(const char *name, Netsnmp_Node_Handler *h, const oid *o, size_t len,
		      int modes)
{
	netsnmp_handler_registration *reg = netsnmp_create_handler_registration(name, h, o, len, modes);

	if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) {
		xva_log(LOG_ERR, "cannot register %s", name);
		return -1;
	}
	return 0;
}

int xva_vm_hypervisor_init(struct xva_agent *a)
{
	netsnmp_handler_registration *reg;

	agent = a;
	reg = netsnmp_create_handler_registration("vmHypervisor", hypervisor_handler, hypervisor_oid,
						  OID_LENGTH(hypervisor_oid), HANDLER_CAN_RONLY);
	if (netsnmp_register_scalar_group(reg, HV_SOFTWARE, HV_UPTIME) != MIB_REGISTERED_OK) {
		xva_log(LOG_ERR, "cannot register vmHypervisor");
		return -1;
	}
	return reg_scalar("vmNumber", counts_handler, vm_number_oid, OID_LENGTH(vm_number_oid),
			  HANDLER_CAN_RONLY) ||
	       reg_scalar("vmTableLastChange", counts_handler, last_change_oid,
			  OID_LENGTH(last_change_oid), HANDLER_CAN_RONLY) ||
	       reg_scalar("vmPerVMNotificationsEnabled", switch_handler, per_vm_oid,
			  OID_LENGTH(per_vm_oid), HANDLER_CAN_RWRITE) ||
	       reg_scalar("vmBulkNotificationsEnabled", switch_handler, bulk_oid, OID_LENGTH(bulk_oid),
			  HANDLER_CAN_RWRITE) ? -1 : 0;
}
