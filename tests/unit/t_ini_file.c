/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_ini_file.c: line numbers, error order, and the lines that are refused. */
#include "harness.h"
#include "util.h"
#include "buf.h"
#include "ini_file.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

struct trace {
	struct xv_buf log;
	const char *fail_key; /* report an error at this key */
	int ended;
	const char *text;     /* when set, each line's xv_ini_offset() is checked in it */
	unsigned wrong_offsets;
};

/* Whether the line at xv_ini_offset() in the input starts with `start` (after
 * the byte-order mark that may begin the file). */
static void check_offset(struct xv_ini *ini, struct trace *t, const char *lead, const char *start)
{
	const char *at;

	if (!t->text)
		return;
	at = t->text + xv_ini_offset(ini);
	if (at > t->text && at[-1] != '\n')
		t->wrong_offsets++; /* not the start of a line */
	else if (at == t->text && !memcmp(at, "\xEF\xBB\xBF", 3))
		at += 3;
	if (strncmp(at, lead, strlen(lead)) || strncmp(at + strlen(lead), start, strlen(start)))
		t->wrong_offsets++;
}

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct trace *t = user;
	xv_buf_addf(&t->log, "[%s]@%u ", section, xv_ini_line(ini));
	check_offset(ini, t, "[", section);
	return 0;
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct trace *t = user;

	if (t->fail_key && !strcmp(key, t->fail_key))
		return xv_ini_error(ini, "bad '%s'", key);
	xv_buf_addf(&t->log, "%s.%s=%s@%u ", section, key, value, xv_ini_line(ini));
	check_offset(ini, t, "", key);
	return 0;
}

static int on_end(struct xv_ini *ini, void *user)
{
	struct trace *t = user;
	t->ended++;
	return 0;
}

static const struct xv_ini_callbacks cb = { on_section, on_key, on_end };

static int parse_n(const char *text, size_t len, struct trace *t, char *err, size_t n)
{
	struct xv_error e;
	int rc = xv_ini_parse_string("f.ini", text, len, &cb, t, &e);

	if (rc)
		xv_strlcpy(err, e.msg, n);
	return rc;
}

static int run(const char *text, struct trace *t, char *err, size_t n)
{
	xv_buf_init(&t->log);
	t->ended = 0;
	return parse_n(text, strlen(text), t, err, n);
}

DEF_TEST(lines_sections_quotes)
{
	struct trace t = { 0 };
	char err[256] = "";

	EXPECT_EQ_INT(0, run("# comment\n[a]\nx = 1 ; inline\n\n[empty]\n[b c]\ny = \"quoted value\"\n"
			     "  ; an indented comment\n[ spaced ]\nz = 2\n", &t, err, sizeof(err)));
	EXPECT_EQ_STR("[a]@2 a.x=1@3 [empty]@5 [b c]@6 b c.y=quoted value@7 [spaced]@9 spaced.z=2@10 ",
		      t.log.data);
	EXPECT_EQ_INT(1, t.ended);
	xv_buf_release(&t.log);
	return 0;
}

DEF_TEST(first_error_wins_by_line)
{
	struct trace t = { .fail_key = "late" };
	char err[256] = "";

	/* the syntax error (line 2) comes before the callback error (line 3) */
	EXPECT_EQ_INT(-1, run("[a]\nnot a pair\nlate = 1\n", &t, err, sizeof(err)));
	EXPECT_EQ_STR("f.ini:2: syntax error (expected [section] or key = value)", err);
	EXPECT_EQ_INT(0, t.ended);
	xv_buf_release(&t.log);
	/* the callback error (line 2) comes before the syntax error (line 3) */
	EXPECT_EQ_INT(-1, run("[a]\nlate = 1\nnot a pair\n", &t, err, sizeof(err)));
	EXPECT_EQ_STR("f.ini:2: bad 'late'", err);
	xv_buf_release(&t.log);
	return 0;
}

