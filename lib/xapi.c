/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xapi.c: XenAPI records -> snapshot. */
#include "xapi.h"
#include "buf.h"
#include "num.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const class_names[XV_XAPI_CLASSES] = { "pool", "host", "host_metrics", "VM",
							   "VM_metrics" };

const char *xv_xapi_class_name(enum xv_xapi_class c)
{
	return (unsigned)c < XV_XAPI_CLASSES ? class_names[c] : "?";
}

void xv_xapi_tables_init(struct xv_xapi_tables *t)
{
	memset(t, 0, sizeof(*t));
}

void xv_xapi_tables_release(struct xv_xapi_tables *t)
{
	for (int c = 0; c < XV_XAPI_CLASSES; c++)
		free(t->objects[c]);
	xv_xapi_tables_init(t);
}

/* --- answers ------------------------------------------------------------- */

const char *xv_xapi_failure_code(const struct xv_xmlrpc_value *failure)
{
	if (failure && failure->type == XV_XMLRPC_ARRAY && failure->first &&
	    failure->first->type == XV_XMLRPC_STRING)
		return failure->first->str;
	return "";
}

int xv_xapi_result(const struct xv_xmlrpc_reply *r, const struct xv_xmlrpc_value **value,
		   const struct xv_xmlrpc_value **failure, struct xv_error *e)
{
	const struct xv_xmlrpc_value *status, *v, *desc;

	*value = NULL;
	*failure = NULL;
	if (r->fault)
		return xv_error(e, XV_E_HOST, "XML-RPC fault %lld: %.300s (not a XenAPI answer)",
				(long long)r->fault_code, r->fault_string);
	status = xv_xmlrpc_member(r->value, "Status");
	if (!status || status->type != XV_XMLRPC_STRING)
		return xv_error(e, XV_E_HOST, "not a XenAPI answer (no Status)");
	if (!strcmp(status->str, "Success")) {
		v = xv_xmlrpc_member(r->value, "Value");
		if (!v)
			return xv_error(e, XV_E_HOST, "a XenAPI Success without a Value");
		*value = v;
		return 0;
	}
	if (strcmp(status->str, "Failure"))
		return xv_error(e, XV_E_HOST, "not a XenAPI answer (Status '%.64s')", status->str);
	desc = xv_xmlrpc_member(r->value, "ErrorDescription");
	if (!desc || desc->type != XV_XMLRPC_ARRAY || !desc->n ||
	    desc->first->type != XV_XMLRPC_STRING)
		return xv_error(e, XV_E_HOST, "a XenAPI Failure without an ErrorDescription");
	*failure = desc;
	{
		struct xv_buf b = XV_BUF_INIT;
		size_t i = 0;
		for (const struct xv_xmlrpc_value *d = desc->first; d && i < 8; d = d->next, i++) {
			if (i)
				xv_buf_adds(&b, i == 1 ? ": " : ", ");
			xv_buf_addf(&b, "%.200s", d->type == XV_XMLRPC_STRING ? d->str : "?");
		}
		xv_error(e, XV_E_HOST, "%s", b.data);
		xv_buf_release(&b);
	}
	return -1;
}

/* --- tables -------------------------------------------------------------- */

static bool is_ref(const struct xv_xmlrpc_value *v)
{
	return v && v->type == XV_XMLRPC_STRING && !strncmp(v->str, "OpaqueRef:", 10);
}

static void add(struct xv_xapi_tables *t, enum xv_xapi_class c, const char *ref,
		const struct xv_xmlrpc_value *record)
{
	t->objects[c] = xv_grow(t->objects[c], sizeof(*t->objects[c]), t->n[c] + 1, &t->alloc[c]);
	t->objects[c][t->n[c]++] = (struct xv_xapi_object){ ref, record };
}

static void drop(struct xv_xapi_tables *t, enum xv_xapi_class c, const char *ref)
{
	for (size_t i = 0; i < t->n[c]; i++)
		if (!strcmp(t->objects[c][i].ref, ref)) {
			t->objects[c][i] = t->objects[c][--t->n[c]];
			return;
		}
}

static int class_of(const char *name)
{
	for (int c = 0; c < XV_XAPI_CLASSES; c++)
		if (!strcasecmp(name, class_names[c]))
			return c;
	return -1;
}

