/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon-sls: Service Level Status feeds of Xen pools, written atomically.
 *
 * For each pool of the inventory (or the one given) every host is polled at
 * once, the pool's availability is evaluated, and three documents are
 * written to DIR: ID_vm (VM ratio), ID_pm (server ratio) and ID (their
 * harmonic mean), as the 2010 report's DBVirt_vm / DBVirt_pm feeds.  Made
 * for cron and systemd timers: silent when all is well, one line per
 * problem on stderr, sysexits(3) codes.  docs/sls.md is the reference. */
#include "atomic_file.h"
#include "pool_report.h"
#include "buf.h"
#include "clock.h"
#include "deadline.h"
#include "feed.h"
#include "inventory.h"
#include "num.h"
#include "pool.h"
#include "source.h"
#include "sls_text.h"
#include "util.h"
#include "write.h"
#include "xv_paths.h"

#include <errno.h>
#include <getopt.h>
#include <libxml/parser.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#define PROG "xvmon-sls"
#define DEFAULT_INVENTORY XV_DEFAULT_INVENTORY
#define DEFAULT_TIMEOUT_MS 60000
/* Of the run's -t, the part kept for writing after the poll: a tenth, at
 * most this. */
#define WRITE_RESERVE_MAX_MS 5000
#define DEFAULT_REFRESH_S 300
#define HOSTS_IN_MESSAGE 3

/* For tests only (t0420): pause this many milliseconds once a pool's
 * temporary files are written and synced, before they are renamed, so a
 * test can kill the exporter at the worst moment.  Never set in production. */
#define TEST_PAUSE_ENV "XVMON_SLS_TEST_PAUSE_MS"

static const char usage_text[] =
	"usage: xvmon-sls [-i INVENTORY] [-p POOL] -o DIR [--id ID] [--format xsls|legacy|json]\n"
	"                 [--publish-unavailable] [-t DURATION] [-P PARALLEL] [-q] [-v]\n"
	"                 [--thresholds A,B,C] [--refresh DURATION] [--validity DURATION]\n";

/* One line on stderr: names from the inventory or the command line may
 * hold control characters, which would split the line or drive the
 * terminal; they are shown as '?'. */
static void __attribute__((format(printf, 1, 0))) vcomplain(const char *fmt, va_list ap)
{
	struct xv_buf line = XV_BUF_INIT;

	xv_buf_vaddf(&line, fmt, ap);
	for (char *p = line.data; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(stderr, PROG ": %s\n", line.data);
	xv_buf_release(&line);
}

static void __attribute__((format(printf, 1, 2))) complain(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcomplain(fmt, ap);
	va_end(ap);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Writes Service Level Status feeds for Xen pools: per pool, ID_vm (expected VMs\n"
	       "up), ID_pm (hosts that answered) and ID (their harmonic mean), each replaced\n"
	       "atomically.  ID is the pool's sls_id, else its name.\n"
	       "\n"
	       "  -i, --inventory=FILE    inventory (default $XVMON_INVENTORY, then %s)\n"
	       "  -p, --pool=NAME         only this pool (default: every pool)\n"
	       "  -o, --output=DIR        where the feeds go (must exist)\n"
	       "      --id=ID             feed id instead of sls_id (one pool only)\n"
	       "      --format=FORMAT     xsls (default, the public XSLS schema), legacy\n"
	       "                          (2010 elements, sls/xsls-legacy.xsd) or json\n"
	       "      --publish-unavailable\n"
	       "                          when no host of a pool answers, publish its feeds as\n"
	       "                          unavailable instead of leaving them unchanged\n"
	       "  -t, --timeout=DURATION  longest run, everything included (default 60s): the\n"
	       "                          poll ends a tenth earlier (hosts still silent then\n"
	       "                          count as down); per-host deadlines are the inventory's\n"
	       "  -P, --parallel=N        hosts asked at once (default: the inventory's; else 256\n"
	       "                          processes, and network hosts as descriptors allow)\n"
	       "  -q, --quiet             no notes on stderr, only errors\n"
	       "  -v, --verbose           one line per feed written, on stdout\n"
	       "  legacy format only:\n"
	       "      --thresholds=A,B,C  availabilitythresholds in percent for the levels\n"
	       "                          available, affected, degraded (default 99,90,50)\n"
	       "      --refresh=DURATION  refreshperiod (default 5m: the timer's period)\n"
	       "      --validity=DURATION validityduration (default 3 x refresh)\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 feeds written; 64 usage; 65 bad inventory, invalid id or empty pool;\n"
	       "66 no inventory; 70 internal error; 71 a local resource failed; 73 cannot\n"
	       "create a feed; 74 cannot write or rename one; 75 no host of a pool answered,\n"
	       "its feeds left unchanged, or the run was out of time (-t).\n"
	       "With several pools, the most serious of these.  See docs/sls.md.\n",
	       usage_text, DEFAULT_INVENTORY);
	exit(EX_OK);
}

enum {
	OPT_ID = 256,
	OPT_FORMAT,
	OPT_PUBLISH_UNAVAILABLE,
	OPT_THRESHOLDS,
	OPT_REFRESH,
	OPT_VALIDITY,
};

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "output", required_argument, NULL, 'o' },
	{ "id", required_argument, NULL, OPT_ID },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "publish-unavailable", no_argument, NULL, OPT_PUBLISH_UNAVAILABLE },
	{ "timeout", required_argument, NULL, 't' },
	{ "parallel", required_argument, NULL, 'P' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "thresholds", required_argument, NULL, OPT_THRESHOLDS },
	{ "refresh", required_argument, NULL, OPT_REFRESH },
	{ "validity", required_argument, NULL, OPT_VALIDITY },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct config {
	const char *inventory, *pool, *dir, *id;
	enum xv_sls_format format;
	bool publish_unavailable, quiet, verbose;
	unsigned timeout_ms, parallel;
	struct xv_sls_legacy legacy;
	bool legacy_options; /* one of the legacy-only options was given */
	unsigned pause_ms;   /* TEST_PAUSE_ENV */
};

