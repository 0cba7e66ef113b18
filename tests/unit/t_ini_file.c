/* t_ini_file.c: line numbers, error order, and what libinih must not see. */
#include "harness.h"
#include "buf.h"
#include "ini_file.h"

#include <stdlib.h>

struct trace {
	struct xv_buf log;
	const char *fail_key; /* report an error at this key */
	int ended;
};

static int on_section(struct xv_ini *ini, void *user, const char *section)
{
	struct trace *t = user;
	xv_buf_addf(&t->log, "[%s]@%u ", section, xv_ini_line(ini));
	return 0;
}

static int on_key(struct xv_ini *ini, void *user, const char *section, const char *key,
		  const char *value)
{
	struct trace *t = user;

	if (t->fail_key && !strcmp(key, t->fail_key))
		return xv_ini_error(ini, "bad '%s'", key);
	xv_buf_addf(&t->log, "%s.%s=%s@%u ", section, key, value, xv_ini_line(ini));
	return 0;
}

static int on_end(struct xv_ini *ini, void *user)
{
	struct trace *t = user;
	t->ended++;
	return 0;
}

static const struct xv_ini_callbacks cb = { on_section, on_key, on_end };

static int run(const char *text, struct trace *t, char *err, size_t n)
{
	xv_buf_init(&t->log);
	t->ended = 0;
	return xv_ini_parse_string("f.ini", text, strlen(text), &cb, t, err, n);
}

DEF_TEST(lines_sections_quotes)
{
	struct trace t = { 0 };
	char err[256] = "";

	EXPECT_EQ_INT(0, run("# comment\n[a]\nx = 1 ; inline\n\n[empty]\n[b c]\ny = \"quoted value\"\n"
			     "z = \"only one side\n", &t, err, sizeof(err)));
	EXPECT_EQ_STR("[a]@2 a.x=1@3 [empty]@5 [b c]@6 b c.y=quoted value@7 b c.z=\"only one side@8 ",
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
	EXPECT_EQ_INT(-1, xv_ini_parse_string("f.ini", with_nul, sizeof(with_nul) - 1, &cb, &t, err,
					      sizeof(err)));
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

int main(void)
{
	RUN_TEST(lines_sections_quotes);
	RUN_TEST(first_error_wins_by_line);
	RUN_TEST(long_lines_and_nul_bytes);
	RUN_TEST(crlf_and_missing_final_newline);
	END_TEST;
}
