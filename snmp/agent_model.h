/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agent_model.h: what the agent serves, and what changed at each refresh.
 *
 * Host mode keeps the last good snapshot of one source as a view shared by
 * the tables (reference counted: a table cache holds a view while it
 * answers, a new snapshot replaces the model's view without freeing the one
 * a cache holds).  Pool mode keeps, per inventory host and per pool, the
 * figures of the last poll.  Installing a refresh's results returns what
 * changed, so the glue can raise notifications; the model itself knows
 * nothing of net-snmp (tests/unit/t_agent_model.c). */
#ifndef XVA_AGENT_MODEL_H
#define XVA_AGENT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "inventory.h"
#include "permille.h"
#include "poller.h"
#include "pool_report.h"
#include "snapshot.h"
#include "vm_index.h"
#include "vm_mib.h"

#define XVA_ERROR_MAX 255 /* SnmpAdminString (SIZE (0..255)) */

enum xva_source_status {
	XVA_SOURCE_OK = 1,
	XVA_SOURCE_STALE = 2,
	XVA_SOURCE_NONE = 3,
};

/* A snapshot as served. */
struct xva_view {
	unsigned refs;
	struct xv_snapshot snap;
	int32_t *index;     /* vmIndex of each domain (parallel to snap.domains), 0: none */
	size_t *order;      /* positions of the indexed domains, by vmIndex */
	size_t n_order;
	uint64_t taken_ms;  /* monotonic time it arrived */
};

struct xva_view *xva_view_ref(struct xva_view *v);
/* Drops a reference; frees the view with the last.  Accepts NULL. */
void xva_view_unref(struct xva_view *v);

struct xva_host_model {
	char *uri;                  /* as published: no user or community */
	struct xva_view *view;      /* last good snapshot, NULL before the first */
	enum xva_source_status status;
	char error[XVA_ERROR_MAX + 1];
	bool failure_announced;     /* xvmonSourceFailed sent for this failure */
	uint32_t last_change_ticks; /* vmTableLastChange */
	struct xva_vm_index *index; /* owned */
	unsigned generation;        /* bumped at every change the tables show */
};

/* What one refresh changed in host mode. */
struct xva_host_changes {
	struct xva_vm_event *events; /* VM state changes, by vmIndex */
	struct xva_view *old_view;   /* the view replaced, which deleted VMs point into */
	size_t n_events;
	bool source_failed;          /* send xvmonSourceFailed */
	bool source_recovered;       /* send xvmonSourceRecovered */
	bool index_full;             /* some VM got no vmIndex (log it) */
};

/* `uri` is the source; `index` the map (owned from now on). */
void xva_host_model_init(struct xva_host_model *m, const char *uri, struct xva_vm_index *index);
void xva_host_model_release(struct xva_host_model *m);

/* Installs one poll result taken at monotonic `now_ms`, wall clock
 * `wall_now` (for the index map).  On success the snapshot becomes the view
 * (r->snap is moved out); on failure the old view stays, marked stale.
 * `changes` says what to announce (release with xva_host_changes_release). */
void xva_host_model_install(struct xva_host_model *m, struct xv_poll_result *r,
			    uint64_t now_ms, time_t wall_now, struct xva_host_changes *changes);
void xva_host_changes_release(struct xva_host_changes *c);

/* vmHvUpTime now: the snapshot's hypervisor uptime plus its age. */
uint32_t xva_host_uptime_ticks(const struct xva_host_model *m, uint64_t now_ms);

/* "snmp://host:port" from "snmp://community@host:port?opts" and the like:
 * what may be published of a URI (no user, community or options). */
char *xva_public_uri(const char *uri);

/* --- pool mode ------------------------------------------------------------ */

enum xva_alarm { XVA_ALARM_UNKNOWN, XVA_ALARM_CLEAR, XVA_ALARM_RAISED };

struct xva_pool_host {
	bool polled;
	enum xv_host_outcome outcome;
	char error[XVA_ERROR_MAX + 1];
	bool answered;               /* ever: the figures below are its last answer */
	uint64_t free_kib, total_kib;
	size_t domains;
	uint64_t answered_ms;
	enum xva_alarm down;         /* xvmonPoolHostFailed sent and not yet recovered */
};

struct xva_pool_figures {
	bool polled;
	enum xv_pool_verdict verdict;
	size_t vms_expected, vms_up, hosts_expected, hosts_up;
	struct xv_permille vm_ratio, server_ratio, availability;
	uint64_t polled_ms;
	enum xva_alarm low;          /* below the threshold */
};

struct xva_pool_model {
	const struct xv_inventory *inv; /* borrowed */
	char **pool_name, **host_name;  /* the inventory's names as published */
	struct xva_pool_host *hosts;    /* parallel to inv->hosts */
	struct xva_pool_figures *pools; /* parallel to inv->pools */
	unsigned threshold;             /* permille */
	unsigned generation;
};

enum xva_pool_note {
	XVA_POOL_HOST_FAILED = 3,
	XVA_POOL_HOST_RECOVERED = 4,
	XVA_POOL_LOW = 5,
	XVA_POOL_NORMAL = 6,
};

struct xva_pool_event {
	enum xva_pool_note note; /* the xvmonNotifications number */
	size_t which;            /* inventory host or pool index, from 0 */
};

void xva_pool_model_init(struct xva_pool_model *m, const struct xv_inventory *inv,
			 unsigned threshold_permille);
void xva_pool_model_release(struct xva_pool_model *m);

/* Installs the results of xv_pools_poll() over every pool of the inventory
 * in order (one per host of pools[0], then pools[1], ...).  Returns the
 * events (free()) and their number in *n. */
struct xva_pool_event *xva_pool_model_install(struct xva_pool_model *m,
					      const struct xv_poll_result *r, size_t n_results,
					      uint64_t now_ms, size_t *n);

#endif