/* A sysexits code's weight when several pools fail differently: what an
 * operator must fix first ranks highest (the output, then the inventory),
 * a transient poll failure lowest. */
static int rank(int code)
{
	switch (code) {
	case EX_OK:
		return 0;
	case EX_TEMPFAIL:
		return 1;
	case EX_DATAERR:
		return 2;
	case EX_SOFTWARE:
		return 3;
	case EX_CANTCREAT:
		return 4;
	default:
		return 5;
	}
}

static int worst(int a, int b)
{
	return rank(b) > rank(a) ? b : a;
}

static unsigned duration_s(const char *opt, const char *arg)
{
	uint64_t ms;

	if (xv_parse_duration_ms(arg, &ms) || ms < 1000 || ms > 7 * 24 * 3600 * 1000ULL)
		usage("%s takes a duration from 1s to 7d, like 300, 5m or 1h: '%s'", opt, arg);
	return (unsigned)(ms / 1000);
}

static void parse_thresholds(const char *arg, unsigned t[3])
{
	char *copy = xv_strdup(arg), *save = NULL, *part = strtok_r(copy, ",", &save);
	uint64_t v;
	int n = 0;

	for (; part; part = strtok_r(NULL, ",", &save)) {
		if (n == 3 || xv_parse_u64(part, 0, 100, &v))
			break;
		t[n++] = (unsigned)v;
	}
	free(copy);
	if (part || n != 3 || t[0] < t[1] || t[1] < t[2])
		usage("--thresholds takes three percentages from high to low, like 99,90,50: '%s'",
		      arg);
}