int xv_xapi_add_events(struct xv_xapi_tables *t, const struct xv_xmlrpc_value *batch,
		       struct xv_error *e)
{
	const struct xv_xmlrpc_value *events = batch;
	size_t i = 0;

	if (batch->type == XV_XMLRPC_STRUCT)
		events = xv_xmlrpc_member(batch, "events");
	if (!events || events->type != XV_XMLRPC_ARRAY)
		return xv_error(e, XV_E_HOST, "event.from: no array of events in the answer");
	for (const struct xv_xmlrpc_value *ev = events->first; ev; ev = ev->next, i++) {
		const struct xv_xmlrpc_value *cls = xv_xmlrpc_member(ev, "class");
		const struct xv_xmlrpc_value *op = xv_xmlrpc_member(ev, "operation");
		const struct xv_xmlrpc_value *ref = xv_xmlrpc_member(ev, "ref");
		const struct xv_xmlrpc_value *snap = xv_xmlrpc_member(ev, "snapshot");
		int c;

		if (!cls || cls->type != XV_XMLRPC_STRING || !op || op->type != XV_XMLRPC_STRING ||
		    !is_ref(ref))
			return xv_error(e, XV_E_HOST, "event.from: event %zu lacks a class, an "
					"operation or a reference", i);
		c = class_of(cls->str);
		if (c < 0)
			continue; /* a class not asked for: nothing to do with it */
		if (!strcmp(op->str, "del")) {
			drop(t, (enum xv_xapi_class)c, ref->str);
			continue;
		}
		if (!snap || snap->type != XV_XMLRPC_STRUCT)
			return xv_error(e, XV_E_HOST, "event.from: %s %.80s comes without its record",
					class_names[c], ref->str);
		drop(t, (enum xv_xapi_class)c, ref->str); /* a later event replaces it */
		add(t, (enum xv_xapi_class)c, ref->str, snap);
	}
	return 0;
}

int xv_xapi_add_records(struct xv_xapi_tables *t, enum xv_xapi_class c,
			const struct xv_xmlrpc_value *map, struct xv_error *e)
{
	if (map->type != XV_XMLRPC_STRUCT)
		return xv_error(e, XV_E_HOST, "%s.get_all_records: the answer is a %s, not a struct",
				class_names[c], xv_xmlrpc_type_name(map->type));
	for (const struct xv_xmlrpc_value *m = map->first; m; m = m->next) {
		if (strncmp(m->name, "OpaqueRef:", 10) || m->type != XV_XMLRPC_STRUCT)
			return xv_error(e, XV_E_HOST, "%s.get_all_records: '%.80s' is not a "
					"reference with its record", class_names[c], m->name);
		add(t, c, m->name, m);
	}
	return 0;
}

static const struct xv_xapi_object *find(const struct xv_xapi_tables *t, enum xv_xapi_class c,
					 const char *ref)
{
	for (size_t i = 0; i < t->n[c]; i++)
		if (!strcmp(t->objects[c][i].ref, ref))
			return &t->objects[c][i];
	return NULL;
}

/* --- fields -------------------------------------------------------------- */

/* Names the object in messages: "VM OpaqueRef:1 ('web1')". */
static void object_name(char *buf, size_t size, enum xv_xapi_class c,
			const struct xv_xapi_object *o)
{
	const struct xv_xmlrpc_value *label = xv_xmlrpc_member(o->record, "name_label");

	if (label && label->type == XV_XMLRPC_STRING && label->len)
		snprintf(buf, size, "%s %.80s ('%.80s')", class_names[c], o->ref, label->str);
	else
		snprintf(buf, size, "%s %.80s", class_names[c], o->ref);
}

static int field_error(struct xv_error *e, enum xv_xapi_class c, const struct xv_xapi_object *o,
		       const char *field, const char *problem)
{
	char name[256];

	object_name(name, sizeof(name), c, o);
	return xv_error(e, XV_E_HOST, "XenAPI %s: %s %s", name, field, problem);
}

static const struct xv_xmlrpc_value *field(const struct xv_xapi_object *o, const char *name)
{
	return xv_xmlrpc_member(o->record, name);
}

static int get_string(enum xv_xapi_class c, const struct xv_xapi_object *o, const char *name,
		      const char **out, struct xv_error *e)
{
	const struct xv_xmlrpc_value *v = field(o, name);

	if (!v)
		return field_error(e, c, o, name, "is missing");
	if (v->type != XV_XMLRPC_STRING)
		return field_error(e, c, o, name, "is not a string");
	*out = v->str;
	return 0;
}

