/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_agent_model.c: the agent's model (what it serves, stale data, what each
 * refresh changed) and its collector (the child that polls). */
#include "harness.h"
#include "clock.h"
#include "collector.h"
#include "agent_model.h"
#include "pool.h"
#include "scenario.h"
#include "util.h"

#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

static struct xv_poll_result ok_result(const char *path)
{
	struct xv_poll_result r = { 0 };
	struct xv_error e;

	if (xv_scenario_load(path, &r.snap, NULL, &e))
		printf("# %s\n", e.msg);
	return r;
}

static struct xv_poll_result failed_result(enum xv_error_code code, const char *msg)
{
	struct xv_poll_result r = { 0 };

	xv_snapshot_init(&r.snap);
	xv_error(&r.error, code, "%s", msg);
	return r;
}

DEF_TEST(public_uri)
{
	char *s;

	EXPECT_EQ_STR("snmp://h1:1161", s = xva_public_uri("snmp://secret@h1:1161?auth=SHA"));
	free(s);
	EXPECT_EQ_STR("snmp://[::1]:161", s = xva_public_uri("snmp://c@[::1]:161"));
	free(s);
	EXPECT_EQ_STR("sim:tests/data/healthy.sim", s = xva_public_uri("sim:tests/data/healthy.sim"));
	free(s);
	EXPECT_EQ_STR("xen:", s = xva_public_uri("xen:"));
	free(s);
	return 0;
}

DEF_TEST(stale_then_recovered)
{
	struct xva_host_model m;
	struct xva_host_changes ch;
	struct xv_poll_result r;

	xva_host_model_init(&m, "sim:x", xva_vm_index_new(NULL, 86400));
	EXPECT_EQ_INT(XVA_SOURCE_NONE, m.status);

	/* a failure before any snapshot: none, announced once */
	r = failed_result(XV_E_HOST, "cannot open 'x'\nsecond line");
	xva_host_model_install(&m, &r, 1000, 100, &ch);
	EXPECT_EQ_INT(XVA_SOURCE_NONE, m.status);
	EXPECT_TRUE(ch.source_failed);
	EXPECT_EQ_STR("cannot open 'x' second line", m.error); /* one line */
	xva_host_changes_release(&ch);
	xv_poll_result_release(&r);

	r = ok_result("tests/data/healthy.sim");
	xva_host_model_install(&m, &r, 2000, 100, &ch);
	EXPECT_EQ_INT(XVA_SOURCE_OK, m.status);
	EXPECT_TRUE(ch.source_recovered);
	EXPECT_EQ_INT(0, ch.n_events); /* nothing to compare with yet */
	EXPECT_EQ_STR("", m.error);
	EXPECT_EQ_INT(6, m.view->n_order);
	/* vmTableLastChange: the hypervisor's uptime (720 h) when rows appeared */
	EXPECT_EQ_U64(720ULL * 3600 * 100, m.last_change_ticks);
	/* vmHvUpTime goes on from the snapshot's uptime */
	EXPECT_EQ_U64(720ULL * 3600 * 100 + 150, xva_host_uptime_ticks(&m, 3500));
	/* indexes in snapshot order on a first start, dom0 first */
	EXPECT_EQ_INT(1, m.view->index[0]);
	EXPECT_EQ_INT(6, m.view->index[5]);
	xva_host_changes_release(&ch);
	xv_poll_result_release(&r);

	/* failing again: the old view is served, stale */
	struct xva_view *held = xva_view_ref(m.view);
	r = failed_result(XV_E_TIMEOUT, "no answer within 10000 ms");
	xva_host_model_install(&m, &r, 3000, 100, &ch);
	EXPECT_EQ_INT(XVA_SOURCE_STALE, m.status);
	EXPECT_TRUE(m.view == held);
	EXPECT_TRUE(ch.source_failed);
	xva_host_changes_release(&ch);
	r = failed_result(XV_E_TIMEOUT, "no answer within 10000 ms");
	xva_host_model_install(&m, &r, 4000, 100, &ch);
	EXPECT_TRUE(!ch.source_failed); /* once per failure */
	xva_host_changes_release(&ch);

	/* back, with a guest paused and one gone */
	r = ok_result("tests/data/paused.sim");
	xva_host_model_install(&m, &r, 5000, 200, &ch);
	EXPECT_TRUE(ch.source_recovered);
	EXPECT_EQ_INT(XVA_SOURCE_OK, m.status);
	/* healthy's five guests deleted, paused's two new ones */
	size_t deleted = 0, running = 0, paused = 0;
	for (size_t i = 0; i < ch.n_events; i++) {
		deleted += ch.events[i].note == XVA_NOTE_DELETED;
		running += ch.events[i].note == XVA_NOTE_RUNNING;
		paused += ch.events[i].note == XVA_NOTE_PAUSED;
	}
	EXPECT_EQ_INT(5, deleted);
	EXPECT_EQ_INT(1, running);
	EXPECT_EQ_INT(1, paused);
	/* a deleted VM's event still reads its name: the old view is kept */
	EXPECT_EQ_STR("web1", ch.events[0].d->name);
	/* the table cache still holds the old view: it is alive */
	EXPECT_EQ_STR("web1", held->snap.domains[1].name);
	xva_host_changes_release(&ch);
	xva_view_unref(held);
	/* Domain-0 keeps its index: same (all-zero) UUID */
	EXPECT_EQ_INT(1, m.view->index[0]);
	EXPECT_EQ_INT(7, m.view->index[1]);
	xva_host_model_release(&m);
	return 0;
}

