/* SPDX-License-Identifier: GPL-3.0-or-later */
/* xvmon-snapshot: one host's snapshot, for people (JSON) or for the ssh://
 * source of another xvmon (the wire format).
 *
 * On a dom0, `xvmon-snapshot` prints what the xen: source sees; the ssh://
 * source runs `xvmon-snapshot --wire V -t S [SOURCE]` there: one version
 * line first, "xvmon-snapshot WIRE_VERSION XVMON_VERSION", then the answer
 * in the wire format (snapshot_wire.h), or nothing more when the caller
 * asked for a format this program does not write.  The caller compares the
 * versions and says clearly which side to upgrade.  -t bounds the whole run
 * (an alarm), so nothing is left running on the host when the caller has
 * gone.
 *
 * The same program acts for the ssh:// source (xvm-stop and the others
 * through ssh://): `--act ACTION --domain NAME` first shuts down, destroys,
 * pauses, unpauses or settles (source.h) the domain through SOURCE, then
 * answers with the snapshot taken after it, or with the action's failure
 * (its code and message), in the same format. */
#include "buf.h"
#include "file.h"
#include "json.h"
#include "num.h"
#include "snapshot.h"
#include "snapshot_wire.h"
#include "source.h"
#include "clock.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>
#include <unistd.h>

static const char usage_text[] =
	"usage: xvmon-snapshot [-t SECONDS] [--json | --wire VERSION]\n"
	"                      [--act ACTION --domain NAME] [SOURCE]\n";

static void __attribute__((noreturn)) usage(const char *why)
{
	if (why)
		fprintf(stderr, "xvmon-snapshot: %s\n", why);
	fputs(usage_text, stderr);
	exit(EX_USAGE);
}

static void __attribute__((noreturn)) help(void)
{
	printf("%s\n"
	       "Prints one host's snapshot (host memory, domains, their state and memory) as\n"
	       "xvmon's sources see it.  SOURCE is any source URI (default xen:, the local\n"
	       "hypervisor); see docs/sources.md.\n"
	       "\n"
	       "  --json                 JSON (the default)\n"
	       "  --wire VERSION         the binary format the ssh:// source reads, after a\n"
	       "                         version line; VERSION is the caller's format\n"
	       "  --act ACTION           first act on the domain --domain names: shutdown,\n"
	       "                         destroy, pause, unpause or settle; the snapshot is\n"
	       "                         then taken after it\n"
	       "  --domain NAME          the domain --act acts on\n"
	       "  -t, --timeout=SECONDS  give up after SECONDS (default 60)\n"
	       "  -h, --help, -V, --version\n"
	       "\n"
	       "Exit: 0 a snapshot was taken; 65 no such domain (--domain); 69 the host\n"
	       "failed; 75 timed out; 76 --wire asked for another format (the version line\n"
	       "says which this one writes); 78 the source can never work here; 64 usage.\n",
	       usage_text);
	exit(EX_OK);
}

