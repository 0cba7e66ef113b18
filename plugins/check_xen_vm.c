/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_vm: one Xen domain's state, memory and balloon. */
#include "vm_check.h"
#include "plugin.h"
#include "snapshot.h"
#include "source.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] =
	"check_xen_vm -n NAME | -u UUID [-s SOURCE] [-w RANGE] [-c RANGE]\n"
	"       [--gap-warning RANGE] [--gap-critical RANGE] [--paused STATE]\n"
	"       [--crashed STATE] [--dying STATE] [--shutdown STATE] [--missing STATE]\n"
	"       [-t SECONDS[:STATE]] [-v]";

static const char help[] =
	"Checks one Xen domain: its state, the memory it holds against its\n"
	"configured maximum, and how far it is from its balloon target.\n"
	"\n"
	"States: running or blocked (an idle guest) is OK; paused is WARNING;\n"
	"crashed, dying, shut down or missing is CRITICAL.  Each can be changed.\n"
	"\n"
	"Options:\n"
	" -n, --name=NAME   the domain's name, as in xl list\n"
	" -u, --uuid=UUID   or its UUID\n"
	" -s, --source=URI  xen: (default), sim:FILE, ssh://[USER@]HOST,\n"
	"                   xapi://[USER@]HOST or ovs://HOST, with ?options\n"
	"                   (docs/sources.md)\n"
	" -w, --warning=RANGE, -c, --critical=RANGE\n"
	"    current memory, as a size (3G) or a percentage of the configured\n"
	"    maximum (90%); e.g. -w 90% warns above 90% of max\n"
	" --gap-warning=RANGE, --gap-critical=RANGE\n"
	"    distance between current memory and the balloon target, as a size\n"
	"    (256M) or a percentage of the target; e.g. --gap-warning 256M\n"
	" --paused=STATE, --crashed=STATE, --dying=STATE, --shutdown=STATE,\n"
	" --missing=STATE\n"
	"    the state to report for a domain in that condition\n"
	" -t, --timeout=SECONDS[:STATE]\n"
	"    give up after SECONDS (default 10) with STATE (default CRITICAL)\n"
	" -v, --verbose     -v: add uuid, flags, vcpus, cpu time and guest swap;\n"
	"                   -vv: also the configuration (thresholds, source, timeout);\n"
	"                   -vvv: also debugging details (timings, versions)\n"
	" -h, --help        this help\n"
	" -V, --version     version and compiled-in sources\n"
	"\n"
	"Ranges follow the Monitoring Plugins guidelines (N, N:, ~:N, N:M, @N:M;\n"
	"ends inclusive).  A bare size is in bytes; units are B, K, M, G, T\n"
	"(binary) and %.\n"
	"\n"
	"Perfdata: mem_current, mem_target, mem_max, balloon_gap, swap_used\n"
	"(bytes), vcpus, cpu_time (a counter of CPU seconds).\n"
	"\n"
	"Examples:\n"
	"  check_xen_vm -n web1\n"
	"  check_xen_vm -u 4f1c0d6e-8b3a-4c51-9a47-0e6b2d9f1a01 --gap-warning 512M\n"
	"  check_xen_vm -n batch1 --paused OK\n";

enum {
	OPT_GAP_WARNING = 256,
	OPT_GAP_CRITICAL,
	OPT_PAUSED,
	OPT_CRASHED,
	OPT_DYING,
	OPT_SHUTDOWN,
	OPT_MISSING,
};

static const struct option options[] = {
	{ "name", required_argument, NULL, 'n' },
	{ "uuid", required_argument, NULL, 'u' },
	{ "source", required_argument, NULL, 's' },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "gap-warning", required_argument, NULL, OPT_GAP_WARNING },
	{ "gap-critical", required_argument, NULL, OPT_GAP_CRITICAL },
	{ "paused", required_argument, NULL, OPT_PAUSED },
	{ "crashed", required_argument, NULL, OPT_CRASHED },
	{ "dying", required_argument, NULL, OPT_DYING },
	{ "shutdown", required_argument, NULL, OPT_SHUTDOWN },
	{ "missing", required_argument, NULL, OPT_MISSING },
	XV_PLUGIN_COMMON_OPTIONS,
};

