/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_scenario.c: sim: scenario files, good and bad.  Runs from the top of
 * the source tree (tests/run-tests.sh cds there). */
#include "harness.h"
#include "util.h"
#include "scenario.h"

#include <stdlib.h>

#define HOST "[host]\nname = h1\ntotal_memory = 16G\nfree_memory = 4G\ncpus = 4\n"

static int parse(const char *text, struct xv_snapshot *s, char *err, size_t n)
{
	struct xv_error e;
	int rc = xv_scenario_parse("t.sim", text, strlen(text), s, NULL, &e);

	if (rc)
		xv_strlcpy(err, e.msg, n);
	return rc;
}

DEF_TEST(healthy_file_values)
{
	struct xv_snapshot s;
	const struct xv_domain *d;

	struct xv_error e;
	if (xv_scenario_load("tests/data/healthy.sim", &s, NULL, &e))
		FAIL_AT("%s", e.msg);
	EXPECT_EQ_STR("xen01", s.host.name);
	EXPECT_EQ_STR("4.17.3", s.host.xen_version);
	EXPECT_EQ_U64(32ULL << 20, s.host.total_kib);
	EXPECT_EQ_U64(8ULL << 20, s.host.free_kib);
	EXPECT_EQ_U64(2ULL << 20, s.host.dom0_kib);
	EXPECT_EQ_U64(0, s.host.scrub_kib);
	EXPECT_EQ_INT(8, s.host.cpus);
	EXPECT_EQ_INT(6, s.n_domains);
	EXPECT_EQ_INT(0, s.domains[0].id); /* dom0 first, as Xen lists it */
	EXPECT_EQ_STR("00000000-0000-0000-0000-000000000000", s.domains[0].uuid);
	d = xv_snapshot_find_name(&s, "cache1");
	EXPECT_TRUE(d != NULL);
	EXPECT_EQ_INT(4, d->id);
	EXPECT_EQ_INT(XV_DOM_BLOCKED, d->flags);
	EXPECT_EQ_U64(1572864, d->cur_kib);
	EXPECT_EQ_U64(1572864, d->target_kib);
	EXPECT_EQ_U64(2097152, d->max_kib);
	EXPECT_EQ_INT(1, d->vcpus);
	EXPECT_EQ_U64(310000000000ULL, d->cpu_ns);
	EXPECT_EQ_STR("4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a04", d->uuid);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, d->swap_used_kib);
	d = xv_snapshot_find_name(&s, "web1");
	EXPECT_EQ_U64(4194304, d->target_kib); /* target and maxmem default to memory */
	EXPECT_EQ_U64(4194304, d->max_kib);
	xv_snapshot_release(&s);
	return 0;
}

DEF_TEST(dom0_synthesized_and_defaults)
{
	struct xv_snapshot s;
	char err[512] = "";
	const char *text = HOST "dom0_memory = 1G\n[domain a]\nid = 7\nstate = paused, blocked\n"
			   "memory = 1G\ntarget = unknown\nmaxmem = 2G\n";

	if (parse(text, &s, err, sizeof(err)))
		FAIL_AT("%s", err);
	EXPECT_EQ_INT(2, s.n_domains);
	EXPECT_EQ_STR("Domain-0", s.domains[0].name);
	EXPECT_EQ_INT(XV_DOM_RUNNING, s.domains[0].flags);
	EXPECT_EQ_INT(4, s.domains[0].vcpus);
	EXPECT_EQ_U64(1048576, s.host.dom0_kib);
	EXPECT_EQ_INT(XV_DOM_PAUSED | XV_DOM_BLOCKED, s.domains[1].flags);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, s.domains[1].target_kib);
	EXPECT_EQ_INT(1, s.domains[1].vcpus);
	/* a stable uuid derived from the name */
	char first[37];
	strcpy(first, s.domains[1].uuid);
	EXPECT_TRUE(xv_uuid_normalize(first, first));
	EXPECT_EQ_INT('4', first[14]);
	xv_snapshot_release(&s);
	EXPECT_EQ_INT(0, parse(text, &s, err, sizeof(err)));
	EXPECT_EQ_STR(first, s.domains[1].uuid);
	xv_snapshot_release(&s);
	return 0;
}

