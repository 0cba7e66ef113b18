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
 *   if (xv_atomic_file_open(&af, "out/feed.xml", 0644, &e)) fail(&e);
 *   fputs(..., af.fp);
 *   if (xv_atomic_file_commit(&af, &e)) fail(&e);
 *
 * Several files that belong together (the three feeds of a pool) can be
 * written and made durable first with xv_atomic_file_prepare(), and renamed
 * only when all of them are ready: if one cannot be written, none is replaced.
 *
 * Temporary files are hidden and name their writer: ".NAME.PID.XXXXXX.tmp"
 * beside NAME.  Only SIGKILL or a crash can leave one behind; the first open
 * in a directory (once per process and directory) removes the temporaries
 * whose writer is no longer running, so they never accumulate.  Writers that
 * share a directory must share a process-id namespace (one machine): the pid
 * is how a dead writer is told from a live one.
 *
 * Errors: XV_E_CANTCREAT when the temporary file cannot be created, XV_E_IO
 * when it cannot be written, synced or renamed. */
#ifndef XV_ATOMIC_FILE_H
#define XV_ATOMIC_FILE_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include "error.h"

struct xv_atomic_file {
	FILE *fp;       /* write here between open and commit */
	char *path;     /* the target */
	char *tmp_path; /* the temporary file, NULL once renamed or removed */
	int prepared;   /* flushed, synced and closed; only the rename is left */
	int no_sync;    /* xv_atomic_file_volatile(): rename only */
};

/* 0, or -1 with e set (nothing is left behind). */
int xv_atomic_file_open(struct xv_atomic_file *af, const char *path, mode_t mode,
			struct xv_error *e);

/* For a file that needs the rename's atomicity but not durability across a
 * crash of the machine (a cache the next run can rebuild, such as a check's
 * state): commit skips the fsync() of the file and of its directory.  Call
 * between open and commit. */
void xv_atomic_file_volatile(struct xv_atomic_file *af);

/* Flushes, syncs and closes the temporary file, which stays until commit or
 * abort.  0, or -1 with e set and af released (temporary removed). */
int xv_atomic_file_prepare(struct xv_atomic_file *af, struct xv_error *e);

/* Flushes, syncs (unless prepared) and renames into place; always releases
 * af.  0 or -1 with e set. */
int xv_atomic_file_commit(struct xv_atomic_file *af, struct xv_error *e);

/* Discards the temporary file; the target keeps its old content. Accepts an
 * af that was never opened, or already committed (zero-initialised). */
void xv_atomic_file_abort(struct xv_atomic_file *af);

/* The naming rule, for callers that make temporaries of their own (the
 * bench's run directories): whether the directory entry `entry` is
 * ".NAME.PID.XXXXXX<suffix>" (NAME not empty, PID decimal, six characters of
 * mkstemp's alphabet), and if so whose: *pid. */
bool xv_temp_name_parse(const char *entry, const char *suffix, pid_t *pid);

/* True when the writer `pid` is no longer running (kill(pid, 0) says
 * ESRCH); never true for this process. */
bool xv_temp_writer_gone(pid_t pid);

#endif
