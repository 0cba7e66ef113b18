/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plugin.c: shared plugin plumbing; see plugin.h. */
#include "plugin.h"
#include "clock.h"
#include "buf.h"
#include "clock.h"
#include "num.h"
#include "rates.h"
#include "source.h"
#include "text.h"
#include "util.h"

#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct xv_plugin *current;
static uint64_t started_ms;

/* Built when the alarm is armed: a signal handler may only write(). */
static char timeout_line[1024];
static size_t timeout_len;
static int timeout_exit;

static void die_out_of_memory(const char *message)
{
	/* Nothing may allocate here. */
	static const char unknown[] = " UNKNOWN - ";
	const char *service = current ? current->service : "XEN";

	if (write(STDOUT_FILENO, service, strlen(service)) < 0 ||
	    write(STDOUT_FILENO, unknown, sizeof(unknown) - 1) < 0 ||
	    write(STDOUT_FILENO, message, strlen(message)) < 0 || write(STDOUT_FILENO, "\n", 1) < 0)
		_exit(XV_UNKNOWN);
	_exit(XV_UNKNOWN);
}

void xv_plugin_start(struct xv_plugin *p)
{
	current = p;
	xv_heap_use_huge_pages(XV_HEAP_HUGE_RESERVE);
	started_ms = xv_monotonic_ms();
	if (!p->timeout_s)
		p->timeout_s = XV_DEFAULT_TIMEOUT_S;
	p->timeout_state = XV_CRITICAL;
	if (!p->source_uri)
		p->source_uri = "xen:";
	xv_set_die_hook(die_out_of_memory);
}

static void print_status(const struct xv_plugin *p, const char *fmt, va_list ap)
{
	struct xv_buf line = XV_BUF_INIT, clean = XV_BUF_INIT;

	xv_buf_vaddf(&line, fmt, ap);
	xv_text_clean(&clean, line.data, XV_TEXT_PLUGIN_LINE);
	printf("%s UNKNOWN - %s\n", p->service, clean.data);
	xv_buf_release(&line);
	xv_buf_release(&clean);
}

void xv_plugin_usage_error(const struct xv_plugin *p, const char *fmt, ...)
{
	va_list ap;

	struct xv_buf usage = XV_BUF_INIT;

	va_start(ap, fmt);
	print_status(p, fmt, ap);
	va_end(ap);
	/* long output: a '|' in the synopsis would start perfdata */
	for (const char *line = p->usage, *eol; *line; line = *eol ? eol + 1 : eol) {
		struct xv_buf one = XV_BUF_INIT;
		eol = strchrnul(line, '\n');
		xv_buf_add(&one, line, (size_t)(eol - line));
		xv_buf_adds(&usage, line == p->usage ? "Usage: " : "");
		xv_text_clean(&usage, one.data, XV_TEXT_PLUGIN_LINE);
		xv_buf_addch(&usage, '\n');
		xv_buf_release(&one);
	}
	printf("%sTry '%s --help' for more information.\n", usage.data, p->progname);
	xv_buf_release(&usage);
	exit(XV_UNKNOWN);
}

void xv_plugin_unknown(const struct xv_plugin *p, const char *fmt, ...)
{
	va_list ap;

	alarm(0);
	va_start(ap, fmt);
	print_status(p, fmt, ap);
	va_end(ap);
	exit(XV_UNKNOWN);
}

static void print_version_line(const struct xv_plugin *p)
{
	printf("%s %s (xvmon; sources: %s)\n", p->progname, XV_VERSION, xv_source_schemes());
}

void xv_plugin_version(const struct xv_plugin *p)
{
	print_version_line(p);
	exit(XV_UNKNOWN);
}

void xv_plugin_help(const struct xv_plugin *p)
{
	print_version_line(p);
	printf("\nUsage: %s\n\n%s%s%s", p->usage, p->help, p->help_shared ? p->help_shared : "",
	       p->help_tail ? p->help_tail : "");
	exit(XV_UNKNOWN);
}