DEF_TEST(malformed_scenarios)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "", "t.sim:1: no [host] section" },
		{ "name = x\n", "t.sim:1: 'name' is outside any section (start with [host])" },
		{ "[host]\nname = x\n", "t.sim:1: [host] lacks 'total_memory'" },
		{ "[hots]\n", "t.sim:1: unknown section [hots] (expected [host], [domain NAME] or [sim])" },
		{ HOST "[host]\n", "t.sim:6: duplicate [host] section (first on line 1)" },
		{ HOST "colour = red\n", "t.sim:6: unknown key 'colour' in [host]" },
		{ HOST "cpus = 2\n", "t.sim:6: duplicate key 'cpus' in [host]" },
		{ "[host]\ntotal_memory = 16X\n", "t.sim:2: total_memory: '16X' is not valid (unknown unit)" },
		{ "[host]\ntotal_memory = -1G\n", "t.sim:2: total_memory: '-1G' is not valid (number out of range)" },
		{ "[host]\ncpus = 0\n", "t.sim:2: cpus: '0' is not valid (number out of range)" },
		{ "[host]\ncpus = 2x\n", "t.sim:2: cpus: '2x' is not valid (not a number)" },
		{ "[host]\nname = x\ntotal_memory = 4G\nfree_memory = 5G\ncpus = 1\ndom0_memory = 1G\n",
		  "t.sim:1: free_memory 5 GiB exceeds total_memory 4 GiB" },
		{ HOST, "t.sim:1: no domain 0: add dom0_memory to [host] or a [domain Domain-0] section with id = 0" },
		{ HOST "dom0_memory = 1G\n[domain d0]\nid = 0\nstate = running\nmemory = 1G\n",
		  "t.sim:1: dom0_memory and [domain d0] (id 0) both describe domain 0: keep one" },
		{ HOST "dom0_memory = 1G\n[domain Domain-0]\nid = 3\nstate = running\nmemory = 1G\n",
		  "t.sim:7: [domain Domain-0] has id 3, but dom0_memory makes Domain-0 domain 0: give it id = 0 and drop dom0_memory" },
		{ HOST "dom0_memory = 13G\n", "t.sim:1: domains hold 13 GiB and 4 GiB is free, more than total_memory 16 GiB" },
		{ HOST "dom0_memory = 1G\n[domain]\n", "t.sim:7: [domain] needs a name: [domain NAME]" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\n", "t.sim:7: [domain] lacks 'state'" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 99999\n", "t.sim:8: id: '99999' is not a domain id (0-32751)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nstate = sleeping\n",
		  "t.sim:8: state: unknown state 'sleeping' (use running, blocked, paused, shutdown, crashed or dying)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nstate = crashed,shutdown\n",
		  "t.sim:8: state: a domain is either shut down or crashed, not both" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 2G\nmaxmem = 1G\n",
		  "t.sim:7: domain 'a': memory 2 GiB exceeds maxmem 1 GiB" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\ntarget = 3G\nmaxmem = 2G\n",
		  "t.sim:7: domain 'a': target 3 GiB exceeds maxmem 2 GiB" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\n"
		  "[domain b]\nid = 1\nstate = running\nmemory = 1G\n",
		  "t.sim:11: domain 'b': id 1 is already used by 'a' (line 7)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\n[domain a]\n",
		  "t.sim:11: duplicate domain 'a' (first on line 7)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nuuid = 1234\n",
		  "t.sim:8: uuid: '1234' is not a UUID (8-4-4-4-12 hex digits)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nuuid = 11111111-2222-3333-4444-555555555555\n"
		  "[domain b]\nid = 2\nstate = running\nmemory = 1G\nuuid = 11111111-2222-3333-4444-555555555555\n",
		  "t.sim:12: domain 'b': uuid 11111111-2222-3333-4444-555555555555 is already used by 'a' (line 7)" },
		{ HOST "dom0_memory = 1G\n[domain a]\ncpu_time = -3\n", "t.sim:8: cpu_time: '-3' is not valid (number out of range)" },
		{ "[host]\nthis line has no equals sign\n", "t.sim:2: syntax error (expected [section] or key = value)" },
		{ "[host\n", "t.sim:1: section header without ']'" },
	};
	struct xv_snapshot s;
	char err[512];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (parse(bad[i].text, &s, err, sizeof(err)) != -1)
			FAIL_AT("accepted case %zu", i);
		if (strcmp(err, bad[i].message))
			FAIL_AT("case %zu:\n#   expected \"%s\"\n#   got      \"%s\"", i, bad[i].message, err);
		EXPECT_EQ_INT(0, s.n_domains); /* released on failure */
	}
	return 0;
}

DEF_TEST(missing_file)
{
	struct xv_snapshot s;
	struct xv_error e;

	EXPECT_EQ_INT(-1, xv_scenario_load("/nonexistent/x.sim", &s, NULL, &e));
	EXPECT_EQ_INT(XV_E_NOINPUT, e.code);
	EXPECT_EQ_STR("cannot open '/nonexistent/x.sim': No such file or directory", e.msg);
	return 0;
}

int main(void)
{
	RUN_TEST(healthy_file_values);
	RUN_TEST(dom0_synthesized_and_defaults);
	RUN_TEST(malformed_scenarios);
	RUN_TEST(missing_file);
	END_TEST;
}
