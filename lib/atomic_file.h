/* SPDX-License-Identifier: GPL-3.0-or-later */
/* atomic_file.h: write a file so readers see the old or the new, never half.
 *
 * The data goes to a temporary file in the same directory (so rename() stays
 * within one file system), is flushed and fsync()ed, then renamed over the
 * target, and the directory is fsync()ed so the rename survives a crash.  If
 * anything fails, or the writer never commits, the target is untouched and the
 * temporary file is removed.
 *
 *   struct xv_atomic_file af;
 *   if (xv_atomic_file_open(&af, "out/feed.xml", 0644)) fail(af.err);
 *   fputs(..., af.fp);
 *   if (xv_atomic_file_commit(&af)) fail(af.err);
 *
 * Several files that belong together (the three feeds of a pool) can be
 * written and made durable first with xv_atomic_file_prepare(), and renamed
 * only when all of them are ready: if one cannot be written, none is replaced.
 */
#ifndef XV_ATOMIC_FILE_H
#define XV_ATOMIC_FILE_H

#include <stdio.h>
#include <sys/types.h>

struct xv_atomic_file {
	FILE *fp;          /* write here between open and commit */
	char *path;        /* the target */
	char *tmp_path;    /* the temporary file, NULL once renamed or removed */
	int prepared;      /* flushed, synced and closed; only the rename is left */
	char err[512];     /* reason of the last failure */
};

/* 0, or -1 with af->err set (nothing is left behind). */
int xv_atomic_file_open(struct xv_atomic_file *af, const char *path, mode_t mode);

/* Flushes, syncs and closes the temporary file, which stays until commit or
 * abort.  0, or -1 with af->err set and af released (temporary removed). */
int xv_atomic_file_prepare(struct xv_atomic_file *af);

/* Flushes, syncs (unless prepared) and renames into place; always releases
 * af.  0 or -1. */
int xv_atomic_file_commit(struct xv_atomic_file *af);

/* Discards the temporary file; the target keeps its old content. Accepts an
 * af that was never opened, or already committed (zero-initialised). */
void xv_atomic_file_abort(struct xv_atomic_file *af);

#endif
