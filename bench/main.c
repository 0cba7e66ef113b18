/* SPDX-License-Identifier: GPL-3.0-or-later */
/* main.c: xvmon-bench — ballooning experiments (seed section 2) and
 * capacity planning.  Subcommands: run, plot, plan, drivers.
 *
 * Exit codes follow sysexits(3), chosen from the error's code
 * (xv_error_exit_code): 64 usage, 65 bad plan or data, or a run that reached
 * a bound, 66 missing input, 69 gnuplot missing for `plot`, 70 internal or
 * driver failure, 71 out of memory, 73 output cannot be created, 74 cannot
 * be written; 130 when interrupted.  A run that stops early for any reason
 * but a failure to write still writes what was measured. */
#include "analysis.h"
#include "buf.h"
#include "capacity.h"
#include "charts.h"
#include "data.h"
#include "driver.h"
#include "num.h"
#include "output.h"
#include "plan.h"
#include "rundir.h"
#include "runner.h"
#include "util.h"
#include "xv_paths.h"

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>


#define EXIT_INTERRUPTED 130

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	stop_requested = sig;
}

/* The first SIGINT or SIGTERM asks the run to stop and write what it has;
 * a second one kills as usual (SA_RESETHAND). */
static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Running out of memory during a run keeps what was measured: the die hook
 * jumps back to run_guarded(), which frees a reserve so the data can be
 * written.  The
 * data structures stay consistent, as every array grows before its count
 * does.  Anywhere else it ends the program. */
#define OOM_RESERVE_BYTES (64u << 20)
static sigjmp_buf oom_jump;
static volatile sig_atomic_t oom_armed;
static void *oom_reserve;

static void die_oom(const char *message)
{
	if (oom_armed) {
		oom_armed = 0;
		free(oom_reserve);
		oom_reserve = NULL;
		siglongjmp(oom_jump, 1);
	}
	fprintf(stderr, "xvmon-bench: %s\n", message);
	_exit(EX_OSERR);
}

/* Says what failed; returns the exit code of its kind. */
static int fail(const struct xv_error *e)
{
	warnx("%s", e->msg);
	return xv_error_exit_code(e->code);
}

static const char usage_text[] =
	"usage: xvmon-bench run PLAN -o DIR [--seed N] [--driver NAME] [--no-charts] [-q]\n"
	"       xvmon-bench plot DIR\n"
	"       xvmon-bench plan [--plan PLAN] [--hosts LIST] [--guest-sizes LIST]\n"
	"                        [--mix MIX]... [--floor SIZE] [--seed N]\n"
	"       xvmon-bench drivers\n"
	"       xvmon-bench --help | --version\n";

static const char help_text[] =
	"\n"
	"Runs memory-ballooning experiments (plain, clean and stress guests) on a\n"
	"driver, records host and guest memory, draws charts and writes a capacity\n"
	"report; or sweeps host size, guest size and profile mix on the model.\n"
	"\n"
	"run PLAN -o DIR      carry out PLAN; write samples.csv, guests.csv,\n"
	"                     events.csv, bycount.csv, footprint.csv, summary.json,\n"
	"                     report.txt, report.html and charts (PNG, SVG) into DIR\n"
	"  -o, --output DIR   output directory (created if missing)\n"
	"  -s, --seed N       random seed (default: the plan's, else 1)\n"
	"  -d, --driver NAME  driver to run on (default: model; see `drivers`)\n"
	"      --no-charts    do not run gnuplot\n"
	"  -q, --quiet        do not print the report\n"
	"plot DIR             render DIR's charts again from its CSV files\n"
	"plan                 print safe guest counts for hosts x guest sizes x mixes\n"
	"      --plan PLAN    base host and profiles (default: the seed's host)\n"
	"      --hosts LIST   host memory sizes, e.g. 32G,48G,64G (the default)\n"
	"      --guest-sizes LIST  guest memory sizes, e.g. 2G,4G (the default)\n"
	"      --mix MIX      profiles added, e.g. stress or stress:1,clean:3;\n"
	"                     repeatable (default: each profile, and stress:1,clean:1)\n"
	"      --floor SIZE   free memory a safe host keeps (default: one guest)\n"
	"drivers              list the drivers\n"
	"\n"
	"Environment: XVMON_BENCH_PLOT_DIR (gnuplot scripts), XVMON_GNUPLOT (gnuplot).\n"
	"Progress is shown on a terminal only.  Ctrl-C stops a run: what was measured\n"
	"is written, marked interrupted, and the exit status is 130.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	fputs(usage_text, stderr);
	return EX_USAGE;
}

