/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c: allocators with a die hook; small string helpers. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void default_die(const char *message)
{
	(void)message;
	abort();
}

static xv_die_fn die_hook = default_die;

void xv_set_die_hook(xv_die_fn hook)
{
	die_hook = hook ? hook : default_die;
}

void xv_die(const char *message)
{
	die_hook(message);
	abort(); /* a hook that returns is a bug: do not continue */
}

void *xv_malloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		xv_die("out of memory");
	return p;
}

void *xv_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);
	if (!p)
		xv_die("out of memory");
	return p;
}

void *xv_realloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);
	if (!p)
		xv_die("out of memory");
	return p;
}

void *xv_grow(void *array, size_t size, size_t need, size_t *alloc)
{
	size_t n = *alloc;

	if (need <= n)
		return array;
	if (n == 0)
		n = 8;
	while (n < need) {
		if (n > ((size_t)-1 / 2) / size)
			xv_die("out of memory");
		n *= 2;
	}
	array = xv_realloc(array, n * size);
	*alloc = n;
	return array;
}

char *xv_strdup(const char *s)
{
	return xv_strndup(s, strlen(s));
}

char *xv_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xv_malloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xv_vasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		xv_die("out of memory");
	return p;
}

char *xv_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xv_vasprintf(fmt, ap);
	va_end(ap);
	return p;
}

size_t xv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

void xv_set_error(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, size, fmt, ap);
	va_end(ap);
}

static int by_order_then_line(const void *x, const void *y, void *arg)
{
	const struct xv_repeat_order *o = arg;
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	int c = o->cmp(i, j, o->user);
	unsigned li, lj;

	if (c)
		return c;
	li = o->line(i, o->user);
	lj = o->line(j, o->user);
	return li < lj ? -1 : li > lj ? 1 : (i < j ? -1 : i > j);
}

int xv_find_repeat(size_t n, const struct xv_repeat_order *order, size_t *repeat, size_t *first)
{
	size_t *idx;
	int found = 0;

	if (n < 2)
		return 0;
	idx = xv_calloc(n, sizeof(*idx));
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	qsort_r(idx, n, sizeof(*idx), by_order_then_line, (void *)order);
	/* in each run of equal items, the first is the original and the second
	 * the earliest repeat of it */
	for (size_t i = 1; i < n; i++) {
		size_t run = i - 1;
		if (order->cmp(idx[run], idx[i], order->user))
			continue;
		if (!found || order->line(idx[i], order->user) < order->line(*repeat, order->user)) {
			*repeat = idx[i];
			*first = idx[run];
			found = 1;
		}
		while (i + 1 < n && !order->cmp(idx[run], idx[i + 1], order->user))
			i++;
	}
	free(idx);
	return found;
}
