/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvm-search: which host runs each named VM, all hosts asked at once.
 *
 * The seed's SearchVM, as a C tool on the pool layer: every host of the
 * inventory (or of one pool) is polled in parallel with a deadline, and each
 * name is looked up in every answer.  Output is one "VM HOST" line per place
 * a VM was found, in the order the names were given.  -t bounds the whole
 * run (inventory, repositories, poll, output), so a hung file system or a
 * stalled pipe cannot hold it. */
#include "clock.h"
#include "buf.h"
#include "deadline.h"
#include "inventory.h"
#include "num.h"
#include "pool.h"
#include "snapshot.h"
#include "source.h"
#include "util.h"
#include "xv_paths.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

#define DEFAULT_INVENTORY XV_DEFAULT_INVENTORY
#define DEFAULT_TIMEOUT_MS 60000
/* Of -t, the part kept for printing after the poll: a tenth, at most this. */
#define OUTPUT_RESERVE_MAX_MS 5000

static const char usage_text[] =
	"usage: xvm-search [-i INVENTORY] [-p POOL] [-t DURATION] [-P PARALLEL] [-l] NAME|UUID...\n";

/* Where say() collects lines instead of writing each (a line a host, for
 * ten thousand hosts, is as many system calls), or NULL. */
static struct xv_buf *held;

/* One line on stderr; control characters from names or paths are shown
 * as '?', so a hostile name can neither split the line nor drive the
 * terminal. */
static void __attribute__((format(printf, 1, 0))) vsay(const char *fmt, va_list ap)
{
	struct xv_buf line = XV_BUF_INIT;

	xv_buf_vaddf(&line, fmt, ap);
	for (char *p = line.data; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	if (held) {
		xv_buf_adds(held, "xvm-search: ");
		xv_buf_add(held, line.data, line.len);
		xv_buf_addch(held, '\n');
	} else {
		fprintf(stderr, "xvm-search: %s\n", line.data);
	}
	xv_buf_release(&line);
}

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

static void __attribute__((noreturn, format(printf, 2, 3))) die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	exit(code);
}

static void __attribute__((noreturn, format(printf, 1, 2))) usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Finds the host each VM runs on, asking every host of the inventory at once.\n"
	       "\n"
	       "  -i, --inventory=FILE   inventory (default $XVMON_INVENTORY, then %s)\n"
	       "  -p, --pool=NAME        only this pool's hosts\n"
	       "  -t, --timeout=DURATION longest run, everything included (default 60s); the\n"
	       "                         poll ends a tenth earlier; per-host deadlines are\n"
	       "                         the inventory's\n"
	       "  -P, --parallel=N       hosts asked at once (default: the inventory's; else 256\n"
	       "                         processes, and network hosts as descriptors allow)\n"
	       "  -l, --long             add the domain id and state\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 every VM found; 1 a VM is not running on any host (all answered);\n"
	       "69 a VM was not found and some hosts did not answer; 64 usage; 65 bad\n"
	       "inventory; 66 no inventory; 71 a local resource failed; 75 out of time (-t).\n",
	       usage_text, DEFAULT_INVENTORY);
	exit(EX_OK);
}

