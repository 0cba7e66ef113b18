/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_host: memory and domain health of one Xen host. */
#include "host_check.h"
#include "plugin.h"
#include "source.h"
#include "xv_paths.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] =
	"check_xen_host [-s SOURCE] [-w RANGE] [-c RANGE] [--dom0-warning RANGE]\n"
	"       [--dom0-critical RANGE] [--overcommit-warning RANGE]\n"
	"       [--overcommit-critical RANGE] [--domains-warning RANGE]\n"
	"       [--domains-critical RANGE] [--crashed STATE] [--shutdown STATE]\n"
	"       [--paused STATE] [-t SECONDS[:STATE]] [-v]";

static const char help[] =
	"Checks a Xen host: free memory, dom0 memory, domains by state, crashed or\n"
	"dying domains, and the memory overcommit ratio (the guests' configured\n"
	"maximum over physical memory).  Everything is also perfdata.\n"
	"\n"
	"Options:\n"
	" -s, --source=URI\n"
	"    where to read the host: xen: (the local hypervisor, default) or\n"
	"    sim:FILE (a scenario file)\n"
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
	"overcommit.\n"
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
	XV_PLUGIN_COMMON_OPTIONS,
};

static void parse_options(struct xv_plugin *p, struct xv_host_check_config *cfg, int argc,
			  char **argv)
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
		default:
			xv_plugin_common_option(p, opt, argv[optind - 1]);
		}
	}
	xv_plugin_no_args(p, optind, argc, argv);
	cfg->verbose = p->verbose;
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_host", .service = "XEN HOST",
			       .usage = usage, .help = help };
	struct xv_host_check_config cfg;
	struct xv_snapshot snap;
	struct xv_source *src;
	struct xv_check check;
	struct xv_error err;

	xv_plugin_start(&p);
	xv_host_check_defaults(&cfg);
	parse_options(&p, &cfg, argc, argv);
	xv_plugin_arm_timeout(&p);

	xv_check_init(&check, p.service);
	src = xv_source_new(p.source_uri);
	if (xv_source_snapshot(src, &snap, &err)) {
		xv_check_add(&check, XV_UNKNOWN, "%s", err.msg);
	} else {
		xv_host_check_run(&snap, &cfg, &check);
		if (p.verbose >= 3)
			xv_check_detail(&check, "debug: xen %s, %u cpus",
					snap.host.xen_version ? snap.host.xen_version : "unknown",
					snap.host.cpus);
	}
	xv_snapshot_release(&snap);
	xv_source_free(src);
	return xv_plugin_finish(&check);
}
