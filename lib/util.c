/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.c: allocators with a die hook; small string helpers. */
#include "util.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

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

void *xv_reserve(void *array, size_t size, size_t n, size_t *alloc)
{
	if (n <= *alloc)
		return array;
	if (n > ((size_t)-1 / 2) / size)
		xv_die("out of memory");
	array = xv_realloc(array, n * size);
	*alloc = n;
	return array;
}

void xv_sort_by_key(struct xv_key_index *items, size_t n)
{
	struct xv_key_index *from = items, *to;

	if (n < 2)
		return;
	to = xv_malloc(n * sizeof(*to));
	for (unsigned shift = 0; shift < 64; shift += 8) {
		size_t count[256] = { 0 }, at = 0;
		for (size_t i = 0; i < n; i++)
			count[(from[i].key >> shift) & 0xff]++;
		if (count[(from[0].key >> shift) & 0xff] == n)
			continue; /* all alike in this byte: nothing moves */
		for (size_t b = 0; b < 256; b++) {
			size_t c = count[b];
			count[b] = at;
			at += c;
		}
		for (size_t i = 0; i < n; i++)
			to[count[(from[i].key >> shift) & 0xff]++] = from[i];
		struct xv_key_index *t = from;
		from = to;
		to = t;
	}
	if (from != items) {
		memcpy(items, from, n * sizeof(*items));
		to = from;
	}
	free(to);
}

void xv_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
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

/* A per-process key, so a file cannot be written to make every name land in
 * one slot (the kernel gives each process 16 random bytes at AT_RANDOM). */
static uint64_t hash_key(void)
{
	static uint64_t key;
	const unsigned char *r;

	if (!key) {
		r = (const unsigned char *)getauxval(AT_RANDOM);
		if (r)
			memcpy(&key, r, sizeof(key));
		key |= 1;
	}
	return key;
}

uint64_t xv_hash_str(const char *s)
{
	/* eight bytes a step from a keyed start (names and UUIDs are hashed
	 * by the thousand), then a final mix of the high bits into the low
	 * ones that index the table */
	uint64_t h = 0xcbf29ce484222325ull ^ hash_key(), w;
	size_t len = strlen(s);

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = ((h ^ w) * 0x9e3779b97f4a7c15ull);
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, len);
	h = (h ^ w ^ (uint64_t)len << 56) * 0x9e3779b97f4a7c15ull;
	return h ^ (h >> 29);
}

int xv_find_repeat(size_t n, const struct xv_repeat_order *order, size_t *repeat, size_t *first)
{
	/* item + 1 (0 is empty) and the hash's high half, side by side: one
	 * array half the size of two, for the memory a big file touches */
	struct slot {
		uint32_t item;
		uint32_t hash;
	} *slot;
	size_t cap = 16;
	int found = 0;

	if (n < 2)
		return 0;
	if (n >= UINT32_MAX / 2)
		xv_die("xv_find_repeat: more items than an index holds");
	/* at most three quarters full: short probes, and a small table */
	while (cap < n + n / 3 + 1)
		cap *= 2;
	slot = xv_calloc(cap, sizeof(*slot));
	/* items come in file order, so the first equal item met is the
	 * earliest repeat */
	for (size_t i = 0; i < n && !found; i++) {
		uint64_t h = order->hash(i, order->user);
		size_t k = (size_t)h & (cap - 1);
		for (; slot[k].item; k = (k + 1) & (cap - 1)) {
			if (slot[k].hash == (uint32_t)(h >> 32) &&
			    !order->cmp(slot[k].item - 1, i, order->user)) {
				*repeat = i;
				*first = slot[k].item - 1;
				found = 1;
				break;
			}
		}
		slot[k].item = (uint32_t)(i + 1);
		slot[k].hash = (uint32_t)(h >> 32);
	}
	free(slot);
	return found;
}

/* Never read: kept so that the compiler cannot drop its allocation. */
static void *volatile heap_spacer;
/* The program asked for huge pages: its threads' arenas may have them too. */
static bool heap_huge;

