/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_atomic_file.c: the target holds old or new content, never a mix. */
#include "harness.h"
#include "atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *dir;
static struct xv_error err;

/* fsync() calls, counted: this definition takes the place of libc's for
 * the module under test. */
static int fsyncs;
int fsync(int fd)
{
	fsyncs++;
	return (int)syscall(SYS_fsync, fd);
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

/* Entries of `d` whose path starts with `prefix`. */
static int count_prefix(const char *d, const char *prefix)
{
	DIR *dp = opendir(d);
	struct dirent *e;
	char full[512];
	int n = 0;

	while ((e = readdir(dp))) {
		snprintf(full, sizeof(full), "%s/%s", d, e->d_name);
		if (!strncmp(full, prefix, strlen(prefix)))
			n++;
	}
	closedir(dp);
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
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	fputs("old\n", af.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af, &err));
	EXPECT_EQ_STR("old\n", slurp(path));

	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	fputs("new\n", af.fp);
	EXPECT_EQ_STR("old\n", slurp(path)); /* not visible before commit */
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af, &err));
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(1, count_entries());

	struct stat st;
	EXPECT_EQ_INT(0, stat(path, &st));
	EXPECT_EQ_INT(0644 & ~022, st.st_mode & 0777 & ~022);
	return 0;
}

/* A durable commit syncs the file and its directory; a volatile one (a
 * check's state) only renames, and the rename still replaces at once. */
DEF_TEST(volatile_commit_renames_without_fsync)
{
	struct xv_atomic_file af;
	char path[128];

	snprintf(path, sizeof(path), "%s/state", dir);
	fsyncs = 0;
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	fputs("old\n", af.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af, &err));
	EXPECT_EQ_INT(2, fsyncs);

	fsyncs = 0;
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	xv_atomic_file_volatile(&af);
	fputs("new\n", af.fp);
	EXPECT_EQ_STR("old\n", slurp(path));
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af, &err));
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(0, fsyncs);
	/* the next open is durable again */
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	EXPECT_EQ_INT(0, af.no_sync);
	xv_atomic_file_abort(&af);
	EXPECT_EQ_INT(0, unlink(path));
	return 0;
}

DEF_TEST(abort_keeps_old_content)
{
	struct xv_atomic_file af;
	char path[128];

	snprintf(path, sizeof(path), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	fputs("half a docu", af.fp);
	xv_atomic_file_abort(&af);
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(1, count_entries());
	return 0;
}

DEF_TEST(unwritable_directory_fails_cleanly)
{
	struct xv_atomic_file af;

	EXPECT_EQ_INT(-1, xv_atomic_file_open(&af, "/nonexistent-dir/feed.xml", 0644, &err));
	EXPECT_CONTAINS("cannot create a temporary file for '/nonexistent-dir/feed.xml'", err.msg);
	EXPECT_EQ_INT(XV_E_CANTCREAT, err.code);
	xv_atomic_file_abort(&af); /* safe after a failed open */
	return 0;
}

DEF_TEST(prepare_then_commit_or_abort)
{
	struct xv_atomic_file a, b;
	char pa[128], pb[128];

	snprintf(pa, sizeof(pa), "%s/a.xml", dir);
	snprintf(pb, sizeof(pb), "%s/feed.xml", dir);
	EXPECT_EQ_INT(0, xv_atomic_file_open(&a, pa, 0644, &err));
	EXPECT_EQ_INT(0, xv_atomic_file_open(&b, pb, 0644, &err));
	fputs("A\n", a.fp);
	fputs("B\n", b.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_prepare(&a, &err));
	EXPECT_EQ_INT(0, xv_atomic_file_prepare(&b, &err));
	EXPECT_TRUE(a.fp == NULL && a.tmp_path != NULL);
	EXPECT_EQ_STR("A\n", slurp(a.tmp_path)); /* durable, not yet in place */
	EXPECT_EQ_INT(3, count_entries());        /* feed.xml and two temporaries */
	EXPECT_EQ_INT(0, xv_atomic_file_prepare(&a, &err)); /* twice is harmless */
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&a, &err));
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
	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	fputs("x\n", af.fp);
	EXPECT_EQ_INT(-1, xv_atomic_file_commit(&af, &err));
	EXPECT_CONTAINS("cannot rename '", err.msg);
	EXPECT_CONTAINS("/blocked.xml': Is a directory", err.msg);
	EXPECT_EQ_INT(XV_E_IO, err.code);
	EXPECT_TRUE(af.tmp_path == NULL && af.path == NULL);
	EXPECT_EQ_INT(2, count_entries()); /* feed.xml and the directory only */
	EXPECT_EQ_INT(0, rmdir(path));
	return 0;
}

