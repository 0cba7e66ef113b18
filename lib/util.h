/* SPDX-License-Identifier: GPL-3.0-or-later */
/* util.h: allocation that never returns NULL, and the die hook behind it.
 *
 * lib/ never prints and never exits on its own.  The one exception is running
 * out of memory: the allocators below call the die hook, which a program
 * installs to report the failure in its own way (a plugin prints an UNKNOWN
 * line and exits 3).  The default hook aborts without printing. */
#ifndef XV_UTIL_H
#define XV_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>

typedef void (*xv_die_fn)(const char *message);

/* Install the out-of-memory hook; NULL restores the default (abort). The hook
 * must not return. */
void xv_set_die_hook(xv_die_fn hook);

/* Calls the die hook with `message`; never returns. */
void xv_die(const char *message) __attribute__((noreturn));

void *xv_malloc(size_t size);
void *xv_calloc(size_t count, size_t size);
void *xv_realloc(void *ptr, size_t size);
/* Grows an array of `*alloc` elements of `size` bytes so that index `need-1`
 * fits, doubling; returns the (possibly moved) array. */
void *xv_grow(void *array, size_t size, size_t need, size_t *alloc);
/* Room for exactly `n` elements (unless *alloc already has it), for a count
 * known in advance: xv_grow()'s rounding up would leave an untouched tail
 * that pushes later blocks onto another huge page (xv_heap_use_huge_pages). */
void *xv_reserve(void *array, size_t size, size_t n, size_t *alloc);
/* qsort() that takes any table as it comes, the empty one included, whose
 * pointer may be NULL: qsort(NULL, 0, ...) is undefined behaviour, which
 * UBSan reports, and callers used to guard it one by one. */
void xv_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* For a program that runs once and exits (a plugin, the remote snapshot
 * program, the timer-driven exporters, the site-wide search): the heap is
 * reserved `reserve` bytes ahead and backed by 2 MiB transparent huge pages
 * where the kernel allows it
 * (/sys/kernel/mm/transparent_hugepage/enabled "always" or "madvise").
 * Call it first thing in main().  Why: a check of 1000 VMs writes about
 * 1.5 MB of memory, and on a virtual machine (dom0 is one) each first
 * write of a 4 KiB page costs 10 to 15 microseconds: 330 page faults made
 * half of such a check's time (docs/design.md, "Scaling out").  One huge page is
 * mapped and cleared in one fault instead.  Nothing changes when the kernel
 * refuses.  Beyond the reserve, and in other threads' malloc arenas, memory
 * comes in 4 KiB pages as usual.
 * XV_HEAP_HUGE_RESERVE is a plugin's; XV_HEAP_HUGE_RESERVE_SITE that of the
 * programs that poll a whole inventory (a XenAPI host in flight takes
 * about 8 KB over plain HTTP, 19 KB through libcurl: 10 000 hosts take 80
 * or 190 MB). */
#define XV_HEAP_HUGE_RESERVE ((size_t)64 << 20)
#define XV_HEAP_HUGE_RESERVE_SITE ((size_t)256 << 20)
void xv_heap_use_huge_pages(size_t reserve);
/* The same for a thread that allocates much (the poller's, one per
 * processor): its own malloc arena (glibc gives each thread one, 64 MiB
 * at a time) is advised for huge pages, if the program called
 * xv_heap_use_huge_pages() and the arena is where glibc puts it; else
 * nothing.  Call it first thing in the thread. */
void xv_heap_thread_use_huge_pages(void);
char *xv_strdup(const char *s);
char *xv_strndup(const char *s, size_t n);
char *xv_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xv_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Copies with truncation; always terminates `dst` when `size` > 0.  Returns
 * strlen(src) like BSD strlcpy, so truncation is `ret >= size`. */
size_t xv_strlcpy(char *dst, const char *src, size_t size);

/* Formats into a fixed buffer (the error message of a handle, typically). */
void xv_set_error(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define XV_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Finding repeats among n items of a file (names, ids), in expected linear
 * time.  The items are numbered in file order; `cmp` compares items i and j
 * (0: the same), `hash` gives equal items equal hashes (xv_hash_str()).
 * When some item repeats an earlier one, returns 1 with *repeat the repeat
 * that comes first in the file and *first the item it repeats. */
struct xv_repeat_order {
	int (*cmp)(size_t i, size_t j, const void *user);
	uint64_t (*hash)(size_t i, const void *user);
	const void *user;
};

/* An item to sort by a 64-bit key; `index` is into the caller's table. */
struct xv_key_index {
	uint64_t key;
	size_t index;
};

/* Sorts by key; items of equal keys stay in the order given (stable).  A
 * radix sort, a byte of the key at a time: linear, without a comparison
 * function called through a pointer n log n times (qsort() of 1000 UUIDs
 * took 0.15 ms on the test VM, its first call 0.4 ms). */
void xv_sort_by_key(struct xv_key_index *items, size_t n);

/* A string's hash for xv_find_repeat(), keyed per process. */
uint64_t xv_hash_str(const char *s);

int xv_find_repeat(size_t n, const struct xv_repeat_order *order, size_t *repeat, size_t *first);

#endif
