/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plugin.h: what every check plugin shares: the die hook, option helpers,
 * the alarm() timeout, --help/--version, and printing the result once.
 *
 * This is the only code that prints and exits on a plugin's behalf (lib/
 * never does).  Every exit is 0-3 with one status line first, as the
 * Monitoring Plugins guidelines require: usage errors and bad thresholds
 * are UNKNOWN, --help and --version exit UNKNOWN too. */
#ifndef XV_PLUGIN_H
#define XV_PLUGIN_H

#include <stdbool.h>
#include <stdint.h>
#include "check.h"
#include "range.h"
#include "state.h"
#include "source.h"
#include "state_file.h"

#define XV_DEFAULT_TIMEOUT_S 10

struct xv_plugin {
	const char *progname;  /* "check_xen_host" */
	const char *service;   /* "XEN HOST" */
	const char *usage;     /* the synopsis lines, without "Usage: " */
	const char *help;      /* everything --help prints after the usage, */
	const char *help_shared; /* then, if set, options shared with another plugin, */
	const char *help_tail; /* then this */
	int verbose;           /* -v count, 0-3 */
	unsigned timeout_s;    /* -t, default XV_DEFAULT_TIMEOUT_S */
	enum xv_state timeout_state; /* -t secs:STATE, default CRITICAL */
	const char *source_uri;      /* -s, default "xen:" */
	uint64_t answer_by_ms;       /* set by xv_plugin_arm_timeout(): when the
				      * source must have answered (xv_monotonic_ms()) */
};

/* Installs the out-of-memory hook; call first in main(). */
void xv_plugin_start(struct xv_plugin *p);

/* Prints "SERVICE UNKNOWN - message", the short usage, and exits 3. */
void xv_plugin_usage_error(const struct xv_plugin *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* Prints "SERVICE UNKNOWN - message" and exits 3. */
void xv_plugin_unknown(const struct xv_plugin *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3), noreturn));

/* -h and -V: print and exit 3. */
void xv_plugin_help(const struct xv_plugin *p) __attribute__((noreturn));
void xv_plugin_version(const struct xv_plugin *p) __attribute__((noreturn));

/* Option parsers: on bad input they call xv_plugin_usage_error(). */
void xv_plugin_opt_timeout(struct xv_plugin *p, const char *arg);
void xv_plugin_opt_range(const struct xv_plugin *p, const char *option, const char *arg,
			 unsigned allowed_units, struct xv_range *out, bool *given);
void xv_plugin_opt_state(const struct xv_plugin *p, const char *option, const char *arg,
			 enum xv_state *out);
/* A duration option (90s, 5m, 2h; a bare number is seconds) from min_ms to
 * max_ms; usage error otherwise.  Returns milliseconds. */
uint64_t xv_plugin_opt_duration(const struct xv_plugin *p, const char *option, const char *arg,
				uint64_t min_ms, uint64_t max_ms);
/* The options every plugin takes: end a getopt_long() table with
 * XV_PLUGIN_COMMON_OPTIONS, append XV_PLUGIN_COMMON_SHORT to the optstring
 * (which starts with ':'), and send the switch's default: case to
 * xv_plugin_common_option(). */
#define XV_PLUGIN_COMMON_OPTIONS                                                \
	{ "timeout", required_argument, NULL, 't' },                            \
	{ "verbose", no_argument, NULL, 'v' },                                  \
	{ "help", no_argument, NULL, 'h' },                                     \
	{ "version", no_argument, NULL, 'V' },                                  \
	{ NULL, 0, NULL, 0 }
#define XV_PLUGIN_COMMON_SHORT "t:vhV"

/* -t, -v (up to 3), -h and -V; anything else is reported as an unknown
 * option or a missing value.  `arg` is argv[optind - 1]. */
void xv_plugin_common_option(struct xv_plugin *p, int opt, const char *arg);

/* Rejects positional arguments (the guidelines discourage them). */
void xv_plugin_no_args(const struct xv_plugin *p, int optind, int argc, char **argv);

/* Arms alarm(): when it fires, the plugin prints "SERVICE STATE - plugin
 * timed out after N seconds" and exits with the timeout state.  Sets
 * p->answer_by_ms a little before: network sources give up then, end their
 * sessions with the peer (XenAPI logouts) and the plugin still prints its
 * own answer before the alarm. */
void xv_plugin_arm_timeout(struct xv_plugin *p);

/* The time kept after answer_by_ms for clean-up and printing (half of a
 * -t shorter than twice this). */
#define XV_PLUGIN_RESERVE_MS 500

/* Opens -s's source with the plugin's deadline.  Free it with
 * xv_source_free(). */
struct xv_source *xv_plugin_source(const struct xv_plugin *p);

/* Ends the status line of `c` with what the user must know about how -s
 * reaches its host (TLS verification off, plain HTTP), if anything. */
void xv_plugin_caveat(const struct xv_plugin *p, struct xv_check *c);

/* State kept between runs (state_file.h).  Loads the state of `plugin` for
 * `key` (NUL-separated parts: what is checked and the options that change
 * what is kept) from `dir` (NULL: the default) into `prev`; *path gets the
 * file (malloc'ed).  A first run, or a file that cannot be read, adds an OK
 * note to `c`: no alert.  With `plugin` NULL nothing is kept (*path NULL). */
void xv_plugin_state_load(const char *plugin, const char *dir, const struct xv_buf *key,
			  int verbose, char **path, struct xv_state_file *prev, struct xv_check *c);

/* Saves `next` (at `time_ms`) to `path` (nothing when NULL); a failure is an
 * UNKNOWN result: the next run would lose what this one saw. */
void xv_plugin_state_save(const char *path, struct xv_state_file *next, uint64_t time_ms,
			  struct xv_check *c);

/* After the options: a usage error unless `sample_ms` (--cpu-sample, 0 when
 * not given) leaves at least a second of the timeout. */
void xv_plugin_check_sample(const struct xv_plugin *p, uint64_t sample_ms);

/* Takes `src`'s snapshot into `snap`.  With `sample_ms`, first an earlier
 * one, kept as a reading in `before` (rates.h), `sample_ms` earlier: rates
 * over the check's own interval.  Returns false with an UNKNOWN result in
 * `c` when a snapshot fails (`snap` is then empty). */
bool xv_plugin_snapshot(struct xv_source *src, uint64_t sample_ms, struct xv_state_file *before,
			struct xv_snapshot *snap, struct xv_check *c);

/* Disarms the timeout, prints the check, releases it; returns its state. */
int xv_plugin_finish(struct xv_check *c);

#endif
