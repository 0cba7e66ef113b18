/* SPDX-License-Identifier: GPL-3.0-or-later */
/* source.h: where state comes from, behind one interface.
 *
 * A source is named by a URI: "sim:FILE", "xen:" and, where compiled in,
 * "snmp://HOST", "ssh://HOST", "xapi://HOST", "ovs://HOST", "libvirt:URI".
 * Every tool reads hosts through this interface and nothing else.
 *
 *   struct xv_error e;
 *   struct xv_source *src = xv_source_new("sim:tests/data/healthy.sim");
 *   struct xv_snapshot snap;
 *   if (xv_source_snapshot(src, &snap, &e))
 *           report(e.msg);      // decide by e.code, print e.msg
 *   ...
 *   xv_snapshot_release(&snap);
 *   xv_source_free(src);
 *
 * Functions return 0 or -1 with the error filled.  Error codes say whose
 * fault it is: XV_E_CONFIG / XV_E_UNSUPPORTED for a URI that can never
 * work, XV_E_LOCAL for this machine, XV_E_HOST / XV_E_TIMEOUT for the host. */
#ifndef XV_SOURCE_H
#define XV_SOURCE_H

#include <stdbool.h>
#include "buf.h"
#include <stdint.h>
#include "error.h"
#include "snapshot.h"

struct xv_source;

/* Checks a URI without any I/O: a scheme this build knows and an argument of
 * the right form.  Inventories call it on load, so a URI that can never work
 * is a configuration error at once, not a host that fails at every poll. */
int xv_source_check_uri(const char *uri, struct xv_error *e);

/* Never NULL.  A malformed or unknown URI is reported by xv_source_open(). */
struct xv_source *xv_source_new(const char *uri);

/* Connects, loads, or checks access.  Idempotent. */
int xv_source_open(struct xv_source *src, struct xv_error *e);

/* Takes a fresh snapshot into `snap` (initialised by this call; release it
 * even on failure).  Opens the source first if needed, and stamps
 * snap->time_ms with the moment it asked unless the source knew better.  The snapshot is
 * checked with xv_snapshot_check(): a source that reports the impossible
 * fails with XV_E_HOST instead of feeding absurd figures to the checks. */
int xv_source_snapshot(struct xv_source *src, struct xv_snapshot *snap, struct xv_error *e);

/* When xv_source_snapshot() must have answered, on xv_monotonic_ms()'s
 * clock (a plugin's -t, less the time to print).  Sources that wait on the
 * network give up then with XV_E_TIMEOUT, and still end their session with
 * the peer within XV_ASYNC_CLEANUP_MS more.  Without it they allow
 * XV_SOURCE_DEFAULT_TIMEOUT_MS from the call.  Local sources ignore it. */
void xv_source_set_deadline(struct xv_source *src, uint64_t deadline_ms);

#define XV_SOURCE_DEFAULT_TIMEOUT_MS 10000

const char *xv_source_uri(const struct xv_source *src);

/* What a user must be told about how `uri` reaches its host, e.g. "TLS
 * certificate not verified (verify=no)", or NULL.  No I/O; outputs that
 * name the host print it. */
const char *xv_source_caveat(const char *uri);

/* --- actions -------------------------------------------------------------
 *
 * A source may also act on its host's domains, for the operator tools (stop,
 * console, create, backup).  Every action is optional: a source that cannot
 * do one fails with XV_E_UNSUPPORTED and a message naming the action and the
 * scheme.  Domains are named as the host names them; domain 0 is refused
 * (XV_E_USAGE).  A name the host does not have is XV_E_DATA. */

/* Asks the domain to shut down cleanly and returns at once. */
int xv_source_shutdown(struct xv_source *src, const char *name, struct xv_error *e);

enum xv_stop_outcome {
	XV_STOP_GONE,     /* the domain no longer exists */
	XV_STOP_SHUTDOWN, /* it shut down and its toolstack keeps it (on_poweroff) */
};

