/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_poller.c: parallel snapshots in child processes, deadlines, and the
 * wire format between them. */
#include "harness.h"

#include <stddef.h>
#include "buf.h"
#include "poller.h"
#include "scenario.h"
#include "snapshot_wire.h"
#include "util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *dir;

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
	EXPECT_EQ_INT(XV_E_NONE, r[0].error.code);
	EXPECT_EQ_INT(XV_HOST_UP, xv_poll_outcome(&r[0]));
	EXPECT_EQ_STR("xen-a", r[0].snap.host.name);
	EXPECT_EQ_INT(4, r[0].snap.n_domains);
	EXPECT_EQ_STR("web1", r[0].snap.domains[1].name);
	/* a sim: file plays the host: its failure is the host's */
	EXPECT_EQ_INT(XV_E_HOST, r[1].error.code);
	EXPECT_EQ_INT(XV_HOST_DOWN, xv_poll_outcome(&r[1]));
	EXPECT_EQ_STR("cannot open 'tests/data/pool/nope.sim': No such file or directory",
		      r[1].error.msg);
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[2].error.code);
	EXPECT_EQ_INT(XV_HOST_DOWN, xv_poll_outcome(&r[2]));
	EXPECT_EQ_STR("no answer within 300 ms", r[2].error.msg);
	EXPECT_TRUE(r[2].elapsed_ms >= 300);
	/* a URI that can never work is the checker's configuration, not an outage */
	EXPECT_EQ_INT(XV_E_CONFIG, r[3].error.code);
	EXPECT_EQ_INT(XV_HOST_UNASKED, xv_poll_outcome(&r[3]));
	EXPECT_CONTAINS("unknown source scheme in 'nosuch:x'", r[3].error.msg);
	EXPECT_EQ_INT(XV_E_NONE, r[4].error.code);
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
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[0].error.code);
	EXPECT_TRUE(r[0].out_of_time);
	EXPECT_EQ_INT(XV_HOST_UNASKED, xv_poll_outcome(&r[0]));
	EXPECT_CONTAINS("when the check ran out of time", r[0].error.msg);
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[1].error.code);
	EXPECT_TRUE(r[1].out_of_time);
	EXPECT_EQ_STR("not asked: the check ran out of time", r[1].error.msg);
	EXPECT_EQ_INT(XV_HOST_UNASKED, xv_poll_outcome(&r[2]));
	EXPECT_TRUE(no_children_left());
	for (int i = 0; i < 3; i++)
		xv_poll_result_release(&r[i]);
	return 0;
}

/* A deadline already past when a host starts: the time left never wraps
 * (it once read "no answer within 4294967290 ms"). */
DEF_TEST(deadline_in_the_past)
{
	struct xv_poll_target t[] = { { "h", "sim:tests/data/pool/hang.sim", 0 } };
	struct xv_poll_result r[1];
	struct xv_poll_options opt = { .deadline_ms = xv_monotonic_ms() - 5 };

	xv_poll(t, 1, &opt, r);
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[0].error.code);
	EXPECT_TRUE(r[0].out_of_time);
	EXPECT_EQ_STR("not asked: the check ran out of time", r[0].error.msg);
	xv_poll_result_release(&r[0]);
	return 0;
}

/* Out of descriptors on the checking machine: the hosts were not asked,
 * which is a local failure, never a host outage. */
DEF_TEST(local_failure_is_not_an_outage)
{
	struct xv_poll_target t[] = { { "a", "sim:tests/data/pool/xen-a.sim", 0 } };
	struct xv_poll_result r[1];
	int fds[2];

	/* use up every descriptor the (lowered) limit allows */
	struct rlimit rl = { 16, 16 }, old;
	getrlimit(RLIMIT_NOFILE, &old);
	EXPECT_EQ_INT(0, setrlimit(RLIMIT_NOFILE, &rl));
	while (pipe(fds) == 0)
		;
	xv_poll(t, 1, NULL, r);
	for (int fd = 3; fd < 16; fd++)
		close(fd);
	setrlimit(RLIMIT_NOFILE, &old); /* fails for the hard limit unless root: fine */
	EXPECT_EQ_INT(XV_E_LOCAL, r[0].error.code);
	EXPECT_EQ_INT(XV_HOST_UNASKED, xv_poll_outcome(&r[0]));
	EXPECT_CONTAINS("cannot start a poller", r[0].error.msg);
	xv_poll_result_release(&r[0]);
	return 0;
}

