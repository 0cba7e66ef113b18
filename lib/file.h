/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file.h: reading an input file whole, safely.
 *
 * Every file xvmon reads (scenarios, inventories, VM configs, plans, CSV,
 * state) is read through xv_file_read() or xv_file_read_chunks(): they
 * refuse what is not a regular file before
 * reading a byte (a FIFO would block a timer-driven program forever,
 * /dev/zero would never end), refuses a file larger than the caller's limit,
 * and names the file in every message.  Opening never blocks: O_NONBLOCK
 * makes open() of a FIFO return at once, and the regular-file check follows.
 * What a hung network file system does to read() is beyond any flag: the
 * programs that read on a timer also run under a deadline (plugin -t, tool
 * -t). */
#ifndef XV_FILE_H
#define XV_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "error.h"

/* Appends the content of `path` to `out`.  Errors: XV_E_NOINPUT (missing,
 * dangling link, unreadable, not a regular file), XV_E_DATA (larger than
 * `max_bytes`, or a NUL byte in a text file when `text` is set). */
int xv_file_read(const char *path, size_t max_bytes, int text, struct xv_buf *out,
		 struct xv_error *e);

/* What xv_file_read_chunks() hands the bytes to: text[0..len) is what it
 * has not used yet, text[len] a spare byte it may write, and at_eof says
 * that nothing follows.  It returns how many bytes it used (whole lines,
 * say; the rest comes again with the next chunk), or -1 to stop.  Given a
 * whole chunk of which it can use nothing (a line longer than a chunk), it
 * must stop. */
typedef long (*xv_file_chunk_fn)(void *user, char *text, size_t len, bool at_eof);

/* Reads `path` with xv_file_read()'s checks, `chunk` bytes at a time (a
 * smaller file at once), for a reader that parses a file as it comes: a big
 * scenario or state file then never sits whole in memory, whose pages on a
 * virtual machine cost more than parsing what is on them.  *size is the
 * file's size, set before `take` sees a byte.  Returns 0 after `take` has
 * seen the end; -1 with e set if reading failed (or, with `text`, the file
 * has a NUL byte); -1 with e as `take` left it if `take` stopped. */
int xv_file_read_chunks(const char *path, size_t max_bytes, int text, size_t chunk, size_t *size,
			xv_file_chunk_fn take, void *user, struct xv_error *e);

/* "a directory", "a FIFO", "a character device", ... for st_mode. */
const char *xv_file_kind(unsigned mode);

/* Writes all of p[0..len) to fd, retrying after signals: 0, or -1 with errno
 * set (a pipe whose reader went away, a full disk). */
int xv_file_write_all(int fd, const char *p, size_t len);

#endif
