/* SPDX-License-Identifier: GPL-3.0-or-later */
/* vms_options.c: the per-VM options, parsed and checked once for every
 * plugin that evaluates VMs. */
#include "vms_options.h"
#include "num.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

const char xv_vms_options_help[] =
	"Which VMs:\n"
	" --include=REGEX   only VMs whose name matches (POSIX extended regular\n"
	"                   expression; repeat for several; anchor with ^ and $)\n"
	" --exclude=REGEX   never VMs whose name matches (repeatable)\n"
	" --include-state=LIST, --exclude-state=LIST\n"
	"    by state, comma-separated: running, blocked, paused, shutdown,\n"
	"    crashed, dying, none (runnable, waiting for a CPU)\n"
	" --dom0            check Domain-0 too (check_xen_host watches it)\n"
	"States and thresholds, per VM:\n"
	" --paused=STATE, --crashed=STATE (also dying), --shutdown=STATE\n"
	"    default WARNING, CRITICAL, CRITICAL; running and blocked are OK\n"
	" --mem-warning=RANGE, --mem-critical=RANGE\n"
	"    current memory, a size (3.5G) or a percentage of the VM's maximum\n"
	" --gap-warning=RANGE, --gap-critical=RANGE\n"
	"    the balloon's distance from its target, a size or a percentage of the\n"
	"    target, e.g. 256M\n"
	" --gap-for=DURATION\n"
	"    alert on the gap only once it has lasted this long (2m, 90s): a\n"
	"    balloon that cannot reach its target, not one on its way\n"
	" --committed-warning=RANGE, --committed-critical=RANGE\n"
	"    the guest's Committed_AS, a size or a percentage of the most the VM\n"
	"    can have (its maximum): memory pressure, e.g. 90%\n"
	" --swap-warning=RANGE, --swap-critical=RANGE\n"
	"    the guest's swapping, in and out, bytes per second (1M = 1 MiB/s)\n"
	" --cpu-warning=RANGE, --cpu-critical=RANGE\n"
	"    CPU use in percent of the VM's vCPUs\n"
	" --no-guest-data=STATE\n"
	"    state when a guest threshold meets a VM that publishes no memory\n"
	"    figures (default OK: said once in the long output)\n"
	"Output:\n"
	" --perfdata=LIST   per-VM perfdata groups: mem, gap, cpu, guest, io, all or\n"
	"                   none (default mem,gap,cpu, plus every thresholded figure)\n"
	" --names=N         problem VMs named in the status line (default 3)\n"
	"Between runs (rates and durations):\n"
	" --state-dir=DIR   where the state file is kept (default $XVMON_STATE_DIR,\n"
	"                   else $XDG_STATE_HOME/xvmon, else " XV_STATE_DIR_DEFAULT ")\n"
	" --no-state        keep nothing: no rates unless --cpu-sample, no --gap-for\n"
	" --cpu-sample=DURATION\n"
	"    take two snapshots DURATION apart within the check (e.g. 2s) for\n"
	"    rates, instead of comparing with the previous run\n";

void xv_vms_options_init(struct xv_vms_options *o)
{
	memset(o, 0, sizeof(*o));
	xv_vms_check_defaults(&o->cfg);
	xv_buf_init(&o->key);
}

void xv_vms_options_release(struct xv_vms_options *o)
{
	for (size_t i = 0; i < o->cfg.n_include; i++)
		regfree(&o->cfg.include[i]);
	for (size_t i = 0; i < o->cfg.n_exclude; i++)
		regfree(&o->cfg.exclude[i]);
	free(o->cfg.include);
	free(o->cfg.exclude);
	xv_buf_release(&o->key);
}

static void add_pattern(const struct xv_plugin *p, const char *option, const char *arg,
			regex_t **list, size_t *n)
{
	regex_t re;
	int rc = regcomp(&re, arg, REG_EXTENDED | REG_NOSUB);

	if (rc) {
		char why[256];
		regerror(rc, &re, why, sizeof(why));
		xv_plugin_usage_error(p, "invalid %s pattern '%s': %s", option, arg, why);
	}
	*list = xv_realloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = re;
}

static unsigned state_list(const struct xv_plugin *p, const char *option, const char *arg)
{
	char *copy = xv_strdup(arg), *save = NULL;
	unsigned bits = 0;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int s;
		for (s = 0; s < XV_STATE_COUNT; s++)
			if (!strcmp(tok, xv_dom_state_name((enum xv_dom_state)s)))
				break;
		if (s == XV_STATE_COUNT)
			xv_plugin_usage_error(p, "invalid %s '%s': '%s' is not running, blocked, paused, "
					      "shutdown, crashed, dying or none", option, arg, tok);
		bits |= 1u << s;
	}
	free(copy);
	if (!bits)
		xv_plugin_usage_error(p, "invalid %s '%s': no state", option, arg);
	return bits;
}

