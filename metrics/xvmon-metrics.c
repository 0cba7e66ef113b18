/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon-metrics: host, VM and pool figures in the Prometheus text format,
 * written atomically for node_exporter's textfile collector.
 *
 * Made for a timer (contrib/systemd/xvmon-metrics.timer): every run polls the
 * hosts (one source, several, or every host of an inventory, all at once),
 * writes FILE.tmp.XXXXXX, syncs it and renames it over FILE, so the collector
 * never reads half a file and no web server runs on a dom0.  A host that does
 * not answer is written as xvmon_host_up 0 (its figures left out): the file
 * is still replaced.  Problems go to stderr, one line each; exit codes are
 * sysexits(3).  lib/metrics.h has the families. */
#include "atomic_file.h"
#include "buf.h"
#include "clock.h"
#include "inventory.h"
#include "metrics.h"
#include "num.h"
#include "pool.h"
#include "pool_report.h"
#include "poller.h"
#include "source.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define PROG "xvmon-metrics"
#define DEFAULT_TIMEOUT_MS 30000

static const char usage_text[] =
	"usage: xvmon-metrics [-s SOURCE]... -o FILE [-t DURATION] [-P N] [-q]\n"
	"       xvmon-metrics -i INVENTORY [-p POOL]... -o FILE [-t DURATION] [-P N] [-q]\n";

static bool quiet;

static void __attribute__((format(printf, 1, 2))) complain(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Writes host, VM and pool figures in the Prometheus text format, replacing FILE\n"
	       "atomically: for node_exporter's textfile collector, from a timer.\n"
	       "\n"
	       "  -s, --source=URI        a host to read: xen: (default), sim:FILE, libvirt:URI;\n"
	       "                          repeat for several (asked at once)\n"
	       "  -i, --inventory=FILE    every host of the inventory's pools instead, with pool\n"
	       "                          labels and pool availability figures\n"
	       "  -p, --pool=NAME         only this pool of the inventory (repeatable)\n"
	       "  -o, --output=FILE       the file to replace, e.g.\n"
	       "                          /var/lib/prometheus/node-exporter/xvmon.prom; '-' for\n"
	       "                          standard output\n"
	       "  -t, --timeout=DURATION  the longest poll (default 30s); hosts still silent then\n"
	       "                          are written as down\n"
	       "  -P, --parallel=N        hosts asked at once (default: the inventory's, or 256)\n"
	       "  -q, --quiet             no notes about hosts that did not answer\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 written (down hosts included, as xvmon_host_up 0); 64 usage; 65 bad\n"
	       "inventory; 66 no inventory; 69 a source this build cannot read; 73 cannot\n"
	       "create the file; 74 cannot write or rename it.  See xvmon-metrics(1).\n",
	       usage_text);
	exit(EX_OK);
}

static const struct option options[] = {
	{ "source", required_argument, NULL, 's' },
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "timeout", required_argument, NULL, 't' },
	{ "parallel", required_argument, NULL, 'P' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct config {
	const char **sources;
	size_t n_sources;
	const char *inventory;
	const char **pools;
	size_t n_pools;
	const char *output;
	unsigned timeout_ms, parallel;
};

static void parse_options(struct config *c, int argc, char **argv)
{
	int opt;
	uint64_t v;
	struct xv_error e;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:i:p:o:t:P:qhV", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			if (xv_source_check_uri(optarg, &e))
				usage("%s", e.msg);
			c->sources = xv_realloc(c->sources, (c->n_sources + 1) * sizeof(*c->sources));
			c->sources[c->n_sources++] = optarg;
			break;
		case 'i':
			c->inventory = optarg;
			break;
		case 'p':
			c->pools = xv_realloc(c->pools, (c->n_pools + 1) * sizeof(*c->pools));
			c->pools[c->n_pools++] = optarg;
			break;
		case 'o':
			c->output = optarg;
			break;
		case 't':
			if (xv_parse_duration_ms(optarg, &v) || v < 1000 || v > 3600 * 1000)
				usage("--timeout takes a duration from 1s to 1h, like 30s: '%s'", optarg);
			c->timeout_ms = (unsigned)v;
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &v))
				usage("--parallel takes a number from 1 to 4096: '%s'", optarg);
			c->parallel = (unsigned)v;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			help();
		case 'V':
			printf("%s %s (xvmon; sources: %s)\n", PROG, XV_VERSION, xv_source_schemes());
			exit(EX_OK);
		case ':':
			usage("option '%s' needs a value", argv[optind - 1]);
		default:
			usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage("unexpected argument '%s'", argv[optind]);
	if (!c->output)
		usage("no output: give the file to replace with -o FILE (or -o - for standard output)");
	if (c->inventory && c->n_sources)
		usage("-s and -i exclude each other: read sources, or an inventory's hosts");
	if (c->n_pools && !c->inventory)
		usage("-p chooses pools of an inventory: give it with -i");
	if (!c->timeout_ms)
		c->timeout_ms = DEFAULT_TIMEOUT_MS;
}

