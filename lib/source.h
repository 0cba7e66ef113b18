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

const char *xv_source_uri(const struct xv_source *src);

/* Accepts NULL. */
void xv_source_free(struct xv_source *src);

/* Schemes compiled into this build, space-separated, for --version output. */
const char *xv_source_schemes(void);

#endif