DEF_TEST(long_lines_and_nul_bytes)
{
	struct trace t = { 0 };
	char err[256] = "";
	struct xv_buf text = XV_BUF_INIT;

	xv_buf_adds(&text, "[a]\nk = ");
	for (int i = 0; i < 300; i++)
		xv_buf_addch(&text, 'x');
	xv_buf_adds(&text, "\n");
	EXPECT_EQ_INT(-1, run(text.data, &t, err, sizeof(err)));
	EXPECT_CONTAINS("f.ini:2: line too long", err);
	xv_buf_release(&text);
	xv_buf_release(&t.log);

	static const char with_nul[] = "[a]\nk = v\0w\n";
	xv_buf_init(&t.log);
	EXPECT_EQ_INT(-1, parse_n(with_nul, sizeof(with_nul) - 1, &t, err, sizeof(err)));
	EXPECT_EQ_STR("f.ini:2: NUL byte in file (is it a text file?)", err);
	xv_buf_release(&t.log);
	return 0;
}

DEF_TEST(crlf_and_missing_final_newline)
{
	struct trace t = { 0 };
	char err[256] = "";

	EXPECT_EQ_INT(0, run("[a]\r\nx = 1\r\ny = 2", &t, err, sizeof(err)));
	EXPECT_EQ_STR("[a]@1 a.x=1@2 a.y=2@3 ", t.log.data);
	xv_buf_release(&t.log);
	return 0;
}

/* A file is parsed a chunk at a time (XV_INI_READ_BYTES): whatever line
 * falls across a chunk's end, the file gives what the same text gives as a
 * string, including the line of an error. */
static int file_like_string(const struct xv_buf *text, const char *path)
{
	struct trace from_file = { 0 }, from_string = { 0 };
	struct xv_error fe = { 0 }, se = { 0 };
	int frc, src;
	FILE *f = fopen(path, "wb");

	EXPECT_TRUE(f != NULL);
	EXPECT_EQ_INT(1, (int)fwrite(text->data, text->len, 1, f));
	fclose(f);
	xv_buf_init(&from_file.log);
	xv_buf_init(&from_string.log);
	from_file.text = from_string.text = text->data;
	frc = xv_ini_parse_file(path, 1 << 20, &cb, &from_file, &fe);
	src = xv_ini_parse_string(path, text->data, text->len, &cb, &from_string, &se);
	/* every line's offset, across the chunks the file is read in */
	EXPECT_EQ_INT(0, from_file.wrong_offsets);
	EXPECT_EQ_INT(0, from_string.wrong_offsets);
	EXPECT_EQ_INT(src, frc);
	EXPECT_EQ_STR(src ? se.msg : "", frc ? fe.msg : "");
	EXPECT_EQ_INT(from_string.ended, from_file.ended);
	EXPECT_TRUE(from_file.log.len == from_string.log.len &&
		    !memcmp(from_file.log.data, from_string.log.data, from_file.log.len));
	xv_buf_release(&from_file.log);
	xv_buf_release(&from_string.log);
	return 0;
}

DEF_TEST(chunks_of_a_file)
{
	char path[] = "/tmp/t_ini_file.XXXXXX";
	int fd = mkstemp(path);
	unsigned seed = 7;

	EXPECT_TRUE(fd >= 0);
	close(fd);
	/* where a line of the longest kind, and one too long, fall */
	for (int shift = 0; shift < 420; shift += 3) {
		for (int bad = 0; bad < 2; bad++) {
			struct xv_buf text = XV_BUF_INIT;
			xv_buf_adds(&text, "\xEF\xBB\xBF[a]\r\n");
			/* the first chunk ends at XV_INI_READ_BYTES */
			while (text.len < XV_INI_READ_BYTES - 210 + (size_t)shift)
				xv_buf_adds(&text, "k = v\n");
			/* a value that ends the line at the limit, then \r\n */
			xv_buf_adds(&text, "key = ");
			for (int i = 0; i < XV_INI_MAX_LINE - 6 + bad; i++)
				xv_buf_addch(&text, (char)('a' + i % 26));
			xv_buf_adds(&text, "\r\n");
			/* then lines of every length, some with \r, some blank */
			for (int i = 0; i < 800; i++) {
				seed = seed * 1103515245u + 12345u;
				int len = (int)(seed >> 16) % (XV_INI_MAX_LINE - 4);
				if (len < 3) {
					xv_buf_adds(&text, len ? "; c\n" : "\n");
					continue;
				}
				xv_buf_adds(&text, "v = ");
				for (int j = 0; j < len - 4; j++)
					xv_buf_addch(&text, (char)('0' + j % 10));
				xv_buf_adds(&text, seed & 0x100 ? "\r\n" : "\n");
			}
			xv_buf_adds(&text, "last = no newline");
			int failed = file_like_string(&text, path);
			xv_buf_release(&text);
			if (failed) {
				printf("# shift %d, bad %d\n", shift, bad);
				unlink(path);
				return 1;
			}
		}
	}
	unlink(path);
	return 0;
}

