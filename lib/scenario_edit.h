/* SPDX-License-Identifier: GPL-3.0-or-later */
/* scenario_edit.h: change a sim: scenario file the way an action changes a host.
 *
 * The sim: source's actions (shut down, destroy, pause, create) edit the
 * scenario's lines in place, so the operator's comments and layout survive,
 * then parse the new text with the same strict parser as every load and
 * write it atomically (atomic_file.h): a reader sees the old host or the new
 * one, and an edit that would make an impossible host is refused whole.
 *
 *   struct xv_scenario_edit ed;
 *   if (xv_scenario_edit_open(&ed, path, &e)) ...   // ed.snap: the host now
 *   xv_scenario_edit_set(&ed, "domain web1", "state", "paused");
 *   if (xv_scenario_edit_commit(&ed, &e)) ...
 *   xv_scenario_edit_release(&ed);
 *
 * Sections are named as in the file: "host", "sim", "domain NAME". */
#ifndef XV_SCENARIO_EDIT_H
#define XV_SCENARIO_EDIT_H

#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"
#include "snapshot.h"

struct xv_scenario_edit {
	char *path;
	char **lines; /* without their newline */
	size_t n_lines, alloc_lines;
	struct xv_snapshot snap; /* the host as loaded (before any edit) */
};

/* Reads and parses `path` (ed is initialised here; release it even on
 * failure).  Errors are the loader's (XV_E_NOINPUT, XV_E_DATA). */
int xv_scenario_edit_open(struct xv_scenario_edit *ed, const char *path, struct xv_error *e);

/* The value of the first `key` in `section`, or NULL; `nth` picks a later
 * one of a repeated key (0 the first).  Borrowed until the next edit. */
const char *xv_scenario_edit_get(const struct xv_scenario_edit *ed, const char *section,
				 const char *key, size_t nth, char *buf, size_t size);

/* Replaces the first `key = ...` line of `section`, or adds one after the
 * section's header; -1 if there is no such section. */
int xv_scenario_edit_set(struct xv_scenario_edit *ed, const char *section, const char *key,
			 const char *value);

/* Removes `section` from its header to the next header (comment lines just
 * above the next header stay with it); -1 if there is no such section. */
int xv_scenario_edit_remove(struct xv_scenario_edit *ed, const char *section);

/* Appends `text` (whole lines) at the end. */
void xv_scenario_edit_append(struct xv_scenario_edit *ed, const char *text);

/* Parses the edited text (a failure there is XV_E_SOFTWARE: an action made a
 * host the parser refuses) and replaces the file atomically, keeping its
 * permission bits.  XV_E_CANTCREAT / XV_E_IO when it cannot be written. */
int xv_scenario_edit_commit(struct xv_scenario_edit *ed, struct xv_error *e);

void xv_scenario_edit_release(struct xv_scenario_edit *ed);

/* A size as a scenario writes it: "16G", "512M" or "1234K", exact. */
void xv_scenario_format_kib(uint64_t kib, char *buf, size_t size);

#endif
