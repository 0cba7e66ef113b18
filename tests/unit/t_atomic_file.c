/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_atomic_file.c: the target holds old or new content, never a mix. */
#include "harness.h"
#include "atomic_file.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

DEF_TEST(commit_replaces_content)
{
	struct xv_atomic_file af;
	char path[128];

	snprintf(path, sizeof(path), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("old\n", af.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af));
	EXPECT_EQ_STR("old\n", slurp(path));

	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("new\n", af.fp);
	EXPECT_EQ_STR("old\n", slurp(path)); /* not visible before commit */
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af));
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(1, count_entries());

	struct stat st;
	EXPECT_EQ_INT(0, stat(path, &st));
	EXPECT_EQ_INT(0644 & ~022, st.st_mode & 0777 & ~022);
	return 0;
}

DEF_TEST(abort_keeps_old_content)
{
	struct xv_atomic_file af;
	char path[128];

	snprintf(path, sizeof(path), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("half a docu", af.fp);
	xv_atomic_file_abort(&af);
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(1, count_entries());
	return 0;
}

DEF_TEST(unwritable_directory_fails_cleanly)
{
	struct xv_atomic_file af;

	EXPECT_EQ_INT(-1, xv_atomic_file_open(&af, "/nonexistent-dir/feed.xml", 0644));
	EXPECT_CONTAINS("cannot create a temporary file for '/nonexistent-dir/feed.xml'", af.err);
	xv_atomic_file_abort(&af); /* safe after a failed open */
	return 0;
}

DEF_TEST(prepare_then_commit_or_abort)
{
	struct xv_atomic_file a, b;
	char pa[128], pb[128];

	snprintf(pa, sizeof(pa), "%s/a.xml", dir);
	snprintf(pb, sizeof(pb), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&a, pa, 0644));
	EXPECT_EQ_INT(0, xv_atomic_file_open(&b, pb, 0644));
	fputs("A\n", a.fp);
	fputs("B\n", b.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_prepare(&a));
	EXPECT_EQ_INT(0, xv_atomic_file_prepare(&b));
	EXPECT_TRUE(a.fp == NULL && a.tmp_path != NULL);
	EXPECT_EQ_STR("A\n", slurp(a.tmp_path)); /* durable, not yet in place */
	EXPECT_EQ_INT(3, count_entries());        /* feed.xml and two temporaries */
	EXPECT_EQ_INT(0, xv_atomic_file_prepare(&a)); /* twice is harmless */
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&a));
	EXPECT_EQ_STR("A\n", slurp(pa));
	xv_atomic_file_abort(&b); /* the other one is given up: old content stays */
	EXPECT_EQ_STR("new\n", slurp(pb));
	EXPECT_EQ_INT(2, count_entries());
	EXPECT_EQ_INT(0, unlink(pa));
	return 0;
}

DEF_TEST(failed_rename_leaves_nothing_behind)
{
	struct xv_atomic_file af;
	char path[128];

	/* a directory where the file should go: rename() fails with EISDIR */
	snprintf(path, sizeof(path), "%s/blocked.xml", dir);
	EXPECT_EQ_INT(0, mkdir(path, 0755));
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644));
	fputs("x\n", af.fp);
	EXPECT_EQ_INT(-1, xv_atomic_file_commit(&af));
	EXPECT_CONTAINS("cannot rename '", af.err);
	EXPECT_CONTAINS("/blocked.xml': Is a directory", af.err);
	EXPECT_TRUE(af.tmp_path == NULL && af.path == NULL);
	EXPECT_EQ_INT(2, count_entries()); /* feed.xml and the directory only */
	EXPECT_EQ_INT(0, rmdir(path));
	return 0;
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/xv-atomic-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN_TEST(commit_replaces_content);
	RUN_TEST(abort_keeps_old_content);
	RUN_TEST(unwritable_directory_fails_cleanly);
	RUN_TEST(prepare_then_commit_or_abort);
	RUN_TEST(failed_rename_leaves_nothing_behind);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd)) {}
	END_TEST;
}
