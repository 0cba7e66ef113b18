/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rundir.h: a run's output directory appears whole, or not at all.
 *
 * `run -o DIR` writes every file into a temporary directory beside DIR,
 * PARENT/.NAME.PID.XXXXXX.run (the naming rule of lib/atomic_file.h), and
 * renames it to DIR once everything is written: DIR holds the previous run
 * or the new one, never a mix.  A previous run is swapped out in the same
 * rename (renameat2 RENAME_EXCHANGE) and then removed.  A run killed before
 * the rename leaves its temporary directory behind; the next run in the
 * same parent removes every such directory whose writer is gone.  Inside
 * the temporary directory, files are plain: a driver may stream its samples
 * there as it measures, and the rename still publishes them at once.
 *
 * DIR may be missing, empty, or hold only files xvmon-bench writes; a
 * directory with anything else in it is refused, never deleted. */
#ifndef XV_BENCH_RUNDIR_H
#define XV_BENCH_RUNDIR_H

#include "error.h"

#include <stdbool.h>

struct xv_bench_rundir {
	char *path;   /* DIR, without trailing slashes */
	char *tmp;    /* where the run writes until commit */
};

/* Refuses a path that cannot be replaced as a whole by a rename: "", ".",
 * "..", "/", a last component "." or "..", and control characters (which
 * would garble every message naming it).  XV_E_USAGE. */
int xv_bench_rundir_check(const char *path, struct xv_error *e);

/* Checks `path`, creates its parent directories, removes the temporaries of
 * dead runs beside it, checks what `path` holds now, and makes the
 * temporary directory.  0, or -1 with e set (XV_E_USAGE, XV_E_CANTCREAT). */
int xv_bench_rundir_begin(struct xv_bench_rundir *rd, const char *path, struct xv_error *e);

/* Puts the temporary directory in place of `path` (0), or fails with e set
 * (XV_E_IO) leaving `path` as it was; always releases rd. */
int xv_bench_rundir_commit(struct xv_bench_rundir *rd, struct xv_error *e);

/* Removes the temporary directory and what it holds; releases rd.  Accepts a
 * zeroed rd. */
void xv_bench_rundir_abort(struct xv_bench_rundir *rd);

/* Whether `name` is a file xvmon-bench writes in a run directory (its
 * outputs and their temporaries). */
bool xv_bench_rundir_is_ours(const char *name);

#endif
