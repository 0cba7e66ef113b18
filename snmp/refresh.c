/* SPDX-License-Identifier: GPL-3.0-or-later */
/* refresh.c: the timer that takes snapshots and installs them.
 *
 * Every refresh interval (snmp_alarm, in the agent's own loop) a poll starts
 * in a child process (collector.h); its pipe is one more descriptor of the
 * loop (register_readfd).  When the results are in, the model is updated,
 * the table caches are marked expired, and what changed is announced.  A
 * poll still running at the next tick is left alone; one past its deadline
 * is killed.  A failing source is logged with growing gaps and served
 * stale: the agent never exits because of it. */
#include "agent.h"
#include "clock.h"
#include "pool.h"
#include "table.h"

#include <string.h>
#include <time.h>

static struct xva_agent *agent;
static unsigned refresh_alarm;
static struct xva_complaint source_complaint, index_complaint, start_complaint;

static struct timeval ms_to_tv(uint64_t ms)
{
	struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };
	return tv;
}

static void host_done(bool killed)
{
	struct xva_agent *a = agent;
	struct xva_host_changes ch;
	struct xv_error e;
	size_t n;
	struct xv_poll_result *r = xva_collector_finish(&a->host_poll, killed, &n);

	xva_host_model_install(&a->host, &r[0], xv_monotonic_ms(), time(NULL), &ch);
	if (r[0].error.code != XV_E_NONE)
		xva_complain(&source_complaint, a->cfg.refresh_ms, LOG_ERR,
			     "source '%s' failed (%s), serving the last snapshot: %s", a->host.uri,
			     xv_error_code_name(r[0].error.code), a->host.error);
	else
		xva_complain_clear(&source_complaint, LOG_NOTICE, "source '%s' answers again",
				   a->host.uri);
	if (ch.index_full)
		xva_log(LOG_ERR, "vmIndex: every index is taken; some VMs are not shown");
	if (xva_vm_index_save(a->host.index, &e))
		xva_complain(&index_complaint, 60000, LOG_ERR,
			     "vmIndex map: %s (indexes will not survive a restart)", e.msg);
	else
		xva_complain_clear(&index_complaint, LOG_NOTICE, "vmIndex map saved again");
	xva_tables_expire();
	if (ch.source_failed)
		xva_notify_source(a, true);
	if (ch.source_recovered)
		xva_notify_source(a, false);
	xva_notify_vm(a, &ch);
	xva_host_changes_release(&ch);
	xv_poll_results_free(r, n);
}

static void pool_done(bool killed)
{
	struct xva_agent *a = agent;
	size_t n, n_ev;
	struct xv_poll_result *r = xva_collector_finish(&a->pool_poll, killed, &n);
	struct xva_pool_event *ev = xva_pool_model_install(&a->pool, r, n, xv_monotonic_ms(), &n_ev);

	for (size_t i = 0; i < n_ev; i++) {
		if (ev[i].note == XVA_POOL_HOST_FAILED)
			xva_log(LOG_WARNING, "host '%s' is down: %s",
				a->pool.host_name[ev[i].which], a->pool.hosts[ev[i].which].error);
		else if (ev[i].note == XVA_POOL_HOST_RECOVERED)
			xva_log(LOG_NOTICE, "host '%s' answers again", a->pool.host_name[ev[i].which]);
	}
	xva_tables_expire();
	xva_notify_pool(a, ev, n_ev);
	free(ev);
	xv_poll_results_free(r, n);
}

static void on_readable(int fd, void *arg)
{
	bool host = arg == &agent->host_poll;
	struct xva_collector *c = arg;

	if (!xva_collector_read(c))
		return;
	unregister_readfd(fd);
	snmp_alarm_unregister(host ? agent->host_deadline_alarm : agent->pool_deadline_alarm);
	if (host)
		host_done(false);
	else
		pool_done(false);
}

static void on_deadline(unsigned reg, void *arg)
{
	bool host = arg == &agent->host_poll;
	struct xva_collector *c = arg;

	unregister_readfd(c->fd);
	if (host)
		host_done(true);
	else
		pool_done(true);
}

static void start_one(struct xva_collector *c, const struct xva_collect_what *what,
		      unsigned *deadline_alarm)
{
	struct xv_error e;
	int fd;

	if (xva_collector_running(c))
		return; /* the last one is still within its deadline */
	fd = xva_collector_start(c, what, &e);
	if (fd < 0) {
		xva_complain(&start_complaint, agent->cfg.refresh_ms, LOG_ERR, "cannot poll: %s",
			     e.msg);
		return;
	}
	xva_complain_clear(&start_complaint, LOG_NOTICE, "polling works again");
	register_readfd(fd, on_readable, c);
	*deadline_alarm = snmp_alarm_register_hr(ms_to_tv(c->deadline_ms - xv_monotonic_ms()), 0,
						 on_deadline, c);
}

static void refresh(unsigned reg, void *arg)
{
	struct xva_agent *a = agent;

	if (a->host_mode) {
		struct xva_collect_what w = { .uri = a->cfg.source,
					      .timeout_ms = (unsigned)a->cfg.timeout_ms };
		start_one(&a->host_poll, &w, &a->host_deadline_alarm);
	}
	if (a->pool_mode) {
		struct xva_collect_what w = { .inv = &a->inv, .timeout_ms = (unsigned)a->cfg.timeout_ms };
		start_one(&a->pool_poll, &w, &a->pool_deadline_alarm);
	}
}

int xva_refresh_start(struct xva_agent *a)
{
	agent = a;
	refresh(0, NULL);
	refresh_alarm = snmp_alarm_register_hr(ms_to_tv(a->cfg.refresh_ms), SA_REPEAT, refresh, NULL);
	if (!refresh_alarm) {
		xva_log(LOG_ERR, "cannot start the refresh timer");
		return -1;
	}
	return 0;
}

void xva_refresh_stop(struct xva_agent *a)
{
	snmp_alarm_unregister(refresh_alarm);
	if (xva_collector_running(&a->host_poll)) {
		unregister_readfd(a->host_poll.fd);
		snmp_alarm_unregister(a->host_deadline_alarm);
	}
	if (xva_collector_running(&a->pool_poll)) {
		unregister_readfd(a->pool_poll.fd);
		snmp_alarm_unregister(a->pool_deadline_alarm);
	}
	xva_collector_kill(&a->host_poll);
	xva_collector_kill(&a->pool_poll);
}
