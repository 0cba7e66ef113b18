/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_pool: availability of a pool of Xen hosts and its VMs. */
#include "pool_report.h"
#include "pool_check.h"
#include "inventory.h"
#include "plugin.h"
#include "source.h"
#include "num.h"
#include "pool.h"
#include "util.h"
#include "vms_options.h"
#include "xv_paths.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Time kept back from -t to print the result before the alarm fires. */

static const char usage[] =
	"check_xen_pool -i INVENTORY [-p POOL] [-w RANGE] [-c RANGE]\n"
	"       [--vm-warning RANGE] [--vm-critical RANGE] [--server-warning RANGE]\n"
	"       [--server-critical RANGE] [--duplicate STATE] [--unexpected STATE]\n"
	"       [-P PARALLEL] [-t SECONDS[:STATE]] [-v]\n"
	"check_xen_pool -i INVENTORY [-p POOL] --vms [VM OPTIONS] [-P PARALLEL]\n"
	"       [-t SECONDS[:STATE]] [-v]";

static const char help_head[] =
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
	" -P, --parallel=N    hosts asked at once (default: the inventory's; else 256\n"
	"                     processes, and network hosts as descriptors allow)\n"
	" -t, --timeout=SECONDS[:STATE]\n"
	"    the whole check's time (default 10) and the state if it runs out\n"
	"    (default CRITICAL); a host that has not answered when the time is\n"
	"    nearly up is reported as timed out, so the check still answers\n"
	" -v, --verbose     -v: list every VM seen, with its host and state;\n"
	"                   -vv: also the configuration (thresholds, source, timeout);\n"
	"                   -vvv: also debugging details (timings, versions)\n"
	" -h, --help, -V, --version\n"
	"\n"
	"--vms: every VM of the pool instead, as check_xen_vms checks one host's:\n"
	"each VM's state, memory, balloon, guest memory and CPU, with the host it\n"
	"runs on; expected VMs seen nowhere are missing (CRITICAL), hosts that did\n"
	"not answer UNKNOWN.  With --vms, the options of check_xen_vms below apply\n"
	"(refused without --vms), and the availability's (-w, -c, --vm-*,\n"
	"--server-*, --unexpected) are refused:\n"
	"\n";

static const char help_tail[] =
	"\n"
	"Perfdata: availability, vm_ratio, server_ratio (percent; left out when\n"
	"undefined), hosts, hosts_reachable, vms, vms_up, vms_missing, vms_not_up,\n"
	"vms_duplicate, vms_unexpected, poll_time (s).\n"
	"\n"
	"Examples:\n"
	"  check_xen_pool -i " XV_DEFAULT_INVENTORY " -p prod\n"
	"  check_xen_pool -i inventory.ini -w 99: -c 95: --unexpected OK -t 20\n"
	"  check_xen_pool -i inventory.ini -p prod --vms --gap-warning 512M --gap-for 5m\n";

enum {
	OPT_VM_WARNING = 256,
	OPT_VM_CRITICAL,
	OPT_SERVER_WARNING,
	OPT_SERVER_CRITICAL,
	OPT_DUPLICATE,
	OPT_UNEXPECTED,
	OPT_VMS,
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
	{ "vms", no_argument, NULL, OPT_VMS },
	XV_VMS_LONG_OPTIONS,
	XV_PLUGIN_COMMON_OPTIONS,
};

struct args {
	const char *inventory;
	const char *pool;
	unsigned parallel;
	bool vms;                  /* --vms: every VM of the pool */
	const char *vm_option;     /* the first per-VM option given */
	const char *pool_option;   /* the first pool-availability option given */
	struct xv_vms_options vm;
};

/* Options that only mean something for the pool's availability (without
 * --vms); --duplicate, -P, -t and -v apply to both modes. */
static void pool_option(struct args *a, const char *name)
{
	if (!a->pool_option)
		a->pool_option = name;
}

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
			pool_option(a, "-w/--warning");
			xv_plugin_opt_range(p, "warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->availability.warning, &cfg->availability.has_warning);
			break;
		case 'c':
			pool_option(a, "-c/--critical");
			xv_plugin_opt_range(p, "critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->availability.critical, &cfg->availability.has_critical);
			break;
		case OPT_VM_WARNING:
			pool_option(a, "--vm-warning");
			xv_plugin_opt_range(p, "vm warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->vm_ratio.warning, &cfg->vm_ratio.has_warning);
			break;
		case OPT_VM_CRITICAL:
			pool_option(a, "--vm-critical");
			xv_plugin_opt_range(p, "vm critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->vm_ratio.critical, &cfg->vm_ratio.has_critical);
			break;
		case OPT_SERVER_WARNING:
			pool_option(a, "--server-warning");
			xv_plugin_opt_range(p, "server warning", optarg, XV_ALLOW_PERCENT,
					    &cfg->server_ratio.warning, &cfg->server_ratio.has_warning);
			break;
		case OPT_SERVER_CRITICAL:
			pool_option(a, "--server-critical");
			xv_plugin_opt_range(p, "server critical", optarg, XV_ALLOW_PERCENT,
					    &cfg->server_ratio.critical, &cfg->server_ratio.has_critical);
			break;
		case OPT_DUPLICATE:
			xv_plugin_opt_state(p, "duplicate", optarg, &cfg->duplicate_state);
			break;
		case OPT_UNEXPECTED:
			pool_option(a, "--unexpected");
			xv_plugin_opt_state(p, "unexpected", optarg, &cfg->unexpected_state);
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &n))
				xv_plugin_usage_error(p, "invalid parallel '%s': a number from 1 to 4096",
						      optarg);
			a->parallel = (unsigned)n;
			break;
		case OPT_VMS:
			a->vms = true;
			break;
		default:
			if (opt >= XV_VMS_OPT_FIRST && opt < XV_VMS_OPT_LAST) {
				for (size_t i = 0; !a->vm_option && options[i].name; i++)
					if (options[i].val == opt)
						a->vm_option = options[i].name;
				xv_vms_option(p, &a->vm, opt, optarg);
				break;
			}
			xv_plugin_common_option(p, opt, argv[optind - 1]);
		}
	}
	xv_plugin_no_args(p, optind, argc, argv);
	if (!a->inventory)
		xv_plugin_usage_error(p, "no inventory: give one with -i FILE");
	/* An option the chosen mode ignores would be a silent surprise (a
	 * threshold the operator believes in that never alerts): refuse it, as
	 * contradictory options are refused. */
	if (a->vm_option && !a->vms)
		xv_plugin_usage_error(p, "--%s is a per-VM option: it needs --vms", a->vm_option);
	if (a->pool_option && a->vms)
		xv_plugin_usage_error(p, "%s is a pool-availability option: it has no effect with --vms",
				      a->pool_option);
	if (a->vms && a->vm.cpu_sample_ms)
		xv_plugin_usage_error(p, "--cpu-sample is for one host (check_xen_vms): a pool's VMs "
				      "are compared with the previous run");
	xv_vms_options_finish(p, &a->vm);
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

