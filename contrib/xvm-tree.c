/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvm-tree: the pool structure rebuilt from what every host says.
 *
 * The seed's recovery assistance tool (1.3.5): every host of an inventory
 * (or the source URIs given) is asked, all at once, who its master is and
 * which VMs it runs; the answers make the tree master -> servers -> VMs,
 * drawn as the seed drew it, written as JSON, and stored as a directory
 * hierarchy that other recovery tools can walk.  Hosts that do not answer
 * are shown as such, never dropped. */
#include "pool_tree.h"
#include "tool.h"
#include "num.h"
#include "util.h"

#include <err.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static const char usage_text[] =
	"usage: xvm-tree [-i INVENTORY] [-p POOL] [-t SECONDS] [-P PARALLEL] [-d DIR] [-j] [-q]\n"
	"       xvm-tree [options] URI...\n";

static void __attribute__((noreturn)) usage(const char *why)
{
	if (why)
		fprintf(stderr, "xvm-tree: %s\n", why);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Asks every host who its master is and which VMs it runs, and prints the\n"
	       "pool tree master -> servers -> VMs (\"ID_NAME\").\n"
	       "\n"
	       "  -i, --inventory=FILE   inventory (default $XVMON_INVENTORY, then %s)\n"
	       "  URI...                 ask these sources instead (sim:FILE, xen:, ...)\n"
	       "  -p, --pool=NAME        only this pool's hosts\n"
	       "  -t, --timeout=SECONDS  per-host deadline (default: the inventory's)\n"
	       "  -P, --parallel=N       hosts asked at once\n"
	       "  -d, --directory=DIR    also store the tree as directories DIR/MASTER/SERVER/ID_NAME,\n"
	       "                         replacing DIR (written by xvm-tree before) in one step\n"
	       "  -j, --json             print JSON instead of the drawing\n"
	       "  -q, --quiet            print nothing (with -d)\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 every host answered; 69 some did not (they are in the tree, marked);\n"
	       "71 some could not be asked; 64 usage; 65 bad inventory; 66 no inventory;\n"
	       "73 DIR cannot be created or is not a tree of ours; 74 write error.\n",
	       usage_text, DEFAULT_INVENTORY);
	exit(EX_OK);
}

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "timeout", required_argument, NULL, 't' },
	{ "parallel", required_argument, NULL, 'P' },
	{ "directory", required_argument, NULL, 'd' },
	{ "json", no_argument, NULL, 'j' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	const char *inventory = NULL, *pool = NULL, *dir = NULL;
	unsigned timeout_ms = 0, parallel = 0;
	bool json = false, quiet = false;
	struct tool_hosts h;
	struct xv_tree tree;
	struct xv_buf out = XV_BUF_INIT;
	struct xv_error e;
	uint64_t n;
	int o, rc = EX_OK;

	while ((o = getopt_long(argc, argv, "i:p:t:P:d:jqhV", options, NULL)) != -1) {
		switch (o) {
		case 'i':
			inventory = optarg;
			break;
		case 'p':
			pool = optarg;
			break;
		case 't':
			timeout_ms = tool_parse_duration("-t", optarg, 1, 3600000, usage);
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &n))
				usage("-P takes a number from 1 to 4096");
			parallel = (unsigned)n;
			break;
		case 'd':
			if (!*optarg)
				usage("-d takes a directory");
			dir = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'h':
			help();
		case 'V':
			printf("xvm-tree %s (xvmon)\n", XV_VERSION);
			return EX_OK;
		default:
			usage(NULL);
		}
	}
	if (optind < argc && (inventory || pool))
		usage("give an inventory (-i, -p) or source URIs, not both");
	if (optind < argc)
		tool_hosts_from_uris(&h, argv + optind, (size_t)(argc - optind));
	else
		tool_hosts_from_inventory(&h, inventory, pool, NULL);
	tool_hosts_poll(&h, timeout_ms, parallel);

	xv_tree_build(&tree, h.names, h.results, h.n);
	if (!quiet) {
		if (json)
			xv_tree_json(&tree, &out);
		else
			xv_tree_text(&tree, &out);
		fwrite(out.data, 1, out.len, stdout);
	}
	if (h.local)
		rc = EX_OSERR;
	else if (h.silent)
		rc = EX_UNAVAILABLE;
	if (dir && xv_tree_write_dir(&tree, dir, &e)) {
		warnx("%s", e.msg);
		rc = xv_error_exit_code(e.code);
	}
	xv_buf_release(&out);
	xv_tree_release(&tree);
	tool_hosts_release(&h);
	if (fflush(stdout) || ferror(stdout))
		err(EX_IOERR, "standard output");
	return rc;
}
