/* SPDX-License-Identifier: GPL-3.0-or-later */
/* http_plain.h: plain HTTP/1.1 to an address, on the event loop, for http.c.
 *
 * libcurl costs what a poll of thousands of hosts cannot pay (measured on
 * 10 000 hosts answering three XML-RPC calls each): some 300 000
 * instructions, 35 system calls and 11 KB of memory per host, where this
 * client needs about a tenth of each.  It speaks only what the network
 * sources ask of plain HTTP: a POST (or GET) with basic authentication, an
 * answer with Content-Length, chunked or up to the close, 1xx answers
 * skipped (http_answer.h reads it), the connection kept alive between the
 * requests of one host.  Failures reach done() from the loop, never from
 * inside xv_http_plain_post().  It
 * takes only URLs whose host is an IP address (no resolver here): names,
 * and every https:// URL, stay with libcurl (http.c decides). */
#ifndef XV_HTTP_PLAIN_H
#define XV_HTTP_PLAIN_H

#include "http.h"

struct xv_http_plain;

/* Whether `url` is http://ADDRESS[:PORT][/PATH] with an IPv4 or IPv6
 * address: the URLs this client takes. */
bool xv_http_plain_takes(const char *url);

struct xv_http_plain *xv_http_plain_new(struct xv_loop *loop, size_t max_body);

/* As xv_http_post() (http.h), for a URL xv_http_plain_takes(). */
int xv_http_plain_post(struct xv_http_plain *p, const struct xv_http_request *req,
		       xv_http_done_fn *done, void *ctx, struct xv_error *e);

void xv_http_plain_cancel(struct xv_http_plain *p);
bool xv_http_plain_busy(const struct xv_http_plain *p);
const char *xv_http_plain_peer_address(const struct xv_http_plain *p);
long xv_http_plain_status(const struct xv_http_plain *p);

/* Cancels, closes and frees; accepts NULL. */
void xv_http_plain_free(struct xv_http_plain *p);

#endif
