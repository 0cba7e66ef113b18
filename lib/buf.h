/* SPDX-License-Identifier: GPL-3.0-or-later */
/* buf.h: a growable, always NUL-terminated byte buffer (git's strbuf idea).
 *
 * struct xv_buf b = XV_BUF_INIT;  ...  xv_buf_release(&b);
 * `data` is never NULL and is always terminated, so it can be printed at any
 * time; it stays valid until the next call that modifies the buffer. */
#ifndef XV_BUF_H
#define XV_BUF_H

#include <stddef.h>
#include <stdarg.h>
#include <string.h>

struct xv_buf {
	char *data;
	size_t len;
	size_t alloc; /* 0: data points at a shared empty string */
};

extern char xv_buf_empty[];
#define XV_BUF_INIT { xv_buf_empty, 0, 0 }

void xv_buf_init(struct xv_buf *b);
void xv_buf_release(struct xv_buf *b);
/* Hands the string to the caller (free() it); the buffer is reset. */
char *xv_buf_detach(struct xv_buf *b);
void xv_buf_reset(struct xv_buf *b);
void xv_buf_grow(struct xv_buf *b, size_t extra);
/* Room for what the first `done` of `count` like pieces took since `start`
 * (b->len - start bytes), for all of them and an eighth more, exactly (see
 * xv_reserve()): a text of thousands of pieces is then not copied as it
 * grows, nor left with an untouched tail. */
void xv_buf_reserve_like(struct xv_buf *b, size_t start, size_t done, size_t count);
/* Inline: output is built from many short pieces (a check of 1000 VMs adds
 * about 100 000), most of them string constants whose length the compiler
 * then knows. */
static inline void xv_buf_add(struct xv_buf *b, const void *data, size_t len)
{
	if (len >= b->alloc - b->len) /* also when nothing is allocated */
		xv_buf_grow(b, len);
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
}
static inline void xv_buf_adds(struct xv_buf *b, const char *s)
{
	xv_buf_add(b, s, strlen(s));
}
/* Inline: output building adds tens of thousands of single characters. */
static inline void xv_buf_addch(struct xv_buf *b, char c)
{
	if (b->len + 1 >= b->alloc)
		xv_buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void xv_buf_addf(struct xv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xv_buf_vaddf(struct xv_buf *b, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
void xv_buf_truncate(struct xv_buf *b, size_t len);
/* Appends `v` in decimal (xv_format_u64(): no printf). */
void xv_buf_add_u64(struct xv_buf *b, unsigned long long v);
/* Appends `v` as xv_format_double() writes it, formatted in place. */
void xv_buf_add_double(struct xv_buf *b, double v);

#endif
