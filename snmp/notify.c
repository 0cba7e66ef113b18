/* SPDX-License-Identifier: GPL-3.0-or-later */
/* notify.c: the notifications, sent from the agent's own loop (a refresh
 * that changed something), through the AgentX master to its trap sinks.
 *
 * VM-MIB: a per-VM notification carries vmName, vmUUID and vmOperState,
 * where vmOperState is the state the VM *left* (RFC 7666: "the other state
 * is indicated by the included value of vmOperState"); vmDeleted adds
 * vmPersistent.  A bulk notification carries only vmAffectedVMs, the
 * bitmap of every VM that entered the notification's state at this
 * refresh.  Each kind has its switch (vmPerVMNotificationsEnabled,
 * vmBulkNotificationsEnabled); XVMON-MIB's have xvmonNotificationsEnabled.
 * Notifications sent while the master is down are lost (AgentX has no
 * queue); the tables still show the state when it is back. */
#include "agent.h"
#include "table.h"
#include "vm_mib.h"

#include <string.h>

static const oid trap_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 }; /* snmpTrapOID.0 */

static const oid vm_notifications[] = { XVA_VM_MIB, 0 };
static const oid vm_entry[] = { XVA_VM_MIB, 1, 4, 1 };
static const oid vm_affected[] = { XVA_VM_MIB, 1, 11, 0 };
enum { VM_NAME = 2, VM_UUID = 3, VM_OPER_STATE = 6, VM_PERSISTENT = 8 };

static const oid xvmon_notifications[] = { XVA_XVMON_MIB, 0 };
static const oid xvmon_agent[] = { XVA_XVMON_MIB, 1, 1 };
static const oid xvmon_pool_entry[] = { XVA_XVMON_MIB, 1, 4, 1 };
static const oid xvmon_host_entry[] = { XVA_XVMON_MIB, 1, 5, 1 };

/* A varbind at BASE.sub.instance. */
static void add(netsnmp_variable_list **vars, const oid *base, size_t len, oid sub, oid instance,
		u_char type, const void *value, size_t value_len)
{
	oid o[MAX_OID_LEN];

	memcpy(o, base, len * sizeof(oid));
	o[len] = sub;
	o[len + 1] = instance;
	snmp_varlist_add_variable(vars, o, len + 2, type, value, value_len);
}

/* A new varbind list starting with snmpTrapOID.0 = BASE.number. */
static netsnmp_variable_list *start(const oid *base, size_t len, unsigned number)
{
	netsnmp_variable_list *vars = NULL;
	oid o[MAX_OID_LEN];

	memcpy(o, base, len * sizeof(oid));
	o[len] = number;
	snmp_varlist_add_variable(&vars, trap_oid, OID_LENGTH(trap_oid), ASN_OBJECT_ID, o,
				  (len + 1) * sizeof(oid));
	return vars;
}

static void send_note(netsnmp_variable_list *vars, const char *what)
{
	xva_log(LOG_INFO, "notification %s", what);
	send_v2trap(vars);
	snmp_free_varbind(vars);
}

static void per_vm(const struct xva_vm_event *ev)
{
	netsnmp_variable_list *vars = start(vm_notifications, OID_LENGTH(vm_notifications), ev->note);
	const struct xv_domain *d = ev->d;
	unsigned char uuid[16];
	long left = ev->left, persistent = 1; /* unknown(1) */
	char what[512];

	add(&vars, vm_entry, OID_LENGTH(vm_entry), VM_NAME, (oid)ev->index, ASN_OCTET_STR, d->name,
	    strlen(d->name));
	add(&vars, vm_entry, OID_LENGTH(vm_entry), VM_UUID, (oid)ev->index, ASN_OCTET_STR, uuid,
	    xva_uuid_octets(d->uuid, uuid));
	add(&vars, vm_entry, OID_LENGTH(vm_entry), VM_OPER_STATE, (oid)ev->index, ASN_INTEGER, &left,
	    sizeof(left));
	if (ev->note == XVA_NOTE_DELETED)
		add(&vars, vm_entry, OID_LENGTH(vm_entry), VM_PERSISTENT, (oid)ev->index, ASN_INTEGER,
		    &persistent, sizeof(persistent));
	snprintf(what, sizeof(what), "%s for '%s' (vmIndex %d, left state %ld)",
		 xva_note_name(ev->note), d->name, ev->index, left);
	send_note(vars, what);
}

