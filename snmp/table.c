/* SPDX-License-Identifier: GPL-3.0-or-later */
/* table.c: container tables with a model-driven cache. */
#include "table.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

/* Longer than any agent runs without a refresh: only xva_tables_expire()
 * makes a cache reload. */
#define CACHE_SECONDS 86400

struct xva_table {
	struct xva_table_spec spec;
	netsnmp_container *container;
	netsnmp_cache *cache;
	netsnmp_handler_registration *reg;
	netsnmp_table_registration_info *info;
	struct xva_table *next;
};

static struct xva_table *tables;

static void free_row(void *row, void *context)
{
	free(row);
}

static void cache_free(netsnmp_cache *cache, void *magic)
{
	struct xva_table *t = magic;

	CONTAINER_CLEAR(t->container, free_row, NULL);
	if (t->spec.drop)
		t->spec.drop(t, t->spec.magic);
}

static int cache_load(netsnmp_cache *cache, void *magic)
{
	struct xva_table *t = magic;

	return t->spec.fill(t, t->spec.magic);
}

void xva_table_add_row(struct xva_table *t, const oid *idx, const void *item, size_t sub)
{
	struct xva_row *row = xv_calloc(1, sizeof(*row));

	memcpy(row->oids, idx, t->spec.n_indexes * sizeof(oid));
	row->idx.oids = row->oids;
	row->idx.len = t->spec.n_indexes;
	row->item = item;
	row->sub = sub;
	if (CONTAINER_INSERT(t->container, row)) {
		snmp_log(LOG_ERR, "xvmon-agentx: %s: cannot add a row (duplicate index)\n",
			 t->spec.name);
		free(row);
	}
}

struct xva_table *xva_table_register(const struct xva_table_spec *spec)
{
	struct xva_table *t = xv_calloc(1, sizeof(*t));
	netsnmp_table_registration_info *info;
	char *container_name;

	t->spec = *spec;
	container_name = xv_asprintf("%s:table_container", spec->name);
	t->container = netsnmp_container_find(container_name);
	free(container_name);
	if (!t->container) {
		snmp_log(LOG_ERR, "xvmon-agentx: %s: no container\n", spec->name);
		free(t);
		return NULL;
	}
	t->reg = netsnmp_create_handler_registration(spec->name, spec->handler, spec->root,
						     spec->root_len, HANDLER_CAN_RONLY);
	t->info = info = SNMP_MALLOC_TYPEDEF(netsnmp_table_registration_info);
	for (unsigned i = 0; i < spec->n_indexes; i++)
		netsnmp_table_helper_add_index(info, spec->index_type[i]);
	info->min_column = spec->min_column;
	info->max_column = spec->max_column;
	if (netsnmp_container_table_register(t->reg, info, t->container,
					     TABLE_CONTAINER_KEY_NETSNMP_INDEX) != SNMPERR_SUCCESS) {
		snmp_log(LOG_ERR, "xvmon-agentx: cannot register %s\n", spec->name);
		netsnmp_table_registration_info_free(info);
		CONTAINER_FREE(t->container);
		free(t);
		return NULL;
	}
	t->cache = netsnmp_cache_create(CACHE_SECONDS, cache_load, cache_free, spec->root,
					spec->root_len);
	t->cache->magic = t;
	t->cache->flags = NETSNMP_CACHE_DONT_INVALIDATE_ON_SET | NETSNMP_CACHE_DONT_FREE_EXPIRED |
			  NETSNMP_CACHE_DONT_AUTO_RELEASE;
	/* before "table_container": the rows exist before the container helper
	 * looks one up, and stay until the request is answered */
	netsnmp_inject_handler_before(t->reg, netsnmp_cache_handler_get(t->cache),
				      "table_container");
	t->next = tables;
	tables = t;
	return t;
}

void xva_tables_expire(void)
{
	for (struct xva_table *t = tables; t; t = t->next)
		t->cache->expired = 1;
}

void xva_tables_shutdown(void)
{
	while (tables) {
		struct xva_table *t = tables;
		tables = t->next;
		/* the cache first: freeing it empties the container */
		netsnmp_cache_remove(t->cache);
		netsnmp_cache_free(t->cache);
		netsnmp_unregister_handler(t->reg);
		netsnmp_table_registration_info_free(t->info);
		CONTAINER_FREE(t->container);
		free(t);
	}
}

const struct xva_row *xva_table_row(netsnmp_request_info *request)
{
	return netsnmp_container_table_extract_context(request);
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
