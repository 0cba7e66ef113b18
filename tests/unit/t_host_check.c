/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_check.c: host and VM evaluation on scenario snapshots. */
#include "harness.h"
#include "host_check.h"
#include "vm_check.h"
#include "scenario.h"

#include <stdlib.h>

static struct xv_snapshot snap;

static int load(const char *text)
{
	struct xv_error err;

	if (xv_scenario_parse("t.sim", text, strlen(text), &snap, NULL, &err)) {
		printf("# %s\n", err.msg);
		return -1;
	}
	return 0;
}

static char *render(struct xv_check *c)
{
	struct xv_buf b = XV_BUF_INIT;

	xv_check_render(c, &b);
	xv_check_release(c);
	return xv_buf_detach(&b);
}

/* First line only: the status without long output. */
static const char *status(char *text)
{
	static char line[1024];
	char *nl = strchr(text, '\n');

	if (nl)
		*nl = '\0';
	snprintf(line, sizeof(line), "%s", text);
	free(text);
	return line;
}

/* The status line without its perfdata. */
static const char *before_perf(const char *line)
{
	char *bar = strstr(line, " | ");

	if (bar)
		*bar = '\0';
	return line;
}

static const char *host(const struct xv_host_check_config *cfg)
{
	struct xv_check c;

	xv_check_init(&c, "XEN HOST");
	xv_host_check_run(&snap, cfg, &c);
	return status(render(&c));
}

static const char *vm(const struct xv_vm_check_config *cfg)
{
	struct xv_check c;

	xv_check_init(&c, "XEN VM");
	xv_vm_check_run(&snap, cfg, &c);
	return status(render(&c));
}

#define HOST16 "[host]\nname = h\ntotal_memory = 16G\nfree_memory = 4G\ncpus = 4\ndom0_memory = 1G\n"

DEF_TEST(overcommit_ratio_uses_max_then_current)
{
	/* guests: 8G max (holding 4G) + 4G with unknown max (counts its 4G) */
	EXPECT_EQ_INT(0, load(HOST16 "[domain a]\nid = 1\nstate = running\nmemory = 4G\nmaxmem = 8G\n"
			      "[domain b]\nid = 2\nstate = blocked\nmemory = 4G\nmaxmem = unknown\n"));
	EXPECT_EQ_INT(750, xv_snapshot_overcommit_milli(&snap)); /* 12G / 16G, dom0 excluded */
	xv_snapshot_release(&snap);
	return 0;
}

DEF_TEST(host_thresholds)
{
	struct xv_host_check_config cfg;

	EXPECT_EQ_INT(0, load(HOST16 "[domain a]\nid = 1\nstate = running\nmemory = 4G\nmaxmem = 24G\n"));
	xv_host_check_defaults(&cfg);
	EXPECT_EQ_STR("XEN HOST OK - h: free 4 GiB of 16 GiB (25%), 2 domains (2 up), overcommit 1.5",
		      before_perf(host(&cfg)));
	xv_range_parse("1", XV_ALLOW_PLAIN, &cfg.overcommit.warning);
	cfg.overcommit.has_warning = true;
	EXPECT_EQ_STR("XEN HOST WARNING - h: overcommit 1.5 (!), free 4 GiB of 16 GiB (25%), "
		      "2 domains (2 up)", before_perf(host(&cfg)));
	/* free memory as an absolute size: at least 5G */
	xv_range_parse("5G:", XV_ALLOW_MEMORY, &cfg.free.critical);
	EXPECT_EQ_STR("XEN HOST CRITICAL - h: free 4 GiB of 16 GiB (25%) (!!), overcommit 1.5 (!), "
		      "2 domains (2 up)", before_perf(host(&cfg)));
	/* dom0 below 2G, domains at most 1 */
	xv_host_check_defaults(&cfg);
	xv_range_parse("2G:", XV_ALLOW_MEMORY, &cfg.dom0.warning);
	cfg.dom0.has_warning = true;
	xv_range_parse("1", XV_ALLOW_PLAIN, &cfg.domains.critical);
	cfg.domains.has_critical = true;
	EXPECT_EQ_STR("XEN HOST CRITICAL - h: 2 domains (2 up) (!!), dom0 1 GiB (!), free 4 GiB of "
		      "16 GiB (25%), overcommit 1.5", before_perf(host(&cfg)));
	xv_snapshot_release(&snap);
	return 0;
}

DEF_TEST(host_domain_states)
{
	struct xv_host_check_config cfg;

	EXPECT_EQ_INT(0, load(HOST16 "[domain a]\nid = 1\nstate = crashed\nmemory = 1G\n"
			      "[domain b]\nid = 2\nstate = paused\nmemory = 1G\n"
			      "[domain c]\nid = 3\nstate = paused\nmemory = 1G\n"
			      "[domain d]\nid = 4\nstate = paused\nmemory = 1G\n"
			      "[domain e]\nid = 5\nstate = paused\nmemory = 1G\n"));
	xv_host_check_defaults(&cfg);
	EXPECT_EQ_STR("XEN HOST CRITICAL - h: 1 crashed (a) (!!), 4 paused (b, c, d, ...), free 4 GiB "
		      "of 16 GiB (25%), 6 domains (1 up), overcommit 0.313",
		      before_perf(host(&cfg)));
	cfg.crashed_state = XV_WARNING;
	cfg.paused_state = XV_UNKNOWN;
	EXPECT_EQ_STR("XEN HOST UNKNOWN - h: 4 paused (b, c, d, ...) (?), 1 crashed (a) (!), free 4 GiB "
		      "of 16 GiB (25%), 6 domains (1 up), overcommit 0.313",
		      before_perf(host(&cfg)));
	xv_snapshot_release(&snap);
	return 0;
}

