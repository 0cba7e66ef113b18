/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz_csv.c: any line xv_csv_split accepts writes back, field by field,
 * to text that splits into the same fields. */
#include "fuzz.h"
#include "buf.h"
#include "csv.h"

#include <string.h>

#define MAX_FIELDS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1), *fields[MAX_FIELDS], *again[MAX_FIELDS];
	struct xv_buf out = XV_BUF_INIT;
	int n, m;

	memcpy(line, data, size);
	line[size] = '\0';
	/* one record: no line ends, no NUL inside */
	if (memchr(data, '\0', size) || memchr(data, '\n', size) || memchr(data, '\r', size)) {
		free(line);
		return 0;
	}
	n = xv_csv_split(line, fields, MAX_FIELDS);
	if (n > 0) {
		for (int i = 0; i < n; i++) {
			if (i)
				xv_buf_addch(&out, ',');
			xv_csv_add_field(&out, fields[i]);
		}
		char *copy = strdup(out.data);
		m = xv_csv_split(copy, again, MAX_FIELDS);
		FUZZ_ASSERT(m == n);
		for (int i = 0; i < n; i++)
			FUZZ_ASSERT(!strcmp(fields[i], again[i]));
		free(copy);
	}
	xv_buf_release(&out);
	free(line);
	return 0;
}