static void parse_options(struct config *c, int argc, char **argv)
{
	bool validity_given = false;
	const char *pause;
	uint64_t n;
	int o;

	c->legacy = (struct xv_sls_legacy){ { 99, 90, 50 }, DEFAULT_REFRESH_S, 0 };
	c->timeout_ms = DEFAULT_TIMEOUT_MS;
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":i:p:o:t:P:qvhV", options, NULL)) != -1) {
		switch (o) {
		case 'i':
			c->inventory = optarg;
			break;
		case 'p':
			c->pool = optarg;
			break;
		case 'o':
			c->dir = optarg;
			break;
		case OPT_ID:
			c->id = optarg;
			break;
		case OPT_FORMAT:
			if (!strcmp(optarg, "xsls"))
				c->format = XV_SLS_XSLS;
			else if (!strcmp(optarg, "legacy"))
				c->format = XV_SLS_LEGACY;
			else if (!strcmp(optarg, "json"))
				c->format = XV_SLS_JSON;
			else
				usage("unknown format '%s': xsls, legacy or json", optarg);
			break;
		case OPT_PUBLISH_UNAVAILABLE:
			c->publish_unavailable = true;
			break;
		case 't':
			if (xv_parse_duration_ms(optarg, &n) || n < 1 || n > 3600000)
				usage("-t takes a duration from 1ms to 1h, like 30 or 500ms: '%s'",
				      optarg);
			c->timeout_ms = (unsigned)n;
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &n))
				usage("-P takes a number from 1 to 4096: '%s'", optarg);
			c->parallel = (unsigned)n;
			break;
		case 'q':
			c->quiet = true;
			break;
		case 'v':
			c->verbose = true;
			break;
		case OPT_THRESHOLDS:
			parse_thresholds(optarg, c->legacy.thresholds);
			c->legacy_options = true;
			break;
		case OPT_REFRESH:
			c->legacy.refresh_s = duration_s("--refresh", optarg);
			c->legacy_options = true;
			break;
		case OPT_VALIDITY:
			c->legacy.validity_s = duration_s("--validity", optarg);
			c->legacy_options = validity_given = true;
			break;
		case 'h':
			help();
		case 'V':
			printf(PROG " %s (xvmon)\n", XV_VERSION);
			exit(EX_OK);
		case ':':
			usage("option '%s' needs a value", argv[optind - 1]);
		default:
			usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage("unexpected argument '%s'", argv[optind]);
	if (!c->dir)
		usage("no output directory: give one with -o DIR");
	if (c->legacy_options && c->format != XV_SLS_LEGACY)
		usage("--thresholds, --refresh and --validity belong to --format legacy");
	if (!validity_given)
		c->legacy.validity_s = 3 * c->legacy.refresh_s;
	if (c->legacy.validity_s < c->legacy.refresh_s)
		usage("--validity must be at least --refresh: an update would expire before the "
		      "next one");
	if (!c->inventory)
		c->inventory = getenv("XVMON_INVENTORY");
	if (!c->inventory)
		c->inventory = DEFAULT_INVENTORY;
	if ((pause = getenv(TEST_PAUSE_ENV)) && !xv_parse_u64(pause, 0, 600000, &n))
		c->pause_ms = (unsigned)n;
}

/* --- the pools to publish ---------------------------------------------- */

struct job {
	const struct xv_inv_pool *pool;
	const char *id;
	size_t first; /* its hosts' results: results[first .. first + n_hosts) */
};

/* One file a pool writes: ID.xml, ID_vm.xml or ID_pm.xml. */
struct feed_file {
	char *name;
	size_t job;
};

static int by_name_then_job(const void *a, const void *b)
{
	const struct feed_file *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->job > y->job) - (x->job < y->job);
}

/* Two pools with different ids can still write the same file: pool 'X_vm'
 * writes X_vm_vm.xml, X_vm_pm.xml and X_vm.xml, which pool 'X' writes as its
 * VM feed.  Every name is checked before anything is polled, a feed whose
 * ratio is undefined included (its name stays the pool's).  0 or EX_DATAERR
 * naming the pair that comes first in the inventory. */
static int check_file_names(const struct config *c, const struct xv_inventory *inv,
			    const struct job *jobs, size_t n_jobs)
{
	size_t n = n_jobs * XV_SLS_KINDS, best = n;
	struct feed_file *files = xv_calloc(n ? n : 1, sizeof(*files));
	int rc = 0;

	for (size_t j = 0; j < n_jobs; j++)
		for (int k = 0; k < XV_SLS_KINDS; k++)
			files[j * XV_SLS_KINDS + (size_t)k] = (struct feed_file){
				xv_asprintf("%s%s%s", jobs[j].id, xv_sls_suffix((enum xv_sls_kind)k),
					    xv_sls_extension(c->format)),
				j
			};
	xv_sort(files, n, sizeof(*files), by_name_then_job);
	/* of all the clashes, the one whose second pool comes first */
	for (size_t i = 1; i < n; i++)
		if (!strcmp(files[i].name, files[i - 1].name) &&
		    (best == n || files[i].job < files[best].job))
			best = i;
	if (best < n) {
		size_t first = best;
		while (first > 0 && !strcmp(files[first - 1].name, files[best].name))
			first--;
		complain("pools '%s' and '%s' both write '%s': give each its own sls_id in %s",
			 jobs[files[first].job].pool->name, jobs[files[best].job].pool->name,
			 files[best].name, inv->path);
		rc = EX_DATAERR;
	}
	for (size_t i = 0; i < n; i++)
		free(files[i].name);
	free(files);
	return rc;
}

