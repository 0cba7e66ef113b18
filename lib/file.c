/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file.c: bounded reads of regular files. */
#include "file.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *xv_file_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	case S_IFLNK:
		return "a symbolic link";
	}
	return "not a regular file";
}

static int open_failed(const char *path, int err, struct xv_error *e)
{
	struct stat st;

	if (err == ENOENT && lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return xv_error(e, XV_E_NOINPUT, "cannot open '%s': it is a dangling symbolic link",
				path);
	return xv_error(e, XV_E_NOINPUT, "cannot open '%s': %s", path, strerror(err));
}

static int refuse_nul(const char *path, struct xv_error *e)
{
	return xv_error(e, XV_E_DATA, "'%s' has a NUL byte: it is not a text file", path);
}

/* The checks every read makes: the open descriptor (close it) of a regular
 * file of at most max_bytes, its size in *size; or -1. */
static int open_checked(const char *path, size_t max_bytes, size_t *size, struct xv_error *e)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return open_failed(path, errno, e);
	if (fstat(fd, &st) < 0) {
		xv_error(e, XV_E_NOINPUT, "cannot read '%s': %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		xv_error(e, XV_E_NOINPUT, "cannot read '%s': it is %s, not a regular file", path,
			 xv_file_kind(st.st_mode));
		goto fail;
	}
	if ((unsigned long long)st.st_size > max_bytes) {
		xv_error(e, XV_E_DATA, "'%s' is %llu bytes, over the limit of %zu", path,
			 (unsigned long long)st.st_size, max_bytes);
		goto fail;
	}
	/* A regular file ignores O_NONBLOCK; clear it anyway so no reader of a
	 * special file system gets EAGAIN. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	*size = (size_t)st.st_size;
	return fd;
fail:
	close(fd);
	return -1;
}

/* At most `room` bytes into buf, added to *total: the count, 0 at the end of
 * the file, or -1 (XV_E_NOINPUT; XV_E_DATA once *total would pass
 * max_bytes, for a file that grows while it is read). */
static long read_some(int fd, const char *path, char *buf, size_t room, size_t *total,
		      size_t max_bytes, struct xv_error *e)
{
	ssize_t n;

	do
		n = read(fd, buf, room);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return xv_error(e, XV_E_NOINPUT, "cannot read '%s': %s", path, strerror(errno));
	if (*total + (size_t)n > max_bytes) /* the file grew while it is read */
		return xv_error(e, XV_E_DATA, "'%s' is over the limit of %zu bytes", path, max_bytes);
	*total += (size_t)n;
	return n;
}

int xv_file_read(const char *path, size_t max_bytes, int text, struct xv_buf *out,
		 struct xv_error *e)
{
	size_t start = out->len, size, total = 0;
	int fd, rc = -1;

	fd = open_checked(path, max_bytes, &size, e);
	if (fd < 0)
		return -1;
	/* Read straight into the buffer, sized from the file: a big file is
	 * then not copied, and touches no more memory than it needs. */
	xv_buf_grow(out, size + 1);
	for (;;) {
		size_t room = out->alloc - out->len - 1;
		long n;

		if (room == 0) { /* the file grew while it is read */
			xv_buf_grow(out, 65536);
			room = out->alloc - out->len - 1;
		}
		n = read_some(fd, path, out->data + out->len, room, &total, max_bytes, e);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	if (text && memchr(out->data + start, '\0', out->len - start)) {
		refuse_nul(path, e);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		xv_buf_truncate(out, start);
	close(fd);
	return rc;
}

int xv_file_read_chunks(const char *path, size_t max_bytes, int text, size_t chunk, size_t *size,
			xv_file_chunk_fn take, void *user, struct xv_error *e)
{
	size_t total = 0, have = 0, room;
	char *buf;
	int fd, rc = -1;

	fd = open_checked(path, max_bytes, size, e);
	if (fd < 0)
		return -1;
	room = *size < chunk ? *size + 1 : chunk;
	buf = xv_malloc(room + 1); /* and take's spare byte */
	for (;;) {
		long n = read_some(fd, path, buf + have, room - have, &total, max_bytes, e), used;

		if (n < 0)
			goto out;
		if (text && memchr(buf + have, '\0', (size_t)n)) {
			refuse_nul(path, e);
			goto out;
		}
		have += (size_t)n;
		used = take(user, buf, have, n == 0);
		if (used < 0)
			goto out;
		if (n == 0)
			break;
		have -= (size_t)used;
		memmove(buf, buf + used, have);
		if (have == room) {
			if (room == chunk) { /* `take` broke its contract */
				xv_error(e, XV_E_SOFTWARE, "'%s': a reader used nothing of a "
					 "whole chunk", path);
				goto out;
			}
			room = chunk; /* a file that grew past its size */
			buf = xv_realloc(buf, room + 1);
		}
	}
	rc = 0;
out:
	free(buf);
	close(fd);
	return rc;
}

int xv_file_write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
