/* SPDX-License-Identifier: GPL-3.0-or-later */
/* csv.c: quoting and splitting of CSV fields. */
#include "csv.h"

#include <string.h>

void xv_csv_add_field(struct xv_buf *b, const char *s)
{
	size_t len;

	if (!s)
		return;
	len = strlen(s);
	if (!strpbrk(s, ",\"\r\n") && !(len && (s[0] == ' ' || s[len - 1] == ' '))) {
		xv_buf_add(b, s, len);
		return;
	}
	xv_buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			xv_buf_addch(b, '"');
		xv_buf_addch(b, *s);
	}
	xv_buf_addch(b, '"');
}

int xv_csv_split(char *line, char **fields, size_t max)
{
	size_t n = 0;
	char *r = line;

	for (;;) {
		char *w = r;

		if (n == max)
			return -1;
		fields[n++] = w;
		if (*r == '"') {
			/* quoted: copy down over the quotes, "" becomes " */
			r++;
			for (;;) {
				if (!*r)
					return -1;
				if (*r == '"') {
					if (r[1] != '"')
						break;
					r++;
				}
				*w++ = *r++;
			}
			r++; /* closing quote */
			if (*r && *r != ',')
				return -1;
		} else {
			while (*r && *r != ',')
				*w++ = *r++;
		}
		if (!*r) {
			*w = '\0';
			return (int)n;
		}
		*w = '\0';
		r++; /* past the comma */
	}
}