#if XV_HAVE_CURL
/* A TCP port on loopback: listening and never answering (connections
 * complete in the kernel's backlog), or, with `listening` false, closed. */
static int loopback_port(bool listening, int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int port;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_STREAM, 0);
	if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(*fd, (struct sockaddr *)&a, &len) || (listening && listen(*fd, 64)))
		return -1;
	port = ntohs(a.sin_port);
	if (!listening) {
		close(*fd);
		*fd = -1;
	}
	return port;
}

/* Network hosts shared out among threads keep every promise of one loop:
 * each result in its place, each deadline its own, the hosts that cost a
 * process still asked beside them. */
DEF_TEST(threads_share_out_network_hosts)
{
	enum { N = 24 };
	int silent_fd, closed_fd, silent = loopback_port(true, &silent_fd),
				  closed = loopback_port(false, &closed_fd);
	struct xv_poll_target t[N];
	struct xv_poll_result r[N];
	char *uris[N];
	struct xv_poll_options opt = { .timeout_ms = 300, .threads = 3 };
	uint64_t began = xv_monotonic_ms();
	char refused[64];

	EXPECT_TRUE(silent > 0 && closed > 0);
	snprintf(refused, sizeof(refused), "Failed to connect to 127.0.0.1 port %d", closed);
	setenv("T_POLLER_PASSWORD", "pw", 1);
	for (int i = 0; i < N; i++) {
		switch (i % 4) {
		case 0:
			uris[i] = xv_asprintf("xapi://127.0.0.1:%d?tls=no&password_env="
					      "T_POLLER_PASSWORD", silent);
			break;
		case 1:
			uris[i] = xv_asprintf("xapi://127.0.0.1:%d?tls=no&password_env="
					      "T_POLLER_PASSWORD", closed);
			break;
		case 2:
			uris[i] = xv_strdup("sim:tests/data/pool/xen-a.sim");
			break;
		default:
			uris[i] = xv_strdup("sim:tests/data/pool/hang.sim");
		}
		t[i] = (struct xv_poll_target){ uris[i], uris[i], 0 };
	}
	xv_poll(t, N, &opt, r);
	for (int i = 0; i < N; i++) {
		switch (i % 4) {
		case 0:
			EXPECT_EQ_INT(XV_E_TIMEOUT, r[i].error.code);
			EXPECT_EQ_STR("no answer within 300 ms", r[i].error.msg);
			EXPECT_TRUE(r[i].elapsed_ms >= 300);
			break;
		case 1:
			EXPECT_EQ_INT(XV_E_HOST, r[i].error.code);
			EXPECT_CONTAINS(refused, r[i].error.msg);
			break;
		case 2:
			EXPECT_EQ_INT(XV_E_NONE, r[i].error.code);
			EXPECT_EQ_STR("xen-a", r[i].snap.host.name);
			break;
		default:
			EXPECT_EQ_INT(XV_E_TIMEOUT, r[i].error.code);
			EXPECT_EQ_STR("no answer within 300 ms", r[i].error.msg);
		}
		EXPECT_TRUE(!r[i].out_of_time);
		xv_poll_result_release(&r[i]);
		free(uris[i]);
	}
	/* all at once, not one shard after the other: well under 6 x 300 ms */
	EXPECT_TRUE(xv_monotonic_ms() - began < 1500);
	EXPECT_TRUE(no_children_left());
	close(silent_fd);
	return 0;
}
#endif

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
	EXPECT_EQ_INT(XV_E_NONE, r.error.code);
	EXPECT_EQ_INT(3001, r.snap.n_domains);
	EXPECT_EQ_STR("guest-with-a-long-name-3000", r.snap.domains[3000].name);
	xv_poll_result_release(&r);
	return 0;
}

