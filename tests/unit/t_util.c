/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_util.c: finding repeated names with xv_find_repeat(). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "util.h"

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

int main(void)
{
	RUN_TEST(no_repeat);
	RUN_TEST(earliest_repeat_and_its_original);
	RUN_TEST(many_items);
	RUN_TEST(hash_is_stable_within_a_process);
	END_TEST;
}
