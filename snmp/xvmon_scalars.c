/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon_scalars.c: XVMON-MIB's scalars: the agent and its source
 * (xvmonAgent) and the host the source reports (xvmonHost). */
#include "agent.h"
#include "clock.h"
#include "table.h"

static struct xva_agent *agent;

static const oid agent_oid[] = { XVA_XVMON_MIB, 1, 1 };
static const oid host_oid[] = { XVA_XVMON_MIB, 1, 2 };

enum {
	SOURCE_URI = 1, SOURCE_STATUS, SOURCE_ERROR, SNAPSHOT_AGE, REFRESH_INTERVAL,
	NOTIFICATIONS_ENABLED, POOL_THRESHOLD,
};

enum {
	HOST_NAME = 1, HOST_TOTAL, HOST_FREE, HOST_DOM0, HOST_SCRUB, HOST_OUTSTANDING, HOST_CPUS,
	HOST_OVERCOMMIT,
};

static void set_kib(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r, uint64_t kib)
{
	if (kib == XV_KIB_UNKNOWN)
		xva_set_absent(reqinfo, r);
	else
		xva_set_counter64(r, kib);
}

static int agent_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reginfo,
			 netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	unsigned which = (unsigned)reginfo->rootoid[reginfo->rootoid_len - 2] /* before .0 */;
	const struct xva_host_model *m = &agent->host;
	static bool saved;

	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (reqinfo->mode != MODE_GET && which != NOTIFICATIONS_ENABLED)
			continue;
		switch (which) {
		case SOURCE_URI:
			xva_set_string(r, m->uri);
			break;
		case SOURCE_STATUS:
			xva_set_int(r, m->status);
			break;
		case SOURCE_ERROR:
			xva_set_string(r, m->error);
			break;
		case SNAPSHOT_AGE:
			if (!m->view)
				xva_set_absent(reqinfo, r);
			else
				xva_set_unsigned(r, ASN_UNSIGNED,
						 (xv_monotonic_ms() - m->view->taken_ms) / 1000);
			break;
		case REFRESH_INTERVAL:
			xva_set_unsigned(r, ASN_UNSIGNED, agent->cfg.refresh_ms < 1000 ? 1
					 : agent->cfg.refresh_ms / 1000);
			break;
		case POOL_THRESHOLD:
			xva_set_unsigned(r, ASN_UNSIGNED, agent->cfg.availability_threshold);
			break;
		case NOTIFICATIONS_ENABLED:
			switch (reqinfo->mode) {
			case MODE_GET:
				xva_set_int(r, agent->xvmon_notes ? 1 : 2);
				break;
			case MODE_SET_RESERVE1: {
				int rc = netsnmp_check_vb_truthvalue(r->requestvb);
				if (rc != SNMP_ERR_NOERROR)
					netsnmp_set_request_error(reqinfo, r, rc);
				break;
			}
			case MODE_SET_ACTION:
				saved = agent->xvmon_notes;
				agent->xvmon_notes = *r->requestvb->val.integer == 1;
				break;
			case MODE_SET_UNDO:
				agent->xvmon_notes = saved;
				break;
			case MODE_SET_COMMIT:
				xva_log(LOG_NOTICE, "xvmonNotificationsEnabled set to %s",
					agent->xvmon_notes ? "true" : "false");
				break;
			default:
				break;
			}
			break;
		default:
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int host_handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reginfo,
			netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	const struct xva_view *v = agent->host.view;

	if (reqinfo->mode != MODE_GET)
		return SNMP_ERR_NOERROR;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		const struct xv_host *host = v ? &v->snap.host : NULL;
		if (!host) {
			xva_set_absent(reqinfo, r);
			continue;
		}
		switch (r->requestvb->name[r->requestvb->name_length - 2]) {
		case HOST_NAME:
			xva_set_string(r, host->name);
			break;
		case HOST_TOTAL:
			set_kib(reqinfo, r, host->total_kib);
			break;
		case HOST_FREE:
			set_kib(reqinfo, r, host->free_kib);
			break;
		case HOST_DOM0:
			set_kib(reqinfo, r, host->dom0_kib);
			break;
		case HOST_SCRUB:
			set_kib(reqinfo, r, host->scrub_kib);
			break;
		case HOST_OUTSTANDING:
			set_kib(reqinfo, r, host->outstanding_kib);
			break;
		case HOST_CPUS:
			xva_set_unsigned(r, ASN_UNSIGNED, host->cpus);
			break;
		case HOST_OVERCOMMIT:
			xva_set_unsigned(r, ASN_UNSIGNED, xv_snapshot_overcommit_milli(&v->snap));
			break;
		default:
			netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
		}
	}
	return SNMP_ERR_NOERROR;
}

static int reg_agent_scalar(const char *name, unsigned which, int modes)
{
	oid o[OID_LENGTH(agent_oid) + 1];
	netsnmp_handler_registration *reg;

	memcpy(o, agent_oid, sizeof(agent_oid));
	o[OID_LENGTH(agent_oid)] = which;
	reg = netsnmp_create_handler_registration(name, agent_handler, o, OID_LENGTH(o), modes);
	if (netsnmp_register_scalar(reg) != MIB_REGISTERED_OK) {
		xva_log(LOG_ERR, "cannot register %s", name);
		return -1;
	}
	return 0;
}

int xva_xvmon_scalars_init(struct xva_agent *a)
{
	int rc = 0;

	agent = a;
	rc |= reg_agent_scalar("xvmonRefreshInterval", REFRESH_INTERVAL, HANDLER_CAN_RONLY);
	rc |= reg_agent_scalar("xvmonNotificationsEnabled", NOTIFICATIONS_ENABLED,
			       HANDLER_CAN_RWRITE);
	if (a->pool_mode)
		rc |= reg_agent_scalar("xvmonPoolThreshold", POOL_THRESHOLD, HANDLER_CAN_RONLY);
	if (!a->host_mode)
		return rc;
	rc |= reg_agent_scalar("xvmonSourceUri", SOURCE_URI, HANDLER_CAN_RONLY);
	rc |= reg_agent_scalar("xvmonSourceStatus", SOURCE_STATUS, HANDLER_CAN_RONLY);
	rc |= reg_agent_scalar("xvmonSourceError", SOURCE_ERROR, HANDLER_CAN_RONLY);
	rc |= reg_agent_scalar("xvmonSnapshotAge", SNAPSHOT_AGE, HANDLER_CAN_RONLY);

	netsnmp_handler_registration *reg = netsnmp_create_handler_registration(
		"xvmonHost", host_handler, host_oid, OID_LENGTH(host_oid), HANDLER_CAN_RONLY);
	if (netsnmp_register_scalar_group(reg, HOST_NAME, HOST_OVERCOMMIT) != MIB_REGISTERED_OK) {
		xva_log(LOG_ERR, "cannot register xvmonHost");
		rc = -1;
	}
	return rc ? -1 : 0;
}
