/* SPDX-License-Identifier: GPL-3.0-or-later */
/* rundir.c: the temporary run directory, its rename into place and the
 * removal of what killed runs left. */
#include "rundir.h"
#include "atomic_file.h"
#include "buf.h"
#include "charts.h"
#include "data.h"
#include "file.h"
#include "output.h"
#include "text.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUN_SUFFIX ".run"

static bool in_list(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

bool xv_bench_rundir_is_ours(const char *name)
{
	static const char *const data_files[] = {
		XV_BENCH_SAMPLES_CSV, XV_BENCH_GUESTS_CSV, XV_BENCH_EVENTS_CSV, XV_BENCH_MANIFEST, NULL,
	};
	size_t n = strlen(name);
	pid_t pid;

	if (in_list(data_files, name) || in_list(xv_bench_output_files, name) ||
	    in_list(xv_bench_chart_files, name))
		return true;
	/* an atomic file's temporary, or a chart's (".free.png.tmp") */
	if (xv_temp_name_parse(name, ".tmp", &pid))
		return true;
	if (name[0] == '.' && n > 5 && !strcmp(name + n - 4, ".tmp")) {
		char *middle = xv_strndup(name + 1, n - 5);
		bool chart = in_list(xv_bench_chart_files, middle);
		free(middle);
		return chart;
	}
	return false;
}

int xv_bench_rundir_check(const char *path, struct xv_error *e)
{
	size_t n = strlen(path);
	const char *last;

	if (!n)
		return xv_error(e, XV_E_USAGE, "-o: the output directory is an empty string");
	for (const char *p = path; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			struct xv_buf shown = XV_BUF_INIT;
			xv_text_clean(&shown, path, XV_TEXT_PLUGIN_LINE);
			xv_error(e, XV_E_USAGE, "-o: '%s' has a control character: choose another name",
				 shown.data);
			xv_buf_release(&shown);
			return -1;
		}
	}
	while (n > 1 && path[n - 1] == '/')
		n--;
	for (last = path + n; last > path && last[-1] != '/'; last--)
		;
	if ((path + n - last == 1 && last[0] == '.') ||
	    (path + n - last == 2 && last[0] == '.' && last[1] == '.') || (n == 1 && path[0] == '/'))
		return xv_error(e, XV_E_USAGE, "-o: '%s' does not name a directory of its own (the run "
				"is renamed into place): give one like 'out/run'", path);
	return 0;
}

/* mkdir -p of `path`: every component in turn. */
static int make_dirs(const char *path)
{
	char *p = xv_strdup(path);
	struct stat st;
	int rc = 0;

	for (char *s = p; *s; s++) {
		if (*s != '/' || s == p)
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			rc = -1;
		*s = '/';
		if (rc)
			break;
	}
	if (!rc && mkdir(p, 0755) && errno != EEXIST)
		rc = -1;
	if (!rc && (stat(p, &st) || !S_ISDIR(st.st_mode))) {
		if (!errno || errno == EEXIST)
			errno = ENOTDIR;
		rc = -1;
	}
	free(p);
	return rc;
}

/* Removes `dir` and the files in it (a run directory has no subdirectory;
 * one found there is left, and so is `dir`). */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd(d), de->d_name, 0);
		closedir(d);
	}
	rmdir(dir);
}

/* Removes the run directories beside `path` whose writer is gone. */
static void sweep(const char *parent)
{
	DIR *d = opendir(parent);
	struct dirent *de;

	if (!d)
		return;
	while ((de = readdir(d))) {
		struct stat st;
		pid_t pid;
		char *full;

		if (!xv_temp_name_parse(de->d_name, RUN_SUFFIX, &pid) || !xv_temp_writer_gone(pid))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
			continue;
		full = xv_asprintf("%s/%s", parent, de->d_name);
		remove_tree(full);
		free(full);
	}
	closedir(d);
}

/* What is at `path` now: 0 nothing or a directory we may replace, -1 with e
 * set otherwise. */
static int check_target(const char *path, struct xv_error *e)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int rc = 0;

	if (lstat(path, &st)) {
		if (errno == ENOENT)
			return 0;
		return xv_error(e, XV_E_CANTCREAT, "cannot create output directory '%s': %s", path,
				strerror(errno));
	}
	if (!S_ISDIR(st.st_mode))
		return xv_error(e, XV_E_CANTCREAT, "cannot create output directory '%s': it is %s",
				path, xv_file_kind(st.st_mode));
	d = opendir(path);
	if (!d)
		return xv_error(e, XV_E_CANTCREAT, "cannot read output directory '%s': %s", path,
				strerror(errno));
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
		    xv_bench_rundir_is_ours(de->d_name))
			continue;
		rc = xv_error(e, XV_E_CANTCREAT, "output directory '%s' holds '%s', which xvmon-bench "
			      "did not write: give a new or empty directory", path, de->d_name);
		break;
	}
	closedir(d);
	return rc;
}

