/* SPDX-License-Identifier: GPL-3.0-or-later */
/* guest_meminfo.h: a guest's /proc/meminfo and /proc/vmstat, as it
 * publishes them, into its guest memory record.
 *
 * A self-ballooning Xen guest (xenballoond, 2008, and its successors) writes
 * the text of its /proc/meminfo to xenstore memory/meminfo and of
 * /proc/vmstat to memory/vmstat every second.  The guest writes these keys,
 * so nothing in them is trusted: every line must have the kernel's form, the
 * figures we use must appear at most once, and what they say together must be
 * possible (xv_guest_memory_validate()).  Lines we do not use are skipped, so
 * any kernel's file is read; a truncated vmstat (xenstore values hold 4096
 * bytes, a modern vmstat is longer, and publishers then send a selection)
 * simply lacks what it lacks.
 *
 *   meminfo   MemTotal, MemFree, MemAvailable, Buffers + Cached, Committed_AS,
 *             SwapTotal, SwapTotal - SwapFree                     (kB)
 *   vmstat    pswpin, pswpout                   (pages of 4 KiB: x86 guests) */
#ifndef XV_GUEST_MEMINFO_H
#define XV_GUEST_MEMINFO_H

#include <stddef.h>
#include "snapshot.h"

/* The most a xenstore value holds (XENSTORE_PAYLOAD_MAX). */
#define XV_MEMINFO_MAX_BYTES 4096

/* Fills the meminfo figures of `g` from `text` (`len` bytes, need not end in
 * a newline) and marks it REPORTED.  On a text that is not a meminfo (a line
 * of another form, a figure twice, no MemTotal, a figure above 1 PiB) it
 * returns -1 with the reason in *why and leaves `g` untouched. */
int xv_meminfo_parse(const char *text, size_t len, struct xv_guest_memory *g, const char **why);

/* Fills the swap counters of `g` from a vmstat text; -1 with *why on a text
 * that is not a vmstat.  Counters it lacks stay as they were. */
int xv_vmstat_parse(const char *text, size_t len, struct xv_guest_memory *g, const char **why);

#endif
