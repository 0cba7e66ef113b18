/* SPDX-License-Identifier: GPL-3.0-or-later */
/* t_http_answer.c: HTTP answers as the plain client reads them: whole in
 * every split, chunked or not, 1xx skipped, delimited by the close; every
 * refusal with its message; raw input bounded for a body of tiny chunks. */
#include "harness.h"
#include "http_answer.h"
#include "util.h"

#include <string.h>

/* Feeds `text` cut at `cut` (and then closes, if asked): the result of the
 * last call, with `e` and the answer left for the caller to look at. */
static int feed(struct xv_http_answer *a, const char *text, size_t cut, bool close,
		struct xv_error *e)
{
	size_t n = strlen(text);
	int rc = 0;

	xv_http_answer_init(a, 4096);
	if (cut) {
		xv_buf_add(&a->in, text, cut);
		rc = xv_http_answer_parse(a, e);
	}
	if (rc == 0 && cut < n) {
		xv_buf_add(&a->in, text + cut, n - cut);
		rc = xv_http_answer_parse(a, e);
	}
	if (rc == 0 && close)
		rc = xv_http_answer_closed(a, e);
	return rc;
}

/* The body of a whole answer, as a string the caller frees. */
static char *body_of(struct xv_http_answer *a)
{
	struct xv_buf buf;
	const char *body;
	size_t len;
	char *s;

	xv_http_answer_take_body(a, &buf, &body, &len);
	s = xv_strndup(body, len);
	xv_buf_release(&buf);
	return s;
}

static int whole_in_every_split(const char *text, bool close, const char *want_body,
				bool keep)
{
	for (size_t cut = 0; cut <= strlen(text); cut++) {
		struct xv_http_answer a;
		struct xv_error e;
		char *body;
		int rc = feed(&a, text, cut, close, &e);
		if (rc != 1)
			FAIL_AT("cut at %zu: %d (%s)", cut, rc, rc < 0 ? e.msg : "more wanted");
		EXPECT_EQ_INT(200, (int)a.status);
		EXPECT_EQ_INT(keep, a.keep);
		body = body_of(&a);
		EXPECT_EQ_STR(want_body, body);
		free(body);
		xv_http_answer_release(&a);
	}
	return 0;
}

DEF_TEST(content_length)
{
	return whole_in_every_split("HTTP/1.1 200 OK\r\ncontent-length:  5 \r\n\r\nhello", false,
				    "hello", true);
}

DEF_TEST(chunked_with_extensions_and_trailers)
{
	return whole_in_every_split("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
				    "Connection: close\r\n\r\n5;name=x\r\nhello\r\n6\r\n world\r\n"
				    "0\r\nX-Trailer: y\r\n\r\n",
				    false, "hello world", false);
}

DEF_TEST(informational_answers_skipped)
{
	return whole_in_every_split("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n"
				    "X: y\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
				    false, "ok", true);
}

DEF_TEST(delimited_by_the_close)
{
	return whole_in_every_split("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nto the end", true,
				    "to the end", false);
}