DEF_TEST(temporary_names_say_whose)
{
	static const struct {
		const char *name;
		bool ok;
		long pid;
	} names[] = {
		{ ".feed.xml.1234.aB3xZ9.tmp", true, 1234 },
		{ ".a.1.AAAAAA.tmp", true, 1 },
		{ ".x.y.z.77.abcdef.tmp", true, 77 },
		{ "feed.xml.1234.aB3xZ9.tmp", false, 0 },  /* not hidden */
		{ "..1234.aB3xZ9.tmp", false, 0 },         /* no name */
		{ ".feed.1234.aB3xZ.tmp", false, 0 },      /* five random characters */
		{ ".feed.1234.aB3x-9.tmp", false, 0 },     /* not mkstemp's alphabet */
		{ ".feed.x234.aB3xZ9.tmp", false, 0 },     /* no pid */
		{ ".feed..aB3xZ9.tmp", false, 0 },
		{ ".feed.0.aB3xZ9.tmp", false, 0 },        /* pid 0 */
		{ ".feed.1234567890.aB3xZ9.tmp", false, 0 },
		{ ".feed.1234.aB3xZ9.tmpx", false, 0 },
		{ ".feed.1234.aB3xZ9", false, 0 },
		{ "feed.xml.tmp.aB3xZ9", false, 0 },       /* the old pattern */
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		pid_t pid = 0;
		bool ok = xv_temp_name_parse(names[i].name, ".tmp", &pid);
		if (ok != names[i].ok || (ok && pid != names[i].pid))
			FAIL_AT("'%s': %d pid %ld", names[i].name, ok, (long)pid);
	}
	return 0;
}

/* A temporary left by a writer that died is removed by the next open in its
 * directory; a live writer's, and files that only look alike, are not. */
DEF_TEST(dead_writers_temporaries_are_swept)
{
	struct xv_atomic_file af;
	char sub[128], path[256], dead_tmp[256], live_tmp[256], link_tmp[256], dir_tmp[256];
	pid_t child;
	int status;

	snprintf(sub, sizeof(sub), "%s/sweep", dir);
	EXPECT_EQ_INT(0, mkdir(sub, 0755));
	snprintf(path, sizeof(path), "%s/feed.xml", sub);
	/* a writer killed between writing its temporary and renaming it */
	child = fork();
	if (child == 0) {
		struct xv_atomic_file c;
		if (xv_atomic_file_open(&c, path, 0644, NULL))
			_exit(1);
		fputs("lost\n", c.fp);
		fflush(c.fp);
		raise(SIGKILL);
	}
	EXPECT_EQ_INT(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	snprintf(dead_tmp, sizeof(dead_tmp), "%s/.feed.xml.%ld.", sub, (long)child);
	EXPECT_EQ_INT(1, count_prefix(sub, dead_tmp));
	/* the temporary of a live writer (this process's parent), a link and a
	 * directory that look like dead writers' temporaries */
	snprintf(live_tmp, sizeof(live_tmp), "%s/.feed.xml.%ld.abcdef.tmp", sub, (long)getppid());
	EXPECT_EQ_INT(0, close(open(live_tmp, O_CREAT | O_WRONLY, 0600)));
	snprintf(link_tmp, sizeof(link_tmp), "%s/.other.%ld.abcdef.tmp", sub, (long)child);
	EXPECT_EQ_INT(0, symlink(live_tmp, link_tmp));
	snprintf(dir_tmp, sizeof(dir_tmp), "%s/.dir.%ld.abcdef.tmp", sub, (long)child);
	EXPECT_EQ_INT(0, mkdir(dir_tmp, 0755));

	EXPECT_EQ_INT(0, xv_atomic_file_open(&af, path, 0644, &err));
	EXPECT_EQ_INT(0, count_prefix(sub, dead_tmp));
	fputs("new\n", af.fp);
	EXPECT_EQ_INT(0, xv_atomic_file_commit(&af, &err));
	EXPECT_EQ_STR("new\n", slurp(path));
	EXPECT_EQ_INT(0, access(live_tmp, F_OK));
	EXPECT_EQ_INT(0, access(dir_tmp, F_OK));
	struct stat st;
	EXPECT_EQ_INT(0, lstat(link_tmp, &st));
	EXPECT_EQ_INT(0, unlink(live_tmp));
	EXPECT_EQ_INT(0, unlink(link_tmp));
	EXPECT_EQ_INT(0, rmdir(dir_tmp));
	EXPECT_EQ_INT(0, unlink(path));
	EXPECT_EQ_INT(0, rmdir(sub));
	return 0;
}

int main(void)
{
	dir = harness_temp_dir();
	RUN_TEST(commit_replaces_content);
	RUN_TEST(volatile_commit_renames_without_fsync);
	RUN_TEST(abort_keeps_old_content);
	RUN_TEST(unwritable_directory_fails_cleanly);
	RUN_TEST(prepare_then_commit_or_abort);
	RUN_TEST(failed_rename_leaves_nothing_behind);
	RUN_TEST(temporary_names_say_whose);
	RUN_TEST(dead_writers_temporaries_are_swept);
	END_TEST;
}