DEF_TEST(wire_round_trip_and_garbage)
{
	struct xv_snapshot s, back;
	struct xv_buf b = XV_BUF_INIT;
	struct xv_error err;

	EXPECT_EQ_INT(0, xv_scenario_load("tests/data/healthy.sim", &s, NULL, &err));
	s.time_ms = 1700000000123ULL;
	xv_domain_detail(&s.domains[2])->guest.report = XV_GUEST_REPORTED;
	xv_domain_detail(&s.domains[2])->guest.swap_used_kib = 12345;
	xv_domain_detail(&s.domains[2])->guest.total_kib = 4000000;
	xv_domain_detail(&s.domains[2])->guest.free_kib = 1000;
	xv_domain_detail(&s.domains[2])->guest.available_kib = 2000;
	xv_domain_detail(&s.domains[2])->guest.cached_kib = 3000;
	xv_domain_detail(&s.domains[2])->guest.committed_kib = 5000000;
	xv_domain_detail(&s.domains[2])->guest.swap_total_kib = 20000;
	xv_domain_detail(&s.domains[2])->guest.swap_in_kib = 77;
	xv_domain_detail(&s.domains[2])->guest.swap_out_kib = 78;
	s.domains[3].cpu_wait_ns = 999;
	xv_domain_detail(&s.domains[3])->io = (struct xv_domain_io){ 1, 2, 3, 4, 5, 6, 7, 8 };
	if (!s.host.pool_master)
		s.host.pool_master = xv_strdup("xen00");
	xv_snapshot_encode(&s, &b);
	EXPECT_EQ_INT(0, xv_snapshot_decode(b.data, b.len, &back));
	EXPECT_EQ_STR(s.host.name, back.host.name);
	EXPECT_EQ_STR(s.host.xen_version, back.host.xen_version);
	EXPECT_EQ_STR(s.host.pool_master, back.host.pool_master);
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
		EXPECT_EQ_U64(xv_domain_guest(&s.domains[i])->swap_used_kib, xv_domain_guest(&back.domains[i])->swap_used_kib);
		EXPECT_EQ_U64(s.domains[i].cpu_wait_ns, back.domains[i].cpu_wait_ns);
		const struct xv_guest_memory *g = xv_domain_guest(&s.domains[i]),
					     *gb = xv_domain_guest(&back.domains[i]);
		/* every figure after the report kind (no padding among them) */
		EXPECT_EQ_INT(g->report, gb->report);
		EXPECT_TRUE(!memcmp(&g->total_kib, &gb->total_kib,
				    sizeof(*g) - offsetof(struct xv_guest_memory, total_kib)));
		EXPECT_TRUE(!memcmp(xv_domain_io(&s.domains[i]), xv_domain_io(&back.domains[i]),
				    sizeof(struct xv_domain_io)));
		/* a domain of which nothing is known stays without a detail */
		EXPECT_EQ_INT(s.domains[i].detail != NULL, back.domains[i].detail != NULL);
		EXPECT_EQ_U64(s.domains[i].uptime_ms, back.domains[i].uptime_ms);
		EXPECT_EQ_INT(s.domains[i].vcpu_ns != NULL, back.domains[i].vcpu_ns != NULL);
		for (unsigned k = 0; s.domains[i].vcpu_ns && k < s.domains[i].vcpus; k++)
			EXPECT_EQ_U64(s.domains[i].vcpu_ns[k], back.domains[i].vcpu_ns[k]);
	}
	EXPECT_EQ_U64(s.host.uptime_ms, back.host.uptime_ms);
	EXPECT_EQ_U64(s.time_ms, back.time_ms);
	EXPECT_EQ_INT(0, xv_snapshot_check(&back, &err));
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
	dir = harness_temp_dir();
	RUN_TEST(ok_failed_and_hung);
	RUN_TEST(overall_deadline);
#if XV_HAVE_CURL
	RUN_TEST(threads_share_out_network_hosts);
#endif
	RUN_TEST(deadline_in_the_past);
	RUN_TEST(large_snapshot);
	RUN_TEST(wire_round_trip_and_garbage);
	/* last: it lowers the descriptor limit for good when not root */
	RUN_TEST(local_failure_is_not_an_outage);
	END_TEST;
}
