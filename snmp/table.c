/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.c: the agent's tables: sorted rows, one raw handler each. */
#include "table.h"
#include "util.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct xva_table {
	struct xva_table_spec spec;
	struct xva_row *rows; /* sorted by index once filled */
	size_t n_rows, alloc;
	bool loaded;  /* rows show the model (fill ran since the last expiry) */
	bool filled;  /* fill ran, drop did not since */
	bool sorted;  /* rows were added in order so far */
	netsnmp_handler_registration *reg;
	struct xva_table *next;
};

static struct xva_table *tables;

static int row_compare(const struct xva_row *a, const struct xva_row *b, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (a->oids[i] != b->oids[i])
			return a->oids[i] < b->oids[i] ? -1 : 1;
	return 0;
}

static unsigned sort_n_indexes; /* for qsort's comparison */

static int row_qsort_compare(const void *a, const void *b)
{
	return row_compare(a, b, sort_n_indexes);
}

void xva_table_add_row(struct xva_table *t, const oid *idx, const void *item, size_t sub)
{
	struct xva_row *row;

	if (t->n_rows == t->alloc) {
		t->alloc = t->alloc ? 2 * t->alloc : 64;
		t->rows = xv_realloc(t->rows, t->alloc * sizeof(*t->rows));
	}
	row = &t->rows[t->n_rows];
	memset(row, 0, sizeof(*row));
	memcpy(row->oids, idx, t->spec.n_indexes * sizeof(oid));
	row->item = item;
	row->sub = sub;
	if (t->n_rows > 0 && row_compare(row - 1, row, t->spec.n_indexes) >= 0)
		t->sorted = false;
	t->n_rows++;
}

/* The rows of the model: filled again after an expiry. */
static void load(struct xva_table *t)
{
	if (t->loaded)
		return;
	if (t->filled && t->spec.drop)
		t->spec.drop(t, t->spec.magic);
	t->n_rows = 0;
	t->sorted = true;
	if (t->spec.fill(t, t->spec.magic))
		t->n_rows = 0; /* the table stays empty */
	t->filled = true;
	if (!t->sorted) {
		size_t kept = 0;

		sort_n_indexes = t->spec.n_indexes;
		xv_sort(t->rows, t->n_rows, sizeof(*t->rows), row_qsort_compare);
		for (size_t i = 0; i < t->n_rows; i++) {
			if (kept > 0 &&
			    !row_compare(&t->rows[kept - 1], &t->rows[i], t->spec.n_indexes)) {
				snmp_log(LOG_ERR, "xvmon-agentx: %s: cannot add a row "
					 "(duplicate index)\n", t->spec.name);
				continue;
			}
			t->rows[kept++] = t->rows[i];
		}
		t->n_rows = kept;
	}
	t->loaded = true;
}

/* The first row whose index is greater than (`inclusive`: or equal to) the
 * OID suffix idx[0..len), compared the way OIDs are. */
static size_t row_after(const struct xva_table *t, const oid *idx, size_t len, bool inclusive)
{
	size_t lo = 0, hi = t->n_rows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = snmp_oid_compare(t->rows[mid].oids, t->spec.n_indexes, idx, len);

		if (c > 0 || (inclusive && c == 0))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* Asks the table for the cell; false when it has no value. */
static bool cell(struct xva_table *t, netsnmp_agent_request_info *reqinfo,
		 netsnmp_request_info *r, const struct xva_row *row, unsigned column)
{
	u_char type;

	r->requestvb->type = ASN_NULL;
	t->spec.cell(reqinfo, r, row, column);
	type = r->requestvb->type;
	return type != ASN_NULL && type != SNMP_NOSUCHINSTANCE && type != SNMP_NOSUCHOBJECT &&
	       type != SNMP_ENDOFMIBVIEW;
}

static void get(struct xva_table *t, netsnmp_agent_request_info *reqinfo,
		netsnmp_request_info *r)
{
	const netsnmp_variable_list *vb = r->requestvb;
	size_t root_len = t->spec.root_len;
	size_t i;

	/* table.entry.column.index... */
	if (vb->name_length < root_len + 2 || vb->name[root_len] != 1 ||
	    vb->name[root_len + 1] < t->spec.min_column ||
	    vb->name[root_len + 1] > t->spec.max_column) {
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHOBJECT);
		return;
	}
	if (vb->name_length != root_len + 2 + t->spec.n_indexes) {
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
		return;
	}
	i = row_after(t, vb->name + root_len + 2, t->spec.n_indexes, true);
	if (i == t->n_rows ||
	    snmp_oid_compare(t->rows[i].oids, t->spec.n_indexes, vb->name + root_len + 2,
			     t->spec.n_indexes)) {
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
		return;
	}
	if (!cell(t, reqinfo, r, &t->rows[i], (unsigned)vb->name[root_len + 1]))
		netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
}

/* The next cell with a value, column by column; none: the request is left
 * alone (ASN_NULL), and the agent goes on past the table. */