/* Chooses the pools and their ids; 0 or a sysexits code, said on stderr. */
static int plan(const struct config *c, const struct xv_inventory *inv, struct job **jobs,
		size_t *n_jobs)
{
	const struct xv_inv_pool *only = NULL;

	*jobs = NULL;
	*n_jobs = 0;
	if (c->pool && !(only = xv_inventory_pool(inv, c->pool))) {
		complain("no pool '%s' in %s", c->pool, inv->path);
		return EX_USAGE;
	}
	if (c->id && !only && inv->n_pools > 1) {
		complain("--id names one feed: choose its pool with -p (%s has %zu pools)",
			 inv->path, inv->n_pools);
		return EX_USAGE;
	}
	if (c->id && !xv_sls_id_valid(c->id)) {
		complain("--id '%s' is not a valid SLS id: 1 to %d letters, digits, '.', '-' or '_'",
			 c->id, XV_SLS_ID_MAX);
		return EX_USAGE;
	}
	*jobs = xv_calloc(inv->n_pools, sizeof(**jobs));
	for (size_t i = 0; i < inv->n_pools; i++) {
		const struct xv_inv_pool *p = &inv->pools[i];
		const char *id = c->id ? c->id : p->sls_id ? p->sls_id : p->name;
		if (only && p != only)
			continue;
		/* checked for every pool before anything is polled or written */
		if (!xv_sls_id_valid(id)) {
			complain("pool '%s': '%s' is not a valid SLS id (1 to %d letters, digits, "
				 "'.', '-' or '_'): set sls_id in %s", p->name, id, XV_SLS_ID_MAX,
				 inv->path);
			return EX_DATAERR;
		}
		for (size_t j = 0; j < *n_jobs; j++)
			if (!strcmp((*jobs)[j].id, id)) {
				complain("pools '%s' and '%s' both publish as '%s': give each its own "
					 "sls_id in %s", (*jobs)[j].pool->name, p->name, id, inv->path);
				return EX_DATAERR;
			}
		(*jobs)[(*n_jobs)++] = (struct job){ p, id, 0 };
	}
	return check_file_names(c, inv, *jobs, *n_jobs);
}

/* Every host of every chosen pool, in one parallel pass; jobs[j].first says
 * where each pool's results start. */
static struct xv_poll_result *poll_all(const struct config *c, const struct xv_inventory *inv,
				       struct job *jobs, size_t n_jobs, size_t *n_results)
{
	const struct xv_inv_pool **pools = xv_calloc(n_jobs ? n_jobs : 1, sizeof(*pools));
	uint64_t reserve = c->timeout_ms / 10, now = xv_monotonic_ms();
	struct xv_pools_poll_options opt = { .parallel = c->parallel };
	struct xv_poll_result *results;
	size_t first = 0;

	/* the poll ends early enough to leave time for writing the feeds */
	if (reserve > WRITE_RESERVE_MAX_MS)
		reserve = WRITE_RESERVE_MAX_MS;
	opt.deadline_ms = xv_deadline_at_ms() - reserve;
	if (opt.deadline_ms <= now)
		opt.deadline_ms = now + 1;
	for (size_t j = 0; j < n_jobs; j++) {
		pools[j] = jobs[j].pool;
		jobs[j].first = first;
		first += jobs[j].pool->n_hosts;
	}
	xv_deadline_stage("polling %zu hosts", first);
	results = xv_pools_poll(inv, pools, n_jobs, &opt, n_results);
	free(pools);
	return results;
}

/* --- writing ------------------------------------------------------------ */

/* Writes the defined feeds of `u`: all temporaries are written and synced
 * before the first rename, so a pool's feeds change together or not at
 * all.  Signals that would end the program are held meanwhile (a few
 * milliseconds), so a stop never leaves a temporary file behind.
 * Returns 0 or a sysexits code. */