DEF_TEST(refusals)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "SSH-2.0-OpenSSH_9.2\r\n\r\n", "the peer's answer is not HTTP/1.x" },
		{ "HTTP/2 200\r\n\r\n", "the peer's answer is not HTTP/1.x" },
		{ "HTTP/1.1 600 Odd\r\n\r\n", "the peer's answer is not HTTP/1.x" },
		{ "HTTP/1.1 200OK\r\n\r\n", "the peer's answer is not HTTP/1.x" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n",
		  "the peer's answer has a bad Content-Length" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n",
		  "the peer's answer has a bad Content-Length" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
		  "the peer's answer has a bad Content-Length" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 4097\r\n\r\n", "the answer is larger than 4 KiB" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
		  "the peer's answer has a transfer encoding other than chunked" },
		{ "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx",
		  "the peer's answer is encoded (gzip), which was not asked for" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		  "the peer's answer has a bad chunk size" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n;x\r\n",
		  "the peer's answer has a bad chunk size" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n11111111111111111\r\n",
		  "the peer's answer has a bad chunk size" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n",
		  "the peer's answer has a chunk longer than its size" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1001\r\n",
		  "the answer is larger than 4 KiB" },
		{ "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
		  "the peer closed the connection in the middle of its answer" },
		{ "HTTP/1.0 200 OK\r\n\r\n", NULL }, /* empty, and whole at the close */
		{ "", "Empty reply from server" },
	};

	for (size_t i = 0; i < XV_ARRAY_SIZE(cases); i++) {
		struct xv_http_answer a;
		struct xv_error e;
		int rc = feed(&a, cases[i].text, 0, true, &e);
		if (!cases[i].msg) {
			EXPECT_EQ_INT(1, rc);
		} else {
			if (rc != -1)
				FAIL_AT("case %zu: %d, not refused", i, rc);
			EXPECT_EQ_INT(XV_E_HOST, e.code);
			EXPECT_EQ_STR(cases[i].msg, e.msg);
		}
		xv_http_answer_release(&a);
	}
	return 0;
}

/* What never ends is refused once it outgrows its limit: a head, trailers,
 * a chunk line, a body until the close. */
DEF_TEST(endless_parts)
{
	static const struct {
		const char *start, *filler, *msg;
	} cases[] = {
		{ "HTTP/1.1 200 OK\r\n", "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
		  "the answer's head is larger than 64 KiB" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
		  "X-Trailer: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
		  "the peer's answer has trailers larger than 64 KiB" },
		{ "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1;",
		  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "the peer's answer has a chunk line too long" },
		{ "HTTP/1.0 200 OK\r\n\r\n", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		  "the answer is larger than 4 KiB" },
	};

	for (size_t i = 0; i < XV_ARRAY_SIZE(cases); i++) {
		struct xv_http_answer a;
		struct xv_error e;
		int rc;
		xv_http_answer_init(&a, 4096);
		xv_buf_adds(&a.in, cases[i].start);
		rc = xv_http_answer_parse(&a, &e);
		for (int n = 0; rc == 0 && n < 10000; n++) {
			xv_buf_adds(&a.in, cases[i].filler);
			rc = xv_http_answer_parse(&a, &e);
		}
		if (rc != -1)
			FAIL_AT("case %zu: %d after 10 000 fillers", i, rc);
		EXPECT_EQ_STR(cases[i].msg, e.msg);
		xv_http_answer_release(&a);
	}
	return 0;
}

/* A body of one-byte chunks: the raw input keeps the head and what is not
 * decoded yet, not every chunk line since the start. */
DEF_TEST(tiny_chunks_do_not_pile_up)
{
	struct xv_http_answer a;
	struct xv_error e;
	size_t most = 0;
	int rc;
	char *body;

	xv_http_answer_init(&a, 4096);
	xv_buf_adds(&a.in, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
	rc = xv_http_answer_parse(&a, &e);
	for (int i = 0; rc == 0 && i < 4000; i++) {
		xv_buf_adds(&a.in, "1;padding-to-make-a-long-line\r\nx\r\n");
		rc = xv_http_answer_parse(&a, &e);
		if (a.in.len > most)
			most = a.in.len;
	}
	EXPECT_EQ_INT(0, rc);
	EXPECT_TRUE(most < a.head_len + 64);
	xv_buf_adds(&a.in, "0\r\n\r\n");
	EXPECT_EQ_INT(1, xv_http_answer_parse(&a, &e));
	body = body_of(&a);
	EXPECT_EQ_INT(4000, (int)strlen(body));
	free(body);
	xv_http_answer_release(&a);
	return 0;
}

int main(void)
{
	RUN_TEST(content_length);
	RUN_TEST(chunked_with_extensions_and_trailers);
	RUN_TEST(informational_answers_skipped);
	RUN_TEST(delimited_by_the_close);
	RUN_TEST(refusals);
	RUN_TEST(endless_parts);
	RUN_TEST(tiny_chunks_do_not_pile_up);
	END_TEST;
}
