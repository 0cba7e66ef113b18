/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file.h: reading an input file whole, safely.
 *
 * Every file xvmon reads (scenarios, inventories, VM configs, plans, CSV) is
 * read through xv_file_read(): it refuses what is not a regular file before
 * reading a byte (a FIFO would block a timer-driven program forever,
 * /dev/zero would never end), refuses a file larger than the caller's limit,
 * and names the file in every message.  Opening never blocks: O_NONBLOCK
 * makes open() of a FIFO return at once, and the regular-file check follows.
 * What a hung network file system does to read() is beyond any flag: the
 * programs that read on a timer also run under a deadline (plugin -t, tool
 * -t). */
#ifndef XV_FILE_H
#define XV_FILE_H

#include <stddef.h>
#include "buf.h"
#include "error.h"

/* Appends the content of `path` to `out`.  Errors: XV_E_NOINPUT (missing,
 * dangling link, unreadable, not a regular file), XV_E_DATA (larger than
 * `max_bytes`, or a NUL byte in a text file when `text` is set). */
int xv_file_read(const char *path, size_t max_bytes, int text, struct xv_buf *out,
		 struct xv_error *e);

/* "a directory", "a FIFO", "a character device", ... for st_mode. */
const char *xv_file_kind(unsigned mode);

/* Writes all of p[0..len) to fd, retrying after signals: 0, or -1 with errno
 * set (a pipe whose reader went away, a full disk). */
int xv_file_write_all(int fd, const char *p, size_t len);

#endif
