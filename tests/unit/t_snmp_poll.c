/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_snmp_poll.c: the one-process SNMP engine keeps the poller's promises:
 * per-host deadlines, the overall deadline (out_of_time, "not asked"),
 * error codes by whose fault it is, every result filled.  The peers are
 * UDP sockets that never answer; answering agents are the integration
 * tests' (t0540). */
#include "harness.h"
#include "clock.h"
#include "snmp_poll.h"
#include "util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

/* A UDP port on loopback that receives and never answers. */
static int silent_port(int *fd)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	*fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (*fd < 0 || bind(*fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(*fd, (struct sockaddr *)&a, &len))
		return -1;
	return ntohs(a.sin_port);
}

#if XV_HAVE_NETSNMP

DEF_TEST(deadlines_and_codes)
{
	int fd, port = silent_port(&fd);
	char *slow = xv_asprintf("snmp://127.0.0.1:%d?timeout=5s&retries=0", port);
	char *quick = xv_asprintf("snmp://127.0.0.1:%d?timeout=50ms&retries=1", port);
	struct xv_poll_target t[] = {
		{ "slow", slow, 200 },                        /* its own deadline first */
		{ "quick", quick, 5000 },                     /* net-snmp's retries first */
		{ "bad", "snmp://127.0.0.1?colour=red", 0 },  /* a URI that cannot work */
		{ "other", "sim:tests/data/healthy.sim", 0 }, /* not ours to read */
	};
	struct xv_poll_result r[4];
	uint64_t t0 = xv_monotonic_ms();

	EXPECT_TRUE(port > 0);
	xv_snmp_poll(t, 4, NULL, r);
	EXPECT_TRUE(xv_monotonic_ms() - t0 < 1500); /* in parallel, not in turn */
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[0].error.code);
	EXPECT_EQ_STR("no answer within 200 ms", r[0].error.msg);
	EXPECT_TRUE(!r[0].out_of_time);
	EXPECT_EQ_INT(XV_HOST_DOWN, xv_poll_outcome(&r[0]));
	EXPECT_TRUE(r[0].elapsed_ms >= 200);
	EXPECT_EQ_INT(XV_E_TIMEOUT, r[1].error.code);
	EXPECT_TRUE(strstr(r[1].error.msg, "(2 tries of 50 ms;") != NULL);
	EXPECT_EQ_INT(XV_E_CONFIG, r[2].error.code);
	EXPECT_EQ_INT(XV_HOST_UNASKED, xv_poll_outcome(&r[2]));
	EXPECT_EQ_INT(XV_E_SOFTWARE, r[3].error.code);
	for (int i = 0; i < 4; i++)
		xv_poll_result_release(&r[i]);
	free(slow);
	free(quick);
	close(fd);
	return 0;
}

DEF_TEST(overall_deadline)
{
	int fd, port = silent_port(&fd);
	char *uri = xv_asprintf("snmp://127.0.0.1:%d?timeout=5s&retries=0", port);
	enum { N = 300 };
	struct xv_poll_target *t = xv_calloc(N, sizeof(*t));
	struct xv_poll_result *r = xv_calloc(N, sizeof(*r));
	struct xv_poll_options opt = { .max_parallel = 100, .timeout_ms = 2000 };
	uint64_t t0 = xv_monotonic_ms();
	size_t cut = 0, unasked = 0;

	for (int i = 0; i < N; i++)
		t[i] = (struct xv_poll_target){ "h", uri, 0 };
	opt.deadline_ms = t0 + 300;
	xv_snmp_poll(t, N, &opt, r);
	EXPECT_TRUE(xv_monotonic_ms() - t0 < 1500);
	for (int i = 0; i < N; i++) {
		if (r[i].error.code != XV_E_TIMEOUT || !r[i].out_of_time)
			FAIL_AT("host %d: %s (out_of_time %d)", i, r[i].error.msg, r[i].out_of_time);
		cut += !strcmp(r[i].error.msg, "no answer within 300 ms, when the check ran out of time") ||
		       strstr(r[i].error.msg, "ms, when the check ran out of time") != NULL;
		unasked += !strcmp(r[i].error.msg, "not asked: the check ran out of time");
		EXPECT_EQ_INT(XV_HOST_UNASKED, xv_poll_outcome(&r[i]));
		xv_poll_result_release(&r[i]);
	}
	/* the first hundred were asked and cut short, the others never asked */
	EXPECT_EQ_INT(100, cut);
	EXPECT_EQ_INT(200, unasked);
	free(t);
	free(r);
	free(uri);
	close(fd);
	return 0;
}

#endif

int main(void)
{
#if XV_HAVE_NETSNMP
	RUN_TEST(deadlines_and_codes);
	RUN_TEST(overall_deadline);
#else
	printf("# SKIP built without net-snmp\n");
#endif
	END_TEST;
}
