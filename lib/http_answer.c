/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http_answer.c: an HTTP/1.x answer, read as it comes (http_answer.h). */
#include "http_answer.h"
#include "num.h"
#include "util.h"

#include <string.h>
#include <strings.h>

/* A chunk's size line (with any extension) longer than this is not one. */
#define CHUNK_LINE_MAX 1024

void xv_http_answer_init(struct xv_http_answer *a, size_t max_body)
{
	memset(a, 0, sizeof(*a));
	xv_buf_init(&a->in);
	xv_buf_init(&a->body);
	a->max_body = max_body;
	a->keep = true;
}

void xv_http_answer_release(struct xv_http_answer *a)
{
	xv_buf_release(&a->in);
	xv_buf_release(&a->body);
}

void xv_http_answer_reset(struct xv_http_answer *a)
{
	size_t max_body = a->max_body;

	xv_http_answer_release(a);
	xv_http_answer_init(a, max_body);
}

static int too_big(const struct xv_http_answer *a, struct xv_error *e)
{
	char limit[32];

	xv_format_kib(a->max_body / 1024, limit, sizeof(limit));
	return xv_error(e, XV_E_HOST, "the answer is larger than %s", limit);
}

/* Whether the header line line[0..len) is `name`; then its value, blanks
 * around it cut. */
static bool header_is(const char *line, size_t len, const char *name, const char **value,
		      size_t *value_len)
{
	size_t n = strlen(name);

	if (len <= n || line[n] != ':' || strncasecmp(line, name, n))
		return false;
	*value = line + n + 1;
	*value_len = len - n - 1;
	while (*value_len && (**value == ' ' || **value == '\t'))
		(*value)++, (*value_len)--;
	while (*value_len && ((*value)[*value_len - 1] == ' ' || (*value)[*value_len - 1] == '\t'))
		(*value_len)--;
	return true;
}

/* Whether the comma-separated list v[0..len) holds `token`. */
static bool has_token(const char *v, size_t len, const char *token)
{
	size_t n = strlen(token);

	for (size_t i = 0; i + n <= len; i++)
		if (!strncasecmp(v + i, token, n) && (i == 0 || v[i - 1] == ' ' || v[i - 1] == ',') &&
		    (i + n == len || v[i + n] == ' ' || v[i + n] == ',' || v[i + n] == ';'))
			return true;
	return false;
}

/* The head, if it is all in: 1 read, 0 more needed, -1 refused. */
static int parse_head(struct xv_http_answer *a, struct xv_error *e)
{
	for (;;) {
		const char *s = a->in.data, *end = memmem(s, a->in.len, "\r\n\r\n", 4), *line;
		bool http10, has_length = false;

		if (!end)
			return a->in.len > XV_HTTP_HEAD_MAX
				       ? xv_error(e, XV_E_HOST, "the answer's head is larger than %u KiB",
						  XV_HTTP_HEAD_MAX >> 10)
				       : 0;
		if ((size_t)(end - s) + 4 > XV_HTTP_HEAD_MAX)
			return xv_error(e, XV_E_HOST, "the answer's head is larger than %u KiB",
					XV_HTTP_HEAD_MAX >> 10);
		if (a->in.len < 12 || memcmp(s, "HTTP/1.", 7) || s[7] < '0' || s[7] > '9' ||
		    s[8] != ' ' || s[9] < '1' || s[9] > '5' || s[10] < '0' || s[10] > '9' ||
		    s[11] < '0' || s[11] > '9' || (s + 12 < end && s[12] != ' ' && s[12] != '\r'))
			return xv_error(e, XV_E_HOST, "the peer's answer is not HTTP/1.x");
		http10 = s[7] == '0';
		a->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
		a->head_len = (size_t)(end - s) + 4;
		if (a->status < 200) { /* 100 Continue and friends: the answer follows */
			memmove(a->in.data, a->in.data + a->head_len, a->in.len - a->head_len);
			xv_buf_truncate(&a->in, a->in.len - a->head_len);
			a->status = 0;
			a->head_len = 0;
			continue;
		}
		a->keep = !http10;
		/* the lines after the status line; each ends in CR LF, the last
		 * one's at `end` (a bare CR or LF is part of its line) */
		line = (const char *)memmem(s, (size_t)(end + 2 - s), "\r\n", 2) + 2;
		while (line < end + 2) {
			const char *eol = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
			size_t len;
			if (!eol)
				break;
			len = (size_t)(eol - line);
			const char *v;
			size_t vl;
			if (header_is(line, len, "Content-Length", &v, &vl)) {
				char num[24];
				if (!vl || vl >= sizeof(num))
					return xv_error(e, XV_E_HOST, "the peer's answer has a bad "
							"Content-Length");
				memcpy(num, v, vl);
				num[vl] = '\0';
				if (xv_parse_u64(num, 0, UINT64_MAX, &a->length))
					return xv_error(e, XV_E_HOST, "the peer's answer has a bad "
							"Content-Length");
				has_length = true;
			} else if (header_is(line, len, "Transfer-Encoding", &v, &vl)) {
				if (!has_token(v, vl, "chunked"))
					return xv_error(e, XV_E_HOST, "the peer's answer has a transfer "
							"encoding other than chunked");
				a->chunked = true;
			} else if (header_is(line, len, "Connection", &v, &vl)) {
				if (has_token(v, vl, "close"))
					a->keep = false;
				else if (http10 && has_token(v, vl, "keep-alive"))
					a->keep = true;
			} else if (header_is(line, len, "Content-Encoding", &v, &vl)) {
				if (vl && !has_token(v, vl, "identity"))
					return xv_error(e, XV_E_HOST, "the peer's answer is encoded (%.*s), "
							"which was not asked for",
							(int)(vl > 40 ? 40 : vl), v);
			}
			line = eol + 2;
		}
		if (a->chunked) {
			a->scan = a->head_len;
		} else if (has_length) {
			if (a->length > a->max_body)
				return too_big(a, e);
		} else {
			a->until_close = true;
			a->keep = false;
		}
		a->head_done = true;
		return 1;
	}
}

