/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf.c: growable string buffer. */
#include "buf.h"
#include "num.h"
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char xv_buf_empty[1];

void xv_buf_init(struct xv_buf *b)
{
	b->data = xv_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void xv_buf_release(struct xv_buf *b)
{
	if (b->alloc)
		free(b->data);
	xv_buf_init(b);
}

char *xv_buf_detach(struct xv_buf *b)
{
	char *s = b->alloc ? b->data : xv_strdup("");

	xv_buf_init(b);
	return s;
}

void xv_buf_reset(struct xv_buf *b)
{
	xv_buf_truncate(b, 0);
}

void xv_buf_truncate(struct xv_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/* Room for `need` bytes in all: doubling, or exactly. */
static void make_room(struct xv_buf *b, size_t need, bool exactly)
{
	if (need <= b->alloc)
		return;
	if (!b->alloc)
		b->data = NULL; /* nothing allocated yet (XV_BUF_INIT) */
	b->data = exactly ? xv_reserve(b->data, 1, need, &b->alloc) :
			    xv_grow(b->data, 1, need, &b->alloc);
	if (b->len == 0)
		b->data[0] = '\0';
}

void xv_buf_grow(struct xv_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		xv_die("out of memory");
	make_room(b, need, false);
}

void xv_buf_reserve_like(struct xv_buf *b, size_t start, size_t done, size_t count)
{
	size_t each = done ? (b->len - start) / done + 1 : 0;

	if (!each || count <= done || each > ((size_t)-1 / 2) / count)
		return;
	make_room(b, start + each * count + each * count / 8 + 1, true);
}

void xv_buf_add_u64(struct xv_buf *b, unsigned long long v)
{
	if (XV_U64_DIGITS >= b->alloc - b->len)
		xv_buf_grow(b, XV_U64_DIGITS);
	b->len += xv_format_u64(v, b->data + b->len);
}

void xv_buf_add_double(struct xv_buf *b, double v)
{
	if (v == 0) { /* every perfdata minimum: -0 too, as xv_format_double() writes it */
		xv_buf_addch(b, '0');
		return;
	}
	if (XV_DOUBLE_TEXT >= b->alloc - b->len)
		xv_buf_grow(b, XV_DOUBLE_TEXT);
	b->len += xv_format_double(v, b->data + b->len, XV_DOUBLE_TEXT);
}

void xv_buf_vaddf(struct xv_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	xv_buf_grow(b, 64);
	va_copy(cp, ap);
	n = vsnprintf(b->data + b->len, b->alloc - b->len, fmt, cp);
	va_end(cp);
	if (n < 0)
		xv_die("vsnprintf failed");
	if ((size_t)n >= b->alloc - b->len) {
		xv_buf_grow(b, (size_t)n);
		n = vsnprintf(b->data + b->len, b->alloc - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void xv_buf_addf(struct xv_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xv_buf_vaddf(b, fmt, ap);
	va_end(ap);
}
