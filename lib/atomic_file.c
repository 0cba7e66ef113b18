/* SPDX-License-Identifier: GPL-3.0-or-later */
/* atomic_file.c: temp file + fsync + rename + directory fsync. */
#include "atomic_file.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
}

int xv_atomic_file_open(struct xv_atomic_file *af, const char *path, mode_t mode)
{
	int fd;

	memset(af, 0, sizeof(*af));
	af->path = xv_strdup(path);
	af->tmp_path = xv_asprintf("%s.tmp.XXXXXX", path);
	fd = mkstemp(af->tmp_path);
	if (fd < 0) {
		xv_set_error(af->err, sizeof(af->err), "cannot create a temporary file for '%s': %s",
			     path, strerror(errno));
		free(af->tmp_path);
		af->tmp_path = NULL;
		release(af);
		return -1;
	}
	/* mkstemp makes 0600; the target gets the mode asked for, less umask */
	mode_t mask = umask(0);
	umask(mask);
	if (fchmod(fd, mode & ~mask) < 0 || !(af->fp = fdopen(fd, "w"))) {
		xv_set_error(af->err, sizeof(af->err), "cannot prepare '%s': %s", af->tmp_path,
			     strerror(errno));
		close(fd);
		release(af);
		return -1;
	}
	return 0;
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

int xv_atomic_file_prepare(struct xv_atomic_file *af)
{
	int failed = 0;

	if (af->prepared)
		return 0;
	if (!af->fp) {
		xv_set_error(af->err, sizeof(af->err), "no file open");
		release(af);
		return -1;
	}
	errno = 0;
	if (fflush(af->fp) || ferror(af->fp) || fsync(fileno(af->fp))) {
		xv_set_error(af->err, sizeof(af->err), "cannot write '%s': %s", af->tmp_path,
			     strerror(errno ? errno : EIO));
		failed = 1;
	}
	if (fclose(af->fp) && !failed) {
		xv_set_error(af->err, sizeof(af->err), "cannot close '%s': %s", af->tmp_path,
			     strerror(errno));
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

int xv_atomic_file_commit(struct xv_atomic_file *af)
{
	if (xv_atomic_file_prepare(af))
		return -1;
	if (rename(af->tmp_path, af->path)) {
		xv_set_error(af->err, sizeof(af->err), "cannot rename '%s' to '%s': %s",
			     af->tmp_path, af->path, strerror(errno));
		release(af);
		return -1;
	}
	free(af->tmp_path);
	af->tmp_path = NULL;
	sync_directory(af->path);
	release(af);
	return 0;
}

void xv_atomic_file_abort(struct xv_atomic_file *af)
{
	release(af);
}