/* Decodes the chunks that are in: 1 the body is whole, 0 more needed, -1
 * refused.  Decoded chunks leave `in`, which so holds at most one chunk,
 * its line and the trailers besides the head. */
static int parse_chunks(struct xv_http_answer *a, struct xv_error *e)
{
	int rc = 0;

	for (;;) {
		const char *s = a->in.data + a->scan, *end = a->in.data + a->in.len;
		const char *eol = memmem(s, (size_t)(end - s), "\r\n", 2);
		uint64_t size = 0;
		const char *d;

		if (!eol) {
			if ((size_t)(end - s) > CHUNK_LINE_MAX)
				rc = xv_error(e, XV_E_HOST, "the peer's answer has a chunk line too long");
			break;
		}
		for (d = s; d < eol && *d != ';' && *d != ' ' && *d != '\t'; d++) {
			int v = *d >= '0' && *d <= '9'   ? *d - '0'
				: *d >= 'a' && *d <= 'f' ? *d - 'a' + 10
				: *d >= 'A' && *d <= 'F' ? *d - 'A' + 10
							 : -1;
			if (v < 0 || size > (UINT64_MAX >> 4))
				return xv_error(e, XV_E_HOST, "the peer's answer has a bad chunk size");
			size = size << 4 | (uint64_t)v;
		}
		if (d == s)
			return xv_error(e, XV_E_HOST, "the peer's answer has a bad chunk size");
		if (size == 0) { /* the last chunk, then trailers up to an empty line */
			const char *t = eol + 2;
			for (;;) {
				const char *te = memmem(t, (size_t)(end - t), "\r\n", 2);
				if (!te) {
					if ((size_t)(end - eol) > XV_HTTP_HEAD_MAX)
						return xv_error(e, XV_E_HOST, "the peer's answer has "
								"trailers larger than %u KiB",
								XV_HTTP_HEAD_MAX >> 10);
					return 0;
				}
				if (te == t)
					return 1;
				t = te + 2;
			}
		}
		if (size > a->max_body - a->body.len)
			return too_big(a, e);
		if ((uint64_t)(end - eol - 2) < size + 2)
			break;
		if (eol[2 + size] != '\r' || eol[3 + size] != '\n')
			return xv_error(e, XV_E_HOST, "the peer's answer has a chunk longer than "
					"its size");
		xv_buf_add(&a->body, eol + 2, (size_t)size);
		a->received = a->body.len;
		a->scan = (size_t)(eol + 2 + size + 2 - a->in.data);
	}
	/* what was decoded leaves `in` */
	if (a->scan > a->head_len) {
		size_t left = a->in.len - a->scan;
		memmove(a->in.data + a->head_len, a->in.data + a->scan, left);
		xv_buf_truncate(&a->in, a->head_len + left);
		a->scan = a->head_len;
	}
	return rc;
}

int xv_http_answer_parse(struct xv_http_answer *a, struct xv_error *e)
{
	int rc;

	if (!a->head_done && (rc = parse_head(a, e)) <= 0)
		return rc;
	if (a->chunked)
		return parse_chunks(a, e);
	a->received = a->in.len - a->head_len;
	if (a->until_close)
		return a->received > a->max_body ? too_big(a, e) : 0;
	return a->received >= a->length ? 1 : 0;
}

int xv_http_answer_closed(struct xv_http_answer *a, struct xv_error *e)
{
	if (a->head_done && a->until_close) {
		a->keep = false;
		return 1;
	}
	return xv_error(e, XV_E_HOST, a->in.len ? "the peer closed the connection in the middle "
						  "of its answer"
						: "Empty reply from server");
}

void xv_http_answer_take_body(struct xv_http_answer *a, struct xv_buf *buf, const char **body,
			      size_t *len)
{
	if (a->chunked) {
		*buf = a->body;
		xv_buf_init(&a->body);
		*body = buf->data ? buf->data : "";
		*len = buf->len;
	} else {
		*buf = a->in;
		xv_buf_init(&a->in);
		*body = buf->data + a->head_len;
		*len = a->until_close ? buf->len - a->head_len : (size_t)a->length;
	}
}
