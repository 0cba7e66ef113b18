/* SPDX-License-Identifier: GPL-3.0-or-later */
/* file.c: bounded reads of regular files. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
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

int xv_file_open(const char *path, size_t max_bytes, size_t *size, struct xv_error *e)
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

long xv_file_read_some(int fd, const char *path, char *buf, size_t room, size_t *total,
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

	fd = xv_file_open(path, max_bytes, &size, e);
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
		n = xv_file_read_some(fd, path, out->data + out->len, room, &total, max_bytes, e);
		if (n < 0)
			goto out;
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
	}
	if (text && memchr(out->data + start, '\0', out->len - start)) {
		xv_error(e, XV_E_DATA, "'%s' has a NUL byte: it is not a text file", path);
		goto out;
	}
	rc = 0;
out:
	if (rc)
		xv_buf_truncate(out, start);
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
