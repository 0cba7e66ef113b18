/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http_answer.h: an HTTP/1.x answer, read as it comes (for http_plain.c).
 *
 * The reader appends what the socket gives to `in` and asks after each
 * piece whether the answer is whole: its head (status line and headers, at
 * most XV_HTTP_HEAD_MAX bytes; 1xx answers before it skipped), then a body
 * delimited by Content-Length, by chunks (decoded into `body`, trailers
 * skipped) or by the peer closing the connection.  Everything else a peer
 * may send is refused with a message: no HTTP/1.x status line, a bad
 * Content-Length, a transfer or content encoding that was not asked for, a
 * bad chunk, a body above `max_body`.  Raw input never grows beyond the
 * body, one chunk's line and the head: decoded chunks are dropped from it.
 *
 *   struct xv_http_answer a;
 *   xv_http_answer_init(&a, max_body);
 *   ... append to a.in (xv_buf_add) ...
 *   rc = xv_http_answer_parse(&a, &e);   1 whole, 0 more needed, -1 e set
 *   ... at EOF: xv_http_answer_closed(&a, &e) ...
 *   xv_http_answer_take_body(&a, &buf, &body, &len);
 *   xv_http_answer_release(&a); */
#ifndef XV_HTTP_ANSWER_H
#define XV_HTTP_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "buf.h"
#include "error.h"

#define XV_HTTP_HEAD_MAX (64u << 10)

struct xv_http_answer {
	struct xv_buf in;   /* as it came, from the head on */
	struct xv_buf body; /* chunked: the body decoded so far */
	size_t max_body;
	long status;        /* the final status, once the head is in */
	bool head_done, chunked, until_close;
	bool keep;          /* the connection may carry another request */
	size_t head_len;    /* bytes of the head in `in` */
	size_t scan;        /* chunked: where the next chunk line starts in `in` */
	uint64_t length;    /* Content-Length, when given */
	size_t received;    /* body bytes so far (for a time-out message) */
};

void xv_http_answer_init(struct xv_http_answer *a, size_t max_body);
/* Forgets what came, for the next answer on the connection. */
void xv_http_answer_reset(struct xv_http_answer *a);
void xv_http_answer_release(struct xv_http_answer *a);

/* What is in `in` so far: 1 the answer is whole, 0 more is needed, -1 it is
 * not a good answer (XV_E_HOST in `e`). */
int xv_http_answer_parse(struct xv_http_answer *a, struct xv_error *e);

/* The peer closed the connection: 1 that ended the answer (one delimited
 * by the close), -1 it came short (`e` says how). */
int xv_http_answer_closed(struct xv_http_answer *a, struct xv_error *e);

/* The body of a whole answer: `*buf` takes over the memory it lies in (the
 * caller releases it), `*body`/`*len` is where it is. */
void xv_http_answer_take_body(struct xv_http_answer *a, struct xv_buf *buf, const char **body,
			      size_t *len);

#endif
