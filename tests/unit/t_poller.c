/* t_poller.c: parallel snapshots in child processes, deadlines, and the
 * wire format between them. */
#include "harness.h"
#include "buf.h"
#include "poller.h"
#include "scenario.h"
#include "snapshot_wire.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static char dir[64];

static bool no_children_left(void)
{
	return waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD;
}

DEF_TEST(ok_failed_and_hung)
{
	struct xv_poll_target t[] = {
		{ "a", "sim:tests/data/pool/xen-a.sim", 0 },
		{ "missing", "sim:tests/data/pool/nope.sim", 0 },
		{ "hung", "sim:tests/data/pool/hang.sim", 300 },
		{ "bad", "nosuch:x", 0 },
		{ "b", "sim:tests/data/pool/xen-b.sim", 0 },
	};
	struct xv_poll_result r[5];
	struct xv_poll_options opt = { .timeout_ms = 5000 };

	xv_poll(t, 5, &opt, r);
	EXPECT_EQ_INT(XV_POLL_OK, r[0].status);
	EXPECT_EQ_STR("xen-a", r[0].snap.host.name);
	EXPECT_EQ_INT(4, r[0].snap.n_domains);
	EXPECT_EQ_STR("web1", r[0].snap.domains[1].name);
	EXPECT_EQ_INT(XV_POLL_FAILED, r[1].status);
	EXPECT_EQ_STR("cannot open 'tests/data/pool/nope.sim': No such file or directory", r[1].error);
	EXPECT_EQ_INT(XV_POLL_TIMEOUT, r[2].status);
	EXPECT_CONTAINS("no answer within", r[2].error);
	EXPECT_TRUE(r[2].elapsed_ms >= 300);
	EXPECT_EQ_INT(XV_POLL_FAILED, r[3].status);
	EXPECT_CONTAINS("unknown source scheme in 'nosuch:x'", r[3].error);
	EXPECT_EQ_INT(XV_POLL_OK, r[4].status);
	EXPECT_EQ_STR("xen-b", r[4].snap.host.name);
	EXPECT_TRUE(no_children_left()); /* the hung one was killed and reaped */
	for (int i = 0; i < 5; i++)
		xv_poll_result_release(&r[i]);
	return 0;
}

DEF_TEST(overall_deadline)
{
	struct xv_poll_target t[] = {
		{ "h1", "sim:tests/data/pool/hang.sim", 0 },
		{ "h2", "sim:tests/data/pool/hang.sim", 0 },
		{ "h3", "sim:tests/data/pool/hang.sim", 0 },
	};
	struct xv_poll_result r[3];
	/* one at a time, 10 s each, but the whole poll must end in 300 ms */
	struct xv_poll_options opt = { .max_parallel = 1, .timeout_ms = 10000,
				       .deadline_ms = xv_monotonic_ms() + 300 };

	xv_poll(t, 3, &opt, r);
	EXPECT_EQ_INT(XV_POLL_TIMEOUT, r[0].status);
	EXPECT_CONTAINS("(the check ran out of time)", r[0].error);
	EXPECT_EQ_INT(XV_POLL_TIMEOUT, r[1].status);
	EXPECT_EQ_STR("not polled: the check ran out of time", r[1].error);
	EXPECT_EQ_INT(XV_POLL_TIMEOUT, r[2].status);
	EXPECT_TRUE(no_children_left());
	for (int i = 0; i < 3; i++)
		xv_poll_result_release(&r[i]);
	return 0;
}

/* A snapshot far larger than a pipe's buffer comes through whole. */
DEF_TEST(large_snapshot)
{
	struct xv_buf text = XV_BUF_INIT;
	char path[128];
	FILE *f;

	xv_buf_adds(&text, "[host]\nname = big\ntotal_memory = 16T\nfree_memory = 1G\ncpus = 64\n"
		    "dom0_memory = 4G\n");
	for (int i = 1; i <= 3000; i++)
		xv_buf_addf(&text, "[domain guest-with-a-long-name-%04d]\nid = %d\nstate = blocked\n"
			    "memory = 1G\n", i, i);
	snprintf(path, sizeof(path), "%s/big.sim", dir);
	f = fopen(path, "w");
	fwrite(text.data, 1, text.len, f);
	fclose(f);
	xv_buf_release(&text);

	char uri[160];
	snprintf(uri, sizeof(uri), "sim:%s", path);
	struct xv_poll_target t = { "big", uri, 0 };
	struct xv_poll_result r;
	xv_poll(&t, 1, NULL, &r);
	EXPECT_EQ_INT(XV_POLL_OK, r.status);
	EXPECT_EQ_INT(3001, r.snap.n_domains);
	EXPECT_EQ_STR("guest-with-a-long-name-3000", r.snap.domains[3000].name);
	xv_poll_result_release(&r);
	return 0;
}

DEF_TEST(wire_round_trip_and_garbage)
{
	struct xv_snapshot s, back;
	struct xv_buf b = XV_BUF_INIT;
	char err[256];

	EXPECT_EQ_INT(0, xv_scenario_load("tests/data/healthy.sim", &s, NULL, err, sizeof(err)));
	s.domains[2].swap_used_kib = 12345;
	xv_snapshot_encode(&s, &b);
	EXPECT_EQ_INT(0, xv_snapshot_decode(b.data, b.len, &back));
	EXPECT_EQ_STR(s.host.name, back.host.name);
	EXPECT_EQ_STR(s.host.xen_version, back.host.xen_version);
	EXPECT_EQ_U64(s.host.total_kib, back.host.total_kib);
	EXPECT_EQ_U64(s.host.scrub_kib, back.host.scrub_kib);
	EXPECT_EQ_INT(s.n_domains, back.n_domains);
	for (size_t i = 0; i < s.n_domains; i++) {
		EXPECT_EQ_STR(s.domains[i].name, back.domains[i].name);
		EXPECT_EQ_STR(s.domains[i].uuid, back.domains[i].uuid);
		EXPECT_EQ_INT(s.domains[i].flags, back.domains[i].flags);
		EXPECT_EQ_U64(s.domains[i].target_kib, back.domains[i].target_kib);
		EXPECT_EQ_U64(s.domains[i].max_kib, back.domains[i].max_kib);
		EXPECT_EQ_U64(s.domains[i].cpu_ns, back.domains[i].cpu_ns);
		EXPECT_EQ_U64(s.domains[i].swap_used_kib, back.domains[i].swap_used_kib);
	}
	xv_snapshot_release(&back);
	/* every truncation, and a flipped byte in the magic, is refused */
	for (size_t len = 0; len < b.len; len++) {
		if (xv_snapshot_decode(b.data, len, &back) != -1)
			FAIL_AT("accepted %zu of %zu bytes", len, b.len);
		EXPECT_EQ_INT(0, back.n_domains);
	}
	b.data[0] ^= 1;
	EXPECT_EQ_INT(-1, xv_snapshot_decode(b.data, b.len, &back));
	xv_buf_release(&b);
	xv_snapshot_release(&s);
	return 0;
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/xv-poller-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN_TEST(ok_failed_and_hung);
	RUN_TEST(overall_deadline);
	RUN_TEST(large_snapshot);
	RUN_TEST(wire_round_trip_and_garbage);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd)) {}
	END_TEST;
}
