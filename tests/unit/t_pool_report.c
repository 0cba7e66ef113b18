/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_availability.c: ratios, harmonic mean and every edge case in
 * availability.h, on hand-made polls. */
#include "harness.h"
#include "pool_problems.h"
#include "scenario.h"
#include "util.h"

#include <stdlib.h>

static struct xv_inventory inv;
static struct xv_poll_result res[8];
static struct xv_pool_report rep;

/* A host answering with guests "name:state name:state ..." (4 GiB each). */
static void answer(size_t i, const char *guests)
{
	char text[4096];
	struct xv_error err;
	char *copy = xv_strdup(guests), *save = NULL;
	int id = 1, n;

	n = snprintf(text, sizeof(text), "[host]\nname = h%zu\ntotal_memory = 256G\nfree_memory = 1G\n"
		     "cpus = 1\ndom0_memory = 1G\n", i);
	for (char *g = strtok_r(copy, " ", &save); g; g = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(g, ':');
		*colon = '\0';
		n += snprintf(text + n, sizeof(text) - (size_t)n,
			      "[domain %s]\nid = %d\nstate = %s\nmemory = 4G\n", g, id++, colon + 1);
	}
	free(copy);
	memset(&res[i], 0, sizeof(res[i]));
	if (xv_scenario_parse("t.sim", text, strlen(text), &res[i].snap, NULL, &err))
		printf("# %s\n", err.msg);
}

static void silent(size_t i)
{
	memset(&res[i], 0, sizeof(res[i]));
	xv_snapshot_init(&res[i].snap);
	xv_error(&res[i].error, XV_E_TIMEOUT, "no answer within 1000 ms");
}

static int setup(const char *inventory)
{
	struct xv_error err;

	if (xv_inventory_parse("inv.ini", NULL, inventory, strlen(inventory), &inv, &err)) {
		printf("# %s\n", err.msg);
		return -1;
	}
	return 0;
}

static void evaluate(void)
{
	xv_pool_report_build(&inv.pools[0], res, &rep);
}

static void teardown(void)
{
	xv_pool_report_release(&rep);
	for (size_t i = 0; i < inv.pools[0].n_hosts; i++)
		xv_poll_result_release(&res[i]);
	xv_inventory_release(&inv);
}

#define HOSTS2 "[host a]\npool = p\nsource = xen:\n[host b]\npool = p\nsource = xen:\n"

DEF_TEST(harmonic_mean)
{
	EXPECT_EQ_INT(1000, xv_permille_hmean(1, 1, 1, 1));
	EXPECT_EQ_INT(666, xv_permille_hmean(1, 2, 1, 1)); /* 2/3, not 0.75 */
	EXPECT_EQ_INT(0, xv_permille_hmean(0, 1, 1, 1));
	/* 1/1 VMs and 3/5 hosts: exactly 75.0 (floating point gave 74.9) */
	EXPECT_EQ_INT(750, xv_permille_hmean(1, 1, 3, 5));
	/* the largest counts do not overflow */
	EXPECT_EQ_INT(999, xv_permille_hmean((1u << 24) - 1, 1u << 24, 1u << 24, 1u << 24));
	EXPECT_EQ_INT(666, xv_permille_ratio(2, 3));
	EXPECT_EQ_INT(1000, xv_permille_ratio(1u << 24, 1u << 24));
	return 0;
}

DEF_TEST(all_up)
{
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\nvm = v2\nvm = v3\n" HOSTS2));
	answer(0, "v1:running v2:blocked");
	answer(1, "v3:running,blocked");
	evaluate();
	EXPECT_EQ_INT(3, rep.vms_up);
	EXPECT_EQ_INT(2, rep.hosts_up);
	EXPECT_EQ_INT(1000, rep.availability.value);
	EXPECT_EQ_INT(XV_POOL_MEASURED, rep.verdict);
	EXPECT_EQ_INT(0, rep.n_missing + rep.n_not_up + rep.n_duplicates + rep.n_unexpected);
	EXPECT_EQ_INT(3, rep.n_seen); /* dom0 is not one of the pool's VMs */
	teardown();
	return 0;
}

