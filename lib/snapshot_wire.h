/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_wire.h: a snapshot as bytes, to pass it between processes.
 *
 * The pool poller takes each host's snapshot in a child process and sends it
 * back through a pipe.  The encoding is private to one build of xvmon (both
 * ends are the same binary): little-endian integers, strings as a 32-bit
 * length and their bytes, starting with a magic that carries the version
 * (bumped whenever a field is added: bytes of another version are refused
 * whole).  Decoding checks the framing, not the figures: bytes that came
 * from outside this process tree go through xv_snapshot_check() too. */
#ifndef XV_SNAPSHOT_WIRE_H
#define XV_SNAPSHOT_WIRE_H

#include <stddef.h>
#include "buf.h"
#include "snapshot.h"

void xv_snapshot_encode(const struct xv_snapshot *snap, struct xv_buf *out);

/* Decodes `len` bytes into `snap` (initialised here).  Returns 0, or -1 if
 * the bytes are not a whole, well-formed snapshot (snap is then empty). */
int xv_snapshot_decode(const void *data, size_t len, struct xv_snapshot *snap);

#endif
