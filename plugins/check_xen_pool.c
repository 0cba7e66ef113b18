/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_pool: availability of a pool of Xen hosts and its VMs. */
#include "pool_report.h"
#include "pool_check.h"
#include "inventory.h"
#include "plugin.h"
#include "num.h"
#include "pool.h"
#include "util.h"
#include "xv_paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Time kept back from -t to print the result before the alarm fires. */
#define OUTPUT_RESERVE_MS 200

static const char usage[] =
	"check_xen_pool -i INVENTORY [-p POOL] [-w RANGE] [-c RANGE]\n"
	"       [--vm-warning RANGE] [--vm-critical RANGE] [--server-warning RANGE]\n"
	"       [--server-critical RANGE] [--duplicate STATE] [--unexpected STATE]\n"
	"       [-P PARALLEL] [-t SECONDS[:STATE]] [-v]";

static const char help[] =
	"Checks the availability of a pool: every host of the pool is asked at once,\n"
	"each with its own deadline, and the pool's availability is the harmonic\n"
	"mean of the VM ratio (expected VMs up) and the server ratio (hosts that\n"
	"answered).  Down hosts, missing VMs, VMs on several hosts at once and VMs\n"
	"the inventory does not know are listed.\n"
	"\n"
	"Options:\n"
	" -i, --inventory=FILE  the inventory, described in\n"
	"    " XV_DOCDIR "/inventory.md\n"
	" -p, --pool=NAME       the pool; needed when the inventory has several\n"
	" -w, --warning=RANGE   availability in percent; default 100: (warn below 100%)\n"
	" -c, --critical=RANGE  default 90:\n"
	" --vm-warning=RANGE, --vm-critical=RANGE\n"
	"    VM ratio in percent, e.g. 95:\n"
	" --server-warning=RANGE, --server-critical=RANGE\n"
	"    server ratio in percent\n"
	" --duplicate=STATE   state for a VM running on several hosts (default CRITICAL)\n"
	" --unexpected=STATE  state for a VM up that the inventory does not list\n"
	"                     (default WARNING)\n"
	" -P, --parallel=N    hosts asked at once (default: the inventory's, or 256)\n"
	" -t, --timeout=SECONDS[:STATE]\n"
	"    the whole check's time (default 10) and the state if it runs out\n"
	"    (default CRITICAL); a host that has not answered when the time is\n"
	"    nearly up is reported as timed out, so the check still answers\n"
	" -v, --verbose     -v: list every VM seen, with its host and state;\n"
	"                   -vv: also the configuration (thresholds, source, timeout);\n"
	"                   -vvv: also debugging details (timings, versions)\n"
	" -h, --help, -V, --version\n"
	"\n"
	"Perfdata: availability, vm_ratio, server_ratio (percent; U when\n"
	"undefined), hosts, hosts_reachable, vms, vms_up, vms_missing, vms_not_up,\n"
	"vms_duplicate, vms_unexpected, poll_time (s).\n"
	"\n"
	"Examples:\n"
	"  check_xen_pool -i " XV_DEFAULT_INVENTORY " -p prod\n"
	"  check_xen_pool -i inventory.ini -w 99: -c 95: --unexpected OK -t 20\n";

enum {
	OPT_VM_WARNING = 256,
	OPT_VM_CRITICAL,
	OPT_SERVER_WARNING,
	OPT_SERVER_CRITICAL,
	OPT_DUPLICATE,
	OPT_UNEXPECTED,
};

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "vm-warning", required_argument, NULL, OPT_VM_WARNING },
	{ "vm-critical", required_argument, NULL, OPT_VM_CRITICAL },
	{ "server-warning", required_argument, NULL, OPT_SERVER_WARNING },
	{ "server-critical", required_argument, NULL, OPT_SERVER_CRITICAL },
	{ "duplicate", required_argument, NULL, OPT_DUPLICATE },
	{ "unexpected", required_argument, NULL, OPT_UNEXPECTED },
	{ "parallel", required_argument, NULL, 'P' },
	XV_PLUGIN_COMMON_OPTIONS,
};

struct args {
	const char *inventory;
	const char *pool;
	unsigned parallel;
};

