/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_heap.c: xv_heap_use_huge_pages() — what the program allocates next
 * starts at a 2 MiB boundary of a heap advised for huge pages and reserved
 * ahead; xv_heap_thread_use_huge_pages() advises a thread's own arena.  Its
 * own program: the heap's layout is the whole process's. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

#define HUGE ((uintptr_t)2 << 20)

/* The smaps entry of the mapping that holds `p`: its name, whether it has
 * the huge-page advice ("hg" in VmFlags), its AnonHugePages in KiB and its
 * end.  -1 when none holds it. */
static int mapping_of(const void *p, char *name, size_t name_size, int *advised,
		      unsigned long *huge_kib, uintptr_t *end)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool inside = false, found = false;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char path[256] = "";
		if (sscanf(line, "%lx-%lx %*s %*s %*s %*s %255s", &lo, &hi, path) >= 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (found)
				break;
			inside = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			if (inside) {
				found = true;
				snprintf(name, name_size, "%s", path);
				*end = hi;
				*advised = 0;
				*huge_kib = 0;
			}
			continue;
		}
		if (!inside)
			continue;
		if (!strncmp(line, "AnonHugePages:", 14))
			*huge_kib = strtoul(line + 14, NULL, 10);
		if (!strncmp(line, "VmFlags:", 8))
			*advised = strstr(line, " hg") != NULL;
	}
	fclose(f);
	return found ? 0 : -1;
}

DEF_TEST(next_allocations_start_on_a_huge_page)
{
	char name[256];
	int advised;
	unsigned long huge_kib;
	uintptr_t end, gap;
	char *big;

	xv_heap_use_huge_pages(XV_HEAP_HUGE_RESERVE);
	/* too large to come from anything freed before: from the heap's free
	 * space, which now starts on a 2 MiB boundary */
	big = malloc(3 << 20);
	EXPECT_TRUE(big != NULL);
	if (mapping_of(big, name, sizeof(name), &advised, &huge_kib, &end))
		FAIL_AT("no mapping in /proc/self/smaps holds %p", (void *)big);
	if (strcmp(name, "[heap]")) {
		printf("# SKIP malloc does not allocate from the program break here (%s): "
		       "a sanitizer's allocator, whose heap is not advised\n", name[0] ? name : "anonymous");
		exit(77);
	}
	/* its header just below the boundary: the data starts within a page
	 * of it, on one side or the other */
	gap = (uintptr_t)big & (HUGE - 1);
	gap = gap < HUGE / 2 ? gap : HUGE - gap;
	if (gap > 4096)
		FAIL_AT("the allocation starts %lu bytes from a 2 MiB boundary (at most a page "
			"expected)", (unsigned long)gap);
	/* reserved ahead: the mapping goes on well beyond it */
	EXPECT_TRUE(end - (uintptr_t)big >= (uintptr_t)XV_HEAP_HUGE_RESERVE / 2);
	EXPECT_EQ_INT(1, advised);
	/* whether the kernel had a free huge page to give is its business:
	 * said, not asserted */
	memset(big, 1, 3 << 20);
	mapping_of(big, name, sizeof(name), &advised, &huge_kib, &end);
	if (!huge_kib)
		printf("# SKIP-PART no huge page was given (none free, or transparent huge "
		       "pages disabled): the advice was checked, not its effect\n");
	else
		EXPECT_TRUE(huge_kib >= 2048);
	free(big);
	return 0;
}

/* A thread's own malloc arena, advised in turn (the poller's threads). */
static void *thread_allocates(void *arg)
{
	int *advised = arg;
	char name[256];
	unsigned long huge_kib;
	uintptr_t end;
	char *block;

	xv_heap_thread_use_huge_pages();
	block = malloc(1 << 20);
	if (!block || mapping_of(block, name, sizeof(name), advised, &huge_kib, &end) ||
	    !strcmp(name, "[heap]"))
		*advised = -1; /* not from an arena of its own */
	free(block);
	return NULL;
}

DEF_TEST(a_thread_arena_too)
{
	pthread_t t;
	int advised = 0;

	EXPECT_EQ_INT(0, pthread_create(&t, NULL, thread_allocates, &advised));
	pthread_join(t, NULL);
	EXPECT_EQ_INT(1, advised);
	return 0;
}

int main(void)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f) {
		printf("# SKIP this kernel has no transparent huge pages\n");
		return 77;
	}
	fclose(f);
	RUN_TEST(next_allocations_start_on_a_huge_page);
	RUN_TEST(a_thread_arena_too); /* after: the program's heap is advised */
	END_TEST;
}
