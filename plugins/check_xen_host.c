/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_host: memory and domain health of one Xen host. */
#include "host_check.h"
#include "num.h"
#include "plugin.h"
#include "rates.h"
#include "source.h"
#include "xv_paths.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] =
	"check_xen_host [-s SOURCE] [-w RANGE] [-c RANGE] [--dom0-warning RANGE]\n"
	"       [--dom0-critical RANGE] [--overcommit-warning RANGE]\n"
	"       [--overcommit-critical RANGE] [--domains-warning RANGE]\n"
	"       [--domains-critical RANGE] [--crashed STATE] [--shutdown STATE]\n"
	"       [--paused STATE] [--vcpu-warning RANGE] [--vcpu-critical RANGE]\n"
	"       [--cpu-warning RANGE] [--cpu-critical RANGE] [--cpu-sample DURATION]\n"
	"       [--state-dir DIR] [-t SECONDS[:STATE]] [-v]";

static const char help[] =
	"Checks a Xen host: free memory, dom0 memory, domains by state, crashed or\n"
	"dying domains, and the memory overcommit ratio (the guests' configured\n"
	"maximum over physical memory).  Everything is also perfdata.\n"
	"\n"
	"Options:\n"
	" -s, --source=URI\n"
	"    where to read the host: xen: (the local hypervisor, default),\n"
	"    sim:FILE (a scenario file), ssh://[USER@]HOST, xapi://[USER@]HOST\n"
	"    (XenAPI) or ovs://HOST (Oracle VM agent), with ?options\n"
	"    (docs/sources.md); passwords come from a file or the environment\n"
	" -w, --warning=RANGE\n"
	"    free memory range, as a percentage of total (10%:) or a size with a\n"
	"    unit (4G:); default 10%: (warn below 10% free)\n"
	" -c, --critical=RANGE\n"
	"    the same for critical; default 5%:\n"
	" --dom0-warning=RANGE, --dom0-critical=RANGE\n"
	"    dom0 memory (size or % of total), e.g. 256M: to catch a dom0 that\n"
	"    ballooned too far\n"
	" --overcommit-warning=RANGE, --overcommit-critical=RANGE\n"
	"    overcommit ratio, e.g. 2 to warn above 2.0\n"
	" --domains-warning=RANGE, --domains-critical=RANGE\n"
	"    number of domains, dom0 included\n"
	" --crashed=STATE   state for crashed or dying domains (default CRITICAL)\n"
	" --shutdown=STATE  state for shut-down domains left behind (default WARNING)\n"
	" --paused=STATE    state for paused domains (default OK: counted only)\n"
	" --vcpu-warning=RANGE, --vcpu-critical=RANGE\n"
	"    the guests' vCPUs per physical CPU, e.g. 4 to warn above 4.0\n"
	" --cpu-warning=RANGE, --cpu-critical=RANGE\n"
	"    the host's CPU use in percent of its CPUs: the CPU time every domain\n"
	"    used since the previous run (kept in a state file) or over\n"
	"    --cpu-sample, e.g. 90\n"
	" --cpu-sample=DURATION\n"
	"    measure CPU use over DURATION (e.g. 2s) within the check\n"
	" --state-dir=DIR\n"
	"    measure CPU use since the previous run, kept in DIR (default with\n"
	"    --cpu-warning/--cpu-critical: $XVMON_STATE_DIR, else\n"
	"    $XDG_STATE_HOME/xvmon, else " XV_STATE_DIR_DEFAULT "); a first run says so\n"
	" -t, --timeout=SECONDS[:STATE]\n"
	"    give up after SECONDS (default 10) with STATE (default CRITICAL)\n"
	" -v, --verbose     -v: list every domain (problem domains are always listed);\n"
	"                   -vv: also the configuration (thresholds, source, timeout);\n"
	"                   -vvv: also debugging details (timings, versions)\n"
	" -h, --help        this help\n"
	" -V, --version     version and compiled-in sources\n"
	"\n"
	"Ranges follow the Monitoring Plugins guidelines: N alerts outside 0..N,\n"
	"N: below N, ~:N above N, N:M outside N..M, @N:M inside N..M; ends are\n"
	"inclusive.  Free memory is a quantity you want to stay high, so its\n"
	"thresholds usually end in ':' (10%: means \"at least 10%\").  A bare size\n"
	"is in bytes; units are B, K, M, G, T (binary) and %.\n"
	"\n"
	"Perfdata: mem_total, mem_free, mem_free_pct, mem_scrub, mem_outstanding,\n"
	"dom0_mem (bytes), domains, domains_running, domains_blocked,\n"
	"domains_paused, domains_shutdown, domains_crashed, domains_dying,\n"
	"overcommit, mem_ballooned (bytes: the guests' maximum less what they\n"
	"hold), vcpus (the guests'), vcpu_overcommit, domains_waiting (runnable,\n"
	"waiting for a CPU), and cpu (%) when measured.\n"
	"\n"
	"Examples:\n"
	"  check_xen_host -w 15%: -c 5%:\n"
	"  check_xen_host --overcommit-warning 2 --overcommit-critical 3\n"
	"  check_xen_host -s sim:" XV_DATADIR "/scenarios/healthy.sim -v\n";