static const struct option options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "wire", required_argument, NULL, 'w' },
	{ "timeout", required_argument, NULL, 't' },
	{ "act", required_argument, NULL, 'a' },
	{ "domain", required_argument, NULL, 'd' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void kib(struct xv_json *j, const char *key, uint64_t v)
{
	if (v == XV_KIB_UNKNOWN)
		xv_json_null(j, key);
	else
		xv_json_u64(j, key, v);
}

static void counter(struct xv_json *j, const char *key, uint64_t v)
{
	if (v == XV_COUNTER_UNKNOWN)
		xv_json_null(j, key);
	else
		xv_json_u64(j, key, v);
}

static void to_json(const struct xv_snapshot *s, struct xv_buf *out)
{
	struct xv_json j;
	char flags[7];

	xv_json_init(&j, out);
	xv_json_object_begin(&j, NULL);
	xv_json_object_begin(&j, "host");
	xv_json_string(&j, "name", s->host.name);
	xv_json_string(&j, "xen_version", s->host.xen_version);
	kib(&j, "total_kib", s->host.total_kib);
	kib(&j, "free_kib", s->host.free_kib);
	kib(&j, "dom0_kib", s->host.dom0_kib);
	kib(&j, "scrub_kib", s->host.scrub_kib);
	kib(&j, "outstanding_kib", s->host.outstanding_kib);
	xv_json_u64(&j, "cpus", s->host.cpus);
	xv_json_string(&j, "pool_master", s->host.pool_master);
	xv_json_object_end(&j);
	xv_json_array_begin(&j, "domains");
	for (size_t i = 0; i < s->n_domains; i++) {
		const struct xv_domain *d = &s->domains[i];
		xv_json_object_begin(&j, NULL);
		xv_json_u64(&j, "id", d->id);
		xv_json_string(&j, "name", d->name);
		xv_json_string(&j, "uuid", d->uuid);
		xv_domain_flags_string(d->flags, flags);
		xv_json_string(&j, "flags", flags);
		xv_json_string(&j, "state", xv_dom_state_name(xv_domain_state(d)));
		kib(&j, "cur_kib", d->cur_kib);
		kib(&j, "target_kib", d->target_kib);
		kib(&j, "max_kib", d->max_kib);
		xv_json_u64(&j, "vcpus", d->vcpus);
		counter(&j, "cpu_ns", d->cpu_ns);
		kib(&j, "swap_used_kib", xv_domain_guest(d)->swap_used_kib);
		xv_json_object_end(&j);
	}
	xv_json_array_end(&j);
	xv_json_object_end(&j);
}

/* --act: the action on `name` through `src`. */
static int act(struct xv_source *src, const char *action, const char *name, struct xv_error *e)
{
	bool gone;

	if (!strcmp(action, "shutdown"))
		return xv_source_shutdown(src, name, e);
	if (!strcmp(action, "destroy"))
		return xv_source_destroy(src, name, e);
	if (!strcmp(action, "pause"))
		return xv_source_pause(src, name, e);
	if (!strcmp(action, "unpause"))
		return xv_source_unpause(src, name, e);
	return xv_source_settle(src, name, &gone, e);
}

int main(int argc, char **argv)
{
	const char *uri = "xen:";
	const char *action = NULL, *domain = NULL;
	uint64_t wire = 0, timeout_ms = 60000;
	bool wire_mode = false;
	struct xv_source *src;
	struct xv_snapshot snap;
	struct xv_error e;
	struct xv_buf out = XV_BUF_INIT;
	int rc, o;

	xv_heap_use_huge_pages(XV_HEAP_HUGE_RESERVE);
	while ((o = getopt_long(argc, argv, "t:hV", options, NULL)) != -1) {
		switch (o) {
		case 'j':
			wire_mode = false;
			break;
		case 'w':
			if (xv_parse_u64(optarg, 1, 1000000, &wire))
				usage("--wire takes the caller's format version, a number");
			wire_mode = true;
			break;
		case 't':
			if (xv_parse_duration_ms(optarg, &timeout_ms) || timeout_ms < 1 ||
			    timeout_ms > 86400000)
				usage("-t takes a duration from 1ms to 1d, like 5 or 500ms");
			break;
		case 'a':
			if (strcmp(optarg, "shutdown") && strcmp(optarg, "destroy") &&
			    strcmp(optarg, "pause") && strcmp(optarg, "unpause") &&
			    strcmp(optarg, "settle"))
				usage("--act takes shutdown, destroy, pause, unpause or settle");
			action = optarg;
			break;
		case 'd':
			domain = optarg;
			break;
		case 'h':
			help();
		case 'V':
			printf("xvmon-snapshot %s (xvmon; sources: %s; snapshot format %u)\n",
			       XV_VERSION, xv_source_schemes(), XV_SNAPSHOT_WIRE_VERSION);
			return EX_OK;
		default:
			usage(NULL);
		}
	}
	if (optind < argc)
		uri = argv[optind++];
	if (optind < argc)
		usage("one source at most");
	if (!action != !domain)
		usage("--act and --domain go together");

	if (wire_mode) {
		xv_buf_addf(&out, "xvmon-snapshot %u %s\n", XV_SNAPSHOT_WIRE_VERSION, XV_VERSION);
		if (wire != XV_SNAPSHOT_WIRE_VERSION) {
			rc = xv_file_write_all(STDOUT_FILENO, out.data, out.len) ? EX_IOERR : EX_PROTOCOL;
			xv_buf_release(&out);
			return rc;
		}
		/* the whole run, whatever the source does: nothing lingers on the
		 * host once the caller has given up */
		alarm((unsigned)((timeout_ms + 999) / 1000));
	}
	src = xv_source_new(uri);
	xv_source_set_deadline(src, xv_monotonic_ms() + timeout_ms);
	xv_snapshot_init(&snap);
	rc = action ? act(src, action, domain, &e) : 0;
	if (rc == 0)
		rc = xv_source_snapshot(src, &snap, &e);
	if (wire_mode) {
		xv_snapshot_answer_encode(rc ? NULL : &snap, &e, &out);
	} else if (rc == 0) {
		to_json(&snap, &out);
	}
	xv_snapshot_release(&snap);
	xv_source_free(src);
	if (!wire_mode && rc) {
		fprintf(stderr, "xvmon-snapshot: %s\n", e.msg);
		xv_buf_release(&out);
		return xv_error_exit_code(e.code);
	}
	if (xv_file_write_all(STDOUT_FILENO, out.data, out.len)) {
		xv_buf_release(&out);
		fprintf(stderr, "xvmon-snapshot: standard output: %s\n", strerror(errno));
		return EX_IOERR;
	}
	xv_buf_release(&out);
	return rc ? xv_error_exit_code(e.code) : EX_OK;
}
