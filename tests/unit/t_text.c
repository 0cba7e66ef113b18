/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_text.c: markup escaping, shared by XML-RPC, the bench's HTML report and
 * libvirt domain XML. */
#include "harness.h"
#include "buf.h"
#include "text.h"

static const char *escape(struct xv_buf *b, const char *s)
{
	xv_buf_reset(b);
	xv_text_escape_markup(b, s);
	return b->data;
}

DEF_TEST(escape_markup)
{
	struct xv_buf b = XV_BUF_INIT;

	EXPECT_EQ_STR("", escape(&b, ""));
	EXPECT_EQ_STR("web1", escape(&b, "web1"));
	EXPECT_EQ_STR("a&lt;b&gt;&amp;c&quot;d&apos;e&#13;\nf\t", escape(&b, "a<b>&c\"d'e\r\nf\t"));
	/* not cleaned: bytes beyond ASCII pass as they are */
	EXPECT_EQ_STR("\xc3\xa9\xff", escape(&b, "\xc3\xa9\xff"));
	xv_buf_release(&b);
	return 0;
}

int main(void)
{
	RUN_TEST(escape_markup);
	END_TEST;
}
