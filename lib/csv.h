/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv.h: RFC 4180 fields, written and read back.
 *
 * Numbers are the caller's business (xv_format_double gives C-locale text);
 * this module only quotes and splits. */
#ifndef XV_CSV_H
#define XV_CSV_H

#include "buf.h"

#include <stddef.h>

/* Appends `s` as one field: as is, or in double quotes (inner quotes doubled)
 * when it holds a comma, a quote, CR or LF, or begins or ends with a space.
 * NULL is written as an empty field. */
void xv_csv_add_field(struct xv_buf *b, const char *s);

/* Splits one record in place: `line` (without its line end) is modified and
 * fields[i] point into it, unquoted.  Returns the number of fields, or -1 if
 * there are more than `max` or a quote is not closed.  An empty line is one
 * empty field.  A record spanning lines (a quoted line break) is not
 * supported: the caller reads one line at a time. */
int xv_csv_split(char *line, char **fields, size_t max);

#endif
