/* SPDX-License-Identifier: GPL-3.0-or-later */
/* harness.h: a tiny unit-test harness (collectd's testing.h idea), TAP output.
 *
 *   DEF_TEST(name) { EXPECT_EQ_INT(2, 1 + 1); return 0; }
 *   int main(void) { RUN_TEST(name); END_TEST; }
 *
 * An EXPECT that fails prints what it expected and what it got, with the
 * line, and makes the test return 1. */
#ifndef XV_HARNESS_H
#define XV_HARNESS_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int harness_failures;
static int harness_count;
static char harness_dir[64];

static inline void harness_remove_temp_dir(void)
{
	char cmd[96];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", harness_dir);
	if (system(cmd)) {
	}
}

/* A directory of the test program's own, made on first use and removed
 * with what is in it when the program exits. */
static inline const char *harness_temp_dir(void)
{
	if (!harness_dir[0]) {
		snprintf(harness_dir, sizeof(harness_dir), "/tmp/xv-test-XXXXXX");
		if (!mkdtemp(harness_dir)) {
			perror("mkdtemp");
			exit(99);
		}
		atexit(harness_remove_temp_dir);
	}
	return harness_dir;
}

#define DEF_TEST(name) static int test_##name(void)

#define RUN_TEST(name)                                                        \
	do {                                                                  \
		int status_ = test_##name();                                  \
		harness_count++;                                              \
		printf("%s %d - %s\n", status_ ? "not ok" : "ok",             \
		       harness_count, #name);                                 \
		if (status_)                                                  \
			harness_failures++;                                   \
	} while (0)

#define END_TEST                                                              \
	do {                                                                  \
		printf("1..%d\n", harness_count);                             \
		return harness_failures ? 1 : 0;                              \
	} while (0)

#define FAIL_AT(...)                                                          \
	do {                                                                  \
		printf("# %s:%d: ", __FILE__, __LINE__);                      \
		printf(__VA_ARGS__);                                          \
		printf("\n");                                                 \
		return 1;                                                     \
	} while (0)

#define EXPECT_TRUE(cond)                                                     \
	do {                                                                  \
		if (!(cond))                                                  \
			FAIL_AT("expected true: %s", #cond);                  \
	} while (0)

#define EXPECT_EQ_INT(expect, actual)                                         \
	do {                                                                  \
		long long e_ = (long long)(expect), a_ = (long long)(actual); \
		if (e_ != a_)                                                 \
			FAIL_AT("%s: expected %lld, got %lld", #actual, e_,   \
				a_);                                          \
	} while (0)

#define EXPECT_EQ_U64(expect, actual)                                         \
	do {                                                                  \
		unsigned long long e_ = (expect), a_ = (actual);              \
		if (e_ != a_)                                                 \
			FAIL_AT("%s: expected %llu, got %llu", #actual, e_,   \
				a_);                                          \
	} while (0)

#define EXPECT_EQ_DOUBLE(expect, actual)                                      \
	do {                                                                  \
		double e_ = (expect), a_ = (actual);                          \
		if (!(fabs(e_ - a_) <= 1e-9 * (fabs(e_) > 1 ? fabs(e_) : 1))) \
			FAIL_AT("%s: expected %.12g, got %.12g", #actual, e_, \
				a_);                                          \
	} while (0)

#define EXPECT_EQ_STR(expect, actual)                                         \
	do {                                                                  \
		const char *e_ = (expect), *a_ = (actual);                    \
		if (!a_ || strcmp(e_, a_))                                    \
			FAIL_AT("%s:\n#   expected \"%s\"\n#   got      \"%s\"", \
				#actual, e_, a_ ? a_ : "(null)");             \
	} while (0)

/* Substring match, for error messages whose wording may grow. */
#define EXPECT_CONTAINS(needle, haystack)                                     \
	do {                                                                  \
		const char *n_ = (needle), *h_ = (haystack);                  \
		if (!h_ || !strstr(h_, n_))                                   \
			FAIL_AT("%s: expected to contain \"%s\", got \"%s\"", \
				#haystack, n_, h_ ? h_ : "(null)");           \
	} while (0)

#endif
