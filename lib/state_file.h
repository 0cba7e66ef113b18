/* SPDX-License-Identifier: GPL-3.0-or-later */
/* state_file.h: what a check saw at its previous run, kept in a small file.
 *
 * Rates (CPU %, I/O, swapping) are counter differences over time, and a
 * balloon that "stays away from its target for longer than N minutes" is a
 * duration: both need the previous run.  Like check_cpu-style plugins, each
 * check keeps one small file, named after the plugin and a key (its source and
 * the options that change what is kept), in a state directory:
 *
 *   --state-dir DIR, else $XVMON_STATE_DIR, else $XDG_STATE_HOME/xvmon,
 *   else LOCALSTATEDIR/lib/xvmon (/var/lib/xvmon when installed in /usr)
 *
 * The file is text, one line per VM (by UUID: a VM keeps it across restarts
 * and migrations), written atomically (atomic_file.h: renamed into place,
 * not fsync()ed, see xv_state_file_save()) so a reader never sees half of one, and read through xv_file_read() (bounded, regular files only).
 * A missing file is a first run; a file that does not parse is reported and
 * replaced, never trusted in part.
 *
 *   xvmon-state 2
 *   time 1700000000123
 *   fields cpu_ns cpu_wait_ns ... gap_warning_since gap_critical_since
 *   vm UUID DOMID TIME_MS 1779000000000 - ... 0 0
 *
 * The fields line names a vm line's values after its time (the counters of
 * snapshot.h, then since when the balloon gap alerts at each level); a file
 * whose fields differ is refused.  Counters are written "-" when unknown; a
 * since of 0 means "not alerting".  (Format 1 named every value on every
 * line: two and a half times the bytes to write and read at every run.) */
#ifndef XV_STATE_FILE_H
#define XV_STATE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"
#include "snapshot.h"
#include "xv_paths.h"

#define XV_STATE_DIR_DEFAULT XV_LOCALSTATEDIR "/lib/xvmon"
/* A pool of 2000 hosts of 30 VMs is ~10 MB of state. */
#define XV_STATE_FILE_MAX_BYTES (32u << 20)

struct xv_state_vm {
	char uuid[37];
	uint32_t domid;
	uint64_t time_ms;                 /* of the snapshot the counters are from */
	uint64_t counter[XV_CTR_COUNT];   /* XV_COUNTER_UNKNOWN when unknown */
	uint64_t gap_warning_since_ms;    /* since when the balloon gap alerts; 0: not */
	uint64_t gap_critical_since_ms;
};

struct xv_state_file {
	uint64_t time_ms; /* when the run that wrote it took its snapshots; 0: none */
	struct xv_state_vm *vms; /* sorted by uuid after load; any order while adding */
	size_t n_vms, alloc_vms;
};

void xv_state_file_init(struct xv_state_file *s);
void xv_state_file_release(struct xv_state_file *s);

/* The directory to use: `dir` if not NULL, else the environment's, else the
 * default (see above).  Returns a malloc'ed string. */
char *xv_state_file_dir(const char *dir);

/* DIR/PLUGIN-HASH.state, HASH covering `key` (NUL-separated parts, `key_len`
 * bytes): checks that differ in what they keep never share a file.
 * Malloc'ed. */
char *xv_state_file_path(const char *dir, const char *plugin, const void *key, size_t key_len);

/* Loads `path` into `s` (initialised here).  Returns 1 when loaded, 0 when
 * there is no such file (a first run), -1 with `e` set when it cannot be read
 * or does not parse ("PATH:LINE: problem", code XV_E_DATA); `s` is then
 * empty. */
int xv_state_file_load(const char *path, struct xv_state_file *s, struct xv_error *e);

/* The record of `uuid`, or NULL (after a load: binary search). */
const struct xv_state_vm *xv_state_file_find(const struct xv_state_file *s, const char *uuid);

/* Appends a record for `d` with its counters read at `time_ms` (gap times
 * 0); valid until the next add.  Call xv_state_file_sort() before lookups. */
struct xv_state_vm *xv_state_file_add(struct xv_state_file *s, const struct xv_domain *d,
				      uint64_t time_ms);
void xv_state_file_sort(struct xv_state_file *s);

/* Writes `s` to `path` atomically, creating the directory (and its parents)
 * if missing.  Errors: XV_E_CANTCREAT, XV_E_IO. */
int xv_state_file_save(const char *path, const struct xv_state_file *s, struct xv_error *e);

#endif