void xv_plugin_opt_timeout(struct xv_plugin *p, const char *arg)
{
	char secs[32];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	uint64_t v;

	if (n >= sizeof(secs))
		xv_plugin_usage_error(p, "invalid timeout '%s': expected SECONDS[:STATE]", arg);
	memcpy(secs, arg, n);
	secs[n] = '\0';
	if (xv_parse_u64(secs, 1, 86400, &v))
		xv_plugin_usage_error(p, "invalid timeout '%s': seconds must be a whole number "
				      "from 1 to 86400", arg);
	p->timeout_s = (unsigned)v;
	if (colon && xv_state_parse(colon + 1, &p->timeout_state))
		xv_plugin_usage_error(p, "invalid timeout '%s': '%s' is not OK, WARNING, CRITICAL "
				      "or UNKNOWN", arg, colon + 1);
}

void xv_plugin_opt_range(const struct xv_plugin *p, const char *option, const char *arg,
			 unsigned allowed_units, struct xv_range *out, bool *given)
{
	enum xv_range_error e = xv_range_parse(arg, allowed_units, out);

	if (e)
		xv_plugin_usage_error(p, "invalid %s threshold '%s': %s", option, arg,
				      xv_range_strerror(e));
	*given = true;
}

void xv_plugin_opt_state(const struct xv_plugin *p, const char *option, const char *arg,
			 enum xv_state *out)
{
	if (xv_state_parse(arg, out))
		xv_plugin_usage_error(p, "invalid %s state '%s': use OK, WARNING, CRITICAL or UNKNOWN",
				      option, arg);
}

/* What getopt_long() (its optstring starting with ':') returned for an
 * unknown option or a missing value. */
static void __attribute__((noreturn)) bad_option(const struct xv_plugin *p, int opt,
						 const char *arg)
{
	/* getopt leaves the short option in optopt; for a long one, or one in
	 * a cluster like -vx, argv shows what was typed */
	if (opt == ':') {
		if (optopt && arg[0] == '-' && arg[1] != '-')
			xv_plugin_usage_error(p, "option '-%c' needs a value", optopt);
		xv_plugin_usage_error(p, "option '%s' needs a value", arg);
	}
	if (optopt)
		xv_plugin_usage_error(p, "unknown option '-%c'", optopt);
	xv_plugin_usage_error(p, "unknown option '%s'", arg);
}

void xv_plugin_common_option(struct xv_plugin *p, int opt, const char *arg)
{
	switch (opt) {
	case 't':
		xv_plugin_opt_timeout(p, optarg);
		break;
	case 'v':
		if (p->verbose < 3)
			p->verbose++;
		break;
	case 'h':
		xv_plugin_help(p);
	case 'V':
		xv_plugin_version(p);
	default:
		bad_option(p, opt, arg);
	}
}

void xv_plugin_no_args(const struct xv_plugin *p, int optind, int argc, char **argv)
{
	if (optind < argc)
		xv_plugin_usage_error(p, "unexpected argument '%s'", argv[optind]);
}

static void on_alarm(int sig)
{
	(void)sig;
	if (write(STDOUT_FILENO, timeout_line, timeout_len) < 0)
		_exit(timeout_exit);
	_exit(timeout_exit);
}

void xv_plugin_arm_timeout(struct xv_plugin *p)
{
	uint64_t total_ms = (uint64_t)p->timeout_s * 1000;
	/* half of a short -t: under load (a sanitizer build on a busy machine)
	 * a quarter of a second was not always enough to end the children */
	uint64_t reserve = total_ms > 2 * XV_PLUGIN_RESERVE_MS ? XV_PLUGIN_RESERVE_MS : total_ms / 2;

	struct xv_buf line = XV_BUF_INIT, clean = XV_BUF_INIT;
	struct sigaction sa;

	/* built now: a signal handler may only write() */
	xv_buf_addf(&line, "%s %s - plugin timed out after %u seconds (source %s)", p->service,
		    xv_state_name(p->timeout_state), p->timeout_s, p->source_uri);
	xv_text_clean(&clean, line.data, XV_TEXT_PLUGIN_LINE);
	timeout_len = xv_strlcpy(timeout_line, clean.data, sizeof(timeout_line) - 1);
	if (timeout_len > sizeof(timeout_line) - 2)
		timeout_len = sizeof(timeout_line) - 2;
	timeout_line[timeout_len++] = '\n';
	timeout_line[timeout_len] = '\0';
	xv_buf_release(&line);
	xv_buf_release(&clean);
	timeout_exit = p->timeout_state;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	p->answer_by_ms = xv_monotonic_ms() + total_ms - reserve;
	alarm(p->timeout_s);
}