DEF_TEST(half_the_vms_down)
{
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\nvm = v2\nvm = v3\nvm = v4\n" HOSTS2));
	answer(0, "v1:running v2:paused");
	answer(1, "v3:crashed");
	evaluate();
	EXPECT_EQ_INT(1, rep.vms_up);
	EXPECT_EQ_INT(250, rep.vm_ratio.value);
	EXPECT_EQ_INT(1000, rep.server_ratio.value);
	EXPECT_EQ_INT(400, rep.availability.value); /* 2 * .25 * 1 / 1.25 */
	EXPECT_EQ_INT(2, rep.n_not_up);
	EXPECT_EQ_STR("v2", rep.not_up[0].vm);
	EXPECT_EQ_INT(XV_STATE_PAUSED, rep.not_up[0].state);
	EXPECT_EQ_STR("v3", rep.not_up[1].vm);
	EXPECT_EQ_INT(XV_STATE_CRASHED, rep.not_up[1].state);
	EXPECT_EQ_INT(1, rep.n_missing);
	EXPECT_EQ_STR("v4", rep.missing[0]);
	teardown();
	return 0;
}

DEF_TEST(unreachable_host)
{
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\nvm = v2\n" HOSTS2));
	answer(0, "v1:running");
	silent(1); /* v2 may be there: unknown, counted down, reported missing */
	evaluate();
	EXPECT_EQ_INT(1, rep.hosts_down);
	EXPECT_EQ_INT(500, rep.server_ratio.value);
	EXPECT_EQ_INT(500, rep.vm_ratio.value);
	EXPECT_EQ_INT(500, rep.availability.value);
	EXPECT_EQ_INT(1, rep.n_missing);
	EXPECT_EQ_INT(XV_POOL_MEASURED, rep.verdict);
	struct xv_pool_problems pr;
	xv_pool_problems_build(&inv, &inv.pools[0], res, &rep, &pr);
	EXPECT_EQ_INT(2, pr.n);
	EXPECT_EQ_INT(XV_PROBLEM_HOST_DOWN, pr.items[0].kind);
	EXPECT_EQ_STR("b", pr.items[0].name);
	EXPECT_EQ_STR("no answer within 1000 ms", pr.items[0].detail);
	EXPECT_EQ_INT(XV_PROBLEM_MISSING, pr.items[1].kind);
	EXPECT_EQ_STR("v2", pr.items[1].name);
	EXPECT_EQ_STR("seen on no host that answered (it may run on one that did not)",
		      pr.items[1].detail);
	xv_pool_problems_release(&pr);
	teardown();
	return 0;
}

DEF_TEST(split_brain_counts_once)
{
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\nvm = v2\n" HOSTS2));
	answer(0, "v1:running v2:blocked");
	answer(1, "v1:blocked");
	evaluate();
	EXPECT_EQ_INT(2, rep.vms_up); /* not 3 */
	EXPECT_EQ_INT(1000, rep.availability.value);
	EXPECT_EQ_INT(1, rep.n_duplicates);
	EXPECT_EQ_STR("v1", rep.duplicates[0].vm);
	EXPECT_EQ_INT(2, rep.duplicates[0].n);
	EXPECT_EQ_INT(0, rep.seen[rep.duplicates[0].first].host);
	EXPECT_EQ_INT(1, rep.seen[rep.duplicates[0].first + 1].host);
	teardown();
	/* up on one host, crashed on the other: up, and still a duplicate */
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\n" HOSTS2));
	answer(0, "v1:crashed");
	answer(1, "v1:running");
	evaluate();
	EXPECT_EQ_INT(1, rep.vms_up);
	EXPECT_EQ_INT(1, rep.n_duplicates);
	EXPECT_EQ_INT(0, rep.n_not_up);
	teardown();
	return 0;
}

