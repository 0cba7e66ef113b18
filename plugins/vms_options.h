/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vms_options.h: the per-VM options check_xen_vms and check_xen_pool --vms
 * share (selection, thresholds, perfdata, state between runs), parsed once.
 *
 * A plugin puts XV_VMS_LONG_OPTIONS in its getopt_long() table and sends
 * option codes from XV_VMS_OPT_FIRST on to xv_vms_option(). */
#ifndef XV_VMS_OPTIONS_H
#define XV_VMS_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include "buf.h"
#include "plugin.h"
#include "state_file.h"
#include "vms_check.h"

enum {
	XV_VMS_OPT_FIRST = 512,
	XV_VMS_OPT_INCLUDE = XV_VMS_OPT_FIRST,
	XV_VMS_OPT_EXCLUDE,
	XV_VMS_OPT_INCLUDE_STATE,
	XV_VMS_OPT_EXCLUDE_STATE,
	XV_VMS_OPT_DOM0,
	XV_VMS_OPT_PAUSED,
	XV_VMS_OPT_CRASHED,
	XV_VMS_OPT_SHUTDOWN,
	XV_VMS_OPT_MEM_WARNING,
	XV_VMS_OPT_MEM_CRITICAL,
	XV_VMS_OPT_GAP_WARNING,
	XV_VMS_OPT_GAP_CRITICAL,
	XV_VMS_OPT_GAP_FOR,
	XV_VMS_OPT_COMMITTED_WARNING,
	XV_VMS_OPT_COMMITTED_CRITICAL,
	XV_VMS_OPT_SWAP_WARNING,
	XV_VMS_OPT_SWAP_CRITICAL,
	XV_VMS_OPT_CPU_WARNING,
	XV_VMS_OPT_CPU_CRITICAL,
	XV_VMS_OPT_NO_GUEST_DATA,
	XV_VMS_OPT_PERFDATA,
	XV_VMS_OPT_NAMES,
	XV_VMS_OPT_STATE_DIR,
	XV_VMS_OPT_NO_STATE,
	XV_VMS_OPT_CPU_SAMPLE,
	XV_VMS_OPT_LAST
};

#define XV_VMS_LONG_OPTIONS                                                                  \
	{ "include", required_argument, NULL, XV_VMS_OPT_INCLUDE },                          \
	{ "exclude", required_argument, NULL, XV_VMS_OPT_EXCLUDE },                          \
	{ "include-state", required_argument, NULL, XV_VMS_OPT_INCLUDE_STATE },              \
	{ "exclude-state", required_argument, NULL, XV_VMS_OPT_EXCLUDE_STATE },              \
	{ "dom0", no_argument, NULL, XV_VMS_OPT_DOM0 },                                      \
	{ "paused", required_argument, NULL, XV_VMS_OPT_PAUSED },                            \
	{ "crashed", required_argument, NULL, XV_VMS_OPT_CRASHED },                          \
	{ "shutdown", required_argument, NULL, XV_VMS_OPT_SHUTDOWN },                        \
	{ "mem-warning", required_argument, NULL, XV_VMS_OPT_MEM_WARNING },                  \
	{ "mem-critical", required_argument, NULL, XV_VMS_OPT_MEM_CRITICAL },                \
	{ "gap-warning", required_argument, NULL, XV_VMS_OPT_GAP_WARNING },                  \
	{ "gap-critical", required_argument, NULL, XV_VMS_OPT_GAP_CRITICAL },                \
	{ "gap-for", required_argument, NULL, XV_VMS_OPT_GAP_FOR },                          \
	{ "committed-warning", required_argument, NULL, XV_VMS_OPT_COMMITTED_WARNING },      \
	{ "committed-critical", required_argument, NULL, XV_VMS_OPT_COMMITTED_CRITICAL },    \
	{ "swap-warning", required_argument, NULL, XV_VMS_OPT_SWAP_WARNING },                \
	{ "swap-critical", required_argument, NULL, XV_VMS_OPT_SWAP_CRITICAL },              \
	{ "cpu-warning", required_argument, NULL, XV_VMS_OPT_CPU_WARNING },                  \
	{ "cpu-critical", required_argument, NULL, XV_VMS_OPT_CPU_CRITICAL },                \
	{ "no-guest-data", required_argument, NULL, XV_VMS_OPT_NO_GUEST_DATA },              \
	{ "perfdata", required_argument, NULL, XV_VMS_OPT_PERFDATA },                        \
	{ "names", required_argument, NULL, XV_VMS_OPT_NAMES },                              \
	{ "state-dir", required_argument, NULL, XV_VMS_OPT_STATE_DIR },                      \
	{ "no-state", no_argument, NULL, XV_VMS_OPT_NO_STATE },                              \
	{ "cpu-sample", required_argument, NULL, XV_VMS_OPT_CPU_SAMPLE }

/* The help text of these options, for a plugin's --help. */
extern const char xv_vms_options_help[];

struct xv_vms_options {
	struct xv_vms_check_config cfg;
	bool perfdata_given;
	const char *state_dir;  /* --state-dir */
	bool no_state;
	uint64_t cpu_sample_ms; /* 0: rates against the previous run */
	struct xv_buf key;      /* what the kept state depends on, NUL-separated */
};

void xv_vms_options_init(struct xv_vms_options *o);
/* Frees the compiled patterns and the key. */
void xv_vms_options_release(struct xv_vms_options *o);

/* Handles one option of the XV_VMS_LONG_OPTIONS set; a bad value is a usage
 * error (exit 3). */
void xv_vms_option(const struct xv_plugin *p, struct xv_vms_options *o, int opt, const char *arg);

/* After parsing: perfdata of every thresholded figure, option conflicts. */
void xv_vms_options_finish(const struct xv_plugin *p, struct xv_vms_options *o);

/* The state a run of `plugin` on `what` (source URI, or inventory and pool)
 * keeps between runs (xv_plugin_state_load(), keyed by `what` and the
 * options that change what is kept); nothing with --no-state. */
void xv_vms_state_load(const struct xv_vms_options *o, const char *plugin, const char *what,
		       char **path, struct xv_state_file *prev, struct xv_check *c);

#endif