static int publish(const struct config *c, const struct xv_sls_update *u)
{
	struct xv_atomic_file af[XV_SLS_KINDS];
	struct xv_buf doc = XV_BUF_INIT;
	struct xv_error e;
	sigset_t hold, old;
	int rc = 0;

	memset(af, 0, sizeof(af));
	sigemptyset(&hold);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &old);
	xv_deadline_stage("writing the feeds of pool '%s' in '%s' (its previous feeds are unchanged)",
			  u->pool, c->dir);

	for (int k = 0; k < XV_SLS_KINDS; k++) {
		const struct xv_sls_feed *f = &u->feeds[k];
		char *path;
		if (!f->defined)
			continue;
		xv_buf_reset(&doc);
		if (xv_sls_render(u, f, c->format, &c->legacy, &doc, &e)) {
			complain("%s", e.msg);
			rc = xv_error_exit_code(e.code);
			goto out;
		}
		path = xv_asprintf("%s/%s%s", c->dir, f->id, xv_sls_extension(c->format));
		rc = xv_atomic_file_open(&af[k], path, 0644, &e);
		free(path);
		if (!rc) {
			fwrite(doc.data, 1, doc.len, af[k].fp);
			rc = xv_atomic_file_prepare(&af[k], &e);
		}
		if (rc) {
			complain("%s; the previous feeds of pool '%s' are unchanged", e.msg, u->pool);
			rc = xv_error_exit_code(e.code);
			goto out;
		}
	}
	if (c->pause_ms)
		xv_sleep_ms(c->pause_ms);
	/* three renames: a deadline that strikes now waits for them */
	xv_deadline_stage("renaming the feeds of pool '%s' in '%s'", u->pool, c->dir);
	xv_deadline_hold();
	for (int k = 0; k < XV_SLS_KINDS; k++) {
		const struct xv_sls_feed *f = &u->feeds[k];
		char *path;
		if (!f->defined)
			continue;
		path = xv_strdup(af[k].path);
		if (xv_atomic_file_commit(&af[k], &e)) {
			complain("%s", e.msg);
			rc = xv_error_exit_code(e.code);
		} else if (c->verbose) {
			char pct[16];
			xv_permille_format(f->permille, pct, sizeof(pct));
			printf("%s: %s", path, xv_sls_status_name(f->status));
			if (f->has_availability)
				printf(", availability %s%%", pct);
			putchar('\n');
		}
		free(path);
	}
	xv_deadline_release();
out:
	for (int k = 0; k < XV_SLS_KINDS; k++)
		xv_atomic_file_abort(&af[k]);
	xv_buf_release(&doc);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

/* "xen-a timed out: no answer within 1000 ms; xen-b failed: ...; and 2 more" */
static void silent_hosts(struct xv_buf *b, const struct xv_inventory *inv,
			 const struct xv_inv_pool *p, const struct xv_poll_result *results)
{
	size_t shown = 0;

	for (size_t i = 0; i < p->n_hosts; i++) {
		if (results[i].error.code == XV_E_NONE)
			continue;
		if (shown == HOSTS_IN_MESSAGE) {
			xv_buf_addf(b, "; and %zu more", p->n_hosts - shown);
			break;
		}
		xv_buf_addf(b, "%s%s: %s", shown ? "; " : "", inv->hosts[p->hosts[i]].name,
			    results[i].error.msg);
		shown++;
	}
}

static int export_pool(const struct config *c, const struct xv_inventory *inv,
		       const struct job *job, const struct xv_poll_result *results,
		       struct timespec now, unsigned poll_ms)
{
	const struct xv_inv_pool *p = job->pool;
	struct xv_pool_report report;
	struct xv_sls_update u;
	int rc;