static int parse_seed(const char *s, uint64_t *seed)
{
	return xv_parse_u64(s, 0, UINT64_MAX, seed) ? -1 : 0;
}

/* Where the gnuplot scripts are: the environment, next to the program (a
 * build tree), or the installed data directory.  Caller frees. */
static char *plot_dir(void)
{
	const char *env = getenv("XVMON_BENCH_PLOT_DIR");
	char exe[4096];
	ssize_t n;

	if (env && *env)
		return xv_strdup(env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash, *candidate;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			candidate = xv_asprintf("%s/plot/free.gp", exe);
			if (!access(candidate, R_OK)) {
				free(candidate);
				return xv_asprintf("%s/plot", exe);
			}
			free(candidate);
		}
	}
	return xv_strdup(XV_DATADIR "/plot");
}

static const char *gnuplot_program(void)
{
	const char *env = getenv("XVMON_GNUPLOT");

	return env && *env ? env : "gnuplot";
}

/* Loads and checks a plan file: 0, or the exit code after saying why. */
static int load_plan(struct xv_bench_plan *plan, const char *path)
{
	struct xv_error e;

	if (xv_bench_plan_load(plan, path, &e))
		return fail(&e);
	return 0;
}

/* --- progress ------------------------------------------------------------- */

struct progress {
	struct timespec start, last;
	bool shown;
};

static double seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static void show_progress(void *ctx, const struct xv_bench_progress *p)
{
	struct progress *pr = ctx;
	double wall = seconds_since(&pr->start);
	uint64_t s = p->sim_ms / 1000;

	if (pr->shown && seconds_since(&pr->last) < 0.2)
		return;
	clock_gettime(CLOCK_MONOTONIC, &pr->last);
	pr->shown = true;
	fprintf(stderr, "\r\033[Kguests %u", p->added);
	if (p->sim_total_ms)
		fprintf(stderr, "/%u", p->limit);
	fprintf(stderr, "  time %" PRIu64 ":%02" PRIu64 ":%02" PRIu64, s / 3600, s / 60 % 60, s % 60);
	if (p->sim_total_ms && p->sim_ms) {
		double frac = (double)p->sim_ms / (double)p->sim_total_ms;
		if (frac > 1)
			frac = 1;
		fprintf(stderr, "  ETA %.0f s", wall * (1 - frac) / frac);
	} else {
		fprintf(stderr, "  (until a creation fails)");
	}
	fflush(stderr);
}

/* --- run ------------------------------------------------------------------ */

/* The analysis, derived files, charts, summary and reports of a run whose
 * CSV files are complete in `dir`.  Returns 0 or an exit code. */
static int write_outputs(const struct xv_bench_plan *plan, const char *driver, uint64_t seed,
			 const struct xv_bench_record *rec, const char *dir, bool charts, bool quiet)
{
	struct xv_bench_results res;
	struct xv_bench_report_info info = { .plan = plan, .driver = driver, .seed = seed };
	char names[XV_BENCH_MAX_PROFILES][XV_BENCH_NAME_MAX];
	struct xv_error e;
	char *pdir = NULL;
	int rc;

	for (unsigned p = 0; p < plan->nprofiles; p++)
		xv_strlcpy(names[p], plan->profiles[p].name, XV_BENCH_NAME_MAX);
	xv_bench_acc_results(rec->acc, plan, plan->free_floor_kib, rec->interrupted, &res);
	if (xv_bench_write_derived(plan->nprofiles, (const char (*)[XV_BENCH_NAME_MAX])names, &res, dir,
				   &e)) {
		rc = fail(&e);
		goto out;
	}
	if (!charts) {
		info.charts_note = "--no-charts";
	} else if (!rec->samples) {
		info.charts_note = "no samples were taken";
	} else {
		pdir = plot_dir();
		if (xv_bench_render_charts(dir, pdir, gnuplot_program(), &e) == 0) {
			info.charts = xv_bench_chart_files;
		} else {
			warnx("charts skipped: %s", e.msg);
			info.charts_note = e.code == XV_E_UNSUPPORTED ? "gnuplot is not installed"
								      : "gnuplot failed";
		}
	}
	if (xv_bench_write_summary(&info, &res, dir, &e) ||
	    xv_bench_write_reports(&info, &res, dir, &e)) {
		rc = fail(&e);
		goto out;
	}
	if (!quiet) {
		struct xv_buf b = XV_BUF_INIT;
		xv_bench_format_report(&info, &res, &b);
		fputs(b.data, stdout);
		xv_buf_release(&b);
	}
	rc = 0;
out:
	free(pdir);
	xv_bench_results_release(&res);
	return rc;
}

