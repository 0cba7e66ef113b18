/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvm-stop: find a VM's host, shut the VM down cleanly, wait, say what happened.
 *
 * The seed's StopVM on the source interface: the host is found by asking
 * every host at once (as xvm-search does); a name found on two hosts (split
 * brain) is refused unless -H names the host; the VM is asked to shut down
 * and watched until it is gone or shut down, at most the wait.  --force
 * destroys a VM that ignored the request. */
#include "clock.h"
#include "num.h"
#include "tool.h"
#include "util.h"

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#define DEFAULT_WAIT_MS 60000

static const char usage_text[] =
	"usage: xvm-stop [-i INVENTORY] [-p POOL] [-H HOST] [-t SECONDS] [-w SECONDS] [-f]\n"
	"                [--destroy | --pause | --unpause] [-n] NAME\n";

static void __attribute__((noreturn)) usage(const char *why)
{
	if (why)
		fprintf(stderr, "xvm-stop: %s\n", why);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Finds the host running NAME and shuts the VM down cleanly, waiting until it\n"
	       "is gone or shut down.\n"
	       "\n"
	       "  -i, --inventory=FILE   inventory (default $XVMON_INVENTORY, then %s)\n"
	       "  -p, --pool=NAME        only this pool's hosts\n"
	       "  -H, --host=HOST        act on this host only (needed when NAME runs on two)\n"
	       "  -t, --timeout=SECONDS  per-host deadline for finding NAME (default: the inventory's)\n"
	       "  -w, --wait=SECONDS     how long the shutdown may take (default 60)\n"
	       "  -f, --force            destroy the VM if it has not shut down by then\n"
	       "      --destroy          destroy at once (xl destroy), no shutdown\n"
	       "      --pause, --unpause pause or unpause instead\n"
	       "  -n, --dry-run          find the VM and say what would be done\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 done; 1 NAME runs on no host (all answered); 64 usage, or NAME on\n"
	       "several hosts; 65 bad inventory; 66 no inventory; 69 NAME not found while\n"
	       "hosts did not answer, or the host failed or cannot do it; 71 a host could not\n"
	       "be asked; 75 NAME did not shut down within the wait (without -f).\n",
	       usage_text, DEFAULT_INVENTORY);
	exit(EX_OK);
}

enum action { STOP, DESTROY, PAUSE, UNPAUSE };

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "host", required_argument, NULL, 'H' },
	{ "timeout", required_argument, NULL, 't' },
	{ "wait", required_argument, NULL, 'w' },
	{ "force", no_argument, NULL, 'f' },
	{ "destroy", no_argument, NULL, 'D' },
	{ "pause", no_argument, NULL, 'S' },
	{ "unpause", no_argument, NULL, 'U' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static const char *const action_names[] = { "shut down", "destroy", "pause", "unpause" };

int main(int argc, char **argv)
{
	const char *inventory = NULL, *pool = NULL, *host = NULL, *name;
	unsigned timeout_ms = 0, wait_ms = DEFAULT_WAIT_MS;
	bool force = false, dry_run = false, action_set = false;
	enum action action = STOP;
	struct tool_hosts h;
	struct xv_source *src;
	struct xv_error e;
	enum xv_stop_outcome outcome;
	uint64_t t0;
	size_t at;
	int o, rc = EX_OK;

	while ((o = getopt_long(argc, argv, "i:p:H:t:w:fnhV", options, NULL)) != -1) {
		switch (o) {
		case 'i':
			inventory = optarg;
			break;
		case 'p':
			pool = optarg;
			break;
		case 'H':
			host = optarg;
			break;
		case 't':
			timeout_ms = tool_parse_duration("-t", optarg, 1, 3600000, usage);
			break;
		case 'w':
			wait_ms = tool_parse_duration("-w", optarg, 1, 24 * 3600000, usage);
			break;
		case 'f':
			force = true;
			break;
		case 'D':
		case 'S':
		case 'U':
			if (action_set)
				usage("--destroy, --pause and --unpause exclude each other");
			action_set = true;
			action = o == 'D' ? DESTROY : o == 'S' ? PAUSE : UNPAUSE;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'h':
			help();
		case 'V':
			printf("xvm-stop %s (xvmon)\n", XV_VERSION);
			return EX_OK;
		default:
			usage(NULL);
		}
	}
	if (optind != argc - 1)
		usage(optind == argc ? "name the VM to stop" : "name one VM");
	name = argv[optind];
	if (force && action != STOP)
		usage("-f goes with a shutdown only");

	tool_hosts_from_inventory(&h, inventory, pool, host);
	tool_hosts_poll(&h, timeout_ms, 0);
	at = tool_find_one(&h, "xvm-stop", name);
	if (h.silent)
		warnx("%s: found on %s, but %zu hosts did not answer: it may run there too", name,
		      h.names[at], h.silent);
	if (dry_run) {
		printf("would %s %s on %s", action_names[action], name, h.names[at]);
		if (action == STOP)
			printf(", waiting %u ms%s", wait_ms, force ? ", then destroy it" : "");
		printf("\n");
		goto out;
	}

	src = xv_source_new(h.uris[at]);
	t0 = xv_monotonic_ms();
	switch (action) {
	case DESTROY:
	case PAUSE:
	case UNPAUSE:
		if ((action == DESTROY ? xv_source_destroy
		     : action == PAUSE ? xv_source_pause : xv_source_unpause)(src, name, &e)) {
			warnx("cannot %s %s on %s: %s", action_names[action], name, h.names[at], e.msg);
			rc = xv_error_exit_code(e.code);
		} else {
			printf("%s: %s on %s\n", name,
			       action == DESTROY ? "destroyed" : action == PAUSE ? "paused" : "unpaused",
			       h.names[at]);
		}
		break;
	case STOP:
		if (!xv_source_shutdown_wait(src, name, wait_ms, &outcome, &e)) {
			printf("%s: shut down on %s in %.1f s%s\n", name, h.names[at],
			       (double)(xv_monotonic_ms() - t0) / 1000.0,
			       outcome == XV_STOP_GONE ? ""
						       : " (kept in the shutdown state by its toolstack)");
			break;
		}
		if (e.code != XV_E_TIMEOUT || !force) {
			warnx("%s on %s: %s%s", name, h.names[at], e.msg,
			      e.code == XV_E_TIMEOUT ? " (-f destroys it)" : "");
			rc = xv_error_exit_code(e.code);
			break;
		}
		if (xv_source_destroy(src, name, &e)) {
			warnx("%s on %s ignored the shutdown, and cannot be destroyed: %s", name,
			      h.names[at], e.msg);
			rc = xv_error_exit_code(e.code);
			break;
		}
		printf("%s: did not shut down within %.1f s on %s; destroyed\n", name,
		       (double)wait_ms / 1000.0, h.names[at]);
		break;
	}
	xv_source_free(src);
out:
	tool_hosts_release(&h);
	if (fflush(stdout) || ferror(stdout))
		err(EX_IOERR, "standard output");
	return rc;
}