/* A flag; absent is false (the is_a_* flags of older servers). */
static int get_bool(enum xv_xapi_class c, const struct xv_xapi_object *o, const char *name,
		    bool *out, struct xv_error *e)
{
	const struct xv_xmlrpc_value *v = field(o, name);

	*out = false;
	if (!v)
		return 0;
	if (v->type != XV_XMLRPC_BOOL)
		return field_error(e, c, o, name, "is not a boolean");
	*out = v->num != 0;
	return 0;
}

/* An integer, as XenAPI sends them (a decimal string) or as an XML-RPC int. */
static int get_u64(enum xv_xapi_class c, const struct xv_xapi_object *o, const char *name,
		   uint64_t max, uint64_t *out, struct xv_error *e)
{
	const struct xv_xmlrpc_value *v = field(o, name);
	char msg[160];

	if (!v)
		return field_error(e, c, o, name, "is missing");
	if (v->type == XV_XMLRPC_INT) {
		if (v->num < 0 || (uint64_t)v->num > max)
			return field_error(e, c, o, name, "is out of range");
		*out = (uint64_t)v->num;
		return 0;
	}
	if (v->type != XV_XMLRPC_STRING)
		return field_error(e, c, o, name, "is not a number");
	if (xv_parse_u64(v->str, 0, max, out)) {
		snprintf(msg, sizeof(msg), "'%.40s' is not a number from 0 to %llu", v->str,
			 (unsigned long long)max);
		return field_error(e, c, o, name, msg);
	}
	return 0;
}

/* Bytes to KiB, for memory figures (bounded by XV_KIB_MAX in bytes). */
static int get_kib(enum xv_xapi_class c, const struct xv_xapi_object *o, const char *name,
		   uint64_t *kib, struct xv_error *e)
{
	uint64_t bytes;

	if (get_u64(c, o, name, XV_KIB_MAX * 1024, &bytes, e))
		return -1;
	*kib = bytes / 1024;
	return 0;
}

static int get_ref(enum xv_xapi_class c, const struct xv_xapi_object *o, const char *name,
		   const char **out, struct xv_error *e)
{
	if (get_string(c, o, name, out, e))
		return -1;
	if (strncmp(*out, "OpaqueRef:", 10))
		return field_error(e, c, o, name, "is not a reference");
	return 0;
}

/* A string member of a map field (software_version, cpu_info), or NULL. */
static const char *map_string(const struct xv_xapi_object *o, const char *map, const char *key)
{
	const struct xv_xmlrpc_value *v = xv_xmlrpc_member(field(o, map), key);

	return v && v->type == XV_XMLRPC_STRING ? v->str : NULL;
}

/* --- the host ------------------------------------------------------------ */

static int find_host(const struct xv_xapi_tables *t, const struct xv_xapi_which *w,
		     const struct xv_xapi_object **out, struct xv_error *e)
{
	const struct xv_xapi_object *found = NULL;
	const char *master;

	if (w->name || w->address) {
		for (size_t i = 0; i < t->n[XV_XAPI_HOST]; i++) {
			const struct xv_xapi_object *h = &t->objects[XV_XAPI_HOST][i];
			bool match = false;
			if (w->name) {
				static const char *const keys[] = { "name_label", "hostname", "uuid" };
				for (size_t k = 0; k < XV_ARRAY_SIZE(keys); k++) {
					const struct xv_xmlrpc_value *v = field(h, keys[k]);
					if (v && v->type == XV_XMLRPC_STRING && !strcmp(v->str, w->name))
						match = true;
				}
			} else {
				const struct xv_xmlrpc_value *v = field(h, "address");
				match = v && v->type == XV_XMLRPC_STRING && !strcmp(v->str, w->address);
			}
			if (!match)
				continue;
			if (found)
				return xv_error(e, XV_E_HOST, "XenAPI: several hosts of the pool "
						"match '%s'", w->name ? w->name : w->address);
			found = h;
		}
		if (!found && w->name)
			return xv_error(e, XV_E_HOST, "XenAPI: the pool has no host named '%s' "
					"(name_label, hostname or uuid)", w->name);
		if (!found)
			return xv_error(e, XV_E_HOST, "XenAPI: the pool master answered for a pool "
					"with no host at %s, the address first asked", w->address);
		*out = found;
		return 0;
	}
	if (t->n[XV_XAPI_POOL] != 1)
		return xv_error(e, XV_E_HOST, "XenAPI: %zu pool objects, expected one",
				t->n[XV_XAPI_POOL]);
	if (get_ref(XV_XAPI_POOL, &t->objects[XV_XAPI_POOL][0], "master", &master, e))
		return -1;
	found = find(t, XV_XAPI_HOST, master);
	if (!found)
		return xv_error(e, XV_E_HOST, "XenAPI: the pool's master %.80s is not one of its "
				"hosts", master);
	*out = found;
	return 0;
}