/* Runs the plan, catching an out-of-memory end of the run: then what was
 * measured is recorded, marked, and e says so.  0 or -1 with e set. */
static int run_guarded(const struct xv_bench_plan *plan, struct xv_bench_driver *drv,
		       const struct xv_bench_run_opts *opts, struct xv_bench_record *rec,
		       struct xv_error *e)
{
	volatile int rc = -1;

	oom_reserve = malloc(OOM_RESERVE_BYTES);
	if (sigsetjmp(oom_jump, 0) == 0) {
		oom_armed = 1;
		rc = xv_bench_run(plan, drv, opts, rec, e);
		oom_armed = 0;
	} else {
		static char why[] = "out of memory";
		struct xv_bench_rec_event ev = { .kind = XV_EV_INTERRUPTED, .guest = -1, .profile = -1,
						 .time_ms = rec->last_sample_ms, .text = why };

		xv_error(e, XV_E_LOCAL, "out of memory after %llu samples",
			 (unsigned long long)rec->samples);
		rec->interrupted = true;
		xv_bench_record_event(rec, &ev);
		rc = -1;
	}
	free(oom_reserve);
	oom_reserve = NULL;
	return rc;
}

static int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "seed", required_argument, NULL, 's' },
		{ "driver", required_argument, NULL, 'd' },
		{ "no-charts", no_argument, NULL, 'C' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *driver_name = "model";
	const struct xv_bench_driver_ops *ops;
	struct xv_bench_plan plan;
	struct xv_bench_driver drv;
	struct xv_bench_record rec = { NULL, NULL, 0, 0, 0, 0, false };
	struct xv_bench_rundir rd = { NULL, NULL };
	struct progress progress;
	struct xv_bench_run_opts opts = { .stop = &stop_requested };
	bool charts = true, quiet = false, have_seed = false, loaded = false, opened = false;
	uint64_t seed = 0;
	struct xv_error e;
	int c, rc, run_rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:s:d:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 's':
			if (parse_seed(optarg, &seed))
				return usage_error("--seed: '%s' is not a whole number", optarg);
			have_seed = true;
			break;
		case 'd':
			driver_name = optarg;
			break;
		case 'C':
			charts = false;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return usage_error(optind < argc ? "run takes one plan" : "run needs a plan");
	if (!out)
		return usage_error("run needs an output directory (-o DIR)");
	if (xv_bench_rundir_check(out, &e))
		return usage_error("%s", e.msg);
	ops = xv_bench_driver_find(driver_name);
	if (!ops)
		return usage_error("unknown driver '%s' (`xvmon-bench drivers` lists them)", driver_name);
	/* A plan is checked whole before anything is created or written. */
	if ((rc = load_plan(&plan, argv[optind])))
		return rc;
	loaded = true;
	if (!have_seed)
		seed = plan.seed;
	if (xv_bench_rundir_begin(&rd, out, &e)) {
		rc = fail(&e);
		goto out;
	}
	{
		char names[XV_BENCH_MAX_PROFILES][XV_BENCH_NAME_MAX];

		for (unsigned p = 0; p < plan.nprofiles; p++)
			xv_strlcpy(names[p], plan.profiles[p].name, XV_BENCH_NAME_MAX);
		rec.acc = xv_bench_acc_new(plan.nprofiles);
		rec.csv = xv_bench_csv_open(rd.tmp, plan.nprofiles,
					    (const char (*)[XV_BENCH_NAME_MAX])names, &e);
		if (!rec.csv) {
			rc = fail(&e);
			goto out;
		}
	}
	catch_signals();
	if (xv_bench_driver_open(&drv, ops, xv_bench_driver_arg(driver_name), &plan, seed)) {
		warnx("driver %s: %s", ops->name, drv.err.msg);
		rc = xv_error_exit_code(drv.err.code);
		goto out;
	}
	opened = true;
	opts.seed = seed;
	if (isatty(STDERR_FILENO)) {
		memset(&progress, 0, sizeof(progress));
		clock_gettime(CLOCK_MONOTONIC, &progress.start);
		opts.progress = show_progress;
		opts.progress_ctx = &progress;
	}
	run_rc = run_guarded(&plan, &drv, &opts, &rec, &e);
	if (opts.progress && progress.shown)
		fputs("\r\033[K", stderr);
	if (run_rc)
		warnx("%s; writing what was measured", e.msg);
	else if (rec.interrupted)
		warnx("interrupted: writing what was measured so far");
	/* what could not be measured is still written, then put in place */
	{
		struct xv_error ce;
		struct xv_bench_csv *csv = rec.csv;

		rec.csv = NULL;
		if (xv_bench_csv_close(csv, &ce)) {
			rc = fail(&ce);
			xv_bench_rundir_abort(&rd);
			goto out;
		}
	}
	rc = write_outputs(&plan, ops->name, seed, &rec, rd.tmp, charts, quiet);
	if (rc) {
		xv_bench_rundir_abort(&rd);
		goto out;
	}
	if (xv_bench_rundir_commit(&rd, &e)) {
		rc = fail(&e);
		goto out;
	}
	if (run_rc)
		rc = xv_error_exit_code(e.code);
	else if (rec.interrupted)
		rc = EXIT_INTERRUPTED;
out:
	xv_bench_csv_abort(rec.csv);
	xv_bench_rundir_abort(&rd);
	if (opened)
		xv_bench_driver_close(&drv);
	xv_bench_acc_free(rec.acc);
	if (loaded)
		xv_bench_plan_release(&plan);
	return rc;
}