DEF_TEST(duplicate_uuids_and_names)
{
	struct xva_host_model m;
	struct xva_host_changes ch;
	struct xv_poll_result r = { 0 };
	struct xv_domain *d;

	xv_snapshot_init(&r.snap);
	r.snap.host.name = xv_strdup("h\x01\xff");
	for (int i = 0; i < 3; i++) {
		d = xv_snapshot_add_domain(&r.snap);
		d->id = (uint32_t)(10 + i);
		char name[8];
		snprintf(name, sizeof(name), "vm%d\n", i);
		xv_domain_name_set(&r.snap, d, name, strlen(name));
		strcpy(d->uuid, i < 2 ? "11111111-2222-3333-4444-555555555555" : "");
	}
	xva_host_model_init(&m, "sim:x", xva_vm_index_new(NULL, 86400));
	xva_host_model_install(&m, &r, 1, 1, &ch);
	/* three rows, three different indexes */
	EXPECT_EQ_INT(3, m.view->n_order);
	EXPECT_TRUE(m.view->index[0] != m.view->index[1]);
	EXPECT_TRUE(m.view->index[2] > 0);
	/* published strings are clean SnmpAdminStrings */
	EXPECT_EQ_STR("vm0 ", m.view->snap.domains[0].name);
	EXPECT_EQ_STR("h\xef\xbf\xbd\xef\xbf\xbd", m.view->snap.host.name);
	xva_host_changes_release(&ch);
	xva_host_model_release(&m);
	return 0;
}

/* Two pools: prod (xen-a up, xen-b down) expecting web1 and db1; empty. */
DEF_TEST(pool_events)
{
	static const char inventory[] =
		"[pool prod]\nvm = web1\nvm = db1\n"
		"[pool spare]\n"
		"[host xen-a]\npool = prod\nsource = sim:a.sim\n"
		"[host xen-b]\npool = prod\nsource = sim:b.sim\n";
	struct xv_inventory inv;
	struct xv_error e;
	struct xva_pool_model m;
	struct xv_poll_result r[2];
	struct xva_pool_event *ev;
	size_t n;

	if (xv_inventory_parse("inv.ini", "/tmp", inventory, sizeof(inventory) - 1, &inv, &e))
		FAIL_AT("%s", e.msg);
	xva_pool_model_init(&m, &inv, 900);

	r[0] = ok_result("tests/data/healthy.sim"); /* has web1 and db1 */
	r[1] = failed_result(XV_E_TIMEOUT, "no answer within 1000 ms");
	ev = xva_pool_model_install(&m, r, 2, 100, &n);
	/* a_vm 2/2, a_srv 1/2: 2 * 1 * 0.5 / 1.5 = 66.6% */
	EXPECT_EQ_INT(666, m.pools[0].availability.value);
	EXPECT_EQ_INT(500, m.pools[0].server_ratio.value);
	EXPECT_EQ_INT(1000, m.pools[0].vm_ratio.value);
	EXPECT_TRUE(!m.pools[1].availability.defined); /* nothing expected */
	EXPECT_EQ_INT(XV_POOL_EMPTY, m.pools[1].verdict);
	EXPECT_EQ_INT(2, n);
	EXPECT_EQ_INT(XVA_POOL_LOW, ev[0].note);
	EXPECT_EQ_INT(0, ev[0].which);
	EXPECT_EQ_INT(XVA_POOL_HOST_FAILED, ev[1].note);
	EXPECT_EQ_INT(1, ev[1].which);
	EXPECT_EQ_STR("no answer within 1000 ms", m.hosts[1].error);
	EXPECT_TRUE(m.hosts[0].answered);
	EXPECT_EQ_U64(8ULL << 20, m.hosts[0].free_kib);
	EXPECT_EQ_INT(6, m.hosts[0].domains);
	free(ev);
	xv_poll_result_release(&r[1]);

	/* the same again: nothing new to say */
	r[1] = failed_result(XV_E_HOST, "refused");
	ev = xva_pool_model_install(&m, r, 2, 200, &n);
	EXPECT_EQ_INT(0, n);
	free(ev);
	xv_poll_result_release(&r[1]);

	/* an unasked host (the agent's own failure) changes nothing */
	r[1] = failed_result(XV_E_LOCAL, "cannot fork");
	ev = xva_pool_model_install(&m, r, 2, 300, &n);
	EXPECT_EQ_INT(0, n);
	EXPECT_EQ_INT(XV_POOL_CHECKER_FAILED, m.pools[0].verdict);
	free(ev);
	xv_poll_result_release(&r[1]);

	/* back: recovered and normal */
	r[1] = ok_result("tests/data/paused.sim");
	ev = xva_pool_model_install(&m, r, 2, 400, &n);
	EXPECT_EQ_INT(2, n);
	EXPECT_EQ_INT(XVA_POOL_NORMAL, ev[0].note);
	EXPECT_EQ_INT(XVA_POOL_HOST_RECOVERED, ev[1].note);
	EXPECT_EQ_INT(1000, m.pools[0].availability.value);
	free(ev);
	xv_poll_result_release(&r[0]);
	xv_poll_result_release(&r[1]);
	xva_pool_model_release(&m);
	xv_inventory_release(&inv);
	return 0;
}