/* A host's name as the snapshot gives it: hostname, else name_label. */
static const char *host_name(const struct xv_xapi_object *h)
{
	const struct xv_xmlrpc_value *v = field(h, "hostname");

	if (!v || v->type != XV_XMLRPC_STRING || !v->len)
		v = field(h, "name_label");
	return v && v->type == XV_XMLRPC_STRING && v->len ? v->str : NULL;
}

/* The name of the pool's master, when the pool says (one pool object whose
 * master is one of its hosts); NULL otherwise. */
static const char *master_name(const struct xv_xapi_tables *t)
{
	const struct xv_xmlrpc_value *ref;
	const struct xv_xapi_object *m;

	if (t->n[XV_XAPI_POOL] != 1)
		return NULL;
	ref = field(&t->objects[XV_XAPI_POOL][0], "master");
	if (!ref || ref->type != XV_XMLRPC_STRING || !(m = find(t, XV_XAPI_HOST, ref->str)))
		return NULL;
	return host_name(m);
}

static int host_facts(const struct xv_xapi_tables *t, const struct xv_xapi_object *h,
		      struct xv_snapshot *snap, struct xv_error *e)
{
	const struct xv_xapi_object *m;
	const struct xv_xmlrpc_value *live, *cpus_list;
	const char *name = NULL, *ref, *v;
	uint64_t cpus;

	if (field(h, "hostname") && get_string(XV_XAPI_HOST, h, "hostname", &name, e))
		return -1;
	if ((!name || !*name) && get_string(XV_XAPI_HOST, h, "name_label", &name, e))
		return -1;
	snap->host.name = xv_strdup(name);
	if (master_name(t))
		snap->host.pool_master = xv_strdup(master_name(t));
	v = map_string(h, "software_version", "xen");
	if (v)
		snap->host.xen_version = xv_strdup(v);
	v = map_string(h, "cpu_info", "cpu_count");
	cpus_list = field(h, "host_CPUs");
	if (v) {
		if (xv_parse_u64(v, 1, 65536, &cpus))
			return field_error(e, XV_XAPI_HOST, h, "cpu_info cpu_count",
					   "is not a number of CPUs");
		snap->host.cpus = (unsigned)cpus;
	} else if (cpus_list && cpus_list->type == XV_XMLRPC_ARRAY) {
		snap->host.cpus = (unsigned)cpus_list->n;
	} else {
		return field_error(e, XV_XAPI_HOST, h, "cpu_info and host_CPUs", "are missing");
	}
	if (get_ref(XV_XAPI_HOST, h, "metrics", &ref, e))
		return -1;
	m = find(t, XV_XAPI_HOST_METRICS, ref);
	if (!m)
		return field_error(e, XV_XAPI_HOST, h, "metrics", "names no host_metrics object");
	live = field(m, "live");
	if (live && live->type == XV_XMLRPC_BOOL && !live->num)
		return xv_error(e, XV_E_HOST, "XenAPI: the pool master reports host '%.80s' as "
				"not live", name);
	if (get_kib(XV_XAPI_HOST_METRICS, m, "memory_total", &snap->host.total_kib, e) ||
	    get_kib(XV_XAPI_HOST_METRICS, m, "memory_free", &snap->host.free_kib, e))
		return -1;
	return 0;
}