/* The pools to write, or exits with the inventory's fault. */
static const struct xv_inv_pool **choose_pools(const struct config *c, const struct xv_inventory *inv,
					       size_t *n)
{
	const struct xv_inv_pool **pools;

	if (!c->n_pools) {
		pools = xv_calloc(inv->n_pools ? inv->n_pools : 1, sizeof(*pools));
		for (size_t i = 0; i < inv->n_pools; i++)
			pools[i] = &inv->pools[i];
		*n = inv->n_pools;
		return pools;
	}
	pools = xv_calloc(c->n_pools, sizeof(*pools));
	for (size_t i = 0; i < c->n_pools; i++) {
		pools[i] = xv_inventory_pool(inv, c->pools[i]);
		if (!pools[i]) {
			complain("%s: no pool '%s'", inv->path, c->pools[i]);
			exit(EX_DATAERR);
		}
	}
	*n = c->n_pools;
	return pools;
}

static void note_silent(const char *host, const struct xv_poll_result *r)
{
	if (!quiet && xv_poll_outcome(r) != XV_HOST_UP)
		complain("%s: %s", host, r->error.msg);
}

static int write_output(const char *path, const struct xv_buf *text)
{
	struct xv_atomic_file af;
	struct xv_error e;

	if (!strcmp(path, "-")) {
		if (fwrite(text->data, 1, text->len, stdout) != text->len || fflush(stdout)) {
			complain("cannot write to standard output");
			return EX_IOERR;
		}
		return EX_OK;
	}
	if (xv_atomic_file_open(&af, path, 0644, &e)) {
		complain("%s", e.msg);
		return xv_error_exit_code(e.code);
	}
	if (fwrite(text->data, 1, text->len, af.fp) != text->len) {
		complain("cannot write '%s': %s", path, strerror(errno));
		xv_atomic_file_abort(&af);
		return EX_IOERR;
	}
	if (xv_atomic_file_commit(&af, &e)) {
		complain("%s", e.msg);
		return xv_error_exit_code(e.code);
	}
	return EX_OK;
}

int main(int argc, char **argv)
{
	struct config c = { 0 };
	struct xv_inventory inv;
	const struct xv_inv_pool **pools = NULL;
	size_t n_pools = 0, n_results = 0;
	struct xv_poll_result *results;
	struct xv_metrics_host *hosts;
	struct xv_metrics_pool *mpools = NULL;
	struct xv_pool_report *reports = NULL;
	struct xv_buf text = XV_BUF_INIT;
	struct xv_error e;
	uint64_t start = xv_monotonic_ms();
	int rc;

	xv_heap_use_huge_pages(XV_HEAP_HUGE_RESERVE_SITE); /* run by a timer, once, and gone */
	parse_options(&c, argc, argv);
	if (c.inventory) {
		if (xv_inventory_load(c.inventory, &inv, &e)) {
			complain("%s", e.msg);
			return xv_error_exit_code(e.code);
		}
		pools = choose_pools(&c, &inv, &n_pools);
		struct xv_pools_poll_options opt = { .deadline_ms = start + c.timeout_ms,
						     .parallel = c.parallel };
		results = xv_pools_poll(&inv, pools, n_pools, &opt, &n_results);
		hosts = xv_calloc(n_results ? n_results : 1, sizeof(*hosts));
		mpools = xv_calloc(n_pools ? n_pools : 1, sizeof(*mpools));
		reports = xv_calloc(n_pools ? n_pools : 1, sizeof(*reports));
		for (size_t p = 0, k = 0; p < n_pools; p++) {
			xv_pool_report_build(pools[p], &results[k], &reports[p]);
			mpools[p] = (struct xv_metrics_pool){ pools[p]->name, &reports[p] };
			for (size_t h = 0; h < pools[p]->n_hosts; h++, k++) {
				hosts[k].name = inv.hosts[pools[p]->hosts[h]].name;
				hosts[k].pool = pools[p]->name;
				note_silent(hosts[k].name, &results[k]);
				if (xv_poll_outcome(&results[k]) == XV_HOST_UP)
					hosts[k].snap = &results[k].snap;
			}
		}
	} else {
		static const char *const local[] = { "xen:" };
		const char *const *uris = c.n_sources ? c.sources : local;
		size_t n = c.n_sources ? c.n_sources : 1;
		struct xv_poll_target *targets = xv_calloc(n, sizeof(*targets));
		struct xv_poll_options opt = { .max_parallel = c.parallel,
					       .timeout_ms = c.timeout_ms,
					       .deadline_ms = start + c.timeout_ms };

		for (size_t i = 0; i < n; i++)
			targets[i] = (struct xv_poll_target){ uris[i], uris[i], 0 };
		results = xv_calloc(n, sizeof(*results));
		n_results = n;
		xv_poll(targets, n, &opt, results);
		hosts = xv_calloc(n, sizeof(*hosts));
		for (size_t i = 0; i < n; i++) {
			note_silent(uris[i], &results[i]);
			if (xv_poll_outcome(&results[i]) == XV_HOST_UP) {
				hosts[i].snap = &results[i].snap;
				hosts[i].name = results[i].snap.host.name;
			} else {
				hosts[i].name = uris[i];
			}
		}
		free(targets);
	}

	struct xv_metrics_input in = { hosts, n_results, mpools, n_pools, xv_realtime_ms() };
	xv_metrics_write(&in, &text);
	rc = write_output(c.output, &text);

	for (size_t p = 0; p < n_pools; p++)
		xv_pool_report_release(&reports[p]);
	free(reports);
	free(mpools);
	free(hosts);
	xv_poll_results_free(results, n_results);
	if (c.inventory)
		xv_inventory_release(&inv);
	free(pools);
	free(c.sources);
	free(c.pools);
	xv_buf_release(&text);
	return rc;
}
