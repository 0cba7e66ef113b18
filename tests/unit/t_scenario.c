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
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_domain_guest(d)->swap_used_kib);
	d = xv_snapshot_find_name(&s, "web1");
	EXPECT_EQ_U64(4194304, d->target_kib); /* target and maxmem default to memory */
	EXPECT_EQ_U64(4194304, d->max_kib);
	EXPECT_EQ_U64(240ULL * 3600 * 1000, d->uptime_ms);
	EXPECT_TRUE(d->vcpu_ns != NULL);
	EXPECT_EQ_U64(2560125000000ULL, d->vcpu_ns[0]);
	EXPECT_EQ_U64(2560125000000ULL, d->vcpu_ns[1]);
	d = xv_snapshot_find_name(&s, "db1");
	EXPECT_EQ_U64(5005250000000ULL, d->vcpu_ns[2]);
	EXPECT_EQ_U64(720ULL * 3600 * 1000, s.host.uptime_ms);
	d = xv_snapshot_find_name(&s, "cache1"); /* neither given */
	EXPECT_EQ_U64(XV_UPTIME_UNKNOWN, d->uptime_ms);
	EXPECT_TRUE(d->vcpu_ns == NULL);
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
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nvcpus = 2\nvcpu_time = 1.5\n",
		  "t.sim:7: domain 'a': vcpu_time has 1 figures for 2 vcpus" },
		{ HOST "dom0_memory = 1G\n[domain a]\nvcpu_time = 1.5,,2\n",
		  "t.sim:8: vcpu_time: '' is not valid (empty value)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nvcpu_time = 1.5, 2x\n",
		  "t.sim:8: vcpu_time: '2x' is not valid (not a number)" },
		{ HOST "uptime = 3 days\n", "t.sim:6: uptime: '3 days' is not a duration like 90s or 72h (unknown unit)" },
		{ HOST "dom0_memory = 1G\n[domain a]\ncpu_wait = 1x\n", "t.sim:8: cpu_wait: '1x' is not valid (not a number)" },
		{ HOST "time = 0\n", "t.sim:6: time: '0' is not a time in seconds since 1970 (number out of range)" },
		{ HOST "time = soon\n", "t.sim:6: time: 'soon' is not a time in seconds since 1970 (not a number)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nguest_report = maybe\n",
		  "t.sim:8: guest_report: 'maybe' is not none, reported or refused" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nguest_report = none\nguest_free = 1M\n",
		  "t.sim:7: domain 'a': guest_report = none, but guest figures are given (a guest that reports none has none)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nguest_total = 900M\nguest_free = 1G\n",
		  "t.sim:7: domain 'a': guest figures cannot be true: MemFree above MemTotal" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nguest_total = 900M\nguest_free = 500M\nguest_cached = 500M\n",
		  "t.sim:7: domain 'a': guest figures cannot be true: MemFree and the page cache together above MemTotal" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nswap_total = 1G\nswap_used = 2G\n",
		  "t.sim:7: domain 'a': guest figures cannot be true: swap in use above SwapTotal" },
		{ HOST "dom0_memory = 1G\n[domain a]\nid = 1\nstate = running\nmemory = 1G\nguest_total = 2G\n",
		  "t.sim:7: domain 'a': guest_total 2 GiB exceeds maxmem 1 GiB" },
		{ HOST "dom0_memory = 1G\n[domain a]\nswap_in = 2P\n",
		  "t.sim:8: swap_in: '2P' is not valid (unknown unit)" },
		{ HOST "dom0_memory = 1G\n[domain a]\ndisk_read_ops = 9007199254740993\n",
		  "t.sim:8: disk_read_ops: '9007199254740993' is not valid (number out of range)" },
		{ HOST "dom0_memory = 1G\n[domain a]\nnet_rx = -5\n",
		  "t.sim:8: net_rx: '-5' is not valid (number out of range)" },
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