/* --vms: the pool's VMs, each with the host it runs on. */
static void check_vms(const struct xv_inventory *inv, const struct xv_inv_pool *pool,
		      const struct xv_poll_result *results, const struct xv_pool_report *report,
		      const struct args *a, struct xv_check *check)
{
	struct xv_vms_host *hosts = xv_calloc(pool->n_hosts ? pool->n_hosts : 1, sizeof(*hosts));
	struct xv_state_file prev, next;
	char *what = xv_asprintf("%s%c%s", inv->path, '\0', pool->name);
	char *state_path = NULL;
	uint64_t latest_ms = 0;

	/* the key is "PATH\0POOL": pass both parts */
	xv_vms_state_load(&a->vm, "check_xen_pool", what, &state_path, &prev, check);
	for (size_t i = 0; i < pool->n_hosts; i++) {
		const struct xv_poll_result *r = &results[i];
		hosts[i].name = inv->hosts[pool->hosts[i]].name;
		if (xv_poll_outcome(r) == XV_HOST_UP) {
			hosts[i].snap = &r->snap;
			if (r->snap.time_ms > latest_ms)
				latest_ms = r->snap.time_ms;
		} else {
			hosts[i].why = r->error.msg;
		}
	}
	struct xv_vms_input in = { .hosts = hosts, .n_hosts = pool->n_hosts, .pool = true,
				   .subject = pool->name, .rate_base = &prev, .previous = &prev,
				   .missing = report->missing, .n_missing = report->n_missing };
	xv_state_file_init(&next);
	xv_vms_check_run(&in, &a->vm.cfg, &next, check);
	/* no host answered: keep the previous state rather than forget it */
	if (latest_ms)
		xv_plugin_state_save(state_path, &next, latest_ms, check);
	xv_state_file_release(&prev);
	xv_state_file_release(&next);
	free(state_path);
	free(what);
	free(hosts);
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_pool", .service = "XEN POOL",
			       .usage = usage, .source_uri = "inventory" };
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
	uint64_t start, end;

	p.help = help_head;
	p.help_shared = xv_vms_options_help;
	p.help_tail = help_tail;
	xv_plugin_start(&p);
	xv_pool_check_defaults(&cfg);
	xv_vms_options_init(&a.vm);
	parse_options(&p, &cfg, &a, argc, argv);
	cfg.unmeasured_state = p.timeout_state;
	p.source_uri = a.inventory;
	start = xv_monotonic_ms();
	xv_plugin_arm_timeout(&p);
	end = start + p.timeout_s * 1000ull;

	if (xv_inventory_load(a.inventory, &inv, &err) || !(pool = choose_pool(&inv, a.pool, &err))) {
		xv_inventory_release(&inv);
		xv_plugin_unknown(&p, "%s", err.msg);
	}

	/* Answer before the alarm: hosts still silent near the end are
	 * reported as timed out instead of the whole check timing out; XenAPI
	 * logouts may use half of what is left. */
	opt.deadline_ms = p.answer_by_ms;
	opt.cleanup_deadline_ms = p.answer_by_ms + (end - p.answer_by_ms) / 2;
	opt.parallel = a.parallel;
	results = xv_pools_poll(&inv, &pool, 1, &opt, &n_results);
	xv_pool_report_build(pool, results, &report);

	xv_check_init(&check, p.service);
	a.vm.cfg.duplicate_state = cfg.duplicate_state;
	if (a.vms)
		check_vms(&inv, pool, results, &report, &a, &check);
	else
		xv_pool_check_run(&inv, pool, results, &report, &cfg,
				  (unsigned)(xv_monotonic_ms() - start), &check);
	for (size_t i = 0; i < pool->n_hosts; i++) {
		const struct xv_inv_host *h = &inv.hosts[pool->hosts[i]];
		const char *caveat = xv_source_caveat(h->uri);
		if (caveat)
			xv_check_detail(&check, "host %s: %s", h->name, caveat);
	}

	xv_pool_report_release(&report);
	xv_poll_results_free(results, n_results);
	xv_inventory_release(&inv);
	xv_vms_options_release(&a.vm);
	return xv_plugin_finish(&check);
}
