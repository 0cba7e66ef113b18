/* SPDX-License-Identifier: GPL-3.0-or-later */
/* agent.h: the state xvmon-agentx's modules share.
 *
 * One agent process serves a host (host mode: the VM-MIB and the XVMON host
 * and VM objects, from one source), pools (pool mode: the XVMON pool
 * tables, from an inventory), or both.  Every module is registered from
 * main() with the agent; net-snmp calls them from its one event loop, never
 * from another thread. */
#ifndef XVA_AGENT_H
#define XVA_AGENT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "collector.h"
#include "inventory.h"
#include "agent_model.h"

#define XVA_PROG "xvmon-agentx"

/* Everything the options and the configuration file set (docs/xvmon-agentx.8). */
struct xva_config {
	char *source;             /* host mode: the source URI */
	char *inventory;          /* pool mode: the inventory */
	char *agentx_socket;      /* NULL: net-snmp's default */
	char *state_dir;          /* the vmIndex map; NULL: not kept */
	char *log;                /* "stderr", "syslog" or a file */
	uint64_t refresh_ms;
	uint64_t timeout_ms;
	uint64_t ping_interval_ms;
	uint64_t index_retention_s;
	unsigned availability_threshold; /* permille */
	bool per_vm_notifications, bulk_notifications, xvmon_notifications;
	bool foreground;
};

struct xva_agent {
	struct xva_config cfg;
	bool host_mode, pool_mode;
	struct xva_host_model host;
	struct xv_inventory inv;
	struct xva_pool_model pool;
	struct xva_collector host_poll, pool_poll;
	unsigned host_deadline_alarm, pool_deadline_alarm;
	/* the read-write switches (vm*NotificationsEnabled, xvmonNotificationsEnabled) */
	bool per_vm_notes, bulk_notes, xvmon_notes;
};

/* Logging through net-snmp's log (stderr, syslog or a file, -L). */
void xva_log(int priority, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xva_vlog(int priority, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* A complaint that repeats while a failure lasts is logged with growing
 * gaps (from `first_ms`, doubling up to a day), and once when it clears
 * (collectd's c_complain idea). */
struct xva_complaint {
	uint64_t next_ms;
	uint64_t interval_ms;
	bool active;
};
void xva_complain(struct xva_complaint *c, uint64_t first_ms, int priority, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void xva_complain_clear(struct xva_complaint *c, int priority, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The modules: each registers its objects (returns 0, or -1 logged). */
int xva_vm_hypervisor_init(struct xva_agent *a);
int xva_vm_table_init(struct xva_agent *a);
int xva_vm_cpu_table_init(struct xva_agent *a);
int xva_xvmon_scalars_init(struct xva_agent *a);
int xva_xvmon_vm_table_init(struct xva_agent *a);
int xva_xvmon_pool_table_init(struct xva_agent *a);
int xva_xvmon_pool_host_table_init(struct xva_agent *a);

/* refresh.c: the timer that polls and installs results. */
/* agentx_output.c: the AgentX socket never blocks a send (see there why);
 * attach before every agent_check_and_process(), it follows reconnections. */
void xva_agentx_output_attach(void);
void xva_agentx_output_release(void);

int xva_refresh_start(struct xva_agent *a);
void xva_refresh_stop(struct xva_agent *a);

/* notify.c */
void xva_notify_vm(struct xva_agent *a, const struct xva_host_changes *c);
void xva_notify_source(struct xva_agent *a, bool failed);
void xva_notify_pool(struct xva_agent *a, const struct xva_pool_event *ev, size_t n);

/* The OIDs every module shares. */
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#define XVA_VM_MIB 1, 3, 6, 1, 2, 1, 236
#define XVA_XVMON_MIB 1, 3, 6, 1, 4, 1, 8072, 9999, 9999, 786

#endif
