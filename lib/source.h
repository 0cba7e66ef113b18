/* source.h: where state comes from, behind one interface.
 *
 * A source is named by a URI: "sim:FILE", "xen:" and, where compiled in,
 * "snmp://HOST", "xapi://HOST", "ovs://HOST", "libvirt:URI".  Every tool reads
 * hosts through this interface and nothing else.
 *
 *   struct xv_source *src = xv_source_new("sim:tests/data/healthy.sim");
 *   struct xv_snapshot snap;
 *   if (xv_source_open(src) || xv_source_snapshot(src, &snap))
 *           report(xv_source_strerror(src));
 *   ...
 *   xv_snapshot_release(&snap);
 *   xv_source_free(src);
 *
 * Functions return 0 or -1; on -1 the reason is on the handle until the next
 * call.  Messages name what failed and, where it helps, what to do. */
#ifndef XV_SOURCE_H
#define XV_SOURCE_H

#include "snapshot.h"

struct xv_source;

/* Never NULL.  A malformed or unknown URI is reported by xv_source_open(). */
struct xv_source *xv_source_new(const char *uri);

/* Connects, loads, or checks access.  Idempotent. */
int xv_source_open(struct xv_source *src);

/* Takes a fresh snapshot into `snap` (initialised by this call; release it
 * even on failure).  Opens the source first if needed. */
int xv_source_snapshot(struct xv_source *src, struct xv_snapshot *snap);

const char *xv_source_strerror(const struct xv_source *src);
const char *xv_source_uri(const struct xv_source *src);

/* Accepts NULL. */
void xv_source_free(struct xv_source *src);

/* Schemes compiled into this build, space-separated, for --version output. */
const char *xv_source_schemes(void);

#endif