struct xv_source *xv_plugin_source(const struct xv_plugin *p)
{
	struct xv_source *src = xv_source_new(p->source_uri);

	if (p->answer_by_ms)
		xv_source_set_deadline(src, p->answer_by_ms);
	return src;
}

void xv_plugin_caveat(const struct xv_plugin *p, struct xv_check *c)
{
	const char *caveat = xv_source_caveat(p->source_uri);

	if (caveat)
		xv_check_add(c, XV_OK, "%s", caveat);
}

int xv_plugin_finish(struct xv_check *c)
{
	enum xv_state state;

	alarm(0);
	/* the guidelines' levels: 0 one line, 1 a little more (each check's
	 * lists), 2 the configuration, 3 debugging */
	if (current && current->verbose >= 2)
		xv_check_detail(c, "config: source %s, timeout %u s (then %s)", current->source_uri,
				current->timeout_s, xv_state_name(current->timeout_state));
	if (current && current->verbose >= 3)
		xv_check_detail(c, "debug: %s %s, sources %s, ran %llu ms", current->progname,
				XV_VERSION, xv_source_schemes(),
				(unsigned long long)(xv_monotonic_ms() - started_ms));
	state = xv_check_state(c);
	xv_check_write(c, stdout);
	xv_check_release(c);
	return state;
}

void xv_plugin_state_load(const char *plugin, const char *dir, const struct xv_buf *key,
			  int verbose, char **path, struct xv_state_file *prev, struct xv_check *c)
{
	struct xv_error e;
	char *d;
	int rc;

	xv_state_file_init(prev);
	*path = NULL;
	if (!plugin)
		return;
	d = xv_state_file_dir(dir);
	*path = xv_state_file_path(d, plugin, key->data, key->len);
	free(d);
	rc = xv_state_file_load(*path, prev, &e);
	if (rc == 0)
		xv_check_add(c, XV_OK, "first run: rates and durations from the next run on");
	else if (rc < 0)
		xv_check_add(c, XV_OK, "previous state not used (%s): rates and durations start again",
			     e.msg);
	if (verbose >= 2)
		xv_check_detail(c, "config: state file %s", *path);
}

void xv_plugin_state_save(const char *path, struct xv_state_file *next, uint64_t time_ms,
			  struct xv_check *c)
{
	struct xv_error e;

	if (!path)
		return;
	next->time_ms = time_ms;
	if (xv_state_file_save(path, next, &e))
		xv_check_add(c, XV_UNKNOWN, "%s (give --state-dir DIR%s)", e.msg,
			     strstr(current ? current->usage : "", "--no-state") ? ", or --no-state" : "");
}

uint64_t xv_plugin_opt_duration(const struct xv_plugin *p, const char *option, const char *arg,
				uint64_t min_ms, uint64_t max_ms)
{
	uint64_t ms;
	enum xv_num_error e = xv_parse_duration_ms(arg, &ms);

	if (!e && (ms < min_ms || ms > max_ms))
		e = XV_NUM_RANGE;
	if (e)
		xv_plugin_usage_error(p, "invalid %s '%s': a duration like 90s or 5m (%s)", option, arg,
				      xv_num_strerror(e));
	return ms;
}

void xv_plugin_check_sample(const struct xv_plugin *p, uint64_t sample_ms)
{
	if (sample_ms && sample_ms + 1000 > (uint64_t)p->timeout_s * 1000)
		xv_plugin_usage_error(p, "--cpu-sample %llu ms does not fit in the %u s timeout "
				      "(leave at least a second)", (unsigned long long)sample_ms,
				      p->timeout_s);
}

bool xv_plugin_snapshot(struct xv_source *src, uint64_t sample_ms, struct xv_state_file *before,
			struct xv_snapshot *snap, struct xv_check *c)
{
	struct xv_error e;

	if (xv_source_snapshot(src, snap, &e)) {
		xv_check_add(c, XV_UNKNOWN, "%s", e.msg);
		return false;
	}
	if (!sample_ms)
		return true;
	xv_state_file_release(before);
	xv_rates_reading(snap, before);
	xv_snapshot_release(snap);
	xv_sleep_ms(sample_ms);
	if (xv_source_snapshot(src, snap, &e)) {
		xv_check_add(c, XV_UNKNOWN, "%s", e.msg);
		return false;
	}
	return true;
}