DEF_TEST(vm_states_and_overrides)
{
	struct xv_vm_check_config cfg;

	EXPECT_EQ_INT(0, load(HOST16 "[domain a]\nid = 1\nstate = blocked\nmemory = 1G\n"
			      "[domain b]\nid = 2\nstate = paused,blocked\nmemory = 1G\n"
			      "[domain c]\nid = 3\nstate = shutdown\nmemory = 1G\n"));
	xv_vm_check_defaults(&cfg);
	cfg.name = "a";
	EXPECT_EQ_STR("XEN VM OK - a (id 1) on h: blocked, 1 GiB of 1 GiB max, at target 1 GiB",
		      before_perf(vm(&cfg)));
	cfg.name = "b";
	EXPECT_EQ_STR("XEN VM WARNING - b (id 2) on h: paused (!), 1 GiB of 1 GiB max, at target 1 GiB",
		      before_perf(vm(&cfg)));
	cfg.state_for[XV_STATE_PAUSED] = XV_OK;
	EXPECT_EQ_STR("XEN VM OK - b (id 2) on h: paused, 1 GiB of 1 GiB max, at target 1 GiB",
		      before_perf(vm(&cfg)));
	cfg.name = "c";
	EXPECT_EQ_STR("XEN VM CRITICAL - c (id 3) on h: shutdown (!!), 1 GiB of 1 GiB max, at target 1 GiB",
		      before_perf(vm(&cfg)));
	cfg.name = "zz";
	EXPECT_EQ_STR("XEN VM CRITICAL - h: no domain named 'zz' (4 domains on the host)", vm(&cfg));
	cfg.missing_state = XV_WARNING;
	EXPECT_EQ_STR("XEN VM WARNING - h: no domain named 'zz' (4 domains on the host)", vm(&cfg));
	cfg.name = NULL;
	cfg.uuid = "00000000-0000-0000-0000-000000000000"; /* dom0 */
	EXPECT_EQ_STR("XEN VM OK - Domain-0 (id 0) on h: running, 1 GiB of 1 GiB max, at target 1 GiB",
		      before_perf(vm(&cfg)));
	xv_snapshot_release(&snap);
	return 0;
}

DEF_TEST(vm_memory_and_gap)
{
	struct xv_vm_check_config cfg;

	EXPECT_EQ_INT(0, load(HOST16 "[domain a]\nid = 1\nstate = running\nmemory = 3G\ntarget = 2G\n"
			      "maxmem = 4G\n[domain n]\nid = 2\nstate = running\nmemory = 1G\n"
			      "target = unknown\nmaxmem = 2G\n"));
	xv_vm_check_defaults(&cfg);
	cfg.name = "a";
	EXPECT_EQ_STR("XEN VM OK - a (id 1) on h: running, 3 GiB of 4 GiB max, target 2 GiB (1 GiB above) "
		      "| mem_current=3221225472B;;;0;4294967296 mem_target=2147483648B;;;0;4294967296 "
		      "mem_max=4294967296B;;;0 balloon_gap=1073741824B;;;0 vcpus=1;;;0 cpu_time=0c;;;0",
		      vm(&cfg));
	/* 75% of max: warn above 70% */
	xv_range_parse("70%", XV_ALLOW_MEMORY, &cfg.memory.warning);
	cfg.memory.has_warning = true;
	/* gap 1G = 50% of target: critical above 40% */
	xv_range_parse("40%", XV_ALLOW_MEMORY, &cfg.gap.critical);
	cfg.gap.has_critical = true;
	EXPECT_EQ_STR("XEN VM CRITICAL - a (id 1) on h: target 2 GiB (1 GiB above) (!!), 3 GiB of 4 GiB "
		      "max (!), running | mem_current=3221225472B;3006477107;;0;4294967296 "
		      "mem_target=2147483648B;;;0;4294967296 mem_max=4294967296B;;;0 "
		      "balloon_gap=1073741824B;;858993459;0 vcpus=1;;;0 cpu_time=0c;;;0", vm(&cfg));
	/* a gap threshold on a source without targets is UNKNOWN, not OK */
	cfg.name = "n";
	EXPECT_EQ_STR("XEN VM UNKNOWN - n (id 2) on h: balloon target unknown (the source does not "
		      "report it) (?), running, 1 GiB of 2 GiB max", before_perf(vm(&cfg)));
	xv_snapshot_release(&snap);
	return 0;
}

int main(void)
{
	RUN_TEST(overcommit_ratio_uses_max_then_current);
	RUN_TEST(host_thresholds);
	RUN_TEST(host_domain_states);
	RUN_TEST(vm_states_and_overrides);
	RUN_TEST(vm_memory_and_gap);
	END_TEST;
}