static void parse_options(struct xv_plugin *p, struct xv_pool_check_config *cfg,
			  struct args *a, int argc, char **argv)
{
	int opt;
	uint64_t n;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":i:p:w:c:P:" XV_PLUGIN_COMMON_SHORT, options,
				  NULL)) != -1) {
		switch (opt) {
		case 'i':
			a->inventory = optarg;
			break;
		case 'p':
			a->pool = optarg;
			break;
		case 'w':
			xv_plugin_opt_range(p, "warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->availability.warning, &cfg->availability.has_warning);
			break;
		case 'c':
			xv_plugin_opt_range(p, "critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->availability.critical, &cfg->availability.has_critical);
			break;
		case OPT_VM_WARNING:
			xv_plugin_opt_range(p, "vm warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->vm_ratio.warning, &cfg->vm_ratio.has_warning);
			break;
		case OPT_VM_CRITICAL:
			xv_plugin_opt_range(p, "vm critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->vm_ratio.critical, &cfg->vm_ratio.has_critical);
			break;
		case OPT_SERVER_WARNING:
			xv_plugin_opt_range(p, "server warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->server_ratio.warning, &cfg->server_ratio.has_warning);
			break;
		case OPT_SERVER_CRITICAL:
			xv_plugin_opt_range(p, "server critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->server_ratio.critical, &cfg->server_ratio.has_critical);
			break;
		case OPT_DUPLICATE:
			xv_plugin_opt_state(p, "duplicate", optarg, &cfg->duplicate_state);
			break;
		case OPT_UNEXPECTED:
			xv_plugin_opt_state(p, "unexpected", optarg, &cfg->unexpected_state);
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &n))
				xv_plugin_usage_error(p, "invalid parallel '%s': a number from 1 to 4096",
						      optarg);
			a->parallel = (unsigned)n;
			break;
		default:
			xv_plugin_common_option(p, opt, argv[optind - 1]);
		}
	}
	xv_plugin_no_args(p, optind, argc, argv);
	if (!a->inventory)
		xv_plugin_usage_error(p, "no inventory: give one with -i FILE");
	cfg->verbose = p->verbose;
}

/* The pool to check, or NULL with the reason in e. */
static const struct xv_inv_pool *choose_pool(const struct xv_inventory *inv, const char *name,
					     struct xv_error *e)
{
	const struct xv_inv_pool *pool;
	struct xv_buf names = XV_BUF_INIT;

	if (!name && inv->n_pools == 1)
		return &inv->pools[0];
	if (name && (pool = xv_inventory_pool(inv, name)))
		return pool;
	for (size_t i = 0; i < inv->n_pools; i++)
		xv_buf_addf(&names, "%s%s", i ? ", " : "", inv->pools[i].name);
	if (name)
		xv_error(e, XV_E_USAGE, "no pool '%s' in %s (pools: %s)", name, inv->path, names.data);
	else
		xv_error(e, XV_E_USAGE, "%s defines %zu pools (%s): choose one with -p", inv->path,
			 inv->n_pools, names.data);
	xv_buf_release(&names);
	return NULL;
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_pool", .service = "XEN POOL",
			       .usage = usage, .help = help, .source_uri = "inventory" };
	struct xv_pool_check_config cfg;
	struct args a = { 0 };
	struct xv_inventory inv;
	const struct xv_inv_pool *pool;
	struct xv_pools_poll_options opt = { 0 };
	struct xv_poll_result *results;
	size_t n_results;
	struct xv_pool_report report;
	struct xv_check check;
	struct xv_error err;
	uint64_t start, reserve;

	xv_plugin_start(&p);
	xv_pool_check_defaults(&cfg);
	parse_options(&p, &cfg, &a, argc, argv);
	cfg.unmeasured_state = p.timeout_state;
	p.source_uri = a.inventory;
	start = xv_monotonic_ms();
	xv_plugin_arm_timeout(&p);

	if (xv_inventory_load(a.inventory, &inv, &err) || !(pool = choose_pool(&inv, a.pool, &err))) {
		xv_inventory_release(&inv);
		xv_plugin_unknown(&p, "%s", err.msg);
	}

	/* Answer before the alarm: hosts still silent near the end are
	 * reported as timed out instead of the whole check timing out. */
	reserve = p.timeout_s * 1000 > 4 * OUTPUT_RESERVE_MS ? OUTPUT_RESERVE_MS : p.timeout_s * 250;
	opt.deadline_ms = start + p.timeout_s * 1000 - reserve;
	opt.parallel = a.parallel;
	results = xv_pools_poll(&inv, &pool, 1, &opt, &n_results);
	xv_pool_report_build(pool, results, &report);

	xv_check_init(&check, p.service);
	xv_pool_check_run(&inv, pool, results, &report, &cfg, (unsigned)(xv_monotonic_ms() - start),
		      &check);

	xv_pool_report_release(&report);
	xv_poll_results_free(results, n_results);
	xv_inventory_release(&inv);
	return xv_plugin_finish(&check);
}