enum {
	OPT_DOM0_WARNING = 256,
	OPT_DOM0_CRITICAL,
	OPT_OVERCOMMIT_WARNING,
	OPT_OVERCOMMIT_CRITICAL,
	OPT_DOMAINS_WARNING,
	OPT_DOMAINS_CRITICAL,
	OPT_CRASHED,
	OPT_SHUTDOWN,
	OPT_PAUSED,
	OPT_VCPU_WARNING,
	OPT_VCPU_CRITICAL,
	OPT_CPU_WARNING,
	OPT_CPU_CRITICAL,
	OPT_CPU_SAMPLE,
	OPT_STATE_DIR,
};

static const struct option options[] = {
	{ "source", required_argument, NULL, 's' },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "dom0-warning", required_argument, NULL, OPT_DOM0_WARNING },
	{ "dom0-critical", required_argument, NULL, OPT_DOM0_CRITICAL },
	{ "overcommit-warning", required_argument, NULL, OPT_OVERCOMMIT_WARNING },
	{ "overcommit-critical", required_argument, NULL, OPT_OVERCOMMIT_CRITICAL },
	{ "domains-warning", required_argument, NULL, OPT_DOMAINS_WARNING },
	{ "domains-critical", required_argument, NULL, OPT_DOMAINS_CRITICAL },
	{ "crashed", required_argument, NULL, OPT_CRASHED },
	{ "shutdown", required_argument, NULL, OPT_SHUTDOWN },
	{ "paused", required_argument, NULL, OPT_PAUSED },
	{ "vcpu-warning", required_argument, NULL, OPT_VCPU_WARNING },
	{ "vcpu-critical", required_argument, NULL, OPT_VCPU_CRITICAL },
	{ "cpu-warning", required_argument, NULL, OPT_CPU_WARNING },
	{ "cpu-critical", required_argument, NULL, OPT_CPU_CRITICAL },
	{ "cpu-sample", required_argument, NULL, OPT_CPU_SAMPLE },
	{ "state-dir", required_argument, NULL, OPT_STATE_DIR },
	XV_PLUGIN_COMMON_OPTIONS,
};

/* How the host's CPU use is measured, if at all. */
struct cpu_args {
	uint64_t sample_ms; /* --cpu-sample */
	const char *state_dir;
	bool from_state;    /* against the previous run */
};