static void release(struct xv_bench_rundir *rd)
{
	free(rd->path);
	free(rd->tmp);
	rd->path = rd->tmp = NULL;
}

int xv_bench_rundir_begin(struct xv_bench_rundir *rd, const char *path, struct xv_error *e)
{
	char *pcopy = NULL, *bcopy = NULL, *parent, *base;
	size_t n = strlen(path);
	int rc = -1;

	memset(rd, 0, sizeof(*rd));
	if (xv_bench_rundir_check(path, e))
		return -1;
	while (n > 1 && path[n - 1] == '/')
		n--;
	rd->path = xv_strndup(path, n);
	pcopy = xv_strdup(rd->path);
	bcopy = xv_strdup(rd->path);
	parent = dirname(pcopy);
	base = basename(bcopy);
	if (make_dirs(parent)) {
		xv_error(e, XV_E_CANTCREAT, "cannot create output directory '%s': %s", rd->path,
			 strerror(errno));
		goto out;
	}
	sweep(parent);
	if (check_target(rd->path, e))
		goto out;
	for (int tries = 0; tries < 100; tries++) {
		static const char alphabet[] =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
		unsigned char r[6];
		char rnd[7];

		if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
			for (size_t i = 0; i < sizeof(r); i++)
				r[i] = (unsigned char)(rand() ^ tries);
		for (size_t i = 0; i < sizeof(r); i++)
			rnd[i] = alphabet[r[i] % (sizeof(alphabet) - 1)];
		rnd[6] = '\0';
		free(rd->tmp);
		rd->tmp = xv_asprintf("%s/.%s.%ld.%s" RUN_SUFFIX, parent, base, (long)getpid(), rnd);
		if (!mkdir(rd->tmp, 0755)) {
			rc = 0;
			goto out;
		}
		if (errno != EEXIST)
			break;
	}
	xv_error(e, XV_E_CANTCREAT, "cannot create a temporary directory beside '%s': %s", rd->path,
		 strerror(errno));
	free(rd->tmp);
	rd->tmp = NULL;
out:
	free(pcopy);
	free(bcopy);
	if (rc)
		release(rd);
	return rc;
}

static void sync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Swaps the new run with the previous one at `path`; the temporary name
 * then holds the previous run.  Where the file system cannot exchange, the
 * previous run is moved aside first (DIR is missing for a moment). */
static int exchange(struct xv_bench_rundir *rd)
{
	char *aside;
	int rc;

	if (!renameat2(AT_FDCWD, rd->tmp, AT_FDCWD, rd->path, RENAME_EXCHANGE))
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	aside = xv_asprintf("%s.old", rd->tmp);
	rc = rename(rd->path, aside);
	if (!rc && (rc = rename(rd->tmp, rd->path)) != 0) {
		int saved = errno;
		rename(aside, rd->path);
		errno = saved;
	}
	if (!rc)
		rename(aside, rd->tmp);
	free(aside);
	return rc;
}

int xv_bench_rundir_commit(struct xv_bench_rundir *rd, struct xv_error *e)
{
	char *pcopy = xv_strdup(rd->path);
	struct stat st;
	int rc = -1;

	sync_dir(rd->tmp);
	if (lstat(rd->path, &st) == 0) {
		/* a previous run: checked again (files may have been added since
		 * the start), swapped out at once, then removed */
		if (check_target(rd->path, e))
			goto out;
		if (exchange(rd)) {
			xv_error(e, XV_E_IO, "cannot put the run in place of '%s': %s (it is in '%s')",
				 rd->path, strerror(errno), rd->tmp);
			goto out;
		}
	} else if (rename(rd->tmp, rd->path)) {
		xv_error(e, XV_E_IO, "cannot put the run in place as '%s': %s (it is in '%s')",
			 rd->path, strerror(errno), rd->tmp);
		goto out;
	}
	sync_dir(dirname(pcopy));
	/* the temporary name now holds the previous run, or nothing */
	remove_tree(rd->tmp);
	rc = 0;
out:
	free(pcopy);
	release(rd);
	return rc;
}

void xv_bench_rundir_abort(struct xv_bench_rundir *rd)
{
	if (rd->tmp)
		remove_tree(rd->tmp);
	release(rd);
}
