/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_file.c: reading a file in chunks (xv_file_read_chunks): what a reader
 * leaves comes again, a file that grows while it is read, readers that stop
 * or break the contract, NUL bytes and what is not a regular file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "buf.h"
#include "file.h"
#include "util.h"

static const char *dir;

/* Collects whole lines, like the INI and state readers; can grow the file
 * it reads the first time it is called, and stop after `stop_after` calls. */
struct collect {
	struct xv_buf got;
	const char *path;   /* appended to on the first call, when set */
	const char *append;
	unsigned calls, stop_after;
	bool use_nothing;   /* break the contract: never use a byte */
	bool saw_eof;
};

static long take(void *user, char *text, size_t len, bool at_eof)
{
	struct collect *c = user;
	char *last;
	size_t used;

	if (c->calls++ == 0 && c->path) {
		FILE *f = fopen(c->path, "a");
		fputs(c->append, f);
		fclose(f);
	}
	if (c->stop_after && c->calls == c->stop_after)
		return -1;
	if (c->use_nothing)
		return 0;
	text[len] = '#'; /* the spare byte is ours */
	if (at_eof) {
		c->saw_eof = true;
		used = len;
	} else {
		last = memrchr(text, '\n', len);
		used = last ? (size_t)(last - text) + 1 : 0;
	}
	xv_buf_add(&c->got, text, used);
	return (long)used;
}

static char *write_file(const char *name, const char *text, size_t len)
{
	char *path = xv_asprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	fwrite(text, 1, len, f);
	fclose(f);
	return path;
}

DEF_TEST(lines_across_chunks)
{
	struct xv_buf want = XV_BUF_INIT;
	struct xv_error e;
	size_t size = 0;

	for (int i = 0; i < 500; i++)
		xv_buf_addf(&want, "line %d %.*s\n", i, i % 13, "xxxxxxxxxxxxx");
	xv_buf_adds(&want, "last line without its line feed");
	char *path = write_file("lines", want.data, want.len);
	/* chunks of 32 to 64 bytes (the longest line is 31): every line end
	 * falls somewhere in one */
	for (size_t chunk = 32; chunk <= 64; chunk += 7) {
		struct collect c = { .got = XV_BUF_INIT };
		EXPECT_EQ_INT(0, xv_file_read_chunks(path, 1 << 20, 1, chunk, &size, take, &c, &e));
		EXPECT_EQ_U64(want.len, size);
		EXPECT_TRUE(c.saw_eof);
		EXPECT_EQ_U64(want.len, c.got.len);
		EXPECT_TRUE(!memcmp(want.data, c.got.data, want.len));
		xv_buf_release(&c.got);
	}
	xv_buf_release(&want);
	free(path);
	return 0;
}

/* A file read in one piece (smaller than a chunk) that grows while it is
 * read: the buffer, sized from the file, grows to a chunk, and what was
 * added is read too. */
DEF_TEST(file_that_grows)
{
	struct collect c = { .got = XV_BUF_INIT, .append = "grown 1\ngrown 2\n" };
	struct xv_error e;
	size_t size = 0;
	char *path = write_file("grows", "a\nb\nunfinished", 14);

	c.path = path;
	EXPECT_EQ_INT(0, xv_file_read_chunks(path, 1 << 20, 1, 4096, &size, take, &c, &e));
	EXPECT_EQ_U64(14, size);
	EXPECT_EQ_STR("a\nb\nunfinishedgrown 1\ngrown 2\n", c.got.data);
	xv_buf_release(&c.got);
	/* past the limit while it grows */
	c = (struct collect){ .got = XV_BUF_INIT, .append = "0123456789", .path = path };
	EXPECT_EQ_INT(-1, xv_file_read_chunks(path, 35, 1, 4096, &size, take, &c, &e));
	EXPECT_EQ_INT(XV_E_DATA, e.code);
	EXPECT_CONTAINS("is over the limit of 35 bytes", e.msg);
	xv_buf_release(&c.got);
	free(path);
	return 0;
}

DEF_TEST(readers_that_stop)
{
	struct collect c = { .got = XV_BUF_INIT, .stop_after = 2 };
	struct xv_error e = { .code = XV_E_NONE };
	size_t size;
	char *path = write_file("stop", "1\n2\n3\n4\n5\n6\n7\n8\n", 16);

	/* a reader that stops: -1, and the error is the reader's to set */
	EXPECT_EQ_INT(-1, xv_file_read_chunks(path, 1 << 20, 1, 4, &size, take, &c, &e));
	EXPECT_EQ_INT(XV_E_NONE, e.code);
	EXPECT_EQ_STR("1\n2\n", c.got.data); /* the first chunk only */
	EXPECT_EQ_INT(2, c.calls);
	xv_buf_release(&c.got);
	/* a reader that uses nothing of a whole chunk would loop forever */
	c = (struct collect){ .got = XV_BUF_INIT, .use_nothing = true };
	EXPECT_EQ_INT(-1, xv_file_read_chunks(path, 1 << 20, 1, 4, &size, take, &c, &e));
	EXPECT_EQ_INT(XV_E_SOFTWARE, e.code);
	EXPECT_CONTAINS("a reader used nothing of a whole chunk", e.msg);
	free(path);
	return 0;
}

DEF_TEST(refused)
{
	struct collect c = { .got = XV_BUF_INIT };
	struct xv_error e;
	size_t size;
	char *path = write_file("nul", "ok\nnot\0ok\n", 10);
	char *fifo = xv_asprintf("%s/fifo", dir);

	/* a NUL byte in a later chunk: refused in a text file, handed on else */
	EXPECT_EQ_INT(-1, xv_file_read_chunks(path, 1 << 20, 1, 4, &size, take, &c, &e));
	EXPECT_EQ_INT(XV_E_DATA, e.code);
	EXPECT_CONTAINS("has a NUL byte: it is not a text file", e.msg);
	xv_buf_reset(&c.got);
	EXPECT_EQ_INT(0, xv_file_read_chunks(path, 1 << 20, 0, 8, &size, take, &c, &e));
	EXPECT_EQ_U64(10, c.got.len);
	/* over the limit, a FIFO (never opened for a read that would block), a
	 * directory, nothing: refused before the reader sees a byte */
	c.calls = 0;
	EXPECT_EQ_INT(-1, xv_file_read_chunks(path, 9, 1, 4, &size, take, &c, &e));
	EXPECT_EQ_INT(XV_E_DATA, e.code);
	EXPECT_CONTAINS("is 10 bytes, over the limit of 9", e.msg);
	EXPECT_EQ_INT(0, mkfifo(fifo, 0600));
	EXPECT_EQ_INT(-1, xv_file_read_chunks(fifo, 1 << 20, 1, 4, &size, take, &c, &e));
	EXPECT_EQ_INT(XV_E_NOINPUT, e.code);
	EXPECT_CONTAINS("it is a FIFO, not a regular file", e.msg);
	EXPECT_EQ_INT(-1, xv_file_read_chunks(dir, 1 << 20, 1, 4, &size, take, &c, &e));
	EXPECT_CONTAINS("it is a directory, not a regular file", e.msg);
	EXPECT_EQ_INT(0, c.calls);
	unlink(fifo);
	xv_buf_release(&c.got);
	free(fifo);
	free(path);
	return 0;
}

int main(void)
{
	dir = harness_temp_dir();
	RUN_TEST(lines_across_chunks);
	RUN_TEST(file_that_grows);
	RUN_TEST(readers_that_stop);
	RUN_TEST(refused);
	END_TEST;
}
