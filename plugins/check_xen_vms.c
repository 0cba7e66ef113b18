/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_xen_vms: every VM of one Xen host in one check. */
#include "vms_options.h"
#include "plugin.h"
#include "rates.h"
#include "source.h"
#include "util.h"
#include "xv_paths.h"

#include <getopt.h>
#include <stdlib.h>

static const char usage[] =
	"check_xen_vms [-s SOURCE] [--include REGEX] [--exclude REGEX]\n"
	"       [--include-state LIST] [--exclude-state LIST] [--dom0]\n"
	"       [--mem-warning RANGE] [--mem-critical RANGE] [--gap-warning RANGE]\n"
	"       [--gap-critical RANGE] [--gap-for DURATION] [--committed-warning RANGE]\n"
	"       [--committed-critical RANGE] [--swap-warning RANGE] [--swap-critical RANGE]\n"
	"       [--cpu-warning RANGE] [--cpu-critical RANGE] [--paused STATE]\n"
	"       [--crashed STATE] [--shutdown STATE] [--no-guest-data STATE]\n"
	"       [--perfdata LIST] [--names N] [--state-dir DIR | --no-state]\n"
	"       [--cpu-sample DURATION] [-t SECONDS[:STATE]] [-v]";

static const char help_head[] =
	"Checks every VM of a Xen host at once: its state, its memory against its\n"
	"maximum, its balloon against its target (for how long), the memory\n"
	"pressure inside the guest (Committed_AS, swapping) where the guest\n"
	"publishes it, and its CPU use.  The status line names the worst VMs; the\n"
	"long output has a line for every VM, problems first.  Perfdata per VM is\n"
	"labelled NAME_METRIC ('web1_mem'), quoted as the guidelines require.\n"
	"\n"
	"CPU use and swapping are rates: they compare with the previous run, kept\n"
	"in a small state file (or with a second snapshot, --cpu-sample).  A first\n"
	"run says so and raises nothing.\n"
	"\n"
	"Options:\n"
	" -s, --source=URI  xen: (default), sim:FILE or libvirt:URI\n";

static const char help_tail[] =
	" -t, --timeout=SECONDS[:STATE]\n"
	"    give up after SECONDS (default 10) with STATE (default CRITICAL)\n"
	" -v, --verbose     -vv: the configuration, -vvv: debugging details\n"
	" -h, --help, -V, --version\n"
	"\n"
	"Ranges follow the Monitoring Plugins guidelines (N, N:, ~:N, N:M, @N:M;\n"
	"ends inclusive).  Sizes take B, K, M, G, T (binary); a bare size is bytes.\n"
	"\n"
	"Perfdata: vms, vms_ok, vms_warning, vms_critical, vms_unknown, and per VM\n"
	"NAME_mem, NAME_gap (bytes), NAME_cpu (% of its vCPUs); with --perfdata\n"
	"guest: NAME_used, NAME_committed, NAME_swap_used (bytes), NAME_swap_Bps;\n"
	"io: NAME_cpu_wait (%), NAME_disk_read_Bps, NAME_disk_write_Bps,\n"
	"NAME_net_rx_Bps, NAME_net_tx_Bps (bytes per second).  A figure the source\n"
	"cannot give is left out, never written as 0 or U.\n"
	"\n"
	"Examples:\n"
	"  check_xen_vms --gap-warning 256M --gap-for 5m --cpu-warning 90\n"
	"  check_xen_vms --exclude '^test-' --committed-warning 90% --swap-warning 1M\n"
	"  check_xen_vms -s sim:" XV_DATADIR "/scenarios/healthy.sim --no-state\n";

static const struct option options[] = {
	{ "source", required_argument, NULL, 's' },
	XV_VMS_LONG_OPTIONS,
	XV_PLUGIN_COMMON_OPTIONS,
};

static void parse_options(struct xv_plugin *p, struct xv_vms_options *o, int argc, char **argv)
{
	int opt;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":s:" XV_PLUGIN_COMMON_SHORT, options, NULL)) != -1) {
		if (opt == 's')
			p->source_uri = optarg;
		else if (opt >= XV_VMS_OPT_FIRST && opt < XV_VMS_OPT_LAST)
			xv_vms_option(p, o, opt, optarg);
		else
			xv_plugin_common_option(p, opt, argv[optind - 1]);
	}
	xv_plugin_no_args(p, optind, argc, argv);
	xv_vms_options_finish(p, o);
}

int main(int argc, char **argv)
{
	struct xv_plugin p = { .progname = "check_xen_vms", .service = "XEN VMS", .usage = usage };
	struct xv_vms_options o;
	struct xv_state_file prev, next, sample;
	struct xv_snapshot snap;
	struct xv_source *src;
	struct xv_check check;
	char *state_path = NULL;

	p.help = help_head;
	p.help_shared = xv_vms_options_help;
	p.help_tail = help_tail;
	xv_plugin_start(&p);
	xv_vms_options_init(&o);
	parse_options(&p, &o, argc, argv);
	xv_plugin_arm_timeout(&p);

	xv_check_init(&check, p.service);
	xv_state_file_init(&next);
	xv_state_file_init(&sample);
	src = xv_plugin_source(&p);
	xv_vms_state_load(&o, "check_xen_vms", p.source_uri, &state_path, &prev, &check);
	if (!xv_plugin_snapshot(src, o.cpu_sample_ms, &sample, &snap, &check))
		goto out;
	struct xv_vms_host host = { snap.host.name, &snap, NULL };
	struct xv_vms_input in = { .hosts = &host, .n_hosts = 1, .subject = snap.host.name,
				   /* with --cpu-sample, the first snapshot is the base */
				   .rate_base = o.cpu_sample_ms ? &sample : &prev,
				   .previous = &prev };
	xv_vms_check_run(&in, &o.cfg, &next, &check);
	xv_plugin_state_save(state_path, &next, snap.time_ms, &check);
out:
	xv_plugin_caveat(&p, &check);
	xv_snapshot_release(&snap);
	xv_source_free(src);
	xv_state_file_release(&prev);
	xv_state_file_release(&next);
	xv_state_file_release(&sample);
	xv_vms_options_release(&o);
	free(state_path);
	return xv_plugin_finish(&check);
}