/* Asks for a clean shutdown, then takes snapshots until the domain is gone
 * or shut down, at most `timeout_ms`: XV_E_TIMEOUT if it is still there. */
int xv_source_shutdown_wait(struct xv_source *src, const char *name, unsigned timeout_ms,
			    enum xv_stop_outcome *outcome, struct xv_error *e);

/* A domain found shut down: applies what its toolstack would (xl's
 * on_poweroff = destroy) when nothing else will; *gone says it no longer
 * exists.  A source whose host does it itself does nothing (0, *gone
 * false).  xv_source_shutdown_wait() calls it. */
int xv_source_settle(struct xv_source *src, const char *name, bool *gone, struct xv_error *e);

/* Ends the domain at once (xl destroy). */
int xv_source_destroy(struct xv_source *src, const char *name, struct xv_error *e);

int xv_source_pause(struct xv_source *src, const char *name, struct xv_error *e);
int xv_source_unpause(struct xv_source *src, const char *name, struct xv_error *e);

/* What xv_source_create() made. */
struct xv_created {
	char *name;
	uint32_t id;
	char **macs; /* one per network interface, "00:16:3e:..." */
	size_t n_macs;
};
void xv_created_release(struct xv_created *c);

/* Creates a domain from the xl configuration file `config` (a path on the
 * machine running xvmon), *paused*: the caller registers it (its MACs are
 * known now) and then starts it with xv_source_unpause().  A source that
 * creates from templates instead (xapi:) fails with XV_E_UNSUPPORTED saying
 * so. */
int xv_source_create(struct xv_source *src, const char *config, struct xv_created *out,
		     struct xv_error *e);

/* What to create from a template (xapi:, where VMs are cloned from the
 * pool's templates rather than described by xl configurations). */
struct xv_template_request {
	const char *template_name; /* the template's name_label: exactly one */
	const char *name;          /* the new VM's */
	uint64_t memory_kib;       /* XV_KIB_UNKNOWN: the template's memory */
};

/* Creates a domain from a template on the host the source names, *paused*,
 * as xv_source_create() does (then xv_source_unpause() starts it).  A
 * failure after the clone exists says in its message what was left behind
 * (its name and uuid): nothing is destroyed behind the operator's back. */
int xv_source_create_from_template(struct xv_source *src, const struct xv_template_request *req,
				   struct xv_created *out, struct xv_error *e);

/* Whether the source of `uri` creates domains from xl configurations
 * (false) or templates (true), or cannot create at all (*can false).  No
 * I/O: for choosing a host. */
bool xv_source_creates_from_template(const char *uri, bool *can);

/* How to reach a domain's console: a text console is attached by running
 * `argv` (no shell); a graphical one is an endpoint for a viewer. */
struct xv_console {
	char **argv;    /* NULL-terminated, or NULL */
	char *endpoint; /* "vnc://HOST:PORT", or the XenAPI console's location
			 * ("https://HOST/console?uuid=..."), or NULL */
};
void xv_console_release(struct xv_console *c);

int xv_source_console(struct xv_source *src, const char *name, struct xv_console *out,
		      struct xv_error *e);

/* The host's configuration as the source can export it, for backups. */
struct xv_export {
	struct xv_buf data;
	char *file_name; /* a name for the bytes: "scenario.sim", "xl-domains.json",
			  * "pool-database.xml" */
	/* NULL: the export is the host's own.  Else the export is its pool's,
	 * the same from every host of the pool: `scope` names the pool for
	 * people (its name, else its master's) and `scope_id` identifies it
	 * (the pool's uuid), so that a backup keeps one copy per pool. */
	char *scope, *scope_id;
};
void xv_export_release(struct xv_export *x);

/* Fills `out` (initialised by this call; release it in every case).  A
 * source that has nothing to export fails with XV_E_UNSUPPORTED. */
int xv_source_export(struct xv_source *src, struct xv_export *out, struct xv_error *e);

/* Accepts NULL. */
void xv_source_free(struct xv_source *src);

/* Schemes compiled into this build, space-separated, for --version output. */
const char *xv_source_schemes(void);

#endif