DEF_TEST(results_encoding)
{
	struct xv_poll_result r[2], back[2];
	struct xv_buf b = XV_BUF_INIT;

	r[0] = ok_result("tests/data/healthy.sim");
	r[0].elapsed_ms = 12;
	r[1] = failed_result(XV_E_TIMEOUT, "no answer within 5 ms");
	r[1].out_of_time = true;
	xva_results_encode(r, 2, &b);
	memset(back, 0, sizeof(back));
	EXPECT_EQ_INT(0, xva_results_decode(b.data, b.len, back, 2));
	EXPECT_EQ_INT(XV_E_NONE, back[0].error.code);
	EXPECT_EQ_INT(12, back[0].elapsed_ms);
	EXPECT_EQ_INT(6, back[0].snap.n_domains);
	EXPECT_EQ_INT(XV_E_TIMEOUT, back[1].error.code);
	EXPECT_TRUE(back[1].out_of_time);
	EXPECT_EQ_STR("no answer within 5 ms", back[1].error.msg);
	xv_poll_result_release(&back[0]);
	/* truncated or for another count: refused */
	for (size_t len = 0; len < b.len; len += 7) {
		struct xv_poll_result t[2];
		memset(t, 0, sizeof(t));
		EXPECT_EQ_INT(-1, xva_results_decode(b.data, len, t, 2));
		xv_poll_result_release(&t[0]);
	}
	struct xv_poll_result one[1] = { 0 };
	EXPECT_EQ_INT(-1, xva_results_decode(b.data, b.len, one, 1));
	xv_buf_release(&b);
	xv_poll_result_release(&r[0]);
	return 0;
}

/* The real thing: a child polls a sim: host and hands the snapshot over. */
DEF_TEST(collector_child)
{
	struct xva_collector c;
	struct xva_collect_what w = { .uri = "sim:tests/data/paused.sim", .timeout_ms = 5000 };
	struct xv_error e;
	struct xv_poll_result *r;
	size_t n;
	int fd;

	xva_collector_init(&c);
	fd = xva_collector_start(&c, &w, &e);
	EXPECT_TRUE(fd >= 0);
	EXPECT_TRUE(xva_collector_running(&c));
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		poll(&p, 1, 5000);
		if (xva_collector_read(&c))
			break;
	}
	r = xva_collector_finish(&c, false, &n);
	EXPECT_TRUE(!xva_collector_running(&c));
	EXPECT_EQ_INT(1, n);
	EXPECT_EQ_INT(XV_E_NONE, r[0].error.code);
	EXPECT_EQ_STR("xen05", r[0].snap.host.name);
	xv_poll_results_free(r, n);

	/* a source that hangs: killed at the deadline, reported as a timeout */
	w.uri = "sim:tests/data/pool/hang.sim";
	w.timeout_ms = 200;
	EXPECT_TRUE(xva_collector_start(&c, &w, &e) >= 0);
	uint64_t t0 = xv_monotonic_ms();
	xva_collector_kill(&c);
	EXPECT_TRUE(!xva_collector_running(&c));
	EXPECT_TRUE(xv_monotonic_ms() - t0 < 1000);
	EXPECT_TRUE(xva_collector_start(&c, &w, &e) >= 0);
	for (;;) {
		struct pollfd p = { c.fd, POLLIN, 0 };
		poll(&p, 1, 5000);
		if (xva_collector_read(&c))
			break;
	}
	r = xva_collector_finish(&c, false, &n);
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[0].error.code);
	EXPECT_EQ_STR("no answer within 200 ms", r[0].error.msg);
	xv_poll_results_free(r, n);
	return 0;
}

int main(void)
{
	RUN_TEST(public_uri);
	RUN_TEST(stale_then_recovered);
	RUN_TEST(duplicate_uuids_and_names);
	RUN_TEST(pool_events);
	RUN_TEST(results_encoding);
	RUN_TEST(collector_child);
	END_TEST;
}