static unsigned perfdata_list(const struct xv_plugin *p, const char *arg)
{
	static const struct {
		const char *name;
		unsigned bits;
	} groups[] = {
		{ "mem", XV_VMS_PERF_MEM },     { "gap", XV_VMS_PERF_GAP }, { "cpu", XV_VMS_PERF_CPU },
		{ "guest", XV_VMS_PERF_GUEST }, { "io", XV_VMS_PERF_IO },   { "all", ~0u },
		{ "none", 0 },
	};
	char *copy = xv_strdup(arg), *save = NULL;
	unsigned bits = 0;
	bool any = false;

	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		for (i = 0; i < XV_ARRAY_SIZE(groups) && strcmp(tok, groups[i].name); i++)
			;
		if (i == XV_ARRAY_SIZE(groups))
			xv_plugin_usage_error(p, "invalid perfdata group '%s': use mem, gap, cpu, guest, "
					      "io, all or none", tok);
		bits |= groups[i].bits;
		any = true;
	}
	free(copy);
	if (!any)
		xv_plugin_usage_error(p, "invalid perfdata '%s': no group", arg);
	return bits;
}

/* What the kept state depends on: which VMs and how the gap is judged. */
static void key(struct xv_vms_options *o, const char *option, const char *arg)
{
	xv_buf_adds(&o->key, option);
	xv_buf_addch(&o->key, '\0');
	xv_buf_adds(&o->key, arg ? arg : "");
	xv_buf_addch(&o->key, '\0');
}

void xv_vms_option(const struct xv_plugin *p, struct xv_vms_options *o, int opt, const char *arg)
{
	struct xv_vms_check_config *c = &o->cfg;
	uint64_t n;

	switch (opt) {
	case XV_VMS_OPT_INCLUDE:
		add_pattern(p, "include", arg, &c->include, &c->n_include);
		key(o, "include", arg);
		break;
	case XV_VMS_OPT_EXCLUDE:
		add_pattern(p, "exclude", arg, &c->exclude, &c->n_exclude);
		key(o, "exclude", arg);
		break;
	case XV_VMS_OPT_INCLUDE_STATE:
		c->include_states |= state_list(p, "include-state", arg);
		key(o, "include-state", arg);
		break;
	case XV_VMS_OPT_EXCLUDE_STATE:
		c->exclude_states |= state_list(p, "exclude-state", arg);
		key(o, "exclude-state", arg);
		break;
	case XV_VMS_OPT_DOM0:
		c->dom0 = true;
		key(o, "dom0", NULL);
		break;
	case XV_VMS_OPT_PAUSED:
		xv_plugin_opt_state(p, "paused", arg, &c->state_for[XV_STATE_PAUSED]);
		break;
	case XV_VMS_OPT_CRASHED:
		xv_plugin_opt_state(p, "crashed", arg, &c->state_for[XV_STATE_CRASHED]);
		c->state_for[XV_STATE_DYING] = c->state_for[XV_STATE_CRASHED];
		break;
	case XV_VMS_OPT_SHUTDOWN:
		xv_plugin_opt_state(p, "shutdown", arg, &c->state_for[XV_STATE_SHUTDOWN]);
		break;
	case XV_VMS_OPT_MEM_WARNING:
		xv_plugin_opt_range(p, "memory warning", arg, XV_ALLOW_MEMORY, &c->memory.warning,
				    &c->memory.has_warning);
		break;
	case XV_VMS_OPT_MEM_CRITICAL:
		xv_plugin_opt_range(p, "memory critical", arg, XV_ALLOW_MEMORY, &c->memory.critical,
				    &c->memory.has_critical);
		break;
	case XV_VMS_OPT_GAP_WARNING:
		xv_plugin_opt_range(p, "gap warning", arg, XV_ALLOW_MEMORY, &c->gap.warning,
				    &c->gap.has_warning);
		key(o, "gap-warning", arg);
		break;
	case XV_VMS_OPT_GAP_CRITICAL:
		xv_plugin_opt_range(p, "gap critical", arg, XV_ALLOW_MEMORY, &c->gap.critical,
				    &c->gap.has_critical);
		key(o, "gap-critical", arg);
		break;
	case XV_VMS_OPT_GAP_FOR:
		c->gap_for_ms = xv_plugin_opt_duration(p, "gap-for", arg, 1000, 7ULL * 24 * 3600 * 1000);
		key(o, "gap-for", arg);
		break;
	case XV_VMS_OPT_COMMITTED_WARNING:
		xv_plugin_opt_range(p, "committed warning", arg, XV_ALLOW_MEMORY,
				    &c->committed.warning, &c->committed.has_warning);
		break;
	case XV_VMS_OPT_COMMITTED_CRITICAL:
		xv_plugin_opt_range(p, "committed critical", arg, XV_ALLOW_MEMORY,
				    &c->committed.critical, &c->committed.has_critical);
		break;
	case XV_VMS_OPT_SWAP_WARNING:
		xv_plugin_opt_range(p, "swap warning", arg, XV_ALLOW(XV_UNIT_BYTES) | XV_ALLOW_PLAIN,
				    &c->swap.warning, &c->swap.has_warning);
		break;
	case XV_VMS_OPT_SWAP_CRITICAL:
		xv_plugin_opt_range(p, "swap critical", arg, XV_ALLOW(XV_UNIT_BYTES) | XV_ALLOW_PLAIN,
				    &c->swap.critical, &c->swap.has_critical);
		break;
	case XV_VMS_OPT_CPU_WARNING:
		xv_plugin_opt_range(p, "cpu warning", arg, XV_ALLOW_PERCENT, &c->cpu.warning,
				    &c->cpu.has_warning);
		break;
	case XV_VMS_OPT_CPU_CRITICAL:
		xv_plugin_opt_range(p, "cpu critical", arg, XV_ALLOW_PERCENT, &c->cpu.critical,
				    &c->cpu.has_critical);
		break;
	case XV_VMS_OPT_NO_GUEST_DATA:
		xv_plugin_opt_state(p, "no-guest-data", arg, &c->no_guest_state);
		break;
	case XV_VMS_OPT_PERFDATA:
		c->perfdata = perfdata_list(p, arg);
		o->perfdata_given = true;
		break;
	case XV_VMS_OPT_NAMES:
		if (xv_parse_u64(arg, 0, 100, &n))
			xv_plugin_usage_error(p, "invalid names '%s': a number from 0 to 100", arg);
		c->max_named = (size_t)n;
		break;
	case XV_VMS_OPT_STATE_DIR:
		if (!*arg)
			xv_plugin_usage_error(p, "invalid state-dir '': give a directory");
		o->state_dir = arg;
		break;
	case XV_VMS_OPT_NO_STATE:
		o->no_state = true;
		break;
	case XV_VMS_OPT_CPU_SAMPLE:
		o->cpu_sample_ms = xv_plugin_opt_duration(p, "cpu-sample", arg, 100, 60000);
		break;
	}
}