DEF_TEST(unexpected_vms)
{
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\n" HOSTS2));
	answer(0, "v1:running rogue:running stopped:shutdown");
	answer(1, "aaa:blocked");
	evaluate();
	EXPECT_EQ_INT(1000, rep.availability.value);
	EXPECT_EQ_INT(2, rep.n_unexpected); /* a shut-down stranger is not reported */
	EXPECT_EQ_STR("aaa", rep.unexpected[0].vm);
	EXPECT_EQ_INT(1, rep.unexpected[0].host);
	EXPECT_EQ_STR("rogue", rep.unexpected[1].vm);
	teardown();
	return 0;
}

DEF_TEST(edge_cases)
{
	/* no expected VMs: availability is the server ratio */
	EXPECT_EQ_INT(0, setup("[pool p]\n" HOSTS2));
	answer(0, "x:running");
	silent(1);
	evaluate();
	EXPECT_TRUE(!rep.vm_ratio.defined && rep.server_ratio.defined && rep.availability.defined);
	EXPECT_EQ_INT(500, rep.availability.value);
	teardown();

	/* VMs but no hosts: a_vm = 0, and that is the availability */
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\n"));
	evaluate();
	EXPECT_TRUE(rep.vm_ratio.defined && !rep.server_ratio.defined && rep.availability.defined);
	EXPECT_EQ_INT(0, rep.availability.value);
	EXPECT_EQ_INT(1, rep.n_missing);
	teardown();

	/* nothing expected: undefined */
	EXPECT_EQ_INT(0, setup("[pool p]\n"));
	evaluate();
	EXPECT_TRUE(!rep.availability.defined);
	EXPECT_EQ_INT(XV_POOL_EMPTY, rep.verdict);
	teardown();

	/* both ratios zero: 0, not a division by zero */
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\n" HOSTS2));
	silent(0);
	silent(1);
	evaluate();
	EXPECT_TRUE(rep.availability.defined);
	EXPECT_EQ_INT(0, rep.vm_ratio.value);
	EXPECT_EQ_INT(0, rep.server_ratio.value);
	EXPECT_EQ_INT(0, rep.availability.value);
	EXPECT_EQ_INT(XV_POOL_NO_ANSWER, rep.verdict);
	teardown();
	return 0;
}

/* Hosts the checker could not ask are not down: the poll is not a
 * measurement, and says why. */
DEF_TEST(unasked_hosts)
{
	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\n" HOSTS2));
	answer(0, "v1:running");
	silent(1);
	xv_error(&res[1].error, XV_E_LOCAL, "cannot fork: Resource temporarily unavailable");
	evaluate();
	EXPECT_EQ_INT(XV_POOL_CHECKER_FAILED, rep.verdict);
	EXPECT_EQ_INT(0, rep.hosts_down);
	EXPECT_EQ_INT(1, rep.hosts_unasked);
	EXPECT_EQ_INT(1, rep.first_unasked);
	teardown();

	EXPECT_EQ_INT(0, setup("[pool p]\nvm = v1\n" HOSTS2));
	answer(0, "v1:running");
	silent(1);
	res[1].out_of_time = true;
	evaluate();
	EXPECT_EQ_INT(XV_POOL_OUT_OF_TIME, rep.verdict);
	EXPECT_EQ_INT(1, rep.hosts_unasked);
	teardown();
	return 0;
}

int main(void)
{
	RUN_TEST(harmonic_mean);
	RUN_TEST(all_up);
	RUN_TEST(half_the_vms_down);
	RUN_TEST(unreachable_host);
	RUN_TEST(split_brain_counts_once);
	RUN_TEST(unexpected_vms);
	RUN_TEST(edge_cases);
	RUN_TEST(unasked_hosts);
	END_TEST;
}