/* --- plot ------------------------------------------------------------------ */

static int cmd_plot(int argc, char **argv)
{
	struct xv_bench_data data;
	struct xv_bench_results res;
	struct xv_error e;
	char *pdir;
	struct stat st;
	int rc = 0;

	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		return usage_error("plot takes one output directory");
	if (stat(argv[1], &st) || !S_ISDIR(st.st_mode)) {
		warnx("no output directory '%s'", argv[1]);
		return EX_NOINPUT;
	}
	if (xv_bench_data_load(&data, argv[1], &e))
		return fail(&e);
	if (!data.nsamples) {
		warnx("%s has no samples: nothing to plot", argv[1]);
		xv_bench_data_release(&data);
		return EX_DATAERR;
	}
	xv_bench_analyze(&data, NULL, 0, &res);
	if (xv_bench_write_derived(data.nprofiles, data.profile_names, &res, argv[1], &e)) {
		rc = fail(&e);
	} else {
		pdir = plot_dir();
		if (xv_bench_render_charts(argv[1], pdir, gnuplot_program(), &e))
			rc = fail(&e);
		free(pdir);
	}
	xv_bench_results_release(&res);
	xv_bench_data_release(&data);
	return rc;
}

/* --- plan ------------------------------------------------------------------ */

/* A list of sizes within [min, max] (what the plan accepts for a host or a
 * guest), whose limits the messages name. */
static int parse_sizes(const char *opt, const char *list, uint64_t min, uint64_t max,
		       uint64_t *out, unsigned *n)
{
	char *copy = xv_strdup(list), *save = NULL, *tok;
	char limit[32];
	int rc = 0;

	*n = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		uint64_t kib;
		if (*n == XV_BENCH_SWEEP_MAX) {
			rc = usage_error("%s: at most %d sizes", opt, XV_BENCH_SWEEP_MAX);
			break;
		}
		if (xv_parse_kib(tok, &kib) || !kib) {
			rc = usage_error("%s: '%s' is not a size (like 48G)", opt, tok);
			break;
		}
		if (kib < min || kib > max) {
			xv_format_kib(kib < min ? min : max, limit, sizeof(limit));
			rc = usage_error("%s: '%s' is %s the %s of %s", opt, tok,
					 kib < min ? "below" : "above", kib < min ? "minimum" : "limit",
					 limit);
			break;
		}
		out[(*n)++] = kib;
	}
	if (!rc && !*n)
		rc = usage_error("%s: no size given", opt);
	free(copy);
	return rc;
}

