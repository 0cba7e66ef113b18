/* SPDX-License-Identifier: GPL-3.0-or-later */
/* snapshot_wire.h: a snapshot as bytes, to pass it between processes.
 *
 * The pool poller takes each local host's snapshot in a child process and
 * reads it back through a pipe; the ssh:// source reads what xvmon-snapshot
 * prints on the remote host.  Little-endian integers, strings as a 32-bit
 * length and their bytes, starting with a magic that holds the version.
 * Both ends must speak the same version: bump XV_SNAPSHOT_WIRE_VERSION with
 * every change to the encoding (bytes of another version are refused
 * whole); xvmon-snapshot --wire announces its own version before any data,
 * and the ssh:// source refuses a different one with a message naming both
 * (source_ssh.c).  Decoding checks the framing, not the figures: bytes that
 * came from outside this process tree go through xv_snapshot_check() too. */
#ifndef XV_SNAPSHOT_WIRE_H
#define XV_SNAPSHOT_WIRE_H

#include <stddef.h>
#include "buf.h"
#include "error.h"
#include "snapshot.h"

#define XV_SNAPSHOT_WIRE_VERSION 4 /* 2: the pool master; 3: snapshot time, cpu wait, guest memory, domain I/O; 4: host and domain uptimes, per-vCPU CPU times */

void xv_snapshot_encode(const struct xv_snapshot *snap, struct xv_buf *out);

/* Decodes `len` bytes into `snap` (initialised here).  Returns 0, or -1 if
 * the bytes are not a whole, well-formed snapshot (snap is then empty). */
int xv_snapshot_decode(const void *data, size_t len, struct xv_snapshot *snap);

/* An answer to "take a snapshot": the snapshot (snap non-NULL) or the
 * failure `e` (its code and message), in one message. */
void xv_snapshot_answer_encode(const struct xv_snapshot *snap, const struct xv_error *e,
			       struct xv_buf *out);

/* Reads an answer: 0 with the snapshot in *snap; 1 with the failure it
 * carried in *e (code and message as the other side set them); -1 when the
 * bytes are no answer (both left empty). */
int xv_snapshot_answer_decode(const void *data, size_t len, struct xv_snapshot *snap,
			      struct xv_error *e);

#endif
