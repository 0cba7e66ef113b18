/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_bench_rundir.c: output paths that a rename cannot replace are refused;
 * a run directory appears whole, replaces a previous run, and leaves nothing
 * behind; what killed runs left is removed; foreign files are never touched. */
#include "harness.h"
#include "rundir.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *top;
static struct xv_error err;

static int entries(const char *dir)
{
	char cmd[256];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

static void touch(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f)
		fclose(f);
}

DEF_TEST(odd_paths_refused)
{
	static const char *const bad[] = { "", ".", "..", "/", "./", "a/..", "a/.", "a/../", "x\ny",
					   "x\033y", "x\x7fy" };
	static const char *const good[] = { "out", "out/", "a/b/c", "/tmp/x", "<touch x;echo ",
					    "a'b", "..a", ".a", "a..", "-o" };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!xv_bench_rundir_check(bad[i], &err))
			FAIL_AT("'%s' accepted", bad[i]);
		EXPECT_EQ_INT(XV_E_USAGE, err.code);
	}
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (xv_bench_rundir_check(good[i], &err))
			FAIL_AT("'%s' refused: %s", good[i], err.msg);
	return 0;
}

DEF_TEST(ours)
{
	EXPECT_TRUE(xv_bench_rundir_is_ours("samples.csv"));
	EXPECT_TRUE(xv_bench_rundir_is_ours("run.done"));
	EXPECT_TRUE(xv_bench_rundir_is_ours("report.html"));
	EXPECT_TRUE(xv_bench_rundir_is_ours("free.svg"));
	EXPECT_TRUE(xv_bench_rundir_is_ours(".free.png.tmp"));
	EXPECT_TRUE(xv_bench_rundir_is_ours(".bycount.csv.123.abcDEF.tmp"));
	EXPECT_TRUE(!xv_bench_rundir_is_ours("notes.txt"));
	EXPECT_TRUE(!xv_bench_rundir_is_ours(".free.jpg.tmp"));
	EXPECT_TRUE(!xv_bench_rundir_is_ours(".tmp"));
	EXPECT_TRUE(!xv_bench_rundir_is_ours("samples.csv~"));
	return 0;
}

DEF_TEST(whole_run_replaces_the_previous)
{
	struct xv_bench_rundir rd;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/a/b/run", top);
	EXPECT_EQ_INT(0, xv_bench_rundir_begin(&rd, dir, &err));
	EXPECT_EQ_INT(-1, access(dir, F_OK)); /* not before the commit */
	touch(rd.tmp, "samples.csv");
	EXPECT_EQ_INT(0, xv_bench_rundir_commit(&rd, &err));
	EXPECT_EQ_INT(1, entries(dir));
	EXPECT_TRUE(rd.tmp == NULL && rd.path == NULL);

	/* a previous run is swapped out whole */
	EXPECT_EQ_INT(0, xv_bench_rundir_begin(&rd, dir, &err));
	touch(rd.tmp, "events.csv");
	touch(rd.tmp, "run.done");
	EXPECT_EQ_INT(0, xv_bench_rundir_commit(&rd, &err));
	EXPECT_EQ_INT(2, entries(dir));
	snprintf(dir, sizeof(dir), "%s/a/b", top);
	EXPECT_EQ_INT(1, entries(dir)); /* no temporary left beside it */

	/* an abandoned run leaves nothing */
	snprintf(dir, sizeof(dir), "%s/a/b/run", top);
	EXPECT_EQ_INT(0, xv_bench_rundir_begin(&rd, dir, &err));
	touch(rd.tmp, "samples.csv");
	xv_bench_rundir_abort(&rd);
	snprintf(dir, sizeof(dir), "%s/a/b", top);
	EXPECT_EQ_INT(1, entries(dir));
	return 0;
}

DEF_TEST(foreign_files_are_refused_not_deleted)
{
	struct xv_bench_rundir rd;
	char dir[128];

	snprintf(dir, sizeof(dir), "%s/mine", top);
	EXPECT_EQ_INT(0, mkdir(dir, 0755));
	touch(dir, "samples.csv");
	touch(dir, "thesis.tex");
	EXPECT_EQ_INT(-1, xv_bench_rundir_begin(&rd, dir, &err));
	EXPECT_EQ_INT(XV_E_CANTCREAT, err.code);
	EXPECT_CONTAINS("holds 'thesis.tex', which xvmon-bench did not write", err.msg);
	EXPECT_EQ_INT(2, entries(dir));

	/* added while the run was being written: still refused at the commit */
	snprintf(dir, sizeof(dir), "%s/later", top);
	EXPECT_EQ_INT(0, mkdir(dir, 0755));
	EXPECT_EQ_INT(0, xv_bench_rundir_begin(&rd, dir, &err));
	touch(dir, "thesis.tex");
	EXPECT_EQ_INT(-1, xv_bench_rundir_commit(&rd, &err));
	EXPECT_EQ_INT(1, entries(dir));
	return 0;
}

/* A run killed before its rename leaves its directory; the next run beside
 * it removes it, and leaves a live writer's alone. */
DEF_TEST(dead_runs_are_swept)
{
	struct xv_bench_rundir rd;
	char dir[256], live[256], parent[128];
	pid_t child;
	int status;

	snprintf(parent, sizeof(parent), "%s/sweep", top);
	snprintf(dir, sizeof(dir), "%s/run", parent);
	child = fork();
	if (child == 0) {
		struct xv_bench_rundir c;
		if (xv_bench_rundir_begin(&c, dir, NULL))
			_exit(1);
		touch(c.tmp, "samples.csv");
		raise(SIGKILL);
	}
	EXPECT_EQ_INT(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status));
	EXPECT_EQ_INT(1, entries(parent));
	snprintf(live, sizeof(live), "%s/.run.%ld.abcdef.run", parent, (long)getppid());
	EXPECT_EQ_INT(0, mkdir(live, 0755));
	EXPECT_EQ_INT(0, xv_bench_rundir_begin(&rd, dir, &err));
	EXPECT_EQ_INT(2, entries(parent)); /* the live one and ours */
	EXPECT_EQ_INT(0, access(live, F_OK));
	xv_bench_rundir_abort(&rd);
	EXPECT_EQ_INT(0, rmdir(live));
	return 0;
}

int main(void)
{
	top = harness_temp_dir();
	RUN_TEST(odd_paths_refused);
	RUN_TEST(ours);
	RUN_TEST(whole_run_replaces_the_previous);
	RUN_TEST(foreign_files_are_refused_not_deleted);
	RUN_TEST(dead_runs_are_swept);
	END_TEST;
}