static int domain_facts(const struct xv_xapi_tables *t, const struct xv_xapi_object *vm,
			unsigned flags, struct xv_snapshot *snap, struct xv_error *e)
{
	const struct xv_xapi_object *m;
	const char *name, *uuid, *ref;
	struct xv_domain *d;
	uint64_t id, v;
	char canon[37];

	if (get_u64(XV_XAPI_VM, vm, "domid", XV_MAX_DOMAINS - 1, &id, e) ||
	    get_string(XV_XAPI_VM, vm, "name_label", &name, e) ||
	    get_string(XV_XAPI_VM, vm, "uuid", &uuid, e) ||
	    get_ref(XV_XAPI_VM, vm, "metrics", &ref, e))
		return -1;
	if (!xv_uuid_normalize(uuid, canon))
		return field_error(e, XV_XAPI_VM, vm, "uuid", "is not a UUID");
	m = find(t, XV_XAPI_VM_METRICS, ref);
	if (!m)
		return field_error(e, XV_XAPI_VM, vm, "metrics", "names no VM_metrics object");
	d = xv_snapshot_add_domain(snap);
	d->id = (uint32_t)id;
	xv_domain_name_set(snap, d, name, strlen(name));
	memcpy(d->uuid, canon, sizeof(canon));
	d->flags = flags;
	if (get_kib(XV_XAPI_VM, vm, "memory_static_max", &d->max_kib, e) ||
	    get_kib(XV_XAPI_VM, vm, field(vm, "memory_target") ? "memory_target"
							      : "memory_dynamic_max",
		    &d->target_kib, e) ||
	    get_kib(XV_XAPI_VM_METRICS, m, "memory_actual", &d->cur_kib, e))
		return -1;
	if (field(m, "VCPUs_number")) {
		if (get_u64(XV_XAPI_VM_METRICS, m, "VCPUs_number", 4096, &v, e))
			return -1;
	} else if (get_u64(XV_XAPI_VM, vm, "VCPUs_at_startup", 4096, &v, e)) {
		return -1;
	}
	d->vcpus = (unsigned)v;
	return 0;
}

static int by_id(const void *a, const void *b)
{
	const struct xv_domain *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int xv_xapi_snapshot(const struct xv_xapi_tables *t, const struct xv_xapi_which *which,
		     struct xv_snapshot *snap, struct xv_error *e)
{
	const struct xv_xapi_object *host = NULL;
	int rc = -1;

	xv_snapshot_init(snap);
	if (find_host(t, which, &host, e) || host_facts(t, host, snap, e))
		goto out;
	for (size_t i = 0; i < t->n[XV_XAPI_VM]; i++) {
		const struct xv_xapi_object *vm = &t->objects[XV_XAPI_VM][i];
		const char *resident, *state;
		bool template, snapshot, control;
		unsigned flags;

		if (get_bool(XV_XAPI_VM, vm, "is_a_template", &template, e) ||
		    get_bool(XV_XAPI_VM, vm, "is_a_snapshot", &snapshot, e) ||
		    get_bool(XV_XAPI_VM, vm, "is_control_domain", &control, e) ||
		    get_string(XV_XAPI_VM, vm, "power_state", &state, e) ||
		    get_string(XV_XAPI_VM, vm, "resident_on", &resident, e))
			goto out;
		if (template || snapshot || strcmp(resident, host->ref))
			continue;
		if (!strcmp(state, "Running"))
			flags = XV_DOM_RUNNING;
		else if (!strcmp(state, "Paused"))
			flags = XV_DOM_PAUSED;
		else if (!strcmp(state, "Halted") || !strcmp(state, "Suspended"))
			continue;
		else {
			field_error(e, XV_XAPI_VM, vm, "power_state", "is not Running, Paused, "
				    "Halted or Suspended");
			goto out;
		}
		if (domain_facts(t, vm, flags, snap, e))
			goto out;
		if (control) {
			struct xv_domain *d = &snap->domains[snap->n_domains - 1];
			if (d->id != 0) {
				field_error(e, XV_XAPI_VM, vm, "domid", "of the control domain is not 0");
				goto out;
			}
			snap->host.dom0_kib = d->cur_kib;
		}
	}
	/* Xen lists domains by id, dom0 first; XenAPI in no particular order */
	xv_sort(snap->domains, snap->n_domains, sizeof(*snap->domains), by_id);
	for (size_t i = 1; i < snap->n_domains; i++)
		if (snap->domains[i].id == snap->domains[i - 1].id) {
			xv_error(e, XV_E_HOST, "XenAPI: two VMs on host '%.80s' have domid %u",
				 snap->host.name, snap->domains[i].id);
			goto out;
		}
	if (xv_snapshot_check(snap, e)) {
		xv_error_prefix(e, "XenAPI");
		goto out;
	}
	rc = 0;
out:
	if (rc)
		xv_snapshot_release(snap);
	return rc;
}
