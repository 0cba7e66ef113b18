/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file.h: reading an input file whole, safely.
 *
 * Every file xvmon reads (scenarios, inventories, VM configs, plans, CSV) is
 * read through xv_file_read() or its two halves (the INI reader): it refuses what is not a regular file before
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

/* The two halves of xv_file_read(), for a reader that parses a file as it
 * comes (the INI reader: a big scenario then never sits whole in memory).
 * xv_file_open() makes the same checks and returns the open descriptor
 * (close it), with the file's size in *size, or -1.  xv_file_read_some()
 * reads at most `room` bytes into buf and adds them to *total: the count,
 * 0 at the end of the file, or -1 (XV_E_NOINPUT; XV_E_DATA once *total
 * would pass max_bytes, for a file that grows while it is read). */
int xv_file_open(const char *path, size_t max_bytes, size_t *size, struct xv_error *e);
long xv_file_read_some(int fd, const char *path, char *buf, size_t room, size_t *total,
		       size_t max_bytes, struct xv_error *e);

/* "a directory", "a FIFO", "a character device", ... for st_mode. */
const char *xv_file_kind(unsigned mode);

/* Writes all of p[0..len) to fd, retrying after signals: 0, or -1 with errno
 * set (a pipe whose reader went away, a full disk). */
int xv_file_write_all(int fd, const char *p, size_t len);

#endif