static void bulk(const struct xva_vm_event *ev, size_t n, enum xva_vm_note note)
{
	struct xv_buf list = XV_BUF_INIT;
	netsnmp_variable_list *vars;
	size_t count = 0;
	char what[128];

	for (size_t i = 0; i < n; i++) {
		if (ev[i].note == note) {
			xva_vm_list_add(&list, ev[i].index);
			count++;
		}
	}
	if (count) {
		vars = start(vm_notifications, OID_LENGTH(vm_notifications),
			     note + XVA_NOTE_BULK_OFFSET);
		snmp_varlist_add_variable(&vars, vm_affected, OID_LENGTH(vm_affected), ASN_OCTET_STR,
					  list.data, list.len);
		snprintf(what, sizeof(what), "%s for %zu VMs",
			 xva_note_name(note + XVA_NOTE_BULK_OFFSET), count);
		send_note(vars, what);
	}
	xv_buf_release(&list);
}

void xva_notify_vm(struct xva_agent *a, const struct xva_host_changes *c)
{
	if (a->per_vm_notes)
		for (size_t i = 0; i < c->n_events; i++)
			per_vm(&c->events[i]);
	if (a->bulk_notes)
		for (int note = XVA_NOTE_RUNNING; note <= XVA_NOTE_DELETED; note++)
			bulk(c->events, c->n_events, (enum xva_vm_note)note);
}

void xva_notify_source(struct xva_agent *a, bool failed)
{
	const struct xva_host_model *m = &a->host;
	netsnmp_variable_list *vars;

	if (!a->xvmon_notes)
		return;
	vars = start(xvmon_notifications, OID_LENGTH(xvmon_notifications), failed ? 1 : 2);
	add(&vars, xvmon_agent, OID_LENGTH(xvmon_agent), 1, 0, ASN_OCTET_STR, m->uri, strlen(m->uri));
	if (failed) {
		add(&vars, xvmon_agent, OID_LENGTH(xvmon_agent), 3, 0, ASN_OCTET_STR, m->error,
		    strlen(m->error));
	} else {
		u_long age = 0;
		add(&vars, xvmon_agent, OID_LENGTH(xvmon_agent), 4, 0, ASN_UNSIGNED, &age,
		    sizeof(age));
	}
	send_note(vars, failed ? "xvmonSourceFailed" : "xvmonSourceRecovered");
}

void xva_notify_pool(struct xva_agent *a, const struct xva_pool_event *ev, size_t n)
{
	char what[512];

	if (!a->xvmon_notes)
		return;
	for (size_t i = 0; i < n; i++) {
		netsnmp_variable_list *vars = start(xvmon_notifications,
						    OID_LENGTH(xvmon_notifications), ev[i].note);
		oid which = ev[i].which + 1;
		if (ev[i].note == XVA_POOL_HOST_FAILED || ev[i].note == XVA_POOL_HOST_RECOVERED) {
			const char *name = a->pool.host_name[ev[i].which];
			const char *error = a->pool.hosts[ev[i].which].error;
			add(&vars, xvmon_host_entry, OID_LENGTH(xvmon_host_entry), 2, which,
			    ASN_OCTET_STR, name, strlen(name));
			if (ev[i].note == XVA_POOL_HOST_FAILED)
				add(&vars, xvmon_host_entry, OID_LENGTH(xvmon_host_entry), 5, which,
				    ASN_OCTET_STR, error, strlen(error));
			snprintf(what, sizeof(what), "%s for host '%s'",
				 ev[i].note == XVA_POOL_HOST_FAILED ? "xvmonPoolHostFailed"
								    : "xvmonPoolHostRecovered", name);
		} else {
			const char *name = a->pool.pool_name[ev[i].which];
			u_long avail = a->pool.pools[ev[i].which].availability.value;
			u_long threshold = a->pool.threshold;
			add(&vars, xvmon_pool_entry, OID_LENGTH(xvmon_pool_entry), 2, which,
			    ASN_OCTET_STR, name, strlen(name));
			add(&vars, xvmon_pool_entry, OID_LENGTH(xvmon_pool_entry), 10, which,
			    ASN_UNSIGNED, &avail, sizeof(avail));
			add(&vars, xvmon_agent, OID_LENGTH(xvmon_agent), 7, 0, ASN_UNSIGNED, &threshold,
			    sizeof(threshold));
			snprintf(what, sizeof(what), "%s for pool '%s' (%lu permille)",
				 ev[i].note == XVA_POOL_LOW ? "xvmonPoolAvailabilityLow"
							    : "xvmonPoolAvailabilityNormal",
				 name, avail);
		}
		send_note(vars, what);
	}
}