	if (!p->n_hosts && !p->n_vms) {
		complain("pool '%s' expects no hosts and no VMs: nothing to publish (check %s)",
			 p->name, inv->path);
		return EX_DATAERR;
	}
	xv_pool_report_build(p, results, &report);
	if (report.verdict == XV_POOL_CHECKER_FAILED || report.verdict == XV_POOL_OUT_OF_TIME) {
		const struct xv_poll_result *r = &results[report.first_unasked];
		bool local = report.verdict == XV_POOL_CHECKER_FAILED;
		complain("pool '%s': %zu of %zu hosts %s (%s: %s): feeds left unchanged", p->name,
			 report.hosts_unasked, report.hosts_expected,
			 local ? "could not be asked" : "were cut short by -t",
			 inv->hosts[p->hosts[report.first_unasked]].name, r->error.msg);
		xv_pool_report_release(&report);
		return local ? xv_error_exit_code(r->error.code) : EX_TEMPFAIL;
	}
	xv_sls_update_build(inv, p, job->id, results, &report, now, poll_ms, &u);
	if (u.poll_failed) {
		struct xv_buf why = XV_BUF_INIT;
		silent_hosts(&why, inv, p, results);
		if (!c->publish_unavailable) {
			complain("pool '%s': no host answered (%s): feeds left unchanged "
				 "(--publish-unavailable publishes them as unavailable)", p->name,
				 why.data);
			xv_buf_release(&why);
			rc = EX_TEMPFAIL;
			goto out;
		}
		if (!c->quiet)
			complain("pool '%s': no host answered (%s): publishing it as unavailable",
				 p->name, why.data);
		xv_buf_release(&why);
	}
	if (!c->quiet) {
		for (size_t i = 0; i < p->n_hosts; i++) {
			const struct xv_inv_host *h = &inv->hosts[p->hosts[i]];
			const char *caveat = xv_source_caveat(h->uri);
			if (caveat)
				complain("note: host %s: %s", h->name, caveat);
		}
		if (!u.feeds[XV_SLS_VM].defined)
			complain("note: pool '%s' expects no VMs, so its VM ratio is undefined: no "
				 "%s feed", p->name, u.feeds[XV_SLS_VM].id);
		if (!u.feeds[XV_SLS_PM].defined)
			complain("note: pool '%s' has no hosts, so its server ratio is undefined: no "
				 "%s feed", p->name, u.feeds[XV_SLS_PM].id);
	}
	rc = publish(c, &u);
out:
	xv_sls_update_release(&u);
	xv_pool_report_release(&report);
	return rc;
}

static void die_oom(const char *message)
{
	fprintf(stderr, PROG ": %s\n", message);
	_exit(EX_OSERR);
}

int main(int argc, char **argv)
{
	struct config c = { 0 };
	struct xv_inventory inv;
	struct job *jobs = NULL;
	struct xv_poll_result *results = NULL;
	size_t n_jobs = 0, n_results = 0;
	struct timespec now;
	struct stat st;
	struct xv_error err;
	uint64_t start;
	unsigned poll_ms;
	int rc;

	xv_heap_use_huge_pages(XV_HEAP_HUGE_RESERVE_SITE); /* run by a timer, once, and gone */
	xv_set_die_hook(die_oom);
	LIBXML_TEST_VERSION
	parse_options(&c, argc, argv);

	/* -t bounds the whole run: the inventory and its VM repositories may
	 * sit on a hung file system, the feeds' directory too */
	if (xv_deadline_start(PROG, "-t", c.timeout_ms, &err)) {
		complain("%s", err.msg);
		xmlCleanupParser();
		return xv_error_exit_code(err.code);
	}
	xv_deadline_stage("reading the inventory '%s'", c.inventory);
	if (xv_inventory_load(c.inventory, &inv, &err)) {
		complain("%s", err.msg);
		rc = xv_error_exit_code(err.code);
		goto out;
	}
	if ((rc = plan(&c, &inv, &jobs, &n_jobs)))
		goto out;
	/* before polling: a run that cannot write has nothing to do */
	xv_deadline_stage("looking at the output directory '%s'", c.dir);
	if (stat(c.dir, &st)) {
		complain("output directory '%s': %s", c.dir, strerror(errno));
		rc = EX_CANTCREAT;
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		complain("output directory '%s': not a directory", c.dir);
		rc = EX_CANTCREAT;
		goto out;
	}

	start = xv_monotonic_ms();
	results = poll_all(&c, &inv, jobs, n_jobs, &n_results);
	poll_ms = (unsigned)(xv_monotonic_ms() - start);
	clock_gettime(CLOCK_REALTIME, &now);
	for (size_t j = 0; j < n_jobs; j++)
		rc = worst(rc, export_pool(&c, &inv, &jobs[j], results + jobs[j].first, now,
					   poll_ms));
	xv_deadline_stage("writing to standard output");
	if (fflush(stdout) || ferror(stdout)) {
		complain("standard output: %s", strerror(errno));
		rc = worst(rc, EX_IOERR);
	}
out:
	xv_deadline_stop();
	xv_poll_results_free(results, n_results);
	free(jobs);
	xv_inventory_release(&inv);
	xmlCleanupParser();
	return rc;
}