void xv_heap_use_huge_pages(size_t reserve)
{
	const uintptr_t huge = (uintptr_t)2 << 20, page = (uintptr_t)sysconf(_SC_PAGESIZE);
	char *p, *boundary;
	size_t spacer;
	uintptr_t start, end;

	/* everything on the heap (one mapping to advise) and kept there: the
	 * program exits soon, and the address space costs nothing untouched */
	heap_huge = true;
	mallopt(M_MMAP_THRESHOLD, reserve);
	mallopt(M_TRIM_THRESHOLD, 2 * reserve);
	mallopt(M_TOP_PAD, reserve);
	/* Where the heap's free space begins: once malloc is set up (its own
	 * table allocated, the heap made, extended `reserve` bytes beyond
	 * what it needs), all of it is the top chunk, which ends at the break.
	 * Found from malloc's figures rather than by allocating a large block
	 * there and freeing it: that wrote a header 2 MiB on, a page more to
	 * fault (30 us on the test VM, a hundredth of check_dummy's run). */
	heap_spacer = malloc(1); /* through a volatile: the compiler drops free(malloc(1)) */
	free(heap_spacer);
	struct mallinfo2 mi = mallinfo2();
	if (!mi.keepcost || mi.fordblks != mi.keepcost)
		return; /* free space elsewhere too: called late, or not glibc's heap */
	p = (char *)sbrk(0) - mi.keepcost;
	/* then a block up to a 2 MiB boundary, at least 2 MiB away, cut from
	 * there (nothing else is free) and never written beyond its header:
	 * what the program allocates next starts there */
	boundary = (char *)(((uintptr_t)p + 2 * huge - 1) & ~(huge - 1));
	spacer = (size_t)(boundary - p) - 64;
	start = ((uintptr_t)p + page - 1) & ~(page - 1);
	heap_spacer = malloc(spacer);
	end = (uintptr_t)sbrk(0) & ~(page - 1);
	/* only the heap just extended: a sanitizer's malloc takes its blocks
	 * elsewhere, and the range would then span other mappings.  Best
	 * effort: without transparent huge pages ("never", another kernel)
	 * the advice is refused, and pages come one at a time. */
	if (heap_spacer && end > start && end - start <= reserve + 4 * huge)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
}

/* glibc gives a thread's arena heaps of this size, aligned to it (malloc's
 * HEAP_MAX_SIZE: twice the largest mmap threshold, 32 MiB on 64 bits). */
#define ARENA_HEAP ((uintptr_t)64 << 20)

/* Whether [start, start + ARENA_HEAP) is wholly anonymous memory, one
 * mapping after the other: what glibc reserves for an arena's heap. */
static bool arena_heap_mapped(uintptr_t start)
{
	FILE *f = fopen("/proc/self/maps", "re");
	char line[512];
	uintptr_t covered = start, end = start + ARENA_HEAP;

	if (!f)
		return false;
	while (covered < end && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, inode;
		int path = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %lu %n", &lo, &hi, &inode, &path) < 3)
			break;
		if (hi <= covered)
			continue;
		/* the space before %n has eaten the line's end, if nothing follows */
		if (lo > covered || inode || line[path])
			break; /* a hole, a file, or a named mapping ([heap], [stack]) */
		covered = hi;
	}
	fclose(f);
	return covered >= end;
}

void xv_heap_thread_use_huge_pages(void)
{
	void *block;
	uintptr_t start;

	if (!heap_huge)
		return;
	/* this thread's arena, found from a block it allocates: its heap is
	 * the aligned region around the block, checked against the process's
	 * mappings, since glibc does not promise that layout (a sanitizer's
	 * allocator, another libc: nothing is advised) */
	block = malloc(64);
	if (!block)
		return;
	start = (uintptr_t)block & ~(ARENA_HEAP - 1);
	if (arena_heap_mapped(start))
		(void)madvise((void *)start, ARENA_HEAP, MADV_HUGEPAGE);
	free(block);
}