static void parse_options(struct xv_plugin *p, struct xv_vm_check_config *cfg, char uuid[37],
			  int argc, char **argv)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":n:u:s:w:c:" XV_PLUGIN_COMMON_SHORT, options,
				  NULL)) != -1) {
		switch (opt) {
		case 'n':
			if (!*optarg)
				xv_plugin_usage_error(p, "the domain name is empty");
			cfg->name = optarg;
			break;
		case 'u':
			if (!xv_uuid_normalize(optarg, uuid))
				xv_plugin_usage_error(p, "invalid uuid '%s': expected 8-4-4-4-12 "
						      "hex digits", optarg);
			cfg->uuid = uuid;
			break;
		case 's':
			p->source_uri = optarg;
			break;
		case 'w':
			xv_plugin_opt_range(p, "warning", optarg, XV_ALLOW_MEMORY,
					    &cfg->memory.warning, &cfg->memory.has_warning);
			break;
		case 'c':
			xv_plugin_opt_range(p, "critical", optarg, XV_ALLOW_MEMORY,
					    &cfg->memory.critical, &cfg->memory.has_critical);
			break;
		case OPT_GAP_WARNING:
			xv_plugin_opt_range(p, "gap warning", optarg, XV_ALLOW_MEMORY,
					    &cfg->gap.warning, &cfg->gap.has_warning);
			break;
		case OPT_GAP_CRITICAL:
			xv_plugin_opt_range(p, "gap critical", optarg, XV_ALLOW_MEMORY,
					    &cfg->gap.critical, &cfg->gap.has_critical);
			break;
		case OPT_PAUSED:
			xv_plugin_opt_state(p, "paused", optarg, &cfg->state_for[XV_STATE_PAUSED]);
			break;
		case OPT_CRASHED:
			xv_plugin_opt_state(p, "crashed", optarg, &cfg->state_for[XV_STATE_CRASHED]);
			break;
		case OPT_DYING:
			xv_plugin_opt_state(p, "dying", optarg, &cfg->state_for[XV_STATE_DYING]);
			break;
		case OPT_SHUTDOWN:
			xv_plugin_opt_state(p, "shutdown", optarg, &cfg->state_for[XV_STATE_SHUTDOWN]);
			break;
		case OPT_MISSING:
			xv_plugin_opt_state(p, "missing", optarg, &cfg->missing_state);
			break;
		default:
			xv_plugin_common_option(p, opt, argv[optind - 1]);
		}
	}
	xv_plugin_no_args(p, optind, argc, argv);
	if (!cfg->name == !cfg->uuid)
		xv_plugin_usage_error(p, "name the domain with exactly one of -n NAME and -u UUID");
	cfg->verbose = p->verbose;
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_vm", .service = "XEN VM",
			       .usage = usage, .help = help };
	struct xv_vm_check_config cfg;
	char uuid[37];
	struct xv_snapshot snap;
	struct xv_source *src;
	struct xv_check check;
	struct xv_error err;

	xv_plugin_start(&p);
	xv_vm_check_defaults(&cfg);
	parse_options(&p, &cfg, uuid, argc, argv);
	xv_plugin_arm_timeout(&p);

	xv_check_init(&check, p.service);
	src = xv_plugin_source(&p);
	if (xv_source_snapshot(src, &snap, &err))
		xv_check_add(&check, XV_UNKNOWN, "%s", err.msg);
	else
		xv_vm_check_run(&snap, &cfg, &check);
	xv_plugin_caveat(&p, &check);
	xv_snapshot_release(&snap);
	xv_source_free(src);
	return xv_plugin_finish(&check);
}