static void get_next(struct xva_table *t, netsnmp_agent_request_info *reqinfo,
		     netsnmp_request_info *r)
{
	const netsnmp_variable_list *vb = r->requestvb;
	size_t root_len = t->spec.root_len, len = vb->name_length;
	unsigned column = t->spec.min_column;
	size_t i = 0;
	oid name[MAX_OID_LEN];
	int processed = r->processed;

	/* where the request points: before the table (its first cell), past
	 * it (nothing here), or within: table.entry.column.index... */
	if (snmp_oid_compare(vb->name, len < root_len ? len : root_len, t->spec.root,
			     root_len) > 0)
		return;
	if (len > root_len && snmp_oid_compare(vb->name, root_len, t->spec.root, root_len) == 0 &&
	    vb->name[root_len] >= 1) {
		if (vb->name[root_len] > 1)
			return; /* past the entry */
		if (len > root_len + 1 && vb->name[root_len + 1] >= t->spec.min_column) {
			if (vb->name[root_len + 1] > t->spec.max_column)
				return;
			column = (unsigned)vb->name[root_len + 1];
			i = row_after(t, vb->name + root_len + 2, len - root_len - 2, false);
		}
	}
	memcpy(name, t->spec.root, root_len * sizeof(oid));
	name[root_len] = 1;
	for (;;) {
		for (; i < t->n_rows; i++) {
			if (cell(t, reqinfo, r, &t->rows[i], column)) {
				name[root_len + 1] = column;
				memcpy(name + root_len + 2, t->rows[i].oids,
				       t->spec.n_indexes * sizeof(oid));
				snmp_set_var_objid(r->requestvb, name,
						   root_len + 2 + t->spec.n_indexes);
				r->processed = processed;
				return;
			}
		}
		if (column >= t->spec.max_column)
			break;
		column++;
		i = 0;
	}
	/* nothing after it here */
	snmp_set_var_typed_value(r->requestvb, ASN_NULL, NULL, 0);
	r->processed = processed;
}

static int handler(netsnmp_mib_handler *h, netsnmp_handler_registration *reginfo,
		   netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	struct xva_table *t = h->myvoid;
	int mode = reqinfo->mode;

	if (mode != MODE_GET && mode != MODE_GETNEXT)
		return SNMP_ERR_NOERROR; /* read-only: snmpd answers a SET notWritable */
	load(t);
	/* the tables' cell functions see a GET, as net-snmp's table helpers
	 * showed them */
	reqinfo->mode = MODE_GET;
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		if (r->processed)
			continue;
		if (mode == MODE_GET)
			get(t, reqinfo, r);
		else
			get_next(t, reqinfo, r);
	}
	reqinfo->mode = mode;
	return SNMP_ERR_NOERROR;
}

struct xva_table *xva_table_register(const struct xva_table_spec *spec)
{
	struct xva_table *t = xv_calloc(1, sizeof(*t));

	t->spec = *spec;
	t->reg = netsnmp_create_handler_registration(spec->name, handler, spec->root,
						     spec->root_len, HANDLER_CAN_RONLY);
	if (!t->reg) {
		snmp_log(LOG_ERR, "xvmon-agentx: cannot register %s\n", spec->name);
		free(t);
		return NULL;
	}
	t->reg->handler->myvoid = t;
	if (netsnmp_register_handler(t->reg) != MIB_REGISTERED_OK) {
		/* net-snmp freed the registration */
		snmp_log(LOG_ERR, "xvmon-agentx: cannot register %s\n", spec->name);
		free(t);
		return NULL;
	}
	t->next = tables;
	tables = t;
	return t;
}

void xva_tables_expire(void)
{
	for (struct xva_table *t = tables; t; t = t->next)
		t->loaded = false;
}

void xva_tables_shutdown(void)
{
	while (tables) {
		struct xva_table *t = tables;
		tables = t->next;
		/* the rows first: they may hold a view */
		if (t->filled && t->spec.drop)
			t->spec.drop(t, t->spec.magic);
		netsnmp_unregister_handler(t->reg);
		free(t->rows);
		free(t);
	}
}

void xva_set_string(netsnmp_request_info *r, const char *s)
{
	snmp_set_var_typed_value(r->requestvb, ASN_OCTET_STR, s ? s : "", s ? strlen(s) : 0);
}

void xva_set_int(netsnmp_request_info *r, long v)
{
	snmp_set_var_typed_integer(r->requestvb, ASN_INTEGER, v);
}

void xva_set_unsigned(netsnmp_request_info *r, u_char type, unsigned long v)
{
	snmp_set_var_typed_integer(r->requestvb, type, (long)v);
}

void xva_set_counter64(netsnmp_request_info *r, uint64_t v)
{
	struct counter64 c = { .high = (u_long)(v >> 32), .low = (u_long)(v & 0xffffffffu) };

	snmp_set_var_typed_value(r->requestvb, ASN_COUNTER64, &c, sizeof(c));
}

void xva_set_octets(netsnmp_request_info *r, const void *p, size_t len)
{
	snmp_set_var_typed_value(r->requestvb, ASN_OCTET_STR, p, len);
}

void xva_set_oid(netsnmp_request_info *r, const oid *o, size_t len)
{
	snmp_set_var_typed_value(r->requestvb, ASN_OBJECT_ID, o, len * sizeof(oid));
}

void xva_set_absent(netsnmp_agent_request_info *reqinfo, netsnmp_request_info *r)
{
	netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
}
