/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvm-console: find a VM's host and open its console.
 *
 * The seed's ConsoleVM on the source interface: the host is found as
 * xvm-search finds it, then the source says how its console is reached: a
 * text console is a command to run (xl console on the host, over ssh for a
 * remote one), a graphical console an endpoint for a VNC viewer.  It refuses
 * clearly when there is no terminal for a text console, or no X11 display
 * (ssh -X) for a viewer, as the seed's tool checked X11 forwarding first.
 * A XenAPI console (xapi://) is a URL of the pool's console proxy, which
 * needs a XenAPI session: it is printed, never handed to a VNC viewer.
 * Nothing is run through a shell: the command is exec'ed with its argv. */
#include "tool.h"
#include "util.h"

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: xvm-console [-i INVENTORY] [-p POOL] [-H HOST] [-t SECONDS] [--print] NAME\n";

static void __attribute__((noreturn)) usage(const char *why)
{
	if (why)
		fprintf(stderr, "xvm-console: %s\n", why);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Finds the host running NAME and opens the VM's console: a text console on\n"
	       "this terminal, or a VNC viewer on this X11 display ($XVMON_VNCVIEWER, default\n"
	       "vncviewer).\n"
	       "\n"
	       "  -i, --inventory=FILE   inventory (default $XVMON_INVENTORY, then %s)\n"
	       "  -p, --pool=NAME        only this pool's hosts\n"
	       "  -H, --host=HOST        this host only (needed when NAME runs on two)\n"
	       "  -t, --timeout=SECONDS  per-host deadline for finding NAME\n"
	       "      --print            print the command or the endpoint instead\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: the console's own status once it runs; 1 NAME runs on no host; 64 usage,\n"
	       "NAME on several hosts, no terminal or no X11 display; 65 bad inventory;\n"
	       "66 no inventory; 69 not found while hosts did not answer, the host cannot\n"
	       "give a console, or the console program is missing; 71 a host could not be asked.\n",
	       usage_text, DEFAULT_INVENTORY);
	exit(EX_OK);
}

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "host", required_argument, NULL, 'H' },
	{ "timeout", required_argument, NULL, 't' },
	{ "print", no_argument, NULL, 'P' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void __attribute__((noreturn)) run(char **argv)
{
	fflush(stdout);
	execvp(argv[0], argv);
	err(errno == ENOENT ? EX_UNAVAILABLE : EX_OSERR, "cannot run '%s'", argv[0]);
}

int main(int argc, char **argv)
{
	const char *inventory = NULL, *pool = NULL, *host = NULL, *name;
	unsigned timeout_ms = 0;
	bool print = false;
	struct tool_hosts h;
	struct xv_source *src;
	struct xv_console c;
	struct xv_error e;
	size_t at;
	int o;

	while ((o = getopt_long(argc, argv, "i:p:H:t:hV", options, NULL)) != -1) {
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
		case 'P':
			print = true;
			break;
		case 'h':
			help();
		case 'V':
			printf("xvm-console %s (xvmon)\n", XV_VERSION);
			return EX_OK;
		default:
			usage(NULL);
		}
	}
	if (optind != argc - 1)
		usage(optind == argc ? "name the VM" : "name one VM");
	name = argv[optind];

	tool_hosts_from_inventory(&h, inventory, pool, host);
	tool_hosts_poll(&h, timeout_ms, 0);
	at = tool_find_one(&h, "xvm-console", name);
	src = xv_source_new(h.uris[at]);
	if (xv_source_console(src, name, &c, &e)) {
		warnx("no console for %s on %s: %s", name, h.names[at], e.msg);
		exit(xv_error_exit_code(e.code));
	}
	xv_source_free(src);

	if (c.argv) {
		if (print) {
			for (char **a = c.argv; *a; a++)
				printf("%s%s", a == c.argv ? "" : " ", *a);
			printf("\n");
			goto done;
		}
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			errx(EX_USAGE, "%s: the text console needs a terminal (log in with ssh -t; "
			     "--print shows the command)", name);
		run(c.argv);
	}
	if (print) {
		printf("%s\n", c.endpoint);
		goto done;
	}
	const char *display = getenv("DISPLAY");
	if (!display || !*display)
		errx(EX_USAGE, "%s: the console is graphical (%s) and there is no X11 display "
		     "(log in with ssh -X, or --print shows the endpoint)", name, c.endpoint);
	if (strncmp(c.endpoint, "vnc://", 6))
		errx(EX_UNAVAILABLE, "%s: the console is reached through the XenAPI's console proxy "
		     "(%s), which a VNC viewer cannot open by itself: --print shows it for a XenAPI "
		     "client", name, c.endpoint);
	/* vnc://HOST:PORT -> the viewer's HOST::PORT (a port, not a display number) */
	const char *hp = c.endpoint + strlen("vnc://"), *colon = strrchr(hp, ':');
	char *target = xv_asprintf("%.*s::%s", (int)(colon - hp), hp, colon + 1);
	const char *viewer = getenv("XVMON_VNCVIEWER");
	char *viewer_argv[] = { (char *)(viewer && *viewer ? viewer : "vncviewer"), target, NULL };
	run(viewer_argv);
done:
	xv_console_release(&c);
	tool_hosts_release(&h);
	if (fflush(stdout) || ferror(stdout))
		err(EX_IOERR, "standard output");
	return EX_OK;
}
