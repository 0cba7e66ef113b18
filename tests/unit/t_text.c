/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_text.c: cleaning text for documents and plugin lines, and markup
 * escaping, shared by XML-RPC, the bench's HTML report and libvirt domain
 * XML. */
#include "harness.h"
#include "buf.h"
#include "text.h"

#include <stdint.h>

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

/* What text.h says xv_text_clean() does, decoded code point by code point:
 * the reference the implementation (a table, eight bytes at a time) must
 * agree with. */
static void clean_by_the_rules(struct xv_buf *out, const unsigned char *s, bool line)
{
	while (*s) {
		unsigned c = s[0];
		uint32_t cp = 0;
		size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
			   (c & 0xf8) == 0xf0 ? 4 : 0;
		bool ok = n > 0;

		cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
		for (size_t i = 1; ok && i < n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				ok = false;
			else
				cp = cp << 6 | (s[i] & 0x3f);
		}
		/* shortest form only, no surrogates, up to U+10FFFF, XML characters */
		if (ok && ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
			   cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
			   cp == 0xffff || (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')))
			ok = false;
		if (line && (c < 0x20 || c == 0x7f)) {
			xv_buf_addch(out, '?');
			n = 1;
		} else if (line && c == '|') {
			xv_buf_addch(out, '/');
		} else if (ok) {
			xv_buf_add(out, s, n);
		} else {
			xv_buf_adds(out, "\xef\xbf\xbd");
			n = 1;
		}
		s += n;
	}
}

/* Strings of long plain runs (the common case, taken eight bytes at a
 * time) broken by every kind of byte the rules treat apart, at every
 * alignment: the same as by the rules, in both modes. */
DEF_TEST(clean_as_the_rules_say)
{
	static const char *const odd[] = {
		"|", "\x7f", "\t", "\n", "\r", "\x01", "\x1f", "\xc3\xa9", "\xe2\x82\xac",
		"\xf0\x9f\x98\x80", "\x80", "\xc0\xaf", "\xe0\x80\x80", "\xed\xa0\x80",
		"\xef\xbf\xbe", "\xef\xbf\xbf", "\xf4\x90\x80\x80", "\xff", "\xc3", "~", " ",
	};
	struct xv_buf got = XV_BUF_INIT, want = XV_BUF_INIT, in = XV_BUF_INIT;
	uint64_t x = 88172645463325252ull;

	for (int round = 0; round < 20000; round++) {
		xv_buf_reset(&in);
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		size_t parts = x % 6;
		for (size_t k = 0; k <= parts; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			for (size_t j = 0, run = x % 40; j < run; j++)
				xv_buf_addch(&in, (char)(0x20 + (x >> (j % 50)) % 95));
			if (k < parts)
				xv_buf_adds(&in, odd[(x >> 20) % (sizeof(odd) / sizeof(odd[0]))]);
		}
		for (int line = 0; line < 2; line++) {
			xv_buf_reset(&got);
			xv_buf_reset(&want);
			xv_text_clean(&got, in.data, line ? XV_TEXT_PLUGIN_LINE : XV_TEXT_DOCUMENT);
			clean_by_the_rules(&want, (const unsigned char *)in.data, line);
			if (got.len != want.len || memcmp(got.data, want.data, got.len))
				FAIL_AT("round %d, %s: '%s' cleaned to '%s', not '%s'", round,
					line ? "plugin line" : "document", in.data, got.data, want.data);
		}
	}
	xv_buf_release(&got);
	xv_buf_release(&want);
	xv_buf_release(&in);
	return 0;
}

int main(void)
{
	RUN_TEST(escape_markup);
	RUN_TEST(clean_as_the_rules_say);
	END_TEST;
}
