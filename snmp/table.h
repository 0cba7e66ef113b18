/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.h: what every table of the agent shares: rows built from the
 * model, looked up by a handler of our own, and the order of the calls.
 *
 * A table registers with xva_table_register(): one raw handler on the
 * table's OID (no table helper, container or cache handler of net-snmp:
 * through AgentX, snmpd asks one cell per round trip, and those helpers
 * cost more than the rest of the subagent's work for it, see
 * tests/bench/b0500).  Its rows are an array sorted by index, filled by the
 * table's `fill` callback; a GET is a binary search, a GETNEXT the next row
 * of the column (or the next column's first row), and a cell the source
 * cannot know is skipped by a GETNEXT there and then, as net-snmp's sparse
 * table helper would.
 *
 * Rows never expire by time: a refresh that changes the model marks every
 * table expired (xva_tables_expire), and the next request that reaches the
 * table drops the rows (`drop`) and fills them again, before it looks at
 * any, so one walk is answered from one snapshot and no row is freed while
 * a request uses it. */
#ifndef XVA_TABLE_H
#define XVA_TABLE_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define XVA_TABLE_MAX_INDEXES 2

/* A row: its index, and what it shows. */
struct xva_row {
	oid oids[XVA_TABLE_MAX_INDEXES];
	const void *item;  /* what the row shows: a domain, a pool, ... */
	size_t sub;        /* a position within the item (a vCPU) */
};

struct xva_table;

/* Adds the rows of the table; returns 0 (or -1: the cache stays empty). */
typedef int (*xva_table_fill_fn)(struct xva_table *t, void *magic);
/* Drops what fill took hold of (a view reference). */
typedef void (*xva_table_drop_fn)(struct xva_table *t, void *magic);
/* Sets the value of the cell (row, column) in r with xva_set_*(), or calls
 * xva_set_absent() (or sets nothing) when the cell has no value: a GET
 * answers noSuchInstance, a GETNEXT goes on to the next row.  Called with
 * reqinfo->mode MODE_GET, whatever the request. */
typedef void (*xva_table_cell_fn)(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r,
				  const struct xva_row *row, unsigned column);

struct xva_table_spec {
	const char *name;
	const oid *root;      /* the table's OID (not the entry's) */
	size_t root_len;
	u_char index_type[XVA_TABLE_MAX_INDEXES]; /* ASN_INTEGER or ASN_UNSIGNED */
	unsigned n_indexes;
	unsigned min_column, max_column;
	xva_table_cell_fn cell;
	xva_table_fill_fn fill;
	xva_table_drop_fn drop;  /* may be NULL */
	void *magic;
};

/* Registers the table; NULL (logged) if net-snmp refuses. */
struct xva_table *xva_table_register(const struct xva_table_spec *spec);

/* Adds a row with indexes idx[0..n_indexes).  Rows may come in any order. */
void xva_table_add_row(struct xva_table *t, const oid *idx, const void *item, size_t sub);

/* Marks every registered table's cache expired. */
void xva_tables_expire(void);

/* Unregisters and frees every table (at shutdown). */
void xva_tables_shutdown(void);

/* Setting values, the way every handler does. */
void xva_set_string(netsnmp_request_info *r, const char *s);
void xva_set_int(netsnmp_request_info *r, long v);
void xva_set_unsigned(netsnmp_request_info *r, u_char type, unsigned long v);
void xva_set_counter64(netsnmp_request_info *r, uint64_t v);
void xva_set_octets(netsnmp_request_info *r, const void *p, size_t len);
void xva_set_oid(netsnmp_request_info *r, const oid *o, size_t len);
/* A cell the source cannot know: noSuchInstance (a walk skips it). */
void xva_set_absent(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r);

#endif