/* Lines whose meaning would be ambiguous are refused with their line. */
DEF_TEST(ambiguous_lines)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "[a]\nx = 1\n  y = 2\n", "f.ini:3: indented line (xvmon files have no continuation "
		  "lines: remove the leading blanks)" },
		{ "[a]\n\tx = 1\n", "f.ini:2: indented line (xvmon files have no continuation lines: "
		  "remove the leading blanks)" },
		{ "[a]\nx = \"open\n", "f.ini:2: unbalanced double quote in the value of 'x'" },
		{ "[a]\nx = \"\n", "f.ini:2: unbalanced double quote in the value of 'x'" },
		{ "[a]\nx = \"a\"b\"\n", "f.ini:2: a double quote inside the quoted value of 'x'" },
		{ "[a] trailing\n", "f.ini:1: text after the section header" },
		{ "[a]]\n", "f.ini:1: text after the section header" },
		{ "[a\n", "f.ini:1: section header without ']'" },
		{ "[a[b]\n", "f.ini:1: '[' inside a section name" },
		{ "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
		  "f.ini:1: section name longer than 49 characters" },
		{ "[a]\nkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk = 1\n",
		  "f.ini:2: key name longer than 49 characters" },
		{ "[a]\n= 1\n", "f.ini:2: a value without a key" },
		{ "\xEF\xBB\xBF\xEF\xBB\xBF[a]\n", "f.ini:1: syntax error (expected [section] or key = value)" },
	};
	struct trace t = { 0 };
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (run(bad[i].text, &t, err, sizeof(err)) != -1)
			FAIL_AT("accepted case %zu", i);
		if (strcmp(err, bad[i].message))
			FAIL_AT("case %zu:\n#   expected \"%s\"\n#   got      \"%s\"", i, bad[i].message, err);
		xv_buf_release(&t.log);
	}
	/* a byte-order mark at the start is not part of the first line */
	EXPECT_EQ_INT(0, run("\xEF\xBB\xBF[a]\nx = 1\n", &t, err, sizeof(err)));
	EXPECT_EQ_STR("[a]@1 a.x=1@2 ", t.log.data);
	xv_buf_release(&t.log);
	/* the longest names are accepted */
	EXPECT_EQ_INT(0, run("[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", &t, err, sizeof(err)));
	xv_buf_release(&t.log);
	return 0;
}

/* Files are read whole, after checking that they are regular files. */
DEF_TEST(files_that_are_not_regular)
{
	struct xv_error e;
	struct trace t = { 0 };

	xv_buf_init(&t.log);
	EXPECT_EQ_INT(-1, xv_ini_parse_file("/dev/zero", 1 << 20, &cb, &t, &e));
	EXPECT_EQ_INT(XV_E_NOINPUT, e.code);
	EXPECT_EQ_STR("cannot read '/dev/zero': it is a character device, not a regular file", e.msg);
	EXPECT_EQ_INT(-1, xv_ini_parse_file("/", 1 << 20, &cb, &t, &e));
	EXPECT_EQ_STR("cannot read '/': it is a directory, not a regular file", e.msg);
	EXPECT_EQ_INT(-1, xv_ini_parse_file("tests/data/healthy.sim", 10, &cb, &t, &e));
	EXPECT_EQ_INT(XV_E_DATA, e.code);
	EXPECT_CONTAINS("over the limit of 10", e.msg);
	xv_buf_release(&t.log);
	return 0;
}

int main(void)
{
	RUN_TEST(lines_sections_quotes);
	RUN_TEST(first_error_wins_by_line);
	RUN_TEST(ambiguous_lines);
	RUN_TEST(files_that_are_not_regular);
	RUN_TEST(long_lines_and_nul_bytes);
	RUN_TEST(crlf_and_missing_final_newline);
	RUN_TEST(chunks_of_a_file);
	END_TEST;
}
