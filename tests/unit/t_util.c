/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_util.c: finding repeated names with xv_find_repeat(). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "util.h"
#include "buf.h"

struct names {
	const char **v;
	bool collide; /* every item gets the same hash: the probing must still compare */
};

static int names_cmp(size_t i, size_t j, const void *user)
{
	const struct names *n = user;
	return strcmp(n->v[i], n->v[j]);
}

static uint64_t names_hash(size_t i, const void *user)
{
	const struct names *n = user;
	return n->collide ? 7 : xv_hash_str(n->v[i]);
}

static int find(const char **v, size_t count, bool collide, size_t *rep, size_t *first)
{
	struct names n = { v, collide };
	struct xv_repeat_order o = { names_cmp, names_hash, &n };
	return xv_find_repeat(count, &o, rep, first);
}

DEF_TEST(no_repeat)
{
	const char *v[] = { "a", "b", "c", "ab", "ba" };
	size_t rep = 99, first = 99;

	for (int collide = 0; collide < 2; collide++) {
		EXPECT_EQ_INT(0, find(v, 5, collide, &rep, &first));
		EXPECT_EQ_U64(99, rep);
	}
	EXPECT_EQ_INT(0, find(v, 1, false, &rep, &first));
	EXPECT_EQ_INT(0, find(v, 0, false, &rep, &first));
	return 0;
}

DEF_TEST(earliest_repeat_and_its_original)
{
	/* "b" repeats at 3 and "a" at 4: the repeat that comes first is 3 */
	const char *v[] = { "a", "b", "c", "b", "a", "b" };
	size_t rep, first;

	for (int collide = 0; collide < 2; collide++) {
		EXPECT_EQ_INT(1, find(v, 6, collide, &rep, &first));
		EXPECT_EQ_U64(3, rep);
		EXPECT_EQ_U64(1, first);
	}
	return 0;
}

DEF_TEST(many_items)
{
	static char buf[20000][8];
	static const char *v[20000];
	size_t rep, first;

	for (size_t i = 0; i < 20000; i++) {
		snprintf(buf[i], sizeof(buf[i]), "vm%zu", i);
		v[i] = buf[i];
	}
	EXPECT_EQ_INT(0, find(v, 20000, false, &rep, &first));
	v[19999] = buf[12345];
	EXPECT_EQ_INT(1, find(v, 20000, false, &rep, &first));
	EXPECT_EQ_U64(19999, rep);
	EXPECT_EQ_U64(12345, first);
	return 0;
}

DEF_TEST(hash_is_stable_within_a_process)
{
	EXPECT_EQ_U64(xv_hash_str("web1"), xv_hash_str("web1"));
	EXPECT_TRUE(xv_hash_str("web1") != xv_hash_str("web2"));
	return 0;
}

/* xv_reserve() gives exactly the room asked, and xv_buf_reserve_like() the
 * room the first pieces foretell: the rest then fit without a move. */
DEF_TEST(reserve_exactly)
{
	size_t alloc = 0;
	int *a = xv_reserve(NULL, sizeof(int), 1125, &alloc);
	EXPECT_EQ_INT(1125, (long long)alloc);
	a = xv_reserve(a, sizeof(int), 1000, &alloc); /* less: nothing changes */
	EXPECT_EQ_INT(1125, (long long)alloc);
	a = xv_grow(a, sizeof(int), 1126, &alloc); /* more still grows */
	EXPECT_TRUE(alloc >= 1126);
	a[1125] = 1;
	free(a);

	struct xv_buf b = XV_BUF_INIT;
	xv_buf_adds(&b, "head ");
	size_t start = b.len;
	xv_buf_adds(&b, "piece-0001;");
	xv_buf_reserve_like(&b, start, 1, 1000);
	/* 11 bytes a piece and an eighth more for 1000, after the 5 before */
	EXPECT_EQ_INT(5 + 12 * 1000 + 12 * 1000 / 8 + 1, (long long)b.alloc);
	const char *before = b.data;
	for (int i = 2; i <= 1000; i++)
		xv_buf_addf(&b, "piece-%04d;", i);
	EXPECT_TRUE(b.data == before);
	EXPECT_EQ_INT(5 + 11 * 1000, (long long)b.len);
	EXPECT_EQ_INT(0, strncmp(b.data + b.len - 11, "piece-1000;", 11));
	/* nothing to foretell from, or nothing left: no change */
	size_t had = b.alloc;
	xv_buf_reserve_like(&b, b.len, 0, 10);
	xv_buf_reserve_like(&b, start, 1000, 1000);
	EXPECT_EQ_INT((long long)had, (long long)b.alloc);
	xv_buf_release(&b);
	return 0;
}

static int by_key_then_index(const void *a, const void *b)
{
	const struct xv_key_index *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* xv_sort_by_key() as a stable sort by key: the same order as qsort() by
 * (key, index), on keys that differ in any of their bytes, on many equal
 * keys, and on tables of 0, 1 and 2 items. */
DEF_TEST(sort_by_key_is_stable)
{
	static struct xv_key_index a[5000], want[5000];
	uint64_t x = 88172645463325252ull;

	for (size_t round = 0; round < 4; round++) {
		size_t n = round == 0 ? 5000 : round == 1 ? 2 : round == 2 ? 1 : 3000;
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			/* round 3: 16 keys only, each in its byte, so most are equal */
			a[i].key = round == 3 ? (x & 15) << ((x >> 8) % 8 * 8) : x >> (x % 64);
			a[i].index = i;
		}
		memcpy(want, a, n * sizeof(*a));
		qsort(want, n, sizeof(*want), by_key_then_index);
		xv_sort_by_key(a, n);
		for (size_t i = 0; i < n; i++)
			if (a[i].key != want[i].key || a[i].index != want[i].index)
				FAIL_AT("round %zu, item %zu: key %llx index %zu, not %llx %zu", round, i,
					(unsigned long long)a[i].key, a[i].index,
					(unsigned long long)want[i].key, want[i].index);
	}
	xv_sort_by_key(a, 0);
	return 0;
}

int main(void)
{
	RUN_TEST(no_repeat);
	RUN_TEST(reserve_exactly);
	RUN_TEST(sort_by_key_is_stable);
	RUN_TEST(earliest_repeat_and_its_original);
	RUN_TEST(many_items);
	RUN_TEST(hash_is_stable_within_a_process);
	END_TEST;
}
