/* SPDX-License-Identifier: GPL-3.0-or-later */
/* atomic_file.c: temp file + fsync + rename + directory fsync, and the
 * removal of temporaries their writers left behind when killed. */
#include "atomic_file.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_SUFFIX ".tmp"

static void release(struct xv_atomic_file *af)
{
	if (af->fp)
		fclose(af->fp);
	af->fp = NULL;
	if (af->tmp_path) {
		unlink(af->tmp_path);
		free(af->tmp_path);
		af->tmp_path = NULL;
	}
	free(af->path);
	af->path = NULL;
	af->prepared = 0;
	af->no_sync = 0;
}

bool xv_temp_name_parse(const char *entry, const char *suffix, pid_t *pid)
{
	size_t n = strlen(entry), s = strlen(suffix);
	const char *end, *digits;
	long long v = 0;

	/* ".N.P.XXXXXX" is the shortest: 11 characters before the suffix */
	if (entry[0] != '.' || n < 11 + s || strcmp(entry + n - s, suffix))
		return false;
	end = entry + n - s; /* just after the random part */
	for (const char *p = end - 6; p < end; p++)
		if (!isalnum((unsigned char)*p))
			return false;
	if (end[-7] != '.')
		return false;
	digits = end - 7;
	while (digits > entry && isdigit((unsigned char)digits[-1]))
		digits--;
	/* at least one digit, a dot before them, and a name before the dot */
	if (digits == end - 7 || end - 7 - digits > 9 || digits[-1] != '.' || digits - 1 <= entry + 1)
		return false;
	for (const char *p = digits; p < end - 7; p++)
		v = v * 10 + (*p - '0');
	if (v <= 0)
		return false;
	*pid = (pid_t)v;
	return true;
}

bool xv_temp_writer_gone(pid_t pid)
{
	return pid != getpid() && kill(pid, 0) < 0 && errno == ESRCH;
}

/* Directories already swept by this process, so a program writing thousands
 * of files into one directory reads it once. */
static struct {
	dev_t dev;
	ino_t ino;
} swept[16];
static size_t n_swept;

/* Removes the temporaries of dead writers from `dir`.  Best effort: a
 * directory that cannot be read is left alone (creating the new temporary
 * will say what is wrong with it). */
static void sweep(const char *dir)
{
	struct dirent *de;
	struct stat st;
	DIR *d = opendir(dir);
	int fd;

	if (!d)
		return;
	fd = dirfd(d);
	if (fstat(fd, &st) == 0) {
		for (size_t i = 0; i < n_swept; i++)
			if (swept[i].dev == st.st_dev && swept[i].ino == st.st_ino)
				goto out;
		if (n_swept < XV_ARRAY_SIZE(swept)) {
			swept[n_swept].dev = st.st_dev;
			swept[n_swept].ino = st.st_ino;
			n_swept++;
		}
	}
	while ((de = readdir(d))) {
		struct stat fst;
		pid_t pid;

		if (!xv_temp_name_parse(de->d_name, TMP_SUFFIX, &pid) || !xv_temp_writer_gone(pid))
			continue;
		/* only a regular file this module could have made; never follow a link */
		if (fstatat(fd, de->d_name, &fst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(fst.st_mode))
			unlinkat(fd, de->d_name, 0);
	}
out:
	closedir(d);
}

int xv_atomic_file_open(struct xv_atomic_file *af, const char *path, mode_t mode,
			struct xv_error *e)
{
	char *dcopy = xv_strdup(path), *bcopy = xv_strdup(path);
	const char *dir = dirname(dcopy), *base = basename(bcopy);
	mode_t mask;
	int fd, rc = -1;

	memset(af, 0, sizeof(*af));
	sweep(dir);
	af->path = xv_strdup(path);
	af->tmp_path = xv_asprintf("%s/.%s.%ld.XXXXXX" TMP_SUFFIX, dir, base, (long)getpid());
	fd = mkstemps(af->tmp_path, (int)strlen(TMP_SUFFIX));
	if (fd < 0) {
		xv_error(e, XV_E_CANTCREAT, "cannot create a temporary file for '%s': %s", path,
			 strerror(errno));
		free(af->tmp_path);
		af->tmp_path = NULL;
		release(af);
		goto out;
	}
	/* mkstemp makes 0600; the target gets the mode asked for, less umask */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, mode & ~mask) < 0 || !(af->fp = fdopen(fd, "w"))) {
		xv_error(e, XV_E_CANTCREAT, "cannot prepare '%s': %s", af->tmp_path, strerror(errno));
		close(fd);
		release(af);
		goto out;
	}
	rc = 0;
out:
	free(dcopy);
	free(bcopy);
	return rc;
}

static void sync_directory(const char *path)
{
	char *copy = xv_strdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);

	/* Best effort: some file systems refuse fsync on a directory. */
	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

void xv_atomic_file_volatile(struct xv_atomic_file *af)
{
	af->no_sync = 1;
}

int xv_atomic_file_prepare(struct xv_atomic_file *af, struct xv_error *e)
{
	int failed = 0;

	if (af->prepared)
		return 0;
	if (!af->fp) {
		release(af);
		return xv_error(e, XV_E_SOFTWARE, "atomic file: no file open");
	}
	errno = 0;
	if (fflush(af->fp) || ferror(af->fp) || (!af->no_sync && fsync(fileno(af->fp)))) {
		xv_error(e, XV_E_IO, "cannot write '%s': %s", af->tmp_path,
			 strerror(errno ? errno : EIO));
		failed = 1;
	}
	if (fclose(af->fp) && !failed) {
		xv_error(e, XV_E_IO, "cannot close '%s': %s", af->tmp_path, strerror(errno));
		failed = 1;
	}
	af->fp = NULL;
	if (failed) {
		release(af);
		return -1;
	}
	af->prepared = 1;
	return 0;
}

int xv_atomic_file_commit(struct xv_atomic_file *af, struct xv_error *e)
{
	if (xv_atomic_file_prepare(af, e))
		return -1;
	if (rename(af->tmp_path, af->path)) {
		xv_error(e, XV_E_IO, "cannot rename '%s' to '%s': %s", af->tmp_path, af->path,
			 strerror(errno));
		release(af);
		return -1;
	}
	free(af->tmp_path);
	af->tmp_path = NULL;
	if (!af->no_sync)
		sync_directory(af->path);
	release(af);
	return 0;
}

void xv_atomic_file_abort(struct xv_atomic_file *af)
{
	release(af);
}