static const struct option options[] = {
	{ "inventory", required_argument, NULL, 'i' },
	{ "pool", required_argument, NULL, 'p' },
	{ "timeout", required_argument, NULL, 't' },
	{ "parallel", required_argument, NULL, 'P' },
	{ "long", no_argument, NULL, 'l' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

struct search {
	const struct xv_inventory *inv;
	size_t *hosts;                   /* inventory host indices polled */
	size_t n_hosts;
	struct xv_poll_result *results;  /* one per polled host */
};

static bool matches(const struct xv_domain *d, const char *name, bool by_uuid, const char *uuid)
{
	return by_uuid ? !strcmp(d->uuid, uuid) : !strcmp(d->name, name);
}

/* Prints the places of `name`; returns how many there were. */
static size_t find(const struct search *s, const char *name, bool long_output)
{
	char uuid[37];
	bool by_uuid = xv_uuid_normalize(name, uuid);
	size_t found = 0;

	for (size_t i = 0; i < s->n_hosts; i++) {
		const struct xv_snapshot *snap = &s->results[i].snap;
		if (s->results[i].error.code != XV_E_NONE)
			continue;
		for (size_t j = 0; j < snap->n_domains; j++) {
			const struct xv_domain *d = &snap->domains[j];
			if (!matches(d, name, by_uuid, uuid))
				continue;
			if (long_output)
				printf("%s %s %u %s\n", name, s->inv->hosts[s->hosts[i]].name, d->id,
				       xv_dom_state_name(xv_domain_state(d)));
			else
				printf("%s %s\n", name, s->inv->hosts[s->hosts[i]].name);
			found++;
		}
	}
	return found;
}

int main(int argc, char **argv)
{
	const char *inventory = getenv("XVMON_INVENTORY");
	const char *pool_name = NULL;
	unsigned timeout_ms = DEFAULT_TIMEOUT_MS, parallel = 0;
	bool long_output = false;
	struct xv_inventory inv;
	struct search s = { .inv = &inv };
	struct xv_pools_poll_options opt = { 0 };
	struct xv_buf hosts_said;
	size_t silent = 0, not_found = 0, local = 0;
	struct xv_error e;
	uint64_t n, reserve, now;
	int o;

	xv_heap_use_huge_pages(XV_HEAP_HUGE_RESERVE_SITE); /* runs once, over thousands of hosts */
	opterr = 0;
	while ((o = getopt_long(argc, argv, ":i:p:t:P:lhV", options, NULL)) != -1) {
		switch (o) {
		case 'i':
			inventory = optarg;
			break;
		case 'p':
			pool_name = optarg;
			break;
		case 't':
			if (xv_parse_duration_ms(optarg, &n) || n < 1 || n > 3600000)
				usage("-t takes a duration from 1ms to 1h, like 5 or 500ms: '%s'", optarg);
			timeout_ms = (unsigned)n;
			break;
		case 'P':
			if (xv_parse_u64(optarg, 1, 4096, &n))
				usage("-P takes a number from 1 to 4096: '%s'", optarg);
			parallel = (unsigned)n;
			break;
		case 'l':
			long_output = true;
			break;
		case 'h':
			help();
		case 'V':
			printf("xvm-search %s (xvmon)\n", XV_VERSION);
			return EX_OK;
		case ':':
			usage("option '%s' needs a value", argv[optind - 1]);
		default:
			usage("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind == argc)
		usage("name at least one VM");
	if (!inventory)
		inventory = DEFAULT_INVENTORY;
	if (xv_deadline_start("xvm-search", "-t", timeout_ms, &e))
		die(xv_error_exit_code(e.code), "%s", e.msg);
	xv_deadline_stage("reading the inventory '%s'", inventory);
	if (xv_inventory_load(inventory, &inv, &e)) {
		xv_inventory_release(&inv);
		die(xv_error_exit_code(e.code), "%s", e.msg);
	}

	/* one pass over every host of the chosen pools */
	const struct xv_inv_pool **pools = xv_calloc(inv.n_pools, sizeof(*pools));
	size_t n_pools = 0;
	for (size_t i = 0; i < inv.n_pools; i++)
		if (!pool_name || !strcmp(inv.pools[i].name, pool_name))
			pools[n_pools++] = &inv.pools[i];
	if (!n_pools) {
		free(pools);
		xv_inventory_release(&inv);
		die(EX_USAGE, "no pool '%s' in %s", pool_name, inventory);
	}
	s.hosts = xv_calloc(inv.n_hosts, sizeof(*s.hosts));
	for (size_t j = 0; j < n_pools; j++) /* the order xv_pools_poll() answers in */
		for (size_t i = 0; i < pools[j]->n_hosts; i++)
			s.hosts[s.n_hosts++] = pools[j]->hosts[i];
	opt.parallel = parallel;
	/* the poll ends early enough to leave time for the answer */
	reserve = timeout_ms / 10 < OUTPUT_RESERVE_MAX_MS ? timeout_ms / 10 : OUTPUT_RESERVE_MAX_MS;
	now = xv_monotonic_ms();
	opt.deadline_ms = xv_deadline_at_ms() - reserve > now ? xv_deadline_at_ms() - reserve : now + 1;
	xv_deadline_stage("polling %zu hosts", s.n_hosts);
	s.results = xv_pools_poll(&inv, pools, n_pools, &opt, &s.n_hosts);
	free(pools);

	xv_deadline_stage("writing the answer");
	xv_buf_init(&hosts_said);
	held = &hosts_said;
	for (size_t i = 0; i < s.n_hosts; i++) {
		const char *caveat = xv_source_caveat(inv.hosts[s.hosts[i]].uri);
		enum xv_host_outcome out = xv_poll_outcome(&s.results[i]);
		if (caveat)
			say("host %s: %s", inv.hosts[s.hosts[i]].name, caveat);
		if (out == XV_HOST_UP)
			continue;
		silent++;
		if (out == XV_HOST_UNASKED && !s.results[i].out_of_time)
			local++;
		say("host %s: %s", inv.hosts[s.hosts[i]].name, s.results[i].error.msg);
	}
	held = NULL;
	fwrite(hosts_said.data, 1, hosts_said.len, stderr); /* in a few writes */
	xv_buf_release(&hosts_said);
	for (int a = optind; a < argc; a++) {
		if (find(&s, argv[a], long_output))
			continue;
		not_found++;
		if (silent)
			say("%s: not found (%zu of %zu hosts did not answer)", argv[a], silent,
			      s.n_hosts);
		else
			say("%s: not found on any of %zu hosts", argv[a], s.n_hosts);
	}

	xv_poll_results_free(s.results, s.n_hosts);
	free(s.hosts);
	xv_inventory_release(&inv);
	if (fflush(stdout) || ferror(stdout))
		die(EX_IOERR, "standard output: %s", strerror(errno));
	xv_deadline_stop();
	if (!not_found)
		return EX_OK;
	/* not found may mean: on a host we failed to ask (our fault), on a host
	 * that did not answer, or nowhere */
	return local ? EX_OSERR : silent ? EX_UNAVAILABLE : 1;
}