static int cmd_plan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "plan", required_argument, NULL, 'p' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "guest-sizes", required_argument, NULL, 'g' },
		{ "mix", required_argument, NULL, 'm' },
		{ "floor", required_argument, NULL, 'f' },
		{ "seed", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const default_mixes[] = { "plain", "clean", "stress", "stress:1,clean:1" };
	struct xv_bench_capacity_opts o;
	struct xv_bench_plan base;
	struct xv_buf table = XV_BUF_INIT;
	const char *base_path = NULL;
	struct xv_error e;
	char limit[32];
	int c, rc;

	memset(&o, 0, sizeof(o));
	o.seed = 1;
	o.stop = &stop_requested;
	parse_sizes("--hosts", "32G,48G,64G", 1, UINT64_MAX, o.hosts_kib, &o.nhosts);
	parse_sizes("--guest-sizes", "2G,4G", 1, UINT64_MAX, o.sizes_kib, &o.nsizes);
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			base_path = optarg;
			break;
		case 'H':
			if ((rc = parse_sizes("--hosts", optarg, XV_BENCH_HOST_MIN_KIB,
					      XV_BENCH_HOST_MAX_KIB, o.hosts_kib, &o.nhosts)))
				return rc;
			break;
		case 'g':
			if ((rc = parse_sizes("--guest-sizes", optarg, XV_BENCH_GUEST_MIN_KIB,
					      XV_BENCH_HOST_MAX_KIB, o.sizes_kib, &o.nsizes)))
				return rc;
			break;
		case 'm':
			if (o.nmixes == XV_BENCH_SWEEP_MAX)
				return usage_error("--mix: at most %d mixes", XV_BENCH_SWEEP_MAX);
			o.mixes[o.nmixes++] = optarg;
			break;
		case 'f':
			if (xv_parse_kib(optarg, &o.floor_kib))
				return usage_error("--floor: '%s' is not a size (like 4G)", optarg);
			if (o.floor_kib > XV_BENCH_HOST_MAX_KIB) {
				xv_format_kib(XV_BENCH_HOST_MAX_KIB, limit, sizeof(limit));
				return usage_error("--floor: '%s' is above the limit of %s", optarg, limit);
			}
			o.floor_set = true;
			break;
		case 's':
			if (parse_seed(optarg, &o.seed))
				return usage_error("--seed: '%s' is not a whole number", optarg);
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 0;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind != argc)
		return usage_error("plan takes no arguments besides options");
	if (base_path) {
		if ((rc = load_plan(&base, base_path)))
			return rc;
	} else if (xv_bench_plan_load_string(&base, "(built-in plan)", xv_bench_builtin_plan, &e)) {
		e.code = XV_E_SOFTWARE; /* ours, so a bug */
		return fail(&e);
	}
	if (!o.nmixes) {
		if (base_path) {
			for (unsigned i = 0; i < base.nprofiles && i < XV_BENCH_SWEEP_MAX; i++)
				o.mixes[o.nmixes++] = base.profiles[i].name;
		} else {
			for (size_t i = 0; i < XV_ARRAY_SIZE(default_mixes); i++)
				o.mixes[o.nmixes++] = default_mixes[i];
		}
	}
	/* every mix is checked before the sweep starts */
	for (unsigned m = 0; m < o.nmixes; m++) {
		struct xv_bench_mix mix;
		if (xv_bench_mix_parse(&base, o.mixes[m], &mix, &e)) {
			rc = usage_error("mix '%s': %s", o.mixes[m], e.msg);
			xv_bench_plan_release(&base);
			return rc;
		}
	}
	o.base = &base;
	catch_signals();
	rc = xv_bench_capacity(&o, &table, &e);
	fputs(table.data, stdout);
	if (rc < 0) {
		rc = fail(&e);
	} else if (rc == 1) {
		warnx("interrupted: the table is incomplete");
		rc = EXIT_INTERRUPTED;
	}
	xv_buf_release(&table);
	xv_bench_plan_release(&base);
	return rc;
}

static int cmd_drivers(void)
{
	for (unsigned i = 0; xv_bench_drivers[i]; i++)
		printf("%-8s %s\n", xv_bench_drivers[i]->name, xv_bench_drivers[i]->summary);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	xv_set_die_hook(die_oom);
	if (argc < 2)
		return usage_error("no command given");
	cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(usage_text, stdout);
		fputs(help_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
		printf("xvmon-bench %s\n", XV_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 1, argv + 1);
	if (!strcmp(cmd, "plot"))
		return cmd_plot(argc - 1, argv + 1);
	if (!strcmp(cmd, "plan"))
		return cmd_plan(argc - 1, argv + 1);
	if (!strcmp(cmd, "drivers") && argc == 2)
		return cmd_drivers();
	return usage_error("unknown command '%s'", cmd);
}