DEF_TEST(guest_cpu_and_io_keys)
{
	struct xv_snapshot s;
	char err[512] = "";
	const char *text = HOST "dom0_memory = 1G\ntime = 1700000000.25\n"
			   "[domain a]\nid = 1\nstate = running\nmemory = 2G\nmaxmem = 4G\n"
			   "cpu_time = 12.5\ncpu_wait = 0.75\n"
			   "guest_total = 1900M\nguest_free = 100M\nguest_available = 600M\n"
			   "guest_cached = 400M\nguest_committed = 2500M\nswap_total = 1G\n"
			   "swap_used = 300M\nswap_in = 10M\nswap_out = 20M\n"
			   "disk_read = 1G\ndisk_write = 2K\ndisk_read_ops = 100\ndisk_write_ops = 7\n"
			   "net_rx = 3M\nnet_tx = unknown\nnet_rx_packets = 5\n"
			   "[domain b]\nid = 2\nstate = running\nmemory = 1G\ncpu_time = unknown\n"
			   "[domain c]\nid = 3\nstate = running\nmemory = 1G\nguest_report = refused\n";
	const struct xv_domain *d;

	if (parse(text, &s, err, sizeof(err)))
		FAIL_AT("%s", err);
	EXPECT_EQ_U64(1700000000250ULL, s.time_ms);
	d = xv_snapshot_find_name(&s, "a");
	EXPECT_EQ_U64(12500000000ULL, d->cpu_ns);
	EXPECT_EQ_U64(750000000ULL, d->cpu_wait_ns);
	EXPECT_EQ_INT(XV_GUEST_REPORTED, xv_domain_guest(d)->report);
	EXPECT_EQ_U64(1900 * 1024, xv_domain_guest(d)->total_kib);
	EXPECT_EQ_U64(100 * 1024, xv_domain_guest(d)->free_kib);
	EXPECT_EQ_U64(600 * 1024, xv_domain_guest(d)->available_kib);
	EXPECT_EQ_U64(400 * 1024, xv_domain_guest(d)->cached_kib);
	EXPECT_EQ_U64(2500 * 1024, xv_domain_guest(d)->committed_kib);
	EXPECT_EQ_U64(1024 * 1024, xv_domain_guest(d)->swap_total_kib);
	EXPECT_EQ_U64(300 * 1024, xv_domain_guest(d)->swap_used_kib);
	EXPECT_EQ_U64(10 * 1024, xv_domain_guest(d)->swap_in_kib);
	EXPECT_EQ_U64(20 * 1024, xv_domain_guest(d)->swap_out_kib);
	EXPECT_EQ_U64(1400 * 1024, xv_guest_used_kib(xv_domain_guest(d)));
	EXPECT_EQ_U64(1ULL << 30, xv_domain_io(d)->disk_read_bytes);
	EXPECT_EQ_U64(2048, xv_domain_io(d)->disk_write_bytes);
	EXPECT_EQ_U64(100, xv_domain_io(d)->disk_read_ops);
	EXPECT_EQ_U64(7, xv_domain_io(d)->disk_write_ops);
	EXPECT_EQ_U64(3ULL << 20, xv_domain_io(d)->net_rx_bytes);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, xv_domain_io(d)->net_tx_bytes);
	EXPECT_EQ_U64(5, xv_domain_io(d)->net_rx_packets);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, xv_domain_io(d)->net_tx_packets);
	/* nothing given: no report, unknown figures and counters, never zeros */
	d = xv_snapshot_find_name(&s, "b");
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, d->cpu_ns);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, d->cpu_wait_ns);
	EXPECT_EQ_INT(XV_GUEST_NONE, xv_domain_guest(d)->report);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_domain_guest(d)->total_kib);
	EXPECT_EQ_U64(XV_KIB_UNKNOWN, xv_guest_used_kib(xv_domain_guest(d)));
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, xv_domain_guest(d)->swap_in_kib);
	EXPECT_EQ_U64(XV_COUNTER_UNKNOWN, xv_domain_io(d)->disk_read_bytes);
	d = xv_snapshot_find_name(&s, "c");
	EXPECT_EQ_INT(XV_GUEST_REFUSED, xv_domain_guest(d)->report);
	EXPECT_EQ_U64(0, s.domains[0].cpu_ns); /* synthesized dom0: the documented default */
	xv_snapshot_release(&s);
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
	RUN_TEST(guest_cpu_and_io_keys);
	RUN_TEST(missing_file);
	END_TEST;
}
