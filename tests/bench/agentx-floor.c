/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agentx-floor: bench equipment for b0500.  The cheapest AgentX subagent
 * net-snmp's library allows for the bench's table: VM-MIB's vmTable with the
 * 16 columns xvmon-agentx serves, 1001 rows (the bench host's dom0 and 1000
 * guests) of constant values of the same types and sizes, one raw handler
 * on the table's OID (no table helper, no container, no cache) that finds a
 * GET's cell or a GETNEXT's next cell by arithmetic on the requested OID.
 * What a walk through it costs is what net-snmp's master and AgentX cost:
 * the floor xvmon-agentx is measured against.
 *
 * usage: agentx-floor AGENTX_SOCKET   (runs until TERM or INT) */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 1001
#define FIRST_COLUMN 2
#define LAST_COLUMN 17

/* vmTable.vmEntry */
static const oid entry_oid[] = { 1, 3, 6, 1, 2, 1, 236, 1, 4, 1 };
#define ENTRY_LEN OID_LENGTH(entry_oid)
static const oid table_oid[] = { 1, 3, 6, 1, 2, 1, 236, 1, 4 };

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void set_value(netsnmp_variable_list *vb, oid column, oid row)
{
	static const unsigned char uuid[16] = { 0xce, 0x8a, 0x34, 0x8e, 0xa9, 0xc8, 0x4d, 0x9d,
						0x99, 0xf2, 0x6c, 0x84, 0x3f, 0xf4, 0xf6, 0x2c };
	char name[16];
	struct counter64 c = { 0, 0 };
	long v;

	switch (column) {
	case 2:
		snprintf(name, sizeof(name), "v%06lu", (unsigned long)row);
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, name, strlen(name));
		return;
	case 3:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, uuid, sizeof(uuid));
		return;
	case 4:
		snmp_set_var_typed_value(vb, ASN_OCTET_STR, "", 0);
		return;
	case 16:
		snmp_set_var_typed_integer(vb, ASN_TIMETICKS, 0);
		return;
	case 17:
		snmp_set_var_typed_value(vb, ASN_COUNTER64, &c, sizeof(c));
		return;
	case 5: v = 1; break;              /* running */
	case 6: v = 4; break;              /* running */
	case 7: case 8: v = 1; break;      /* unknown */
	case 9: case 11: v = 1; break;     /* vCPUs */
	case 12: v = 1024; break;          /* memory unit */
	case 13: case 15: v = 1048576; break;
	default: v = -1; break;            /* minimum CPU and memory */
	}
	snmp_set_var_typed_integer(vb, ASN_INTEGER, v);
}

/* Rows are indexed 1..ROWS. */
static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reg,
		   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	(void)h;
	(void)reg;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *vb = r->requestvb;
		const oid *name = vb->name;
		size_t len = vb->name_length;
		oid column, row, out[ENTRY_LEN + 2];
		int cmp = snmp_oid_compare(name, len < ENTRY_LEN ? len : ENTRY_LEN, entry_oid,
					   ENTRY_LEN);

		if (reqinfo->mode == MODE_GET) {
			if (cmp || len != ENTRY_LEN + 2 || name[ENTRY_LEN] < FIRST_COLUMN ||
			    name[ENTRY_LEN] > LAST_COLUMN || name[ENTRY_LEN + 1] < 1 ||
			    name[ENTRY_LEN + 1] > ROWS)
				netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			else
				set_value(vb, name[ENTRY_LEN], name[ENTRY_LEN + 1]);
			continue;
		}
		if (reqinfo->mode != MODE_GETNEXT)
			continue;
		/* the cell after NAME */
		if (cmp < 0 || len <= ENTRY_LEN) {
			column = FIRST_COLUMN;
			row = 1;
		} else if (cmp > 0) {
			continue; /* past the table: the next registration answers */
		} else if (name[ENTRY_LEN] < FIRST_COLUMN) {
			column = FIRST_COLUMN;
			row = 1;
		} else if (name[ENTRY_LEN] > LAST_COLUMN) {
			continue;
		} else {
			column = name[ENTRY_LEN];
			row = len == ENTRY_LEN + 1 ? 1 : name[ENTRY_LEN + 1] + 1;
			if (len == ENTRY_LEN + 1 || name[ENTRY_LEN + 1] < 1)
				row = 1;
			if (row > ROWS) {
				if (column == LAST_COLUMN)
					continue;
				column++;
				row = 1;
			}
		}
		memcpy(out, entry_oid, sizeof(entry_oid));
		out[ENTRY_LEN] = column;
		out[ENTRY_LEN + 1] = row;
		snmp_set_var_objid(vb, out, ENTRY_LEN + 2);
		set_value(vb, column, row);
	}
	return SNMP_ERR_NOERROR;
}

int main(int argc, char **argv)
{
	netsnmp_handler_registration *reg;

	if (argc != 2) {
		fprintf(stderr, "usage: agentx-floor AGENTX_SOCKET\n");
		return 64;
	}
	/* numeric OIDs only: no MIB files to read at start */
	setenv("MIBS", "", 1);
	snmp_disable_log();
	snmp_enable_stderrlog();
	netsnmp_ds_set_boolean(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_ROLE, 1);
	netsnmp_ds_set_string(NETSNMP_DS_APPLICATION_ID, NETSNMP_DS_AGENT_X_SOCKET, argv[1]);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DONT_PERSIST_STATE, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_LOAD, 1);
	netsnmp_ds_set_boolean(NETSNMP_DS_LIBRARY_ID, NETSNMP_DS_LIB_DISABLE_PERSISTENT_SAVE, 1);
	init_agent("agentx-floor");
	reg = netsnmp_create_handler_registration("vmTableFloor", handler, table_oid,
						  OID_LENGTH(table_oid), HANDLER_CAN_RONLY);
	if (!reg || netsnmp_register_handler(reg) != MIB_REGISTERED_OK) {
		fprintf(stderr, "agentx-floor: cannot register the table\n");
		return 70;
	}
	init_snmp("agentx-floor");
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	while (!stopping)
		agent_check_and_process(1);
	snmp_shutdown("agentx-floor");
	return 0;
}