static void parse_options(struct xv_plugin *p, struct xv_host_check_config *cfg,
			  struct cpu_args *cpu, int argc, char **argv)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:w:c:" XV_PLUGIN_COMMON_SHORT, options,
				  NULL)) != -1) {
		switch (opt) {
		case 's':
			p->source_uri = optarg;
			break;
		case 'w':
			xv_plugin_opt_range(p, "warning", optarg, XV_ALLOW_MEMORY,
					    &cfg->free.warning, &cfg->free.has_warning);
			break;
		case 'c':
			xv_plugin_opt_range(p, "critical", optarg, XV_ALLOW_MEMORY,
					    &cfg->free.critical, &cfg->free.has_critical);
			break;
		case OPT_DOM0_WARNING:
			xv_plugin_opt_range(p, "dom0 warning", optarg, XV_ALLOW_MEMORY,
					    &cfg->dom0.warning, &cfg->dom0.has_warning);
			break;
		case OPT_DOM0_CRITICAL:
			xv_plugin_opt_range(p, "dom0 critical", optarg, XV_ALLOW_MEMORY,
					    &cfg->dom0.critical, &cfg->dom0.has_critical);
			break;
		case OPT_OVERCOMMIT_WARNING:
			xv_plugin_opt_range(p, "overcommit warning", optarg, XV_ALLOW_PLAIN,
					    &cfg->overcommit.warning, &cfg->overcommit.has_warning);
			break;
		case OPT_OVERCOMMIT_CRITICAL:
			xv_plugin_opt_range(p, "overcommit critical", optarg, XV_ALLOW_PLAIN,
					    &cfg->overcommit.critical, &cfg->overcommit.has_critical);
			break;
		case OPT_DOMAINS_WARNING:
			xv_plugin_opt_range(p, "domains warning", optarg, XV_ALLOW_PLAIN,
					    &cfg->domains.warning, &cfg->domains.has_warning);
			break;
		case OPT_DOMAINS_CRITICAL:
			xv_plugin_opt_range(p, "domains critical", optarg, XV_ALLOW_PLAIN,
					    &cfg->domains.critical, &cfg->domains.has_critical);
			break;
		case OPT_CRASHED:
			xv_plugin_opt_state(p, "crashed", optarg, &cfg->crashed_state);
			break;
		case OPT_SHUTDOWN:
			xv_plugin_opt_state(p, "shutdown", optarg, &cfg->shutdown_state);
			break;
		case OPT_PAUSED:
			xv_plugin_opt_state(p, "paused", optarg, &cfg->paused_state);
			break;
		case OPT_VCPU_WARNING:
			xv_plugin_opt_range(p, "vcpu warning", optarg, XV_ALLOW_PLAIN,
					    &cfg->vcpus.warning, &cfg->vcpus.has_warning);
			break;
		case OPT_VCPU_CRITICAL:
			xv_plugin_opt_range(p, "vcpu critical", optarg, XV_ALLOW_PLAIN,
					    &cfg->vcpus.critical, &cfg->vcpus.has_critical);
			break;
		case OPT_CPU_WARNING:
			xv_plugin_opt_range(p, "cpu warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->cpu.warning, &cfg->cpu.has_warning);
			break;
		case OPT_CPU_CRITICAL:
			xv_plugin_opt_range(p, "cpu critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->cpu.critical, &cfg->cpu.has_critical);
			break;
		case OPT_CPU_SAMPLE:
			cpu->sample_ms = xv_plugin_opt_duration(p, "cpu-sample", optarg, 100, 60000);
			break;
		case OPT_STATE_DIR:
			if (!*optarg)
				xv_plugin_usage_error(p, "invalid state-dir '': give a directory");
			cpu->state_dir = optarg;
			break;
		default:
			xv_plugin_common_option(p, opt, argv[optind - 1]);
		}
	}
	xv_plugin_no_args(p, optind, argc, argv);
	cfg->verbose = p->verbose;
	xv_plugin_check_sample(p, cpu->sample_ms);
	if (cpu->sample_ms && cpu->state_dir)
		xv_plugin_usage_error(p, "--cpu-sample and --state-dir contradict each other: "
				      "measure within the check or since the previous run");
	cpu->from_state = !cpu->sample_ms && (cpu->state_dir || cfg->cpu.has_warning ||
					      cfg->cpu.has_critical);
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_host", .service = "XEN HOST",
			       .usage = usage, .help = help };
	struct xv_host_check_config cfg;
	struct cpu_args cpu = { 0 };
	struct xv_snapshot snap;
	struct xv_source *src;
	struct xv_check check;
	struct xv_state_file before, next;
	struct xv_buf key = XV_BUF_INIT;
	char *state_path = NULL;
	unsigned permille;

	xv_plugin_start(&p);
	xv_host_check_defaults(&cfg);
	parse_options(&p, &cfg, &cpu, argc, argv);
	xv_plugin_arm_timeout(&p);

	xv_check_init(&check, p.service);
	xv_state_file_init(&next);
	xv_buf_adds(&key, p.source_uri);
	xv_plugin_state_load(cpu.from_state ? "check_xen_host" : NULL, cpu.state_dir, &key,
			     p.verbose, &state_path, &before, &check);
	src = xv_plugin_source(&p);
	if (!xv_plugin_snapshot(src, cpu.sample_ms, &before, &snap, &check))
		goto out;
	xv_host_check_run(&snap, &cfg, &check);
	if ((cpu.sample_ms || cpu.from_state) && xv_rates_host_cpu(&before, &snap, &permille))
		xv_host_check_cpu(permille, &cfg, &check);
	else if (cpu.from_state && before.time_ms &&
		 (cfg.cpu.has_warning || cfg.cpu.has_critical))
		xv_check_add(&check, XV_UNKNOWN, "cpu use unknown (no time passed since the "
			     "previous run, or the host's cpus are unknown)");
	if (state_path) {
		for (size_t i = 0; i < snap.n_domains; i++)
			xv_state_file_add(&next, &snap.domains[i], snap.time_ms);
		xv_plugin_state_save(state_path, &next, snap.time_ms, &check);
	}
	if (p.verbose >= 3)
		xv_check_detail(&check, "debug: xen %s, %u cpus",
				snap.host.xen_version ? snap.host.xen_version : "unknown",
				snap.host.cpus);
out:
	xv_plugin_caveat(&p, &check);
	xv_snapshot_release(&snap);
	xv_source_free(src);
	xv_state_file_release(&before);
	xv_state_file_release(&next);
	xv_buf_release(&key);
	free(state_path);
	return xv_plugin_finish(&check);
}
