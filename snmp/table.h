/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.h: what every table of the agent shares: a container of rows filled
 * by a cache from the model, and the order of the handlers.
 *
 * A table registers with xva_table_register(): its rows live in a
 * net-snmp container (sorted by index), filled by the table's `fill`
 * callback when the cache is loaded and emptied when it is freed.  The cache
 * handler is injected before "table_container", not before the table's own
 * handler as the mib2c template does: there, the container helper looks a
 * row up before the cache is loaded (noSuchInstance on the first GET) and
 * can hand out rows the cache has just freed (see ../shared/FACTS.md).
 *
 * Caches never expire by time: a refresh that changes the model marks every
 * table's cache expired (xva_tables_expire), and the next request reloads
 * it, so one walk is answered from one snapshot. */
#ifndef XVA_TABLE_H
#define XVA_TABLE_H

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

#define XVA_TABLE_MAX_INDEXES 2

/* A row: `idx` must come first, the container compares it. */
struct xva_row {
	netsnmp_index idx;
	oid oids[XVA_TABLE_MAX_INDEXES];
	const void *item;  /* what the row shows: a domain, a pool, ... */
	size_t sub;        /* a position within the item (a vCPU) */
};

struct xva_table;

/* Adds the rows of the table; returns 0 (or -1: the cache stays empty). */
typedef int (*xva_table_fill_fn)(struct xva_table *t, void *magic);
/* Drops what fill took hold of (a view reference). */
typedef void (*xva_table_drop_fn)(struct xva_table *t, void *magic);

struct xva_table_spec {
	const char *name;
	const oid *root;      /* the table's OID (not the entry's) */
	size_t root_len;
	u_char index_type[XVA_TABLE_MAX_INDEXES]; /* ASN_INTEGER or ASN_UNSIGNED */
	unsigned n_indexes;
	unsigned min_column, max_column;
	Netsnmp_Node_Handler *handler;
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

/* The row of a request, in a table handler (NULL: none). */
const struct xva_row *xva_table_row(netsnmp_request_info *request);

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