void xv_vms_options_finish(const struct xv_plugin *p, struct xv_vms_options *o)
{
	struct xv_vms_check_config *c = &o->cfg;

	c->verbose = p->verbose;
	if (o->no_state && c->gap_for_ms)
		xv_plugin_usage_error(p, "--gap-for needs the state kept between runs: drop --no-state");
	if (o->no_state && o->state_dir)
		xv_plugin_usage_error(p, "--state-dir and --no-state contradict each other");
	xv_plugin_check_sample(p, o->cpu_sample_ms);
	/* sampling within the check needs no previous run, unless for the
	 * balloon's durations or in a directory the user named */
	if (o->cpu_sample_ms && !c->gap_for_ms && !o->state_dir)
		o->no_state = true;
	if (c->gap_for_ms && !c->gap.has_warning && !c->gap.has_critical)
		xv_plugin_usage_error(p, "--gap-for needs --gap-warning or --gap-critical");
	/* a figure a state is decided on is always in the perfdata, unless the
	 * user chose the groups */
	if (!o->perfdata_given) {
		if (c->committed.has_warning || c->committed.has_critical || c->swap.has_warning ||
		    c->swap.has_critical)
			c->perfdata |= XV_VMS_PERF_GUEST;
	}
}

void xv_vms_state_load(const struct xv_vms_options *o, const char *plugin, const char *what,
		       char **path, struct xv_state_file *prev, struct xv_check *c)
{
	struct xv_buf k = XV_BUF_INIT;

	xv_buf_adds(&k, what);
	xv_buf_addch(&k, '\0');
	xv_buf_add(&k, o->key.data, o->key.len);
	xv_plugin_state_load(o->no_state ? NULL : plugin, o->state_dir, &k, o->cfg.verbose, path,
			     prev, c);
	xv_buf_release(&k);
}
